"""View values of the reviewer pages: rule cards, programs, reviews, data dictionary, glossary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from logicmine.render.context import (
    ClaimView,
    DiagnosticRow,
    DiagramView,
    EdgeView,
    EntryRow,
    ExecView,
    Frame,
    InventoryRow,
    IoView,
    JobRow,
    Link,
    ParagraphView,
    Part,
    ProgramRow,
    Row,
)
from logicmine.render.decision import DecisionTable

if TYPE_CHECKING:  # process_pages builds on this module's values
    from logicmine.render.process_pages import (
        ProcessGroup,
        ProcessRow,
        SmellCount,
        SmellRow,
        StepBlock,
    )


@dataclass(frozen=True, slots=True)
class ReviewMark:
    """A reviewable item and the decision recorded on it (state '' when nobody reviewed it)."""

    section: str  # 'rules' or 'summaries', as in logicmine-reviews.json
    id: str
    hash: str
    state: str  # '', 'accepted', 'rejected', 'commented' or 'stale'
    status: str  # the stored status (for a stale decision: what it said before the change)
    comment: str
    at: str
    label: str


@dataclass(frozen=True, slots=True)
class RuleCard:
    """Everything about one rule: what it says, its decision table, its lines and its review."""

    id: str
    anchor: str
    kind: str
    program: Link
    paragraph: Link
    text: tuple[Part, ...]
    summary: tuple[ClaimView, ...]
    table: DecisionTable | None
    conditions: tuple[str, ...]
    actions: tuple[str, ...]
    inputs: tuple[Link, ...]
    outputs: tuple[Link, ...]
    cite: Link
    review: ReviewMark
    summary_review: ReviewMark | None


@dataclass(frozen=True, slots=True)
class RuleRow:
    """A rule in a program's compact list, linked to its card."""

    id: Link
    anchor: str
    kind: str
    paragraph: Link
    text: str
    cite: Link
    review: ReviewMark


@dataclass(frozen=True, slots=True)
class StepRow:
    """A paragraph of a process, in order."""

    name: Link
    kind: str
    cite: Link
    rules: int
    performs: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class TouchRow:
    """A dataset, table, screen, transaction or program a process touches."""

    kind: str
    target: Link
    how: tuple[str, ...]
    where: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class DataRow:
    """One data description entry in the dictionary, with where it is used."""

    anchor: str
    level: str
    name: str
    depth: int
    pic: str
    usage: str
    value: str
    values: tuple[str, ...]
    other: str
    section: str  # set on the first entry of a new section (FILE, WORKING-STORAGE, ...)
    cite: Link
    used_in: tuple[Link, ...]
    reads: tuple[Link, ...]
    writes: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class DataGroupPage:
    """data/<file>.html: the entries defined in one copybook or program source."""

    frame: Frame
    file: Link
    kind: str
    programs: tuple[Link, ...]
    count: int
    rows: Markup  # the table body, see dictionary.rows_html


@dataclass(frozen=True, slots=True)
class DataGroupRow:
    """A copybook or program source on the dictionary index."""

    file: Link
    kind: str
    items: int
    programs: tuple[Link, ...]
    used: int  # entries some statement or rule refers to


@dataclass(frozen=True, slots=True)
class DataIndexPage:
    """data/index.html."""

    frame: Frame
    groups: tuple[DataGroupRow, ...]
    items: int


@dataclass(frozen=True, slots=True)
class GlossaryRow:
    """A condition name (88-level): the field it tests and the values that make it true."""

    name: str
    anchor: str
    field: Link
    values: tuple[str, ...]
    defined: Link
    programs: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class GlossaryPage:
    """glossary.html."""

    frame: Frame
    claims: tuple[ClaimView, ...]
    rows: tuple[GlossaryRow, ...]


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A decision worth a second look (rejected, commented, stale)."""

    item: Link
    section: str
    state: str
    label: str
    comment: str
    at: str


@dataclass(frozen=True, slots=True)
class ReviewProgress:
    """Review progress of one program."""

    program: Link
    rules: int
    counts: tuple[int, ...]  # per state, in REVIEW_STATES order


@dataclass(frozen=True, slots=True)
class ReviewsPage:
    """reviews.html."""

    frame: Frame
    file: str
    states: tuple[str, ...]
    totals: tuple[int, ...]
    progress: tuple[ReviewProgress, ...]
    attention: tuple[ReviewRow, ...]


@dataclass(frozen=True, slots=True)
class DataUse:
    """A dictionary page a program's data comes from, with how many entries."""

    file: Link
    kind: str
    items: int


@dataclass(frozen=True, slots=True)
class ProgramPage:
    """programs/<PROG>.html."""

    frame: Frame
    what: str  # 'Program' or 'Class'
    parts_word: str  # 'Paragraphs' or 'Methods'
    name: str
    file: Link
    lines: Link
    fidelity: str
    purpose: ClaimView | None
    program_claims: tuple[ClaimView, ...]
    review: ReviewMark | None
    diagram: DiagramView
    processes: tuple[ProcessRow, ...]  # the processes it takes part in
    steps: tuple[StepBlock, ...]  # its clusters
    smells: tuple[SmellRow, ...]
    rules: tuple[RuleRow, ...]
    loose_rules: tuple[RuleCard, ...]  # rules in no process: their cards live here
    data: tuple[DataUse, ...]
    callers: tuple[EdgeView, ...]
    callees: tuple[EdgeView, ...]
    paragraphs: tuple[ParagraphView, ...]
    exec_blocks: tuple[ExecView, ...]
    io: tuple[IoView, ...]
    files: tuple[tuple[str, str], ...]
    copybooks: tuple[Row, ...]
    markdown: str


@dataclass(frozen=True, slots=True)
class TransactionRow:
    """A CICS transaction and the programs that start it or return to it."""

    name: str
    started_by: tuple[Link, ...]
    where: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class IndexPage:
    """index.html."""

    frame: Frame
    fidelity_note: str
    claims: tuple[ClaimView, ...]  # a summary of the whole estate, when one was made
    fidelity: str
    counts: tuple[tuple[str, int], ...]
    review_totals: tuple[tuple[str, str, int], ...]  # (state, label, count)
    diagram: DiagramView
    alone: tuple[Link, ...]
    processes: tuple[ProcessGroup, ...]  # one per entry kind
    process_count: int
    smells: tuple[SmellCount, ...]
    changes: tuple[int, int, int] | None  # (added, removed, changed) since the previous build
    programs: tuple[ProgramRow, ...]
    jobs: tuple[JobRow, ...]
    transactions: tuple[TransactionRow, ...]
    entries: tuple[EntryRow, ...]
    diagnostic_counts: tuple[tuple[str, str, int], ...]  # (code, severity, count)
    diagnostics: tuple[DiagnosticRow, ...]
    diagnostics_total: int
    copybooks: tuple[InventoryRow, ...]
    screens: tuple[InventoryRow, ...]
