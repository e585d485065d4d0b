"""Business rules from the nested blocks: decisions, calculations, routing, validations, ...

Conditions are rendered with 88-level condition names resolved to their field and values;
data names and literals are kept verbatim. A rule's id hashes what it says, not where it is,
so it survives unrelated edits that move it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from .conditions import also_condition, expand_abbreviated, split_also
from .lang.cobol.scanner import tokenize
from .model import Branch, DataItem, Program, Rule, Statement
from .structure import Block, build_tree

ARITHMETIC = frozenset({"COMPUTE", "ADD", "SUBTRACT", "MULTIPLY", "DIVIDE"})
_ROUTING = frozenset({"CALL", "GO", "XCTL", "LINK"})
_MSG_FIELD = re.compile(r"(MSG|MESSAGE|ERR|ERROR)", re.I)
_CODE_FIELD = re.compile(r"(RETURN-CODE|REASON|RETURN|RESP|\bRC\b|-RC\b|CODE)", re.I)
_STATUS_FIELD = re.compile(r"(STATUS|STATE|STAT\b|-STAT-|FLAG|IND\b|INDICATOR)", re.I)
# technical outcomes: SQLCODE, CICS RESP, file status fields compared with two-digit codes
_ERROR_TEST = re.compile(
    r"(SQLCODE|SQLSTATE|EIBRESP|\bRESP\b|RESP-CD|FILE-STATUS|\bFS-|-FS\b|"
    r"STATUS\s*(NOT\s*)?=\s*'\d\d'|ON-SIZE-ERROR|INVALID-KEY|ON-EXCEPTION|ON-OVERFLOW)", re.I)
_IO_VERBS = frozenset({"READ", "WRITE", "REWRITE", "DELETE", "START", "RETURN", "EXEC", "OPEN",
                       "CLOSE"})


class ConditionNames:
    """88-level names of one program and how to say them as field comparisons."""

    def __init__(self, items: Iterable[DataItem]) -> None:
        self.names: dict[str, DataItem] = {}
        self.fields: dict[str, str] = {}  # upper-cased name -> name as declared (Java keeps case)
        for item in items:
            if item.level == 88:
                self.names.setdefault(item.name.upper(), item)
            elif item.name != "FILLER":
                self.fields.setdefault(item.name.upper(), item.name)

    def resolve(self, text: str) -> str:
        """Condition text with each 88-level name followed by the comparison it stands for."""
        out: list[str] = []
        cursor = 0
        for tok in tokenize(text):
            item = self.names.get(tok.upper) if tok.kind == "word" else None
            if item is None or not item.parent:
                continue
            out.append(text[cursor:tok.end])
            out.append(f" [{item.parent} = {' OR '.join(item.values) or '?'}]")
            cursor = tok.end
        out.append(text[cursor:])
        return "".join(out)

    def with_fields(self, names: list[str]) -> list[str]:
        """Names with, after each 88-level condition name, the field it sets."""
        out: dict[str, None] = {}
        for name in names:
            out.setdefault(name, None)
            item = self.names.get(name.upper())
            if item is not None and item.parent:
                out.setdefault(item.parent, None)
        return list(out)

    def is_condition_name(self, name: str) -> bool:
        """True for an 88-level name of this program."""
        return name.upper() in self.names

    def data_names(self, text: str) -> list[str]:
        """Known data names and condition names used in text, in order, once each."""
        seen: dict[str, None] = {}
        for tok in tokenize(text):
            if tok.kind != "word":
                continue
            for part in [tok.upper, *tok.upper.split(".")[1:]]:  # Java: account.status
                if part in self.fields:
                    seen.setdefault(self.fields[part], None)
                elif part in self.names:
                    seen.setdefault(self.names[part].name, None)
        return list(seen)


def _condition_text(stmt: Statement) -> str:
    """The condition of an IF/WHEN header (or the phrase for AT END and the like)."""
    text = stmt.text
    text = re.sub(r"^(ELSE\s+)?IF\s+", "", text, flags=re.I)
    text = re.sub(r"^WHEN\s+", "", text, flags=re.I)
    text = re.sub(r"\s+THEN$", "", text, flags=re.I)
    if stmt.verb == "WHEN-OTHER":
        return "OTHER"
    if stmt.verb == "ELSE":
        return "ELSE"
    return text


def _alternatives(parts: list[str]) -> list[str]:
    """WHEN texts of one branch; a WHEN the grammar ran into the previous one is split off."""
    out = []
    for part in parts:
        out.extend(p.strip() for p in re.split(r"\s+WHEN\s+", part) if p.strip())
    return out


def _flatten(blocks: list[Block]) -> list[Statement]:
    """Statements of nested blocks in source order, headers and closing END-x included, so
    what follows a nested END-IF does not read as part of it."""
    out: list[Statement] = []
    for block in blocks:
        out.append(block.stmt)
        for branch in block.branches:
            out.extend(s for s in branch.conditions if s is not block.stmt)
            out.extend(_flatten(branch.body))
        if block.kind in ("if", "evaluate", "search", "loop") and block.branches:
            out.append(block.end if block.end is not None else _implied_end(block))
    return out


def _implied_end(block: Block) -> Statement:
    """A scope closed by a period has no END-x statement: say where it ends all the same."""
    stmt = block.stmt
    word = {"if": "END-IF", "evaluate": "END-EVALUATE", "search": "END-SEARCH",
            "loop": "END-PERFORM"}[block.kind]
    return Statement(word, word, stmt.procedure, stmt.file, block.last_line, block.last_line)


def _actions(blocks: list[Block]) -> tuple[str, ...]:
    return tuple(s.text for s in _flatten(blocks) if s.verb not in ("PERIOD",))


class RuleExtractor:
    """Turns one program's statements into rules."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.names = ConditionNames(program.data_items)
        self.rules: list[Rule] = []
        self.counts: Counter[str] = Counter()

    def run(self) -> list[Rule]:
        """All rules of the program, in source order."""
        by_proc: dict[str, list[Statement]] = {}
        for stmt in self.program.statements:
            by_proc.setdefault(stmt.procedure, []).append(stmt)
        for procedure, statements in by_proc.items():
            self._visit(build_tree(statements), procedure)
        return sorted(self.rules, key=lambda r: (r.file, r.start_line, r.end_line, r.id))

    def _visit(self, blocks: list[Block], procedure: str, decided: bool = False) -> None:
        """Rules of the blocks; `decided`: inside a decision, whose rule already states
        the branch's plain moves (so they are not rules of their own)."""
        for block in blocks:
            if block.kind in ("if", "evaluate", "search"):
                for branch in self._decision(block, procedure):
                    self._visit(branch.body, procedure, True)
                continue
            if block.kind == "phrase-owner" and block.stmt.verb in ARITHMETIC:
                self._calculation(block, procedure)
            elif block.kind == "phrase-owner" and block.stmt.verb in _IO_VERBS:
                self._data_access(block, procedure)
            elif block.kind == "phrase-owner":  # CALL ... ON EXCEPTION, STRING ... ON OVERFLOW
                self._data_access(block, procedure, kind="error-handling")
            elif block.stmt.verb in ARITHMETIC or _derives(block.stmt):
                self._calculation(block, procedure)
            elif not decided and (self._status_set(block.stmt) or _status_call(block.stmt)):
                text = block.stmt.text
                self._add("state-transition", block, procedure, (), (text,), text, ())
            elif block.stmt.verb in ("READ", "WRITE", "REWRITE", "DELETE", "START") or (
                block.stmt.verb == "EXEC" and re.match(r"EXEC\s+(SQL|DLI)\b", block.stmt.text, re.I)
                and not re.search(r"\bINCLUDE\b", block.stmt.text, re.I)
            ):
                self._data_access(block, procedure)
            for branch in block.branches:  # AT END / ON SIZE ERROR: the owner's rule says them
                self._visit(branch.body, procedure, decided or block.kind == "phrase-owner")

    def _status_set(self, stmt: Statement) -> bool:
        """A literal MOVEd to a status field, or an 88-level of a status field SET."""
        if stmt.verb == "SET":
            match = re.match(r"SET\s+([A-Z0-9-]+)\s+TO\s+TRUE", stmt.text, re.I)
            item = self.names.names.get(match.group(1).upper()) if match else None
            return item is not None and bool(_STATUS_FIELD.search(f"{item.name} {item.parent}"))
        return stmt.verb == "MOVE" and _is_state_change(stmt)

    # -- decisions
    def _decision(self, block: Block, procedure: str) -> list:
        """Add the decision's rule; return the branches whose bodies hold further rules."""
        branches = []
        chain = self._chain(block)
        for branch in chain:
            condition = self._branch_condition(block, branch)
            actions = _actions(branch.body)
            first = branch.conditions[0] if branch.conditions else block.stmt
            last = max([first.end_line] + [b.last_line for b in branch.body
                                           if b.stmt.file == first.file])
            branches.append(Branch(condition, actions, first.line, last,
                                   self._when_values(block, branch)))
        kind = self._kind_for(block, branches)
        conditions = tuple(b.condition for b in branches)
        actions = tuple(a for b in branches for a in b.actions)
        subject = _subject(block)
        text = f"{subject}: " + " | ".join(
            f"{b.condition} -> {'; '.join(b.actions) or 'no action'}" for b in branches)
        subjects = tuple(split_also(subject)) if block.kind == "evaluate" else ()
        self._add(kind, block, procedure, conditions, actions, text, tuple(branches), subjects)
        return chain

    def _chain(self, block: Block) -> list:
        """IF ... ELSE IF ... ELSE chains flattened into one list of branches."""
        if block.kind != "if":
            return list(block.branches)
        result = [block.branches[0]]
        rest = block.branches[1:]
        while rest:
            branch = rest[0]
            nested = branch.body[0] if len(branch.body) == 1 and branch.body[0].kind == "if" \
                else None
            if nested is None:
                result.append(branch)
                break
            result.append(nested.branches[0])
            rest = nested.branches[1:]
        return result

    def _branch_condition(self, block: Block, branch) -> str:
        if branch.label in ("ELSE", "OTHER"):
            return "OTHERWISE"
        if branch.label == "THEN" or branch.label == "WHEN":
            parts = [_condition_text(s) for s in branch.conditions]
            if block.kind == "evaluate":
                subjects = split_also(_subject(block))
                parts = [also_condition(subjects, split_also(p)) for p in _alternatives(parts)]
            condition = " OR ".join(f"({p})" if len(parts) > 1 and " " in p else p
                                    for p in parts if p)
            condition = expand_abbreviated(condition, self.names.is_condition_name)
            return self.names.resolve(condition)
        return branch.label.replace("-", " ")

    def _when_values(self, block: Block, branch) -> tuple[str, ...]:
        """EVALUATE: the object written under each subject (for decision-table columns)."""
        if block.kind != "evaluate":
            return ()
        if branch.label == "OTHER":
            return ("OTHER",)
        texts = [_condition_text(s) for s in branch.conditions]
        columns = [split_also(t) for t in texts]
        width = max(len(c) for c in columns) if columns else 0
        return tuple(" OR ".join(c[i] for c in columns if i < len(c)) for i in range(width))

    def _decision_kind(self, block: Block, branches: list[Branch]) -> str:
        """Classify by what each branch does itself (nested decisions are rules of their own)."""
        chain = self._chain(block) if block.kind == "if" else block.branches
        direct = [[child.stmt for child in branch.body] for branch in chain]
        conditions = " ".join(b.condition for b in branches)
        routes = sum(1 for stmts in direct if any(_is_route(s) for s in stmts))
        if _ERROR_TEST.search(conditions) or _ERROR_TEST.search(block.stmt.text):
            return "error-handling"
        if any(_ABEND.search(s.text) for stmts in direct for s in stmts):
            return "error-handling"  # a branch ends the run: a technical failure, not a rule
        if routes >= 2 or (block.kind == "evaluate" and _AID_TEST.search(block.stmt.text)):
            return "routing"  # a dispatch: several branches go different ways (PF keys, menus)
        if any(_is_validation(s) for stmts in direct for s in stmts):
            return "validation"
        if routes:
            return "routing"
        if any(_is_state_change(s) for stmts in direct for s in stmts):
            return "state-transition"
        return "decision"

    def _kind_for(self, block: Block, branches: list[Branch]) -> str:
        """The decision's kind; Java adds throws and error returns as validations."""
        kind = self._decision_kind(block, branches)
        if self.program.language == "java":
            from .lang.java.rules_java import java_decision_kind

            kind = java_decision_kind([s for b in block.branches for s in _flatten(b.body)], kind)
        return kind

    # -- single statements
    def _calculation(self, block: Block, procedure: str) -> None:
        stmt = block.stmt
        text = stmt.text
        notes = []
        if re.search(r"\bROUNDED\b", text, re.I):
            notes.append("rounded")
        branches: tuple[Branch, ...] = ()
        if block.branches:
            branches = tuple(Branch(b.label.replace("-", " "), _actions(b.body),
                                    b.conditions[0].line,
                                    max([b.conditions[0].end_line] +
                                        [c.last_line for c in b.body if c.stmt.file == stmt.file]))
                             for b in block.branches)
            notes.extend(b.condition.lower() for b in branches)
        summary = text + (f" ({', '.join(notes)})" if notes else "")
        self._add("calculation", block, procedure, tuple(b.condition for b in branches),
                  (text,) + tuple(a for b in branches for a in b.actions), summary, branches)

    def _data_access(self, block: Block, procedure: str, kind: str = "data-access") -> None:
        text = block.stmt.text
        branches = tuple(Branch(b.label.replace("-", " "), _actions(b.body), b.conditions[0].line,
                                max([b.conditions[0].end_line] +
                                    [c.last_line for c in b.body
                                     if c.stmt.file == block.stmt.file]))
                         for b in block.branches)
        self._add(kind, block, procedure, tuple(b.condition for b in branches),
                  (text,) + tuple(a for b in branches for a in b.actions), text, branches)

    def _add(self, kind: str, block: Block, procedure: str, conditions, actions, text: str,
             branches: tuple[Branch, ...], subjects: tuple[str, ...] = ()) -> None:
        stmt = block.stmt
        digest_src = "\x1f".join((self.program.name, procedure, kind, *conditions, *actions))
        digest = hashlib.sha256(digest_src.encode("utf-8")).hexdigest()[:10]
        self.counts[digest] += 1
        if self.counts[digest] > 1:
            digest = f"{digest}-{self.counts[digest]}"
        inputs = self.names.data_names(" ".join(conditions) + " " + _reads_of(actions))
        outputs = self.names.with_fields(self.names.data_names(_writes_of(actions)))
        self.rules.append(Rule(
            id=f"{self.program.name}-{digest}", program=self.program.name, procedure=procedure,
            kind=kind, file=stmt.file, start_line=stmt.line, end_line=block.last_line,
            conditions=tuple(conditions), actions=tuple(actions), text=text, branches=branches,
            inputs=tuple(inputs), outputs=tuple(outputs), subjects=subjects,
        ))


def _subject(block: Block) -> str:
    if block.kind == "evaluate":
        return re.sub(r"^EVALUATE\s+", "", block.stmt.text, flags=re.I)
    if block.kind == "search":
        return block.stmt.text
    return "IF"


_ABEND = re.compile(r"(PERFORM\s+[A-Z0-9-]*(ABEND|ABORT)[A-Z0-9-]*|CALL\s+'CEE3ABD'|"
                    r"EXEC\s+CICS\s+ABEND|\bSTOP\s+RUN\b)", re.I)
_AID_TEST = re.compile(r"\b(EIBAID|[A-Z0-9-]*AID[A-Z0-9-]*|[A-Z0-9-]*PFKEY[A-Z0-9-]*)\b", re.I)
_EXIT_TARGET = re.compile(r"\bGO\s+TO\s+[A-Z0-9-]*EXIT\b", re.I)
_PROGRAM_FIELD = re.compile(r"(PROGRAM|PGM)", re.I)


def _is_route(stmt: Statement) -> bool:
    """A transfer elsewhere: XCTL, LINK, CALL, RETURN TRANSID, a GO TO that is not to an exit,
    or naming the next program in a field (MOVE 'COMEN01C' TO CDEMO-TO-PROGRAM)."""
    text = stmt.text.upper()
    if stmt.verb == "EXEC":
        return bool(re.match(r"EXEC\s+CICS\s+(XCTL|LINK|RETURN\s+TRANSID|START)", text))
    if stmt.verb == "GO":
        return not _EXIT_TARGET.search(text)
    if stmt.verb == "CALL":
        return True
    target = _move_target(text)
    return stmt.verb == "MOVE" and bool(re.match(r"MOVE\s+'", text)) and bool(
        _PROGRAM_FIELD.search(target)) and "FROM" not in target


def _is_validation(stmt: Statement) -> bool:
    text = stmt.text.upper()
    target = _move_target(text)
    if stmt.verb == "MOVE" and target and (_MSG_FIELD.search(target) or _CODE_FIELD.search(target)):
        return True
    if stmt.verb == "SET" and re.search(r"(ERR|INVALID|REJECT|NOT-OK|BAD|FAIL|BLANK)", text):
        return True
    return stmt.verb in ("DISPLAY",) and "ERROR" in text or "REJECT" in text


_STATUS_CALL = re.compile(r"\b(set|update|change)\w*(Status|State)\w*\s*\(.*(['\"]|\.[A-Z_]{2,})",
                          re.I)


def _status_call(stmt: Statement) -> bool:
    """A call that sets a status to a literal or constant: order.setOrderStatus("closed")."""
    return stmt.verb == "CALL" and bool(_STATUS_CALL.search(stmt.text))


def _derives(stmt: Statement) -> bool:
    """MOVE FUNCTION f(...) TO x: a value computed by an intrinsic function."""
    return stmt.verb == "MOVE" and bool(re.match(r"MOVE\s+FUNCTION\s", stmt.text, re.I))


def _is_state_change(stmt: Statement) -> bool:
    text = stmt.text.upper()
    target = _move_target(text)
    if stmt.verb == "MOVE" and target and _STATUS_FIELD.search(target):
        return bool(re.match(r"MOVE\s+('|\"|[+-]?\d|SPACES?|ZEROS?)", text))
    return stmt.verb == "SET" and "TRUE" in text


def _move_target(text: str) -> str:
    match = re.search(r"\bTO\s+(.*)$", text)
    return match.group(1) if match else ""


_SUBSCRIPT = re.compile(r"\([^()]*\)")
_HOST_INTO = re.compile(r"\bINTO\s+((?::[\w-]+\s*,?\s*)+)", re.I)


def _receivers(upper: str, verb: str) -> str:
    """The receiving operands of one statement, subscripts dropped (a subscript is read)."""
    if verb == "SET":
        match = re.match(r"SET\s+(.*?)\s+TO\s+(TRUE|FALSE)\b", upper)
        return match.group(1) if match else ""
    if verb == "INITIALIZE":
        return upper[len("INITIALIZE"):]
    if verb == "COMPUTE":
        return upper.split("=")[0][len("COMPUTE"):]
    if verb in ("READ", "RETURN"):
        match = re.search(r"\bINTO\s+(\S+)", upper)
        return match.group(1) if match else ""
    if verb in ("WRITE", "REWRITE", "RELEASE"):
        return upper.split()[1] if len(upper.split()) > 1 else ""
    if verb == "EXEC":
        match = _HOST_INTO.search(upper)
        return match.group(1).replace(":", " ") if match else ""
    words = {"MOVE": r"TO|INTO|GIVING", "ADD": r"TO|GIVING", "STRING": r"INTO",
             "UNSTRING": r"INTO", "ACCEPT": r"ACCEPT", "SUBTRACT": r"FROM|GIVING",
             "MULTIPLY": r"BY|GIVING", "DIVIDE": r"INTO|GIVING"}.get(verb)
    match = re.search(rf"\b(?:{words})\s+(.*)$", upper) if words else None
    return match.group(1) if match else ""


def _writes_of(actions: Iterable[str]) -> str:
    """Text of the receiving operands of the actions."""
    parts = []
    for action in actions:
        upper = action.upper()
        verb = upper.split()[0] if upper.split() else ""
        parts.append(_SUBSCRIPT.sub(" ", _receivers(upper, verb)))
    return " ".join(parts)


def _reads_of(actions: Iterable[str]) -> str:
    """Text of the sending operands (and the subscripts) of the actions."""
    parts = []
    for action in actions:
        upper = action.upper()
        verb = upper.split()[0] if upper.split() else ""
        if verb == "COMPUTE" and "=" in upper:
            parts.append(upper.split("=", 1)[1])
        elif verb in ("MOVE", "ADD", "SUBTRACT", "MULTIPLY", "DIVIDE"):
            parts.append(re.split(r"\b(?:TO|GIVING)\b", upper)[0])
        elif verb in ("WRITE", "REWRITE") and " FROM " in upper:
            parts.append(upper.split(" FROM ", 1)[1])
        elif verb == "EXEC":
            parts.append(" ".join(re.findall(r":([\w-]+)", _HOST_INTO.sub(" ", upper))))
        elif verb in ("READ", "START", "DELETE") and " KEY " in upper:
            parts.append(upper.split(" KEY ", 1)[1])
        parts.extend(_SUBSCRIPT.findall(_receivers(upper, verb)))
    return " ".join(parts)


def extract_rules(program: Program) -> list[Rule]:
    """Rules of one program."""
    return RuleExtractor(program).run()
