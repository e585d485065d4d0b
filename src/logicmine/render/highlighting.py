"""Highlighted source lines, computed in a forked worker while the estate is analysed.

pygments is the costliest part of the site, and it needs nothing but the sources' text: the
build starts it right after parsing, so it runs on one core while rules and processes are
worked out on the other. A source whose text, kind and logicmine's code are unchanged since
the last build takes its lines from the build state's memo and is not highlighted again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from logicmine.model import Estate, SourceFile
from logicmine.render.sidework import Forked
from logicmine.render.source import (
    highlight_lines,
    kinds_by_path,
    read_text,
    referenced_files,
    split_lines,
)

NAMESPACE = "highlighted-source"
PARALLEL_LINES = 20_000  # source lines below which a worker costs more than it saves


def highlight_key(text: str, kind: str) -> str:
    """Memo key of a source's highlighted lines: its text, its kind and logicmine's code."""
    from logicmine.state import code_key

    return hashlib.sha256(f"{code_key()}\0{kind}\0{text}".encode()).hexdigest()


def source_key(source: SourceFile, kind: str) -> str:
    """The same for a discovered source, from the hash of its bytes (its text is decoded from
    them alone): known without reading it."""
    from logicmine.state import code_key

    return hashlib.sha256(f"{code_key()}\0{kind}\0bytes\0{source.sha256}".encode()).hexdigest()


def _highlight_all(todo: dict[str, str], kinds: dict[str, str]) -> dict[str, list[str]]:
    return {path: highlight_lines(text, kinds.get(path, "other")) for path, text in todo.items()}


class Highlighting:
    """Line counts and highlight keys of every source the site shows, and their highlighted
    lines when asked for. A discovered source is read only to be highlighted (its key comes
    from its bytes' hash, its line count from discovery): at 1M lines reading and hashing the
    51 MB of every source again took a third of a second of each rebuild."""

    def __init__(self, estate: Estate, read: Callable[[str], str], memo: Any = None) -> None:
        self.memo = memo
        self.kinds = kinds_by_path(estate)
        self._read = read
        self._sources = {s.path: s for s in estate.sources}
        self.texts: dict[str, str] = {}  # those read so far
        self.line_counts: dict[str, int] = {}
        self.keys: dict[str, str] = {}
        self._extra: dict[str, str] = {}
        self._know(referenced_files(estate))
        self.known = memo.present(NAMESPACE, self.keys.values()) if memo is not None else set()
        todo = {p: self._text(p) for p, key in self.keys.items() if key not in self.known}
        big = sum(t.count("\n") for t in todo.values()) >= PARALLEL_LINES
        self._work = Forked(lambda: _highlight_all(todo, self.kinds), parallel=big)
        self._fresh: dict[str, list[str]] | None = None

    def _know(self, paths: list[str]) -> None:
        """Count the lines of and key the sources not known yet (reading those discovery did
        not hash)."""
        for path in sorted(set(paths) - self.keys.keys()):
            kind = self.kinds.get(path, "other")
            source = self._sources.get(path)
            if source is not None:
                self.line_counts[path] = source.line_count
                self.keys[path] = source_key(source, kind)
                continue
            text = read_text(self._read, path)
            if text is None:  # unreadable: logged, and no page
                continue
            self.texts[path] = text
            self.line_counts[path] = len(split_lines(text))
            self.keys[path] = highlight_key(text, kind)

    def _text(self, path: str) -> str:
        if path not in self.texts:
            self.texts[path] = read_text(self._read, path) or ""
        return self.texts[path]

    def add(self, read: Callable[[str], str], paths: list[str], kinds: dict[str, str]) -> None:
        """Sources the analysis refers to beyond those known when highlighting started."""
        new = [p for p in paths if p not in self.keys]
        for path in new:
            self.kinds.setdefault(path, kinds.get(path, "other"))
        self._read = read
        self._know(new)
        self._extra.update({p: self._text(p) for p in new if p in self.keys})

    def finish(self) -> dict[str, list[str]]:
        """Wait for the worker; what it highlighted (and any source added since) goes to the
        memo. Lines the memo already held are read only when a page needs them."""
        if self._fresh is None:
            fresh = self._work.result()
            fresh.update(_highlight_all(self._extra, self.kinds))
            if self.memo is not None:
                self.memo.remember(NAMESPACE, {self.keys[p]: v for p, v in fresh.items()})
            self._fresh = fresh
        return self._fresh

    def lines_of(self, path: str) -> list[str]:
        """Highlighted lines of one source ([] for one that could not be read)."""
        fresh = self.finish()
        if path in fresh:
            return fresh[path]
        key = self.keys.get(path)
        if key is None:
            return []
        if self.memo is not None and key in self.known:
            found = self.memo.recall(NAMESPACE, [key], mark=False).get(key)
            if found is not None:
                return found
        return highlight_lines(self._text(path), self.kinds.get(path, "other"))  # damaged entry
