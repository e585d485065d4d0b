"""Page contexts for the overview, the diagnostics list and the JCL job pages."""

from __future__ import annotations

from collections import defaultdict

from logicmine.model import Diagnostic, Job, JobStep
from logicmine.render.context import (
    DDView,
    DiagnosticRow,
    DiagnosticsPage,
    DiagramView,
    Frame,
    JobPage,
    Link,
    StepView,
)
from logicmine.render.diagrams import job_flow
from logicmine.render.links import Linker, unique_anchors
from logicmine.render.lookup import Lookup

INDEX = "index.html"
DIAGNOSTICS = "diagnostics.html"
INDEX_DIAGNOSTICS = 20  # the overview shows this many; diagnostics.html shows all
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def frame(title: str, page_title: str, here: str, toc: tuple[Link, ...] = ()) -> Frame:
    """The base template's values for the page at `here`."""
    return Frame(title, page_title, "../" * here.count("/"), toc)


def build_diagnostics(look: Lookup, linker: Linker, title: str) -> DiagnosticsPage:
    """Context of diagnostics.html."""
    rows = diagnostic_rows(linker, DIAGNOSTICS, look.estate.diagnostics)
    return DiagnosticsPage(frame(title, "Diagnostics", DIAGNOSTICS), rows)


def build_job(look: Lookup, linker: Linker, job: Job, title: str) -> JobPage:
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
    toc = (Link("Diagram", "#diagram"), Link("Steps", "#steps"), Link("Datasets", "#datasets"))
    diagram = job_flow(look, linker, here, job)
    return JobPage(
        frame=frame(title, f"Job {job.name}", here, toc),
        name=job.name,
        file=linker.cite(here, job.file, job.line, job.line),
        steps=steps,
        datasets=tuple((dsn, tuple(uses)) for dsn, uses in sorted(datasets.items())),
        diagram=DiagramView(diagram, "" if diagram else "This job has no steps to draw."),
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


def diagnostic_rows(
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
