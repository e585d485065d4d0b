"""Program and division boundaries, read from the canonical text line by line.

The grammar's tree is not trusted for this: one bad token can wrap a whole program in an ERROR
node. Headers are regular enough to find with a line regex, and everything else hangs off them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# cheap filter: every header this module looks for holds one of these words
_MAYBE_HEADER = re.compile(r"DIVISION|PROGRAM|SECTION", re.I)
_PROGRAM_ID = re.compile(r"^\s*PROGRAM-ID\s*\.?\s*['\"]?([A-Za-z0-9][A-Za-z0-9_-]*)", re.I)
_PROGRAM_ID_ALONE = re.compile(r"^\s*PROGRAM-ID\s*\.?\s*$", re.I)
_NAME_LINE = re.compile(r"^\s*['\"]?([A-Za-z0-9][A-Za-z0-9_-]*)", re.I)
_END_PROGRAM = re.compile(r"^\s*END\s+PROGRAM\s+['\"]?([A-Za-z0-9][A-Za-z0-9_-]*)", re.I)
_ID_DIVISION = re.compile(r"^\s*(?:IDENTIFICATION|ID)\s+DIVISION\b", re.I)
_DIVISION = re.compile(r"^\s*(ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION\b", re.I)
_SECTION = re.compile(
    r"^\s*(FILE|WORKING-STORAGE|LOCAL-STORAGE|LINKAGE|SCREEN|REPORT|COMMUNICATION)\s+SECTION\b",
    re.I,
)


@dataclass(slots=True)
class ProgramLayout:
    """Where one program's parts sit, as 0-based canonical line indexes (end exclusive)."""

    name: str
    start: int
    end: int
    data_start: int = -1
    procedure_start: int = -1
    sections: list[tuple[int, str]] = field(default_factory=list)  # (line index, section name)

    def section_at(self, index: int) -> str:
        """Data division section holding line `index`."""
        position = bisect.bisect_right(self.sections, (index, "\uffff")) - 1
        return self.sections[position][1] if position >= 0 else ""

    def in_procedure(self, index: int) -> bool:
        """True when line `index` lies in the procedure division."""
        return self.procedure_start >= 0 and self.procedure_start <= index < self.end


def find_programs(lines: list[str]) -> list[ProgramLayout]:
    """Programs in source order; nested and batch-compiled programs each get their own layout."""
    programs: list[ProgramLayout] = []
    pending_start: int | None = None
    for index, line in enumerate(lines):
        if not line or not _MAYBE_HEADER.search(line):
            continue
        if _ID_DIVISION.match(line):
            pending_start = index
            continue
        match = _PROGRAM_ID.match(line) or _program_id_split(lines, index)
        if match:
            if programs and programs[-1].end > index:
                programs[-1].end = pending_start if pending_start is not None else index
            start = pending_start if pending_start is not None else index
            programs.append(ProgramLayout(match.group(1).upper(), start, len(lines)))
            pending_start = None
            continue
        if programs and _END_PROGRAM.match(line):
            programs[-1].end = index + 1
            continue
        _note_division(programs, index, line)
    return programs


def _program_id_split(lines: list[str], index: int) -> re.Match[str] | None:
    """`PROGRAM-ID.` alone on its line, the name on the next code line (legal, and seen)."""
    if not _PROGRAM_ID_ALONE.match(lines[index]):
        return None
    for following in lines[index + 1 : index + 6]:
        if following.strip():
            return _NAME_LINE.match(following)
    return None


def _note_division(programs: list[ProgramLayout], index: int, line: str) -> None:
    if not programs or index >= programs[-1].end:
        return
    current = programs[-1]
    division = _DIVISION.match(line)
    if division:
        kind = division.group(1).upper()
        if kind == "DATA" and current.data_start < 0:
            current.data_start = index
        elif kind == "PROCEDURE" and current.procedure_start < 0:
            current.procedure_start = index
        return
    section = _SECTION.match(line)
    if section and current.procedure_start < 0:
        current.sections.append((index, section.group(1).upper()))
