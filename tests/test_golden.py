"""Golden snapshots of the sample estate's graph and rules, as text lines so diffs read well.

Run with LOGICMINE_UPDATE_GOLDEN=1 to rewrite the snapshots after a deliberate change, then
read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from logicmine.config import load_config
from logicmine.pipeline import analyse, parse_estate

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def analysis():
    config = load_config(ROOT / "samples" / "cobol")
    return analyse(config, parse_estate(config))


def graph_lines(graph) -> list[str]:
    nodes = [f"node {n} kind={a.get('kind')} name={a.get('name')} "
             f"at={a.get('file')}:{a.get('line')}-{a.get('end_line')}"
             for n, a in sorted(graph.nodes(data=True))]
    edges = sorted(f"edge {s} -[{d.get('kind')}]-> {t} at={d.get('file')}:{d.get('line')}"
                   for s, t, d in graph.edges(data=True))
    return nodes + edges


def rule_lines(rules) -> list[str]:
    lines = []
    for r in rules:
        lines.append(f"rule {r.id} {r.kind} {r.program}/{r.procedure} {r.file}:{r.start_line}-"
                     f"{r.end_line} cluster={r.cluster}")
        lines.extend(f"  when {b.condition} -> {' ; '.join(b.actions)}" for b in r.branches)
        lines.append(f"  in={','.join(r.inputs)} out={','.join(r.outputs)}")
    return lines


def check(name: str, lines: list[str]) -> None:
    path = GOLDEN / name
    text = "\n".join(lines) + "\n"
    if os.environ.get("LOGICMINE_UPDATE_GOLDEN") == "1":
        path.write_text(text)
    assert path.exists(), f"{path} missing: run with LOGICMINE_UPDATE_GOLDEN=1"
    assert text.splitlines() == path.read_text().splitlines()


def test_graph_snapshot(analysis):
    check("samples_graph.txt", graph_lines(analysis.graph))


def test_rules_snapshot(analysis):
    check("samples_rules.txt", rule_lines(analysis.estate.rules))
