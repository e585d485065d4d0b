"""Data description entries: level, name, PIC, USAGE, VALUE, OCCURS, REDEFINES, 88-levels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .scanner import tokenize

_LEVEL = re.compile(r"^\s*(\d{1,2})(?=\s|\.|$)")
_PIC = re.compile(r"\bPIC(?:TURE)?\s+(?:IS\s+)?(\S+?)(?=\.?(?:\s|$))", re.I)
_OCCURS = re.compile(r"\bOCCURS\s+(\d+(?:\s+TO\s+\d+)?)", re.I)
_REDEFINES = re.compile(r"\bREDEFINES\s+([A-Za-z0-9][\w-]*)", re.I)
_USAGE = re.compile(
    r"\b(?:USAGE\s+(?:IS\s+)?)?(COMP(?:UTATIONAL)?(?:-[1-5X])?|BINARY|PACKED-DECIMAL|INDEX|"
    r"POINTER|DISPLAY-1|NATIONAL|FUNCTION-POINTER|PROCEDURE-POINTER)\b",
    re.I,
)
_NAME = re.compile(r"\s*([A-Za-z0-9_][A-Za-z0-9_-]*)")
_VALUE_AT = re.compile(r"\bVALUES?\b", re.I)
_USAGE_HINT = re.compile(r"COMP|BINARY|PACKED|INDEX|POINTER|DISPLAY-1|NATIONAL")
_CLAUSE_WORDS = frozenset(
    """PIC PICTURE USAGE VALUE VALUES OCCURS REDEFINES SIGN JUSTIFIED JUST BLANK SYNCHRONIZED
    SYNC INDEXED ASCENDING DESCENDING DEPENDING EXTERNAL GLOBAL COMP COMPUTATIONAL BINARY
    PACKED-DECIMAL IS ARE""".split()
)


@dataclass(frozen=True, slots=True)
class Entry:
    """A parsed data description entry (without its place)."""

    level: int
    name: str
    pic: str = ""
    usage: str = ""
    value: str = ""
    values: tuple[str, ...] = ()
    occurs: str = ""
    redefines: str = ""


@lru_cache(maxsize=65536)  # copybooks repeat the same entries in program after program
def parse_entry(text: str) -> Entry | None:
    """Parse one entry's text (`05 WS-X PIC 9(3) VALUE 0`); None when it is not an entry."""
    level_match = _LEVEL.match(text)
    if not level_match:
        return None
    level = int(level_match.group(1))
    if not (1 <= level <= 49 or level in (66, 77, 88)):
        return None
    rest = text[level_match.end():]
    name_match = _NAME.match(rest)
    name = "FILLER"
    if name_match and name_match.group(1).upper() not in _CLAUSE_WORDS:
        name = name_match.group(1).upper()
    value_at = _VALUE_AT.search(rest)
    values = _values(tokenize(rest, value_at.start())) if value_at else []
    upper = rest.upper()  # substring checks first: most entries have one or two clauses
    pic = _PIC.search(rest) if "PIC" in upper else None
    occurs = _OCCURS.search(rest) if "OCCURS" in upper else None
    redefines = _REDEFINES.search(rest) if "REDEFINES" in upper else None
    usage = _USAGE.search(_strip_literals(rest)) if _USAGE_HINT.search(upper) else None
    return Entry(
        level=level,
        name=name,
        pic=pic.group(1).upper() if pic else "",
        usage=usage.group(1).upper() if usage else "",
        value=" ".join(values) if level != 88 else "",
        values=tuple(values) if level == 88 else (),
        occurs=" ".join(occurs.group(1).split()) if occurs else "",
        redefines=redefines.group(1).upper() if redefines else "",
    )


def _strip_literals(text: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"", "''", text)


def _values(tokens: list) -> list[str]:
    """Literals after VALUE/VALUES, with `A THRU B` ranges kept as one value."""
    start = next(
        (i for i, t in enumerate(tokens) if t.kind == "word" and t.upper in ("VALUE", "VALUES")), -1
    )
    if start < 0:
        return []
    values: list[str] = []
    i = start + 1
    while i < len(tokens):
        tok = tokens[i]
        word = tok.upper
        if tok.kind == "word" and word in ("IS", "ARE", "ALL"):
            i += 1
            continue
        if tok.kind == "word" and word in ("THRU", "THROUGH") and values and i + 1 < len(tokens):
            values[-1] = f"{values[-1]} THRU {_literal(tokens[i + 1])}"
            i += 2
            continue
        if tok.kind in ("lit", "num") or (tok.kind == "word" and _figurative(word)):
            values.append(_literal(tok))
            i += 1
            continue
        if tok.kind == "op" and tok.text == ",":
            i += 1
            continue
        break
    return values


def _literal(tok) -> str:
    return tok.text if tok.kind == "lit" else tok.upper


_FIGURATIVE = frozenset(
    """ZERO ZEROS ZEROES SPACE SPACES HIGH-VALUE HIGH-VALUES LOW-VALUE LOW-VALUES QUOTE QUOTES
    NULL NULLS""".split()
)


def _figurative(word: str) -> bool:
    return word in _FIGURATIVE
