"""Output file names from untrusted names, relative links, and the one file writer."""

from __future__ import annotations

import hashlib
import os
import posixpath
import queue
import re
import shutil
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from logicmine.errors import OutputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_SEGMENT = 100
# Names Windows refuses as files whatever the extension; a copied site must still open there.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


def short_hash(text: str, length: int = 8) -> str:
    """Hex digest prefix of `text`: the tie-breaker appended to lossy or colliding names."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


_SAFE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")  # needs no cleaning (most names)


def safe_name(name: str) -> str:
    """One path segment made of [A-Za-z0-9._-] only; any lossy change adds a hash of `name`."""
    if len(name) <= _MAX_SEGMENT and _SAFE.fullmatch(name) and \
            name.split(".")[0].upper() not in _RESERVED:
        return name
    cleaned = _UNSAFE.sub("_", name).lstrip(".")[:_MAX_SEGMENT] or "_"
    if cleaned == name and cleaned.split(".")[0].upper() not in _RESERVED:
        return cleaned
    return f"{cleaned}-{short_hash(name)}"


def safe_relpath(path: str) -> str:
    """A relative POSIX path of safe segments: never absolute, never '..', never empty."""
    segments = [seg for seg in re.split(r"[/\\]+", path) if seg not in ("", ".")]
    return "/".join(safe_name(seg) for seg in segments) or safe_name(path)


def assign_names(names: Iterable[str], make: Callable[[str], str]) -> dict[str, str]:
    """Map each name to `make(name)`, adding a hash where results collide (case-insensitively)."""
    result = {name: make(name) for name in sorted(set(names))}
    for length in (8, 16, 64):
        groups: dict[str, list[str]] = defaultdict(list)
        for name, made in result.items():
            groups[made.casefold()].append(name)
        clashes = [members for members in groups.values() if len(members) > 1]
        if not clashes:
            return result
        for members in clashes:
            for name in members:
                result[name] = f"{make(name)}-{short_hash(name, length)}"
    raise OutputError("could not give distinct file names to the pages; please report this")


def href(from_page: str, to_page: str, fragment: str = "") -> str:
    """Relative URL from one output page to another (or to an anchor on the same page)."""
    link = "" if to_page == from_page else _relative(_folder(from_page), to_page)
    return f"{link}#{_quote_fragment(fragment)}" if fragment else link


_folder = lru_cache(maxsize=4096)(posixpath.dirname)  # pages link from a few folders


@lru_cache(maxsize=65536)
def _relative(from_dir: str, to_page: str) -> str:
    """Quoted relative path between two site paths (both clean: no '..', no leading '/')."""
    here = from_dir.split("/") if from_dir else []
    there = to_page.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return quote("/".join(parts), safe="/._-~")


@lru_cache(maxsize=65536)
def _quote_fragment(fragment: str) -> str:
    return quote(fragment, safe="._-~")


class _Kept:
    """A file of the last build to keep as it is (see OutputWriter.keep)."""

    def __init__(self, path: Path) -> None:
        self.path = path


class OutputWriter:
    """Writes text files under one root: mkdir parents, UTF-8, '\\n' newlines, no escapes.

    With `background`, files are written by one thread while the caller renders the next page
    (creating files is mostly waiting on the kernel); `close()` waits and reports any failure.
    """

    def __init__(self, root: Path, background: bool = False) -> None:
        self.root = root.resolve()
        self._written: set[str] = set()
        self._kept: set[str] = set()  # linked from the last build's site
        self._folders: set[str] = set()
        self._queue: queue.Queue[tuple[str, str] | None] | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        if background:
            self._queue = queue.Queue(maxsize=64)
            self._thread = threading.Thread(
                target=self._drain, name="logicmine-writer", daemon=True
            )
            self._thread.start()

    def write(self, relpath: str, text: str | bytes) -> None:
        """Write `text` (or bytes, as they are) to root/relpath; refuse paths outside root
        and second writes."""
        clean = posixpath.normpath(relpath)
        if (
            clean in (".", "..")
            or clean.startswith(("../", "/"))
            or "\\" in relpath
            or clean != relpath
        ):
            raise OutputError(f"refusing to write {relpath!r} outside the output directory")
        if relpath in self._written:
            raise OutputError(f"two pages were given the same output file {relpath!r}")
        self._written.add(relpath)
        if self._queue is None:
            self._write(relpath, text)
        else:
            self._check()
            self._queue.put((relpath, text))

    def keep(self, relpath: str, old: Path) -> None:
        """Give root/relpath the bytes of `old` (an unchanged page of the last build) by a hard
        link, or a copy where links cannot be made."""
        self.write(relpath, _Kept(old))
        self._kept.add(relpath)

    def adopt(self, relpaths: list[str], kept: Iterable[str] = ()) -> None:
        """Count files another writer (a worker's) wrote under the same root as written, and
        those of them it `kept`."""
        self._kept.update(kept)
        for relpath in relpaths:
            if relpath in self._written:
                raise OutputError(f"two pages were given the same output file {relpath!r}")
            self._written.add(relpath)

    def _write(self, relpath: str, text: str) -> None:
        folder = posixpath.dirname(relpath)
        if folder not in self._folders:  # checked once per folder: a symlink cannot lead out
            target = self.root / folder
            target.mkdir(parents=True, exist_ok=True)
            if not target.resolve().is_relative_to(self.root):
                raise OutputError(f"refusing to write {relpath!r} outside the output directory")
            self._folders.add(folder)
        if isinstance(text, _Kept):
            try:
                os.link(text.path, self.root / relpath)
            except OSError:  # another file system, or links refused: copy the bytes
                shutil.copyfile(text.path, self.root / relpath)
            return
        if isinstance(text, bytes):  # put together as bytes (render.splice)
            with open(self.root / relpath, "wb") as binary:
                binary.write(text)
            return
        with open(self.root / relpath, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)

    def _drain(self) -> None:
        assert self._queue is not None
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write(*item)
                except BaseException as exc:  # reported by close() in the caller's thread
                    self._error = exc

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Wait for pending writes; raise the first failure."""
        if self._queue is not None and self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        self._check()

    def written(self) -> list[str]:
        """Relative paths written so far, sorted."""
        return sorted(self._written)

    def kept(self) -> set[str]:
        """Relative paths of the files given the last build's bytes by `keep`."""
        return set(self._kept)
