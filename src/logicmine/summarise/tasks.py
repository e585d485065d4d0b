"""What each prompt holds: one subject's code, facts and earlier summaries, within a budget.

The model sees source lines with their numbers; the lines it is shown are exactly the lines
its reply may cite (the subject's scope), so a trimmed cluster can only be described by what
fitted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..model import Claim, Cluster, DataItem, Program, Rule, Span, Summary
from .cache import canonical_json
from .grounding import Scope, SourceLines
from .offline import code
from .settings import CHARS_PER_TOKEN

_LINE_CHARS = 300  # longer source lines are cut (COBOL has 80; generated code may not)
_RESERVE = 4_000  # characters kept for the instructions around the data
_HEADER_END = re.compile(r"\b(ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION\b", re.I)
_FACT_KINDS = ("reads", "writes", "calls", "links", "xctls", "sends", "receives", "opens")


@dataclass(frozen=True, slots=True)
class Prompt:
    """One subject's template context and the lines its reply may cite."""

    subject: str
    kind: str  # cluster | program | estate | glossary
    context: dict[str, Any]
    scope: Scope
    cites: tuple[Span, ...]  # what a claim about the whole subject cites
    notes: tuple[Claim, ...] = ()  # our own claims added to the summary (e.g. trimmed code)


def program_subject(program: Program) -> str:
    """The program's summary subject, as the offline summariser names it."""
    return f"cobol:{program.name}"


def program_span(program: Program) -> Span:
    """The program's own lines."""
    return Span(program.file, program.line, program.end_line)


def cluster_spans(cluster: Cluster, program: Program) -> list[Span]:
    """The lines of the cluster's procedures (the whole program when it has none)."""
    names = set(cluster.procedures)
    spans = [Span(p.file, p.line, p.end_line) for p in program.procedures if p.name in names]
    return spans or [program_span(program)]


def _with_marks(context: dict[str, Any]) -> dict[str, Any]:
    """Add data markers derived from the content, so the data cannot forge the end marker."""
    nonce = hashlib.sha256(canonical_json(context).encode("utf-8")).hexdigest()[:12]
    return dict(context, begin=f"<<<DATA {nonce}>>>", end=f"<<<END DATA {nonce}>>>")


def _row(lines: list[str], number: int) -> str:
    return f"{number:>6}| {lines[number - 1].rstrip()[:_LINE_CHARS]}"


def summary_text(summary: Summary, limit: int) -> str:
    """A summary's claims with their citations, as one block of text."""
    rows = []
    for claim in summary.claims:
        cites = ", ".join(s.cite() for s in claim.citations[:4])
        rows.append(f"- {claim.text} [{cites}]" if cites else f"- {claim.text}")
    text = "\n".join(rows)
    return text if len(text) <= limit else text[: limit - 4].rstrip() + " ..."


def _fit(items: Iterable[dict[str, Any]], budget: int) -> tuple[list[dict[str, Any]], int]:
    """Items in order while their text fits the budget; the count left out."""
    kept: list[dict[str, Any]] = []
    items = list(items)
    used = 0
    for item in items:
        size = sum(len(str(v)) for v in item.values()) + 24  # + the template around it
        if used + size > budget:
            break
        kept.append(item)
        used += size
    return kept, len(items) - len(kept)


def _summaries(pairs: list[tuple[str, Summary]], budget: int, each: int
               ) -> tuple[list[dict[str, Any]], int]:
    items = ({"subject": s, "title": m.title, "text": summary_text(m, each)} for s, m in pairs)
    return _fit(items, budget)


@dataclass(slots=True)
class _Cut:
    blocks: list[dict[str, Any]]
    shown: list[Span]
    omitted: list[Span]


def _cut_source(runs: list[Span], source: SourceLines, budget: int) -> _Cut:
    """Numbered source lines of each run while they fit; what did not fit is named."""
    cut = _Cut([], [], [])
    used = 0
    for run in runs:
        lines = source.lines(run.file)
        end = min(run.end_line, len(lines))
        rows: list[str] = []
        used += len(run.file) + 40  # the block's header line
        for number in range(run.line, end + 1):
            row = _row(lines, number)
            if used + len(row) + 1 > budget or len(cut.omitted):
                break
            rows.append(row)
            used += len(row) + 1
        last = run.line + len(rows) - 1
        if rows:
            cut.blocks.append({"file": run.file, "start": run.line, "end": last,
                               "text": "\n".join(rows)})
            cut.shown.append(Span(run.file, run.line, last))
        if last < run.end_line:
            cut.omitted.append(Span(run.file, last + 1, run.end_line))
    return cut


def _omitted_note(omitted: list[Span], program: Program) -> tuple[str, tuple[Claim, ...]]:
    if not omitted:
        return "", ()
    where = ", ".join(s.cite() for s in omitted[:6]) + (" ..." if len(omitted) > 6 else "")
    names = [p.name for p in program.procedures
             if any(s.file == p.file and s.line <= p.end_line and p.line <= s.end_line
                    for s in omitted)]
    named = f" (procedures {', '.join(code(n) for n in names[:8])})" if names else ""
    note = Claim(f"The model was shown only part of this code: lines {where}{named} did not "
                 "fit its context, so this summary does not cover them.", tuple(omitted[:8]))
    return f"lines {where}", (note,)


class PromptBuilder:
    """Builds each subject's prompt from the facts, the source and earlier summaries."""

    def __init__(self, programs: list[Program], rules: list[Rule], source: SourceLines,
                 context_tokens: int) -> None:
        self.programs = {p.name: p for p in programs}
        self.rules = {r.id: r for r in rules}
        self.source = source
        self.budget = max(context_tokens * CHARS_PER_TOKEN - _RESERVE, 500)
        self._items: dict[str, list[DataItem]] | None = None

    def cluster(self, cluster: Cluster, callees: list[tuple[str, Summary]]) -> Prompt:
        """A cluster: its code, its rules and what it uses."""
        program = self.programs[cluster.program]
        callee_items, callees_left = _summaries(callees, self.budget // 6, 1_200)
        rules = sorted((self.rules[i] for i in cluster.rules if i in self.rules),
                       key=lambda r: (r.file, r.start_line))
        rule_items, rules_left = _fit(({"kind": r.kind, "procedure": r.procedure or r.program,
                                        "cite": r.span.cite(),
                                        "text": " ".join(r.text.split())[:300]}
                                       for r in rules), self.budget // 6)
        procedures = [p for p in cluster.procedures if p][:40]
        used = sum(len(str(v)) + 24 for item in callee_items + rule_items for v in item.values())
        used += sum(len(p) + 2 for p in procedures)
        runs = Scope(tuple(cluster_spans(cluster, program))).runs()
        cut = _cut_source(runs, self.source, self.budget - used)
        omitted, notes = _omitted_note(cut.omitted, program)
        context = _with_marks({
            "program": program.name, "entry": cluster.entry or "(never performed)",
            "procedures": procedures, "callees": callee_items,
            "callees_omitted": callees_left, "rules": rule_items, "rules_omitted": rules_left,
            "blocks": cut.blocks, "omitted": omitted})
        scope = Scope(tuple(cut.shown))
        return Prompt(cluster.id, "cluster", context, scope, tuple(scope.runs()[:8]), notes)

    def _header(self, program: Program) -> tuple[str, int, int]:
        """The program's opening lines up to its first division after IDENTIFICATION."""
        lines = self.source.lines(program.file)
        first = program.line
        last = min(program.end_line, len(lines), first + 60)
        for number in range(first + 1, last + 1):
            if _HEADER_END.search(lines[number - 1]):
                last = number - 1
                break
        if last < first:
            return "", first, first
        return "\n".join(_row(lines, n) for n in range(first, last + 1)), first, last

    def _facts(self, program: Program) -> tuple[list[str], list[Span]]:
        seen: dict[str, Span] = {}
        for ref in program.references:
            if ref.kind in _FACT_KINDS and ref.target:
                fact = f"{ref.kind} {ref.target} ({ref.file}:{ref.line}-{ref.line})"
                seen.setdefault(fact, Span(ref.file, ref.line, ref.line))
        facts = list(seen)[:60]
        return facts, [seen[f] for f in facts]

    def program(self, program: Program, parts: list[tuple[str, Summary]]) -> Prompt:
        """A program: its header comments, its clusters' summaries and its I/O and calls."""
        header, start, end = self._header(program)
        header = header if len(header) < self.budget // 4 else ""
        facts, fact_spans = self._facts(program)
        part_budget = self.budget - len(header) - sum(len(f) for f in facts)
        part_items, parts_left = _summaries(parts, part_budget, 1_500)
        context = _with_marks({
            "program": program.name, "file": program.file, "start": program.line,
            "end_line": program.end_line, "header": header, "header_start": start,
            "header_end": end, "parts": part_items, "parts_omitted": parts_left,
            "facts": facts})
        spans = [program_span(program)] + [Span(p.file, p.line, p.end_line)
                                           for p in program.procedures] + fact_spans
        return Prompt(program_subject(program), "program", context, Scope(tuple(spans)),
                      (program_span(program),))

    def estate(self, overviews: list[tuple[str, Summary]]) -> Prompt:
        """The estate: every program's overview."""
        items, left = _summaries(overviews, self.budget, 1_500)
        context = _with_marks({"program_count": len(self.programs), "programs": items,
                               "programs_omitted": left})
        programs = sorted(self.programs.values(), key=lambda p: p.name)
        spans = [program_span(p) for p in programs] + [
            Span(q.file, q.line, q.end_line) for p in programs for q in p.procedures]
        return Prompt("estate", "estate", context, Scope(tuple(spans)),
                      tuple(program_span(p) for p in programs[:8]))

    def definitions(self, term: str) -> list[DataItem]:
        """Data items named `term`, first definition first."""
        if self._items is None:
            self._items = {}
            for program in sorted(self.programs.values(), key=lambda p: p.name):
                for item in program.data_items:
                    self._items.setdefault(item.name.upper(), []).append(item)
            for found in self._items.values():
                found.sort(key=lambda i: (i.file, i.line))
        return self._items.get(term.upper(), [])

    def glossary(self, terms: dict[str, list[str]]) -> Prompt | None:
        """Glossary entries for the data names the cluster replies named; None when none."""
        items = []
        for term in sorted(terms):
            found = self.definitions(term)
            lines = self.source.lines(found[0].file) if found else []
            if not found or found[0].line > len(lines):
                continue
            item = found[0]
            items.append({"term": term, "file": item.file, "line": item.line,
                          "text": _row(lines, item.line), "facts": data_facts(item),
                          "notes": "; ".join(list(dict.fromkeys(terms[term]))[:3])[:300]})
        kept, left = _fit(items, self.budget)
        if not kept:
            return None
        context = _with_marks({"terms": kept, "terms_omitted": left})
        spans = tuple(Span(t["file"], t["line"], t["line"]) for t in kept)
        return Prompt("glossary", "glossary", context, Scope(spans), spans[:8])


def data_facts(item: DataItem) -> str:
    """PIC, USAGE, VALUE and 88-level values of a data item, as one short phrase."""
    parts = [f"level {item.level:02d}"]
    for label, value in (("PIC", item.pic), ("USAGE", item.usage), ("VALUE", item.value),
                         ("OCCURS", item.occurs), ("REDEFINES", item.redefines)):
        if value:
            parts.append(f"{label} {value}")
    if item.values:
        parts.append("values " + ", ".join(item.values[:6]))
    if item.parent:
        parts.append(f"in {item.parent}")
    return " ".join(parts)[:200]
