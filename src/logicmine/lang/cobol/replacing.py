"""COPY ... REPLACING and REPLACE: text-word matching over a run of canonical lines.

Matching follows IBM Enterprise COBOL: operands are compared text word by text word,
case-insensitive for words and separators, exactly for literals; whitespace, commas and semicolons
between words do not matter, so pseudo-text may match across lines. `(`, `)`, `:` and other
punctuation are separators, which is what makes `==(TAG)==` and `==:TAG:==` replace part of
`FLG-(TAG)-OK` or `:TAG:-NAME`.
LEADING/TRAILING replace the start/end of a word (a run of word characters and colons).
Replacement text is inserted where the match began; a match spanning lines leaves the later lines'
matched characters blank, so every line keeps its origin. Replaced text is not rescanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Text tokens: literals (with an optional X/N/G/Z/B/H/NX prefix), words, single separators.
_TEXT_TOKEN = re.compile(
    r"(?P<lit>(?:[NnXx][Xx]|[XxNnGgZzBbHh])?(?:\"(?:[^\"]|\"\")*\"?|'(?:[^']|'')*'?))"
    r"|(?P<word>[A-Za-z0-9_#$@-]+)"
    r"|(?P<sep>[^\s,;])"
)
WORD, LIT, SEP = "word", "lit", "sep"


@dataclass(frozen=True, slots=True)
class Pair:
    """One `operand BY operand` of REPLACING / REPLACE."""

    keys: tuple[str, ...]  # operand-1 as comparison keys; for LEADING/TRAILING one upper string
    replacement: str
    mode: str = ""  # "", "LEADING" or "TRAILING"


@dataclass(frozen=True, slots=True)
class _Token:
    line: int
    start: int
    end: int
    key: str
    kind: str


def token_keys(text: str) -> tuple[str, ...]:
    """Comparison keys of an operand's text words."""
    return tuple(_key(m) for m in _TEXT_TOKEN.finditer(text))


def _key(match: re.Match[str]) -> str:
    return match.group() if match.lastgroup == LIT else match.group().upper()


def fold_pseudo(text: str) -> str:
    """Pseudo-text as inserted: lines joined by one space, ends trimmed."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def make_pair(kind: str, text: str, replacement: str, mode: str = "") -> Pair:
    """A Pair from operand-1 (`kind` is pt, lit or word) and its replacement text."""
    if mode:
        return Pair((fold_pseudo(text).upper(),), replacement, mode)
    return Pair(token_keys(text) if kind != "lit" else (text,), replacement)


def _tokens(codes: list[str], first: int, col: int, stop: int) -> list[_Token]:
    tokens: list[_Token] = []
    for index in range(first, stop):
        code = codes[index]
        if not code:
            continue
        for match in _TEXT_TOKEN.finditer(code, col if index == first else 0):
            kind = match.lastgroup or SEP
            tokens.append(_Token(index, match.start(), match.end(), _key(match), kind))
    return tokens


def apply_pairs(codes: list[str], pairs: tuple[Pair, ...], first: int, col: int, stop: int) -> int:
    """Apply `pairs` to codes[first][col:] .. codes[stop - 1] in place; returns the match count."""
    pairs = tuple(p for p in pairs if p.keys and p.keys[0])
    if not pairs:
        return 0
    tokens = _tokens(codes, first, col, stop)
    edits = _match(tokens, codes, pairs)
    for edit in reversed(edits):
        _apply(codes, *edit)
    return len(edits)


def _match(tokens: list[_Token], codes: list[str], pairs: tuple[Pair, ...]) -> list[tuple]:
    firsts = {p.keys[0] for p in pairs if not p.mode}
    partial = any(p.mode for p in pairs)
    edits: list[tuple] = []
    i, count = 0, len(tokens)
    while i < count:
        tok = tokens[i]
        if tok.key not in firsts and not (partial and _word_start(tokens, i)):
            i += 1
            continue
        step = 0
        for pair in pairs:
            step = _try(pair, tokens, i, codes, edits)
            if step:
                break
        i += step or 1
    return edits


def _try(pair: Pair, tokens: list[_Token], i: int, codes: list[str], edits: list[tuple]) -> int:
    """Tokens consumed when `pair` matches at token i (edit recorded), else 0."""
    if pair.mode:
        return _try_partial(pair, tokens, i, codes, edits)
    keys = pair.keys
    n = len(keys)
    if i + n > len(tokens):
        return 0
    for k in range(n):
        if tokens[i + k].key != keys[k]:
            return 0
    first, last = tokens[i], tokens[i + n - 1]
    edits.append((first.line, first.start, last.line, last.end, pair.replacement))
    return n


def _word_start(tokens: list[_Token], i: int) -> bool:
    tok = tokens[i]
    if tok.kind == LIT or (tok.kind == SEP and tok.key != ":"):
        return False
    prev = tokens[i - 1] if i else None
    return not (prev and _glued(prev, tok))


def _glued(a: _Token, b: _Token) -> bool:
    return (
        a.line == b.line and a.end == b.start and a.kind != LIT and (a.kind == WORD or a.key == ":")
    )


def _try_partial(
    pair: Pair, tokens: list[_Token], i: int, codes: list[str], edits: list[tuple]
) -> int:
    if not _word_start(tokens, i):
        return 0
    j = i
    while j + 1 < len(tokens) and _glued(tokens[j], tokens[j + 1]) and tokens[j + 1].kind != LIT:
        j += 1
    first, last = tokens[i], tokens[j]
    word = codes[first.line][first.start : last.end].upper()
    part = pair.keys[0]
    if pair.mode == "LEADING" and word.startswith(part):
        edits.append(
            (first.line, first.start, first.line, first.start + len(part), pair.replacement)
        )
    elif pair.mode == "TRAILING" and word.endswith(part):
        edits.append((first.line, last.end - len(part), first.line, last.end, pair.replacement))
    else:
        return 0
    return j - i + 1


def _apply(codes: list[str], line: int, start: int, end_line: int, end: int, text: str) -> None:
    if line == end_line:
        code = codes[line]
        codes[line] = (code[:start] + text + code[end:]).rstrip()
        return
    codes[line] = (codes[line][:start] + text).rstrip()
    for index in range(line + 1, end_line):
        codes[index] = ""
    tail = codes[end_line][end:]
    codes[end_line] = (" " * end + tail).rstrip() if tail.strip() else ""
