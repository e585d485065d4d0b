"""Pages of the last build kept as they are when everything they show is unchanged.

A page is a pure function of its template, its view values and logicmine's code. The digest of
those three names the page in the build state's memo, beside the digest of the bytes written.
When a later build computes the same digest for the same path and OUT still holds those bytes,
the page is not rendered again: the old file is linked into the new site. Whether OUT still
holds them is read from the file's bytes once, then from its size, modification time and inode
as they were at that reading (an entry `stat:PATH`), as git's index does. Everything else is
rendered as usual, so a stale page can only come from a view value that leaves out something
the template shows, which the byte-for-byte test of incremental against full builds guards.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("logicmine.render")


def digest_of(*values: Any) -> str:
    """A digest of view values: their repr, which for the frozen dataclasses, tuples, strings
    and numbers views are made of names every field and does not depend on which equal objects
    are shared. (A value whose repr shows its address only ever misses.)"""
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


class PageMemo:
    """The memo of rendered pages for one build (a forked page worker reads it too and hands
    its entries back: only the owner of the state saves)."""

    NAMESPACE = "page"

    def __init__(self, state: Any, previous: Path | None) -> None:
        from logicmine.state import code_key

        self.state, self.previous, self.code = state, previous, code_key()
        self.fresh: dict[str, tuple] = {}
        self.used: list[str] = []
        self.known = state.recall_all(self.NAMESPACE) if previous is not None else {}

    def key(self, relpath: str, template: str, page: Any) -> str:
        """The page's digest: path, template, view values, code."""
        return digest_of(self.code, relpath, template, page)

    def kept(self, key: str, relpath: str) -> Path | None:
        """The last build's file for this page when it is still what that build wrote."""
        found = self.known.get(key)
        if found is None or found[0] != relpath or (seen := self._seen(relpath)) is None:
            return None
        old = seen[0]
        # the file as it was when its bytes were last checked (as git's index does): size,
        # modification time and inode unchanged since then mean the bytes are too
        mark, signature = f"stat:{relpath}", (found[1], *seen[1])
        if self.known.get(mark) != signature:
            try:
                data = old.read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != found[1]:
                return None  # edited or damaged since: render it again
            self.fresh[mark] = signature
        self.used += [key, mark]
        return old

    def as_written(self, relpath: str) -> tuple[Path, str] | None:
        """The last build's file at `relpath` and the digest of its bytes, when its size,
        modification time and inode are as they were noted (`save`, `kept`): read from the
        stat mark alone, never from the bytes."""
        mark = self.known.get(f"stat:{relpath}")
        if mark is None or (seen := self._seen(relpath)) is None or mark[1:] != seen[1]:
            return None
        return seen[0], mark[0]

    def _seen(self, relpath: str) -> tuple[Path, tuple[int, int, int]] | None:
        """The last build's file at `relpath` with its size, modification time and inode."""
        if self.previous is None:
            return None
        old = self.previous / relpath
        try:
            seen = old.stat()
        except OSError:
            return None
        return old, (seen.st_size, seen.st_mtime_ns, seen.st_ino)

    def record(self, key: str, relpath: str, text: str) -> None:
        """Remember a page rendered by this build."""
        self.fresh[key] = (relpath, hashlib.sha256(text.encode("utf-8")).hexdigest())

    def merge(self, fresh: dict[str, tuple[str, str]], used: list[str]) -> None:
        """Take in what a page worker rendered and kept."""
        self.fresh.update(fresh)
        self.used.extend(used)

    def save(self, root: Path | None = None) -> None:
        """Store what this build rendered and mark what it kept. With `root` (where the
        files were written), each new file's size, modification time and inode are noted as
        `kept` notes them after reading its bytes: the file is moved into OUT as it is, so the
        next build knows it intact without reading it (after a full build of a million lines,
        11,000 pages, a second and a half). A file the build later replaces by the last
        build's identical one has another inode: its bytes are read once, as before."""
        if root is not None:
            for key, entry in list(self.fresh.items()):
                if key.startswith("stat:"):
                    continue
                relpath, digest = entry[0], entry[1]
                try:
                    seen = os.stat(root / relpath)
                except OSError:
                    continue
                self.fresh[f"stat:{relpath}"] = (digest, seen.st_size, seen.st_mtime_ns,
                                                 seen.st_ino)
        self.state.touch(self.NAMESPACE, self.used)
        self.state.remember(self.NAMESPACE, self.fresh)

    def kept_by_key(self, key: str, relpath: str) -> tuple[Path, tuple] | None:
        """The last build's file and the source ranges it cites, for a page keyed by what it
        is made from (render.deps) when OUT still holds the bytes written under that key."""
        found = self.known.get(key)
        if found is None or len(found) != 3 or found[0] != relpath:
            return None
        old = self.kept(key, relpath)
        return (old, found[2]) if old is not None else None

    def record_key(self, key: str, relpath: str, digest: str, ranges: tuple) -> None:
        """Remember the bytes a page keyed by what it is made from has, and what it cites."""
        self.fresh[key] = (relpath, digest, ranges)


def renote(state: Any, root: Path, relpaths: list[str]) -> None:
    """Note again the size, modification time and inode of files a build wrote and then
    replaced by the last build's identical ones (output.keep_unchanged): the next build knows
    them intact without reading them, and splices the estate-wide files from them
    (`PageMemo.as_written`). Marks this build did not note (a `--full` build reads none back)
    are left as they are: the file is then read once."""
    if not relpaths:
        return
    marks = state.recall(PageMemo.NAMESPACE, [f"stat:{p}" for p in relpaths], mark=False)
    again = {}
    for key, mark in marks.items():
        try:
            seen = os.stat(root / key[len("stat:"):])
        except OSError:
            continue
        again[key] = (mark[0], seen.st_size, seen.st_mtime_ns, seen.st_ino)
    state.remember(PageMemo.NAMESPACE, again)


def write_or_keep(writer: Any, memo: PageMemo | None, relpath: str, kind: str, inputs: Any,
                  make: Callable[[], str]) -> str:
    """Write `make()` to `relpath` with `writer`, unless `inputs` (everything the text is made
    from) and `kind` (its template) are those of the file the last build wrote there and OUT
    still holds its bytes: then keep that file. Without a memo, always write. Returns the
    digest of the bytes ('' without a memo)."""
    key = memo.key(relpath, kind, inputs) if memo is not None else ""
    if memo is not None and (old := memo.kept(key, relpath)) is not None:
        writer.keep(relpath, old)
        return memo.known[key][1]
    text = make()
    writer.write(relpath, text)
    if memo is None:
        return ""
    memo.record(key, relpath, text)
    return memo.fresh[key][1]


def keep_or_write(writer: Any, memo: PageMemo | None, relpath: str, key: str | None,
                  write: Callable[[], str], linker: Any = None) -> bool:
    """Keep the last build's file when `key` (render.deps: what the file is made from) is the
    one it was written under and OUT still holds those bytes, registering with `linker` the
    source ranges it cites; else `write()` it (which builds its view values; it returns the
    bytes' digest) and remember the key, the bytes and, with `linker`, the ranges cited.
    True when the file was kept."""
    if key is None or memo is None:
        write()
        return False
    found = memo.kept_by_key(key, relpath)
    if found is not None:
        writer.keep(relpath, found[0])
        if linker is not None:
            linker.replay(found[1])
        return True
    log.debug("%s: built (what it is made from changed)", relpath)
    if linker is None:
        memo.record_key(key, relpath, write(), ())
        return False
    with linker.recording() as cited:
        digest = write()
    memo.record_key(key, relpath, digest, cited_ranges(cited))
    return False


def cited_ranges(cited: dict[str, set[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The source ranges a page cites (Linker.recording) as kept in the memo, to replay."""
    return tuple(sorted((path, tuple(sorted(ids))) for path, ids in cited.items()))
