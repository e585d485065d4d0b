"""View values of the business pages: processes, steps of a program, logic smells, changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from logicmine.render.context import ClaimView, DiagramView, Frame, Link, Part
from logicmine.render.pages import ReviewMark, StepRow, TouchRow

KINDS = {  # entry kind -> how the overview heads its processes
    "job-step": "Batch jobs",
    "online": "Online (CICS)",
    "batch": "Batch programs no job runs",
    "java-entry": "Java entry points",
    "main": "Main programs",
    "subroutine": "Subroutines",
}


def kind_label(kind: str) -> str:
    """How a kind of entry is named in headings."""
    return KINDS.get(kind, kind.replace("-", " ").capitalize() or "Other")


@dataclass(frozen=True, slots=True)
class ProcessRow:
    """A process in a list (overview, program page, a split process's parts)."""

    title: Link
    anchor: str
    kind: str
    entry: Link
    programs: tuple[Link, ...]
    purpose: tuple[Part, ...]
    steps: int
    rules: int
    reviewed: int  # rules with a current decision
    parts: tuple[Link, ...] = ()  # a split process: its parts


@dataclass(frozen=True, slots=True)
class ProcessGroup:
    """Processes of one entry kind (batch jobs, online, Java entry points...)."""

    label: str
    anchor: str
    rows: tuple[ProcessRow, ...]


@dataclass(frozen=True, slots=True)
class ProgramUse:
    """A program (or class) taking part in a process."""

    program: Link
    role: str
    steps: int
    rules: int


@dataclass(frozen=True, slots=True)
class StepGroup:
    """The steps (procedures) of a process that belong to one program, in order."""

    program: Link
    anchor: str
    steps: tuple[StepRow, ...]


@dataclass(frozen=True, slots=True)
class PartOf:
    """Where a part of a split process sits: its parent and its siblings."""

    parent: Link
    number: int
    total: int
    siblings: tuple[Link, ...]  # every part in order; this one without a link
    note: str


@dataclass(frozen=True, slots=True)
class ProcessPage:
    """processes/<id>.html: a business process across programs."""

    frame: Frame
    id: str
    title: str
    kind: str
    entry: Link
    markdown: str
    part: PartOf | None
    facts: tuple[Part, ...]
    claims: tuple[ClaimView, ...]
    review: ReviewMark | None
    programs: tuple[ProgramUse, ...]
    diagram: DiagramView
    steps: int
    groups: tuple[StepGroup, ...]
    data: tuple[tuple[str, tuple[str, ...]], ...]  # (label, names)
    touches: tuple[TouchRow, ...]
    rules: tuple[Any, ...]  # CardHTML: rule cards, rendered once for every page of the folder


@dataclass(frozen=True, slots=True)
class ParentPage:
    """processes/<parent id>.html: a process too large for one page, and its parts."""

    frame: Frame
    id: str
    title: str
    kind: str
    entry: Link
    note: str
    claims: tuple[ClaimView, ...]
    review: ReviewMark | None
    parts: tuple[ProcessRow, ...]
    programs: tuple[Link, ...]
    data: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class StepBlock:
    """A step of a program (a cluster: an entry paragraph and those only it reaches)."""

    title: str
    anchor: str
    entry: Link
    span: Link
    claims: tuple[ClaimView, ...]
    review: ReviewMark | None
    paragraphs: tuple[Link, ...]
    rules: int
    reviewed: int


@dataclass(frozen=True, slots=True)
class SmellRow:
    """A logic smell with its citation."""

    program: Link
    kind: str
    cite: Link
    message: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class SmellCount:
    """How many smells of one kind, and what the kind means."""

    kind: str
    meaning: str
    count: int


@dataclass(frozen=True, slots=True)
class SmellsPage:
    """smells.html."""

    frame: Frame
    counts: tuple[SmellCount, ...]
    rows: tuple[SmellRow, ...]


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """A rule added or removed (or one side of a change) since the previous build."""

    rule: Link  # to the current card when the rule still exists
    program: Link
    procedure: Link
    kind: str
    cite: Link
    text: str


@dataclass(frozen=True, slots=True)
class ChangedRow:
    """A rule whose content changed: what it said before and what it says now."""

    before: ChangeRow
    after: ChangeRow


@dataclass(frozen=True, slots=True)
class ChangesPage:
    """changes.html."""

    frame: Frame
    added: tuple[ChangeRow, ...]
    removed: tuple[ChangeRow, ...]
    changed: tuple[ChangedRow, ...]
