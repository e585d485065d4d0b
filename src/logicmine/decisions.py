"""Decision tables: every rule with branches as condition columns, action columns and rows.

An EVALUATE gives one condition column per subject (ALSO splits them) holding the WHEN
objects; an IF chain gives one condition column. Actions that assign a field become one
column per field holding what is assigned; every other action goes to a `do` column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from .model import Rule

_ASSIGN = re.compile(r"^(?:MOVE\s+(?P<value>.+?)\s+TO\s+(?P<target>[A-Z0-9][A-Z0-9-]*)"
                     r"|SET\s+(?P<flag>[A-Z0-9][A-Z0-9-]*)\s+TO\s+TRUE)$", re.I)


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """Columns and one row per branch, with each row's lines."""

    rule: str
    conditions: tuple[str, ...]
    actions: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], tuple[str, ...], int, int], ...]


def _assignment(action: str) -> tuple[str, str] | None:
    match = _ASSIGN.match(" ".join(action.split()))
    if not match:
        return None
    if match.group("flag"):
        return match.group("flag").upper(), "TRUE"
    return match.group("target").upper(), match.group("value")


def decision_table(rule: Rule) -> DecisionTable | None:
    """The rule as a table, or None when it has no branches."""
    if not rule.branches:
        return None
    conditions = rule.subjects or ("condition",)
    targets: list[str] = []
    for branch in rule.branches:
        for action in branch.actions:
            found = _assignment(action)
            if found and found[0] not in targets:
                targets.append(found[0])
    columns = tuple(targets) + ("do",)
    rows = []
    for branch in rule.branches:
        if rule.subjects:
            cells = branch.values or (branch.condition,)
            cells = tuple(cells) + ("",) * (len(conditions) - len(cells))
        else:
            cells = (branch.condition,)
        assigned = {t: "" for t in targets}
        others = []
        for action in branch.actions:
            found = _assignment(action)
            if found and not assigned[found[0]]:
                assigned[found[0]] = found[1]
            else:
                others.append(action)
        rows.append((cells[: len(conditions)],
                     tuple(assigned[t] for t in targets) + ("; ".join(others),),
                     branch.line, branch.end_line))
    return DecisionTable(rule.id, tuple(conditions), columns, tuple(rows))


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as it is: one opening with = + - @ would run as a formula."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def table_csv(table: DecisionTable, file: str) -> str:
    """CSV text: condition columns, action columns, then the cited lines of each row."""
    buffer = io.StringIO()
    _table_rows(csv.writer(buffer, lineterminator="\n"), table, file)
    return buffer.getvalue()


def program_csv(rules: list[Rule]) -> str:
    """One program's decision tables stacked in one CSV, in source order.

    Each table opens with a `rule` row (id, kind, cited lines), then its header and its rows,
    and a blank row closes it: a spreadsheet shows them one under another, and a reader of the
    file splits on the `rule` rows. rules.json holds the same decisions as structured data.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for rule in sorted(rules, key=lambda r: (r.file, r.span.line, r.span.end_line, r.id)):
        table = decision_table(rule)
        if table is None:
            continue
        writer.writerow(["rule", rule.id, rule.kind, rule.span.cite()])
        _table_rows(writer, table, rule.file)
        writer.writerow([])
    return buffer.getvalue()


def _table_rows(writer, table: DecisionTable, file: str) -> None:
    writer.writerow([_cell(f"if {c}") for c in table.conditions]
                    + [_cell(f"then {a}") for a in table.actions] + ["lines"])
    for cells, actions, line, end_line in table.rows:
        writer.writerow([_cell(c) for c in (*cells, *actions, f"{file}:{line}-{end_line}")])
