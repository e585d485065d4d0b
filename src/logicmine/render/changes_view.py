"""changes.html: the rules added, removed and changed since the previous build.

The change report comes from the pipeline (rule dicts as in changes.json). It is read as data:
missing or odd fields show as blanks, never as errors, and only rules the estate still has are
linked (to their cards and current lines); a removed rule's old lines are named, not linked.
A baseline report (no previous build) only counts the rules: listing every one as added would
repeat rules.json.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from logicmine.render.cards import one_line
from logicmine.render.context import Frame, Link
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup
from logicmine.render.process_pages import ChangedRow, ChangeRow, ChangesPage
from logicmine.render.views import frame

CHANGES_PAGE = "changes.html"


@dataclass(frozen=True, slots=True)
class BaselinePage:
    """changes.html of a build with no previous one to compare with."""

    frame: Frame
    rules: int
    baseline: bool = True


def baseline_rules(changes: Mapping[str, Any]) -> int | None:
    """The rule count of a baseline report; None when the report compares two builds."""
    if changes.get("baseline") is not True:
        return None
    count = changes.get("rule_count")
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 0


def change_counts(changes: Mapping[str, Any]) -> tuple[int, int, int]:
    """(added, removed, changed); on a baseline every rule counts as added."""
    rules = baseline_rules(changes)
    if rules is not None:
        return rules, 0, 0
    added, removed, changed = (len(_records(changes, k)) for k in ("added", "removed", "changed"))
    return added, removed, changed


def _records(changes: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The records under `key` (anything but a mapping is not a record)."""
    value = changes.get(key)
    items = value if isinstance(value, (list, tuple)) else []
    return [item for item in items if isinstance(item, Mapping)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _field(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key, "")
    return "" if value is None else str(value)


def _line(record: Mapping[str, Any], key: str) -> int:
    try:
        return int(record.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def change_row(look: Lookup, linker: Linker, here: str, record: Mapping[str, Any]) -> ChangeRow:
    """One rule record; linked where the rule (or its program and paragraph) still exists."""
    rule_id, program, procedure = (_field(record, k) for k in ("id", "program", "procedure"))
    file, start, end = (
        _field(record, "file"),
        _line(record, "start_line"),
        _line(record, "end_line"),
    )
    current = look.rule_by_id.get(rule_id)
    cite = f"{file}:{start}-{max(start, end)}" if file else ""
    return ChangeRow(
        rule=linker.rule(here, rule_id) if current else Link(rule_id),
        program=linker.program(here, program) if program in look.by_name else Link(program),
        procedure=(
            linker.paragraph(here, program, procedure)
            if (program, procedure) in look.procedure_ids
            else Link(procedure)
        ),
        kind=_field(record, "kind"),
        cite=linker.cite_span(here, current.span) if current else Link(cite),
        text=one_line(_field(record, "text")),
    )


def build_changes(
    look: Lookup, linker: Linker, changes: Mapping[str, Any], title: str
) -> ChangesPage | BaselinePage:
    """Context of changes.html."""
    here = CHANGES_PAGE
    rules = baseline_rules(changes)
    if rules is not None:
        return BaselinePage(frame(title, "What changed since the last build", here), rules)

    def rows(key: str) -> tuple[ChangeRow, ...]:
        return tuple(
            change_row(look, linker, here, r)
            for r in _records(changes, key)
            if isinstance(r, Mapping)
        )

    changed = tuple(
        ChangedRow(
            change_row(look, linker, here, _mapping(pair.get("before"))),
            change_row(look, linker, here, _mapping(pair.get("after"))),
        )
        for pair in _records(changes, "changed")
    )
    return ChangesPage(
        frame(title, "What changed since the last build", here),
        rows("added"),
        rows("removed"),
        changed,
    )
