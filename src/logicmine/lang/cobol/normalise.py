"""Rewrites the tree-sitter COBOL grammar needs, each checked against the grammar (see tests).

Applied outside literals only (plus one inside):
- `"A""B"` -> `'A"B'`: the grammar's scanner for "-literals stops at each doubled quote;
- `NOT=`, `NOT<`, `NOT>` -> `NOT =` ...; `<>` -> `NOT =` (the grammar has no such tokens);
- `>=` / `<=` get spaces around them (accepted either way; spaced for the regex scanners after us);
- lower-case literal prefixes `x'00'`, `n'..'`, `g'..'`, `h'..'`, `b'..'`, `z'..'` are upper-cased;
- `FUNCTION f(args)(1:8)` / `FUNCTION CURRENT-DATE(1:8)`: the grammar has no reference
  modification after a function call, so the `(start:length)` part is replaced by blanks of the
  same width (the call keeps its place; only the substring bounds are lost).
Header leniency (identification and data division):
- `ID DIVISION` -> `IDENTIFICATION DIVISION`; `PROGRAM-ID name` gets its periods; clauses the
  grammar lacks (`IS INITIAL PROGRAM`, `RECURSIVE`, `COMMON INITIAL` ...) are blanked;
- AUTHOR/INSTALLATION/DATE-WRITTEN/DATE-COMPILED/SECURITY with no comment entry, REMARKS paragraphs
  and empty LINKAGE/LOCAL-STORAGE SECTION headers are blanked.
Long lines: the grammar ignores every token starting after column 72. A longer line has its spaces
outside literals folded; what still starts past column 72 moves to the front of the next line
(the token stream the grammar reads is unchanged; only those tokens' line shifts by one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...model import Origin
from .lexical import CODE_WIDTH

_TRIGGER = re.compile(r"NOT\s*[=<>]|[<>]|(?<![\w-])(?:nx|[xnghbz])['\"]|FUNCTION|\"\"", re.I)
_LITERAL = re.compile(r"\"(?:[^\"]|\"\")*(\"?)|'(?:[^']|'')*('?)")
_NOT_OP = re.compile(r"(?<![\w-])(NOT)(?=[=<>])", re.I)
_NE = re.compile(r"\s*<>\s*")
_GE_LE = re.compile(r"\s*([<>]=)\s*")
_FUNCTION = re.compile(r"(?<![\w-])FUNCTION\s+[A-Za-z0-9][\w-]*", re.I)
_PREFIXES = frozenset(("x", "n", "g", "h", "b", "z", "nx"))
_SPACES = re.compile(r"\s+")
_RUN = re.compile(r"\S+")
_SINGLE = re.compile(r"[\w#$@-]+|[A-Za-z]{0,2}(?:'_*'|\"_*\")")
_TOKEN = re.compile(r"[A-Za-z]{0,2}(?:'_*'?|\"_*\"?)|[\w#$@-]+|\S")

_ID_DIVISION = re.compile(r"^(\s*)ID(\s+DIVISION\b)", re.I)
_PROGRAM_ID = re.compile(r"^\s*PROGRAM-ID\b\s*(\.?)", re.I)
_ENTRY_PARAGRAPH = re.compile(
    r"^\s*(AUTHOR|INSTALLATION|DATE-WRITTEN|DATE-COMPILED|SECURITY|REMARKS)(?![\w-])\s*\.(.*)$",
    re.I,
)
_DIVISION = re.compile(r"^\s*(IDENTIFICATION|ID|ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION\b", re.I)
# What the grammar's comment-entry scanner refuses to take as a comment entry.
_ENTRY_STOP = re.compile(
    r"^\s*(?:AUTHOR|DATE-WRITTEN|DATE-COMPILED|SECURITY|INSTALLATION|REMARKS|PROGRAM-ID"
    r"|(?:IDENTIFICATION|ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION)\b",
    re.I,
)
_EMPTY_SECTION = re.compile(r"^\s*(?:LINKAGE|LOCAL-STORAGE)\s+SECTION\s*\.\s*$", re.I)
_HEADER = re.compile(r"^\s*(?:[\w-]+\s+SECTION|[\w-]+\s+DIVISION|END\s+PROGRAM)\b", re.I)
_KEPT_CLAUSE = re.compile(r"^(?:IS\s+(?:INITIAL|COMMON)|AS\s+.*)?$", re.I | re.S)


def normalise_code(code: str, dropped: list[tuple[str, str]] | None = None) -> str:
    """Lexical rewrites of one canonical line (a fast no-op for most lines).

    `dropped` collects (function call, reference modifier) pairs blanked for the grammar, so
    the statement text can be given back whole.
    """
    if not _TRIGGER.search(code):
        return code
    if "FUNCTION" in code.upper():
        code = _drop_function_refmod(code, dropped)
    if "'" not in code and '"' not in code:
        return _plain(code).rstrip()
    parts: list[str] = []
    cursor = 0
    for match in _LITERAL.finditer(code):
        plain = _upper_prefix(code[cursor : match.start()])
        parts.append(_plain(plain))
        literal = match.group()
        if literal[0] == '"' and '""' in literal[1:-1] and match.group(1):
            literal = _single_quoted(literal)
        parts.append(literal)
        cursor = match.end()
    parts.append(_plain(code[cursor:]))
    return "".join(parts).rstrip()


def _single_quoted(literal: str) -> str:
    """`"A""B"` as `'A"B'`: the grammar's external scanner splits a "-literal at each `""`."""
    content = literal[1:-1].replace('""', '"')
    return "'" + content.replace("'", "''") + "'"


def _upper_prefix(plain: str) -> str:
    """Upper-case a literal prefix (x, n, g, h, b, z, nx) at the end of `plain`."""
    size = 2 if plain[-2:].lower() == "nx" else 1
    prefix, before = plain[-size:], plain[-size - 1 : -size]
    if prefix.lower() not in _PREFIXES or (before and (before.isalnum() or before in "-_")):
        return plain
    return plain[:-size] + prefix.upper()


def _plain(text: str) -> str:
    if "<" in text or ">" in text or "=" in text:
        if "NOT" in text.upper():
            text = _NOT_OP.sub(r"\1 ", text)
        if "<>" in text:
            text = _NE.sub(" NOT = ", text)
        if "<=" in text or ">=" in text:
            text = _GE_LE.sub(r" \1 ", text)
    return text


def _masked(code: str) -> str:
    """`code` with literal contents hidden (same length), for bracket matching."""
    return _LITERAL.sub(_mask_one, code)


def _mask_one(match: re.Match[str]) -> str:
    text = match.group()
    if match.group(1) or match.group(2):
        return text[0] + "_" * (len(text) - 2) + text[-1]
    return text[0] + "_" * (len(text) - 1)


def _group_end(masked: str, start: int) -> tuple[int, bool]:
    """(end, has a colon at depth 1) of the parenthesised group opening at `start`, or (-1, _)."""
    depth, colon = 0, False
    for pos in range(start, len(masked)):
        char = masked[pos]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return pos + 1, colon
        elif char == ":" and depth == 1:
            colon = True
    return -1, False


def _drop_function_refmod(code: str, dropped: list[tuple[str, str]] | None = None) -> str:
    masked = _masked(code)
    for match in _FUNCTION.finditer(masked):
        pos = match.end()
        for _ in range(2):  # the argument list, then possibly the reference modifier
            start = len(masked) - len(masked[pos:].lstrip()) if pos < len(masked) else pos
            if masked[start : start + 1] != "(":
                break
            end, colon = _group_end(masked, start)
            if end < 0:
                break
            if colon:
                if dropped is not None:
                    dropped.append((" ".join(code[match.start() : start].split()),
                                    code[start:end]))
                code = code[:start] + " " * (end - start) + code[end:]
                masked = masked[:start] + " " * (end - start) + masked[end:]
                break
            pos = end
    return code


# ---------------------------------------------------------------- header leniency


def _next_code(codes: list[str], index: int) -> int:
    for nxt in range(index + 1, len(codes)):
        if codes[nxt].strip():
            return nxt
    return -1


HEADER_WORDS = (
    "DIVISION",
    "PROGRAM-ID",
    "SECTION",
    "AUTHOR",
    "INSTALLATION",
    "DATE-WRITTEN",
    "DATE-COMPILED",
    "SECURITY",
    "REMARKS",
)
NORMALISE_NEEDLES = ("NOT=", "NOT<", "NOT>", "<>", ">=", "<=", "FUNCTION", '""')
LOWER_PREFIX = re.compile(r"(?<![\w-])(?:[nN][xX]|[xnghbz])['\"]")


def fix_headers(
    codes: list[str], notes: list[str], candidates: Iterable[int] | None = None
) -> None:
    """Identification and data division leniency, in place (see the module docstring).

    `candidates`: sorted indexes of the lines holding one of HEADER_WORDS (all lines if None).
    """
    division = ""
    for index in range(len(codes)) if candidates is None else candidates:
        code = codes[index]
        if not code:
            continue
        header = _DIVISION.match(code)
        if header:
            codes[index] = _ID_DIVISION.sub(r"\1IDENTIFICATION\2", code)
            division = header.group(1).upper().replace("IDENTIFICATION", "ID")
        elif division == "ID":
            _fix_identification(codes, notes, index)
        elif division == "DATA" and _EMPTY_SECTION.match(code):
            nxt = _next_code(codes, index)
            if nxt < 0 or _HEADER.match(codes[nxt]):
                _blank(codes, notes, index)


def _fix_identification(codes: list[str], notes: list[str], index: int) -> None:
    if _PROGRAM_ID.match(codes[index]):
        _fix_program_id(codes, index)
    elif _ENTRY_PARAGRAPH.match(codes[index]):
        _fix_entry_paragraph(codes, notes, index)


def _blank(codes: list[str], notes: list[str], index: int) -> None:
    notes[index] = notes[index] or codes[index].strip()
    codes[index] = ""


def _fix_entry_paragraph(codes: list[str], notes: list[str], index: int) -> None:
    match = _ENTRY_PARAGRAPH.match(codes[index])
    assert match is not None
    if match.group(1).upper() == "REMARKS":
        _blank(codes, notes, index)
        nxt = _next_code(codes, index)
        while nxt >= 0 and not _ENTRY_STOP.match(codes[nxt]):
            _blank(codes, notes, nxt)
            nxt = _next_code(codes, nxt)
        return
    if match.group(2).strip():
        return
    nxt = _next_code(codes, index)
    if nxt < 0 or _ENTRY_STOP.match(codes[nxt]):
        _blank(codes, notes, index)


def _fix_program_id(codes: list[str], index: int) -> None:
    code = codes[index]
    match = _PROGRAM_ID.match(code)
    if not match:
        return
    if not match.group(1):
        code = code[: match.end()].rstrip() + ". " + code[match.end() :].lstrip()
        match = _PROGRAM_ID.match(code)
        assert match is not None
    rest = code[match.end() :]
    line = index
    if not rest.strip():  # the name is on the next line
        nxt = _next_code(codes, index)
        if nxt < 0 or _ENTRY_STOP.match(codes[nxt]) or _HEADER.match(codes[nxt]):
            codes[index] = code
            return
        codes[index] = code
        line, code, rest = nxt, codes[nxt], codes[nxt]
        match = None
    offset = len(code) - len(rest)
    codes[line] = code[:offset] + _fix_program_name(rest, codes, line)


def _fix_program_name(rest: str, codes: list[str], line: int) -> str:
    """`name [clauses][.]` -> `name [kept clauses].`"""
    masked = _masked(rest)
    body = masked.rstrip()
    period = body.endswith(".")
    if period:
        body = body[:-1]
    words = body.split(None, 1)
    if not words:
        return rest
    clause = words[1].strip() if len(words) > 1 else ""
    name_end = masked.index(words[0]) + len(words[0])
    if clause and not _KEPT_CLAUSE.match(clause):
        rest = rest[:name_end] + " " * (len(body) - name_end) + rest[len(body) :]
    if not period:
        nxt = _next_code(codes, line)
        if nxt < 0 or not codes[nxt].lstrip().startswith("."):
            rest = rest.rstrip() + "."
    return rest.rstrip()


# ---------------------------------------------------------------- long lines


def _fold_spaces(code: str) -> str:
    """Spaces outside literals folded to one, indentation dropped."""
    if "'" not in code and '"' not in code:
        return " ".join(code.split())
    parts: list[str] = []
    cursor = 0
    for match in _LITERAL.finditer(code):
        parts.append(_SPACES.sub(" ", code[cursor : match.start()]))
        parts.append(match.group())
        cursor = match.end()
    parts.append(_SPACES.sub(" ", code[cursor:]))
    return "".join(parts).strip()


def _cut(code: str) -> int:
    """Where to cut `code` so no token starts at or after CODE_WIDTH; -1 when it already fits.

    A run of non-blank characters that is one word or one literal may run past the limit (the
    grammar reads a token whole once it has started); any other run that reaches past the limit
    moves whole, or, when it opens the line, is cut at its first token past the limit.
    """
    masked = _masked(code)
    for run in _RUN.finditer(masked):
        if run.end() <= CODE_WIDTH:
            continue
        if run.start() >= CODE_WIDTH:
            return run.start()
        if _SINGLE.fullmatch(run.group()):
            continue
        inner = _inner_cut(masked, run.start(), run.end())
        if inner is None:
            continue
        return inner if inner > 0 or run.start() == 0 else run.start()
    return -1


def _inner_cut(masked: str, start: int, end: int) -> int | None:
    """A safe cut inside a run (after a literal, or before the run's final period or comma);
    -1 when the first token past the limit has no safe cut, None when no token starts past it."""
    previous = ""
    for token in _TOKEN.finditer(masked, start, end):
        if token.start() >= CODE_WIDTH:
            last = token.end() == end and token.group() in (".", ",")
            if last or previous[-1:] in ("'", '"') or start == 0:
                return token.start()
            return -1
        previous = token.group()
    return None


def fit_lines(codes: list[str], origins: list[Origin], notes: list[str]) -> None:
    """Keep every token's start within column 72 (see the module docstring)."""
    index = 0
    while index < len(codes):
        code = codes[index]
        if len(code) > CODE_WIDTH:
            code = _fold_spaces(code)
            cut = _cut(code)
            if cut > 0:
                code, spill = code[:cut].rstrip(), code[cut:]
                if index + 1 == len(codes):
                    codes.append("")
                    origins.append(origins[index])
                    notes.append("")
                following = codes[index + 1].strip()
                codes[index + 1] = f"{spill} {following}" if following else spill
            codes[index] = code
        index += 1
