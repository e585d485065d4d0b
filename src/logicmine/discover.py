"""Find the source files of an estate, decide their kind, hash and decode them."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from logicmine.config import Config
from logicmine.encoding import decode_source, is_binary, line_count
from logicmine.errors import ConfigError, InputError
from logicmine.model import Diagnostic, FileKind, Severity, SourceFile

log = logging.getLogger("logicmine.discover")

EXTENSIONS: dict[str, FileKind] = {
    **dict.fromkeys((".cbl", ".cob", ".cobol", ".pco"), "cobol"),
    **dict.fromkeys((".cpy", ".copy", ".cpb"), "copybook"),
    **dict.fromkeys((".jcl", ".prc", ".proc"), "jcl"),
    ".bms": "bms",
    ".java": "java",
}
SKIPPED_DIRS = frozenset({".git", ".svn", ".hg", "node_modules"})
HEAD_BYTES = 8192  # enough to classify a file by content
HEAD_LINES = 60


@dataclass(frozen=True, slots=True)
class Inventory:
    """The files found (sorted by path) and the problems met while looking."""

    files: tuple[SourceFile, ...]
    diagnostics: tuple[Diagnostic, ...]

    def count_by_kind(self) -> dict[str, int]:
        """Number of files of each kind, kinds sorted."""
        counts: dict[str, int] = {}
        for source in self.files:
            counts[source.kind] = counts.get(source.kind, 0) + 1
        return dict(sorted(counts.items()))


# ------------------------------------------------------------------ include / exclude globs


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Regex for a gitignore-ish glob: '**' spans folders, '*' and '?' stay within one name."""
    pattern = pattern.strip().lstrip("/")
    if pattern.endswith("/"):
        pattern += "**"  # 'legacy/' means everything in the folder
    if "/" not in pattern:
        pattern = "**/" + pattern  # a bare name matches at any depth, as in .gitignore
    segments = pattern.split("/")
    regex = ""
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            regex += ".+" if last else "(?:[^/]+/)*"
        else:
            regex += _segment_regex(segment) + ("" if last else "/")
    return re.compile(regex + r"\Z", re.DOTALL)


def _segment_regex(segment: str) -> str:
    """Regex for one path segment: '*', '?', '[abc]', '[!abc]', the rest literal."""
    out = []
    i = 0
    while i < len(segment):
        char = segment[i]
        end = segment.find("]", i + 2) if char == "[" else -1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif end > 0:
            body = segment[i + 1 : end].replace("\\", "\\\\")
            negate = body[0] in "!^"
            out.append("[^/" + body[1:] + "]" if negate else "[" + body + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def glob_match(pattern: str, path: str) -> bool:
    """True when the repo-relative POSIX `path` matches the glob `pattern`."""
    return _glob_regex(pattern).match(path) is not None


def path_selected(path: str, include: Iterable[str], exclude: Iterable[str]) -> bool:
    """Include/exclude rule: a pattern matching a file or one of its folders selects it."""
    candidates = _self_and_parents(path)
    if any(glob_match(p, c) for p in exclude for c in candidates):
        return False
    include = tuple(include)
    return not include or any(glob_match(p, c) for p in include for c in candidates)


def _self_and_parents(path: str) -> list[str]:
    """'a/b/c' -> ['a/b/c', 'a/b', 'a']."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]


# ------------------------------------------------------------------ classification

_ID_DIVISION = re.compile(r"(?:ID|IDENTIFICATION)\s+DIVISION\s*\.", re.IGNORECASE)
_COBOL_DIRECTIVE = re.compile(r"(?:CBL|PROCESS|\*CBL|\*CONTROL|>>|\$SET|EJECT|SKIP[123])\b", re.I)
# JCL and assembler names are upper case on the mainframe; matching case keeps '// exec ...'
# comments of C-like languages and prose out.
_JCL_STATEMENT = re.compile(r"//(?:[A-Z@#$][A-Z0-9@#$]{0,7}\s+(?:JOB|PROC|EXEC)|\s+EXEC)(?:\s|$)")
_BMS_MACRO = re.compile(r"(?:[A-Z@#$][A-Z0-9@#$]{0,7})?\s+DFHMSD\s+[A-Z]+=")
_ASM_PREAMBLE = re.compile(r"\s+(?:PRINT|TITLE|SPACE|EJECT)\b", re.IGNORECASE)


def classify(path: str, head_text: str) -> FileKind:
    """Kind of a file: by extension, else by its first lines (COBOL, JCL, BMS), else 'other'."""
    kind = EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if kind:
        return kind
    lines = [line for line in head_text.split("\n")[:HEAD_LINES] if line.strip()]
    if _starts_cobol(lines):
        return "cobol"
    if _starts_jcl(lines):
        return "jcl"
    if _starts_bms(lines):
        return "bms"
    return "other"


def _starts_cobol(lines: list[str]) -> bool:
    """First statement is ID DIVISION, after comments and compiler directives only."""
    for line in lines:
        code = line[7:72].strip() if len(line) > 7 else ""
        free = line.strip()
        if _ID_DIVISION.match(code) or _ID_DIVISION.match(free):
            return True
        if not _cobol_preamble(line, code, free):
            return False
    return False


def _cobol_preamble(line: str, code: str, free: str) -> bool:
    """A comment or compiler-directing line that may come before ID DIVISION."""
    if len(line) > 6 and line[6] in "*/":  # fixed-format comment, any sequence area
        return True
    return free.startswith("*>") or bool(
        _COBOL_DIRECTIVE.match(free) or _COBOL_DIRECTIVE.match(code)
    )


def _starts_jcl(lines: list[str]) -> bool:
    """Starts with '//' and has a JOB, PROC or EXEC statement before anything else."""
    if not lines or not lines[0].startswith("//"):
        return False
    for line in lines:
        if _JCL_STATEMENT.match(line):
            return True
        if not line.startswith(("//", "/*")):
            return False
    return False


def _starts_bms(lines: list[str]) -> bool:
    """First assembler statement (after comments and listing controls) is DFHMSD."""
    for line in lines:
        if line.startswith(("*", ".*")) or _ASM_PREAMBLE.match(line):
            continue
        return _BMS_MACRO.match(line) is not None
    return False


# ------------------------------------------------------------------ walking the tree

_Problem = tuple[Severity, str, str]  # severity, code, message


@dataclass(slots=True)
class _Walk:
    """State of one discovery walk."""

    real_root: str
    config: Config
    skip_real: frozenset[str]
    progress: Callable[[str], None] | None
    files: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    visited: set[tuple[int, int]] = field(default_factory=set)

    def report(self, path: str, severity: Severity, code: str, message: str) -> None:
        """Record a per-file problem."""
        self.diagnostics.append(Diagnostic(path, 0, severity, code, message))


def discover(
    config: Config,
    *,
    progress: Callable[[str], None] | None = None,
    exclude_dirs: Iterable[Path] = (),
) -> Inventory:
    """Walk config.root in name order and return the source files found, sorted by path."""
    _check_patterns(config)
    root = Path(config.root)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory; give the folder of the repository to analyse")
    real_root = os.path.realpath(root)
    skip = frozenset(os.path.realpath(p) for p in exclude_dirs)
    walk = _Walk(real_root, config, skip, progress)
    walk.visited.add(_dir_id(real_root))
    _walk_dir(walk, str(root), "")
    files = tuple(sorted(walk.files, key=lambda f: f.path))
    diagnostics = tuple(sorted(walk.diagnostics, key=lambda d: (d.file, d.line, d.code)))
    log.info("discovered %d source files under %s", len(files), root)
    return Inventory(files, diagnostics)


def _check_patterns(config: Config) -> None:
    """Every include/exclude glob must compile; a bad one is a configuration error."""
    for pattern in (*config.include, *config.exclude):
        try:
            _glob_regex(pattern)
        except re.error as exc:
            where = config.config_file or "include/exclude"
            raise ConfigError(f"{where}: bad glob pattern {pattern!r}: {exc}") from None


def _dir_id(real_path: str) -> tuple[int, int]:
    """(device, inode) of a folder: the same folder reached twice is a loop."""
    info = os.stat(real_path)
    return info.st_dev, info.st_ino


def _entries(walk: _Walk, directory: str, rel: str) -> list[os.DirEntry[str]]:
    """Folder entries sorted by name; an unlistable folder becomes a diagnostic."""
    try:
        with os.scandir(directory) as iterator:
            return sorted(iterator, key=lambda e: e.name)
    except OSError as exc:
        walk.report(rel or ".", "error", "unreadable", f"cannot list folder: {exc.strerror}")
        return []


def _walk_dir(walk: _Walk, directory: str, rel: str) -> None:
    """Visit one folder's entries in name order."""
    for entry in _entries(walk, directory, rel):
        child = f"{rel}/{entry.name}" if rel else entry.name
        if not _name_ok(walk, child):
            continue
        if _is_dir(entry):
            _visit_dir(walk, entry, child)
        else:
            _visit_file(walk, entry, child)


def _name_ok(walk: _Walk, rel: str) -> bool:
    """Names must survive UTF-8 output; undecodable ones are reported and skipped."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        walk.report(shown, "warning", "undecodable-name", "name is not valid UTF-8; rename it")
        return False
    return True


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _inside_root(walk: _Walk, real: str) -> bool:
    return real == walk.real_root or real.startswith(walk.real_root.rstrip(os.sep) + os.sep)


def _visit_dir(walk: _Walk, entry: os.DirEntry[str], rel: str) -> None:
    """Descend unless the folder is skipped, excluded, a link, or already seen."""
    if entry.name in SKIPPED_DIRS or any(glob_match(p, rel) for p in walk.config.exclude):
        return
    real = os.path.realpath(entry.path)
    if real in walk.skip_real:
        return
    if entry.is_symlink():
        _report_dir_link(walk, entry, rel, real)
        return
    identity = _dir_id(real)
    if identity in walk.visited:  # a bind mount or similar leading back up the tree
        walk.report(rel, "warning", "symlink-loop",
                    f"folder {_shown(walk, real)} was already visited")
        return
    walk.visited.add(identity)
    _walk_dir(walk, entry.path, rel)


def _report_dir_link(walk: _Walk, entry: os.DirEntry[str], rel: str, real: str) -> None:
    """Folder links are never followed: outside root, a loop, or a second name for a folder."""
    if not _inside_root(walk, real):
        walk.report(rel, "warning", "symlink-outside",
                    f"folder link points outside the root: {_link_text(entry.path)}")
    elif _is_ancestor(real, entry.path):
        walk.report(rel, "warning", "symlink-loop",
                    f"folder link leads back to {_shown(walk, real)}")
    else:
        # The target lies inside root and is walked under its real name; following the
        # link too would list every file twice.
        log.debug("%s: folder link to %s not followed", rel, real)


def _shown(walk: _Walk, real: str) -> str:
    """A folder inside root as diagnostics name it: relative, never where the estate lies."""
    relative = os.path.relpath(real, walk.real_root)
    return "the root folder" if relative == "." else relative.replace(os.sep, "/")


def _link_text(path: str) -> str:
    """What a link says (as committed to the repository), not where it leads on this machine."""
    try:
        return repr(os.readlink(path))
    except OSError as exc:
        return f"(unreadable link: {exc.strerror})"


def _is_ancestor(real: str, link_path: str) -> bool:
    """True when `real` is the link's own folder or one above it."""
    parent = os.path.realpath(os.path.dirname(link_path))
    return parent == real or parent.startswith(real.rstrip(os.sep) + os.sep)


def _visit_file(walk: _Walk, entry: os.DirEntry[str], rel: str) -> None:
    """Check, read, classify and record one file."""
    if not path_selected(rel, walk.config.include, walk.config.exclude):
        return
    if walk.progress is not None:
        walk.progress(rel)
    known = EXTENSIONS.get(os.path.splitext(entry.name)[1].lower())
    data = _read_checked(walk, entry, rel, known is not None)
    if data is not None:
        _record(walk, rel, known, data)


def _read_checked(walk: _Walk, entry: os.DirEntry[str], rel: str, known: bool) -> bytes | None:
    """The file's bytes, or None; problems are reported for known extensions only."""
    problem = _stat_problem(walk, entry)
    if problem is None:
        try:
            return _read(entry.path, known)
        except OSError as exc:
            problem = _unreadable(exc)
    if known:
        walk.report(rel, *problem)
    else:
        log.debug("%s: skipped: %s", rel, problem[2])
    return None


def _unreadable(exc: OSError) -> _Problem:
    """The problem of a file the OS refused to read, with the OS reason."""
    return ("error", "unreadable", f"cannot read: {exc.strerror or exc}")


def _stat_problem(walk: _Walk, entry: os.DirEntry[str]) -> _Problem | None:
    """Why a file cannot be used (broken or looping link, outside root, not regular, too large)."""
    try:
        info = os.stat(entry.path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("warning", "symlink-loop", "link leads back to itself; not followed")
        broken = " (broken link)" if entry.is_symlink() else ""
        return ("error", "unreadable", f"cannot read: {exc.strerror}{broken}")
    if entry.is_symlink():
        real = os.path.realpath(entry.path)
        if not _inside_root(walk, real):
            return ("warning", "symlink-outside",
                    f"link points outside the root: {_link_text(entry.path)}")
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO would block the run; devices and sockets are no source either.
        return ("error", "unreadable", "cannot read: not a regular file (FIFO, socket or device)")
    if info.st_size > walk.config.max_file_bytes:
        limit = walk.config.max_file_bytes
        return ("warning", "too-large", f"{info.st_size} bytes is over the limit of {limit}")
    return None


def _read(path: str, known: bool) -> bytes | None:
    """All bytes of a file; for unknown extensions only when the head looks like source."""
    with open(path, "rb") as handle:
        if known:
            return handle.read()
        head = handle.read(HEAD_BYTES)
        if not head or is_binary(head):
            return None
        text, _, _ = decode_source(head, path)
        if classify(path, text) == "other":
            return None
        return head + handle.read()


def _record(walk: _Walk, rel: str, known: FileKind | None, data: bytes) -> None:
    """Add a SourceFile (or the reason it was skipped) for bytes already read."""
    if not data:
        walk.report(rel, "warning", "empty-file", "file is empty")
    elif is_binary(data):
        walk.report(rel, "warning", "binary-skipped", "binary content; not read as source")
        return
    text, encoding, diagnostics = decode_source(data, rel)
    kind = known or classify(rel, text)
    digest = hashlib.sha256(data).hexdigest()
    walk.files.append(SourceFile(rel, kind, encoding, line_count(text), digest, len(data)))
    walk.diagnostics.extend(diagnostics)


# ------------------------------------------------------------------ reading later


def read_source(config: Config, source: SourceFile) -> tuple[str, list[Diagnostic]]:
    """Decoded text of a discovered file, read again (texts are not kept in memory)."""
    path = Path(config.root) / source.path
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
        return "", [Diagnostic(source.path, 0, "error", "unreadable", reason)]
    text, _, diagnostics = decode_source(data, source.path)
    if hashlib.sha256(data).hexdigest() != source.sha256:
        message = "file changed since it was discovered; facts may not match the listing"
        diagnostics.append(Diagnostic(source.path, 0, "warning", "changed-on-disk", message))
    return text, diagnostics
