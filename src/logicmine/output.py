"""Putting a finished site in place: lock, manifest, change report, unchanged files kept.

The new site is complete in a temporary sibling before anything of the old one moves. Files
whose bytes did not change are hard-linked from the old site, so they keep their inode and
modification time (a sync or a backup sees only what changed); then the folders swap.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
from collections.abc import Collection
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError
from .model import Rule

MANIFEST = ".logicmine-build.json"


_HELD: set[int] = set()  # descriptors of the lock files this process holds


def _drop_locks_in_child() -> None:
    """A forked worker must not keep the lock: it would outlive a killed run and hold it.

    The descriptor is pointed at /dev/null rather than closed, so the child's file object
    still closes a descriptor of its own.
    """
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for fd in _HELD:
        os.dup2(null, fd)
    os.close(null)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_locks_in_child)


@contextmanager
def locked(out: Path):
    """Hold the output folder's lock for the run; refuse at once if another run holds it."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.lock"
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            raise OutputError(f"another logicmine run is writing {out} (lock {path}); "
                              "wait for it to finish") from exc
        raise
    _HELD.add(handle.fileno())
    try:
        yield
    finally:
        _HELD.discard(handle.fileno())
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def clean_leftovers(out: Path) -> list[str]:
    """Remove temporary folders of killed runs (call with the lock held: no run is live).

    A run killed half-way through the two-step swap (systems without an atomic exchange) left
    no OUT but the previous site as `.OUT.old-PID`: that site is put back first.
    """
    removed = []
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if olds and not out.exists() and not out.is_symlink():
        olds[0].rename(out)
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for path in out.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def _same(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes, read a mebibyte at a time up to the first that
    differs (a file of 95 MB whose one rule changed is not read whole twice)."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as first, b.open("rb") as second:
            while True:
                chunk = first.read(1 << 20)
                if chunk != second.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def keep_unchanged(temp: Path, out: Path, linked: Collection[str] = (),
                   relinked: list[str] | None = None) -> tuple[int, int]:
    """Hard-link files of `out` whose bytes equal the new ones in `temp`; (kept, written).
    `linked`: relative paths the renderer already gave the last build's file (not looked at
    again: two stat calls for each of 11,000 files cost a third of a second); `relinked`,
    when given, receives the relative paths of the new files replaced here by the old."""
    kept = written = 0
    if not out.is_dir():
        return 0, sum(len(files) for _, _, files in os.walk(temp))
    for folder, _, files in os.walk(temp):  # os.walk and os.stat: pathlib's rglob and
        here = Path(folder)  # samefile cost a third of a second at 11,000 files
        relative = here.relative_to(temp).as_posix()
        prefix = "" if relative == "." else relative + "/"
        there = out / relative
        for name in files:
            if prefix + name in linked:
                kept += 1
                continue
            new, old = here / name, there / name
            try:
                known, now = os.stat(old), os.stat(new)
            except OSError:
                written += 1
                continue
            if (known.st_ino, known.st_dev) == (now.st_ino, now.st_dev):
                kept += 1  # the renderer already kept this unchanged page
                continue
            if known.st_size == now.st_size and _same(old, new):
                staging = new.with_name(new.name + ".lmlink")
                try:
                    os.link(old, staging)
                    os.replace(staging, new)
                    kept += 1
                    if relinked is not None:
                        relinked.append(prefix + name)
                    continue
                except OSError:  # another file system: keep the new copy
                    staging.unlink(missing_ok=True)
            written += 1
    return kept, written


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap(temp: Path, out: Path) -> None:
    """Move the finished site into place; the old one is removed only afterwards.

    Where the system can exchange two folders atomically, OUT is at every instant either
    the whole old site or the whole new one, even when the run is killed mid-swap.
    """
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        if out.is_dir() and not out.is_symlink() and _exchange(temp, out):
            shutil.rmtree(temp, ignore_errors=True)  # it holds the old site now
            return
        if out.exists():
            out.rename(old)
        temp.rename(out)
    except OSError as exc:
        if old.exists() and not out.exists():
            old.rename(out)
        raise OutputError(f"cannot move the new site into {out}: {exc.strerror or exc}") from exc
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def write_manifest(temp: Path, root: str, inputs: dict[str, str], fingerprint: str) -> None:
    """What the site was built from, for `logicmine check` and the next incremental run."""
    data = {"version": 1, "root": root, "fingerprint": fingerprint,
            "inputs": dict(sorted(inputs.items()))}
    (temp / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def read_manifest(out: Path) -> dict | None:
    """The manifest of a built site, or None."""
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def _rule_key(rule: dict) -> tuple:
    return (rule["program"], rule["procedure"], rule["kind"])


def rule_changes(previous: list[dict] | None, current: list[Rule]) -> dict:
    """Rules added, removed and changed between two builds (ids hash what a rule says).

    A removed and an added rule of the same program, paragraph and kind, in the same order
    within it, are one rule that changed. With no previous build (`previous` None) there is
    nothing to compare: the report is a baseline that counts the rules instead of listing
    them all again (rules.json has them).
    """
    if previous is None:
        return {"version": 1, "baseline": True, "rule_count": len(current),
                "added": [], "removed": [], "changed": []}
    now = [rule_dict(r) for r in current]
    old_ids = {r["id"] for r in previous}
    new_ids = {r["id"] for r in now}
    removed = [r for r in previous if r["id"] not in new_ids]
    added = [r for r in now if r["id"] not in old_ids]
    changed = []
    pending: dict[tuple, list[dict]] = {}
    for rule in removed:
        pending.setdefault(_rule_key(rule), []).append(rule)
    still_added = []
    for rule in added:
        bucket = pending.get(_rule_key(rule))
        if bucket:
            before = bucket.pop(0)
            changed.append({"before": before, "after": rule})
        else:
            still_added.append(rule)
    still_removed = [r for bucket in pending.values() for r in bucket]
    return {"version": 1, "added": still_added, "removed": still_removed, "changed": changed}


def rule_dict(rule: Rule) -> dict:
    """A rule as the change report (and rules.json, for these keys) gives it."""
    return {"id": rule.id, "program": rule.program, "procedure": rule.procedure,
            "kind": rule.kind, "file": rule.file, "start_line": rule.start_line,
            "end_line": rule.end_line, "text": rule.text}


def previous_rules(out: Path) -> list[dict] | None:
    """Rules of the site currently at `out`; None when there is no readable previous build."""
    try:
        data = json.loads((out / "rules.json").read_text())
        rules = data["rules"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(rules, list):
        return None
    return [{k: r.get(k, "") for k in ("id", "program", "procedure", "kind", "file",
                                       "start_line", "end_line", "text")}
            for r in rules if isinstance(r, dict)]


def changes_markdown(changes: dict) -> str:
    """The change report as Markdown."""
    lines = ["# What changed in the business logic", ""]
    if changes.get("baseline"):
        lines.append(f"No previous build to compare with: all {changes['rule_count']} rules "
                     "are new, and rules.json lists them.")
        return "\n".join(lines) + "\n"
    counts = {k: len(changes[k]) for k in ("added", "removed", "changed")}
    lines.append(f"{counts['added']} rules added, {counts['removed']} removed, "
                 f"{counts['changed']} changed since the previous build.")
    for title, key in (("Added", "added"), ("Removed", "removed")):
        if changes[key]:
            lines += ["", f"## {title}", ""]
            lines += [f"- `{r['id']}` {r['kind']} in `{r['program']}` "
                      f"`{r['procedure']}` ({r['file']}:{r['start_line']}-{r['end_line']})"
                      for r in changes[key]]
    if changes["changed"]:
        lines += ["", "## Changed", ""]
        for pair in changes["changed"]:
            b, a = pair["before"], pair["after"]
            lines.append(f"- `{b['id']}` -> `{a['id']}` {a['kind']} in `{a['program']}` "
                         f"`{a['procedure']}` ({a['file']}:{a['start_line']}-{a['end_line']})")
    return "\n".join(lines) + "\n"
