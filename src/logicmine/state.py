"""Build state kept between runs: parsed facts per file, in SQLite, keyed by content hashes.

A file's entry is valid while its bytes, every copybook it included, the logicmine version
and the settings that affect parsing are unchanged. SQLite gives the atomicity: a run killed
mid-write leaves the previous entries as they were.

Beside the facts, a memo keeps what later stages derived from them (a program's rules, a
source's highlighted lines, a diagram), under a digest of everything the result depends on:
a changed input gives another key, so an entry is never stale, only unused. A successful
build sweeps the entries it did not use.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .collector import paused_gc
from .config import Config
from .resources import data_dir

SCHEMA = 2
_PARSE_SETTINGS = ("copybook_paths", "source_format", "include", "exclude")


@cache
def code_key() -> str:
    """Hash of logicmine's own code and queries: another build of the tool, even one under the
    same version number, never reuses what this one stored."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for folder, patterns in ((package, ("*.py", "*.html", "*.j2", "*.js", "*.css")),
                             (data_dir("parsers"), ("*.scm",))):
        for pattern in patterns:
            for path in sorted(folder.rglob(pattern)):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def settings_key(config: Config) -> str:
    """Hash of the code and of every setting that changes what parsing yields."""
    data = {"version": __version__, "schema": SCHEMA, "code": code_key(),
            **{name: getattr(config, name) for name in _PARSE_SETTINGS}}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


class State:
    """The cache database of one output folder."""

    def __init__(self, path: Path, reuse: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.reuse = reuse  # False (--full): ignore what is stored, store afresh
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        # the memo is a cache of what the sources already say: a swept entry's pages need not
        # be zeroed (Debian builds SQLite with secure_delete on, and the first sweep after a
        # full build at 1M lines rewrote 130 MB of freed pages, half a second)
        self.db.execute("PRAGMA secure_delete=OFF")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS facts (path TEXT PRIMARY KEY, sha TEXT, settings TEXT,"
            " deps TEXT, payload BLOB)")
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS memo (ns TEXT, key TEXT, value BLOB,"
                        " PRIMARY KEY (ns, key))")  # a state from before `used` keeps an unused
        # `run` column. Which build last used each memo entry is kept apart from the entries:
        # marking a large entry in place rewrote its pages, and a build marks every entry it
        # uses (23 MB of the write-ahead log for a one-file rebuild at 1M lines, half a second)
        self.db.execute("CREATE TABLE IF NOT EXISTS used (ns TEXT, key TEXT, run INTEGER,"
                        " PRIMARY KEY (ns, key)) WITHOUT ROWID")
        self.db.commit()
        self.run = int(self.get_meta("run") or 0) + 1  # marks the memo entries this build used

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def lookup(self, path: str, sha: str, settings: str, hashes: Mapping[str, str]) -> Any:
        """The cached result for a file, or None when the file or a dependency changed."""
        if not self.reuse:
            return None
        row = self.db.execute("SELECT sha, settings, deps, payload FROM facts WHERE path = ?",
                              (path,)).fetchone()
        if row is None or row[0] != sha or row[1] != settings:
            return None
        for dep, dep_sha in json.loads(row[2]).items():
            if hashes.get(dep) != dep_sha:
                return None
        try:
            return pickle.loads(row[3])
        except Exception:  # a damaged entry is a miss, never a crash
            return None

    def store_many(self, rows: Iterable[tuple[str, str, str, dict[str, str], Any]]) -> None:
        """Save (path, sha, settings, dependency hashes, result) rows in one transaction."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)",
                [(p, sha, s, json.dumps(deps, sort_keys=True),
                  pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
                 for p, sha, s, deps, result in rows])

    def forget_except(self, paths: Iterable[str]) -> None:
        """Drop entries of files that no longer exist."""
        keep = set(paths)
        stale = [p for (p,) in self.db.execute("SELECT path FROM facts") if p not in keep]
        with self.db:
            self.db.executemany("DELETE FROM facts WHERE path = ?", [(p,) for p in stale])

    def recall(self, ns: str, keys: Iterable[str], mark: bool = True) -> dict[str, Any]:
        """Memo entries of namespace `ns` found under `keys`, marked used by this build unless
        `mark` is False (then `touch` them later, in one go)."""
        found = _loaded(_select(self.db, ns, keys if self.reuse else (), "key, value"))
        if mark:
            self.touch(ns, found)
        return found

    def present(self, ns: str, keys: Iterable[str]) -> set[str]:
        """Which of `keys` the memo holds in namespace `ns` (values not read), marked used."""
        found = {key for (key,) in _select(self.db, ns, keys if self.reuse else (), "key")}
        self.touch(ns, found)
        return found

    def recall_all(self, ns: str) -> dict[str, Any]:
        """Every memo entry of namespace `ns` (for small entries, read in one query)."""
        if not self.reuse:
            return {}
        return _loaded(self.db.execute("SELECT key, value FROM memo WHERE ns = ?", (ns,)))

    def touch(self, ns: str, keys: Iterable[str]) -> None:
        """Mark memo entries used by this build, so the sweep keeps them."""
        _store(self.db, ns, self.run, {}, keys)

    def remember(self, ns: str, items: Mapping[str, Any]) -> None:
        """Store memo entries of namespace `ns`, in one transaction."""
        _store(self.db, ns, self.run, items, ())

    def sweep(self) -> None:
        """After a successful build: drop the memo entries it did not use, count the run."""
        with self.db:
            self.db.execute("DELETE FROM memo WHERE NOT EXISTS (SELECT 1 FROM used WHERE"
                            " used.ns = memo.ns AND used.key = memo.key AND used.run >= ?)",
                            (self.run,))
            self.db.execute("DELETE FROM used WHERE run < ?", (self.run,))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('run', ?)", (str(self.run),))

    def get_meta(self, key: str) -> str | None:
        """A stored value."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a value."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def state_path(out: Path) -> Path:
    """Where the state of the site at `out` lives: a hidden sibling, untouched by the swap."""
    out = out.resolve()
    return out.parent / f".{out.name}.logicmine" / "state.sqlite"


class OwnMemo:
    """One namespace of a state's memo through a connection of this process's own, opened
    when first used: a forked worker reads and writes it without the connection it inherited
    (an SQLite connection is never carried across a fork). Entries are content-addressed, so
    one written by a run killed later is only ever unused."""

    def __init__(self, state: State, ns: str) -> None:
        self.path, self.reuse, self.run, self.ns = state.path, state.reuse, state.run, ns
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db, self._pid = sqlite3.connect(str(self.path), timeout=60), os.getpid()
        return self._db

    def recall(self, keys: Iterable[str], mark: bool = True) -> dict[str, Any]:
        """Entries found under `keys` (none with --full), marked used unless `mark` is False."""
        wanted = list(keys) if self.reuse else []
        found = _loaded(_select(self._connection(), self.ns, wanted, "key, value")) \
            if wanted else {}
        if mark:
            self.write({}, found)
        return found

    def present(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` the memo holds (values not read), marked used, as `State.present`:
        entries a build did not need but the next one may."""
        wanted = list(keys) if self.reuse else []
        found = {key for (key,) in _select(self._connection(), self.ns, wanted, "key")} \
            if wanted else set()
        self.write({}, found)
        return found

    def write(self, fresh: Mapping[str, Any], used: Iterable[str] = ()) -> None:
        """Store new entries and mark reused ones, in one transaction."""
        used = list(used)
        if fresh or used:
            _store(self._connection(), self.ns, self.run, fresh, used)

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None


def _select(db: sqlite3.Connection, ns: str, keys: Iterable[str], columns: str) -> Iterator[tuple]:
    """Rows (`columns`) of the memo entries of `ns` under `keys`, 500 keys a query."""
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        yield from db.execute(f"SELECT {columns} FROM memo WHERE ns = ? AND key IN "
                              f"({','.join('?' * len(chunk))})", (ns, *chunk))


def _loaded(rows: Iterable[tuple[str, bytes]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with paused_gc():
        for key, value in rows:
            try:
                found[key] = pickle.loads(value)
            except Exception:  # a damaged entry is a miss, never a crash
                continue
    return found


def _store(db: sqlite3.Connection, ns: str, run: int, fresh: Mapping[str, Any],
           used: Iterable[str]) -> None:
    """New entries written and reused ones marked with this build's run, in one transaction."""
    with db:
        db.executemany("INSERT OR REPLACE INTO memo (ns, key, value) VALUES (?, ?, ?)",
                       [(ns, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                        for key, value in fresh.items()])
        db.executemany("INSERT OR REPLACE INTO used VALUES (?, ?, ?)",
                       [(ns, key, run) for key in (*fresh, *used)])
