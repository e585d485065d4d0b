"""Measure extracted rules against rules a reviewer wrote down by hand from the code.

Usage: python benchmarks/rules_vs_expected.py ESTATE EXPECTED.json [--misses]

EXPECTED.json: {"rules": [{"id", "program", "file", "lines": [start, end], "kind",
                 "names": [...], "literals": [...], "literals_defined_outside_lines": [...]}]}
An expected rule is found when a rule of the same file overlaps its lines and its text
(conditions, actions, 88-levels resolved) names every data name and literal it must name.
Printed: recall; of the found, exact citations and kind agreement; and precision over the
rules that cite the same code (rules starting inside an expected rule's lines).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from logicmine.config import load_config
from logicmine.pipeline import analyse, parse_estate


def _words(rule) -> str:
    parts = [rule.text, *rule.conditions, *rule.actions, *(b.condition for b in rule.branches)]
    return " ".join(parts).upper()


def _mentions(text: str, needle: str) -> bool:
    needle = needle.upper()
    if re.fullmatch(r"[A-Z0-9-]+", needle):
        return re.search(rf"(?<![A-Z0-9-]){re.escape(needle)}(?![A-Z0-9-])", text) is not None
    return needle in text


def _matches(rule, want) -> bool:
    if rule.file != want["file"] or rule.end_line < want["lines"][0] \
            or rule.start_line > want["lines"][1]:
        return False
    text = _words(rule)
    outside = set(want.get("literals_defined_outside_lines", []))
    literals = [lit for lit in want.get("literals", []) if lit not in outside]
    return all(_mentions(text, n) for n in want.get("names", [])) and all(
        _mentions(text, lit) for lit in literals)


def main() -> None:
    """Parse, extract, compare, print."""
    estate, expected_path = Path(sys.argv[1]), Path(sys.argv[2])
    expected = json.loads(expected_path.read_text())["rules"]
    config = load_config(estate)
    analysis = analyse(config, parse_estate(config))
    rules = analysis.estate.rules
    by_file: dict[str, list] = {}
    for rule in rules:
        by_file.setdefault(rule.file, []).append(rule)
    found, exact, kinds, misses = 0, 0, 0, []
    for want in expected:
        hits = [r for r in by_file.get(want["file"], []) if _matches(r, want)]
        if not hits:
            misses.append(want)
            continue
        found += 1
        best = min(hits, key=lambda r: (abs(r.start_line - want["lines"][0]) +
                                        abs(r.end_line - want["lines"][1])))
        exact += best.start_line == want["lines"][0] and best.end_line == want["lines"][1]
        kinds += any(r.kind == want["kind"] for r in hits)
    near = [r for r in rules for w in expected
            if r.file == w["file"] and w["lines"][0] <= r.start_line <= w["lines"][1]]
    near_ids = {r.id for r in near}
    good = {r.id for r in near for w in expected if _matches(r, w)}
    programs = {w["program"] for w in expected}
    print(f"expected rules: {len(expected)} across {len(programs)} programs; "
          f"estate rules: {len(rules)}")
    print(f"recall: {found}/{len(expected)} = {found / len(expected):.3f}")
    print(f"of the found: exact citation {exact}/{found}, kind agrees {kinds}/{found}")
    print(f"precision on the same code: {len(good)}/{len(near_ids)} = "
          f"{len(good) / max(1, len(near_ids)):.3f} (rules starting inside an expected rule)")
    if "--misses" in sys.argv:
        for want in misses:
            print(f"  missed {want['id']} {want['program']} {want['file']}:{want['lines']} "
                  f"{want['kind']} {want.get('statement', '')[:90]}")


if __name__ == "__main__":
    main()
