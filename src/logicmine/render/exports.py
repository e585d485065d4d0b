"""Machine-readable exports: rules.json and graph.json, canonical so they diff cleanly.

Both are written by `record_lines`: valid JSON with sorted keys, one record (a rule, a node,
an edge) per line, so a change to one rule is a change to one line of the diff and the file
carries no indentation.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from logicmine.graph_export import to_node_link
from logicmine.model import Estate, Rule, rule_order
from logicmine.render.splice import Joined, Parts, Piece, text_of

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


def flat_record(value: Any) -> dict[str, Any]:
    """A dataclass whose fields are plain values or tuples of them (a process, a smell) as a
    JSON object: what dataclasses.asdict gives, without its deep copy of every tuple (the
    processes of a large estate list every rule id)."""
    return {name: getattr(value, name) for name in value.__dataclass_fields__}


class Encoded(list):
    """Records already written as compact JSON, one per item, for `record_lines`; an item may
    also be a run of records already joined by `joined` (a piece kept whole in the state)."""


def joined(records: list[str]) -> str:
    """Records as one item of `Encoded`: a piece is stored and read back as one string, not
    as a list of tens of thousands."""
    return ",\n".join(records)


def rules_json(estate: Estate, fragments: Any = None,
               keys: Mapping[str, tuple[str, ...]] | None = None,
               lists: Mapping[str, str] | None = None) -> str:
    """rules.json text: every rule, ordered by program, file, line and id (`rules_parts`)."""
    parts = rules_parts(estate, fragments, keys, lists)
    return text_of(parts, fragments)


def rules_parts(estate: Estate, fragments: Any = None,
                keys: Mapping[str, tuple[str, ...]] | None = None,
                lists: Mapping[str, str] | None = None) -> Parts:
    """rules.json as pieces (render.splice): each program's rules, the processes, the smells.

    With `fragments` (render.fragments) and `keys` (program name -> the view digests of the
    programs of that name: pipeline.ProgramAnalysis.view), a program's piece is named by its
    views; with `lists` too ('processes' and 'smells' -> the digest of each), so are the
    processes' and the smells'. Named pieces are kept for the next build."""
    by_name: dict[str, list[Rule]] = defaultdict(list)
    for rule in estate.rules:
        by_name[rule.program].append(rule)

    def make(units: list[str]) -> dict[str, str]:
        made = {}
        for unit in units:
            kind, _, name = unit.partition(":")
            if kind == "program":
                made[unit] = joined([compact(rule_record(r))
                                     for r in sorted(by_name[name], key=rule_order)])
            else:  # the estate's processes or smells
                made[unit] = _list_lines(estate, kind)
        return made

    named = rules_pieces(by_name, fragments, keys) if fragments is not None and \
        keys is not None else {}

    def listed(kind: str) -> Joined:
        return _listed(fragments, kind, (lists or {}).get(kind))

    document = {
        "version": RULES_VERSION,
        # program first
        "rules": Joined(tuple(Piece(f"program:{name}", named.get(name))
                              for name in sorted(by_name))),
        # the business processes and logic smells the rules belong to; the data dictionary
        # (every field, the rules that read and write it) is large and has its own file
        "processes": listed("processes"),
        "smells": listed("smells"),
        "data_dictionary": "data-dictionary.json",
    }
    return Parts("rules.json", tuple(record_parts(document)), make)


def list_parts(estate: Estate, kind: str, fragments: Any = None, digest: str | None = None
               ) -> Parts:
    """processes.json or smells.json (`kind`) as pieces (render.splice): its records are one
    piece, the one rules.json holds under the same key (`digest`: the list's), so a build
    whose processes changed encodes them once for both files."""
    document = {"version": 1, kind: _listed(fragments, kind, digest)}
    return Parts(f"{kind}.json", tuple(record_parts(document)),
                 lambda units: {unit: _list_lines(estate, kind) for unit in units})


def _listed(fragments: Any, kind: str, digest: str | None) -> Joined:
    """The estate's processes or smells as the one piece of a list (named by `digest`)."""
    key = fragments.key("rules.json", kind, digest) if fragments is not None and digest \
        else None
    return Joined((Piece(f"{kind}:", key),))


def _list_lines(estate: Estate, kind: str) -> str:
    return joined([compact(flat_record(item)) for item in getattr(estate, kind)])


def rules_pieces(names: Iterable[str], fragments: Any,
                 keys: Mapping[str, tuple[str, ...]]) -> dict[str, str | None]:
    """Program name -> the key of its piece of rules.json (None: not kept)."""
    return {name: fragments.key("rules.json", keys[name]) if name in keys else None
            for name in names}


def graph_pieces(fragments: Any, digests: Mapping[str, str]) -> dict[str, str]:
    """Owner -> the key of its piece of graph.json."""
    return {owner: fragments.key("graph.json", owner, digest) for owner, digest in digests.items()}


def graph_json(graph: nx.MultiDiGraph, fragments: Any = None,
               owners: tuple[Mapping[str, str], Mapping[str, str]] | None = None) -> str:
    """graph.json text: the canonical node-link data (`graph_export.to_node_link`), a node or
    an edge per line.

    With `fragments` (render.fragments) and `owners` (node -> the program owning it, and owner
    ('' for none) -> the digest of its nodes and their out-edges, from render.deps), each
    owner's lines are taken from the state when its part of the graph is one seen before."""
    if fragments is None or owners is None:
        return record_lines(to_node_link(graph))
    owner_of, digests = owners

    def make(missing: list[str]) -> dict[str, tuple[list, list]]:
        built: dict[str, tuple[list, list]] = {owner: ([], []) for owner in missing}
        for node, attrs in graph.nodes(data=True):  # one walk for every owner not stored
            owner = owner_of.get(node, "")
            if owner in built:
                built[owner][0].append((node, compact({**attrs, "id": node})))
                for src, dst, key, data in graph.out_edges(node, keys=True, data=True):
                    record = {**data, "source": src, "target": dst}
                    record.pop("key", None)
                    built[owner][1].append((_edge_order(src, dst, key, data), compact(record)))
        return {owner: (sorted(nodes), sorted(edges)) for owner, (nodes, edges) in built.items()}

    pieces = fragments.gather(graph_pieces(fragments, digests), make).values()
    nodes = sorted(line for piece in pieces for line in piece[0])
    edges = sorted(line for piece in pieces for line in piece[1])
    return record_lines({"directed": True, "multigraph": True, "graph": {},
                         "nodes": Encoded(text for _, text in nodes),
                         "edges": Encoded(text for _, text in edges)})


def _edge_order(src: str, dst: str, key: Any, data: Mapping[str, Any]) -> tuple:
    """The order of edges in graph.json, as graph_export sorts them."""
    return (src, dst, str(data.get("kind", "")), str(data.get("file", "")),
            int(data.get("line", 0) or 0), str(key))


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compact(value: Any) -> str:
    """`value` as JSON on one line, keys sorted: how each record of these files is written."""
    return _ENCODER.encode(value)  # json.dumps with these options builds an encoder per call


def record_lines(document: dict[str, Any]) -> str:
    """`document` as JSON text a line-based diff reads well: each top-level key on a line of
    its own and, when its value is a list or an object of records, each item on a line of its
    own, written compactly; keys sorted, so the same document always gives the same bytes."""
    return "".join(record_parts(document))  # type: ignore[arg-type]


def record_parts(document: dict[str, Any]) -> list[Any]:
    """`record_lines`'s text in parts; a value that is a render.splice Joined (a list of
    records whose pieces are put together apart) or Piece (a value made only when the file is
    put together, its text `record_value`'s) stays a part of its own."""
    parts: list[Any] = ["{\n"]  # joined once at the end: the files run to a hundred megabytes
    for number, key in enumerate(sorted(document)):
        value = document[key]
        parts.append(("" if number == 0 else ",\n") + f"{compact(key)}: ")
        if isinstance(value, (Joined, Piece)):
            parts.append(value)
        else:
            parts += _value_parts(value)
    parts.append("\n}\n")
    return parts


def record_value(value: Any) -> str:
    """One top-level value of a document as `record_lines` writes it."""
    return "".join(_value_parts(value))


def _value_parts(value: Any) -> list[str]:
    if isinstance(value, list) and value:
        items = value if isinstance(value, Encoded) else [compact(item) for item in value]
        return ["[\n", ",\n".join(items), "\n]"]
    if isinstance(value, dict) and value:
        items = [f"{compact(k)}:{compact(value[k])}" for k in sorted(value)]
        return ["{\n", ",\n".join(items), "\n}"]
    return [compact(value)]
