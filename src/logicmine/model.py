"""The facts: frozen values passed from one pipeline stage to the next."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Literal

Severity = Literal["info", "warning", "error"]
FileKind = Literal["cobol", "copybook", "jcl", "bms", "java", "other"]


@dataclass(frozen=True, slots=True)
class Origin:
    """A physical place a reviewer can open: repo-relative POSIX path and 1-based line."""

    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Span:
    """A physical line range in one file (inclusive)."""

    file: str
    line: int
    end_line: int

    def cite(self) -> str:
        """`file:start-end` as written in every citation."""
        return f"{self.file}:{self.line}-{self.end_line}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A per-file problem: collected and reported, never raised."""

    file: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        """One line naming file, line and reason."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A discovered file: its kind, how it was decoded, and its content hash."""

    path: str  # repo-relative POSIX path
    kind: FileKind
    encoding: str
    line_count: int
    sha256: str
    size: int


# ---------------------------------------------------------------- COBOL facts


@dataclass(frozen=True, slots=True)
class DataItem:
    """A data description entry; 88-levels carry their values and their parent field."""

    program: str
    level: int
    name: str
    file: str
    line: int
    pic: str = ""
    usage: str = ""
    value: str = ""
    occurs: str = ""
    redefines: str = ""
    parent: str = ""  # enclosing group item (for 88-levels: the conditional variable)
    values: tuple[str, ...] = ()  # 88-level values (literals as written, THRU kept as 'A THRU B')
    copybook: str = ""  # copybook member the entry came from, if any
    section: str = ""  # FILE, WORKING-STORAGE, LOCAL-STORAGE, LINKAGE


@dataclass(frozen=True, slots=True)
class Procedure:
    """A paragraph, a section or (Java) a method, with its physical span."""

    id: str  # stable node id, e.g. cobol:PROG:PARA
    program: str
    name: str
    kind: Literal["paragraph", "section", "method", "constructor"]
    file: str
    line: int
    end_line: int
    section: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """One statement that points elsewhere: PERFORM, GO TO, CALL, LINK, XCTL, I/O."""

    kind: str  # performs, goes_to, calls, links, xctls, reads, writes, opens, sends, receives, ...
    program: str
    procedure: str  # name of the procedure holding the statement ('' for program level)
    target: str  # paragraph, program, file, dataset, table, map, transaction
    file: str
    line: int
    target_end: str = ""  # PERFORM ... THRU target_end
    inline: bool = False  # inline PERFORM (no target)
    dynamic: bool = False  # target held in a data name and not resolved
    via: str = ""  # the data name a dynamic target was resolved through
    detail: str = ""  # free text: CICS option, SQL verb, DISP, columns


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement of the procedure division, flat, in source order.

    `verb` is upper case (IF, ELSE, END-IF, EVALUATE, WHEN, WHEN-OTHER, END-EVALUATE, MOVE,
    COMPUTE, PERFORM, ..., PERIOD for a separator period, EXEC for a masked EXEC block).
    """

    verb: str
    text: str  # the statement's text, whitespace folded
    procedure: str
    file: str
    line: int
    end_line: int
    recovered: bool = False  # came from the scanner inside an ERROR region


@dataclass(frozen=True, slots=True)
class ExecBlock:
    """An EXEC CICS / SQL / DLI block, masked for the grammar and kept as a fact."""

    kind: Literal["CICS", "SQL", "DLI", "OTHER"]
    text: str  # whitespace folded, from EXEC to END-EXEC
    file: str
    line: int
    end_line: int
    out_line: int = 0  # first line in the preprocessed text


@dataclass(frozen=True, slots=True)
class CopyUse:
    """A COPY (or EXEC SQL INCLUDE) statement and what it resolved to."""

    member: str
    resolved: str | None  # repo-relative path, None when missing
    file: str
    line: int
    library: str = ""


@dataclass(frozen=True, slots=True)
class Fidelity:
    """How much of a file the grammar understood."""

    lines: int = 0
    code_lines: int = 0
    error_lines: int = 0  # code lines inside ERROR nodes before recovery
    unrecovered_lines: int = 0  # after recovery
    recovered_statements: int = 0
    timed_out: bool = False


@dataclass(frozen=True, slots=True)
class Program:
    """Everything the COBOL front end learned about one program."""

    name: str
    file: str
    line: int
    end_line: int
    language: str = "cobol"
    procedures: tuple[Procedure, ...] = ()
    data_items: tuple[DataItem, ...] = ()
    statements: tuple[Statement, ...] = ()
    references: tuple[Reference, ...] = ()
    exec_blocks: tuple[ExecBlock, ...] = ()
    copybooks: tuple[CopyUse, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (COBOL file name, ASSIGN target)
    fidelity: Fidelity = field(default_factory=Fidelity)
    entry_points: tuple[str, ...] = ()  # ENTRY 'x' names


# ---------------------------------------------------------------- JCL facts


@dataclass(frozen=True, slots=True)
class DDStatement:
    """A DD statement of a step."""

    name: str
    dsn: str
    disp: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class JobStep:
    """A job step: the program it runs (after launcher and PROC resolution) and its DDs."""

    job: str
    name: str
    program: str
    file: str
    line: int
    proc: str = ""  # PROC the step came from, if any
    launcher: str = ""  # e.g. IKJEFT01, DFSRRC00 when program was resolved through one
    dds: tuple[DDStatement, ...] = ()


@dataclass(frozen=True, slots=True)
class Job:
    """A JCL job and its steps."""

    name: str
    file: str
    line: int
    steps: tuple[JobStep, ...] = ()


# ---------------------------------------------------------------- rules and clusters

RuleKind = Literal[
    "calculation",
    "validation",
    "decision",
    "routing",
    "state-transition",
    "data-access",
    "error-handling",
]


@dataclass(frozen=True, slots=True)
class Branch:
    """One branch of a decision: its condition (88-levels resolved) and its actions."""

    condition: str
    actions: tuple[str, ...]
    line: int
    end_line: int
    values: tuple[str, ...] = ()  # EVALUATE: the WHEN object for each subject, as written


@dataclass(frozen=True, slots=True)
class Rule:
    """A business rule with its exact physical citation."""

    id: str
    program: str
    procedure: str
    kind: RuleKind
    file: str
    start_line: int
    end_line: int
    conditions: tuple[str, ...]
    actions: tuple[str, ...]
    text: str
    branches: tuple[Branch, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    cluster: str = ""
    subjects: tuple[str, ...] = ()  # EVALUATE subjects (ALSO splits them); () for IF chains

    @property
    def span(self) -> Span:
        """The rule's citation."""
        return Span(self.file, self.start_line, self.end_line)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of procedures serving one business process."""

    id: str
    program: str
    entry: str
    procedures: tuple[str, ...]
    rules: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of a summary and the lines it rests on."""

    text: str
    citations: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """A summary of a rule, cluster or program; every claim cites lines."""

    subject: str  # rule id, cluster id or program node id
    title: str
    claims: tuple[Claim, ...]
    source: Literal["offline", "model", "fallback"] = "offline"


@dataclass(frozen=True, slots=True)
class Process:
    """A business process: an entry point and everything it alone sets in motion."""

    id: str
    title: str
    entry: str  # graph node id of the entry: a job step, a program, a transaction
    entry_kind: str  # job-step, online, batch, subroutine, main
    programs: tuple[str, ...]
    procedures: tuple[str, ...]  # procedure node ids, in program and source order
    rules: tuple[str, ...]
    datasets: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    screens: tuple[str, ...] = ()
    parent: str = ""  # set when a large process was split: the id it was split from
    part: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Smell:
    """A piece of logic that cannot do what it seems to: cited, with the reason."""

    kind: str  # unreachable-paragraph, repeated-condition, impossible-branch, unused-code
    program: str
    file: str
    line: int
    end_line: int
    message: str


@dataclass(frozen=True, slots=True)
class Estate:
    """Everything gathered about a repository before anything is written."""

    root: str
    sources: tuple[SourceFile, ...] = ()
    programs: tuple[Program, ...] = ()
    jobs: tuple[Job, ...] = ()
    rules: tuple[Rule, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    summaries: tuple[Summary, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    processes: tuple[Process, ...] = ()
    smells: tuple[Smell, ...] = ()


def rule_order(rule: Rule) -> tuple:
    """The order rules are listed in (rules.json, program pages, the change report)."""
    return (rule.program, rule.file, rule.start_line, rule.end_line, rule.id)


# ---------------------------------------------------------------- pickling


def _fast_pickling(cls: type) -> None:
    """Give a frozen slotted dataclass a state that is the tuple of its field values.

    Facts cross process boundaries (parse workers, the state's cache and memo) by the
    hundreds of thousands; the state functions dataclasses generate look their fields up again
    for every object, which made pickling and unpickling the facts about 2.5 times slower.
    """
    names = tuple(f for f in cls.__dataclass_fields__)
    values = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    # each field's slot, set directly: a frozen class refuses setattr, and going through
    # object.__setattr__ by name cost 1.7 times as much for millions of facts
    setters = tuple(cls.__dict__[name].__set__ for name in names)

    def __getstate__(self):
        return values(self)

    def __setstate__(self, state):
        for put, value in zip(setters, state, strict=True):
            put(self, value)

    cls.__getstate__ = __getstate__
    cls.__setstate__ = __setstate__


for _cls in list(globals().values()):
    if isinstance(_cls, type) and _cls.__module__ == __name__ and \
            hasattr(_cls, "__dataclass_fields__") and "__slots__" in _cls.__dict__:
        _fast_pickling(_cls)
del _cls


class Deferred(Sequence):
    """A program's statements as they were pickled, unpickled when first read.

    Statements are three quarters of a COBOL program's facts and are read only to work out
    the program's rules, smells and data uses, which the build keeps in its memo: a rebuild
    that takes a program's facts from the state and its analysis from the memo never reads
    them, and at a million lines unpickling them was most of reading the facts back. Pickling
    a program whose statements were not read copies their bytes as they are. It compares,
    hashes and prints as the tuple it stands for."""

    __slots__ = ("_blob", "_items")

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._items: tuple | None = None

    def _load(self) -> tuple:
        if self._items is None:
            self._items = pickle.loads(self._blob)
            self._blob = None
        return self._items

    def blob(self) -> bytes:
        """The pickled tuple, unpickled or not."""
        if self._blob is not None:
            return self._blob
        return pickle.dumps(self._items, protocol=pickle.HIGHEST_PROTOCOL)

    def __len__(self) -> int:
        return len(self._load())

    def __getitem__(self, index):
        return self._load()[index]

    def __iter__(self) -> Iterator:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, Deferred)):
            return self._load() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._load())

    def __repr__(self) -> str:
        return repr(self._load())

    def __reduce__(self):
        return (Deferred, (self.blob(),))


def _defer_statements() -> None:
    """Program pickles its statements as one blob, read back as a Deferred."""
    at = tuple(Program.__dataclass_fields__).index("statements")
    plain_get, plain_set = Program.__getstate__, Program.__setstate__

    def __getstate__(self):
        state = list(plain_get(self))
        statements = state[at]
        state[at] = statements.blob() if isinstance(statements, Deferred) else pickle.dumps(
            tuple(statements), protocol=pickle.HIGHEST_PROTOCOL)
        return tuple(state)

    def __setstate__(self, state):
        state = list(state)
        if len(state) > at:  # a state of another shape is refused by plain_set
            state[at] = Deferred(state[at])
        plain_set(self, state)

    Program.__getstate__ = __getstate__
    Program.__setstate__ = __setstate__


_defer_statements()


def content_digest(value: object) -> str:
    """A digest of plain values (frozen dataclasses of this module, tuples, strings, numbers;
    no sets, no cycles) that depends on what they are, not on which equal objects they
    share: pickled without its memo, a string met twice is written twice."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo
    pickler.dump(value)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()
