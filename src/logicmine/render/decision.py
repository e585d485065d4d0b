"""Decision tables from a rule's branches: condition columns, action columns, one row per branch.

When every branch tests the same data names (`X = 'A'`, `X = 'B' AND Y > 0`), each name gets a
column and the cells hold the comparison; otherwise one column holds the whole condition. Data
names that several branches assign (`MOVE ... TO X`, `SET X TO TRUE`) get an action column each;
everything else a branch does is listed under "Then".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from logicmine.model import Branch, Rule
from logicmine.render.context import Link

DEFAULTS = {"OTHER", "OTHERWISE", "ELSE", "WHEN OTHER"}
MAX_CONDITION_COLUMNS = 3
MAX_ACTION_COLUMNS = 4
_WORD = r"[A-Z0-9][A-Z0-9-]*(?![A-Z0-9-])"  # never gives back part of a name: no backtracking
_NAME = rf"{_WORD}(?:\s+(?:OF|IN)\s+{_WORD})*(?:\([^()]*\))?"
_OP = (
    r"NOT\s*=|>=|<=|=|>|<|NOT\s+EQUAL(?:\s+TO)?|EQUAL(?:\s+TO)?|NOT\s+GREATER(?:\s+THAN)?|"
    r"GREATER(?:\s+THAN)?(?:\s+OR\s+EQUAL(?:\s+TO)?)?|NOT\s+LESS(?:\s+THAN)?|"
    r"LESS(?:\s+THAN)?(?:\s+OR\s+EQUAL(?:\s+TO)?)?"
)
_CLAUSE = re.compile(rf"(?P<subject>{_NAME})\s*(?P<op>{_OP})\s*(?P<value>\S.*)", re.I | re.S)
_TARGET = re.compile(_NAME, re.I)
_SPLITTERS: dict[str, re.Pattern[str]] = {}
_NESTED = re.compile(
    r"(IF|ELSE|EVALUATE|WHEN|SEARCH|PERFORM\s+(UNTIL|VARYING|WITH)|AT\s+END|"
    r"NOT\s+AT|INVALID|ON\s+|EXEC)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One branch: a cell per condition column, a cell per action column, and its lines."""

    conditions: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]  # each action cell may hold several statements
    cite: Link
    default: bool


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """A rule's branches as a table."""

    condition_heads: tuple[str, ...]
    action_heads: tuple[str, ...]
    rows: tuple[DecisionRow, ...]


def decision_table(rule: Rule, cites: list[Link]) -> DecisionTable | None:
    """The table of a rule with branches (None without); `cites` links each branch's lines."""
    if not rule.branches:
        return None
    heads, cells = _condition_columns(rule.branches)
    action_heads, action_cells = _action_columns(rule.branches)
    rows = tuple(
        DecisionRow(cond, acts, cite, _is_default(b.condition))
        for b, cond, acts, cite in zip(rule.branches, cells, action_cells, cites, strict=True)
    )
    return DecisionTable(heads, action_heads, rows)


def _is_default(condition: str) -> bool:
    return " ".join(condition.upper().split()) in DEFAULTS


def _condition_columns(branches: tuple[Branch, ...]) -> tuple[tuple[str, ...], list[tuple]]:
    """Subject columns when every branch is a conjunction of comparisons on a few names."""
    parsed: list[dict[str, str] | None] = []
    subjects: dict[str, None] = {}
    for branch in branches:
        if _is_default(branch.condition):
            parsed.append(None)
            continue
        clauses = _clauses(branch.condition)
        if clauses is None:
            return _single_column(branches)
        parsed.append(clauses)
        for subject in clauses:
            subjects.setdefault(subject, None)
    if not subjects or len(subjects) > MAX_CONDITION_COLUMNS:
        return _single_column(branches)
    rows = []
    for clauses in parsed:
        if clauses is None:
            rows.append(tuple("otherwise" for _ in subjects))
        else:
            rows.append(tuple(clauses.get(s, "any") for s in subjects))
    return tuple(subjects), rows


def _single_column(branches: tuple[Branch, ...]) -> tuple[tuple[str, ...], list[tuple]]:
    cells = [("otherwise",) if _is_default(b.condition) else (b.condition,) for b in branches]
    return ("Condition",), cells


def _clauses(condition: str) -> dict[str, str] | None:
    """{subject: 'op value'} of an AND of simple comparisons, or None."""
    result: dict[str, str] = {}
    for clause in _split_top(condition, "AND"):
        match = _CLAUSE.fullmatch(clause.strip())
        if not match or "[" in match["value"] or _is_compound(match["value"]):
            return None
        subject = " ".join(match["subject"].upper().split())
        if subject in result:
            return None
        result[subject] = f"{' '.join(match['op'].split())} {match['value'].strip()}"
    return result or None


def _is_compound(value: str) -> bool:
    """True when a value hides another comparison (`'A' OR X = 'B'`); `'A' OR 'B'` is fine."""
    alternatives = _split_top(value, "OR")
    return any(_CLAUSE.fullmatch(part.strip()) for part in alternatives[1:])


def _split_top(text: str, word: str) -> list[str]:
    """Split on a keyword outside quotes, parentheses and brackets."""
    pattern = _SPLITTERS.get(word)
    if pattern is None:
        pattern = _SPLITTERS[word] = re.compile(rf"['\"()\[\]]| {word} ", re.I)
    parts, depth, quote, start = [], 0, "", 0
    for match in pattern.finditer(text):
        token = match.group()
        if quote:
            quote = "" if token == quote else quote
        elif token in ("'", '"'):
            quote = token
        elif token in "([":
            depth += 1
        elif token in ")]":
            depth -= 1
        elif depth == 0 and match.start() >= start:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def _action_columns(branches: tuple[Branch, ...]) -> tuple[tuple[str, ...], list[tuple]]:
    """Columns for names assigned in two or more branches, plus 'Then' for the rest."""
    assigned = [_assignments(b.actions) for b in branches]
    counts: dict[str, int] = {}
    for per_branch in assigned:
        for target in dict.fromkeys(t for t, _, _ in per_branch):
            counts[target] = counts.get(target, 0) + 1
    columns = [t for t, n in counts.items() if n >= 2][:MAX_ACTION_COLUMNS]
    if not columns:
        return ("Actions",), [(tuple(b.actions),) for b in branches]
    rows = []
    for branch, per_branch in zip(branches, assigned, strict=True):
        outside = {i for t, _, i in per_branch if t not in columns}
        shown = {i for _, _, i in per_branch} - outside  # every target has its own column
        cells = [tuple(v for t, v, i in per_branch if t == c and i in shown) for c in columns]
        rest = tuple(a for i, a in enumerate(branch.actions) if i not in shown)
        rows.append((*cells, rest))
    return (*columns, "Then"), rows


def _assignments(actions: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(target, value, action index) for each MOVE/SET target in a branch's actions."""
    found: list[tuple[str, str, int]] = []
    for index, action in enumerate(actions):
        text = " ".join(action.split())
        if _NESTED.match(text):  # what follows may be conditional: leave it to 'Then', in order
            break
        parsed = _assignment(text)
        if parsed is None:
            continue
        targets, value = parsed
        found.extend((" ".join(t.upper().split()), value, index) for t in targets)
    return found


def _assignment(text: str) -> tuple[list[str], str] | None:
    """(targets, value) of `MOVE value TO a b` or `SET a b TO value`, else None."""
    verb, _, rest = text.partition(" ")
    parts = _split_top(rest, "TO")
    if verb.upper() == "MOVE" and len(parts) >= 2:
        value, targets = " TO ".join(parts[:-1]).strip(), parts[-1]
    elif verb.upper() == "SET" and len(parts) == 2 and " " not in parts[1].strip():
        targets, value = parts[0], parts[1].strip()
    else:
        return None
    names = _TARGET.findall(targets)
    if not names or not value or _TARGET.sub("", targets).replace(",", "").strip():
        return None  # something other than plain data names after TO
    return names, value
