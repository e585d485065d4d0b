"""JCL steps and procedures: statements assembled into jobs and procedures, then expanded.

`Deck` turns logical statements into jobs of raw steps and procedure definitions;
`expand_step` turns one job step into the concrete steps it runs. Operands are kept as written
and substituted when a procedure is expanded, the way the converter does it: `&NAME` and
`&NAME.` take the calling EXEC statement's value, else the PROC statement's default, else the
value of an earlier SET statement. Undefined symbols are left as written (the system does the
same inside apostrophes). Symbols are also substituted inside apostrophes, which z/OS only does
for PARM and a few other keywords; decks that rely on a literal `&` in a quoted DSN are rare
enough not to be worth the special case.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import ChainMap, Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import cast

from ..model import Diagnostic, Severity

MAX_PROC_DEPTH = 15  # z/OS itself allows procedures nested 15 levels deep
# EXEC keywords: on an EXEC that calls a procedure they override the procedure's steps;
# every other keyword on that statement assigns a symbolic parameter.
EXEC_KEYWORDS = frozenset(
    "ACCT ADDRSPC CCSID COND DYNAMNBR MEMLIMIT PARM PARMDD PERFORM RD REGION REGIONX "
    "TIME TVSMSG TVSAMCOM".split()
)
_KEYWORD = re.compile(r"([A-Za-z@#$][A-Za-z0-9@#$]*(?:\.[A-Za-z0-9@#$]+)*)=(.*)", re.DOTALL)
_SYMBOL = re.compile(r"&&|&([A-Za-z@#$][A-Za-z0-9@#$]*)(\.?)")
_SYMBOLS_OPTION = re.compile(r"(?:^|,)SYMBOLS=", re.IGNORECASE)
_ALIASES = {"DSNAME": "DSN"}
JOB_LEVEL_DDS = frozenset({"JOBLIB", "JOBCAT", "SYSCHK"})

Lookup = Callable[[str], "ProcDef | None"]


@dataclass(frozen=True, slots=True)
class RawDD:
    """One DD statement as written; a concatenated DD carries the name of the DD it extends."""

    name: str  # DDNAME, or PROCSTEP.DDNAME when it overrides a procedure step
    operands: str
    file: str
    line: int
    concat: bool = False
    data: tuple[tuple[int, str], ...] = ()  # in-stream records with their line numbers


@dataclass(frozen=True, slots=True)
class RawStep:
    """One EXEC statement as written, with the DD statements that follow it."""

    name: str
    operands: str
    file: str
    line: int
    dds: tuple[RawDD, ...] = ()
    sets: int = 0  # SET assignments read before a job-level EXEC (see SetSymbols)


@dataclass(frozen=True, slots=True)
class ProcDef:
    """A cataloged or in-stream procedure: its defaults and its raw steps."""

    name: str
    file: str
    line: int
    params: tuple[tuple[str, str], ...]  # defaults from the PROC statement, as written
    steps: tuple[RawStep, ...]
    symbols: tuple[tuple[str, str], ...] = ()  # SET statements inside the procedure


class ProcLibrary:
    """Cataloged procedures found in the repository, looked up by member name.

    EXEC finds a cataloged procedure by its member name, which the file stem stands for; the
    name on the PROC statement is only a label. A procedure is found by its member name
    first (when its file holds just one procedure), then by its PROC label. The first
    definition of a name wins, as in a library concatenation; later ones are `shadowed`.
    """

    def __init__(self, procs: Iterable[ProcDef] = ()) -> None:
        self._all = list(procs)
        per_file = Counter(proc.file for proc in self._all)
        self._members: dict[str, ProcDef] = {}
        self._labels: dict[str, ProcDef] = {}
        self.shadowed: list[ProcDef] = []
        for proc in self._all:
            if per_file[proc.file] == 1:
                self._keep(self._members, PurePosixPath(proc.file).stem.upper(), proc)
            self._labels.setdefault(proc.name.upper(), proc)

    def _keep(self, table: dict[str, ProcDef], name: str, proc: ProcDef) -> None:
        if table.setdefault(name, proc) is not proc:
            self.shadowed.append(proc)

    def get(self, name: str) -> ProcDef | None:
        """The procedure an EXEC statement naming `name` runs, or None."""
        key = name.upper()
        return self._members.get(key) or self._labels.get(key)

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[ProcDef]:
        return iter(sorted(self._all, key=lambda proc: (proc.file, proc.line)))


@dataclass(frozen=True, slots=True)
class Operands:
    """An operand field split into positional and keyword parameters."""

    positional: tuple[str, ...]
    keywords: dict[str, str]


@dataclass(frozen=True, slots=True)
class DDPart:
    """One data set of a DD (a concatenation has several), after overrides and substitution."""

    name: str
    positional: tuple[str, ...]
    keywords: dict[str, str]
    file: str
    line: int
    data: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class StepInfo:
    """An expanded step: the program named on PGM= (or '' when unknown) and its DDs."""

    name: str
    program: str
    proc: str
    file: str
    line: int
    keywords: dict[str, str]
    dds: tuple[DDPart, ...]


@dataclass(frozen=True, slots=True)
class Stmt:
    """A logical statement: continuation lines joined, in-stream data attached."""

    name: str
    op: str  # '' for the null statement
    operands: str
    line: int
    data: tuple[tuple[int, str], ...] = ()


# ---------------------------------------------------------------- operands and symbols


def split_operands(text: str) -> list[str]:
    """Split at commas outside apostrophes and parentheses."""
    items: list[str] = []
    depth, quoted, start = 0, False, 0
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted  # a doubled '' toggles twice and stays quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append(text[start:index])
            start = index + 1
    items.append(text[start:])
    return items if text else []


def parse_operands(text: str) -> Operands:
    """Positional parameters in order and keyword parameters by upper-case name."""
    positional: list[str] = []
    keywords: dict[str, str] = {}
    for item in split_operands(text):
        match = _KEYWORD.fullmatch(item)
        if match:
            key = match.group(1).upper()
            keywords.setdefault(_ALIASES.get(key, key), match.group(2))
        elif item:
            positional.append(item)
    return Operands(tuple(positional), keywords)


def unquote(value: str) -> str:
    """The text inside apostrophes, with doubled apostrophes reduced."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def symbol_value(value: str) -> str:
    """A symbol's substitution text: apostrophes dropped, parentheses kept, && compressed."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value.replace("&&", "&")


def substitute(text: str, env: Mapping[str, str]) -> str:
    """Replace `&NAME` and `&NAME.` by their values; `&&` and unknown names stay as written."""
    if "&" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        name = (match.group(1) or "").upper()
        if len(name) > 8 or name not in env:
            return match.group(0)
        return env[name]

    return _SYMBOL.sub(value, text)


class SetSymbols(Mapping[str, str]):
    """Values of SET symbols as of one point of a deck: a view of a history shared by all steps.

    Every step sees the SETs before it without a copy of the table per step, which keeps a
    deck with many SET statements linear.
    """

    __slots__ = ("_history", "_count")

    def __init__(self, history: Mapping[str, list[tuple[int, str]]], count: int) -> None:
        self._history = history  # name -> [(assignment number, value)], numbers ascending
        self._count = count

    def __getitem__(self, name: str) -> str:
        entries = self._history.get(name, [])
        index = bisect_right(entries, self._count, key=lambda entry: entry[0])
        if not index:
            raise KeyError(name)
        return entries[index - 1][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, entries in self._history.items() if entries[0][0] <= self._count)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _symbols(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Symbol table from (name, value as written) pairs."""
    return {name.upper(): symbol_value(value) for name, value in pairs}


# ---------------------------------------------------------------- expansion


@dataclass(frozen=True, slots=True)
class _Context:
    """What stays fixed while one job-level step is expanded."""

    lookup: Lookup
    job_symbols: Mapping[str, str]
    diags: list[Diagnostic]


def expand_step(
    step: RawStep, env: Mapping[str, str], lookup: Lookup, diags: list[Diagnostic]
) -> list[StepInfo]:
    """Expand a job-level EXEC: SET symbols `env` first, then the program or procedure it runs."""
    context = _Context(lookup, env, diags)
    return _expand(_substituted(step, env), context, "", (), {}, ())


def _substituted(step: RawStep, env: Mapping[str, str]) -> RawStep:
    """The step with symbols substituted in its EXEC and DD operands."""
    dds = tuple(_substituted_dd(dd, env) for dd in step.dds)
    return replace(step, operands=substitute(step.operands, env), dds=dds)


def _substituted_dd(dd: RawDD, env: Mapping[str, str]) -> RawDD:
    """A DD with symbols substituted; in-stream data only when SYMBOLS= asks for it."""
    operands = substitute(dd.operands, env)
    data = dd.data
    if data and _SYMBOLS_OPTION.search(operands):
        data = tuple((line, substitute(text, env)) for line, text in data)
    return replace(dd, operands=operands, data=data)


def _qualified(prefix: str, name: str) -> str:
    """`outer.inner` step name; either part may be missing."""
    return f"{prefix}.{name}" if prefix and name else prefix or name


def _expand(
    step: RawStep,
    context: _Context,
    prefix: str,
    active: tuple[str, ...],
    exec_over: Mapping[str, str],
    dd_over: tuple[RawDD, ...],
) -> list[StepInfo]:
    """Steps run by one (already substituted) EXEC statement inside the procedures `active`."""
    operands = parse_operands(step.operands)
    keywords = {k: v for k, v in {**operands.keywords, **exec_over}.items() if v != ""}
    name = _qualified(prefix, step.name.upper())
    proc = active[-1] if active else ""
    if "PGM" in keywords:
        dds = _merge(_groups(step.dds), _groups(dd_over))
        return [StepInfo(name, keywords["PGM"], proc, step.file, step.line, keywords, dds)]
    target = unquote(keywords.get("PROC") or next(iter(operands.positional), "")).upper()
    definition = context.lookup(target) if target else None
    problem = _call_problem(target, definition, active)
    if problem is not None or definition is None:
        code, message = problem or ("jcl-proc-missing", target)
        context.diags.append(Diagnostic(step.file, step.line, "warning", code, message))
        dds = _merge(_groups(step.dds), _groups(dd_over))
        return [StepInfo(name, "", target, step.file, step.line, keywords, dds)]
    call = replace(step, dds=step.dds + dd_over)
    return _expand_proc(definition, call, keywords, context, name, active + (target,))


def _call_problem(
    target: str, definition: ProcDef | None, active: tuple[str, ...]
) -> tuple[str, str] | None:
    """Why an EXEC statement cannot be expanded, or None."""
    if not target:
        return "jcl-exec", "EXEC statement names neither PGM= nor a procedure"
    if definition is None:
        return "jcl-proc-missing", f"procedure {target} not found in the deck or the library"
    if target in active:
        chain = " -> ".join(active + (target,))
        return "jcl-proc-recursive", f"procedure {target} calls itself ({chain})"
    if len(active) >= MAX_PROC_DEPTH:
        return "jcl-proc-depth", f"procedure {target} nested more than {MAX_PROC_DEPTH} levels deep"
    return None


def _expand_proc(
    definition: ProcDef,
    call: RawStep,
    keywords: Mapping[str, str],
    context: _Context,
    prefix: str,
    active: tuple[str, ...],
) -> list[StepInfo]:
    """The steps of a procedure, with the caller's symbols and overrides applied."""
    calling = _symbols((k, v) for k, v in keywords.items() if _is_symbol(k))
    defaults = _symbols(definition.params + definition.symbols)  # SETs inside come later
    job = cast("MutableMapping[str, str]", context.job_symbols)  # ChainMap only reads it
    env = ChainMap(calling, defaults, job)
    names = [step.name.upper() for step in definition.steps]
    exec_over = _exec_overrides(keywords, names)
    dd_over = _dd_overrides(call, names, active[-1], context.diags)
    steps: list[StepInfo] = []
    for raw, name in zip(definition.steps, names, strict=True):
        overrides = exec_over.get(name, {}), tuple(dd_over.get(name, ()))
        steps += _expand(_substituted(raw, env), context, prefix, active, *overrides)
    return steps


def _is_symbol(key: str) -> bool:
    """True for a keyword of a procedure-calling EXEC that assigns a symbolic parameter."""
    return key not in ("PROC", "PGM") and key.partition(".")[0] not in EXEC_KEYWORDS


def _exec_overrides(keywords: Mapping[str, str], names: list[str]) -> dict[str, dict[str, str]]:
    """EXEC keyword overrides per procedure step: `PARM.STEP=` for one, `PARM=` for the first."""
    result: dict[str, dict[str, str]] = {name: {} for name in names}
    for key, value in keywords.items():
        base, _, target = key.partition(".")
        if base not in EXEC_KEYWORDS or target:
            continue
        for index, name in enumerate(names):
            # An unqualified PARM goes to the first step and nullifies PARM on the others.
            result[name][base] = "" if base == "PARM" and index else value
    for key, value in keywords.items():
        base, _, target = key.partition(".")
        if base in EXEC_KEYWORDS and target:
            result.setdefault(target.upper(), {})[base] = value
    return result


def _dd_overrides(
    call: RawStep, names: list[str], proc: str, diags: list[Diagnostic]
) -> dict[str, list[RawDD]]:
    """Overriding and added DDs per procedure step; unqualified ones follow the previous one."""
    result: dict[str, list[RawDD]] = {}
    target = names[0] if names else ""
    for dd in call.dds:
        step, dot, ddname = dd.name.rpartition(".")
        if dot and not dd.concat:
            target = step.upper()
            if target not in names:
                message = f"DD {dd.name} overrides step {target}, which procedure {proc} lacks"
                diags.append(Diagnostic(dd.file, dd.line, "warning", "jcl-override", message))
        result.setdefault(target, []).append(replace(dd, name=ddname.upper()))
    return result


def _groups(dds: Iterable[RawDD]) -> list[tuple[str, list[DDPart]]]:
    """DDs grouped by ddname: a concatenation is one group of several parts."""
    groups: list[tuple[str, list[DDPart]]] = []
    for dd in dds:
        name = dd.name.upper()
        operands = parse_operands(dd.operands)
        part = DDPart(name, operands.positional, operands.keywords, dd.file, dd.line, dd.data)
        if dd.concat and groups:
            groups[-1][1].append(replace(part, name=groups[-1][0]))
        else:
            groups.append((name, [part]))
    return groups


def _merge(
    base: list[tuple[str, list[DDPart]]], over: list[tuple[str, list[DDPart]]]
) -> tuple[DDPart, ...]:
    """A step's DDs after overrides: matching ddnames merge part by part, others are added."""
    groups = [(name, list(parts)) for name, parts in base]
    index: dict[str, int] = {}
    for position, (name, _) in enumerate(groups):
        index.setdefault(name, position)  # the first of duplicate ddnames is the one overridden
    for name, parts in over:
        position = index.setdefault(name, len(groups))
        if position == len(groups):
            groups.append((name, list(parts)))
            continue
        old = groups[position][1]
        new = [_merge_part(old[i], part) if i < len(old) else part for i, part in enumerate(parts)]
        groups[position] = (name, new + old[len(new) :])
    return tuple(part for _, parts in groups for part in parts)


def _merge_part(old: DDPart, new: DDPart) -> DDPart:
    """Override one DD: keywords replace or (when empty) nullify; exclusive ones drop out."""
    if not new.positional and not new.keywords:
        return old  # a blank operand field leaves that part of a concatenation unchanged
    keywords = {**old.keywords, **new.keywords}
    if "SYSOUT" in new.keywords:
        for key in ("DSN", "DISP"):
            keywords.pop(key, None)
    elif "DSN" in new.keywords:
        keywords.pop("SYSOUT", None)
    keywords = {k: v for k, v in keywords.items() if v != ""}
    positional = new.positional
    if not positional and not ({"DSN", "SYSOUT"} & set(new.keywords)):
        positional = old.positional  # e.g. DUMMY survives an override that only changes DCB
    instream = bool(positional) and positional[0].upper() in ("*", "DATA")
    data = (new.data or (old.data if positional == old.positional else ())) if instream else ()
    return DDPart(old.name, positional, keywords, new.file, new.line, data)


# ---------------------------------------------------------------- deck structure


class Deck:
    """Jobs, steps and in-stream procedures of one file, built statement by statement."""

    def __init__(self, path: str, member: bool) -> None:
        self.path = path
        self.stem = PurePosixPath(path).stem.upper() or "JOB"
        self.member = member  # a procedure member: steps outside PROC form a procedure
        self.jobs: list[tuple[str, int, list[RawStep]]] = []
        self.procs: list[ProcDef] = []
        self.diags: list[Diagnostic] = []
        self._history: dict[str, list[tuple[int, str]]] = {}
        self._sets = 0
        self._job: list[RawStep] | None = None
        self._proc: ProcDef | None = None  # header of the procedure being defined
        self._proc_steps: list[RawStep] = []
        self._proc_sets: list[tuple[str, str]] = []
        self._step: RawStep | None = None
        self._dds: list[RawDD] = []
        self._last_dd = ""
        self._ended = False  # a null statement or a JOB in a member: steps are no longer read

    def feed(self, stmt: Stmt) -> None:
        """Take one statement."""
        handler = _HANDLERS.get(stmt.op)
        if handler is not None:
            handler(self, stmt)

    def close(self) -> None:
        """End of file: finish what is open."""
        self._close_step()
        self._close_proc()

    def _diag(self, line: int, severity: Severity, code: str, message: str) -> None:
        self.diags.append(Diagnostic(self.path, line, severity, code, message))

    def _close_step(self) -> None:
        """The current step, with its DDs, goes to the open procedure or job."""
        if self._step is not None:
            step = replace(self._step, dds=tuple(self._dds))
            if self._proc is not None:
                self._proc_steps.append(step)
            elif self._job is not None:
                self._job.append(step)
        self._step, self._dds, self._last_dd = None, [], ""

    def _close_proc(self, pend: bool = False) -> None:
        """The open procedure is complete; in a deck only PEND closes it cleanly."""
        if self._proc is not None and not pend and not self.member:
            message = f"in-stream procedure {self._proc.name} has no PEND"
            self._diag(self._proc.line, "warning", "jcl-syntax", message)
        if self._proc is not None:
            steps, sets = tuple(self._proc_steps), tuple(self._proc_sets)
            self.procs.append(replace(self._proc, steps=steps, symbols=sets))
        self._proc, self._proc_steps, self._proc_sets = None, [], []

    def on_job(self, stmt: Stmt) -> None:
        """JOB: a new job (in a member: the end of what is read)."""
        self._close_step()
        self._close_proc()
        if self.member:
            self._diag(stmt.line, "info", "jcl-syntax", "JOB statement in a procedure member")
            self._ended = True
            return
        if not stmt.name:
            self._diag(stmt.line, "warning", "jcl-syntax", "JOB statement without a job name")
        self._job = []
        self.jobs.append((stmt.name or self.stem, stmt.line, self._job))
        self._ended = False

    def on_exec(self, stmt: Stmt) -> None:
        """EXEC: a new step of the open procedure or job."""
        self._close_step()
        if self._proc is None and not self._open_owner(stmt):
            return
        sets = 0 if self._proc is not None else self._sets
        self._step = RawStep(stmt.name, stmt.operands, self.path, stmt.line, (), sets)

    def _open_owner(self, stmt: Stmt) -> bool:
        """Make sure a job (or, in a member, a procedure) is open to take a step."""
        if self._ended:
            if not self.member:
                message = "step after the null statement that ended the job ignored"
                self._diag(stmt.line, "warning", "jcl-after-end", message)
            return False
        if self.member:  # a member without a PROC statement is the procedure named by its file
            self._proc = ProcDef(self.stem, self.path, stmt.line, (), ())
        elif self._job is None:  # no JOB statement: the job is named after the file stem
            self._job = []
            self.jobs.append((self.stem, stmt.line, self._job))
        return True

    def on_dd(self, stmt: Stmt) -> None:
        """DD: one more DD (or data set of a concatenation) of the current step."""
        if self._step is None:
            if stmt.name and stmt.name not in JOB_LEVEL_DDS:
                message = f"DD {stmt.name} outside any step ignored"
                self._diag(stmt.line, "info", "jcl-orphan-dd", message)
            return
        concat = not stmt.name and bool(self._last_dd)
        self._last_dd = stmt.name or self._last_dd
        dd = RawDD(self._last_dd, stmt.operands, self.path, stmt.line, concat, stmt.data)
        self._dds.append(dd)

    def on_proc(self, stmt: Stmt) -> None:
        """PROC: a procedure definition starts; its operands are the defaults."""
        self._close_step()
        self._close_proc()
        name = stmt.name or (self.stem if self.member else "")
        if not name:
            self._diag(stmt.line, "warning", "jcl-syntax", "PROC statement without a name")
        params = tuple(parse_operands(stmt.operands).keywords.items())
        self._proc = ProcDef(name, self.path, stmt.line, params, ())

    def on_pend(self, stmt: Stmt) -> None:
        """PEND: the end of an in-stream procedure."""
        self._close_step()
        if self._proc is None:
            self._diag(stmt.line, "warning", "jcl-syntax", "PEND without a PROC statement")
        self._close_proc(pend=True)

    def on_set(self, stmt: Stmt) -> None:
        """SET: symbols for the statements that follow."""
        pairs = parse_operands(stmt.operands).keywords.items()
        if self._proc is not None:  # a SET inside a procedure acts when the procedure runs
            self._proc_sets.extend(pairs)
            return
        for name, value in pairs:
            resolved = symbol_value(substitute(value, self.symbols_at(self._sets)))
            self._sets += 1
            self._history.setdefault(name, []).append((self._sets, resolved))

    def symbols_at(self, sets: int) -> SetSymbols:
        """SET symbols as they stood after the first `sets` assignments."""
        return SetSymbols(self._history, sets)

    def on_null(self, stmt: Stmt) -> None:
        """The null statement `//`: the end of the job."""
        self.close()
        self._job = None
        self._ended = not self.member

    def on_include(self, stmt: Stmt) -> None:
        """INCLUDE: not expanded; said so."""
        member = parse_operands(stmt.operands).keywords.get("MEMBER", stmt.operands)
        message = f"INCLUDE MEMBER={member} is not expanded"
        self._diag(stmt.line, "info", "jcl-include", message)


_HANDLERS: dict[str, Callable[[Deck, Stmt], None]] = {
    "JOB": Deck.on_job,
    "EXEC": Deck.on_exec,
    "DD": Deck.on_dd,
    "PROC": Deck.on_proc,
    "PEND": Deck.on_pend,
    "SET": Deck.on_set,
    "": Deck.on_null,
    "INCLUDE": Deck.on_include,
}
