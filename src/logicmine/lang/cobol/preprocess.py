"""COBOL source -> canonical text for the tree-sitter grammar, with a line-exact source map.

Every output line is `" " * 7 + code` (or "" when it holds no code): code is columns 8-72 in fixed
format, the whole line in free format. Output line i comes from exactly one physical line
(`origins[i]`), also inside copybooks; comment, blank, directive and continuation lines stay as ""
lines. Two cases add lines: code after a COPY statement's period on the same line (it follows the
copybook's lines) and a long line's tail moved past column 72 at the end of the text (see
normalise.py). Steps: columns/comments/continuation (lexical.py), COPY and EXEC SQL INCLUDE
expansion with REPLACING (copybooks.py, replacing.py), REPLACE statements, EXEC masking
(exec_blocks.py), grammar rewrites (normalise.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import CopyUse, Diagnostic, ExecBlock, Origin
from .copybooks import (
    CopybookResolver,
    Directive,
    build_copybook_index,
    find_keyword,
    parse_directive,
)
from .exec_blocks import mask_exec_blocks
from .lexical import (
    FREE,
    LogicalLines,
    debugging_mode,
    lines_matching,
    lines_with,
    physical_lines,
    read_logical,
)
from .normalise import (
    HEADER_WORDS,
    LOWER_PREFIX,
    NORMALISE_NEEDLES,
    fit_lines,
    fix_headers,
    normalise_code,
)
from .replacing import Pair, apply_pairs

__all__ = ["CopybookResolver", "Preprocessed", "build_copybook_index", "preprocess"]

log = logging.getLogger("logicmine.preprocess")

_BUILTIN = frozenset({"SQLCA", "SQLDA"})
_PREFIX = " " * 7


@dataclass(frozen=True, slots=True)
class Preprocessed:
    """Canonical text, its source map and the facts found on the way.

    `comments` holds (output line, text) for comment lines and for `*>` floating comments.
    """

    text: str
    origins: tuple[Origin, ...]
    exec_blocks: tuple[ExecBlock, ...]
    copybooks: tuple[CopyUse, ...]
    diagnostics: tuple[Diagnostic, ...]
    source_format: str
    comments: tuple[tuple[int, str], ...] = ()
    # (0-based output line, function call, reference modifier) blanked for the grammar
    refmods: tuple[tuple[int, str, str], ...] = ()


@dataclass(slots=True)
class _Buffer:
    """Output lines under construction."""

    codes: list[str] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, code: str, origin: Origin, note: str = "") -> None:
        self.codes.append(code)
        self.origins.append(origin)
        self.notes.append(note)

    def extend(self, other: _Buffer) -> None:
        self.codes.extend(other.codes)
        self.origins.extend(other.origins)
        self.notes.extend(other.notes)


@dataclass(frozen=True, slots=True)
class _Source:
    """A file's logical lines with their origins and the lines that may hold COPY / INCLUDE."""

    logical: LogicalLines
    origins: list[Origin]
    hits: list[int]

    @classmethod
    def of(cls, logical: LogicalLines, path: str) -> _Source:
        upper = "\n".join(logical.codes).upper()
        # EXEC SQL INCLUDE may put EXEC on an earlier line than INCLUDE.
        needles = ("COPY", "INCLUDE", "EXEC") if "INCLUDE" in upper else ("COPY",)
        hits = sorted(lines_with(upper, needles))
        return cls(logical, [Origin(path, n) for n in logical.lines], hits)


def _copy_lines(source: _Source, start: int, stop: int, out: _Buffer) -> None:
    """Append lines start..stop-1 of `source` unchanged."""
    if start < stop:
        logical = source.logical
        out.codes.extend(logical.codes[start:stop])
        out.origins.extend(source.origins[start:stop])
        out.notes.extend(logical.notes[start:stop])


@dataclass(slots=True)
class _Expander:
    """COPY / EXEC SQL INCLUDE expansion for one program."""

    resolver: CopybookResolver
    source_format: str
    debugging: bool
    max_depth: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    copybooks: list[CopyUse] = field(default_factory=list)
    includes: list[ExecBlock] = field(default_factory=list)  # EXEC SQL INCLUDE statements

    def expand(self, source: _Source, stack: tuple[str, ...], out: _Buffer) -> None:
        """Append the lines of `source` to `out`, copybooks expanded in place."""
        codes = source.logical.codes
        index, extra = 0, False
        for hit in source.hits:
            if hit < index:
                continue
            _copy_lines(source, index, hit, out)
            index, extra, codes = self._line(codes, source, hit, stack, out)
            while extra:  # code after a COPY's period may hold another COPY
                index, extra, codes = self._line(codes, source, index, stack, out, extra=True)
        _copy_lines(source, index, len(codes), out)

    def _line(
        self,
        codes: list[str],
        source: _Source,
        index: int,
        stack: tuple[str, ...],
        out: _Buffer,
        extra: bool = False,
    ) -> tuple[int, bool, list[str]]:
        """Emit line `index` with the first COPY on it expanded: (next index, extra, codes).

        `extra`: the line is what followed a COPY's period; it is emitted as a line of its own.
        """
        code, notes, origins = codes[index], source.logical.notes, source.origins
        origin = origins[index]
        found = self._statement(codes, index)
        if found is None:
            if not (extra and not code.strip()):
                out.add(code, origin, "" if extra else notes[index])
            return index + 1, False, codes
        col, directive = found
        first_out = len(out.codes) + 1
        if not (extra and not code[:col].strip()):
            out.add(code[:col].rstrip(), origin, "" if extra else notes[index])
        for inner in range(index + 1, directive.end_line + 1):
            out.add("", origins[inner], notes[inner])
        if directive.verb == "INCLUDE":  # it is an EXEC SQL block too: keep it as one
            end = origins[directive.end_line]
            self.includes.append(ExecBlock(
                "SQL", f"EXEC SQL INCLUDE {directive.member} END-EXEC", origin.file, origin.line,
                end.line if end.file == origin.file else origin.line,
                # output line of the statement; exact in the program, relative in a copybook
                out_line=first_out if len(stack) == 1 else 0))
        self._include(directive, origin, stack, out)
        rest = codes[directive.end_line][directive.end_col :]
        if not rest.strip():
            return directive.end_line + 1, False, codes
        if codes is source.logical.codes:
            codes = list(codes)
        codes[directive.end_line] = " " * directive.end_col + rest
        return directive.end_line, True, codes

    def _statement(self, codes: list[str], index: int) -> tuple[int, Directive] | None:
        """(column, statement) of the first COPY / EXEC SQL INCLUDE on line `index`."""
        match = find_keyword(codes[index])
        while match:
            if match.group(1).upper() != "REPLACE":
                directive = parse_directive(codes, index, match.start(1))
                if directive and directive.verb in ("COPY", "INCLUDE"):
                    return match.start(1), directive
            match = find_keyword(codes[index], match.end())
        return None

    def _include(
        self, directive: Directive, where: Origin, stack: tuple[str, ...], out: _Buffer
    ) -> None:
        member, library = directive.member, directive.library
        if directive.problem:
            self._warn(where, "copy-syntax", f"{directive.problem} (member '{member}')")
        if not member:
            return
        resolved = self.resolver.resolve(member, library)
        if resolved is None and directive.verb == "INCLUDE" and member.upper() in _BUILTIN:
            self.copybooks.append(CopyUse(member, None, where.file, where.line, "builtin"))
            return
        self.copybooks.append(CopyUse(member, resolved, where.file, where.line, library))
        if resolved is None:
            lib = f" in library '{library}'" if library else ""
            self._warn(
                where,
                "copy-missing",
                f"copybook '{member}'{lib} not found; asked by {where.file}:{where.line}",
            )
            return
        if resolved in stack:
            cycle = " -> ".join((*stack[stack.index(resolved) :], resolved))
            self._warn(where, "copy-cycle", f"COPY cycle {cycle}; the cyclic COPY was skipped")
            return
        if len(stack) > self.max_depth:
            self._warn(
                where,
                "copy-depth",
                f"COPY nesting deeper than {self.max_depth} at '{member}'; not expanded",
            )
            return
        source = self._read(resolved, where)
        if source is None:
            return
        inner = _Buffer()
        self.expand(source, (*stack, resolved), inner)
        if directive.pairs:
            apply_pairs(inner.codes, directive.pairs, 0, 0, len(inner.codes))
        out.extend(inner)

    def _read(self, path: str, where: Origin) -> _Source | None:
        key = ("source", path, self.source_format, self.debugging)
        cached = self.resolver.cache.get(key)
        if isinstance(cached, _Source):
            return cached
        try:
            text = self.resolver.load(path)
        except (OSError, LookupError, ValueError) as exc:
            self._warn(where, "copy-unreadable", f"copybook {path} could not be read: {exc}")
            return None
        source = _Source.of(read_logical(text, self.source_format, self.debugging), path)
        self.resolver.cache[key] = source
        return source

    def _warn(self, where: Origin, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(where.file, where.line, "warning", code, message))


def _replace_statements(buf: _Buffer, diagnostics: list[Diagnostic], candidates: list[int]) -> None:
    """Apply REPLACE statements to the text after them, in place; the statements become blanks."""
    found: list[tuple[int, int, Directive]] = []
    codes = buf.codes
    for index in candidates:
        code = codes[index]
        match = find_keyword(code)
        while match:
            if match.group(1).upper() == "REPLACE":
                directive = parse_directive(codes, index, match.start(1))
                if directive and directive.verb == "REPLACE":
                    found.append((index, match.start(1), directive))
                    _blank_statement(codes, index, match.start(1), directive)
                    break
            match = find_keyword(code, match.end())
    active: tuple[Pair, ...] = ()
    for position, (index, _, directive) in enumerate(found):
        if directive.problem:
            origin = buf.origins[index]
            diagnostics.append(
                Diagnostic(origin.file, origin.line, "warning", "replace-syntax", directive.problem)
            )
        active = (
            ()
            if directive.off
            else (*active, *directive.pairs)
            if directive.also
            else directive.pairs
        )
        stop = found[position + 1][0] + 1 if position + 1 < len(found) else len(codes)
        apply_pairs(codes, active, directive.end_line, directive.end_col, stop)


def _blank_statement(codes: list[str], line: int, col: int, directive: Directive) -> None:
    if directive.end_line == line:
        code = codes[line]
        codes[line] = (
            code[:col] + " " * (directive.end_col - col) + code[directive.end_col :]
        ).rstrip()
        return
    codes[line] = codes[line][:col].rstrip()
    for index in range(line + 1, directive.end_line):
        codes[index] = ""
    tail = codes[directive.end_line][directive.end_col :]
    codes[directive.end_line] = (" " * directive.end_col + tail).rstrip() if tail.strip() else ""


def _normalise(codes: list[str], upper: str) -> list[tuple[int, str, str]]:
    """Grammar rewrites on the lines that may need one; returns the blanked ref-mods."""
    candidates = lines_with(upper, NORMALISE_NEEDLES)
    candidates |= lines_matching(LOWER_PREFIX, "\n".join(codes))
    refmods: list[tuple[int, str, str]] = []
    for index in sorted(candidates):
        if codes[index]:
            dropped: list[tuple[str, str]] = []
            codes[index] = normalise_code(codes[index], dropped)
            refmods.extend((index, call, refmod) for call, refmod in dropped)
    return refmods


_TRAILING_NOT = re.compile(r"(?<![\w-])NOT\s*$", re.I)
_LEADING_OP = re.compile(r"^(\s*)([=<>])")


def _join_split_not(codes: list[str]) -> None:
    """`... NOT` at a line's end with `= x` on the next: the grammar reads the rest of the
    program as an error, so NOT moves down to its operator (both lines keep their places)."""
    for index, code in enumerate(codes):
        match = _TRAILING_NOT.search(code) if code else None
        if not match or code.count("'") % 2 or code.count('"') % 2:
            continue
        following = next((j for j in range(index + 1, min(index + 6, len(codes)))
                          if codes[j].strip()), None)
        if following is None:
            continue
        op = _LEADING_OP.match(codes[following])
        if op:
            codes[index] = code[: match.start()].rstrip()
            codes[following] = f"{op.group(1)}NOT {codes[following][op.start(2):]}"


def _render(codes: Sequence[str]) -> str:
    if not codes:
        return ""
    return "\n".join(_PREFIX + code if code else "" for code in codes) + "\n"


def preprocess(
    text: str,
    path: str,
    resolver: CopybookResolver,
    *,
    source_format: str = "auto",
    max_copy_depth: int = 50,
) -> Preprocessed:
    """Canonical text of one COBOL source file with its source map, EXEC blocks and COPY uses."""
    if source_format not in ("auto", "fixed", "free"):
        raise ValueError(f"source_format must be auto, fixed or free, not {source_format!r}")
    debugging = debugging_mode(physical_lines(text)) if "DEBUGGING" in text.upper() else False
    logical = read_logical(text, source_format, debugging)
    expander = _Expander(resolver, source_format, debugging, max_copy_depth)
    buf = _Buffer()
    expander.expand(_Source.of(logical, path), (path,), buf)
    diagnostics = expander.diagnostics
    codes = buf.codes
    upper = "\n".join(codes).upper()
    if "REPLACE" in upper:
        _replace_statements(buf, diagnostics, sorted(lines_with(upper, ("REPLACE",))))
        upper = "\n".join(codes).upper()
    blocks = mask_exec_blocks(codes, buf.origins, diagnostics, sorted(lines_with(upper, ("EXEC",))))
    refmods = _normalise(codes, upper)
    if "NOT" in upper:
        _join_split_not(codes)
    fix_headers(codes, buf.notes, sorted(lines_with(upper, HEADER_WORDS)))
    fit_lines(codes, buf.origins, buf.notes)
    comments = tuple((i + 1, note) for i, note in enumerate(buf.notes) if note)
    log.debug(
        "%s: %d lines, %d copybooks, %d EXEC blocks",
        path,
        len(codes),
        len(expander.copybooks),
        len(blocks),
    )
    return Preprocessed(
        text=_render(codes),
        origins=tuple(buf.origins),
        exec_blocks=tuple(sorted([*blocks, *expander.includes],
                                 key=lambda b: (b.out_line or 0, b.file, b.line))),
        copybooks=tuple(expander.copybooks),
        diagnostics=tuple(diagnostics),
        refmods=tuple(refmods),
        source_format=FREE if logical.source_format == FREE else "fixed",
        comments=comments,
    )
