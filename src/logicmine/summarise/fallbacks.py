"""Offline summaries of the subjects only the model pass has: the estate and the glossary."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from ..model import Claim, DataItem, Program, Span, Summary
from .offline import code
from .tasks import data_facts, program_span, program_subject

Source = Literal["offline", "model", "fallback"]


def estate_summary(programs: list[Program], overviews: dict[str, Summary],
                   source: Source = "offline") -> Summary:
    """One claim per program: its name and the first thing its overview says."""
    claims = [Claim(f"The estate holds {len(programs)} programs.",
                    tuple(program_span(p) for p in programs[:8]))]
    for program in sorted(programs, key=lambda p: p.name):
        overview = overviews.get(program_subject(program))
        said = overview.claims[0].text if overview and overview.claims else ""
        text = f"{code(program.name)}: {said}" if said else f"Program {code(program.name)}."
        claims.append(Claim(text, (program_span(program),)))
    return Summary("estate", "Estate overview", tuple(claims), source)


def glossary_summary(definitions: dict[str, DataItem], source: Source = "offline") -> Summary:
    """Each term with its definition's facts, citing the definition line."""
    claims = [Claim(f"{code(term)}: {data_facts(item)}.", (definition_span(item),))
              for term, item in sorted(definitions.items())]
    return Summary("glossary", "Glossary", tuple(claims), source)


def definition_span(item: DataItem) -> Span:
    """The definition line of a data item."""
    return Span(item.file, item.line, item.line)


def as_fallback(summary: Summary) -> Summary:
    """The offline summary marked as standing in for model output that was withheld."""
    return replace(summary, source="fallback")
