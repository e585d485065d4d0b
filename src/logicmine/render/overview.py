"""The estate overview (index.html): counts, program map, processes, programs, smells, jobs..."""

from __future__ import annotations

from collections import Counter, defaultdict

from logicmine.model import Diagnostic, Fidelity, Job, Program, SourceFile
from logicmine.render.context import (
    DiagramView,
    EntryRow,
    InventoryRow,
    JobRow,
    Link,
    ProgramRow,
)
from logicmine.render.diagrams import estate_map
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import (
    Lookup,
    claim_views,
    edge_where,
    fidelity_text,
    line_count,
    parts,
)
from logicmine.render.pages import IndexPage, TransactionRow
from logicmine.render.process_lists import process_groups
from logicmine.render.review_marks import REVIEW_STATES, STATE_LABELS, Marks
from logicmine.render.smells_view import smell_counts
from logicmine.render.views import INDEX, INDEX_DIAGNOSTICS, diagnostic_rows, frame

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
INDEX_SECTIONS = (
    ("Counts", "counts"),
    ("Program map", "map"),
    ("Processes", "processes"),
    ("Programs", "programs"),
    ("Logic smells", "smells"),
    ("Entry points", "entry-points"),
    ("Jobs", "jobs"),
    ("Transactions", "transactions"),
    ("Copybooks", "copybooks"),
    ("Screens", "screens"),
    ("Diagnostics", "diagnostics"),
)


def build_index(
    look: Lookup,
    linker: Linker,
    marks: Marks,
    title: str,
    note: str,
    changes: tuple[int, int, int] | None = None,
) -> IndexPage:
    """Context of index.html; `changes` counts rules added, removed and changed, when known."""
    here = INDEX
    diagnostics = diagnostic_rows(linker, here, look.estate.diagnostics)
    diagram, alone = estate_map(look, linker, here)
    return IndexPage(
        frame=frame(title, "Overview", here, tuple(Link(t, f"#{i}") for t, i in INDEX_SECTIONS)),
        fidelity_note=note,
        claims=claim_views(linker, here, look.summary("estate")),
        fidelity=fidelity_text(_total_fidelity(look.programs())),
        counts=_counts(look),
        review_totals=_review_totals(look, marks),
        diagram=DiagramView(
            diagram, "" if diagram else "No program calls, links to or transfers to another."
        ),
        alone=tuple(linker.program(here, name) for name in alone),
        processes=process_groups(look, linker, marks, here),
        process_count=_process_count(look),
        smells=smell_counts(look),
        changes=changes,
        programs=tuple(_program_row(look, linker, here, p) for p in look.programs()),
        jobs=tuple(_job_row(linker, here, job) for job in sorted(look.estate.jobs, key=_job_key)),
        transactions=_transactions(look, linker, here),
        entries=_entries(look, linker, here),
        diagnostic_counts=_diagnostic_counts(look.estate.diagnostics),
        diagnostics=diagnostics[:INDEX_DIAGNOSTICS],
        diagnostics_total=len(diagnostics),
        copybooks=_inventory(look, linker, here, "copybook"),
        screens=_inventory(look, linker, here, "bms"),
    )


def _job_key(job: Job) -> tuple[str, str]:
    return (job.name, job.file)


def _total_fidelity(programs: list[Program]) -> Fidelity:
    return Fidelity(
        code_lines=sum(p.fidelity.code_lines for p in programs),
        unrecovered_lines=sum(p.fidelity.unrecovered_lines for p in programs),
    )


def _review_totals(look: Lookup, marks: Marks) -> tuple[tuple[str, str, int], ...]:
    counts = Counter(marks.rule_state(rule) for rule in look.estate.rules)
    return tuple((state, STATE_LABELS[state], counts[state]) for state in REVIEW_STATES)


def _transactions(look: Lookup, linker: Linker, here: str) -> tuple[TransactionRow, ...]:
    """Transaction nodes and the programs whose statements start or return to them."""
    rows = []
    for node, attrs in sorted(look.graph.nodes(data=True), key=lambda n: str(n[0])):
        if attrs.get("kind") != "transaction":
            continue
        edges = look.in_edges(node, None)
        owners: dict[str, Link] = {}
        for src, _, _ in edges:
            src_attrs = look.graph.nodes[src]
            owner = str(src_attrs.get("program") or src_attrs.get("name") or src)
            owners.setdefault(owner, linker.program(here, owner))
        rows.append(
            TransactionRow(
                str(attrs.get("name") or node.split(":", 1)[-1]),
                tuple(owners[k] for k in sorted(owners)),
                edge_where(linker, here, edges),
            )
        )
    return tuple(rows)


def _counts(look: Lookup) -> tuple[tuple[str, int], ...]:
    estate = look.estate
    kinds = Counter(source.kind for source in estate.sources)
    programs = look.programs()
    counts = (
        ("Source files", len(estate.sources)),
        ("COBOL sources", kinds["cobol"]),
        ("Copybooks", kinds["copybook"]),
        ("JCL members", kinds["jcl"]),
        ("BMS maps", kinds["bms"]),
        ("Programs", sum(1 for p in programs if p.language != "java")),
        ("Classes", sum(1 for p in programs if p.language == "java")),
        ("Paragraphs and sections", sum(len(p.procedures) for p in programs)),
        ("Data items", sum(len(p.data_items) for p in programs)),
        ("Jobs", len(estate.jobs)),
        ("Job steps", sum(len(j.steps) for j in estate.jobs)),
        ("Rules", len(estate.rules)),
        ("Processes", _process_count(look)),
        ("Program steps", len(estate.clusters)),
        ("Logic smells", len(estate.smells)),
        ("Diagnostics", len(estate.diagnostics)),
    )
    return tuple(c for c in counts if c != ("Classes", 0))  # no Java: no class count


def _process_count(look: Lookup) -> int:
    """Processes as a reader counts them: a split process once."""
    return len({p.parent or p.id for p in look.processes})


def _program_row(look: Lookup, linker: Linker, here: str, program: Program) -> ProgramRow:
    summary = look.program_summary(program.name)
    purpose = parts(summary.claims[0].text) if summary and summary.claims else ()
    return ProgramRow(
        name=linker.program(here, program.name),
        file=linker.source(here, program.file),
        lines=line_count(program),
        procedures=len(program.procedures),
        rules=len(look.rules.get(program.name, ())),
        fidelity=fidelity_text(program.fidelity),
        purpose=purpose,
    )


def _job_row(linker: Linker, here: str, job: Job) -> JobRow:
    steps = tuple(
        (
            Link(step.name, linker.job(here, job.name, anchor("step", step.name)).href),
            linker.program(here, step.program),
        )
        for step in job.steps
    )
    return JobRow(linker.job(here, job.name), linker.source(here, job.file), steps)


def _entries(look: Lookup, linker: Linker, here: str) -> tuple[EntryRow, ...]:
    """Programs no other program calls, links to or transfers to."""
    rows = []
    for program in look.programs():
        node = look.program_node(program.name)
        incoming = [e for e in look.in_edges(node, ("calls", "links", "xctls")) if e[0] != node]
        if incoming:
            continue
        starters = [e for e in look.in_edges(node, None) if e[1] != "contains"]
        started = {src: linker.node(here, src) for src, _, _ in starters}
        rows.append(EntryRow(linker.program(here, program.name), tuple(started.values())))
    return tuple(rows)


def _diagnostic_counts(diagnostics: tuple[Diagnostic, ...]) -> tuple[tuple[str, str, int], ...]:
    counts = Counter((d.code, d.severity) for d in diagnostics)
    order = sorted(counts.items(), key=lambda kv: (_SEVERITY_RANK.get(kv[0][1], 9), -kv[1], kv[0]))
    return tuple((code, severity, n) for (code, severity), n in order)


def _inventory(look: Lookup, linker: Linker, here: str, kind: str) -> tuple[InventoryRow, ...]:
    """Copybook or BMS sources with what they define and who uses them."""
    sources: list[SourceFile] = sorted(
        (s for s in look.estate.sources if s.kind == kind), key=lambda s: s.path
    )
    users = _copybook_users(look) if kind == "copybook" else _screen_users(look)
    return tuple(
        InventoryRow(
            file=linker.source(here, s.path),
            lines=s.line_count,
            defines=tuple(sorted(users[s.path][0])),
            used_by=tuple(linker.program(here, p) for p in sorted(users[s.path][1])),
        )
        for s in sources
    )


def _copybook_users(look: Lookup) -> dict[str, tuple[set[str], set[str]]]:
    users: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for program in look.programs():
        for use in program.copybooks:
            if use.resolved:
                users[use.resolved][0].add(use.member)
                users[use.resolved][1].add(program.name)
    return users


def _screen_users(look: Lookup) -> dict[str, tuple[set[str], set[str]]]:
    """Maps defined per BMS file (screen nodes' `file`) and the programs that use them."""
    users: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    graph = look.graph
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") != "screen" or not attrs.get("file"):
            continue
        path = str(attrs["file"])
        users[path][0].add(str(attrs.get("name") or node.split(":", 1)[-1]))
        for src in graph.predecessors(node):
            src_attrs = graph.nodes[src]
            owner = src_attrs.get("program") or (
                src_attrs.get("name") if src_attrs.get("kind") == "program" else ""
            )
            if owner:
                users[path][1].add(str(owner))
    return users
