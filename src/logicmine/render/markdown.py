"""Markdown exports: one document per program plus an index, rules cited as `file:start-end`."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from logicmine.model import Claim, Cluster, Job, Program, Rule, Span, Summary
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup, fidelity_text

MARKDOWN_INDEX = "markdown/index.md"
_CODE_SPAN = re.compile(r"`([^`]+)`")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True, slots=True)
class ClusterDoc:
    """A cluster and its summary."""

    cluster: Cluster
    summary: Summary | None


@dataclass(frozen=True, slots=True)
class ProgramDoc:
    """markdown/programs/<PROG>.md."""

    site_title: str
    program: Program
    fidelity: str
    summary: Summary | None
    clusters: tuple[ClusterDoc, ...]
    rules: tuple[tuple[Rule, Summary | None], ...]


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """markdown/index.md."""

    site_title: str
    fidelity_note: str
    programs: tuple[
        tuple[Program, str, Summary | None, int], ...
    ]  # (program, link, summary, rules)
    jobs: tuple[Job, ...]


def code(text: object) -> str:
    """A Markdown code span holding `text` verbatim (fence longer than any backtick run inside)."""
    value = " ".join(str(text).split())
    if not value:
        return "` `" if str(text) else ""
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def prose(text: object) -> str:
    """Inline Markdown from prose: `code` spans kept verbatim, other markup characters escaped."""
    value = " ".join(str(text).split())
    pieces, position = [], 0
    for match in _CODE_SPAN.finditer(value):
        pieces.append(_escape(value[position : match.start()]))
        pieces.append(code(match.group(1)))
        position = match.end()
    pieces.append(_escape(value[position:]))
    return _LINE_START.sub(r"\\\1", "".join(pieces), count=1)


def _escape(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def environment() -> Environment:
    """Jinja environment for Markdown: no HTML escaping, strict about missing values."""
    env = Environment(
        loader=PackageLoader("logicmine", "render/templates"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code"] = code
    env.filters["md"] = prose
    env.filters["cite"] = cite
    env.filters["codes"] = codes
    env.filters["claim"] = claim
    env.filters["steps"] = steps
    return env


def cite(span: Span) -> str:
    """`file:start-end` in a code span (an end before the start is read as a one-line span)."""
    return code(Span(span.file, span.line, max(span.line, span.end_line)).cite())


def codes(items: object, sep: str = ", ") -> str:
    """Code spans joined, e.g. `A`, `B`."""
    return sep.join(code(item) for item in items)  # type: ignore[attr-defined]


def claim(item: Claim) -> str:
    """A claim's prose followed by its citations in code spans."""
    cites = ", ".join(cite(span) for span in item.citations)
    return f"{prose(item.text)} ({cites})" if cites else prose(item.text)


def steps(job: Job) -> str:
    """A job's steps as `STEP` runs `PROG`; ..."""
    parts = [f"{code(s.name)} runs {code(s.program)}" for s in job.steps]
    return "; ".join(parts) or "no steps"


def build_program_doc(look: Lookup, program: Program, title: str) -> ProgramDoc:
    """Context of one program's Markdown document."""
    clusters = tuple(ClusterDoc(c, look.summary(c.id)) for c in look.clusters.get(program.name, []))
    rules = tuple((r, look.summary(r.id)) for r in look.rules.get(program.name, []))
    return ProgramDoc(
        site_title=title,
        program=program,
        fidelity=fidelity_text(program.fidelity),
        summary=look.program_summary(program.name),
        clusters=clusters,
        rules=rules,
    )


def build_index_doc(look: Lookup, linker: Linker, title: str, note: str) -> IndexDoc:
    """Context of markdown/index.md."""
    base = posixpath.dirname(MARKDOWN_INDEX)
    programs = tuple(
        (
            p,
            posixpath.relpath(linker.markdown[p.name], base),
            look.program_summary(p.name),
            len(look.rules.get(p.name, ())),
        )
        for p in look.programs()
    )
    jobs = tuple(sorted(look.estate.jobs, key=lambda j: (j.name, j.file)))
    return IndexDoc(title, note, programs, jobs)
