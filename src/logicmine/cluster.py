"""Clusters of procedures within a program, deterministically.

A program's entry procedure (its first) reaches the rest through PERFORM and GO TO. Each
procedure the entry reaches directly and that dominates what it reaches (every path to those
procedures runs through it) becomes a cluster with everything it dominates: one business step
and what only it uses. Procedures shared by several steps stay with the entry's cluster, and
procedures nothing reaches form a cluster of their own, so nothing is lost.
"""

from __future__ import annotations

import hashlib

import networkx as nx

from .model import Cluster, Program, Rule


def _flow(program: Program) -> nx.DiGraph:
    flow = nx.DiGraph()
    names = [p.name for p in program.procedures]
    flow.add_nodes_from(names)
    for proc in program.procedures:  # performing a section runs its paragraphs
        if proc.kind == "paragraph" and proc.section in flow:
            flow.add_edge(proc.section, proc.name)
    for ref in program.references:
        if ref.kind in ("performs", "goes_to") and ref.target in flow and ref.procedure in flow:
            flow.add_edge(ref.procedure, ref.target)
            if ref.target_end in flow and ref.target_end != ref.target:
                start, end = names.index(ref.target), names.index(ref.target_end)
                for name in names[start + 1 : end + 1]:
                    flow.add_edge(ref.procedure, name)
    return flow


def _cluster_id(program: str, entry: str) -> str:
    digest = hashlib.sha256(f"{program}\x1f{entry}".encode()).hexdigest()[:8]
    return f"{program}.{entry or 'MAIN'}.{digest}"


def program_clusters(program: Program, rules: list[Rule]) -> list[Cluster]:
    """Clusters of one program, in source order of their entries."""
    if not program.procedures:
        members = ("",)
        ids = [r.id for r in rules]
        return [Cluster(_cluster_id(program.name, ""), program.name, "", members, tuple(ids))]
    flow = _flow(program)
    entry = program.procedures[0].name
    dominators = nx.immediate_dominators(flow, entry)
    owner: dict[str, str] = {}
    for node in flow.nodes:
        if node == entry:  # networkx 3.5+ leaves the start node out of the map
            owner[node] = entry
            continue
        if node not in dominators:
            owner[node] = "(unreached)"
            continue
        step = node
        while step != entry and dominators.get(step) != entry:
            step = dominators[step]
        owner[node] = step
    order = {p.name: i for i, p in enumerate(program.procedures)}
    groups: dict[str, list[str]] = {}
    for name in sorted(owner, key=lambda n: order[n]):
        groups.setdefault(owner[name], []).append(name)
    by_proc: dict[str, list[str]] = {}
    for rule in rules:
        by_proc.setdefault(rule.procedure or entry, []).append(rule.id)
    clusters = []
    for step, members in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))):
        rule_ids = tuple(rid for m in members for rid in by_proc.get(m, []))
        clusters.append(Cluster(_cluster_id(program.name, step), program.name,
                                "" if step == "(unreached)" else step, tuple(members), rule_ids,
                                title="Never performed" if step == "(unreached)" else step))
    return clusters
