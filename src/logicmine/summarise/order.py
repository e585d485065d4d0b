"""Dependency order: what a subject uses is summarised before the subject itself.

A cluster depends on the clusters whose procedures it performs (same program) and on the
clusters of the programs it calls, links or transfers to. Cycles (recursion, CICS screens that
transfer back and forth) are broken by dropping the edges inside each strongly connected
component, so the order and every prompt are the same on every run. Programs depend on their
clusters, the glossary on every cluster, the estate on every program.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

import networkx as nx

from ..model import Cluster, Program
from .tasks import program_subject

T = TypeVar("T")
_LINKS = ("calls", "links", "xctls")


def _owners(programs: list[Program], clusters: list[Cluster]) -> dict[tuple[str, str], str]:
    """(program, procedure name) -> cluster id; '' names the program-level code."""
    owner: dict[tuple[str, str], str] = {}
    for cluster in clusters:
        for name in cluster.procedures:
            owner[(cluster.program, name)] = cluster.id
    for program in programs:
        first = program.procedures[0].name if program.procedures else ""
        if (program.name, first) in owner:
            owner.setdefault((program.name, ""), owner[(program.name, first)])
    return owner


def cluster_edges(programs: list[Program], clusters: list[Cluster]) -> nx.DiGraph:
    """caller cluster -> callee cluster, for PERFORM/GO TO and CALL/LINK/XCTL."""
    graph = nx.DiGraph()
    graph.add_nodes_from(c.id for c in clusters)
    owner = _owners(programs, clusters)
    by_program: dict[str, list[str]] = {}
    for cluster in clusters:
        by_program.setdefault(cluster.program, []).append(cluster.id)
    names = {p.name.upper(): p.name for p in programs}
    for program in programs:
        for entry in program.entry_points:
            names.setdefault(entry.upper(), program.name)
    for program in programs:
        for ref in program.references:
            caller = owner.get((program.name, ref.procedure))
            if caller is None or (ref.dynamic and not ref.target):
                continue
            if ref.kind in ("performs", "goes_to"):
                targets = [owner.get((program.name, ref.target))]
            elif ref.kind in _LINKS and ref.target.upper() in names:
                targets = list(by_program.get(names[ref.target.upper()], []))
            else:
                continue
            graph.add_edges_from((caller, t) for t in targets if t and t != caller)
    return graph


def acyclic(graph: nx.DiGraph) -> nx.DiGraph:
    """The graph without edges inside strongly connected components."""
    component = {}
    for number, members in enumerate(nx.strongly_connected_components(graph)):
        for node in members:
            component[node] = number
    result = nx.DiGraph()
    result.add_nodes_from(graph.nodes)
    result.add_edges_from((a, b) for a, b in graph.edges if component[a] != component[b])
    return result


def dependencies(programs: list[Program], clusters: list[Cluster], *, glossary: bool
                 ) -> dict[str, list[str]]:
    """subject -> subjects it waits for, in prompt order (same program first)."""
    graph = acyclic(cluster_edges(programs, clusters))
    index = {c.id: i for i, c in enumerate(clusters)}
    program_of = {c.id: c.program for c in clusters}
    deps: dict[str, list[str]] = {}
    for cluster in clusters:
        callees = sorted(graph.successors(cluster.id),
                         key=lambda c: (program_of[c] != cluster.program, index[c]))
        deps[cluster.id] = callees
    for program in programs:
        deps[program_subject(program)] = [c.id for c in clusters if c.program == program.name]
    if glossary:
        deps["glossary"] = [c.id for c in clusters]
    deps["estate"] = [program_subject(p) for p in programs]
    return deps


def run_in_order(deps: dict[str, list[str]], work: Callable[[str], T], jobs: int,
                 on_done: Callable[[str, T], None]) -> dict[str, T]:
    """Run `work` on every subject once all it depends on is done, `jobs` at a time."""
    waiting = {s: set(d) & set(deps) for s, d in deps.items()}
    dependents: dict[str, list[str]] = {s: [] for s in deps}
    for subject, needs in waiting.items():
        for need in needs:
            dependents[need].append(subject)
    results: dict[str, T] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running: dict[Future[T], str] = {}
        for subject in deps:
            if not waiting[subject]:
                running[pool.submit(work, subject)] = subject
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: running[f]):
                subject = running.pop(future)
                results[subject] = future.result()
                on_done(subject, results[subject])
                for other in dependents[subject]:
                    waiting[other].discard(subject)
                    if not waiting[other]:
                        running[pool.submit(work, other)] = other
    return results
