"""The data dictionary (every entry once, where it is defined) and the glossary of 88-levels.

An entry that comes from a copybook is listed once, on the copybook's page, with every program
that includes it: where a field is used is read from the programs' statements (which name it)
and rules (which read or set it), so a field shared through a copybook shows all its users.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import cached_property
from html import escape
from typing import Any

from markupsafe import Markup

from logicmine.dictionary import data_words
from logicmine.model import DataItem
from logicmine.render.context import Link
from logicmine.render.filters import link_html
from logicmine.render.links import Linker, unique_anchors
from logicmine.render.lookup import Lookup, claim_views
from logicmine.render.pages import (
    DataGroupPage,
    DataGroupRow,
    DataIndexPage,
    DataRow,
    GlossaryPage,
    GlossaryRow,
)
from logicmine.render.views import frame

DATA_INDEX = "data/index.html"
GLOSSARY = "glossary.html"
MAX_LINKS = 6  # rules or programs listed per cell before "and N more"
MAX_DEPTH = 6
_BARE = re.compile(r"[A-Za-z0-9_.:-]+")  # needs no quotes as an attribute value

Key = tuple[str, str]  # (defining file, upper-case name)
# data pages whose users are read on their own (`DataIndex.rule_uses_in`, `uses_in`): each
# reads the rules of the programs declaring in its file, all of them for a shared copybook, so
# a build that makes more pages than this reads every rule once for all of them
FEW_FILES = 8


class DataIndex:
    """Entries by defining file, and who uses each entry (statements and rules)."""

    def __init__(self, look: Lookup,
                 words: Mapping[str, tuple[tuple[str, int], ...]] | None = None) -> None:
        """`words`: program name -> `data_words` of that program, worked out with its
        analysis (else counted here from its statements). Who uses each entry is worked out
        when first asked for (`uses`, `reads`, `writes`): page keys need only the entries, and
        a rebuild whose pages are all kept never asks."""
        self._look, self._words = look, words
        self._file_uses: dict[str, tuple[dict[Key, list[str]], dict[Key, list[str]]]] = {}
        self._file_words: dict[str, dict[Key, dict[str, int]]] = {}
        self.groups: dict[str, list[DataItem]] = {}
        self.programs_of: dict[str, set[str]] = defaultdict(set)
        self.where: dict[tuple[str, str], Key] = {}  # (program, NAME) -> its definition
        self.spelling: dict[Key, str] = {}  # the name as written (Java is case-sensitive)
        seen: set[tuple[str, int, str, int]] = set()
        where, spelling, groups, files = self.where, self.spelling, self.groups, self.programs_of
        names = self._names = {}  # program -> NAME -> its definition (`where`)
        for program in look.programs():
            name = program.name
            mine = names.setdefault(name, {})
            for item in program.data_items:
                file = item.file
                if not file:
                    continue
                files[file].add(name)
                upper = item.name.upper()
                key = (file, upper)  # _key(item), made once
                where.setdefault((name, upper), key)
                mine.setdefault(upper, key)
                spelling.setdefault(key, item.name)
                place = (file, item.line, item.name, item.level)
                if place not in seen:
                    seen.add(place)
                    groups.setdefault(file, []).append(item)
        for group in self.groups.values():
            group.sort(key=lambda i: i.line)  # stable: same-line entries keep their order

    @cached_property
    def step_titles(self) -> dict[str, str]:
        """Step id -> 'PROGRAM / title', for the rules listed under a step."""
        return {c.id: f"{c.program} / {c.title or c.entry or c.id}"
                for c in self._look.estate.clusters}

    def step_of(self, rule_id: str) -> str:
        """The id of a rule's step ('' when it has none)."""
        rule = self._look.rule_by_id.get(rule_id)
        return rule.cluster if rule is not None else ""

    @cached_property
    def uses(self) -> dict[Key, dict[str, int]]:
        """Entry -> program -> how often its statements name the entry."""
        return self._word_uses(None, None)

    def uses_in(self, file: str) -> dict[Key, dict[str, int]]:
        """`uses` with (at least) the entries defined in `file`: only the programs declaring
        something there are read."""
        return self._in_file(file, "uses", self._file_words, self._word_uses)

    def _word_uses(self, programs: set[str] | None, file: str | None
                   ) -> dict[Key, dict[str, int]]:
        uses: dict[Key, dict[str, int]] = defaultdict(dict)
        words, where = self._words, self.where
        for program in self._look.programs():
            if programs is not None and program.name not in programs:
                continue
            known = words.get(program.name) if words is not None else None
            for word, n in data_words(program) if known is None else known:
                key = where.get((program.name, word))
                if key and (file is None or key[0] == file):
                    uses[key][program.name] = n
        return uses

    @cached_property
    def _rule_uses(self) -> tuple[dict[Key, list[str]], dict[Key, list[str]]]:
        """Which rules read and write each entry, in rule order, each rule once per entry: the
        names a rule reads and writes are its program's (107,000 rules at 1M lines)."""
        return self._uses_of(None, None)

    def rule_uses_in(self, file: str) -> tuple[dict[Key, list[str]], dict[Key, list[str]]]:
        """`reads` and `writes` with (at least) the entries defined in `file`: only the rules
        of the programs declaring something there are read (a rule's names are its
        program's), so one data page does not resolve every rule of the estate; past
        FEW_FILES files, every rule at once."""
        return self._in_file(file, "_rule_uses", self._file_uses, self._uses_of)

    def _in_file(self, file: str, whole: str, known: dict[str, Any],
                 make: Callable[[set[str], str], Any]) -> Any:
        """The estate-wide table `whole` (a cached property) once it is made or FEW_FILES
        files have asked (many pages: everything worked out once), else `make` for the
        programs declaring in `file`, kept in `known`."""
        if whole in self.__dict__ or len(known) >= FEW_FILES:
            return getattr(self, whole)
        if file not in known:
            known[file] = make(self.programs_of.get(file, set()), file)
        return known[file]

    def _uses_of(self, programs: set[str] | None, file: str | None
                 ) -> tuple[dict[Key, list[str]], dict[Key, list[str]]]:
        reads: dict[Key, list[str]] = defaultdict(list)
        writes: dict[Key, list[str]] = defaultdict(list)
        for rule in self._look.estate.rules:
            if programs is not None and rule.program not in programs:
                continue
            mine = self._names.get(rule.program)
            if not mine:
                continue
            get = mine.get
            for table, used in ((reads, rule.inputs), (writes, rule.outputs)):
                if used:
                    for key in dict.fromkeys([get(name.upper()) for name in used]):
                        if key and (file is None or key[0] == file):
                            table[key].append(rule.id)
        return reads, writes

    @property
    def reads(self) -> dict[Key, list[str]]:
        """Entry -> the rules that read it."""
        return self._rule_uses[0]

    @property
    def writes(self) -> dict[Key, list[str]]:
        """Entry -> the rules that set it."""
        return self._rule_uses[1]

    def link(self, linker: Linker, here: str, program: str, name: str) -> Link:
        """A data name as a rule uses it, linked to its dictionary entry when known."""
        key = self.where.get((program, name.upper()))
        if key is None:
            return Link(name)
        return linker.data_item(here, key[0], self.spelling[key], name)

    def used(self, key: Key) -> bool:
        """True when a statement or rule refers to the entry."""
        return bool(self.uses.get(key) or self.reads.get(key) or self.writes.get(key))


def _key(item: DataItem) -> Key:
    return (item.file, item.name.upper())


def depths(items: list[DataItem]) -> list[int]:
    """Nesting depth of each entry in source order (for indentation)."""
    result, stack = [], []
    for item in items:
        if item.level in (1, 77):
            stack, depth = [item.level], 0
        elif item.level in (66, 88):
            depth = len(stack)
        else:
            while stack and stack[-1] >= item.level:
                stack.pop()
            depth = len(stack)
            stack.append(item.level)
        result.append(min(depth, MAX_DEPTH))
    return result


def build_group(
    look: Lookup, linker: Linker, data: DataIndex, file: str, title: str
) -> DataGroupPage:
    """Context of one data/<file>.html."""
    here = linker.data[file]
    items = data.groups[file]
    anchors = unique_anchors("d", [i.name for i in items])
    rows = []
    section = ""
    uses = (data.uses_in(file), *data.rule_uses_in(file))
    for item, ident, depth in zip(items, anchors, depths(items), strict=True):
        starts = item.section if item.section and item.section != section else ""
        section = item.section or section
        rows.append(_row(linker, data, here, item, ident, depth, starts, uses))
    programs = tuple(linker.program(here, p) for p in sorted(data.programs_of[file]))
    kind = "copybook" if any(i.copybook for i in items) else "program"
    return DataGroupPage(
        frame(title, f"Data: {file}", here),
        linker.source(here, file),
        kind,
        programs,
        len(rows),
        rows_html(rows),
    )


def rows_html(rows: list[DataRow]) -> Markup:
    """The table body: thousands of rows, so written here rather than cell by cell in Jinja.

    Cells and rows leave out the end tags HTML makes optional (a cell ends where the next
    one starts): a tenth of the page on a large estate, and the same table in the browser.
    """
    out = []
    for d in rows:
        if d.section:
            out.append(
                f'<tr class="section-row"><th colspan="10" scope="colgroup">'
                f"{escape(d.section)} SECTION</th></tr>\n"
            )
        value = ", ".join(d.values) if d.values else d.value
        cells = (d.level, d.pic, d.usage, value, d.other)
        level, pic, usage, value, other = (escape(c, quote=False) for c in cells)
        out.append(
            f"<tr id={_attr(d.anchor)}><td>{level}"
            f"<th class=depth-{d.depth}>{escape(d.name, quote=False)}"
            f"<td>{pic}<td>{usage}<td>{value}<td>{other}"
            f"<td>{link_html(d.cite)}<td>{_joined(d.used_in)}"
            f"<td>{_joined(d.reads)}<td>{_joined(d.writes)}\n"
        )
    return Markup("".join(out))


def _attr(value: str) -> str:
    """An attribute value, quoted only when HTML needs it."""
    return value if _BARE.fullmatch(value) else f'"{escape(value)}"'


def _joined(values: tuple[Link, ...]) -> str:
    return ", ".join(link_html(v) for v in values)


def _row(
    linker: Linker, data: DataIndex, here: str, item: DataItem, ident: str, depth: int,
    section: str,
    found: tuple[dict[Key, dict[str, int]], dict[Key, list[str]], dict[Key, list[str]]],
) -> DataRow:
    """A data page's row; `found`: who uses the file's entries (`DataIndex.uses_in`) and which
    rules read and set them (`DataIndex.rule_uses_in`)."""
    key = _key(item)
    uses = found[0].get(key, {})
    used_in = tuple(
        Link(f"{p} ({n})", linker.program(here, p).href) for p, n in sorted(uses.items())
    )
    other = " ".join(
        part
        for part in (
            f"OCCURS {item.occurs}" if item.occurs else "",
            f"REDEFINES {item.redefines}" if item.redefines else "",
        )
        if part
    )
    return DataRow(
        anchor=ident,
        level=f"{item.level:02d}",
        name=item.name,
        depth=depth,
        pic=item.pic,
        usage=item.usage,
        value=item.value,
        values=item.values,
        other=other,
        section=section,
        cite=Link(str(item.line), linker.cite(here, item.file, item.line, item.line).href),
        used_in=_capped(used_in),
        reads=_by_step(linker, data, here, found[1].get(key, [])),
        writes=_by_step(linker, data, here, found[2].get(key, [])),
    )


def _by_step(linker: Linker, data: DataIndex, here: str, rules: list[str]) -> tuple[Link, ...]:
    """Rules grouped by the step of a program they are in: 'PROG / STEP (n)' linked to the
    first one's card."""
    groups: dict[str, list[str]] = {}
    for rule_id in rules:
        groups.setdefault(data.step_of(rule_id) or rule_id, []).append(rule_id)
    links = []
    for owner, members in groups.items():
        first = linker.rule(here, members[0])
        name = data.step_titles.get(owner, owner)
        text = f"{name} ({len(members)})" if owner in data.step_titles else members[0]
        links.append(Link(text, first.href))
    return _capped(tuple(links))


def _capped(links: tuple[Link, ...]) -> tuple[Link, ...]:
    if len(links) <= MAX_LINKS:
        return links
    return links[:MAX_LINKS] + (Link(f"and {len(links) - MAX_LINKS} more"),)


def build_data_index(look: Lookup, linker: Linker, data: DataIndex, title: str) -> DataIndexPage:
    """Context of data/index.html: every copybook and program source that defines data."""
    here = DATA_INDEX
    rows = []
    for file in sorted(data.groups):
        items = data.groups[file]
        rows.append(
            DataGroupRow(
                file=linker.data_item(here, file, text=file),
                kind="copybook" if any(i.copybook for i in items) else "program",
                items=len(items),
                programs=tuple(linker.program(here, p) for p in sorted(data.programs_of[file])),
                used=sum(1 for i in items if data.used(_key(i))),
            )
        )
    total = sum(len(items) for items in data.groups.values())
    return DataIndexPage(frame(title, "Data dictionary", here), tuple(rows), total)


def build_glossary(look: Lookup, linker: Linker, data: DataIndex, title: str) -> GlossaryPage:
    """Context of glossary.html: condition names and what they mean, plus glossary summaries."""
    here = GLOSSARY
    entries = sorted(
        (item for items in data.groups.values() for item in items if item.level == 88),
        key=lambda i: (i.name, i.file, i.line),
    )
    anchors = unique_anchors("g", [i.name for i in entries])
    rows = tuple(
        GlossaryRow(
            name=item.name,
            anchor=ident,
            field=linker.data_item(here, item.file, item.parent) if item.parent else Link(""),
            values=item.values,
            defined=linker.data_item(here, item.file, item.name, f"{item.file}:{item.line}"),
            programs=_capped(
                tuple(linker.program(here, p) for p in sorted(data.programs_of[item.file]))
            ),
        )
        for item, ident in zip(entries, anchors, strict=True)
    )
    claims = claim_views(linker, here, look.summary("glossary"))
    return GlossaryPage(frame(title, "Glossary", here), claims, rows)
