"""Lists of processes (the overview, program pages) and the page of a process split in parts:
a split process is listed once, as a whole, with links to its parts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from logicmine.model import Process
from logicmine.render.context import Link, Part
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import Lookup, parts
from logicmine.render.process_pages import KINDS, ParentPage, ProcessGroup, ProcessRow, kind_label
from logicmine.render.process_view import (
    data_lists,
    facts,
    parent_title,
    process_rules,
    shown_spans,
    summary_claims,
)
from logicmine.render.review_marks import Marks
from logicmine.render.views import frame

MAX_PROGRAMS = 4  # programs a process row names before "and N more"


# ---------------------------------------------------------------- a split process


def build_parent(look: Lookup, linker: Linker, marks: Marks, parent: str, title: str) -> ParentPage:
    """Context of the page of a process split into parts."""
    here = linker.processes[parent]
    parts_ = look.parts[parent]
    first = parts_[0]
    summary = look.summary(parent)
    rules = [r for p in parts_ for r in process_rules(look, p)]
    name = parent_title(parts_)
    procedures = [n for p in parts_ for n in p.procedures]
    claims = summary_claims(linker, here, summary, shown_spans(look, procedures, rules))
    return ParentPage(
        frame=frame(title, f"Process {name}", here),
        id=parent,
        title=name,
        kind=kind_label(first.entry_kind),
        entry=linker.node(here, first.entry),
        note=first.note,
        claims=claims,
        review=marks.summary(summary) if claims else None,
        parts=tuple(_part_row(look, linker, marks, here, p) for p in parts_),
        programs=tuple(linker.program(here, n) for n in dict.fromkeys(first.programs)),
        data=data_lists(first),
    )


def _part_row(look: Lookup, linker: Linker, marks: Marks, here: str, part: Process) -> ProcessRow:
    """A part: where it starts (its first step) and the programs it has steps in."""
    title = linker.process(here, part.id, text=f"Part {part.part}")
    row = _row(look, linker, marks, here, part, title)
    owners = dict.fromkeys(look.owner(node) for node in part.procedures)
    first = linker.node(here, part.procedures[0]) if part.procedures else Link("")
    return replace(row, entry=first, programs=_capped([linker.program(here, n) for n in owners]))


# ---------------------------------------------------------------- lists of processes


def process_groups(
    look: Lookup, linker: Linker, marks: Marks, here: str
) -> tuple[ProcessGroup, ...]:
    """Every process as list rows, grouped by entry kind (split ones once, with their parts)."""
    by_kind: dict[str, list[Process]] = defaultdict(list)
    for process in look.processes:
        by_kind[process.entry_kind].append(process)
    order = sorted(by_kind, key=lambda k: (list(KINDS).index(k) if k in KINDS else len(KINDS), k))
    return tuple(
        ProcessGroup(
            kind_label(k),
            anchor("processes", k),
            process_rows(look, linker, marks, here, by_kind[k]),
        )
        for k in order
    )


def process_rows(
    look: Lookup, linker: Linker, marks: Marks, here: str, processes: list[Process]
) -> tuple[ProcessRow, ...]:
    """Processes as list rows; the parts of a split process become one row for the whole."""
    rows, done = [], set()
    for process in processes:
        if not process.parent:
            link = linker.process(here, process.id, text=process.title)
            rows.append(_row(look, linker, marks, here, process, link))
        elif process.parent not in done:
            done.add(process.parent)
            rows.append(_parent_row(look, linker, marks, here, process.parent))
    return tuple(rows)


def _row(
    look: Lookup, linker: Linker, marks: Marks, here: str, process: Process, title: Link
) -> ProcessRow:
    purpose, rules, reviewed = _stats(look, marks, process)
    return ProcessRow(
        title=title,
        anchor=anchor("process", process.id),
        kind=process.entry_kind,
        entry=linker.node(here, process.entry),
        programs=_capped([linker.program(here, n) for n in dict.fromkeys(process.programs)]),
        purpose=purpose,
        steps=len(process.procedures),
        rules=rules,
        reviewed=reviewed,
    )


def _stats(look: Lookup, marks: Marks, process: Process) -> tuple[tuple[Part, ...], int, int]:
    """Purpose, rule count and reviewed count of a process: the same on every page that lists
    it (every program page of a large process does), so worked out once."""
    cache = look.memo.setdefault("process-stats", {})
    if process.id not in cache:
        rules = process_rules(look, process)
        cache[process.id] = (_purpose(look, process.id, facts(process, rules, names=False)),
                             len(rules),
                             sum(1 for r in rules if marks.rule_state(r) not in ("", "stale")))
    return cache[process.id]


def _parent_row(look: Lookup, linker: Linker, marks: Marks, here: str, parent: str) -> ProcessRow:
    parts_ = look.parts[parent]
    rows = [_row(look, linker, marks, here, p, Link("")) for p in parts_]
    cache = look.memo.setdefault("parent-purpose", {})
    if parent not in cache:
        whole = replace(parts_[0], rules=tuple(r for p in parts_ for r in p.rules))
        cache[parent] = _purpose(look, parent, facts(whole, process_rules(look, whole),
                                                     names=False))
    return replace(
        rows[0],
        title=linker.process(here, parent, text=parent_title(parts_)),
        anchor=anchor("process", parent),
        purpose=cache[parent],
        steps=sum(r.steps for r in rows),
        rules=sum(r.rules for r in rows),
        reviewed=sum(r.reviewed for r in rows),
        parts=tuple(linker.process(here, p.id, text=str(p.part)) for p in parts_),
    )


def _purpose(look: Lookup, subject: str, fallback: tuple[Part, ...]) -> tuple[Part, ...]:
    """A model's first sentence about the process; the facts when there is none (an offline
    summary restates the facts at greater length)."""
    summary = look.summary(subject)
    if summary and summary.claims and summary.source != "offline":
        return parts(summary.claims[0].text)
    return fallback


def _capped(links: list[Link]) -> tuple[Link, ...]:
    more = len(links) - MAX_PROGRAMS
    return tuple(links[:MAX_PROGRAMS]) + ((Link(f"and {more} more"),) if more > 0 else ())
