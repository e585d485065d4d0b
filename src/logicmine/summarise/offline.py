"""The offline summariser: deterministic English built from the facts alone.

No key, no network. Data names and literals are quoted verbatim in backticks so a reader can
search for them, and every claim cites the lines it was read from.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Claim, Cluster, Program, Rule, Span, Summary

_KIND_WORDS = {
    "calculation": "calculates",
    "validation": "validates",
    "decision": "decides",
    "routing": "routes",
    "state-transition": "changes state",
    "data-access": "accesses data",
    "error-handling": "handles errors",
}


def code(text: str) -> str:
    """Text as a Markdown code span, safe when it contains backticks itself."""
    text = " ".join(text.split())
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"


def _first_words(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _actions_phrase(actions: tuple[str, ...], limit: int = 4) -> str:
    if not actions:
        return "nothing is done"
    shown = [code(_first_words(a, 100)) for a in actions[:limit]]
    more = len(actions) - limit
    tail = f" and {more} more statement{'s' if more > 1 else ''}" if more > 0 else ""
    return ", then ".join(shown) + tail


def _calculation_sentence(rule: Rule) -> str:
    statement = rule.actions[0] if rule.actions else rule.text
    sentence = f"Calculates with {code(_first_words(statement, 200))}"
    if rule.outputs:
        sentence += f", setting {', '.join(code(o) for o in rule.outputs)}"
    if rule.inputs:
        sentence += f" from {', '.join(code(i) for i in rule.inputs)}"
    notes = []
    if re.search(r"\bROUNDED\b", statement, re.I):
        notes.append("the result is rounded")
    for branch in rule.branches:
        notes.append(f"{branch.condition.lower()}: {_actions_phrase(branch.actions)}")
    return sentence + ("; " + "; ".join(notes) if notes else "") + "."


def _decision_sentences(rule: Rule) -> list[str]:
    sentences = []
    for branch in rule.branches:
        if branch.condition == "OTHERWISE":
            sentences.append(f"Otherwise, {_actions_phrase(branch.actions)}.")
        else:
            sentences.append(f"When {code(_first_words(branch.condition, 200))}, "
                             f"{_actions_phrase(branch.actions)}.")
    return sentences


def rule_sentence(rule: Rule) -> str:
    """One paragraph of English for a rule."""
    where = f" (in {code(rule.procedure)})" if rule.procedure else ""
    if rule.kind == "calculation":
        return _calculation_sentence(rule)[:-1] + where + "."
    if rule.kind == "data-access" and not rule.branches:
        return f"Accesses data with {code(_first_words(rule.text, 200))}{where}."
    if rule.kind == "data-access":
        head = f"Accesses data with {code(_first_words(rule.actions[0], 200))}{where}."
        return " ".join([head] + [f"On {b.condition.lower()}, {_actions_phrase(b.actions)}."
                                  for b in rule.branches])
    label = rule.kind.replace("-", " ").capitalize()
    return f"{label}{where}: " + " ".join(_decision_sentences(rule))


class OfflineSummariser:
    """Deterministic summaries from the facts; the default backend and the reference."""

    name = "offline"

    def rule(self, rule: Rule) -> Summary:
        """One claim stating the rule, citing its lines."""
        claim = Claim(rule_sentence(rule), (rule.span,))
        return Summary(rule.id, f"{rule.kind} in {rule.procedure or rule.program}", (claim,))

    def cluster(self, cluster: Cluster, rules: list[Rule], program: Program) -> Summary:
        """What the cluster's procedures hold: counts of rules by kind, the main ones cited."""
        members = set(cluster.procedures)
        procs = [p for p in program.procedures if p.name in members]
        spans = tuple(Span(p.file, p.line, p.end_line) for p in procs)
        names = ", ".join(code(p.name) for p in procs[:8]) + (" ..." if len(procs) > 8 else "")
        claims = [Claim(f"Procedures {names} ({len(procs)} in all).", spans[:8])] if procs else []
        kinds = Counter(r.kind for r in rules)
        if kinds:
            summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            claims.append(Claim(f"Holds {len(rules)} rules: {summary}.",
                                tuple(r.span for r in rules[:8])))
        for rule in _important(rules, 3):
            claims.append(Claim(rule_sentence(rule), (rule.span,)))
        title = "Procedures never performed" if not cluster.entry else f"Step {cluster.entry}"
        return Summary(cluster.id, title, tuple(claims))

    def program(self, program: Program, clusters: list[Cluster], rules: list[Rule]) -> Summary:
        """Purpose line and the facts that support it."""
        span = Span(program.file, program.line, program.end_line)
        kinds = Counter(r.kind for r in rules)
        verbs = [(_KIND_WORDS[k], n) for k, n in kinds.most_common(3)]
        doing = ", ".join(f"{w} ({n})" for w, n in verbs) or "holds no business rules found"
        claims = [Claim(f"Program {code(program.name)} {doing}; "
                        f"{len(program.procedures)} procedures in {len(clusters)} clusters.",
                        (span,))]
        io = sorted({(r.kind, r.target) for r in program.references
                     if r.kind in ("reads", "writes") and r.target})
        if io:
            reads = [t for k, t in io if k == "reads"]
            writes = [t for k, t in io if k == "writes"]
            parts = []
            if reads:
                parts.append("reads " + ", ".join(code(t) for t in reads[:8]))
            if writes:
                parts.append("writes " + ", ".join(code(t) for t in writes[:8]))
            refs = tuple(Span(r.file, r.line, r.line) for r in program.references
                         if r.kind in ("reads", "writes") and r.target)[:8]
            claims.append(Claim("It " + " and ".join(parts) + ".", refs))
        calls = sorted({(r.kind, r.target) for r in program.references
                        if r.kind in ("calls", "links", "xctls") and r.target})
        if calls:
            refs = tuple(Span(r.file, r.line, r.line) for r in program.references
                         if r.kind in ("calls", "links", "xctls") and r.target)[:8]
            said = ", ".join(f"{k.rstrip('s')}s {code(t)}" for k, t in calls[:10])
            claims.append(Claim(f"It {said}.", refs))
        return Summary(f"{program.language}:{program.name}", program.name, tuple(claims))


def _important(rules: list[Rule], limit: int) -> list[Rule]:
    """Calculations, validations and routing first; then by source order."""
    rank = {"calculation": 0, "validation": 1, "routing": 2, "state-transition": 3,
            "decision": 4, "error-handling": 5, "data-access": 6}
    return sorted(rules, key=lambda r: (rank.get(r.kind, 9), r.file, r.start_line))[:limit]
