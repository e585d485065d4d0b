"""Machine-readable business exports: decision tables, processes, smells, data dictionary.

Written into the site folder beside rules.json: `decisions/<PROGRAM>.csv` (the
program's decision tables, stacked),
`processes.json`, `smells.json`, `data-dictionary.json`, and `markdown/processes/<id>.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .decisions import program_csv
from .dictionary import cross_reference, data_dictionary, declaring
from .model import Estate, Process, Rule, Summary
from .render.exports import compact, joined, list_parts, record_parts, record_value
from .render.markdown import code, procedure_word, prose, rule_markdown
from .render.memo import keep_or_write, write_or_keep
from .render.paths import OutputWriter, safe_name
from .render.splice import Joined, Parts, Piece, text_of, write_spliced


def _write(writer: OutputWriter, relative: str, text: str) -> str:
    writer.write(relative, text)  # the renderer's writer: same safety checks, one folder cache
    return relative


def write_decision_tables(estate: Estate, out: OutputWriter, memo=None, keys=None) -> list[str]:
    """One CSV per program with decisions: its tables stacked (a file per rule made tens of
    thousands of tiny files on a large estate, most of the build's file-system time). With
    `keys` (render.deps.PageKeys), a program's file is kept by its program's part."""
    by_program: dict[str, list[Rule]] = {}
    for rule in estate.rules:
        if rule.branches:
            by_program.setdefault(rule.program, []).append(rule)
    return [_emit(out, memo, f"decisions/{safe_name(program)}.csv", rules,
                  lambda rules=rules: program_csv(rules),
                  keys.of("decisions", program, {program}) if keys else None)
            for program, rules in sorted(by_program.items())]


def _emit(writer: OutputWriter, memo, relative: str, inputs, make, key=None) -> str:
    """Write `make()` to `relative`, or keep the last build's file when `key` (what it is made
    from, render.deps), or else `inputs` (everything the text is made from; a function giving
    them, gathered only when `key` does not keep the file), are unchanged and the file still
    holds what was written."""
    keep_or_write(writer, memo, relative, key, lambda: write_or_keep(
        writer, memo, relative, "export", inputs() if callable(inputs) else inputs, make))
    return relative


def _process_inputs(process: Process, about: Summary | None, rules: Mapping[str, Rule],
                    summaries: Mapping[str, Summary], languages: Mapping[str, str]) -> tuple:
    """Everything a process document is made from (`process_markdown`)."""
    mine = [rules[r] for r in process.rules if r in rules]
    return (process, mine, about, [summaries.get(r.id) for r in mine],
            [languages.get(r.program, "") for r in mine])


def process_markdown(process: Process, rules: dict[str, Rule], summary: str = "",
                     summaries: Mapping[str, Summary] | None = None,
                     languages: Mapping[str, str] | None = None) -> str:
    """A process page: entry, programs, data touched, and its rules each in full (the
    program documents list them and link here)."""
    lines = [f"# {prose(process.title)}", "", f"Process id {code(process.id)}; entry "
             f"{code(process.entry)} ({process.entry_kind}).", ""]
    if process.note:
        lines += [prose(process.note), ""]
    if summary:
        lines += [prose(summary), ""]
    lines += ["## Programs", "", ", ".join(code(p) for p in process.programs) or "none", ""]
    for label, items in (("Datasets", process.datasets), ("Tables", process.tables),
                         ("Screens", process.screens)):
        if items:
            lines += [f"## {label}", "", ", ".join(code(i) for i in items), ""]
    lines += ["## Rules", ""]
    for rule_id in dict.fromkeys(process.rules):
        rule = rules.get(rule_id)
        if rule is None:
            continue
        where = procedure_word((languages or {}).get(rule.program, ""))
        lines += [rule_markdown(rule, (summaries or {}).get(rule.id), where)]
    return "\n".join(lines).rstrip() + "\n"


DICTIONARY_VERSION = 2


def dictionary_json(estate: Estate, fragments=None, keys=None) -> str:
    """data-dictionary.json: every data definition once (`items`, in file and line order, one
    per line), and `fields`, the names more than one program declares with those programs.

    An item leaves out what is empty (no `pic` on a group, no `read_by` when no rule reads
    it); `level` and `line` are always there. With `fragments` (render.fragments) and `keys`
    (render.deps.PageKeys), the lines of a file's items are taken from the state when the
    programs declaring something there are all as before (items are ordered by file first, so
    the pieces go end to end)."""
    return text_of(dictionary_parts(estate, fragments, keys), fragments)


_FIELDS = "\0fields"  # the unit of `fields`: no defining file's path holds a NUL


def dictionary_parts(estate: Estate, fragments=None, keys=None,
                     named: Mapping[str, str | None] | None = None) -> Parts:
    """data-dictionary.json as pieces (render.splice): a defining file's items each (`named`:
    their keys, `dictionary_pieces`, worked out here when not given), and `fields` (its key
    there too)."""
    def make(units: list[str]) -> dict[str, str]:
        files = [unit for unit in units if unit != _FIELDS]
        lines: dict[str, list[str]] = {file: [] for file in files}
        for item in data_dictionary(estate, set(files)) if files else ():
            lines[item["file"]].append(compact(
                {k: v for k, v in item.items() if v not in ("", [], 0) or k in ("level", "line")}))
        made = {file: joined(records) for file, records in lines.items()}
        if _FIELDS in units:
            made[_FIELDS] = record_value(cross_reference(estate))
        return made

    if named is None:
        named = dictionary_pieces(estate, fragments, keys) if fragments is not None and \
            keys is not None else dict.fromkeys(declaring(estate))
    items = Joined(tuple(Piece(file, named[file]) for file in sorted(named) if file != _FIELDS))
    document = {"version": DICTIONARY_VERSION, "items": items,
                "fields": Piece(_FIELDS, named.get(_FIELDS))}
    return Parts("data-dictionary.json", tuple(record_parts(document)), make)


def dictionary_pieces(estate: Estate, fragments, keys) -> dict[str, str | None]:
    """Defining file -> the key of its piece of data-dictionary.json (None: not kept), and
    `fields` (the names several programs declare) -> the key of its piece: every program's
    data entries, or their parts."""
    every = {program.name for program in estate.programs}
    made_from = keys.aspect_rows(every, "data") or keys.parts_of(every)
    fields = fragments.key("data-dictionary.json", _FIELDS, made_from) \
        if made_from is not None else None
    return {**{file: _piece_key(fragments, file, keys, names)
               for file, names in declaring(estate).items()}, _FIELDS: fields}


def _piece_key(fragments, file: str, keys, names: set[str]) -> str | None:
    """A file's piece, named by what it shows of each program declaring there (its share of
    the file, render.deps `PageKeys.shares`: a rule of one program that reads no entry of a
    copybook leaves the copybook's piece), else by their parts; not by the frame (the
    dictionary shows nothing else). None for a program the keys do not know."""
    shares = keys.shares(file, names)
    if shares is not None:
        return fragments.key("data-dictionary.json", file, "shares", shares)
    parts = keys.parts_of(names)
    return None if parts is None else fragments.key("data-dictionary.json", file, parts)


def write_business_exports(estate: Estate, out: Path, memo=None, keys=None,
                           fragments=None) -> list[str]:
    """Every business export; returns the relative paths written. With `memo` (the renderer's
    PageMemo), a per-program or per-process file whose inputs are unchanged is kept from the
    last build instead of written again; with `keys` (render.deps.PageKeys) too, it is known
    unchanged without gathering its inputs, and with `fragments` (render.fragments) the data
    dictionary is put together from pieces kept in the state."""
    return sorted(write_estate_lists(estate, out) +
                  write_keyed_exports(estate, out, memo, keys, fragments))


def write_estate_lists(estate: Estate, out: Path) -> list[str]:
    """processes.json and smells.json: the estate's lists, made from nothing but the estate."""
    writer = OutputWriter(out)
    written = [_write(writer, "processes.json", processes_json(estate)),
               _write(writer, "smells.json", smells_json(estate))]
    writer.close()
    return written


def processes_json(estate: Estate) -> str:
    """processes.json text: every business process, a line each (render.exports.list_parts)."""
    return text_of(list_parts(estate, "processes"))


def smells_json(estate: Estate) -> str:
    """smells.json text: every logic smell, a line each (render.exports.list_parts)."""
    return text_of(list_parts(estate, "smells"))


def _dictionary_file(writer: OutputWriter, estate: Estate, memo, fragments, keys) -> str:
    """data-dictionary.json, kept whole while its pieces are the same (their keys marked used
    so the build that next changes one finds the others), else spliced (render.splice)."""
    relative, pieces, whole = "data-dictionary.json", None, None
    if memo is not None and fragments is not None and keys is not None:
        pieces = dictionary_pieces(estate, fragments, keys)
        if None not in pieces.values():
            whole = fragments.key("estate-file", relative, sorted(pieces.items()))
    write_spliced(writer, memo, fragments if pieces is not None else None, relative, whole,
                  lambda: dictionary_parts(estate, fragments, keys, pieces))
    return relative


def write_keyed_exports(estate: Estate, out: Path, memo=None, keys=None,
                        fragments=None) -> list[str]:
    """Decision tables, the data dictionary and process documents (see
    `write_business_exports`)."""
    writer = OutputWriter(out)
    rules = {r.id: r for r in estate.rules}
    summaries: dict[str, Summary] = {}
    for item in estate.summaries:
        summaries.setdefault(item.subject, item)  # the first, as the site shows
    languages = {p.name: p.language for p in estate.programs}
    written = write_decision_tables(estate, writer, memo, keys)
    written.append(_dictionary_file(writer, estate, memo, fragments, keys))
    for process in estate.processes:
        relative = f"markdown/processes/{safe_name(process.id)}.md"
        about = summaries.get(process.id)
        written.append(_emit(writer, memo, relative,
                             lambda process=process, about=about: _process_inputs(
                                 process, about, rules, summaries, languages),
                             lambda process=process, about=about:
                             process_markdown(process, rules, " ".join(
                                 c.text for c in about.claims) if about else "",
                                 summaries, languages),
                             keys.process(process, "process-markdown") if keys else None))
    writer.close()
    return sorted(written)
