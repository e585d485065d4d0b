"""Pieces of the estate-wide files kept in the build state, by what they are made from.

`rules.json` and `graph.json` hold every rule and every node and edge of the estate: written
whole, they cost seconds at a million lines whatever changed. Each is made of pieces that
depend on one program alone (its rules' lines, the lines of the graph nodes it owns and their
edges) or on the frame (the nodes no program owns); a piece is stored in the state's memo under
a digest of what it is made from (the program's analysis key, or the owner's part of the
graph as render.deps hashes it) and the file is put together from the pieces, sorted as the
whole file always was. Like the diagram memo, each process (a forked page worker included)
reads and writes through a connection of its own; an entry is content-addressed, so one
written by a run killed later is only ever unused.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any


class Fragments:
    """Memo entries of namespace `fragment`, read and written by the process that uses them."""

    NAMESPACE = "fragment"

    def __init__(self, state) -> None:
        from logicmine.state import code_key

        self.path, self.reuse, self.run, self.code = state.path, state.reuse, state.run, code_key()
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def key(self, *parts: Any) -> str:
        """The digest naming a piece: what it is made from and logicmine's code."""
        return hashlib.sha256(repr((self.code, *parts)).encode()).hexdigest()

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # never a connection across a fork
            self._db, self._pid = sqlite3.connect(str(self.path), timeout=60), os.getpid()
        return self._db

    def recall(self, keys: Iterable[str]) -> dict[str, Any]:
        """The pieces stored under `keys`, marked used by this build."""
        wanted = sorted(set(keys)) if self.reuse else []
        found: dict[str, Any] = {}
        db = self._connection()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = db.execute(f"SELECT key, value FROM memo WHERE ns = ? AND key IN "
                              f"({','.join('?' * len(chunk))})", (self.NAMESPACE, *chunk))
            for key, value in rows:
                try:
                    found[key] = pickle.loads(value)
                except Exception:  # a damaged entry is a miss, never a crash
                    continue
        if found:
            with db:
                db.executemany("UPDATE memo SET run = ? WHERE ns = ? AND key = ?",
                               [(self.run, self.NAMESPACE, key) for key in found])
        return found

    def store(self, items: Mapping[str, Any]) -> None:
        """Keep new pieces for the next build."""
        if not items:
            return
        db = self._connection()
        with db:
            db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?, ?)",
                           [(self.NAMESPACE, key, self.run,
                             pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                            for key, value in items.items()])

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
