"""Measure the JCL reader on a directory of decks against a hand-written list of (job, program).

Usage: python benchmarks/jcl_pairs.py DIRECTORY PAIRS.json [--members]

DIRECTORY is searched for decks (*.jcl) and cataloged procedures (*.prc, *.proc, or any file in
a folder named proc, procs or proclib). PAIRS.json holds {"pairs": [{"job": J, "program": P}]},
written by reading the decks, not by this parser. With --members, SYSTSIN data set members are
looked up among *.ctl / *.cntl files by member name. Prints counts, diagnostics by code, and
the recall and precision of the (job, program) pairs the parser finds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from logicmine.lang.jcl import ProcDef, ProcLibrary, parse_jcl, read_procs
from logicmine.model import Diagnostic, Job

PROC_SUFFIXES = {".prc", ".proc"}
PROC_FOLDERS = {"proc", "procs", "proclib"}
MEMBER_SUFFIXES = {".ctl", ".cntl"}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")


def _is_proc(path: Path) -> bool:
    return path.suffix.lower() in PROC_SUFFIXES or path.parent.name.lower() in PROC_FOLDERS


def _files(root: Path) -> tuple[list[Path], list[Path]]:
    """(decks, procedure members), sorted."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    procs = [p for p in files if _is_proc(p)]
    decks = [p for p in files if p.suffix.lower() == ".jcl" and not _is_proc(p)]
    return decks, procs


def _members(root: Path) -> dict[str, str]:
    """Member name -> text for control-card files (first by path wins)."""
    table: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in MEMBER_SUFFIXES:
            table.setdefault(path.stem.upper(), _text(path))
    return table


def measure(root: Path, truth: set[tuple[str, str]], use_members: bool) -> dict:
    """Run the reader over the tree; figures as a dict."""
    decks, proc_files = _files(root)
    started = time.perf_counter()
    procs: list[ProcDef] = []
    diags: list[Diagnostic] = []
    for path in proc_files:
        defined, problems = read_procs(_text(path), path.relative_to(root).as_posix())
        procs += defined
        diags += problems
    library = ProcLibrary(procs)
    members = _members(root).get if use_members else None
    jobs: list[Job] = []
    for path in decks:
        result = parse_jcl(_text(path), path.relative_to(root).as_posix(), library, members=members)
        jobs += result.jobs
        diags += result.diagnostics
    elapsed = time.perf_counter() - started
    steps = [step for job in jobs for step in job.steps]
    found = {(step.job, step.program) for step in steps if step.program}
    hits = found & truth
    return {
        "decks": len(decks),
        "proc_files": len(proc_files),
        "procs": len(procs),
        "procs_shadowed": len(library.shadowed),
        "jobs": len(jobs),
        "steps": len(steps),
        "steps_with_program": sum(1 for step in steps if step.program),
        "steps_from_procs": sum(1 for step in steps if step.proc),
        "launchers_resolved": sum(1 for step in steps if step.launcher),
        "dd_statements": sum(len(step.dds) for step in steps),
        "diagnostics": dict(sorted(Counter(f"{d.severity}:{d.code}" for d in diags).items())),
        "pairs_expected": len(truth),
        "pairs_found": len(found),
        "recall": round(len(hits) / len(truth), 4) if truth else None,
        "precision": round(len(hits) / len(found), 4) if found else None,
        "missed": sorted(truth - found),
        "extra": sorted(found - truth),
        "seconds": round(elapsed, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--members", action="store_true", help="read SYSTSIN members (*.ctl)")
    args = parser.parse_args(argv)
    data = json.loads(args.pairs.read_text(encoding="utf-8"))
    truth = {(item["job"].upper(), item["program"].upper()) for item in data["pairs"]}
    figures = measure(args.directory, truth, args.members)
    json.dump(figures, sys.stdout, indent=1, default=list)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
