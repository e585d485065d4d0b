"""Rebuild the nesting of a flat statement run: IF/ELSE, EVALUATE/WHEN, loops, AT END phrases.

Language-neutral in shape: a front end that yields flat `Statement`s with the verbs below
(IF, ELSE, END-IF, EVALUATE, WHEN, WHEN-OTHER, END-EVALUATE, PERFORM ... END-PERFORM, phrase
markers such as AT-END, and PERIOD which closes every open scope) gets a tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lang.cobol.scanner import PHRASE_OWNERS
from .model import Statement

PHRASES = frozenset(
    """AT-END NOT-AT-END INVALID-KEY NOT-INVALID-KEY ON-SIZE-ERROR NOT-ON-SIZE-ERROR
    ON-EXCEPTION NOT-ON-EXCEPTION ON-OVERFLOW NOT-ON-OVERFLOW AT-EOP NOT-AT-EOP""".split()
)


@dataclass(slots=True)
class Block:
    """A statement with nested branches; a plain statement has none."""

    stmt: Statement
    kind: str = "stmt"  # stmt, if, evaluate, search, loop, phrase
    branches: list[Branch] = field(default_factory=list)
    end: Statement | None = None  # END-IF / END-EVALUATE / last statement, for the span

    @property
    def last_line(self) -> int:
        """Last physical line of the block in the block's own file."""
        lines = [self.stmt.end_line]
        if self.end is not None and self.end.file == self.stmt.file:
            lines.append(self.end.end_line)
        for branch in self.branches:
            for child in branch.body:
                if child.stmt.file == self.stmt.file:
                    lines.append(child.last_line)
        return max(lines)


@dataclass(slots=True)
class Branch:
    """One branch: the statements deciding it (IF header, WHEN lines) and its body."""

    label: str  # THEN, ELSE, WHEN, OTHER, or the phrase marker
    conditions: list[Statement] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)


def is_inline_perform(stmt: Statement) -> bool:
    """PERFORM VARYING/UNTIL/n TIMES with its own body (closed by END-PERFORM)."""
    words = stmt.text.upper().split()
    if len(words) < 2:
        return True
    return words[1] in ("VARYING", "UNTIL", "WITH", "TEST", "FOREVER") or (
        len(words) > 2 and words[2] == "TIMES" or words[1].isdigit()
    )


def _owns(verb: str, phrase: str) -> bool:
    """True when statements of `verb` take the branch phrase `phrase` (READ takes AT END)."""
    return verb in PHRASE_OWNERS.get(phrase.removeprefix("NOT-"), ())


class _Builder:
    def __init__(self) -> None:
        self.root: list[Block] = []
        self.stack: list[Block] = []

    def body(self) -> list[Block]:
        if not self.stack:
            return self.root
        top = self.stack[-1]
        if not top.branches:  # statements before the first WHEN: keep them, in a branch
            top.branches.append(Branch("BODY", [top.stmt]))
        return top.branches[-1].body

    def open(self, block: Block) -> None:
        self.body().append(block)
        self.stack.append(block)

    def pop_to(self, kinds: tuple[str, ...]) -> Block | None:
        """Close scopes until one of `kinds` is on top; return it (still open) or None."""
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].kind in kinds:
                del self.stack[depth + 1 :]
                return self.stack[-1]
        return None

    def close_phrases(self) -> None:
        while self.stack and self.stack[-1].kind == "phrase":
            self.stack.pop()

    def feed(self, stmt: Statement) -> None:
        verb = stmt.verb
        handler = _HANDLERS.get(verb)
        if handler:
            handler(self, stmt)
        elif verb in PHRASES:
            self._phrase(stmt)
        elif verb.startswith("END-"):
            self._end_verb(stmt)
        else:
            self.body().append(Block(stmt))

    def _if(self, stmt: Statement) -> None:
        self.open(Block(stmt, "if", [Branch("THEN", [stmt])]))

    def _else(self, stmt: Statement) -> None:
        block = self.pop_to(("if",))
        if block is not None:
            block.branches.append(Branch("ELSE", [stmt]))

    def _end_if(self, stmt: Statement) -> None:
        block = self.pop_to(("if",))
        if block is not None:
            block.end = stmt
            self.stack.pop()

    def _evaluate(self, stmt: Statement) -> None:
        self.open(Block(stmt, "evaluate"))

    def _when(self, stmt: Statement) -> None:
        block = self.pop_to(("evaluate", "search"))
        if block is None:
            return
        last = block.branches[-1] if block.branches else None
        if last is not None and not last.body and last.label == "WHEN":
            last.conditions.append(stmt)  # WHEN A WHEN B: one branch, either condition
        else:
            label = "OTHER" if stmt.verb == "WHEN-OTHER" else "WHEN"
            block.branches.append(Branch(label, [stmt]))

    def _end_evaluate(self, stmt: Statement) -> None:
        block = self.pop_to(("evaluate",))
        if block is not None:
            block.end = stmt
            self.stack.pop()

    def _perform(self, stmt: Statement) -> None:
        if is_inline_perform(stmt):
            self.open(Block(stmt, "loop", [Branch("LOOP", [stmt])]))
        else:
            self.body().append(Block(stmt))

    def _end_perform(self, stmt: Statement) -> None:
        block = self.pop_to(("loop",))
        if block is not None:
            block.end = stmt
            self.stack.pop()

    def _search(self, stmt: Statement) -> None:
        self.open(Block(stmt, "search"))

    def _end_search(self, stmt: Statement) -> None:
        block = self.pop_to(("search",))
        if block is not None:
            block.end = stmt
            self.stack.pop()

    def _phrase(self, stmt: Statement) -> None:
        self.close_phrases()
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "phrase-owner" and _owns(top.stmt.verb, stmt.verb):
            top.branches.append(Branch(stmt.verb, [stmt]))  # AT END ... NOT AT END
            return
        body = self.body()
        owner = body[-1] if body else None
        if owner is None or owner.kind not in ("stmt", "phrase-owner", "search"):
            body.append(Block(stmt))
            return
        if owner.kind == "search":  # SEARCH ... AT END is a branch of the search itself
            owner.branches.append(Branch(stmt.verb, [stmt]))
            self.stack.append(owner)
            return
        owner.kind = "phrase-owner"
        owner.branches.append(Branch(stmt.verb, [stmt]))
        self.stack.append(owner)

    def _end_verb(self, stmt: Statement) -> None:
        verb = stmt.verb.removeprefix("END-")
        for depth in range(len(self.stack) - 1, -1, -1):
            block = self.stack[depth]
            if block.kind == "phrase-owner" and block.stmt.verb == verb:
                block.end = stmt
                del self.stack[depth:]
                return

    def _else_if(self, stmt: Statement) -> None:
        self._else(stmt)
        self._if(stmt)

    def _period(self, stmt: Statement) -> None:
        self.stack.clear()


_HANDLERS = {
    "IF": _Builder._if,
    "ELSE": _Builder._else,
    "ELSE-IF": _Builder._else_if,
    "END-IF": _Builder._end_if,
    "EVALUATE": _Builder._evaluate,
    "WHEN": _Builder._when,
    "WHEN-OTHER": _Builder._when,
    "END-EVALUATE": _Builder._end_evaluate,
    "PERFORM": _Builder._perform,
    "END-PERFORM": _Builder._end_perform,
    "SEARCH": _Builder._search,
    "END-SEARCH": _Builder._end_search,
    "PERIOD": _Builder._period,
}


def build_tree(statements: list[Statement]) -> list[Block]:
    """Nested blocks of one procedure's flat statements."""
    builder = _Builder()
    for stmt in statements:
        builder.feed(stmt)
    return builder.root
