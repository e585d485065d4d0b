"""The data dictionary and the field cross-reference across programs."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .model import Estate


def data_dictionary(estate: Estate) -> list[dict[str, Any]]:
    """Every data item with where it comes from and the rules that read or write it."""
    reads: dict[tuple[str, str], list[str]] = defaultdict(list)
    writes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule in estate.rules:
        for name in rule.inputs:
            reads[(rule.program, name)].append(rule.id)
        for name in rule.outputs:
            writes[(rule.program, name)].append(rule.id)
    entries = []
    for program in estate.programs:
        for item in program.data_items:
            if item.name == "FILLER":
                continue
            key = (program.name, item.name)
            entries.append({
                "program": program.name, "name": item.name, "level": item.level,
                "pic": item.pic, "usage": item.usage, "value": item.value,
                "values": list(item.values), "occurs": item.occurs, "redefines": item.redefines,
                "parent": item.parent, "section": item.section, "copybook": item.copybook,
                "file": item.file, "line": item.line,
                "read_by": sorted(set(reads.get(key, []))),
                "written_by": sorted(set(writes.get(key, []))),
            })
    return entries


def cross_reference(estate: Estate) -> dict[str, list[dict[str, Any]]]:
    """Field name -> every program that declares it, with the copybook it came through."""
    uses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for program in estate.programs:
        for item in program.data_items:
            if item.name == "FILLER":
                continue
            uses[item.name].append({"program": program.name, "copybook": item.copybook,
                                    "file": item.file, "line": item.line})
    return {name: sorted(places, key=lambda p: (p["program"], p["line"]))
            for name, places in sorted(uses.items()) if len({p["program"] for p in places}) > 1}
