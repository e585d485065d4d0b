"""Business processes across programs, seeded from entry points.

Seeds: JCL job steps (steps of one job that hand datasets to each other form one process),
and programs nothing CALLs or LINKs to (online programs reached only by XCTL or a
transaction, batch programs, mains). A process takes in everything its seeds CALL or LINK
(subroutines run inside it); an XCTL hands control to another process. A process too large
for one reading (or one model context) is split into parts by community detection over its
procedures, weighted by PERFORMs and shared data items, with a fixed seed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from .graph import out_edges, program_id
from .model import Job, Process, Program, Rule, content_digest

SUBROUTINE_EDGES = ("calls", "links")
MAX_RULES = 80  # about what one summary prompt can carry with its code excerpts
MAX_PROCEDURES = 60


def _pid(*parts: str) -> str:
    return "P-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]


def _subroutines(graph: nx.MultiDiGraph, programs: Iterable[str],
                 known: dict[str, list[str]] | None = None) -> list[str]:
    """Programs reached from `programs` through CALL and LINK, the seeds included. `known`
    keeps each program's direct callees across the processes of one estate."""
    known = {} if known is None else known
    seen: list[str] = []
    todo = list(programs)
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.append(name)
        if name not in known:
            known[name] = _callees(graph, name)
        todo.extend(known[name])
    return seen


def _callees(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """The programs one program calls or links to, in the order of its edges."""
    found = []
    nodes = graph._node  # node -> attributes, read directly (see graph.out_edges)
    for node in _procedure_nodes(graph, name) + [_node_of(graph, name)]:
        if node not in nodes:
            continue
        for target, data in out_edges(graph, node):
            attrs = nodes[target]
            if data.get("kind") not in SUBROUTINE_EDGES or attrs.get("external"):
                continue
            if attrs.get("kind") == "program":
                found.append(attrs["name"])
            elif attrs.get("kind") in ("method", "constructor") and attrs.get("program"):
                found.append(attrs["program"])  # a Java call runs in the callee's class
    return found


def _node_of(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of a COBOL program or a Java class."""
    cobol = program_id(name)
    return cobol if cobol in graph else program_id(name, "java")


def _procedure_nodes(graph: nx.MultiDiGraph, program: str) -> list[str]:
    pid = _node_of(graph, program)
    if pid not in graph:
        return []
    return [t for t, d in out_edges(graph, pid) if d.get("kind") == "contains"]


def _touched(graph: nx.MultiDiGraph, nodes: Iterable[str],
             dd_names: dict[str, str] | None = None,
             known: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, set[str]]:
    """Datasets, tables and screens the nodes read or write; DD names become the job's DSNs.
    `known` keeps each node's (kind, name) pairs across the processes of one estate."""
    dd_names = dd_names or {}
    known = {} if known is None else known
    found: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        if node not in known:
            known[node] = _touched_by(graph, node)
        for kind, name in known[node]:
            found[kind].add(dd_names.get(name, name) if kind == "dataset" else name)
    return found


def _touched_by(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, str]]:
    nodes = graph._node
    if node not in nodes:
        return []
    pairs = []
    for target, data in out_edges(graph, node):
        attrs = nodes[target]
        kind = attrs.get("kind")
        if data.get("kind") in ("reads", "writes", "sends", "receives") and kind in (
                "dataset", "table", "screen"):
            pairs.append((kind, attrs.get("name", target)))
    return pairs


def job_groups(job: Job) -> list[list[int]]:
    """Indexes of the job's steps, grouped where one step writes a dataset another reads."""
    group = list(range(len(job.steps)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    writers: dict[str, int] = {}
    for index, step in enumerate(job.steps):
        for dd in step.dds:
            if not dd.dsn:
                continue
            if dd.dsn in writers:
                group[root(index)] = root(writers[dd.dsn])
            writers.setdefault(dd.dsn, index)
    out: dict[int, list[int]] = defaultdict(list)
    for index in range(len(job.steps)):
        out[root(index)].append(index)
    return [members for _r, members in sorted(out.items())]


def _seeds(graph: nx.MultiDiGraph, programs: list[Program], jobs: list[Job]):
    """(entry id, kind, title, seed programs, extra nodes, DD name -> DSN) per entry point."""
    seeds = []
    run_by_jcl = set()
    for job in jobs:
        for members in job_groups(job):
            steps = [job.steps[i] for i in members]
            names = [s.program for s in steps if s.program]
            run_by_jcl.update(names)
            entry = f"jcl:{job.name}:{steps[0].name}"
            title = f"Job {job.name} " + ", ".join(f"{s.name} ({s.program or s.proc})"
                                                   for s in steps)
            seeds.append((entry, "job-step", title, names,
                          [f"jcl:{job.name}:{s.name}" for s in steps],
                          {dd.name: dd.dsn for s in steps for dd in s.dds if dd.dsn}))
    for program in programs:
        if program.language == "java":  # Java: classes holding entry points (main, servlets...)
            if program.entry_points:
                seeds.append((program_id(program.name, "java"), "java-entry",
                              f"Entry {program.name.rsplit('.', 1)[-1]} "
                              f"({', '.join(program.entry_points[:3])})", [program.name], [], {}))
            continue
        pid = program_id(program.name, program.language)
        called = any(d.get("kind") in SUBROUTINE_EDGES
                     for _s, _t, d in graph.in_edges(pid, data=True))
        if called or program.name in run_by_jcl:
            continue
        online = any(b.kind == "CICS" for b in program.exec_blocks)
        kind = "online" if online else "batch"
        seeds.append((pid, kind, f"{'Online' if online else 'Program'} {program.name}",
                      [program.name], [], {}))
    return seeds


def find_processes(graph: nx.MultiDiGraph, programs: list[Program], jobs: list[Job],
                   rules: list[Rule], memo=None,
                   program_keys: dict[str, tuple[str, ...]] | None = None,
                   jobs_key: str = "") -> list[Process]:
    """Every business process of the estate, split where too large. With `memo` (the build
    state) and `program_keys` (name -> digests of the facts and analysis of the programs of
    that name), the processes of an entry point whose programs and jobs are those of an earlier
    build are taken from the memo (`_seed_key`); else a split seen before is reused, known by
    its procedure graph or by its procedures and its programs' digests."""
    by_name = {p.name: p for p in programs}
    seeds = []
    callees: dict[str, list[str]] = {}  # worked out once per program, not once per process
    for seed in _seeds(graph, programs, jobs):
        members = [m for m in _subroutines(graph, seed[3], callees) if m in by_name]
        if members:  # only utilities (IDCAMS, SORT): the job page shows them, no business
            seeds.append((seed, members))
    jobs_digest = (jobs_key or content_digest(jobs)) if memo is not None else ""
    keys = [_seed_key(seed, members, program_keys, jobs_digest) if memo is not None else ""
            for seed, members in seeds]
    known = memo.recall(PROCESSES_MEMO, [k for k in keys if k]) if memo is not None else {}
    rules_by_program: dict[str, list[Rule]] | None = None
    touches: dict[str, list[tuple[str, str]]] = {}
    fresh: dict[str, list[Process]] = {}
    processes: list[Process] = []
    _SPLITS.clear()
    for ((entry, kind, title, _names, extra, dd_names), members), key in zip(seeds, keys,
                                                                            strict=True):
        found = known.get(key) if key else None
        if found is None:
            if rules_by_program is None:
                rules_by_program = defaultdict(list)
                for rule in rules:
                    rules_by_program[rule.program].append(rule)
            procedures = [p.id for m in members for p in by_name[m].procedures]
            member_rules = [r for m in members for r in rules_by_program[m]]
            touched = _touched(graph, procedures + [program_id(m) for m in members] + extra,
                               dd_names, touches)
            base = Process(
                id=_pid(entry), title=title, entry=entry, entry_kind=kind,
                programs=tuple(members), procedures=tuple(procedures),
                rules=tuple(r.id for r in member_rules),
                datasets=tuple(sorted(touched["dataset"])),
                tables=tuple(sorted(touched["table"])), screens=tuple(sorted(touched["screen"])),
            )
            found = _split(base, by_name, member_rules, memo, program_keys)
            if key:
                fresh[key] = found
        processes.extend(found)
    if fresh:
        memo.remember(PROCESSES_MEMO, fresh)
    return sorted(processes, key=lambda p: (p.title, p.id))


PROCESSES_MEMO = "processes"


def _seed_key(seed: tuple, members: list[str],
              program_keys: dict[str, tuple[str, ...]] | None, jobs_digest: str) -> str:
    """A digest of everything the processes of one entry point are made from, or '' when a
    program has no digest: the entry point (its title, seed programs, job steps and their DD
    names), the programs it reaches through CALL and LINK (read from the graph, so a call
    added or removed elsewhere changes them), and each of those programs' digest, which
    covers its procedures, rules and edges (what it reads and writes). A job's steps are
    given by the digest of all jobs with their DDs (`jobs_digest`, what a step reads and
    writes comes from them): jobs are few and change seldom, and it is worked out once."""
    if not program_keys or any(name not in program_keys for name in members):
        return ""
    from .state import code_key

    entry, kind, title, names, extra, dd_names = seed
    text = repr((code_key(), "process-v1", entry, kind, title, names, extra,
                 sorted(dd_names.items()), jobs_digest if extra else "",
                 [(name, program_keys[name]) for name in members]))
    return hashlib.sha256(text.encode()).hexdigest()


def _split(process: Process, by_name: dict[str, Program], rules: list[Rule],
           memo=None, program_keys: dict[str, tuple[str, ...]] | None = None) -> list[Process]:
    """The process itself when small enough, else its parts (the split is recorded)."""
    if len(process.rules) <= MAX_RULES and len(process.procedures) <= MAX_PROCEDURES:
        return [process]
    communities = _communities(process, by_name, rules, memo, program_keys)
    if communities is None:
        return [process]
    order = {node: i for i, node in enumerate(process.procedures)}
    parts = sorted((sorted(c, key=order.get) for c in communities), key=lambda c: order[c[0]])
    ids = _procedure_ids(by_name, process.programs)
    part_of = {proc: number for number, members in enumerate(parts, 1) for proc in members}
    rules_of: dict[int, list[str]] = defaultdict(list)
    for rule in rules:
        owner = ids.get((rule.program, rule.procedure))
        if owner in part_of:
            rules_of[part_of[owner]].append(rule.id)
    out = []
    for number, members in enumerate(parts, 1):
        part_rules = tuple(rules_of[number])
        first = members[0].rsplit(":", 1)[-1]
        out.append(Process(
            id=f"{process.id}-{number}", title=f"{process.title} — part {number}: {first}",
            entry=process.entry, entry_kind=process.entry_kind, programs=process.programs,
            procedures=tuple(members), rules=part_rules, datasets=process.datasets,
            tables=process.tables, screens=process.screens, parent=process.id, part=number,
            note=f"split {len(parts)} ways by community detection ({len(process.rules)} rules, "
                 f"{len(process.procedures)} procedures)",
        ))
    return out


_SPLITS: dict[tuple[str, ...], list] = {}


COMMUNITIES_MEMO = "communities"


def _communities(process: Process, by_name: dict[str, Program], rules: list[Rule], memo=None,
                 program_keys: dict[str, tuple[str, ...]] | None = None):
    """Louvain communities of the process's procedures; processes with the same programs
    (entries that reach the same code) share one computation within a run, and a split seen
    by an earlier build takes its communities from the memo (Louvain is seeded: the same
    graph, built in the same order, always gives the same communities).

    The procedure graph is made from the process's procedures in order and, for each of its
    programs, that program's procedures, PERFORMs and rules' data names: all of it fixed by
    the programs' facts and logicmine's code. So with `program_keys` the memo is asked by a
    digest of those, and the graph is built only when the split is not known."""
    key = (*process.programs, "|", str(len(rules)))
    if key not in _SPLITS:
        digest = _inputs_digest(process, program_keys) if memo else None
        known = memo.recall(COMMUNITIES_MEMO, [digest]).get(digest) if digest else None
        if known is None:
            weights = _procedure_graph(process, by_name, rules)
            if weights.number_of_nodes() < 2:
                _SPLITS[key] = None
                return None
            # a program changed (or has no digest): the graph may still be one seen before
            shape = _graph_digest(weights) if memo else ""
            known = memo.recall(COMMUNITIES_MEMO, [shape]).get(shape) if memo else None
            if known is None:
                known = [sorted(c) for c in nx.community.louvain_communities(
                    weights, weight="weight", seed=7, resolution=1.0)]
            if memo:
                memo.remember(COMMUNITIES_MEMO, {k: known for k in (digest, shape) if k})
        _SPLITS[key] = [set(c) for c in known] if known else None
    return _SPLITS[key]


def _inputs_digest(process: Process, program_keys: dict[str, tuple[str, ...]] | None) -> str:
    """A digest of everything the procedure graph is made from, or '' when a program of the
    process has no digest (then the graph itself is the key)."""
    if not program_keys or any(name not in program_keys for name in process.programs):
        return ""
    from .state import code_key

    text = repr((code_key(), "procedure-graph-inputs", process.procedures,
                 [(name, program_keys[name]) for name in process.programs]))
    return hashlib.sha256(text.encode()).hexdigest()


def _graph_digest(graph: nx.Graph) -> str:
    from .state import code_key

    text = repr((code_key(), list(graph.nodes), list(graph.edges(data="weight"))))
    return hashlib.sha256(text.encode()).hexdigest()


def _procedure_ids(by_name: dict[str, Program], names: Iterable[str]) -> dict[tuple[str, str], str]:
    """(program, procedure name) -> procedure node id, whatever the language's id scheme."""
    return {(p.program, p.name): p.id for n in names for p in by_name[n].procedures}


def _procedure_graph(process: Process, by_name: dict[str, Program],
                     rules: list[Rule]) -> nx.Graph:
    """Procedures joined by PERFORMs (weight 1) and by each data item they share (0.5)."""
    graph = nx.Graph()
    graph.add_nodes_from(process.procedures)
    ids = _procedure_ids(by_name, process.programs)
    uses: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        node = ids.get((rule.program, rule.procedure))
        for name in (*rule.inputs, *rule.outputs):
            if node:
                uses[f"{rule.program}:{name}"].add(node)
    for name in process.programs:
        program = by_name[name]
        for ref in program.references:
            if ref.kind in ("performs", "goes_to") and ref.target and ref.procedure:
                a, b = ids.get((name, ref.procedure)), ids.get((name, ref.target))
                if a in graph and b in graph and a != b:
                    _bump(graph, a, b, 1.0)
    for nodes in uses.values():
        ordered = sorted(n for n in nodes if n in graph)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                _bump(graph, a, b, 0.5)
    return graph


def _bump(graph: nx.Graph, a: str, b: str, weight: float) -> None:
    if graph.has_edge(a, b):
        graph[a][b]["weight"] += weight
    else:
        graph.add_edge(a, b, weight=weight)
