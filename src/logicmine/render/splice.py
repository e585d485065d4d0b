"""Estate-wide files written by splicing: the last build's bytes for the pieces unchanged.

rules.json, the search index and the data dictionary are made of pieces that each depend on
one program or one data file (render.fragments), kept whole while none changed. When one
program's rules change, putting the file together again read every other piece back from the
state's memo: at a million lines that was 95 MB for rules.json alone, most of a second. So each
such file is described as `Parts`: literal text, and pieces named by their keys. Writing it
notes where each piece lies (its *layout*, in the memo under the digest of the bytes written);
the next build, when OUT still holds those bytes (the page memo's stat mark, render.memo),
copies every piece whose key is unchanged from that file and makes or recalls only the others.
The pieces stay in the memo too, so a build whose OUT was lost or edited still puts the file
together without making them again; both ways give the same bytes (tested).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("logicmine.render")


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of a file: the unit it is made for, and the key naming it (None: not kept)."""

    unit: str
    key: str | None


@dataclass(frozen=True, slots=True)
class Joined:
    """Pieces one after another with `sep` between them, empty ones left out, between
    `before` and `after`; `empty` instead when every piece is empty (a JSON list of records
    whose pieces are runs of records)."""

    pieces: tuple[Piece, ...]
    sep: str = ",\n"
    before: str = "[\n"
    after: str = "\n]"
    empty: str = "[]"


@dataclass(frozen=True, slots=True)
class Parts:
    """A file's text as literal strings and pieces, in order; `make(units)` gives the text of
    the pieces of those units (called once, for those neither the last file nor the memo
    holds)."""

    name: str  # the file's, for messages
    parts: tuple[str | Piece | Joined, ...]
    make: Callable[[list[str]], Mapping[str, str]]

    def pieces(self) -> Iterator[Piece]:
        for part in self.parts:
            if isinstance(part, Piece):
                yield part
            elif isinstance(part, Joined):
                yield from part.pieces

    def keys(self) -> list[str]:
        """The keys of the pieces kept, in order."""
        return [piece.key for piece in self.pieces() if piece.key]


Layout = dict[str, tuple[int, int]]  # piece key -> (offset, length) of its bytes in the file


def assemble(parts: Parts, fragments: Any = None, old: bytes | None = None,
             layout: Layout | None = None) -> tuple[bytes, tuple[tuple[str, int, int], ...]]:
    """The file's bytes and its layout. A piece whose key `layout` holds is copied from `old`
    (the bytes that layout describes); the others come from `fragments` (render.fragments:
    the memo, else made and kept there) or, without it, are made."""
    layout = layout or {}
    wanted: dict[str, str | None] = {}
    copied: list[str] = []
    for piece in parts.pieces():
        if piece.key and piece.key in layout:
            copied.append(piece.key)
        else:
            wanted[piece.unit] = piece.key
    if fragments is not None:
        texts = fragments.gather(wanted, parts.make) if wanted else {}
        if copied:  # not read from the memo, but the next build may need them there
            fragments.present(copied)
    else:
        texts = dict(parts.make(list(wanted))) if wanted else {}
    view = memoryview(old) if old is not None else memoryview(b"")
    chunks: list[Any] = []
    placed: list[tuple[str, int, int]] = []
    size = 0

    def bytes_of(piece: Piece) -> Any:
        if piece.key and piece.key in layout:
            offset, length = layout[piece.key]
            return view[offset:offset + length]
        return texts[piece.unit].encode("utf-8")

    def put(data: Any, piece: Piece | None = None) -> None:
        nonlocal size
        if piece is not None and piece.key:
            placed.append((piece.key, size, len(data)))
        chunks.append(data)
        size += len(data)

    for part in parts.parts:
        if isinstance(part, str):
            put(part.encode("utf-8"))
        elif isinstance(part, Piece):
            put(bytes_of(part), part)
        else:
            found = [(piece, data) for piece in part.pieces if len(data := bytes_of(piece))]
            if not found:
                put(part.empty.encode())
                continue
            put(part.before.encode())
            for number, (piece, data) in enumerate(found):
                if number:
                    put(part.sep.encode())
                put(data, piece)
            put(part.after.encode())
    return b"".join(chunks), tuple(placed)


def text_of(parts: Parts, fragments: Any = None) -> str:
    """The whole text, every piece from the memo or made (no last file to copy from)."""
    return assemble(parts, fragments)[0].decode("utf-8")


def layout_key(fragments: Any, relpath: str, digest: str) -> str:
    """The memo key of the layout of the file written at `relpath` with these bytes."""
    return fragments.key("layout", relpath, digest)


def write_spliced(writer: Any, memo: Any, fragments: Any, relpath: str, key: str | None,
                  parts: Callable[[], Parts]) -> bool:
    """Keep the last build's file at `relpath` while `key` (what the whole is made from) is
    unchanged, marking its pieces and layout used; else write it, splicing the last build's
    file when OUT still holds it as written. True when kept (render.memo.keep_or_write)."""
    from logicmine.render.memo import keep_or_write

    def write() -> str:
        made = parts()
        old, layout = _last_file(memo, fragments, relpath)
        data, placed = assemble(made, fragments, old, layout)
        if layout:
            keys = made.keys()
            log.debug("%s: %d of %d pieces copied from the last build's file", made.name,
                      sum(1 for k in keys if k in layout), len(keys))
        writer.write(relpath, data)
        digest = hashlib.sha256(data).hexdigest()
        if fragments is not None:
            fragments.write({layout_key(fragments, relpath, digest): placed})
        return digest

    kept = keep_or_write(writer, memo, relpath, key, write)
    if kept and fragments is not None:
        digest = memo.known[key][1]
        fragments.present([*parts().keys(), layout_key(fragments, relpath, digest)])
    return kept


def _last_file(memo: Any, fragments: Any, relpath: str) -> tuple[bytes | None, Layout | None]:
    """The last build's bytes at `relpath` and where its pieces lie, when OUT still holds
    what that build wrote there and the memo its layout."""
    if memo is None or fragments is None:
        return None, None
    found = memo.as_written(relpath)
    if found is None:
        return None, None
    path, digest = found
    key = layout_key(fragments, relpath, digest)
    placed = fragments.recall([key]).get(key)
    if placed is None:
        return None, None
    try:
        old = path.read_bytes()
    except OSError:
        return None, None
    if any(offset + length > len(old) for _, offset, length in placed):
        return None, None  # the stat mark said intact: a guard, not a check
    return old, {piece: (offset, length) for piece, offset, length in placed}
