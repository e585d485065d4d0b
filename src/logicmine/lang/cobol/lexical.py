"""Physical COBOL lines to logical code lines: format, comments, continuation, directives.

Columns follow the reference format: in fixed format 1-6 are the sequence area, 7 the indicator,
8-72 the program text and 73-80 the identification area (dropped, as compilers do). Free format
keeps the whole line. Tabs are expanded to stops of 8 columns before any column is counted (as
GnuCOBOL does); a line holding a tab is not cut at column 72, because where its text lands depends
on the author's editor, and code pushed past column 72 is far likelier than a sequence area there.
A continued literal (`-` in column 7) keeps the spaces up to column 72 of the line it continues,
and the merged text goes on that first line; the continuation line becomes empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

FIXED, FREE, VARIABLE = "fixed", "free", "variable"
TAB_SIZE = 8
CODE_WIDTH = 65  # columns 8-72

# A literal (doubled quotes included, possibly left open at the end of the line) or a `*>`.
_LIT_OR_FLOAT = re.compile(r"\"(?:[^\"]|\"\")*\"?|'(?:[^']|'')*'?|\*>")
_LITERAL = re.compile(r"\"(?:[^\"]|\"\")*(\"?)|'(?:[^']|'')*('?)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DEBUGGING = re.compile(r"WITH\s+DEBUGGING\s+MODE", re.I)
_SOURCE_DIRECTIVE = re.compile(
    r"(?:>>\s*SOURCE(?:\s+FORMAT)?(?:\s+IS)?|SOURCEFORMAT\s*[(\"']?)\s*(FREE|FIXED|VARIABLE)", re.I
)
# Listing-control statements (EJECT, SKIP1-3, TITLE) direct the compiler listing only.
_LISTING = re.compile(r"\s*(?:(?:EJECT|SKIP[123])\s*\.?\s*$|TITLE\s+[\"'])", re.I)
_SPECIAL = (">>", "*>", "$", "EJECT", "SKIP", "TITLE", "CBL", "PROCESS")
_OPTIONS_LINE = re.compile(r"\s*(?:CBL|PROCESS)(?:\s|$)", re.I)
# Signals that a file is plainly not card-image: headers or level numbers inside columns 1-7.
_FREE_HEADER = re.compile(
    r"^ {0,6}(?:(?:IDENTIFICATION|ID|ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION|PROGRAM-ID\b"
    r"|(?:WORKING-STORAGE|LINKAGE|FILE|LOCAL-STORAGE)\s+SECTION)",
    re.I | re.M,
)
_FREE_LEVEL = re.compile(r"^ {0,4}\d{1,2} +[A-Za-z]", re.M)
_BAD_INDICATOR = re.compile(r"^[^\n]{6}[^ *\-/dD$>\n]", re.M)
_NON_BLANK = re.compile(r"^[^\n]*\S", re.M)
_FIXED_COMMENT = re.compile(r"^[^\n]{6}[*/](?!>)", re.M)
_SEQUENCE = re.compile(r"^\d{6}", re.M)


@dataclass(slots=True)
class LogicalLines:
    """One file's lines after column handling: code (may be ''), physical line, comment text."""

    codes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source_format: str = FIXED

    def add(self, code: str, line: int, note: str = "") -> None:
        """Append one logical line."""
        self.codes.append(code)
        self.lines.append(line)
        self.notes.append(note)


def physical_lines(text: str) -> list[str]:
    """Split like an editor does (LF, CRLF or CR); control characters become spaces."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def detect_format(lines: list[str], default: str = FIXED) -> str:
    """`free` when the source is plainly not card-image, else `default`.

    Evidence for free format: division/section headers or PROGRAM-ID starting in columns 1-7
    (three votes each), level numbers with their name inside columns 1-7, characters in column 7
    that are no indicator. Evidence for card images: comment indicators in column 7 and numeric
    sequence areas. Free wins when it has more votes and at least a tenth of the non-blank lines.
    Only lines before a source-format directive count (the directive decides from there on).
    """
    sample = "\n".join(lines[:400])
    directive = _SOURCE_DIRECTIVE.search(sample)
    if directive:
        sample = sample[: directive.start()]
    if "\t" in sample:
        sample = sample.expandtabs(TAB_SIZE)
    free = 3 * len(_FREE_HEADER.findall(sample)) + len(_BAD_INDICATOR.findall(sample))
    free += sum(1 for m in _FREE_LEVEL.finditer(sample) if m.end() - m.start() <= 7)
    if not free:
        return default
    fixed = len(_FIXED_COMMENT.findall(sample)) + len(_SEQUENCE.findall(sample))
    counted = len(_NON_BLANK.findall(sample))
    return FREE if free > fixed and free * 10 >= counted else default


def debugging_mode(lines: list[str]) -> bool:
    """True when SOURCE-COMPUTER says WITH DEBUGGING MODE (outside comment lines)."""
    for raw in lines:
        if (
            _DEBUGGING.search(raw)
            and raw[6:7] not in ("*", "/")
            and not raw.lstrip().startswith("*>")
        ):
            return True
    return False


def strip_floating(code: str) -> tuple[str, str]:
    """(code, comment): cut a `*>` floating comment that is outside literals."""
    for match in _LIT_OR_FLOAT.finditer(code):
        if match.group() == "*>":
            return code[: match.start()].rstrip(), code[match.end() :].strip()
    return code, ""


def open_literal(code: str) -> int:
    """Index of the quote opening a literal left open at the end of `code`, or -1."""
    start = -1
    for match in _LITERAL.finditer(code):  # only the last literal can run to the line end
        start = -1 if match.group(1) or match.group(2) else match.start()
    return start


def format_switch(directive: str) -> str | None:
    """The format a `>>SOURCE` / `$SET SOURCEFORMAT` directive switches to, if any."""
    match = _SOURCE_DIRECTIVE.search(directive)
    return match.group(1).lower() if match else None


@dataclass(slots=True)
class _Reader:
    """State of one pass over a file's physical lines."""

    fmt: str
    debugging: bool
    out: LogicalLines
    last_code: int = -1  # index of the last logical line holding code

    def directive(self, text: str, line: int) -> None:
        """A compiler directive: blank line; may switch the source format."""
        switched = format_switch(text)
        if switched:
            self.fmt = switched
        self.out.add("", line)

    def code(self, code: str, line: int) -> None:
        """A line of program text (floating comment removed)."""
        note = ""
        if _LISTING.match(code):
            self.out.add("", line)
            return
        if "*>" in code:
            code, note = strip_floating(code)
        if code.strip():
            self.last_code = len(self.out.codes)
        self.out.add(code, line, note)

    def continuation(self, code: str, line: int) -> None:
        """Merge a continuation line onto the first line of the statement; it becomes ''."""
        if self.last_code < 0:
            self.code(code, line)
            return
        codes = self.out.codes
        prev = codes[self.last_code]
        body = code.lstrip()
        if open_literal(prev) >= 0 and body[:1] in ("'", '"'):
            width = CODE_WIDTH if self.fmt == FIXED else len(prev)
            merged = prev.ljust(width) + body[1:]
        else:
            merged = prev.rstrip() + body
        note = ""
        if "*>" in merged:
            merged, note = strip_floating(merged)
        codes[self.last_code] = merged.rstrip()
        self.out.add("", line, note)

    def fixed(self, raw: str, n: int, end: int | None = 72) -> None:
        """One card-image line; `end` is where the program text stops (None: line end)."""
        if self.fmt != FIXED:
            end = None
        stripped = raw.lstrip()
        if stripped[:2] == ">>" and _SOURCE_DIRECTIVE.match(stripped):
            # compilers differ on where a >>SOURCE directive may start; honour it anywhere
            self.directive(stripped, n)
            return
        indicator = raw[6:7]
        if indicator == " " or not indicator:
            code = raw[7:end].rstrip()
            body = code.lstrip()
            if body[:2] == ">>":
                if body[2:3] in ("D", "d") and body[3:4] in (" ", ""):
                    self.debug(body[3:], n)
                else:
                    self.directive(body, n)
            elif self.last_code < 0 and (_OPTIONS_LINE.match(raw) or _OPTIONS_LINE.match(code)):
                self.directive(raw, n)
            else:
                self.code(code, n)
        elif indicator in ("*", "/"):
            self.out.add("", n, raw[7:72].strip())
        elif indicator == "-":
            self.continuation(raw[7:end].rstrip(), n)
        elif indicator in ("d", "D"):
            self.debug(raw[7:end].rstrip(), n)
        elif indicator in ("$", ">"):
            self.directive(raw[6:], n)
        elif self.last_code < 0 and _OPTIONS_LINE.match(raw):
            self.directive(raw, n)
        else:  # an invalid indicator: keep the program text, as lenient compilers do
            self.code(raw[7:end].rstrip(), n)

    def debug(self, code: str, n: int) -> None:
        """A debugging line: code only WITH DEBUGGING MODE, else a comment."""
        if self.debugging:
            self.code(code, n)
        else:
            self.out.add("", n, code.strip())

    def free(self, raw: str, n: int) -> None:
        """One free-format line."""
        code = raw.rstrip()
        body = code.lstrip()
        head = body[:2]
        if not body:
            self.out.add("", n)
        elif head == "*>":
            self.out.add("", n, body[2:].strip())
        elif head == ">>":
            if body[2:3] in ("D", "d") and body[3:4] in (" ", ""):
                self.debug(body[3:], n)
            else:
                self.directive(body, n)
        elif head[:1] == "$" or (self.last_code < 0 and _OPTIONS_LINE.match(body)):
            self.directive(body, n)
        elif (
            head[:1] == "-"
            and self.last_code >= 0
            and open_literal(self.out.codes[self.last_code]) >= 0
        ):
            self.continuation(body[1:], n)
        else:
            self.code(code, n)


def _to_lines(text: str, positions: list[int]) -> set[int]:
    found: set[int] = set()
    line = cursor = 0
    for pos in sorted(positions):
        line += text.count("\n", cursor, pos)
        cursor = pos
        found.add(line)
    return found


def lines_with(text: str, needles: Iterable[str]) -> set[int]:
    """0-based indexes of the lines of `text` holding any of `needles` (str.find: no regex cost)."""
    positions: list[int] = []
    for needle in needles:
        start = text.find(needle)
        while start >= 0:
            positions.append(start)
            start = text.find(needle, start + 1)
    return _to_lines(text, positions) if positions else set()


def lines_matching(pattern: re.Pattern[str], text: str) -> set[int]:
    """0-based indexes of the lines of `text` where `pattern` matches (one pass over the text)."""
    return _to_lines(text, [m.start() for m in pattern.finditer(text)])


def read_logical(
    text: str, source_format: str = "auto", debugging: bool | None = None
) -> LogicalLines:
    """Column handling, comments, directives and continuation for one file."""
    lines = physical_lines(text)
    fmt = detect_format(lines) if source_format == "auto" else source_format
    if debugging is None:
        debugging = debugging_mode(lines)
    reader = _Reader(fmt, debugging, LogicalLines(source_format=FREE if fmt == FREE else FIXED))
    # Lines that may hold a directive, a floating comment or a listing statement take the slow path.
    special = lines_with("\n".join(lines).upper(), _SPECIAL)
    out = reader.out
    codes, numbers, notes = out.codes, out.lines, out.notes
    for n, raw in enumerate(lines, 1):
        if reader.fmt == FIXED and raw[6:7] == " " and n - 1 not in special and "\t" not in raw:
            code = raw[7:72].rstrip()
            if code:
                reader.last_code = len(codes)
            codes.append(code)
            numbers.append(n)
            notes.append("")
        elif "\t" in raw:
            # Where a tab lands depends on the author's editor, so a tabbed line is not cut at
            # column 72: its columns 73-80 are far more likely shifted code than a sequence area.
            raw = raw.expandtabs(TAB_SIZE)
            if reader.fmt == FREE:
                reader.free(raw, n)
            else:
                reader.fixed(raw, n, None)
        elif reader.fmt == FREE:
            reader.free(raw, n)
        else:
            reader.fixed(raw, n)
    return out
