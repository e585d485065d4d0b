"""Source pages: each physical line highlighted by pygments' lexers, with an anchor per line."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from html import escape

from markupsafe import Markup
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import CobolLexer, JavaLexer, JclLexer
from pygments.styles import get_style_by_name
from pygments.token import (
    STANDARD_TYPES,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from logicmine.model import Estate
from logicmine.render.context import Link, SourcePage
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
# Left without a span (the default text colour): the bulk of tokens, so pages stay small.
# Numbers too (`ttype in Number`): the style draws them like operators, and COBOL's lexer takes
# the digits that start a level number or a paragraph name (1230-EDIT-EXIT) for one.
_PLAIN = frozenset({Text, Whitespace, Name, Name.Variable, Punctuation, Text.Whitespace, Operator})
_STYLE = "default"


def _same_looking() -> dict[str, str]:
    """Pygments' short class -> the one class used for its look ('' for no look of its own).

    Token types the style draws alike share a class, so neighbouring tokens merge into one
    span; the shortest class name of each look is kept, and pygments.css defines them all.
    """
    style = get_style_by_name(_STYLE)
    first: dict[tuple, str] = {}
    classes: dict[str, str] = {}
    for ttype, cls in sorted(STANDARD_TYPES.items(), key=lambda kv: (len(kv[1]), kv[1])):
        if cls:
            look = tuple(sorted((k, v) for k, v in style.style_for_token(ttype).items() if v))
            classes[cls] = first.setdefault(look, cls) if look else ""
    return classes


_CLASS = _same_looking()
# Trailing blanks show nothing and were a tenth of the listings' bytes: dropped, except in a
# string (a COBOL literal may go on to the next line with its blanks).
_KEEPS_BLANKS = frozenset(_CLASS[c] for t, c in STANDARD_TYPES.items() if t in String) - {""}


def pygments_css() -> str:
    """Token colours for the `.highlight` code blocks."""
    return HtmlFormatter(style=_STYLE).get_style_defs(".highlight") + "\n"


def split_lines(text: str) -> list[str]:
    """Physical lines as the front ends number them ('\\n', '\\r\\n' or '\\r' end a line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return []
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


@lru_cache(maxsize=512)
def _css_class(ttype: _TokenType) -> str:
    """Pygments' short class of a token type; '' for the plain ones (names, text, punctuation)."""
    if ttype in _PLAIN or ttype in Number:
        return ""
    while ttype not in STANDARD_TYPES and ttype.parent is not None:
        ttype = ttype.parent
    return _CLASS.get(STANDARD_TYPES.get(ttype, ""), "")


def highlight_lines(text: str, kind: str) -> list[str]:
    """One self-contained HTML fragment per physical line (every span closed on its line).

    One lexer pass over the whole file (so multi-line tokens are right), then the tokens are
    cut at newlines and wrapped in pygments' short classes; plain tokens get no span at all.
    """
    lines = [line.translate(_CONTROLS) for line in split_lines(text)]
    if not lines:
        return []
    lexer_class = _LEXERS.get(kind)
    if lexer_class is None:
        return [escape(line.rstrip(), quote=False) for line in lines]
    lexer = lexer_class(stripnl=False, ensurenl=True)
    html: list[str] = []
    runs: list[list[str]] = []  # [class, text]: neighbours of one class merge, across blanks
    for ttype, value in lexer.get_tokens("\n".join(lines) + "\n"):
        cls = _css_class(ttype)
        for i, piece in enumerate(value.split("\n")):
            if i:
                html.append(_join(runs))
                runs = []
            if piece:
                _add_run(runs, "" if piece.isspace() else cls, piece)
    if runs:
        html.append(_join(runs))
    if len(html) != len(lines):  # never seen; keep numbering right rather than colours
        log.warning("highlighting changed the line count; showing plain text")
        return [escape(line.rstrip(), quote=False) for line in lines]
    return html


def _add_run(runs: list[list[str]], cls: str, text: str) -> None:
    """Append text, merging it into the last run of its class when only blanks lie between."""
    if runs and runs[-1][0] == cls:
        runs[-1][1] += text
    elif cls and len(runs) > 1 and runs[-1][1].isspace() and runs[-2][0] == cls:
        blank = runs.pop()
        runs[-1][1] += blank[1] + text
    else:
        runs.append([cls, text])


def _join(runs: list[list[str]]) -> str:
    while runs and runs[-1][0] not in _KEEPS_BLANKS and runs[-1][1][-1:].isspace():
        runs[-1][1] = runs[-1][1].rstrip()
        if not runs[-1][1]:
            runs.pop()
    return "".join(
        f"<span class={cls}>{escape(text, quote=False)}</span>"
        if cls
        else escape(text, quote=False)
        for cls, text in runs
    )


def source_block(lines: list[str], ranges: set[str]) -> Markup:
    """The whole listing: one `code > span#Ln` per line, range markers on their first line."""
    starts: dict[int, list[str]] = {}
    for fragment in sorted(ranges):
        starts.setdefault(int(fragment[1:].split("-")[0]), []).append(fragment)
    out = []
    for number, html in enumerate(lines, start=1):
        marks = "".join(
            f"<span class=range-anchor id={r}></span>" for r in starts.get(number, ())
        )
        out.append(f"<span id=L{number}>{marks}{html}\n</span>")
    return Markup("".join(out))


def read_sources(paths: list[str], read: Callable[[str], str]) -> dict[str, str]:
    """Text of every readable source; unreadable ones are logged and get no page."""
    texts = {}
    for path in sorted(set(paths)):
        text = read_text(read, path)
        if text is not None:
            texts[path] = text
    return texts


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


def source_inputs(linker: Linker, path: str, lines_key: str, kind: str,
                  users: list[tuple[str, str]], title: str) -> tuple:
    """Everything build_source's page depends on, with the highlighted lines named by the key
    of the text they come from: a source page can be found unchanged without its lines."""
    here = linker.sources[path]
    links = tuple(
        linker.program(here, name) if what == "program" else linker.job(here, name)
        for what, name in users
    )
    return (title, path, here, lines_key, kind, sorted(linker.ranges.get(path, ())),
            _labelled(users, links))


def build_source(
    linker: Linker,
    path: str,
    lines: list[str],
    kind: str,
    users: list[tuple[str, str]],
    title: str,
) -> SourcePage:
    """Context of one source/<path>.html from its highlighted lines."""
    here = linker.sources[path]
    links = tuple(
        linker.program(here, name) if what == "program" else linker.job(here, name)
        for what, name in users
    )
    return SourcePage(
        frame(title, path, here),
        path,
        kind,
        len(lines),
        source_block(lines, linker.ranges.get(path, set())),
        _labelled(users, links),
    )


def _labelled(users: list[tuple[str, str]], links: tuple[Link, ...]) -> tuple[Link, ...]:
    return tuple(
        Link(f"{what} {link.text}", link.href) for (what, _), link in zip(users, links, strict=True)
    )
