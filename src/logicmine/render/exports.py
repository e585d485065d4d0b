"""Machine-readable exports: rules.json and graph.json, canonical so they diff cleanly.

Both are written by `record_lines`: valid JSON with sorted keys, one record (a rule, a node,
an edge) per line, so a change to one rule is a change to one line of the diff and the file
carries no indentation.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import networkx as nx

from logicmine.graph_export import to_node_link
from logicmine.model import Estate, Rule

RULES_VERSION = 1


def rule_record(rule: Rule) -> dict[str, Any]:
    """One rule as a JSON object."""
    return {
        "id": rule.id,
        "program": rule.program,
        "procedure": rule.procedure,
        "file": rule.file,
        "start_line": rule.start_line,
        "end_line": rule.end_line,
        "citation": rule.span.cite(),
        "kind": rule.kind,
        "conditions": list(rule.conditions),
        "actions": list(rule.actions),
        "text": rule.text,
        "cluster": rule.cluster,
        "inputs": list(rule.inputs),
        "outputs": list(rule.outputs),
        "branches": [
            {
                "condition": b.condition,
                "actions": list(b.actions),
                "line": b.line,
                "end_line": b.end_line,
            }
            for b in rule.branches
        ],
    }


def rules_json(estate: Estate) -> str:
    """rules.json text: every rule, ordered by program, file, line and id."""
    rules = sorted(estate.rules, key=lambda r: (r.program, r.file, r.start_line, r.end_line, r.id))
    document = {
        "version": RULES_VERSION, "rules": [rule_record(r) for r in rules],
        # the business processes and logic smells the rules belong to; the data dictionary
        # (every field, the rules that read and write it) is large and has its own file
        "processes": [asdict(p) for p in estate.processes],
        "smells": [asdict(s) for s in estate.smells],
        "data_dictionary": "data-dictionary.json",
    }
    return record_lines(document)


def graph_json(graph: nx.MultiDiGraph) -> str:
    """graph.json text: the canonical node-link data, a node or an edge per line."""
    return record_lines(to_node_link(graph))


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)  # json.dumps with these options builds an encoder per call


def record_lines(document: dict[str, Any]) -> str:
    """`document` as JSON text a line-based diff reads well: each top-level key on a line of
    its own and, when its value is a list or an object of records, each item on a line of its
    own, written compactly; keys sorted, so the same document always gives the same bytes."""
    lines = []
    for key in sorted(document):
        value, head = document[key], f"{_compact(key)}: "
        if isinstance(value, list) and value:
            items = [_compact(item) for item in value]
            lines.append(head + "[\n" + ",\n".join(items) + "\n]")
        elif isinstance(value, dict) and value:
            items = [f"{_compact(k)}:{_compact(value[k])}" for k in sorted(value)]
            lines.append(head + "{\n" + ",\n".join(items) + "\n}")
        else:
            lines.append(head + _compact(value))
    return "{\n" + ",\n".join(lines) + "\n}\n"
