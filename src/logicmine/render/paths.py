"""Output file names from untrusted names, relative links, and the one file writer."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
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


def safe_name(name: str) -> str:
    """One path segment made of [A-Za-z0-9._-] only; any lossy change adds a hash of `name`."""
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
    if to_page == from_page:
        link = ""
    else:
        link = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    link = quote(link, safe="/._-~")
    return f"{link}#{quote(fragment, safe='._-~')}" if fragment else link


class OutputWriter:
    """Writes text files under one root: mkdir parents, UTF-8, '\\n' newlines, no escapes."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._written: set[str] = set()

    def write(self, relpath: str, text: str) -> None:
        """Write `text` to root/relpath; refuse paths outside root and second writes."""
        target = (self.root / relpath).resolve()
        if not target.is_relative_to(self.root) or target == self.root:
            raise OutputError(f"refusing to write {relpath!r} outside the output directory")
        if relpath in self._written:
            raise OutputError(f"two pages were given the same output file {relpath!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        self._written.add(relpath)

    def written(self) -> list[str]:
        """Relative paths written so far, sorted."""
        return sorted(self._written)
