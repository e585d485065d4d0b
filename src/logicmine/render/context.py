"""The renderer's input and the small view values handed to templates (one per page type)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from logicmine.model import Estate
from logicmine.render.diagram import Diagram


@dataclass(frozen=True, slots=True)
class RenderInput:
    """Everything the renderer needs; gathered before anything is written."""

    estate: Estate
    graph: nx.MultiDiGraph
    read_source: Callable[[str], str]  # repo-relative path -> decoded text
    title: str = "logicmine"
    fidelity_note: str = ""
    reviews: Mapping[str, Any] | None = None  # decisions to show; None: read reviews_path
    reviews_path: str = ""  # where decisions live; '' means ESTATE_ROOT/logicmine-reviews.json
    changes: Mapping[str, Any] | None = None  # rules added/removed/changed since the last build
    memo: Any = None  # the build state (recall/remember): highlighted sources, diagrams, pages
    previous: Path | None = None  # the last build's site, whose unchanged pages are kept
    highlighting: Any = None  # render.highlighting.Highlighting started earlier, if any
    exports: bool = False  # also write the business exports (decision tables, processes, ...)
    # name -> digests of what the site may show of the programs of that name, their source
    # text aside (pipeline.ProgramAnalysis.view): lets unchanged program and process pages be
    # kept unbuilt (render.deps), and pieces of estate-wide files be reused (render.fragments)
    program_keys: Mapping[str, tuple[str, ...]] | None = None
    # (section, item) -> content hash of rules and summaries, known from the analysis
    review_hashes: Mapping[tuple[str, str], str] | None = None
    # program name -> render.dictionary.data_words of that program, worked out with its analysis
    data_words: Mapping[str, tuple[tuple[str, int], ...]] | None = None
    # aspect -> digest of that aspect of every program's analysis (pipeline.Analysis.aspects):
    # estate-wide files made from nothing else are kept by it
    aspects: Mapping[str, str] | None = None
    # the key the estate graph is stored under (pipeline._graph_key), '' when there is none:
    # what is worked out from the graph alone can be stored under it
    graph_key: str = ""
    # name -> aspect -> digest of that aspect of the programs of that name (pipeline.Analysis
    # .program_aspects): estate-wide pages are keyed by the aspects they show (render.deps)
    program_aspects: Mapping[str, Mapping[str, str]] | None = None


# ---------------------------------------------------------------- shared pieces


@dataclass(frozen=True, slots=True)
class Link:
    """Text with an optional relative href ('' when there is no page to go to)."""

    text: str
    href: str = ""


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of prose: plain text, or a code span (a data name or literal)."""

    text: str
    code: bool = False


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One summary sentence and the citations it rests on."""

    parts: tuple[Part, ...]
    cites: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Frame:
    """What base.html needs on every page."""

    site_title: str
    page_title: str
    root: str  # relative prefix from the page back to the site root ('' or '../'...)
    toc: tuple[Link, ...] = ()  # on-page sections for the sidebar


@dataclass(frozen=True, slots=True)
class DiagramView:
    """A diagram with its legend, or a note saying why there is none."""

    diagram: Diagram | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """A generic table row: cells are links (href '' means plain text)."""

    cells: tuple[Link, ...]


# ---------------------------------------------------------------- index and diagnostics


@dataclass(frozen=True, slots=True)
class ProgramRow:
    """One program on the overview."""

    name: Link
    file: Link
    lines: int
    procedures: int
    rules: int
    fidelity: str
    purpose: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class JobRow:
    """One job on the overview: its steps and the programs they run."""

    job: Link
    file: Link
    steps: tuple[tuple[Link, Link], ...]  # (step, program)


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A program nothing calls, links to or transfers to, and what starts it."""

    program: Link
    started_by: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class DiagnosticRow:
    """One diagnostic with a link to its line."""

    where: Link
    severity: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class InventoryRow:
    """A copybook or BMS source and what uses or defines it."""

    file: Link
    lines: int
    defines: tuple[str, ...]
    used_by: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class DiagnosticsPage:
    """diagnostics.html: every diagnostic."""

    frame: Frame
    diagnostics: tuple[DiagnosticRow, ...]


# ---------------------------------------------------------------- program page pieces


@dataclass(frozen=True, slots=True)
class EdgeView:
    """A caller or callee: the other end, the edge kind and where it happens."""

    kind: str
    other: Link
    where: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class ParagraphView:
    """A paragraph or section with its span and PERFORM/GO TO neighbours."""

    name: str
    anchor: str
    kind: str
    cite: Link
    performs: tuple[Link, ...]
    performed_by: tuple[Link, ...]
    rules: int


@dataclass(frozen=True, slots=True)
class ExecView:
    """An EXEC block."""

    kind: str
    text: str
    cite: Link


@dataclass(frozen=True, slots=True)
class IoView:
    """A reference that leaves the paragraph: CALL, I/O, CICS, SQL."""

    kind: str
    procedure: Link
    target: str
    detail: str
    cite: Link


# ---------------------------------------------------------------- job and source pages


@dataclass(frozen=True, slots=True)
class DDView:
    """A DD statement."""

    name: str
    dsn: str
    disp: str
    cite: Link


@dataclass(frozen=True, slots=True)
class StepView:
    """A job step."""

    name: str
    anchor: str
    program: Link
    proc: str
    launcher: str
    cite: Link
    dds: tuple[DDView, ...]


@dataclass(frozen=True, slots=True)
class JobPage:
    """jobs/<JOB>.html."""

    frame: Frame
    name: str
    file: Link
    steps: tuple[StepView, ...]
    datasets: tuple[tuple[str, tuple[str, ...]], ...]  # (DSN, ('STEP: DISP', ...))
    diagram: DiagramView | None = None


@dataclass(frozen=True, slots=True)
class SourcePage:
    """source/<path>.html."""

    frame: Frame
    path: str
    kind: str
    line_count: int
    code: Markup  # the highlighted listing, one code > span#Ln per line (see source.source_block)
    used_by: tuple[Link, ...]
