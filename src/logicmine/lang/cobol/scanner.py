"""A statement scanner for COBOL text the grammar could not read (ERROR regions).

Tree-sitter's COBOL grammar returns the procedure division as a flat run of statements and
branch markers. Where it gives up, this scanner cuts the same flat run out of the raw tokens,
so no paragraph, PERFORM, CALL, condition or computation is lost in an ERROR region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_RE = re.compile(
    r"""
    (?P<lit>[XxNnGgZzBb]?'(?:[^'\n]|'')*'?|[XxNnGgZzBb]?"(?:[^"\n]|"")*"?)  # literals
  | (?P<num>[+-]?\d*[.,]\d+(?![\w-])|[+-]?\d+(?![\w-]))                      # numbers
  | (?P<word>[A-Za-z0-9_][A-Za-z0-9_-]*[A-Za-z0-9_]|[A-Za-z0-9_])              # COBOL words
  | (?P<period>\.(?=\s|$))                                                  # separator period
  | (?P<op>>=|<=|\*\*|<>|[()=<>+\-*/:,&;.])                                 # everything else
    """,
    re.VERBOSE,
)

# Words that open a statement; the scanner starts a new statement at each.
VERBS = frozenset(
    """ACCEPT ADD ALLOCATE ALTER CALL CANCEL CLOSE COMPUTE CONTINUE DELETE DISPLAY DIVIDE ENTRY
    EVALUATE EXIT FREE GENERATE GO GOBACK IF INITIALIZE INITIATE INSPECT INVOKE JSON MERGE MOVE
    MULTIPLY OPEN PERFORM READ RELEASE RETURN REWRITE SEARCH SET SORT START STOP STRING SUBTRACT
    SUPPRESS TERMINATE UNLOCK UNSTRING WRITE XML EXEC""".split()
)

# Words that continue or close a statement's branches: they become markers of their own.
_MARKERS = {"ELSE": "ELSE", "WHEN": "WHEN"}
_CONDITION_PHRASES = {
    ("AT", "END"): "AT-END",
    ("END",): "AT-END",  # bare END after READ/RETURN/SEARCH is AT END (AT is optional)
    ("ON", "SIZE", "ERROR"): "ON-SIZE-ERROR",
    ("SIZE", "ERROR"): "ON-SIZE-ERROR",
    ("INVALID", "KEY"): "INVALID-KEY",
    ("INVALID",): "INVALID-KEY",
    ("ON", "EXCEPTION"): "ON-EXCEPTION",
    ("EXCEPTION",): "ON-EXCEPTION",
    ("ON", "OVERFLOW"): "ON-OVERFLOW",
    ("OVERFLOW",): "ON-OVERFLOW",
    ("AT", "END-OF-PAGE"): "AT-EOP",
    ("AT", "EOP"): "AT-EOP",
}


@dataclass(frozen=True, slots=True)
class Token:
    """A token with its kind and character offsets into the scanned text."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """Upper-cased text (COBOL words are case-insensitive)."""
        return self.text.upper()


@dataclass(frozen=True, slots=True)
class Piece:
    """A statement or marker cut out of the text: verb and character offsets."""

    verb: str
    start: int
    end: int


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end] with absolute offsets."""
    end = len(text) if end is None else end
    return [
        Token(m.lastgroup or "op", m.group(), m.start(), m.end())
        for m in TOKEN_RE.finditer(text, start, end)
    ]


def _phrase_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """A branch phrase (AT END, NOT ON SIZE ERROR, ...) starting at token i: (marker, length)."""
    negated = tokens[i].upper == "NOT"
    j = i + 1 if negated else i
    for length in (3, 2, 1):
        words = tuple(t.upper for t in tokens[j : j + length])
        marker = _CONDITION_PHRASES.get(words)
        if marker and len(words) == length:
            return ("NOT-" + marker if negated else marker), (j - i) + length
    return None


def _end_marker(word: str) -> bool:
    return word.startswith("END-") and word[4:] in VERBS | {"PERFORM", "EVALUATE", "IF"}


def split_statements(tokens: list[Token], expect_phrases: bool = True) -> list[Piece]:
    """Cut tokens into flat statements and markers, the way the grammar reports them."""
    pieces: list[Piece] = []
    verb, start, last = "", -1, -1
    i = 0

    def close() -> None:
        if verb:
            pieces.append(Piece(verb, start, last))

    while i < len(tokens):
        tok = tokens[i]
        word = tok.upper if tok.kind == "word" else ""
        phrase = _phrase_at(tokens, i) if word and expect_phrases and verb else None
        if tok.kind == "period":
            close()
            pieces.append(Piece("PERIOD", tok.start, tok.end))
            verb = ""
        elif word in VERBS and not _is_operand(tokens, i):
            close()
            verb, start, last = ("GO" if word == "GO" else word), tok.start, tok.end
        elif word in _MARKERS or _end_marker(word):
            close()
            if word == "WHEN" and i + 1 < len(tokens) and tokens[i + 1].upper == "OTHER":
                pieces.append(Piece("WHEN-OTHER", tok.start, tokens[i + 1].end))
                verb, i = "", i + 2
                continue
            if word == "WHEN":
                verb, start, last = "WHEN", tok.start, tok.end
            else:
                pieces.append(Piece(word, tok.start, tok.end))
                verb = ""
        elif phrase and _phrase_allowed(pieces, verb, phrase[0]):
            close()
            span_end = tokens[i + phrase[1] - 1].end
            pieces.append(Piece(phrase[0], tok.start, span_end))
            verb = ""
            i += phrase[1]
            continue
        elif verb:
            last = tok.end
        else:
            verb, start, last = "?", tok.start, tok.end  # text with no verb: unrecovered
        i += 1
    close()
    return pieces


def _is_operand(tokens: list[Token], i: int) -> bool:
    """A verb word used as an operand, e.g. `DISPLAY` after USAGE or `STRING` after DELIMITED BY."""
    if i == 0:
        return False
    prev = tokens[i - 1].upper
    return prev in {"USAGE", "IS", "FOR", "TO", "OF", "IN", "BY", "FROM"} and tokens[i].upper in {
        "DISPLAY", "RETURN", "DELETE", "START", "EXIT", "STOP", "CALL", "READ", "WRITE",
    }


PHRASE_OWNERS = {
    "AT-END": {"READ", "RETURN", "SEARCH"},
    "AT-EOP": {"WRITE"},
    "INVALID-KEY": {"READ", "WRITE", "REWRITE", "DELETE", "START"},
    "ON-SIZE-ERROR": {"ADD", "SUBTRACT", "MULTIPLY", "DIVIDE", "COMPUTE"},
    "ON-EXCEPTION": {"CALL", "ACCEPT", "DISPLAY", "INVOKE", "XML", "JSON"},
    "ON-OVERFLOW": {"CALL", "STRING", "UNSTRING"},
}


def _phrase_allowed(pieces: list[Piece], verb: str, marker: str) -> bool:
    """A phrase only opens a branch after a statement that takes it (or its own branch)."""
    base = marker.removeprefix("NOT-")
    owners = PHRASE_OWNERS.get(base, set())
    if verb in owners:
        return True
    # a NOT phrase may follow the positive phrase's branch statements
    for piece in reversed(pieces):
        if piece.verb in owners:
            return True
        if piece.verb.startswith("END-") or piece.verb == "PERIOD":
            return False
    return False


HEADER_RE = re.compile(
    r"^ {7}(?P<indent> {0,3})(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)"
    r"(?:\s+(?P<section>SECTION)(?:\s+\d+)?)?\s*\.\s*$",
    re.IGNORECASE,
)


def header_at(line: str) -> tuple[str, str] | None:
    """(kind, name) when a canonical line is a paragraph or section header in area A."""
    match = HEADER_RE.match(line)
    if not match:
        return None
    name = match.group("name").upper()
    if name in VERBS or name in {"END-IF", "END-EVALUATE", "END-PERFORM", "EXIT", "ELSE"}:
        return None
    return ("section" if match.group("section") else "paragraph", name)
