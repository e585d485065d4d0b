"""EXEC CICS / SQL / DLI ... END-EXEC blocks: kept as facts, masked for the grammar.

The grammar turns everything after an EXEC block into one ERROR node, so each block is replaced,
keeping the line structure: in the PROCEDURE DIVISION by `CONTINUE` (a statement that fits wherever
the block stood, e.g. inside IF) on its first line, elsewhere by blanks. Code sharing the block's
lines stays in place, and so does a period after END-EXEC in the procedure division.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from ...model import Diagnostic, ExecBlock, Origin

_KINDS = {"CICS": "CICS", "SQL": "SQL", "DLI": "DLI"}
_EXEC = re.compile(r"\"(?:[^\"]|\"\")*\"?|'(?:[^']|'')*'?|(?<![\w-])(EXEC)(?![\w-])", re.I)
# Inside a block: literals, SQL `--` comments, END-EXEC.
_END = re.compile(
    r"\"(?:[^\"]|\"\")*\"?|'(?:[^']|'')*'?|(?<!\S)--(?:\s.*)?$|(?<![\w-])(END-EXEC)(?![\w-])", re.I
)
_DIVISION = re.compile(r"^\s*(IDENTIFICATION|ID|PROCEDURE)\s+DIVISION\b", re.I)
_PERIOD = re.compile(r"\s*\.")
_HINT = re.compile(r"EXEC", re.I)


def division_marks(codes: Sequence[str]) -> tuple[list[int], list[bool]]:
    """Line indexes where a program or its procedure division starts (for `in_procedure`)."""
    indexes: list[int] = []
    procedure: list[bool] = []
    for index, code in enumerate(codes):
        if "DIVISION" in code or "division" in code or "Division" in code:
            match = _DIVISION.match(code)
            if match:
                indexes.append(index)
                procedure.append(match.group(1).upper() == "PROCEDURE")
    return indexes, procedure


def in_procedure(marks: tuple[list[int], list[bool]], index: int) -> bool:
    """True when line `index` lies in a procedure division."""
    position = bisect_right(marks[0], index) - 1
    return position >= 0 and marks[1][position]


def _find_exec(code: str, start: int) -> int:
    for match in _EXEC.finditer(code, start):
        if match.group(1):
            return match.start(1)
    return -1


def _find_end(codes: Sequence[str], line: int, col: int) -> tuple[int, int] | None:
    """(line, column after END-EXEC) of the block starting at codes[line][col]."""
    for index in range(line, len(codes)):
        code = codes[index]
        for match in _END.finditer(code, col + 4 if index == line else 0):
            if match.group(1):
                return index, match.end(1)
    return None


def _fold(codes: Sequence[str], line: int, col: int, end_line: int, end: int) -> str:
    if line == end_line:
        return " ".join(codes[line][col:end].split())
    parts = [codes[line][col:], *codes[line + 1 : end_line], codes[end_line][:end]]
    return " ".join(" ".join(parts).split())


def mask_exec_blocks(
    codes: list[str],
    origins: Sequence[Origin],
    diagnostics: list[Diagnostic],
    candidates: Iterable[int] | None = None,
) -> list[ExecBlock]:
    """Mask every EXEC block in `codes` in place and return the facts.

    `candidates` (sorted line indexes that may hold EXEC) spares a search of every line.
    """
    blocks: list[ExecBlock] = []
    marks: tuple[list[int], list[bool]] | None = None
    done = -1  # lines up to here were consumed by a block
    lines = range(len(codes)) if candidates is None else candidates
    for index in lines:
        if index <= done or not _HINT.search(codes[index]):
            continue
        col = _find_exec(codes[index], 0)
        while col >= 0:
            marks = marks or division_marks(codes)
            found = _find_end(codes, index, col)
            if found is None:
                origin = origins[index]
                diagnostics.append(
                    Diagnostic(
                        origin.file,
                        origin.line,
                        "warning",
                        "exec-unterminated",
                        "EXEC without END-EXEC; the block was left as it is",
                    )
                )
                break
            end_line, end = found
            blocks.append(_block(codes, origins, index, col, end_line, end))
            after = _mask(codes, index, col, end_line, end, in_procedure(marks, index))
            index = done = end_line
            col = _find_exec(codes[index], after)
    return blocks


def _block(
    codes: Sequence[str], origins: Sequence[Origin], line: int, col: int, end_line: int, end: int
) -> ExecBlock:
    text = _fold(codes, line, col, end_line, end)
    words = text.split(None, 2)
    kind = _KINDS.get(words[1].upper(), "OTHER") if len(words) > 1 else "OTHER"
    first, last = origins[line], origins[end_line]
    end_physical = last.line if last.file == first.file and last.line >= first.line else first.line
    return ExecBlock(kind, text, first.file, first.line, end_physical, out_line=line + 1)  # type: ignore[arg-type]


def _mask(codes: list[str], line: int, col: int, end_line: int, end: int, procedure: bool) -> int:
    """Mask one block in place; returns the column to continue searching on `end_line`."""
    if not procedure:
        period = _PERIOD.match(codes[end_line], end)
        if period:
            end = period.end()
    replacement = "CONTINUE" if procedure else ""
    if line == end_line:
        code = codes[line]
        filler = replacement.ljust(end - col)
        codes[line] = (code[:col] + filler + code[end:]).rstrip()
        return col + len(filler)
    codes[line] = (codes[line][:col] + replacement).rstrip()
    for index in range(line + 1, end_line):
        codes[index] = ""
    tail = codes[end_line][end:]
    codes[end_line] = (" " * end + tail).rstrip() if tail.strip() else ""
    return end
