"""Source pages: each physical line highlighted by pygments, with an anchor per line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import CobolLexer, JavaLexer, JclLexer, TextLexer

from logicmine.model import Estate
from logicmine.render.context import Link, SourceLine, SourcePage
from logicmine.render.links import Linker
from logicmine.render.views import frame

log = logging.getLogger("logicmine.render")

_LEXERS: dict[str, type[Lexer]] = {
    "cobol": CobolLexer,
    "copybook": CobolLexer,
    "jcl": JclLexer,
    "java": JavaLexer,
}
# C0 controls other than tab and newline would break XML tools and hide in a browser:
# show them as their Unicode control pictures instead (one character each, columns kept).
_CONTROLS = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {0x7F: 0x2421}
_READ_ERRORS = (OSError, UnicodeError, LookupError, ValueError)


def pygments_css() -> str:
    """Token colours for the `.highlight` code tables."""
    return HtmlFormatter(style="default").get_style_defs(".highlight") + "\n"


def split_lines(text: str) -> list[str]:
    """Physical lines as the front ends number them ('\\n', '\\r\\n' or '\\r' end a line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return []
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def highlight_lines(text: str, kind: str) -> list[str]:
    """One self-contained HTML fragment per physical line (every span closed on its line)."""
    lines = [line.translate(_CONTROLS) for line in split_lines(text)]
    if not lines:
        return []
    lexer = _LEXERS.get(kind, TextLexer)(stripnl=False, ensurenl=True)
    html = highlight("\n".join(lines) + "\n", lexer, HtmlFormatter(nowrap=True)).split("\n")
    if html and html[-1] == "":
        html.pop()
    if len(html) != len(lines):  # never seen; keep numbering right rather than colours
        log.warning("highlighting changed the line count; showing plain text")
        return [escape(line) for line in lines]
    return html


def read_sources(paths: list[str], read: Callable[[str], str]) -> dict[str, int]:
    """Line count of every readable source; unreadable ones are logged and get no page."""
    counts = {}
    for path in sorted(set(paths)):
        text = read_text(read, path)
        if text is not None:
            counts[path] = len(split_lines(text))
    return counts


def read_text(read: Callable[[str], str], path: str) -> str | None:
    """The text of a source, or None (logged) when it cannot be read."""
    try:
        return read(path)
    except _READ_ERRORS as exc:
        log.warning("cannot read %s for its source page: %s", path, exc)
        return None


def referenced_files(estate: Estate) -> list[str]:
    """Every file a program, job, rule, summary or diagnostic points at, plus known sources."""
    files = {s.path for s in estate.sources if s.kind in ("cobol", "copybook", "jcl", "bms")}
    for program in estate.programs:
        files.add(program.file)
        files.update(p.file for p in program.procedures)
        files.update(d.file for d in program.data_items)
        files.update(r.file for r in program.references)
        files.update(b.file for b in program.exec_blocks)
        files.update(c.file for c in program.copybooks)
        files.update(c.resolved for c in program.copybooks if c.resolved)
    for job in estate.jobs:
        files.add(job.file)
        for step in job.steps:
            files.add(step.file)
            files.update(dd.file for dd in step.dds)
    files.update(rule.file for rule in estate.rules)
    for summary in estate.summaries:
        files.update(span.file for claim in summary.claims for span in claim.citations)
    files.update(d.file for d in estate.diagnostics if d.line)
    return sorted(f for f in files if f)


def kinds_by_path(estate: Estate) -> dict[str, str]:
    """File kind per path: from discovery, else guessed from what refers to it."""
    kinds: dict[str, str] = {s.path: s.kind for s in estate.sources}
    for program in estate.programs:
        kinds.setdefault(program.file, "cobol")
        for use in program.copybooks:
            if use.resolved:
                kinds.setdefault(use.resolved, "copybook")
    for job in estate.jobs:
        kinds.setdefault(job.file, "jcl")
    return kinds


def used_by(estate: Estate) -> dict[str, list[tuple[str, str]]]:
    """Per path: ('program' | 'job', name) of what is defined in or includes that file."""
    users: dict[str, set[tuple[str, str]]] = {}
    for program in estate.programs:
        users.setdefault(program.file, set()).add(("program", program.name))
        for use in program.copybooks:
            if use.resolved:
                users.setdefault(use.resolved, set()).add(("program", program.name))
    for job in estate.jobs:
        users.setdefault(job.file, set()).add(("job", job.name))
    return {path: sorted(names) for path, names in users.items()}


def build_source(
    linker: Linker, path: str, text: str, kind: str, users: list[tuple[str, str]], title: str
) -> SourcePage:
    """Context of one source/<path>.html."""
    here = linker.sources[path]
    starts: dict[int, list[str]] = {}
    for fragment in sorted(linker.ranges.get(path, ())):
        starts.setdefault(int(fragment[1:].split("-")[0]), []).append(fragment)
    lines = tuple(
        SourceLine(number, html, tuple(starts.get(number, ())))
        for number, html in enumerate(highlight_lines(text, kind), start=1)
    )
    links = tuple(
        linker.program(here, name) if what == "program" else linker.job(here, name)
        for what, name in users
    )
    return SourcePage(frame(title, path, here), path, kind, lines, _labelled(users, links))


def _labelled(users: list[tuple[str, str]], links: tuple[Link, ...]) -> tuple[Link, ...]:
    return tuple(
        Link(f"{what} {link.text}", link.href) for (what, _), link in zip(users, links, strict=True)
    )
