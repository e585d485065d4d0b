"""Logic smells: logic that cannot do what it seems to, each cited.

- a paragraph nothing performs, jumps to, falls into or reaches through THRU;
- a condition tested again in the same chain of branches (the later test decides nothing);
- a branch no value of its field can take (the field only ever holds its VALUE, its 88-level
  values and literals MOVEd into it, and the branch compares it with something else);
- a reason or return code set to a literal and never read, or an 88-level code no statement
  can ever produce.
The checks are conservative: a field that receives anything but literals is never judged.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .lang.cobol.dynamic import pic_size
from .lang.cobol.scanner import tokenize
from .model import DataItem, Program, Rule, Smell

_TERMINAL = re.compile(r"^(GOBACK|STOP\s+RUN|EXIT\s+PROGRAM|GO\b)", re.I)
_CODE_NAME = re.compile(r"(REASON|RETURN|-RC$|-RC-|RSN|ERR-CODE|ERROR-CODE)", re.I)
_SIMPLE_TEST = re.compile(r"^([A-Z0-9][A-Z0-9-]*)\s*(=|NOT\s*=)\s*('[^']*'|\"[^\"]*\"|[+-]?\d+)$",
                          re.I)
_MOVE_LITERAL = re.compile(r"^MOVE\s+('[^']*'|\"[^\"]*\"|[+-]?\d+(?:\.\d+)?|SPACES?|ZEROS?|ZEROES)"
                           r"\s+TO\s+(.+)$", re.I)
_COMPUTED = re.compile(r"^(?:COMPUTE\s+(.+?)=|PERFORM\s+(?:.*?\s)?VARYING\s+(\S+)|"
                       r"SET\s+(.+?)\s+(?:UP|DOWN|TO)\s+(?!TRUE\b|FALSE\b))", re.I)
_RECEIVERS = re.compile(r"\b(?:TO|INTO|GIVING|FROM)\s+(.+)$", re.I)


def _norm(text: str) -> str:
    return " ".join(text.upper().split())


def unreachable_paragraphs(program: Program) -> list[Smell]:
    """Paragraphs nothing reaches: not performed, jumped to, in a THRU range or fallen into."""
    procs = [p for p in program.procedures if p.kind == "paragraph"]
    if not procs:
        return []
    order = [p.name for p in procs]
    reached = {order[0]}
    targets: set[str] = set()
    for ref in program.references:
        if ref.kind in ("performs", "goes_to") and ref.target:
            targets.add(ref.target)
            if ref.target_end in order and ref.target in order:
                a, b = order.index(ref.target), order.index(ref.target_end)
                targets.update(order[a : b + 1])
    sections = {p.name for p in program.procedures if p.kind == "section"}
    for proc in procs:
        if proc.section and proc.section in targets | sections & targets:
            targets.add(proc.name)
    reached |= targets
    # falling through: a reached paragraph whose last statement is not a transfer runs on
    last = _last_statements(program)
    for index, name in enumerate(order[:-1]):
        if name in reached and not _TERMINAL.match(last.get(name, "")):
            reached.add(order[index + 1])
    return [Smell("unreachable-paragraph", program.name, p.file, p.line, p.end_line,
                  f"paragraph {p.name} is never performed, jumped to or fallen into")
            for p in procs if p.name not in reached]


def _last_statements(program: Program) -> dict[str, str]:
    last: dict[str, str] = {}
    for stmt in program.statements:
        if stmt.verb not in ("PERIOD", "END-IF", "END-EVALUATE", "END-PERFORM"):
            last[stmt.procedure] = stmt.text
    return last


def repeated_conditions(rules: list[Rule]) -> list[Smell]:
    """The same condition tested twice among one rule's branches."""
    smells = []
    for rule in rules:
        seen: dict[str, int] = {}
        for branch in rule.branches:
            key = _norm(branch.condition)
            if key in ("OTHERWISE", "") or key.startswith(("AT END", "NOT ", "ON ")):
                continue
            if key in seen:
                smells.append(Smell(
                    "repeated-condition", rule.program, rule.file, branch.line, branch.end_line,
                    f"condition `{branch.condition}` was already tested at line {seen[key]}; "
                    "this branch can never be taken"))
            else:
                seen[key] = branch.line
    return smells


def repeated_terms(rules: list[Rule]) -> list[Smell]:
    """One condition testing the same comparison twice side by side (`A <= 0 AND A <= 0`)."""
    smells = []
    for rule in rules:
        for branch in rule.branches:
            term = _repeated_term(branch.condition)
            if term:
                smells.append(Smell(
                    "repeated-condition", rule.program, rule.file, branch.line, branch.end_line,
                    f"`{term}` is tested twice in one condition; was another test meant?"))
    return smells


def _repeated_term(condition: str) -> str:
    groups: list[list[str]] = [[]]
    current: list[str] = []
    for tok in tokenize(re.sub(r"\[[^\]]*\]", "", condition)):
        if tok.text == "(":
            groups.append([])
            current = []
        elif tok.text == ")" or tok.upper in ("AND", "OR"):
            term = " ".join(current)
            if term and term in groups[-1]:
                return term
            if term:
                groups[-1].append(term)
            current = []
            if tok.text == ")" and len(groups) > 1:
                groups.pop()
        else:
            current.append(tok.text if tok.kind == "lit" else tok.upper)
    term = " ".join(current)
    return term if term and term in groups[-1] else ""


class _Domains:
    """Values each field can hold when it only ever receives literals."""

    def __init__(self, program: Program) -> None:
        self.items = {i.name: i for i in program.data_items if i.name != "FILLER"}
        self.values: dict[str, set[str]] = defaultdict(set)
        self.produced: dict[str, set[str]] = defaultdict(set)  # VALUE and MOVEd literals only
        self.tainted: set[str] = set()
        self.read: set[str] = set()
        for item in program.data_items:
            if item.level == 88 and item.parent:
                self.values[item.parent].update(_lit(v) for v in item.values if "THRU" not in v)
                if any("THRU" in v for v in item.values):
                    self.tainted.add(item.parent)
            elif item.value:
                self.values[item.name].add(_lit(item.value))
                self.produced[item.name].add(_lit(item.value))
            if item.section in ("LINKAGE", "FILE") or item.redefines or item.occurs:
                self.tainted.add(item.name)
            if "STATUS" in item.name and pic_size(item.pic) == 2:
                self.tainted.add(item.name)  # a FILE STATUS field: every I/O statement sets it
        for stmt in program.statements:
            self._note(stmt.verb, stmt.text)

    def _note(self, verb: str, text: str) -> None:
        computed = _COMPUTED.match(text)
        if computed:  # COMPUTE x =, PERFORM VARYING x, SET x UP BY / TO a value
            self.tainted.update(_names(next(g for g in computed.groups() if g)))
        move = _MOVE_LITERAL.match(text)
        if verb == "MOVE" and move:
            for name in _names(move.group(2)):
                self.values[name].add(_lit(move.group(1)))
                self.produced[name].add(_lit(move.group(1)))
            return
        if verb == "SET" and re.search(r"\bTO\s+TRUE\b", text, re.I):
            return
        receivers = _RECEIVERS.search(text) if verb not in ("IF", "EVALUATE", "WHEN",
                                                               "PERFORM") else None
        for name in _names(receivers.group(1) if receivers else ""):
            self.tainted.add(name)
        if verb in ("CALL", "EXEC", "READ", "ACCEPT", "INITIALIZE", "UNSTRING", "STRING"):
            self.tainted.update(_names(text))
        for name in _names(text):
            self.read.add(name)

    def domain(self, name: str) -> set[str] | None:
        """Every value `name` can hold, or None when it cannot be known."""
        item = self.items.get(name)
        if item is None or name in self.tainted or item.level == 88:
            return None
        if any(parent in self.tainted for parent in self._ancestors(name)):
            return None
        return self.values.get(name) or None

    def _ancestors(self, name: str) -> list[str]:
        chain, item = [], self.items.get(name)
        while item is not None and item.parent and item.parent not in chain:
            chain.append(item.parent)
            item = self.items.get(item.parent)
        return chain


def _lit(text: str) -> str:
    text = text.strip()
    if text[:1] in ("'", '"'):
        return text[1:-1]
    upper = text.upper()
    if upper in ("SPACE", "SPACES"):
        return " "
    if upper in ("ZERO", "ZEROS", "ZEROES"):
        return "0"
    try:
        return str(float(text)).rstrip("0").rstrip(".") if "." in text else str(int(text))
    except ValueError:
        return upper


_LITERALS = re.compile(r"'[^']*'?|\"[^\"]*\"?")
_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*[A-Za-z0-9_]|[A-Za-z_]")


def _names(text: str) -> list[str]:
    """Data-name-like words outside literals (a regex: this runs on every statement)."""
    return [w.upper() for w in _WORD.findall(_LITERALS.sub(" ", text)) if not w.isdigit()]


def impossible_branches(program: Program, rules: list[Rule],
                        domains: _Domains | None = None) -> list[Smell]:
    """`FIELD = literal` branches where the literal is none of the values FIELD can hold."""
    domains = domains or _Domains(program)
    smells = []
    for rule in rules:
        for branch in rule.branches:
            match = _SIMPLE_TEST.match(branch.condition.strip())
            if not match or re.match(r"NOT", match.group(2), re.I):
                continue
            field, literal = match.group(1).upper(), _lit(match.group(3))
            domain = domains.domain(field)
            if domain is not None and literal not in domain and literal.strip() not in {
                    v.strip() for v in domain}:
                shown = ", ".join(sorted(repr(v) for v in domain))
                smells.append(Smell(
                    "impossible-branch", rule.program, rule.file, branch.line, branch.end_line,
                    f"`{field}` only ever holds {shown}; the branch `{branch.condition}` "
                    "can never be taken"))
    return smells


def unused_codes(program: Program, domains: _Domains | None = None) -> list[Smell]:
    """Reason/return codes set but never read, and 88-level codes nothing can produce."""
    domains = domains or _Domains(program)
    smells = []
    set_at: dict[str, tuple[str, int]] = {}
    read_names: set[str] = set()
    for stmt in program.statements:
        move = _MOVE_LITERAL.match(stmt.text) if stmt.verb == "MOVE" else None
        if move:
            for name in _names(move.group(2)):
                set_at.setdefault(name, (stmt.file, stmt.line))
            continue
        if stmt.verb == "SET":
            continue
        read_names.update(_names(stmt.text))
    items = {i.name: i for i in program.data_items}
    for name, (file, line) in sorted(set_at.items()):
        item = items.get(name)
        if item is None or not _CODE_NAME.search(name) or item.section == "LINKAGE":
            continue
        ancestors = domains._ancestors(name)
        if name in read_names or any(a in read_names for a in ancestors):
            continue
        smells.append(Smell("unused-code", program.name, file, line, line,
                            f"`{name}` is set but never read, written out or passed on"))
    smells.extend(_unproduced(program, domains, items))
    return smells


def _unproduced(program: Program, domains: _Domains, items: dict[str, DataItem]) -> list[Smell]:
    set_names = {t for s in program.statements if s.verb == "SET" for t in _names(s.text)}
    smells = []
    for item in program.data_items:
        if item.level != 88 or not item.parent or not _CODE_NAME.search(item.parent):
            continue
        domain = domains.domain(item.parent)
        if domain is None or item.name in set_names:
            continue
        values = {_lit(v) for v in item.values if "THRU" not in v}
        if values and not values & domains.produced.get(item.parent, set()):
            smells.append(Smell("unused-code", program.name, item.file, item.line, item.line,
                                f"code {item.name} ({', '.join(item.values)}) of "
                                f"`{item.parent}` is never produced"))
    return smells


def find_smells(program: Program, rules: list[Rule]) -> list[Smell]:
    """Every smell of one program, in source order."""
    domains = _Domains(program)
    found = (unreachable_paragraphs(program) + repeated_conditions(rules) + repeated_terms(rules)
             + impossible_branches(program, rules, domains) + unused_codes(program, domains))
    return sorted(found, key=lambda s: (s.file, s.line, s.kind, s.message))
