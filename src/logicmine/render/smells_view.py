"""Logic smells: the estate's page (smells.html) and the rows program pages show."""

from __future__ import annotations

from collections import Counter

from logicmine.model import Smell
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup, parts
from logicmine.render.process_pages import SmellCount, SmellRow, SmellsPage
from logicmine.render.views import frame

SMELLS_PAGE = "smells.html"
MEANINGS = {
    "unreachable-paragraph": "A paragraph nothing performs, jumps to or falls into.",
    "repeated-condition": "A condition tested again in the same chain of branches: the later "
    "test decides nothing.",
    "impossible-branch": "A branch no value its field can hold will ever take.",
    "unused-code": "A code set and never read, or a condition name no statement can produce.",
}


def smell_rows(linker: Linker, here: str, smells: list[Smell]) -> tuple[SmellRow, ...]:
    """Smells as table rows: program, kind, the cited lines and the message."""
    return tuple(
        SmellRow(
            linker.program(here, s.program),
            s.kind,
            linker.cite(here, s.file, s.line, s.end_line),
            parts(s.message),
        )
        for s in smells
    )


def smell_counts(look: Lookup) -> tuple[SmellCount, ...]:
    """How many smells of each kind, most frequent first."""
    counts = Counter(s.kind for s in look.estate.smells)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(SmellCount(kind, MEANINGS.get(kind, ""), n) for kind, n in ordered)


def build_smells(look: Lookup, linker: Linker, title: str) -> SmellsPage:
    """Context of smells.html: counts by kind and every smell, by program and line."""
    every = [s for name in sorted(look.smells) for s in look.smells[name]]
    return SmellsPage(
        frame(title, "Logic smells", SMELLS_PAGE),
        smell_counts(look),
        smell_rows(linker, SMELLS_PAGE, every),
    )
