"""Copybook lookup and the COPY / REPLACE / EXEC SQL INCLUDE statement parser.

A statement may start after other code on its line and span lines (pseudo-text too), up to
MAX_STATEMENT_LINES lines; it ends at its period (a missing period is reported, and the statement
ends after its last well-formed clause).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .replacing import Pair, fold_pseudo, make_pair

EXTENSIONS = (".cpy", ".copy", ".cpb", ".cbl", "")
MAX_STATEMENT_LINES = 100

_STMT_TOKEN = re.compile(
    r"(?P<pt>==.*?==)"
    r"|(?P<open>==)"  # pseudo-text whose closing == is on a later line
    r"|(?P<lit>(?:[NnXx][Xx]|[XxNnGgZzBbHh])?(?:\"(?:[^\"\n]|\"\")*\"|'(?:[^'\n]|'')*'))"
    r"|(?P<dot>\.(?=\s|$))"
    r"|(?P<word>[^\s.'\"=,;]+(?:\.[^\s.'\"=,;]+)*)"
    r"|(?P<other>[^\s,;])",
    re.S,
)
# A literal, or COPY / REPLACE / EXEC as a COBOL word (a hyphen is part of a word, so END-EXEC
# is not EXEC).
_LITERAL_OR_COPY = re.compile(
    r"\"(?:[^\"]|\"\")*\"?|'(?:[^']|'')*'?|(?<![\w-])(COPY|REPLACE|EXEC)(?![\w-])", re.I
)


def _read_utf8(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def member_key(name: str) -> str:
    """Index key of a member: file name without directory or extension, upper-cased."""
    return PurePosixPath(name.replace("\\", "/")).stem.upper() or name.upper()


def _rank(path: str, search_paths: Sequence[str]) -> tuple[int, int, str]:
    parent = str(PurePosixPath(path).parent)
    order = next(
        (i for i, sp in enumerate(search_paths) if parent == sp.rstrip("/")), len(search_paths)
    )
    return order, len(path), path


def build_copybook_index(paths: Iterable[str], search_paths: Sequence[str] = ()) -> dict[str, str]:
    """Member name -> path; ties: earlier search path, then shorter path, then lexical order."""
    index: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: _rank(p, search_paths)):
        index.setdefault(member_key(path), path)
    return index


class CopybookResolver:
    """Finds and loads copybooks: search paths first (in order), then the discovered index.

    `files` (optional) lists every copybook path known to the caller; without it, names in the
    search paths are probed through `loader`. A resolver caches texts and per-copybook work for
    its lifetime: make a new one when the files change.
    """

    def __init__(
        self,
        index: Mapping[str, str],
        search_paths: Sequence[str] = (),
        loader: Callable[[str], str] = _read_utf8,
        *,
        files: Iterable[str] | None = None,
    ) -> None:
        self.index = {member_key(k): v for k, v in index.items()}
        self.search_paths = tuple(sp.strip("/") for sp in search_paths)
        self.loader = loader
        known = set(files) if files is not None else set(index.values())
        self._known = {p.lower(): p for p in sorted(known)}
        self._probe = files is None
        self._texts: dict[str, str] = {}
        self._missing: set[str] = set()
        self.cache: dict[tuple, object] = {}  # preprocess keeps per-copybook work here

    def resolve(self, member: str, library: str = "") -> str | None:
        """Repo-relative path of a copybook, or None; case-insensitive, extension optional.

        Order: `library` as a directory (under each search path, at the root, then anywhere),
        then the search paths, the root, and last the index of discovered copybooks.
        """
        member = member.strip().strip("'\"").replace("\\", "/")
        library = library.strip().strip("'\"").replace("\\", "/")
        if not member:
            return None
        if library:
            for directory in (*(f"{sp}/{library}".strip("/") for sp in self.search_paths), library):
                found = self._in_dir(directory, member)
                if found:
                    return found
            found = self._library_anywhere(member, library)
            if found:
                return found
        for directory in (*self.search_paths, ""):
            found = self._in_dir(directory, member)
            if found:
                return found
        return self.index.get(member_key(member))

    def _candidates(self, directory: str, member: str) -> Iterable[str]:
        has_ext = PurePosixPath(member).suffix.lower() in EXTENSIONS[:-1]
        for ext in ("",) if has_ext else EXTENSIONS:
            names = (
                member + ext,
                member.upper() + ext,
                member.upper() + ext.upper(),
                member.lower() + ext,
                member.lower() + ext.upper(),
            )
            for name in dict.fromkeys(names):
                yield f"{directory}/{name}" if directory else name

    def _in_dir(self, directory: str, member: str) -> str | None:
        for candidate in self._candidates(directory, member):
            known = self._known.get(candidate.lower())
            if known:
                return known
            if self._probe and self._exists(candidate):
                return candidate
        return None

    def _library_anywhere(self, member: str, library: str) -> str | None:
        """A known file named `member` in any directory called `library`."""
        lib, key = library.lower().split("/")[-1], member_key(member)
        for lowered, path in self._known.items():
            pure = PurePosixPath(lowered)
            if pure.parent.name == lib and pure.stem.upper() == key:
                return path
        return None

    def _exists(self, path: str) -> bool:
        if path in self._texts:
            return True
        if path in self._missing:
            return False
        try:
            self._texts[path] = self.loader(path)
        except (OSError, LookupError, ValueError):
            self._missing.add(path)
            return False
        return True

    def load(self, path: str) -> str:
        """The text of a copybook (cached); the loader's errors propagate."""
        if path not in self._texts:
            self._texts[path] = self.loader(path)
        return self._texts[path]


@dataclass(frozen=True, slots=True)
class Directive:
    """A parsed COPY / REPLACE / EXEC SQL INCLUDE statement and where it ends."""

    verb: str  # COPY, REPLACE, INCLUDE
    end_line: int
    end_col: int  # column just after the terminating period (or last token)
    member: str = ""
    library: str = ""
    pairs: tuple[Pair, ...] = ()
    off: bool = False  # REPLACE OFF
    also: bool = False  # REPLACE ALSO
    problem: str = ""


class _NeedMore(Exception):
    """The statement runs past the lines joined so far."""


class _Tokens:
    """A cursor over the tokens of a statement window spanning several lines."""

    def __init__(self, window: str, final: bool) -> None:
        self.items = [
            (m.lastgroup or "other", m.group(), m.end()) for m in _STMT_TOKEN.finditer(window)
        ]
        self.pos = 0
        self.final = final

    def peek(self) -> tuple[str, str, int]:
        if self.pos < len(self.items):
            item = self.items[self.pos]
            if item[0] == "open" and not self.final:
                raise _NeedMore
            return item
        if self.final:
            return ("eof", "", self.end())
        raise _NeedMore

    def take(self) -> tuple[str, str, int]:
        item = self.peek()
        self.pos += item[0] != "eof"
        return item

    def word(self, *words: str) -> bool:
        kind, text, _ = self.peek()
        if kind == "word" and text.upper() in words:
            self.pos += 1
            return True
        return False

    def end(self) -> int:
        return self.items[self.pos - 1][2] if self.pos else 0


def find_keyword(code: str, start: int = 0) -> re.Match[str] | None:
    """The next COPY / REPLACE / EXEC word outside literals in `code`."""
    for match in _LITERAL_OR_COPY.finditer(code, start):
        if match.group(1):
            return match
    return None


def parse_directive(codes: list[str], line: int, col: int) -> Directive | None:
    """Parse the COPY / REPLACE / EXEC SQL INCLUDE statement starting at codes[line][col]."""
    window = codes[line][col:]
    starts = [-col]
    last = min(len(codes), line + MAX_STATEMENT_LINES)
    for stop in range(line + 1, last + 1):
        try:
            parsed = _parse(_Tokens(window, final=stop == last))
        except _NeedMore:
            starts.append(len(window) + 1)
            window += "\n" + codes[stop]
            continue
        if parsed is None:
            return None
        verb, offset, fields = parsed
        end_line = line + _line_of(starts, offset)
        return Directive(verb, end_line, offset - starts[end_line - line], **fields)
    return None


def _line_of(starts: list[int], offset: int) -> int:
    index = 0
    while index + 1 < len(starts) and starts[index + 1] <= offset:
        index += 1
    return index


def _parse(tokens: _Tokens) -> tuple[str, int, dict] | None:
    verb = tokens.take()[1].upper()
    if verb == "COPY":
        return _parse_copy(tokens)
    if verb == "REPLACE":
        return _parse_replace(tokens)
    if tokens.word("SQL") and tokens.word("INCLUDE"):
        kind, text, _ = tokens.take()
        if kind not in ("word", "lit") or not tokens.word("END-EXEC"):
            return None
        end = tokens.end()
        if tokens.peek()[0] == "dot":
            end = tokens.take()[2]
        return "INCLUDE", end, {"member": text.strip("'\"")}
    return None


def _parse_copy(tokens: _Tokens) -> tuple[str, int, dict]:
    kind, member, _ = tokens.take()
    fields: dict = {"member": member.strip("'\"")}
    if kind not in ("word", "lit"):
        return (
            "COPY",
            tokens.end(),
            {**fields, "member": "", "problem": "COPY without a member name"},
        )
    if tokens.word("OF", "IN"):
        fields["library"] = tokens.take()[1].strip("'\"")
    tokens.word("SUPPRESS")
    if tokens.word("REPLACING"):
        fields["pairs"] = _pairs(tokens)
    return _close("COPY", tokens, fields)


def _parse_replace(tokens: _Tokens) -> tuple[str, int, dict]:
    fields: dict = {}
    if tokens.word("LAST"):
        pass
    if tokens.word("OFF"):
        fields["off"] = True
        return _close("REPLACE", tokens, fields)
    fields["also"] = tokens.word("ALSO")
    fields["pairs"] = _pairs(tokens)
    return _close("REPLACE", tokens, fields)


def _close(verb: str, tokens: _Tokens, fields: dict) -> tuple[str, int, dict]:
    kind = tokens.peek()[0]
    if kind == "dot":
        return verb, tokens.take()[2], fields
    return verb, tokens.end(), {**fields, "problem": f"{verb} statement without its closing period"}


def _pairs(tokens: _Tokens) -> tuple[Pair, ...]:
    pairs: list[Pair] = []
    while True:
        start = tokens.pos
        mode = (
            "LEADING" if tokens.word("LEADING") else "TRAILING" if tokens.word("TRAILING") else ""
        )
        kind, text, _ = tokens.peek()
        if kind not in ("pt", "lit", "word") or text.upper() == "BY":
            tokens.pos = start
            return tuple(pairs)
        tokens.take()
        if not tokens.word("BY"):
            tokens.pos = start
            return tuple(pairs)
        kind2, text2, _ = tokens.take()
        replacement = fold_pseudo(text2[2:-2]) if kind2 == "pt" else text2
        operand = text[2:-2] if kind == "pt" else text
        pairs.append(make_pair(kind if kind != "pt" else "word", operand, replacement, mode))
