"""The estate graph: a networkx MultiDiGraph with stable string node ids.

Functions of G, not a graph subclass. One edge per statement, carrying its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import networkx as nx

from .model import Job, Procedure, Program, Reference

PROGRAM_EDGES = frozenset({"calls", "links", "xctls"})


def out_edges(graph: nx.MultiDiGraph, node: str) -> Iterator[tuple[str, dict]]:
    """(target, attributes) of each edge out of `node`, read from the graph's adjacency
    dicts: `graph.out_edges(node, data=True)` builds a view per call, which passes that are
    made once per node of a large estate (processes, page keys) spent most of their time on."""
    for target, keyed in graph._succ[node].items():  # networkx's adjacency: target -> key -> data
        for data in keyed.values():
            yield target, data


def program_id(name: str, language: str = "cobol") -> str:
    """Node id of a program."""
    return f"{language}:{name}"


def procedure_id(program: str, name: str, language: str = "cobol") -> str:
    """Node id of a paragraph or section."""
    return f"{language}:{program}:{name}"


def _target_node(ref: Reference) -> tuple[str, dict] | None:
    """Node id and attributes of what a reference points at (None: nothing to point at)."""
    if not ref.target:
        return None
    if ref.kind in PROGRAM_EDGES:
        return program_id(ref.target), {"kind": "program", "name": ref.target}
    if ref.kind in ("sends", "receives"):
        return f"screen:{ref.target}", {"kind": "screen", "name": ref.target}
    if ref.kind == "starts":
        return f"transaction:{ref.target}", {"kind": "transaction", "name": ref.target}
    if ref.kind in ("reads", "writes"):
        if ref.detail.startswith("SQL"):
            return f"table:{ref.target}", {"kind": "table", "name": ref.target}
        if ref.detail.startswith("DLI"):
            return f"segment:{ref.target}", {"kind": "segment", "name": ref.target}
        return f"dataset:{ref.target}", {"kind": "dataset", "name": ref.target}
    return None


JAVA_RESOLVED = frozenset({"interface", "virtual", "static", "constructor", "super", "this"})


def add_program(graph: nx.MultiDiGraph, program: Program) -> None:
    """Program (or Java class), its procedures and every edge its statements make."""
    pid = program_id(program.name, program.language)
    graph.add_node(pid, kind="class" if program.language == "java" else "program",
                   name=program.name, file=program.file, line=program.line,
                   end_line=program.end_line, external=False, language=program.language)
    names = {p.name: p.id for p in program.procedures}
    for proc in program.procedures:
        _add_procedure(graph, pid, proc)
    for use in program.copybooks:
        cid = f"copybook:{use.member.upper()}"
        if cid not in graph:
            graph.add_node(cid, kind="copybook", name=use.member.upper(), file=use.resolved or "")
        graph.add_edge(pid, cid, kind="includes", file=use.file, line=use.line)
    for ref in program.references:
        _add_reference(graph, program, pid, names, ref)


def _add_procedure(graph: nx.MultiDiGraph, pid: str, proc: Procedure) -> None:
    extra = {"class": proc.program} if proc.id.startswith("java:") else {}
    graph.add_node(proc.id, kind=proc.kind, name=proc.name, program=proc.program,
                   file=proc.file, line=proc.line, end_line=proc.end_line, external=False,
                   **extra)  # external=False: a call may have created the node before
    graph.add_edge(pid, proc.id, kind="contains", file=proc.file, line=proc.line)


def _add_reference(graph: nx.MultiDiGraph, program: Program, pid: str, names: dict[str, str],
                   ref: Reference) -> None:
    source = names.get(ref.procedure, pid)
    if program.language == "java":
        _add_java_reference(graph, source, ref)
        return
    if ref.kind in ("performs", "goes_to"):
        if ref.inline or not ref.target:
            return
        for target in _perform_range(program, ref):
            tid = procedure_id(program.name, target, program.language)
            if tid not in graph:
                graph.add_node(tid, kind="paragraph", name=target, program=program.name,
                               file="", line=0, end_line=0, missing=True)
            graph.add_edge(source, tid, kind=ref.kind, file=ref.file, line=ref.line)
        return
    if ref.dynamic and ref.kind in PROGRAM_EDGES:
        graph.add_edge(source, f"dynamic:{program.name}:{ref.via}", kind=ref.kind, file=ref.file,
                       line=ref.line, dynamic=True, via=ref.via)
        graph.nodes[f"dynamic:{program.name}:{ref.via}"].update(kind="dynamic", name=ref.via)
        return
    target = _target_node(ref)
    if target is None:
        return
    tid, attrs = target
    if tid not in graph:
        graph.add_node(tid, **attrs, external=attrs["kind"] == "program")
    graph.add_edge(source, tid, kind=ref.kind, file=ref.file, line=ref.line,
                   **({"via": ref.via} if ref.via else {}))


def _add_java_reference(graph: nx.MultiDiGraph, source: str, ref: Reference) -> None:
    """Java calls go to methods (`java:pkg.Class#method`); library calls to external nodes."""
    if ref.kind == "calls" and ref.target:
        tid = f"java:{ref.target}"
        if tid not in graph:
            cls, _, name = ref.target.partition("#")
            graph.add_node(tid, kind="method", name=name, program=cls, external=True,
                           **{"class": cls})
        graph.add_edge(source, tid, kind="calls", file=ref.file, line=ref.line,
                       **({"via": ref.detail} if ref.detail else {}))
        return
    if ref.kind in ("extends", "implements") and ref.target:
        tid = f"java:{ref.target}"
        if tid not in graph:
            graph.add_node(tid, kind="class", name=ref.target, external=True)
        graph.add_edge(source, tid, kind=ref.kind, file=ref.file, line=ref.line)
        return
    target = _target_node(ref)
    if target is not None:
        tid, attrs = target
        if tid not in graph:
            graph.add_node(tid, **attrs, external=False)
        graph.add_edge(source, tid, kind=ref.kind, file=ref.file, line=ref.line)


def _perform_range(program: Program, ref: Reference) -> list[str]:
    """PERFORM A THRU B reaches every procedure from A to B in source order."""
    if not ref.target_end:
        return [ref.target]
    order = [p.name for p in program.procedures if p.kind == "paragraph"] or \
        [p.name for p in program.procedures]
    if ref.target in order and ref.target_end in order:
        start, end = order.index(ref.target), order.index(ref.target_end)
        if start <= end:
            return order[start : end + 1]
    return [ref.target, ref.target_end]


# DDs that name program libraries, not data the step reads or writes
LIBRARY_DDS = frozenset({"STEPLIB", "JOBLIB", "JCLLIB", "SYSLIB", "DFSRESLB", "IMS", "PROCLIB",
                         "SYSPROC", "SYSEXEC", "SYSLMOD", "CEEDUMP", "SYSUDUMP", "SYSABEND",
                         "SYSMDUMP"})


def is_data_dd(name: str) -> bool:
    """True for a DD that carries data rather than naming a load or procedure library."""
    return name.upper() not in LIBRARY_DDS


def open_modes(programs: Iterable[Program]) -> dict[str, dict[str, set[str]]]:
    """Program -> DD name -> directions its OPEN statements give ('reads', 'writes')."""
    modes: dict[str, dict[str, set[str]]] = {}
    for program in programs:
        for ref in program.references:
            if ref.kind == "opens" and ref.target:
                kinds = {"INPUT": {"reads"}, "OUTPUT": {"writes"}, "EXTEND": {"writes"},
                         "I-O": {"reads", "writes"}}.get(ref.detail.split()[0], set())
                modes.setdefault(program.name, {}).setdefault(ref.target, set()).update(kinds)
    return modes


def _dd_kinds(step, dd, access, modes: dict[str, dict[str, set[str]]]) -> list[str]:
    """How a step uses a DD: the program's OPEN mode when known, else the DISP."""
    if not dd.dsn or not is_data_dd(dd.name):
        return []
    known = modes.get(step.program, {}).get(dd.name.upper())
    if known:
        return sorted(known)
    kind = access(dd.disp)
    return [kind] if kind else []


def add_job(graph: nx.MultiDiGraph, job: Job, access, modes=None) -> None:
    """Job, its steps, the programs they run and the datasets their DDs name."""
    modes = modes or {}
    jid = f"jcl:{job.name}"
    graph.add_node(jid, kind="job", name=job.name, file=job.file, line=job.line)
    for step in job.steps:
        sid = f"jcl:{job.name}:{step.name}"
        graph.add_node(sid, kind="step", name=step.name, job=job.name, program=step.program,
                       file=step.file, line=step.line, proc=step.proc, launcher=step.launcher)
        graph.add_edge(jid, sid, kind="contains", file=step.file, line=step.line)
        if step.program:
            pid = program_id(step.program)
            if pid not in graph:
                graph.add_node(pid, kind="program", name=step.program, external=True)
            graph.add_edge(sid, pid, kind="runs", file=step.file, line=step.line)
        for dd in step.dds:
            for kind in _dd_kinds(step, dd, access, modes):
                did = f"dataset:{dd.dsn}"
                if did not in graph:
                    graph.add_node(did, kind="dataset", name=dd.dsn)
                graph.add_edge(sid, did, kind=kind, file=dd.file, line=dd.line, dd=dd.name)


def build_graph(programs: Iterable[Program], jobs: Iterable[Job] = (),
                access=None) -> nx.MultiDiGraph:
    """The whole estate's graph, built in a canonical order."""
    programs = list(programs)
    graph = nx.MultiDiGraph()
    for program in sorted(programs, key=lambda p: (p.name, p.file)):
        add_program(graph, program)
    modes = open_modes(programs)
    for job in sorted(jobs, key=lambda j: (j.name, j.file)):
        add_job(graph, job, access or (lambda disp: ""), modes)
    _mark_external(graph)
    return graph


def _mark_external(graph: nx.MultiDiGraph) -> None:
    for _node, attrs in graph.nodes(data=True):
        attrs.setdefault("external", False)
        for key in ("file", "line", "end_line"):
            attrs.setdefault(key, "" if key == "file" else 0)


def callers(graph: nx.MultiDiGraph, node: str, kinds: Iterable[str] = PROGRAM_EDGES) -> list[str]:
    """Programs or steps that call, link, transfer to or run `node`."""
    wanted = set(kinds)
    found = set()
    for source, _target, data in graph.in_edges(node, data=True):
        if data.get("kind") in wanted:
            attrs = graph.nodes[source]
            owner = attrs.get("program") if attrs.get("kind") in ("paragraph", "section") else None
            found.add(program_id(owner) if owner else source)
    return sorted(found)


def program_calls(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """(caller program, edge kind, callee program) for every inter-program edge."""
    pairs = set()
    for source, target, data in graph.edges(data=True):
        if data.get("kind") not in PROGRAM_EDGES or data.get("dynamic"):
            continue
        attrs = graph.nodes[source]
        caller = attrs.get("program") if attrs.get("kind") in ("paragraph", "section") \
            else attrs.get("name")
        pairs.add((caller, data["kind"], graph.nodes[target].get("name", target)))
    return pairs
