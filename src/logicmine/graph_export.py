"""Write the estate graph as node-link JSON, GraphML or DOT, deterministically."""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx

FORMATS = ("json", "graphml", "dot")


def _sorted_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Same graph with nodes and edges inserted in a canonical order, so outputs diff cleanly."""
    out = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        out.add_node(node, **graph.nodes[node])
    edges = sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (e[0], e[1], str(e[3].get("kind", "")), str(e[3].get("file", "")),
                       int(e[3].get("line", 0) or 0), str(e[2])),
    )
    for source, target, _key, data in edges:
        out.add_edge(source, target, **data)
    return out


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """networkx node-link data (keys 'nodes' and 'edges') in canonical order."""
    data = nx.node_link_data(_sorted_copy(graph), edges="edges")
    for edge in data["edges"]:
        edge.pop("key", None)  # keys are insertion counters: noise in a diff
    return data


def to_json(graph: nx.MultiDiGraph) -> str:
    """Canonical node-link JSON text."""
    return json.dumps(to_node_link(graph), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _scalar_attrs(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and DOT take scalars only: join tuples and drop empty values."""
    out = nx.MultiDiGraph()

    def clean(attrs: dict[str, Any]) -> dict[str, Any]:
        result = {}
        for name, value in attrs.items():
            if isinstance(value, (list, tuple)):
                value = ",".join(map(str, value))
            if value is None or value == "":
                continue
            result[name] = value if isinstance(value, (int, float, bool)) else str(value)
        return result

    for node, attrs in graph.nodes(data=True):
        out.add_node(node, **clean(attrs))
    for source, target, attrs in graph.edges(data=True):
        out.add_edge(source, target, **clean(attrs))
    return out


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text (opens in yEd and Gephi)."""
    buffer = io.BytesIO()
    nx.write_graphml(_scalar_attrs(_sorted_copy(graph)), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_SHAPES = {
    "program": "box", "job": "folder", "step": "component", "dataset": "cylinder",
    "table": "cylinder", "copybook": "note", "paragraph": "ellipse", "section": "ellipse",
}


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT text, written by hand so no pydot/pygraphviz is needed."""
    lines = ["digraph logicmine {", "  rankdir=LR;", "  node [fontname=Helvetica];"]
    canonical = _sorted_copy(graph)
    for node, attrs in canonical.nodes(data=True):
        kind = str(attrs.get("kind", ""))
        label = str(attrs.get("name") or node)
        shape = _DOT_SHAPES.get(kind, "ellipse")
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(label)}, shape={shape}, "
                     f"kind={_dot_quote(kind)}];")
    for source, target, attrs in canonical.edges(data=True):
        kind = str(attrs.get("kind", ""))
        lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)} [label={_dot_quote(kind)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def export(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The graph in one of FORMATS."""
    writers = {"json": to_json, "graphml": to_graphml, "dot": to_dot}
    return writers[fmt](graph)
