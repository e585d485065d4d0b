"""Page contexts for the overview, the diagnostics list and the JCL job pages."""

from __future__ import annotations

from collections import Counter, defaultdict

from logicmine.model import Diagnostic, Job, JobStep, Program, SourceFile
from logicmine.render.context import (
    DDView,
    DiagnosticRow,
    DiagnosticsPage,
    EntryRow,
    Frame,
    IndexPage,
    InventoryRow,
    JobPage,
    JobRow,
    Link,
    ProgramRow,
    StepView,
)
from logicmine.render.links import Linker, anchor, unique_anchors
from logicmine.render.lookup import Lookup, fidelity_text, line_count, parts

INDEX = "index.html"
DIAGNOSTICS = "diagnostics.html"
INDEX_DIAGNOSTICS = 20  # the overview shows this many; diagnostics.html shows all
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def frame(title: str, page_title: str, here: str, toc: tuple[Link, ...] = ()) -> Frame:
    """The base template's values for the page at `here`."""
    return Frame(title, page_title, "../" * here.count("/"), toc)


def build_index(look: Lookup, linker: Linker, title: str, note: str) -> IndexPage:
    """Context of index.html."""
    here = INDEX
    diagnostics = _diagnostic_rows(linker, here, look.estate.diagnostics)
    toc = tuple(Link(t, f"#{i}") for t, i in _INDEX_SECTIONS)
    return IndexPage(
        frame=frame(title, "Overview", here, toc),
        fidelity_note=note,
        counts=_counts(look),
        programs=tuple(_program_row(look, linker, here, p) for p in look.programs()),
        jobs=tuple(_job_row(linker, here, job) for job in sorted(look.estate.jobs, key=_job_key)),
        entries=_entries(look, linker, here),
        diagnostic_counts=_diagnostic_counts(look.estate.diagnostics),
        diagnostics=diagnostics[:INDEX_DIAGNOSTICS],
        diagnostics_total=len(diagnostics),
        copybooks=_inventory(look, linker, here, "copybook"),
        screens=_inventory(look, linker, here, "bms"),
    )


_INDEX_SECTIONS = (
    ("Counts", "counts"),
    ("Programs", "programs"),
    ("Entry points", "entry-points"),
    ("Jobs", "jobs"),
    ("Copybooks", "copybooks"),
    ("Screens", "screens"),
    ("Diagnostics", "diagnostics"),
)


def build_diagnostics(look: Lookup, linker: Linker, title: str) -> DiagnosticsPage:
    """Context of diagnostics.html."""
    rows = _diagnostic_rows(linker, DIAGNOSTICS, look.estate.diagnostics)
    return DiagnosticsPage(frame(title, "Diagnostics", DIAGNOSTICS), rows)


def build_job(linker: Linker, job: Job, title: str) -> JobPage:
    """Context of one jobs/<JOB>.html."""
    here = linker.jobs[job.name]
    anchors = unique_anchors("step", [step.name for step in job.steps])
    steps = tuple(
        _step_view(linker, here, step, ident)
        for step, ident in zip(job.steps, anchors, strict=True)
    )
    datasets: dict[str, list[str]] = defaultdict(list)
    for step in job.steps:
        for dd in step.dds:
            if dd.dsn:
                datasets[dd.dsn].append(f"{step.name}.{dd.name} {dd.disp}".strip())
    toc = (Link("Steps", "#steps"), Link("Datasets", "#datasets"))
    return JobPage(
        frame=frame(title, f"Job {job.name}", here, toc),
        name=job.name,
        file=linker.cite(here, job.file, job.line, job.line),
        steps=steps,
        datasets=tuple((dsn, tuple(uses)) for dsn, uses in sorted(datasets.items())),
    )


def _step_view(linker: Linker, here: str, step: JobStep, ident: str) -> StepView:
    dds = tuple(
        DDView(dd.name, dd.dsn, dd.disp, linker.cite(here, dd.file, dd.line, dd.line))
        for dd in step.dds
    )
    return StepView(
        name=step.name,
        anchor=ident,
        program=linker.program(here, step.program),
        proc=step.proc,
        launcher=step.launcher,
        cite=linker.cite(here, step.file, step.line, step.line),
        dds=dds,
    )


def _job_key(job: Job) -> tuple[str, str]:
    return (job.name, job.file)


def _counts(look: Lookup) -> tuple[tuple[str, int], ...]:
    estate = look.estate
    kinds = Counter(source.kind for source in estate.sources)
    programs = look.programs()
    return (
        ("Source files", len(estate.sources)),
        ("COBOL sources", kinds["cobol"]),
        ("Copybooks", kinds["copybook"]),
        ("JCL members", kinds["jcl"]),
        ("BMS maps", kinds["bms"]),
        ("Programs", len(programs)),
        ("Paragraphs and sections", sum(len(p.procedures) for p in programs)),
        ("Data items", sum(len(p.data_items) for p in programs)),
        ("Jobs", len(estate.jobs)),
        ("Job steps", sum(len(j.steps) for j in estate.jobs)),
        ("Rules", len(estate.rules)),
        ("Clusters", len(estate.clusters)),
        ("Diagnostics", len(estate.diagnostics)),
    )


def _program_row(look: Lookup, linker: Linker, here: str, program: Program) -> ProgramRow:
    summary = look.summary(f"cobol:{program.name}")
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
        node = f"cobol:{program.name}"
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


def _diagnostic_rows(
    linker: Linker, here: str, diagnostics: tuple[Diagnostic, ...]
) -> tuple[DiagnosticRow, ...]:
    ordered = sorted(
        diagnostics, key=lambda d: (_SEVERITY_RANK.get(d.severity, 9), d.file, d.line, d.code)
    )
    return tuple(
        DiagnosticRow(
            where=linker.cite(here, d.file, d.line, d.line)
            if d.line
            else linker.source(here, d.file),
            severity=d.severity,
            code=d.code,
            message=d.message,
        )
        for d in ordered
    )


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
