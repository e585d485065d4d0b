"""Compare logicmine's facts on an estate with an independently made ground truth.

Usage: python benchmarks/fidelity_vs_truth.py ESTATE TRUTH_DIR

TRUTH_DIR holds JSON files written without logicmine (by hand and with simple greps):
  paragraphs.json  {program file: {"program_id", "paragraphs": [...], "sections": [...]}}
  performs.json    {program file: [out-of-line PERFORM targets, THRU ends included]}
  calls.json       {"calls": [{"caller", "kind": calls|links|xctls, "callee"}]}
  jcl_pairs.json   {"pairs": [{"job", "program"}]}
Keys starting with "_" are notes and are skipped. Prints every figure the targets name.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from logicmine.config import load_config
from logicmine.graph import build_graph, program_calls
from logicmine.lang.jcl import dd_access
from logicmine.pipeline import parse_estate
from logicmine.scan_report import totals


def _load(truth: Path, name: str):
    data = json.loads((truth / name).read_text())
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not k.startswith("_")}
    return data


def _recall_precision(found: set, wanted: set) -> tuple[float, float, set, set]:
    hit = found & wanted
    recall = len(hit) / len(wanted) if wanted else 1.0
    precision = len(hit) / len(found) if found else 1.0
    return recall, precision, wanted - found, found - wanted


def main() -> None:
    """Parse the estate, compare, print."""
    estate, truth = Path(sys.argv[1]), Path(sys.argv[2])
    parsed = parse_estate(load_config(estate))
    by_file = {p.file: p for p in parsed.programs}
    total = totals(parsed)
    print(f"procedure-division lines outside unrecovered ERROR regions: "
          f"{total['clean_percent_after_recovery']}% (before recovery "
          f"{total['clean_percent_before_recovery']}%, {total['procedure_code_lines']} lines)")

    paragraphs = _load(truth, "paragraphs.json")
    exact, misses = 0, []
    for path, want in sorted(paragraphs.items()):
        program = by_file.get(path)
        got = [p.name for p in program.procedures if p.kind == "paragraph"] if program else None
        if got == want["paragraphs"]:
            exact += 1
        else:
            misses.append((path, len(want["paragraphs"]), len(got or [])))
    print(f"paragraph lists exact: {exact}/{len(paragraphs)} programs "
          f"({100 * exact / len(paragraphs):.1f}%); differing: {misses}")

    performs = _load(truth, "performs.json")
    scores = []
    for path, want in sorted(performs.items()):
        program = by_file.get(path)
        got = set()
        if program:
            for ref in program.references:
                if ref.kind == "performs" and ref.target:
                    got.add(ref.target)
                    if ref.target_end:
                        got.add(ref.target_end)
        union = got | set(want)
        scores.append((len(got & set(want)) / len(union) if union else 1.0, path))
    low = [(round(s, 3), p) for s, p in scores if s < 1.0]
    print(f"PERFORM targets Jaccard: mean {sum(s for s, _ in scores) / len(scores):.4f}, "
          f"min {min(s for s, _ in scores):.4f}; below 1: {low}")

    graph = build_graph(parsed.programs, parsed.jobs, dd_access)
    found = set(program_calls(graph))
    wanted = {(c["caller"], c["kind"], c["callee"]) for c in _load(truth, "calls.json")["calls"]}
    recall, precision, missed, extra = _recall_precision(found, wanted)
    print(f"inter-program CALL/LINK/XCTL edges: recall {recall:.3f}, precision {precision:.3f} "
          f"({len(found)} found, {len(wanted)} expected)")
    print(f"  missed: {sorted(missed)}")
    print(f"  extra:  {sorted(extra)}")

    pairs = {(p["job"], p["program"]) for p in _load(truth, "jcl_pairs.json")["pairs"]}
    # compare within the truth's scope: jobs it lists (an estate may hold more decks elsewhere)
    scope = {job for job, _ in pairs}
    got_pairs = {(job.name, step.program) for job in parsed.jobs for step in job.steps
                 if step.program and job.name in scope}
    recall, precision, missed, extra = _recall_precision(got_pairs, pairs)
    print(f"JCL job-to-program pairs: recall {recall:.3f}, precision {precision:.3f} "
          f"({len(got_pairs)} found, {len(pairs)} expected)")
    print(f"  missed: {sorted(missed)}")
    print(f"  extra:  {sorted(extra)}")


if __name__ == "__main__":
    main()
