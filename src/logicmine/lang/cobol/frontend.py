"""COBOL front end: canonical text -> tree-sitter -> flat statements -> Program facts.

The grammar is used for what it does well (statement boundaries and kinds, data entries); the
recovery scanner covers every byte of the procedure and data divisions the grammar left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache

from tree_sitter import Node, Parser, Query, QueryCursor

from ...model import (
    DataItem,
    Diagnostic,
    ExecBlock,
    Fidelity,
    Origin,
    Procedure,
    Program,
    Reference,
    Statement,
)
from ...resources import read_text
from .dataitems import parse_entry
from .dynamic import resolve_dynamic
from .exec_facts import exec_refs
from .layout import ProgramLayout, find_programs
from .scanner import header_at, split_statements, tokenize
from .verbs import ProgramContext, statement_refs

_NODE_VERBS = {
    "if_header": "IF", "else_header": "ELSE", "else_if_header": "ELSE-IF",
    "evaluate_header": "EVALUATE", "when": "WHEN", "when_other": "WHEN-OTHER",
    "perform_statement_call_proc": "PERFORM", "perform_statement_loop": "PERFORM",
    "goto_statement": "GO", "next_sentence_statement": "NEXT-SENTENCE", "period": "PERIOD",
    "at_end": "AT-END", "not_at_end": "NOT-AT-END", "invalid_key": "INVALID-KEY",
    "not_invalid_key": "NOT-INVALID-KEY", "on_size_error": "ON-SIZE-ERROR",
    "not_on_size_error": "NOT-ON-SIZE-ERROR", "on_exception": "ON-EXCEPTION",
    "not_on_exception": "NOT-ON-EXCEPTION", "on_overflow": "ON-OVERFLOW",
    "not_on_overflow": "NOT-ON-OVERFLOW",
}
_SELECT = re.compile(r"\bSELECT\s+(?:OPTIONAL\s+)?([\w-]+).*?"
                     r"\bASSIGN\s+(?:TO\s+)?([\w'\"\-.:$#@]+)",
                     re.I | re.S)
_FD = re.compile(r"^\s*(?:FD|SD)\s+([\w-]+)", re.I)
_LEVEL_START = re.compile(r"^\s*\d{1,2}(?=\s|\.|$)")
_ENTRY = re.compile(r"^\s*ENTRY\s+['\"]([^'\"]+)['\"]", re.I)


def node_verb(node_type: str) -> str:
    """Statement verb for a grammar node type."""
    if node_type in _NODE_VERBS:
        return _NODE_VERBS[node_type]
    if node_type.startswith("END_"):
        return node_type.replace("_", "-")
    return node_type.removesuffix("_statement").upper().replace("_", "-")


@cache
def _query() -> Query:
    from tree_sitter_language_pack import get_language

    return Query(get_language("cobol"), read_text("parsers", "cobol/facts.scm"))


@cache
def _parser() -> Parser:
    from tree_sitter_language_pack import get_parser

    return get_parser("cobol")


@dataclass(slots=True)
class _Source:
    """The canonical text with fast byte-offset -> line lookups and the source map."""

    text: bytes
    lines: list[str]
    line_starts: list[int]
    origins: tuple[Origin, ...]

    @classmethod
    def of(cls, text: str, origins: tuple[Origin, ...]) -> _Source:
        data = text.encode("utf-8")
        starts = [0]
        pos = data.find(b"\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        return cls(data, text.split("\n"), starts, origins)

    def line_of(self, offset: int) -> int:
        """0-based canonical line holding byte `offset`."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def origin(self, index: int) -> Origin:
        """Physical origin of canonical line `index`."""
        if 0 <= index < len(self.origins):
            return self.origins[index]
        return self.origins[-1] if self.origins else Origin("", 0)

    def span(self, start: int, end: int) -> tuple[str, int, int]:
        """(file, line, end_line) of a byte range; end falls back to start across files."""
        first = self.origin(self.line_of(start))
        last = self.origin(self.line_of(max(start, end - 1)))
        end_line = last.line if last.file == first.file and last.line >= first.line else first.line
        return first.file, first.line, end_line

    def slice(self, start: int, end: int) -> str:
        """Decoded text of a byte range."""
        return self.text[start:end].decode("utf-8", "replace")


def _fold(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class _Piece:
    """A flat item found in the text: statement, header or data entry, with byte offsets."""

    kind: str  # statement, header, data, select
    verb: str
    start: int
    end: int
    recovered: bool = False


def parse_cobol(pre, path: str) -> tuple[list[Program], list[Diagnostic]]:
    """Programs defined in one preprocessed file (`pre` is lang.cobol.preprocess.Preprocessed)."""
    src = _Source.of(pre.text, tuple(pre.origins))
    tree = _parser().parse(src.text)
    captures = QueryCursor(_query()).captures(tree.root_node)
    layouts = find_programs(src.lines)
    diagnostics: list[Diagnostic] = []
    if not layouts:
        diagnostics.append(Diagnostic(path, 1, "warning", "no-program-id",
                                      "no PROGRAM-ID found; "
                                      "the file was not analysed as a program"))
        return [], diagnostics
    programs = [_program(layout, src, captures, pre, path) for layout in layouts]
    return programs, diagnostics


def _bounds(src: _Source, layout: ProgramLayout, start_line: int, end_line: int) -> tuple[int, int]:
    start = src.line_starts[start_line] if start_line < len(src.line_starts) else len(src.text)
    end = src.line_starts[end_line] if end_line < len(src.line_starts) else len(src.text)
    return start, end


def _in(nodes: list[Node], start: int, end: int) -> list[Node]:
    return [n for n in nodes if start <= n.start_byte < end]


def _outermost(nodes: list[Node]) -> list[Node]:
    result: list[Node] = []
    for node in sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte)):
        if (result and node.end_byte <= result[-1].end_byte
                and node.start_byte < result[-1].end_byte):
            continue
        result.append(node)
    return result


def _pieces(src: _Source, captures: dict, start: int, end: int, data: bool) -> list[_Piece]:
    """Flat items of one division: grammar nodes first, then the scanner over every gap."""
    names = ("data", "select") if data else ("statement", "header")
    found: list[_Piece] = []
    for name in names:
        for node in _in(captures.get(name, []), start, end):
            verb = node_verb(node.type) if name == "statement" else node.type
            found.append(_Piece(name, verb, node.start_byte, node.end_byte))
    found = _dedupe(found)
    gaps = _gaps(src, found, start, end, b" \n." if data else b" \n")
    recovered = [p for gap in gaps for p in (_scan_data(src, *gap) if data else _scan(src, *gap))]
    return _merge_tails(sorted(found + recovered, key=lambda p: (p.start, p.end)))


def _merge_tails(pieces: list[_Piece]) -> list[_Piece]:
    """Text with no verb right after a statement is that statement's tail the grammar cut off.

    (`IF A > 1 AND < 9 AND NOT = 5`: the grammar ends the IF before `AND NOT = 5`.)
    """
    out: list[_Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        if piece.verb == "?" and prev is not None and prev.kind == "statement" \
                and prev.verb not in ("PERIOD", "?"):
            out[-1] = _Piece(prev.kind, prev.verb, prev.start, piece.end, True)
            continue
        out.append(piece)
    return out


def _dedupe(pieces: list[_Piece]) -> list[_Piece]:
    result: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.start, -p.end)):
        if result and piece.start < result[-1].end:
            continue
        result.append(piece)
    return result


def _gaps(src: _Source, pieces: list[_Piece], start: int, end: int,
          blank: bytes) -> list[tuple[int, int]]:
    """Byte ranges no piece covers that hold more than `blank` characters."""
    gaps = []
    cursor = start
    for piece in pieces:
        if piece.start > cursor and src.text[cursor:piece.start].strip(blank):
            gaps.append((cursor, piece.start))
        cursor = max(cursor, piece.end)
    if end > cursor and src.text[cursor:end].strip(blank):
        gaps.append((cursor, end))
    return gaps


def _scan(src: _Source, start: int, end: int) -> list[_Piece]:
    """Procedure-division text the grammar missed: headers by line, statements by verb."""
    pieces: list[_Piece] = []
    first, last = src.line_of(start), src.line_of(max(start, end - 1))
    run_start = start
    for index in range(first, last + 1):
        line_start = max(src.line_starts[index], start)
        line_end = min(src.line_starts[index + 1] if index + 1 < len(src.line_starts) else end, end)
        header = header_at(src.lines[index]) if line_start == src.line_starts[index] else None
        if header:
            pieces.extend(_scan_statements(src, run_start, line_start))
            pieces.append(_Piece("header", header[0] + "_header", line_start, line_end, True))
            run_start = line_end
    pieces.extend(_scan_statements(src, run_start, end))
    return pieces


def _scan_statements(src: _Source, start: int, end: int) -> list[_Piece]:
    if end <= start or not src.text[start:end].strip():
        return []
    text = src.slice(start, end)
    # token offsets are in characters of `text`; map back to bytes
    byte_at = _char_to_byte(text)
    return [
        _Piece("statement", piece.verb, start + byte_at(piece.start), start + byte_at(piece.end),
               True)
        for piece in split_statements(tokenize(text))
    ]


def _char_to_byte(text: str):
    if text.isascii():
        return lambda i: i
    return lambda i: len(text[:i].encode("utf-8"))


def _scan_data(src: _Source, start: int, end: int) -> list[_Piece]:
    """Data-division text the grammar missed: entries end at separator periods."""
    text = src.slice(start, end)
    byte_at = _char_to_byte(text)
    pieces = []
    entry_start = 0
    for match in re.finditer(r"\.(?=\s|$)|$", text):
        chunk = text[entry_start:match.start()]
        if chunk.strip() and _LEVEL_START.match(chunk):
            lead = len(chunk) - len(chunk.lstrip())
            pieces.append(_Piece("data", "data_description", start + byte_at(entry_start + lead),
                                 start + byte_at(match.start()), True))
        entry_start = match.end()
        if match.end() >= len(text):
            break
    return pieces


def _program(layout: ProgramLayout, src: _Source, captures: dict, pre, path: str) -> Program:
    proc_line = layout.procedure_start if layout.procedure_start >= 0 else layout.end
    data_start, data_end = _bounds(src, layout, max(layout.data_start, layout.start), proc_line)
    data_pieces = (_pieces(src, captures, data_start, data_end, data=True)
                   if layout.data_start >= 0 else [])
    items, record_to_file, files = _data_items(layout, src, data_pieces)
    statements: list[Statement] = []
    procedures: list[Procedure] = []
    if layout.procedure_start >= 0:
        header_end = _procedure_header_end(src, layout)
        _, proc_end = _bounds(src, layout, layout.procedure_start, layout.end)
        pieces = _pieces(src, captures, header_end, proc_end, data=False)
        exec_at = {b.out_line - 1: b for b in pre.exec_blocks if b.out_line}
        refmods: dict[int, list[tuple[str, str]]] = {}
        for index, call, refmod in getattr(pre, "refmods", ()):
            refmods.setdefault(index, []).append((call, refmod))
        statements, procedures = _statements(layout, src, pieces, exec_at, refmods)
    ctx = ProgramContext(layout.name, path, record_to_file, dict(files))
    references = _references(statements, ctx, pre, layout, src)
    references = resolve_dynamic(references, items, statements, layout.name)
    first = src.origin(layout.start)
    last = src.origin(max(layout.start, layout.end - 1))
    return Program(
        name=layout.name, file=first.file or path, line=first.line,
        end_line=last.line if last.file == first.file else first.line,
        procedures=tuple(procedures), data_items=tuple(items), statements=tuple(statements),
        references=tuple(references), exec_blocks=tuple(_blocks_in(pre, layout)),
        copybooks=tuple(pre.copybooks), files=tuple(sorted(files.items())),
        fidelity=_fidelity(layout, src, captures, statements),
        entry_points=tuple(_entries(statements)),
    )


def _procedure_header_end(src: _Source, layout: ProgramLayout) -> int:
    """Byte just past the `PROCEDURE DIVISION [USING ...].` header."""
    start = src.line_starts[layout.procedure_start]
    match = re.compile(rb"\.(?=\s|$)").search(src.text, start)
    return match.end() if match else start


def _blocks_in(pre, layout: ProgramLayout) -> list[ExecBlock]:
    return [b for b in pre.exec_blocks if layout.start < b.out_line <= layout.end]


def _data_items(layout: ProgramLayout, src: _Source, pieces: list[_Piece]):
    items: list[DataItem] = []
    record_to_file: dict[str, str] = {}
    files: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    current_fd = ""
    fd_lines = _fd_lines(src, layout)
    for piece in pieces:
        text = src.slice(piece.start, piece.end)
        index = src.line_of(piece.start)
        if piece.kind == "select":
            match = _SELECT.search(text)
            if match:
                files[match.group(1).upper()] = match.group(2).rstrip(".").strip("'\"").upper()
            continue
        fd = _fd_before(fd_lines, layout, index)
        if fd != current_fd:
            current_fd, stack = fd, []
        entry = parse_entry(text)
        if entry is None:
            continue
        parent = _parent(stack, entry.level)
        if entry.level not in (88, 66):
            stack.append((entry.level if entry.level != 77 else 1, entry.name))
        section = layout.section_at(index)
        if section == "FILE" and entry.level == 1 and current_fd:
            record_to_file[entry.name] = current_fd
        origin = src.origin(index)
        items.append(DataItem(
            program=layout.name, level=entry.level, name=entry.name, file=origin.file,
            line=origin.line, pic=entry.pic, usage=entry.usage, value=entry.value,
            occurs=entry.occurs, redefines=entry.redefines, parent=parent, values=entry.values,
            copybook=_copybook_of(origin.file, src.origin(layout.start).file), section=section,
        ))
    _files_from_lines(layout, src, files)
    return items, record_to_file, files


def _files_from_lines(layout: ProgramLayout, src: _Source, files: dict[str, str]) -> None:
    """SELECT entries the grammar did not capture, read straight from the text."""
    stop = layout.data_start if layout.data_start >= 0 else layout.end
    text = "\n".join(src.lines[layout.start:stop])
    for match in _SELECT.finditer(text):
        files.setdefault(match.group(1).upper(), match.group(2).rstrip(".").strip("'\"").upper())


def _fd_lines(src: _Source, layout: ProgramLayout) -> list[tuple[int, str]]:
    """(line index, file name) of every FD/SD header of the program, in order."""
    stop = layout.procedure_start if layout.procedure_start >= 0 else layout.end
    found = []
    for i in range(max(layout.data_start, layout.start), stop):
        line = src.lines[i]
        if ("FD" in line or "SD" in line or "fd" in line or "sd" in line):
            match = _FD.match(line)
            if match:
                found.append((i, match.group(1).upper()))
    return found


def _fd_before(fd_lines: list[tuple[int, str]], layout: ProgramLayout, index: int) -> str:
    if layout.section_at(index) != "FILE":
        return ""
    position = bisect.bisect_right(fd_lines, (index, "\uffff")) - 1
    return fd_lines[position][1] if position >= 0 else ""


def _parent(stack: list[tuple[int, str]], level: int) -> str:
    if level == 88:
        return stack[-1][1] if stack else ""
    effective = 1 if level == 77 else level
    while stack and stack[-1][0] >= effective:
        stack.pop()
    return stack[-1][1] if stack else ""


def _copybook_of(file: str, program_file: str) -> str:
    if file == program_file or not file:
        return ""
    name = file.rsplit("/", 1)[-1]
    return name.split(".")[0].upper()


def _restore_refmods(text: str, src: _Source, piece: _Piece,
                     refmods: dict[int, list[tuple[str, str]]]) -> str:
    """Give back `FUNCTION f(...)(1:8)` reference modifiers the grammar had to be spared."""
    for index in range(src.line_of(piece.start), src.line_of(max(piece.start, piece.end - 1)) + 1):
        for call, refmod in refmods.get(index, ()):
            at = text.find(call)
            if at >= 0 and not text.startswith(refmod, at + len(call)):
                text = text[: at + len(call)] + refmod + text[at + len(call):]
    return text


def _statements(layout, src: _Source, pieces: list[_Piece], exec_at: dict[int, ExecBlock],
                refmods: dict[int, list[tuple[str, str]]] | None = None):
    statements: list[Statement] = []
    procedures: list[Procedure] = []
    open_proc: dict | None = None
    section = ""
    for piece in pieces:
        if piece.kind == "header":
            words = _fold(src.slice(piece.start, piece.end)).rstrip(".").split()
            if not words:  # a zero-width node the grammar invented while recovering
                continue
            name = words[0].upper()
            kind = "section" if piece.verb.startswith("section") else "paragraph"
            _close(procedures, open_proc, layout)
            section = name if kind == "section" else section
            file, line, _ = src.span(piece.start, piece.end)
            open_proc = {"name": name, "kind": kind, "file": file, "line": line, "end": line,
                         "section": section if kind == "paragraph" else ""}
            continue
        file, line, end_line = src.span(piece.start, piece.end)
        text = _fold(src.slice(piece.start, piece.end))
        if refmods:
            text = _restore_refmods(text, src, piece, refmods)
        verb = piece.verb
        block = exec_at.get(src.line_of(piece.start)) if verb == "CONTINUE" else None
        if block is not None:
            verb, text, file, line, end_line = "EXEC", block.text, block.file, block.line, \
                block.end_line
        owner = open_proc["name"] if open_proc else ""
        statements.append(Statement(verb, text, owner, file, line, end_line, piece.recovered))
        if open_proc and file == open_proc["file"]:
            open_proc["end"] = max(open_proc["end"], end_line)
    _close(procedures, open_proc, layout)
    return statements, procedures


def _close(procedures: list[Procedure], proc: dict | None, layout: ProgramLayout) -> None:
    if not proc:
        return
    procedures.append(Procedure(
        id=f"cobol:{layout.name}:{proc['name']}", program=layout.name, name=proc["name"],
        kind=proc["kind"], file=proc["file"], line=proc["line"], end_line=proc["end"],
        section=proc["section"],
    ))


def _references(statements, ctx: ProgramContext, pre, layout, src: _Source) -> list[Reference]:
    refs: list[Reference] = []
    seen_blocks: set[tuple[str, int]] = set()
    blocks: dict[tuple[str, int], ExecBlock] = {}
    for block in pre.exec_blocks:  # the first block of a line, as a scan would find it
        blocks.setdefault((block.file, block.line), block)
    for stmt in statements:
        if stmt.verb == "EXEC":
            block = blocks.get((stmt.file, stmt.line))
            if block:
                seen_blocks.add((block.file, block.line))
                refs.extend(exec_refs(block, ctx.program, stmt.procedure))
            continue
        refs.extend(statement_refs(stmt, ctx))
    for block in _blocks_in(pre, layout):  # DECLARE CURSOR and the like, outside the procedure
        if (block.file, block.line) not in seen_blocks:
            refs.extend(exec_refs(block, ctx.program, ""))
    return [_dataset_name(ref, ctx) for ref in refs]


def _dataset_name(ref: Reference, ctx: ProgramContext) -> Reference:
    """File I/O names the ASSIGN target (the DD name JCL binds), keeping the COBOL file name."""
    if ref.kind in ("reads", "writes", "opens") and ref.target in ctx.file_assign \
            and not ref.detail.startswith(("CICS", "SQL", "DLI")):
        assigned = ctx.file_assign[ref.target]
        return replace(ref, detail=f"{ref.detail} {ref.target}".strip(), target=assigned)
    return ref


def _entries(statements: list[Statement]) -> list[str]:
    names = []
    for stmt in statements:
        if stmt.verb == "ENTRY":
            match = _ENTRY.match(stmt.text)
            if match:
                names.append(match.group(1).upper())
    return names


def _fidelity(layout, src: _Source, captures: dict, statements: list[Statement]) -> Fidelity:
    if layout.procedure_start < 0:
        return Fidelity(lines=layout.end - layout.start)
    start, end = _bounds(src, layout, layout.procedure_start, layout.end)
    code = {i for i in range(layout.procedure_start, layout.end) if src.lines[i].strip()}
    error_lines: set[int] = set()
    for node in captures.get("error", []):
        if node.end_byte <= start or node.start_byte >= end:
            continue
        first = src.line_of(max(node.start_byte, start))
        last = src.line_of(min(node.end_byte, end) - 1)
        error_lines.update(i for i in range(first, last + 1) if i in code)
    unrecovered = {
        (s.file, line)
        for s in statements if s.verb == "?"
        for line in range(s.line, s.end_line + 1)
    }
    return Fidelity(
        lines=layout.end - layout.start, code_lines=len(code), error_lines=len(error_lines),
        unrecovered_lines=len(unrecovered),
        recovered_statements=sum(1 for s in statements if s.recovered and s.verb != "?"),
    )
