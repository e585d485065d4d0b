"""The site's search index: search-index.js, a JSON document assigned to a global.

A script file, not JSON fetched at run time, because fetch() is blocked on file:// pages; the
site script loads it with a <script src> the first time someone searches. Entries are kept
short (long texts truncated) and pages are stored once and referred to by number.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from logicmine.render.context import Link
from logicmine.render.dictionary import DataIndex
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup
from logicmine.render.process_pages import kind_label
from logicmine.render.process_view import parent_title
from logicmine.render.splice import Joined, Parts, Piece, text_of

SEARCH_FILE = "search-index.js"
SEARCH_GLOBAL = "LOGICMINE_SEARCH"
SEARCH_VERSION = 2  # 2: entries in chunks, each with its own list of pages
MAX_DETAIL = 90
TYPES = (
    "program",
    "class",
    "method",
    "process",
    "paragraph",
    "rule",
    "data",
    "condition",
    "job",
    "copybook",
    "transaction",
)
_TYPE_NUMBER = {kind: number for number, kind in enumerate(TYPES)}
_HERE = "index.html"  # links are made from the root, so they are relative to the site root


class _Index:
    """Entries as [type, name, detail, page path, fragment]; pages are numbered at the end,
    in the order they first appear."""

    def __init__(self) -> None:
        self.items: list[list] = []

    def add(self, kind: str, name: str, detail: str, target: Link) -> None:
        if not name or not target.href:
            return
        path, _, fragment = target.href.partition("#")
        detail = " ".join(detail.replace("`", "").split())
        if len(detail) > MAX_DETAIL:
            detail = detail[: MAX_DETAIL - 1] + "…"
        self.items.append([_TYPE_NUMBER[kind], name, detail, path or _HERE, fragment])


def search_index(look: Lookup, linker: Linker, data: DataIndex, pieces=None,
                 keys=None) -> str:
    """Text of search-index.js (`search_parts`)."""
    return text_of(search_parts(look, linker, data, pieces, keys), pieces)


def search_parts(look: Lookup, linker: Linker, data: DataIndex, pieces=None,
                 keys=None) -> Parts:
    """search-index.js as pieces (render.splice): a chunk of entries per program, per data
    file, for the processes and jobs, for the copybooks and transactions; each chunk numbers
    the pages its entries lead to itself, so it does not depend on the others. With `pieces`
    (render.fragments) and `keys` (render.deps PageKeys), a chunk is named as the pages it
    leads to are keyed: a program's by the frame and that program's part, a data file's by
    the frame and the data entries of the programs declaring in it (its entries are those),
    the others' by the frame."""
    sections = _sections(look, linker, data, pieces, keys)
    made = {unit: make for unit, _, make in sections}

    def make(units: list[str]) -> dict[str, str]:
        found = {}
        for unit in units:
            mine = _Index()
            made[unit](mine)
            found[unit] = _chunk(mine.items)
        return found

    head = json.dumps({"v": SEARCH_VERSION, "types": list(TYPES)}, ensure_ascii=False,
                      separators=(",", ":"))
    return Parts(SEARCH_FILE, (f"window.{SEARCH_GLOBAL}={head[:-1]},\"chunks\":",
                  Joined(tuple(Piece(unit, key) for unit, key, _ in sections)), "};\n"), make)


def _chunk(items: list[list]) -> str:
    """Entries as `[pages, entries]`, each entry naming its page by its place in `pages`; ''
    for none (left out of the file)."""
    if not items:
        return ""
    numbers: dict[str, int] = {}
    entries = [[kind, name, detail, numbers.setdefault(path, len(numbers)), fragment]
               for kind, name, detail, path, fragment in items]
    return json.dumps([list(numbers), entries], ensure_ascii=False, separators=(",", ":"))


def _sections(look: Lookup, linker: Linker, data: DataIndex, pieces,
              keys) -> list[tuple[str, str | None, Callable[[_Index], None]]]:
    """(unit, the key of its piece, what adds its entries) of each piece, in order."""
    programs = {program.name: program for program in look.programs()}
    return [
        *((f"program:{name}", _key(pieces, keys, "search", name, {name}),
           lambda mine, program=program: _programs(mine, look, linker, [program]))
          for name, program in programs.items()),  # in name order, as look.programs()
        ("processes", _key(pieces, keys, "search-processes", ""),
         lambda mine: _processes_and_jobs(mine, look, linker)),
        *((f"data:{file}", _key(pieces, keys, "search-data", file, data.programs_of[file],
                                "data"), lambda mine, file=file: _data(mine, linker, data, file))
          for file in sorted(data.groups)),
        ("nodes", _key(pieces, keys, "search-nodes", ""), lambda mine: _nodes(mine, look, linker)),
    ]


def _key(pieces, keys, kind: str, subject: str, names: Iterable[str] = (),
         aspect: str = "") -> str | None:
    """The name of a piece of the index: what its entries are made from (render.deps): the
    parts of the programs named, or with `aspect` that aspect of each."""
    if pieces is None or keys is None:
        return None
    made_from = keys.by_aspect(kind, subject, names, aspect) if aspect else \
        keys.of(kind, subject, names)
    return pieces.key(kind, made_from) if made_from else None


def _processes_and_jobs(index: _Index, look: Lookup, linker: Linker) -> None:
    _processes(index, look, linker)
    for job in sorted({j.name for j in look.estate.jobs}):
        index.add("job", job, "JCL job", linker.job(_HERE, job))


def _nodes(index: _Index, look: Lookup, linker: Linker) -> None:
    """Copybooks and transactions, from the graph."""
    for _, attrs in sorted(look.graph.nodes(data=True), key=lambda n: str(n[0])):
        if attrs.get("kind") == "copybook" and attrs.get("file"):
            index.add(
                "copybook",
                str(attrs.get("name")),
                str(attrs["file"]),
                linker.source(_HERE, str(attrs["file"])),
            )
        elif attrs.get("kind") == "transaction":
            index.add(
                "transaction",
                str(attrs.get("name")),
                "CICS transaction",
                Link("", f"{_HERE}#transactions"),
            )


def _programs(index: _Index, look: Lookup, linker: Linker, programs=None) -> None:
    for program in look.programs() if programs is None else programs:
        summary = look.program_summary(program.name)
        purpose = summary.claims[0].text if summary and summary.claims else program.file
        java = program.language == "java"
        index.add(
            "class" if java else "program",
            program.name,
            purpose,
            linker.program(_HERE, program.name),
        )
        for proc in program.procedures:
            index.add(
                "method" if java else "paragraph",
                proc.name,
                f"{proc.kind} of {program.name}",
                linker.paragraph(_HERE, program.name, proc.name),
            )
        for rule in look.rules.get(program.name, []):
            index.add(
                "rule",
                rule.id,
                f"{rule.kind} in {rule.procedure}: {rule.text}",
                linker.rule(_HERE, rule.id),
            )


def _processes(index: _Index, look: Lookup, linker: Linker) -> None:
    """Every process page: a split process's whole and each of its parts."""
    for parent in sorted(look.parts):
        parts = look.parts[parent]
        detail = f"{kind_label(parts[0].entry_kind)}: {len(parts)} parts"
        index.add("process", parent_title(parts), detail, linker.process(_HERE, parent))
    for process in look.processes:
        summary = look.summary(process.id)
        text = summary.claims[0].text if summary and summary.claims else ""
        detail = f"{kind_label(process.entry_kind)}: {', '.join(process.programs[:3])} {text}"
        index.add("process", process.title, detail, linker.process(_HERE, process.id))


def _data(index: _Index, linker: Linker, data: DataIndex, file: str) -> None:
    seen: set[str] = set()
    short = file.rsplit("/", 1)[-1]
    for item in data.groups[file]:
        if item.name.upper() == "FILLER" or item.name in seen:
            continue
        seen.add(item.name)
        if item.level == 88:
            detail = f"88 of {item.parent} = {' OR '.join(item.values)} · {short}"
            kind = "condition"
        else:
            detail = " ".join(p for p in (f"{item.level:02d}", item.pic, item.usage, short) if p)
            kind = "data"
        index.add(kind, item.name, detail, linker.data_item(_HERE, file, item.name))
