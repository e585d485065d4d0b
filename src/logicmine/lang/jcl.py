"""Read z/OS JCL decks into Job, JobStep and DDStatement facts.

Choices a reader of the facts should know:

- A step that comes from a procedure is named `<jobstep>.<procstep>` (`a.b.c` when nested) and
  its `file`/`line` are the procedure step's own physical place, in the procedure member or in
  the deck for an in-stream procedure: that is the line a reviewer opens to see the program.
  A DD overridden from the job points at the overriding DD statement instead.
- A deck without a JOB statement but with steps becomes one job named after the file stem.
- `disp` holds the DISP subparameters as written, upper-cased and without parentheses
  ("NEW,CATLG,DELETE", "SHR"). An omitted status (`DISP=(,CATLG)`) is written as NEW, which is
  what the system does; a DD without DISP keeps "" (no NEW is assumed). SYSOUT, DUMMY
  (or DSN=NULLFILE) and in-stream DDs have dsn "". GDG references keep `BASE(+1)` as written.
- Launchers: IKJEFT01/1A/1B steps take the program from `RUN PROGRAM(X)` or `CALL 'LIB(X)'`
  in an in-stream SYSTSIN; DFSRRC00 steps from the second PARM field. `launcher` then names the
  utility. When SYSTSIN is a data set the utility stays the program and an info Diagnostic says
  so, unless `members` (optional) can supply the member's text.
- Job-level DDs (JOBLIB, JOBCAT) are not kept: the Job fact has no place for them.
- `dd_access` cannot know what a program does with a DISP=OLD data set (exclusive use, often
  to replace or update it), so OLD counts as a write; SHR is a read.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

from ..model import DDStatement, Diagnostic, Job, JobStep, Severity
from .jcl_procs import (
    DDPart,
    Deck,
    ProcDef,
    ProcLibrary,
    StepInfo,
    Stmt,
    expand_step,
    parse_operands,
    split_operands,
    unquote,
)

__all__ = [
    "PROGRAM_LIBRARY_DDS",
    "JclResult",
    "ProcDef",
    "ProcLibrary",
    "dd_access",
    "parse_jcl",
    "read_procs",
]

log = logging.getLogger("logicmine.jcl")

Members = Callable[[str], "str | None"]  # member name -> its text, for SYSTSIN data sets

# DDs whose data sets hold programs or procedures (load modules, REXX, CLIST), not data.
PROGRAM_LIBRARY_DDS = frozenset(
    {"STEPLIB", "JOBLIB", "TASKLIB", "DFSRESLB", "ISPLLIB", "SYSEXEC", "SYSPROC"}
)
_FIELD_END = 71  # columns 72-80 hold the continuation mark and sequence numbers
_HEAD = re.compile(r"(\S*)\s+(\S+)\s*")
_STATEMENT_OPS = frozenset(
    "JOB EXEC DD PROC PEND SET JCLLIB INCLUDE IF ELSE ENDIF OUTPUT CNTL ENDCNTL EXPORT "
    "SCHEDULE XMIT COMMAND NOTIFY".split()
)
_MEMBER = re.compile(r"[A-Z@#$][A-Z0-9@#$]*")
_DSN_MEMBER = re.compile(r"\(([A-Za-z@#$][A-Za-z0-9@#$]*)\)$")
_TSO_LAUNCHERS = frozenset({"IKJEFT01", "IKJEFT1A", "IKJEFT1B"})
_IMS_LAUNCHERS = frozenset({"DFSRRC00"})
_IMS_REGIONS = frozenset("BMP DLI DBB MPP IFP JBP JMP ULU UDR".split())
_BLANKS = re.compile(r"\s+")
_TSO_COMMENT = re.compile(r"/\*.*?(?:\*/|$)")
_RUN = re.compile(r"\s*RUN\b(.*)", re.IGNORECASE | re.DOTALL)
_PROGRAM_OPTION = re.compile(r"\bPROG(?:RAM)?\s*\(\s*'?([A-Za-z@#$][A-Za-z0-9@#$]*)'?\s*\)", re.I)
_CALL = re.compile(r"\s*CALL\s+'?[^'(\s]*\(\s*([A-Za-z@#$][A-Za-z0-9@#$]*)\s*\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class JclResult:
    """The jobs of one deck and the problems met while reading it."""

    jobs: tuple[Job, ...]
    diagnostics: tuple[Diagnostic, ...]


def parse_jcl(
    text: str, path: str, procs: ProcLibrary | None = None, *, members: Members | None = None
) -> JclResult:
    """Jobs of a deck, with procedures expanded and launchers resolved; never raises."""
    try:
        return _parse_jcl(text, path, procs or ProcLibrary(), members)
    except Exception:  # a reader must not take the run down; the log keeps the traceback
        log.exception("JCL reader failed on %s", path)
        return JclResult((), (Diagnostic(path, 1, "error", "jcl-internal", "JCL reader failed"),))


def read_procs(text: str, path: str) -> tuple[list[ProcDef], list[Diagnostic]]:
    """Procedures of a cataloged PROC member (no PROC statement: the member is the file stem)."""
    try:
        deck = _read_deck(text, path, member=True)
    except Exception:  # see parse_jcl
        log.exception("JCL procedure reader failed on %s", path)
        return [], [Diagnostic(path, 1, "error", "jcl-internal", "JCL procedure reader failed")]
    diags = deck.diags
    if len(deck.procs) == 1 and deck.procs[0].name not in (deck.stem, ""):
        label = deck.procs[0]
        message = f"PROC statement says {label.name} but EXEC finds this member as {deck.stem}"
        diags.append(Diagnostic(path, label.line, "info", "jcl-proc-label", message))
    return deck.procs, _unique(diags)


def dd_access(disp: str, *, ddname: str = "") -> str:
    """'writes' for NEW, MOD and OLD (OLD is exclusive use, taken as an update), 'reads' for SHR.

    Given `ddname`, program libraries (STEPLIB, JOBLIB, ...) give '': they hold code, not data.
    """
    if ddname.upper() in PROGRAM_LIBRARY_DDS:
        return ""
    status = disp.split(",", 1)[0].strip().upper()
    if status in ("NEW", "MOD", "OLD"):
        return "writes"
    return "reads" if status == "SHR" else ""


def _parse_jcl(text: str, path: str, library: ProcLibrary, members: Members | None) -> JclResult:
    """parse_jcl without the safety net."""
    deck = _read_deck(text, path, member=False)
    diags = list(deck.diags)
    inline: dict[str, list[ProcDef]] = {}
    for proc in deck.procs:  # in definition order, so each list is sorted by line
        inline.setdefault(proc.name, []).append(proc)
    jobs = []
    for name, line, raw_steps in deck.jobs:
        steps: list[JobStep] = []
        for raw in raw_steps:
            lookup = partial(_lookup, inline, library, raw.line)
            for info in expand_step(raw, deck.symbols_at(raw.sets), lookup, diags):
                steps.append(_job_step(name, info, members, diags))
        jobs.append(Job(name, path, line, tuple(steps)))
    diags.sort(key=lambda diag: (diag.file, diag.line))
    return JclResult(tuple(jobs), tuple(_unique(diags)))


def _lookup(
    inline: dict[str, list[ProcDef]], library: ProcLibrary, line: int, name: str
) -> ProcDef | None:
    """The last in-stream procedure `name` defined before `line`, else the cataloged one."""
    defined = inline.get(name, [])
    index = bisect_left(defined, line, key=lambda proc: proc.line)
    return defined[index - 1] if index else library.get(name)


def _unique(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics without repeats (a procedure called twice reports its problems once)."""
    return list(dict.fromkeys(diags))


# ---------------------------------------------------------------- statements


def _scan(text: str, start: int, quoted: bool) -> tuple[str, bool]:
    """The operand field from `start` to the first blank outside apostrophes."""
    index = start
    while index < len(text):
        char = text[index]
        if char == "'":
            quoted = not quoted
        elif char in " \t" and not quoted:
            break
        index += 1
    return text[start:index], quoted


def _starts_statement(text: str) -> bool:
    """True when text (after `//` and blanks) begins with an operation, not operands."""
    word = text.split(None, 1)[0].upper() if text.strip() else ""
    return word in _STATEMENT_OPS


class _Lexer:
    """Physical lines to logical statements, with diagnostics for what does not fit."""

    def __init__(self, text: str, path: str) -> None:
        self.lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        self.path = path
        self.pos = 0
        self.stmts: list[Stmt] = []
        self.diags: list[Diagnostic] = []
        self.mergeable = False  # the last statement may still take operands (no data after it)
        self.comment_goes_on = False  # column 72 of the last statement line was not blank

    def run(self) -> tuple[list[Stmt], list[Diagnostic]]:
        """Read every line once."""
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.startswith("//*"):
                self.pos += 1
            elif line.startswith("//"):
                self._statement()
            elif line.startswith("/*"):  # a stray delimiter or a JES2 control statement
                self.pos += 1
                self.mergeable = False
            else:
                self._stray()
        return self.stmts, self.diags

    def _diag(self, line: int, severity: Severity, code: str, message: str) -> None:
        self.diags.append(Diagnostic(self.path, line, severity, code, message))

    def _stray(self) -> None:
        """Skip lines outside statements and in-stream data; one diagnostic per block."""
        first, count = 0, 0
        while self.pos < len(self.lines) and not self.lines[self.pos].startswith(("//", "/*")):
            if self.lines[self.pos].strip():
                first, count = first or self.pos + 1, count + 1
            self.pos += 1
        if count:
            self.mergeable = False
            message = f"{count} line(s) outside any JCL statement or in-stream data ignored"
            self._diag(first, "info", "jcl-stray", message)

    def _statement(self) -> None:
        """One `//` statement with its continuations and in-stream data."""
        lineno = self.pos + 1
        raw = self.lines[self.pos]
        body = raw[2:_FIELD_END]
        self.pos += 1
        if not body.strip():  # the null statement
            self.stmts.append(Stmt("", "", "", lineno))
            self.mergeable = False
            return
        head = _HEAD.match(body)
        if head is None:
            self._diag(lineno, "warning", "jcl-syntax", "statement has no operation field")
            return
        name, op = head.group(1).upper(), head.group(2).upper()
        if not name and op not in _STATEMENT_OPS:
            self._orphan_operands(body, head.start(2), lineno)
            return
        self.comment_goes_on = False
        if op == "IF":
            operands = self._if_condition(body[head.end(1) :])
        else:
            operands = self._operands(body, head.end())
        data = self._data(operands, lineno) if op == "DD" else ()
        self.stmts.append(Stmt(name, op, operands, lineno, data))
        self.mergeable = not data

    def _operands(self, body: str, start: int) -> str:
        """The operand field, following comma and apostrophe continuations."""
        chunk, quoted = _scan(body, start, False)
        parts, last = [chunk], self.pos
        while quoted or chunk.endswith(","):
            text = self._continuation(last, quoted)
            if text is None:
                parts[-1] = chunk.rstrip(",")
                break
            chunk, quoted = _scan(text, 0, quoted)
            parts.append(chunk)
            last = self.pos
        self.comment_goes_on = self._marked(last - 1) and not chunk.endswith(",")
        return "".join(parts)

    def _marked(self, index: int) -> bool:
        """True when column 72 of line `index` (0-based) is not blank: the comment goes on."""
        line = self.lines[index]
        return len(line) > _FIELD_END and not line[_FIELD_END].isspace()

    def _continuation(self, last: int, quoted: bool) -> str | None:
        """Operand text of the next continuation line, or None (with a diagnostic)."""
        while self.pos < len(self.lines) and self.lines[self.pos].startswith("//*"):
            self.pos += 1  # comment statements between continued lines are tolerated
        line = self.lines[self.pos] if self.pos < len(self.lines) else ""
        body = line[2:_FIELD_END]
        text = body.lstrip()
        if not line.startswith("//") or not text or body[0] != " " or _starts_statement(text):
            what = "an open apostrophe" if quoted else "a trailing comma"
            message = f"statement ends with {what} but the next line does not continue it"
            self._diag(last, "warning", "jcl-continuation", message)
            return None
        column = len(body) - len(text) + 3
        if column > 16 and not quoted:
            message = f"continued operands start in column {column}; columns 4-16 expected"
            self._diag(self.pos + 1, "warning", "jcl-continuation", message)
        self.pos += 1
        return text

    def _orphan_operands(self, body: str, start: int, lineno: int) -> None:
        """A nameless line that is not a statement: comment continuation or missing comma."""
        if self.comment_goes_on:  # column 72 marked the previous comment as continued
            self.comment_goes_on = self._marked(lineno - 1)
            return
        message = "line continues a statement whose previous line does not end with a comma"
        self._diag(lineno, "warning", "jcl-continuation", message)
        operands = self._operands(body, start)
        if self.mergeable and self.stmts:
            previous = self.stmts[-1]
            joined = f"{previous.operands},{operands}" if previous.operands else operands
            self.stmts[-1] = replace(previous, operands=joined)

    def _if_condition(self, text: str) -> str:
        """An IF statement's condition; it continues (without commas) up to THEN."""
        parts = [text.strip()]
        while "THEN" not in parts[-1].upper().split() and self.pos < len(self.lines):
            line = self.lines[self.pos]
            body = line[2:_FIELD_END].strip()
            if not line.startswith("// ") or not body or _starts_statement(body):
                break
            parts.append(body)
            self.pos += 1
        return " ".join(parts)

    def _data(self, operands: str, lineno: int) -> tuple[tuple[int, str], ...]:
        """In-stream records after DD * or DD DATA, up to the delimiter."""
        parsed = parse_operands(operands)
        first = parsed.positional[0].upper() if parsed.positional else ""
        if first not in ("*", "DATA"):
            return ()
        delimiter = unquote(parsed.keywords.get("DLM", ""))[:2] or "/*"
        records: list[tuple[int, str]] = []
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.startswith(delimiter):
                self.pos += 1
                return tuple(records)
            if first == "*" and line.startswith("//"):  # DD DATA alone may hold // lines
                return tuple(records)
            records.append((self.pos + 1, line))
            self.pos += 1
        if first == "DATA":
            message = f"DD DATA in-stream data is not closed by {delimiter}; read to end of file"
            self._diag(lineno, "warning", "jcl-instream", message)
        return tuple(records)


def _read_deck(text: str, path: str, member: bool) -> Deck:
    """Lex and assemble one file."""
    stmts, lex_diags = _Lexer(text, path).run()
    deck = Deck(path, member)
    deck.diags.extend(lex_diags)
    if not stmts:
        deck.diags.append(Diagnostic(path, 1, "info", "jcl-empty", "no JCL statements found"))
    for stmt in stmts:
        deck.feed(stmt)
    deck.close()
    deck.diags.sort(key=lambda d: d.line)
    return deck


# ---------------------------------------------------------------- facts


def _job_step(
    job: str, info: StepInfo, members: Members | None, diags: list[Diagnostic]
) -> JobStep:
    """The JobStep fact for an expanded step, with its launcher resolved."""
    program = _program_name(info, diags)
    resolved = ""
    if program in _TSO_LAUNCHERS:
        resolved = _tso_program(info, program, members, diags)
    elif program in _IMS_LAUNCHERS:
        resolved = _ims_program(info, program, diags)
    launcher = program if resolved else ""
    dds = tuple(_dd_fact(part) for part in info.dds)
    return JobStep(
        job, info.name, resolved or program, info.file, info.line, info.proc, launcher, dds
    )


def _program_name(info: StepInfo, diags: list[Diagnostic]) -> str:
    """The member name on PGM=, or '' for a backward reference or an unresolved symbol."""
    value = unquote(info.program.strip()).upper()
    if not value or _MEMBER.fullmatch(value):
        return value
    message = f"PGM={value} does not name a program (backward reference or undefined symbol)"
    diags.append(Diagnostic(info.file, info.line, "warning", "jcl-program", message))
    return ""


def _tso_program(info: StepInfo, tso: str, members: Members | None, diags: list[Diagnostic]) -> str:
    """The program a TSO batch step runs, from RUN PROGRAM(X) or CALL in its SYSTSIN."""
    lines: list[str] = []
    for part in (p for p in info.dds if p.name == "SYSTSIN"):
        lines += [text for _, text in part.data] if part.data else _member_lines(part, members)
    programs = list(dict.fromkeys(p for p in map(_tso_target, _tso_commands(lines)) if p))
    if not programs:
        diags.append(_tso_problem(info, tso, bool(lines)))
        return ""
    if len(programs) > 1:
        message = f"{tso} step runs {', '.join(programs)}; the step records {programs[0]}"
        diags.append(Diagnostic(info.file, info.line, "info", "jcl-launcher-multiple", message))
    return programs[0]


def _tso_problem(info: StepInfo, tso: str, read: bool) -> Diagnostic:
    """Why a TSO batch step keeps the launcher as its program."""
    systsin = [part for part in info.dds if part.name == "SYSTSIN"]
    if not systsin:
        code, line, why = "jcl-launcher-unresolved", info.line, "it has no SYSTSIN DD"
    elif read:
        code, line, why = "jcl-launcher-unresolved", systsin[0].line, "SYSTSIN has no RUN or CALL"
    else:
        dsn = _dsn(systsin[0]) or "a data set"
        code, line, why = "jcl-launcher-dataset", systsin[0].line, f"SYSTSIN is {dsn}"
    message = f"{tso} step: program not resolved because {why}; {tso} kept as program"
    return Diagnostic(info.file, line, "info", code, message)


def _member_lines(part: DDPart, members: Members | None) -> list[str]:
    """Lines of a SYSTSIN data set member when the caller can supply it."""
    dsn = unquote(part.keywords.get("DSN", ""))
    match = _DSN_MEMBER.search(dsn)
    text = members(match.group(1).upper()) if members and match else None
    if text is None:
        return []
    return text.split("\n")


def _tso_commands(lines: list[str]) -> list[str]:
    """TSO commands: comments removed, `-` and `+` continuations joined."""
    commands: list[str] = []
    current = ""
    for line in lines:
        text = _TSO_COMMENT.sub(" ", line[:72]).rstrip()
        if text.endswith(("-", "+")):
            current += text[:-1] + " "
            continue
        commands.append(current + text)
        current = ""
    if current:
        commands.append(current)
    return commands


def _tso_target(command: str) -> str:
    """Program named by a RUN (DSN subcommand) or CALL command, else ''."""
    run = _RUN.match(command)
    match = _PROGRAM_OPTION.search(run.group(1)) if run else _CALL.match(command)
    return match.group(1).upper() if match else ""


def _ims_program(info: StepInfo, ims: str, diags: list[Diagnostic]) -> str:
    """The program an IMS region controller runs: PARM=(BMP,PROGRAM,PSB,...)."""
    parm = info.keywords.get("PARM", "")
    fields = _parm_fields(parm)
    if len(fields) >= 2 and fields[0].upper() in _IMS_REGIONS:
        program = fields[1].upper()
        if _MEMBER.fullmatch(program):
            return program
    message = f"{ims} step: PARM={parm or '(none)'} names no program; {ims} kept as program"
    diags.append(Diagnostic(info.file, info.line, "info", "jcl-launcher-unresolved", message))
    return ""


def _parm_fields(parm: str) -> list[str]:
    """Fields of a PARM value: `(A,B)`, `'A,B'` and `('A,B')` give [A, B]."""
    text = parm.strip()
    for _ in range(2):  # parentheses around a quoted string, or the other way round
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
        text = unquote(text)
    return [unquote(field.strip()) for field in split_operands(text)]


def _dd_fact(part: DDPart) -> DDStatement:
    """The DDStatement fact for one data set of a DD."""
    return DDStatement(
        part.name, _dsn(part), _disp(part.keywords.get("DISP", "")), part.file, part.line
    )


def _dsn(part: DDPart) -> str:
    """The data set name, '' for SYSOUT, DUMMY and in-stream data."""
    first = part.positional[0].upper() if part.positional else ""
    if first in ("*", "DATA", "DUMMY") or "SYSOUT" in part.keywords:
        return ""
    dsn = unquote(part.keywords.get("DSN", "")).strip()
    return "" if dsn.upper() == "NULLFILE" else dsn


def _disp(value: str) -> str:
    """DISP subparameters as text: '(NEW,CATLG,DELETE)' -> 'NEW,CATLG,DELETE'."""
    text = value.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    text = _BLANKS.sub("", text).upper()
    return "NEW" + text if text.startswith(",") else text  # an omitted status means NEW
