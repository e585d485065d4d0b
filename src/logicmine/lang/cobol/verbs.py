"""What a statement points at: PERFORM and GO TO targets, CALLs, file I/O.

Every statement, whether the grammar or the recovery scanner found it, arrives as flat text;
these readers work on its tokens, so both paths give the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...model import Reference, Statement
from .scanner import Token, tokenize

_PERFORM_INLINE_WORDS = frozenset({"VARYING", "UNTIL", "WITH", "TEST", "FOREVER"})
_OPEN_MODES = {"INPUT": "reads", "OUTPUT": "writes", "I-O": "writes", "EXTEND": "writes"}


@dataclass(slots=True)
class ProgramContext:
    """What statement readers need to know about the program around them."""

    program: str
    file: str
    record_to_file: dict[str, str] = field(default_factory=dict)  # FD record name -> file name
    file_assign: dict[str, str] = field(default_factory=dict)  # file name -> ASSIGN target


def _words(tokens: list[Token]) -> list[str]:
    return [t.upper for t in tokens]


def _ref(ctx: ProgramContext, stmt: Statement, kind: str, target: str, **extra) -> Reference:
    return Reference(kind=kind, program=ctx.program, procedure=stmt.procedure, target=target,
                     file=stmt.file, line=stmt.line, **extra)


def perform_refs(stmt: Statement, ctx: ProgramContext) -> list[Reference]:
    """Out-of-line PERFORM targets (with THRU); inline PERFORMs give an inline reference."""
    tokens = tokenize(stmt.text)[1:]
    if not tokens:
        return [_ref(ctx, stmt, "performs", "", inline=True)]
    first = tokens[0]
    following = tokens[1].upper if len(tokens) > 1 else ""
    if (first.kind != "word" or first.upper in _PERFORM_INLINE_WORDS or following == "TIMES"):
        return [_ref(ctx, stmt, "performs", "", inline=True)]
    target, end = first.upper, ""
    index = 1
    if following in ("OF", "IN") and len(tokens) > 2:  # paragraph OF section
        index = 3
    if (index < len(tokens) and tokens[index].upper in ("THRU", "THROUGH")
            and index + 1 < len(tokens)):
        end = tokens[index + 1].upper
    return [_ref(ctx, stmt, "performs", target, target_end=end)]


def goto_refs(stmt: Statement, ctx: ProgramContext) -> list[Reference]:
    """GO TO targets (several with DEPENDING ON)."""
    words = _words(tokenize(stmt.text))
    targets = []
    for word in words[1:]:
        if word in ("TO",):
            continue
        if word == "DEPENDING":
            break
        if word not in (",",):
            targets.append(word)
    return [_ref(ctx, stmt, "goes_to", target) for target in targets]


def call_refs(stmt: Statement, ctx: ProgramContext) -> list[Reference]:
    """CALL 'literal' or CALL data-name (dynamic, resolved later)."""
    tokens = tokenize(stmt.text)
    if len(tokens) < 2:
        return []
    target = tokens[1]
    if target.kind == "lit":
        return [_ref(ctx, stmt, "calls", _unquote(target.text).upper())]
    if target.kind == "word":
        return [_ref(ctx, stmt, "calls", "", dynamic=True, via=target.upper)]
    return []


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text.strip("'\"")


def open_refs(stmt: Statement, ctx: ProgramContext) -> list[Reference]:
    """OPEN INPUT a b OUTPUT c: one reference per file with its direction."""
    refs = []
    mode = ""
    for word in _words(tokenize(stmt.text))[1:]:
        if word in _OPEN_MODES:
            mode = word
        elif mode and word not in ("WITH", "NO", "REWIND", "LOCK", "REVERSED", ","):
            refs.append(_ref(ctx, stmt, "opens", word, detail=mode))
    return refs


def _file_ref(kind: str, name_index: int = 1, record: bool = False):
    def reader(stmt: Statement, ctx: ProgramContext) -> list[Reference]:
        words = _words(tokenize(stmt.text))
        if len(words) <= name_index:
            return []
        name = words[name_index]
        if record:
            name = ctx.record_to_file.get(name, name)
        return [_ref(ctx, stmt, kind, name, detail=words[0])]

    return reader


READERS: dict[str, Callable[[Statement, ProgramContext], list[Reference]]] = {
    "PERFORM": perform_refs,
    "GO": goto_refs,
    "CALL": call_refs,
    "OPEN": open_refs,
    "READ": _file_ref("reads"),
    "START": _file_ref("reads"),
    "RETURN": _file_ref("reads"),
    "DELETE": _file_ref("writes"),
    "WRITE": _file_ref("writes", record=True),
    "REWRITE": _file_ref("writes", record=True),
    "RELEASE": _file_ref("writes", record=True),
}


def statement_refs(stmt: Statement, ctx: ProgramContext) -> list[Reference]:
    """References one statement makes (empty for most verbs)."""
    reader = READERS.get(stmt.verb)
    return reader(stmt, ctx) if reader else []
