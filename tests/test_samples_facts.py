"""The sample estate's facts against expectations written by hand from its code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logicmine.config import load_config
from logicmine.graph import build_graph
from logicmine.lang.jcl import dd_access
from logicmine.pipeline import parse_estate

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = json.loads((ROOT / "tests/data/samples_expected.json").read_text())
PREFIX = "samples/cobol/"


@pytest.fixture(scope="module")
def parsed():
    return parse_estate(load_config(ROOT / "samples/cobol"))


def _program(parsed, name):
    found = [p for p in parsed.programs if p.name == name]
    assert found, f"{name} was not found"
    return found[0]


@pytest.mark.parametrize("expected", EXPECTED["programs"], ids=lambda e: e["program_id"])
def test_procedures(parsed, expected):
    program = _program(parsed, expected["program_id"])
    assert program.file == expected["file"].removeprefix(PREFIX)
    paragraphs = [p.name for p in program.procedures if p.kind == "paragraph"]
    sections = [p.name for p in program.procedures if p.kind == "section"]
    assert paragraphs == expected["paragraphs"]
    assert sections == expected["sections"]


@pytest.mark.parametrize("expected", EXPECTED["programs"], ids=lambda e: e["program_id"])
def test_performs_and_goes_to(parsed, expected):
    program = _program(parsed, expected["program_id"])
    performs = {r.target for r in program.references if r.kind == "performs" and r.target}
    performs |= {r.target_end for r in program.references if r.kind == "performs" and r.target_end}
    assert sorted(performs) == expected["performs"]
    goes_to = {r.target for r in program.references if r.kind == "goes_to"}
    assert sorted(goes_to) == expected["goes_to"]


@pytest.mark.parametrize("expected", EXPECTED["programs"], ids=lambda e: e["program_id"])
def test_inter_program_calls(parsed, expected):
    program = _program(parsed, expected["program_id"])
    calls = {(r.kind, r.target) for r in program.references
             if r.kind in ("calls", "links", "xctls") and not r.dynamic}
    assert calls == {(c["kind"], c["target"]) for c in expected["calls"]}
    assert not [r for r in program.references if r.dynamic], "a call target stayed unknown"


@pytest.mark.parametrize("expected", EXPECTED["programs"], ids=lambda e: e["program_id"])
def test_copybooks_and_condition_names(parsed, expected):
    program = _program(parsed, expected["program_id"])
    members = {c.member.upper() for c in program.copybooks}
    assert members == set(expected["copybooks"])
    found = [(i.name, i.parent, list(i.values)) for i in program.data_items if i.level == 88]
    wanted = [(c["name"], c["parent"], c["values"]) for c in expected["condition_names"]]
    assert found == wanted


@pytest.mark.parametrize("expected", EXPECTED["programs"], ids=lambda e: e["program_id"])
def test_exec_blocks(parsed, expected):
    program = _program(parsed, expected["program_id"])
    counts = {"CICS": 0, "SQL": 0, "DLI": 0}
    for block in program.exec_blocks:
        if block.file == program.file:
            counts[block.kind] += 1
    assert counts == expected["exec_blocks"]


@pytest.mark.parametrize("expected", EXPECTED["jobs"], ids=lambda e: e["name"])
def test_job_steps_programs_and_datasets(parsed, expected):
    jobs = [j for j in parsed.jobs if j.name == expected["name"]]
    assert len(jobs) == 1
    steps = [(s.name, s.program) for s in jobs[0].steps]
    assert steps == [(s["name"], s["program"]) for s in expected["steps"]]
    graph = build_graph(parsed.programs, parsed.jobs, dd_access)
    for step, want in zip(jobs[0].steps, expected["steps"], strict=True):
        node = f"jcl:{jobs[0].name}:{step.name}"
        used = {(d["kind"], graph.nodes[t]["name"])
                for _s, t, d in graph.out_edges(node, data=True)}
        reads = sorted(n for k, n in used if k == "reads")
        writes = sorted(n for k, n in used if k == "writes")
        assert (reads, writes) == (sorted(want["reads"]), sorted(want["writes"])), step.name


def test_every_procedure_line_parses(parsed):
    for program in parsed.programs:
        assert program.fidelity.unrecovered_lines == 0, program.name
