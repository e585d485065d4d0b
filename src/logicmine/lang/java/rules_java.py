"""Kinds of Java decisions, from the Java-only verbs the front end emits.

rules.py ranks a decision's kind routing > error-handling > validation > state-transition, which
suits COBOL, where CALL transfers control to another program. In Java nearly every action is a
call, so a decision is named by its business effect first: a branch that throws (RAISE) or
returns an error value is a validation, a branch that sets a status or state field to a literal
or an enum constant is a state transition; only then do calls make it routing.

`java_decision_kind` is the hook for rules.py; `refine_rules` applies it to rules already
extracted, for callers that run `extract_rules` unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from ...model import Program, Rule, RuleKind, Statement

_DECISIONS = frozenset({"decision", "routing", "validation", "state-transition"})
_HEADERS = frozenset({"IF", "ELSE", "ELSE-IF", "END-IF", "EVALUATE", "WHEN", "WHEN-OTHER",
                      "END-EVALUATE"})
_ERROR_RETURN = re.compile(
    r"^return\s+(false|-\d+|[\w.]*(ERROR|INVALID|FAIL|REJECT)\w*|\"[^\"]*(error|invalid|fail|"
    r"reject)[^\"]*\")\s*;?$", re.I)
_STATE_TARGET = re.compile(r"(^|[.\s])\w*(status|state)\w*$", re.I)
_CONSTANT_VALUE = re.compile(
    r"^MOVE\s+(\"[^\"]*\"|'[^']*'|[+-]?\d[\d.]*|true|false|[A-Z]\w*\.[A-Z][A-Z0-9_]*|"
    r"[A-Z][A-Z0-9_]+)\s+TO\s+(.+)$")


def is_validation_action(stmt: Statement) -> bool:
    """A throw, or a return of false / a negative code / an error constant."""
    if stmt.verb == "RAISE":
        return True
    return stmt.verb == "RETURN" and bool(_ERROR_RETURN.match(stmt.text))


def is_state_change(stmt: Statement) -> bool:
    """A literal or enum constant moved to a field named like a status or state."""
    if stmt.verb != "MOVE":
        return False
    match = _CONSTANT_VALUE.match(stmt.text)
    return bool(match and _STATE_TARGET.search(match.group(2).strip()))


def java_decision_kind(statements: Iterable[Statement], kind: RuleKind) -> RuleKind:
    """The kind of a Java decision whose branches hold `statements`, given rules.py's `kind`."""
    if kind == "error-handling":
        return kind
    actions = [s for s in statements if s.verb not in _HEADERS]
    if any(is_validation_action(s) for s in actions):
        return "validation"
    if any(is_state_change(s) for s in actions):
        return "state-transition"
    return kind


def refine_rules(program: Program, rules: list[Rule]) -> list[Rule]:
    """Rules of a Java program with decision kinds named by `java_decision_kind`."""
    if program.language != "java":
        return rules
    by_procedure: dict[str, list[Statement]] = {}
    for stmt in program.statements:
        by_procedure.setdefault(stmt.procedure, []).append(stmt)
    refined = []
    for rule in rules:
        if rule.kind in _DECISIONS and rule.branches:
            inside = [s for s in by_procedure.get(rule.procedure, ())
                      if s.file == rule.file and rule.start_line <= s.line <= rule.end_line]
            kind = java_decision_kind(inside, rule.kind)
            rule = replace(rule, kind=kind) if kind != rule.kind else rule
        refined.append(rule)
    return refined
