"""Machine-readable exports: rules.json and graph.json, canonical so they diff cleanly."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import networkx as nx

from logicmine.graph_export import to_json
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
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def graph_json(graph: nx.MultiDiGraph) -> str:
    """graph.json text (canonical node-link JSON)."""
    return to_json(graph)
