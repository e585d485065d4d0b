"""The data dictionary and the field cross-reference across programs.

A copybook's entry is declared once, in the copybook, but every program that copies it
declares it again; the dictionary lists it once, with the programs that declare it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .model import Cluster, Estate, Program, Rule

_WORD = re.compile(r"[A-Z0-9][A-Z0-9-]*")

# what describes a definition; two programs that declare an entry alike share one item
DEFINITION = ("file", "line", "name", "level", "pic", "usage", "value", "values", "occurs",
              "redefines", "parent", "section", "copybook")


def group_shares(program: Program, rules: Iterable[Rule], clusters: Iterable[Cluster],
                 words: Iterable[tuple[str, int]]) -> dict[str, tuple]:
    """Defining file -> what the data page of that file (render.dictionary `build_group`) and
    its piece of data-dictionary.json (`data_dictionary`) show of this program: the entries it
    declares there, how often its statements name each, and its rules that read or set one
    (id, paragraph, step and the step's title). A data name counts for every file the program
    declares it in (the page takes the first, the dictionary each entry of that name). An
    edit that changes a rule reading only the program's own entries leaves the copybooks'
    shares as they were."""
    files: dict[str, dict[str, None]] = defaultdict(dict)  # NAME -> the files declaring it
    shares: dict[str, list] = defaultdict(lambda: [[], [], []])
    for item in program.data_items:
        if item.file:
            files[item.name.upper()][item.file] = None
            shares[item.file][0].append(item)
    for word, count in words:
        for file in files.get(word, ()):
            shares[file][1].append((word, count))
    titles = {c.id: (c.program, c.title, c.entry) for c in clusters}
    for rule in rules:
        for role, used in (("reads", rule.inputs), ("sets", rule.outputs)):
            for name in dict.fromkeys(name.upper() for name in used):
                for file in files.get(name, ()):
                    shares[file][2].append((rule.id, rule.procedure, rule.cluster,
                                            titles.get(rule.cluster), role, name))
    return {file: tuple(map(tuple, share)) for file, share in shares.items()}


def data_dictionary(estate: Estate, files: set[str] | None = None) -> list[dict[str, Any]]:
    """Every data definition once: where it is, what it is, the programs that declare it
    (`programs`) and the rules of those programs that read it (`read_by`) or write it
    (`written_by`).

    A copybook entry gives one item for all the programs that copy it alike; a program that
    places it differently (another section, another parent group) gives an item of its own.
    Items are in file and line order. With `files`, only the items defined in those files
    (what only the programs declaring something there are read for).
    """
    programs = estate.programs
    if files is not None:
        programs = tuple(p for p in programs if any(i.file in files for i in p.data_items))
    names = {p.name for p in programs}
    reads: dict[tuple[str, str], set[str]] = defaultdict(set)
    writes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rule in estate.rules:
        if rule.program not in names:
            continue
        for name in rule.inputs:
            reads[(rule.program, name)].add(rule.id)
        for name in rule.outputs:
            writes[(rule.program, name)].add(rule.id)
    merged: dict[tuple, dict[str, Any]] = {}
    for program in programs:
        for item in program.data_items:
            if item.name == "FILLER" or (files is not None and item.file not in files):
                continue
            key = tuple(getattr(item, name) for name in DEFINITION)
            definition = {name: list(value) if isinstance(value, tuple) else value
                          for name, value in zip(DEFINITION, key, strict=True)}
            entry = merged.setdefault(key, {**definition, "programs": set(), "read_by": set(),
                                            "written_by": set()})
            entry["programs"].add(program.name)
            entry["read_by"] |= reads.get((program.name, item.name), set())
            entry["written_by"] |= writes.get((program.name, item.name), set())
    ordered = [merged[key] for key in sorted(merged, key=_order)]
    return [{**entry, "programs": sorted(entry["programs"]), "read_by": sorted(entry["read_by"]),
             "written_by": sorted(entry["written_by"])} for entry in ordered]


def declaring(estate: Estate) -> dict[str, set[str]]:
    """Defining file -> the programs that declare an entry of it (FILLER aside): what the
    file's items in the dictionary are made from."""
    found: dict[str, set[str]] = defaultdict(set)
    for program in estate.programs:
        for file in {i.file for i in program.data_items if i.name != "FILLER"}:
            found[file].add(program.name)
    return found


def _order(key: tuple) -> tuple:
    """File, line and name first, then the rest of the definition, as text (values differ
    in type)."""
    return key[:3] + tuple(repr(v) for v in key[3:])


def cross_reference(estate: Estate) -> dict[str, list[str]]:
    """Field name -> the programs that declare it, for names more than one program declares.

    Where each declaration is (file, line, copybook) is in the dictionary's items."""
    uses: dict[str, set[str]] = defaultdict(set)
    for program in estate.programs:
        for item in program.data_items:
            if item.name != "FILLER":
                uses[item.name].add(program.name)
    return {name: sorted(programs) for name, programs in sorted(uses.items())
            if len(programs) > 1}


def data_words(program: Program) -> tuple[tuple[str, int], ...]:
    """How many times the program's statements name each of its data entries (upper case),
    for entries defined in a file: what the dictionary pages count as uses. It depends on the
    program alone, so the build works it out with the program's analysis and keeps it."""
    names = {item.name.upper() for item in program.data_items if item.file}
    counts: dict[str, int] = defaultdict(int)
    for statement in program.statements:
        for word in _WORD.findall(statement.text.upper()):
            if word in names:
                counts[word] += 1
    return tuple(sorted(counts.items()))
