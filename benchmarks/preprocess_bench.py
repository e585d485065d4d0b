"""Preprocessor speed and grammar fidelity on a COBOL estate.

Usage: python benchmarks/preprocess_bench.py DIR [--repeat N] [--no-fidelity]

Programs are the *.cbl / *.cob files under DIR (any case); copybooks are *.cpy / *.copy / *.cpb
files and every file in a directory whose name starts with "cpy" or "copy". Prints MB/s of program
text without COPY expansion (empty copybook index) and with it, and the share of code lines inside
tree-sitter ERROR nodes for the raw text and for the canonical text (each parse runs in a child
process with a time limit, because the grammar can hang on raw text).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from logicmine.lang.cobol.preprocess import CopybookResolver, build_copybook_index, preprocess

PROGRAM_EXT = {".cbl", ".cob"}
COPY_EXT = {".cpy", ".copy", ".cpb"}
PARSE_TIMEOUT = 30.0

_CHILD = r"""
import json, sys
from tree_sitter_language_pack import get_parser
data = sys.stdin.buffer.read()
tree = get_parser("cobol").parse(data)
lines = set()
stack = [tree.root_node]
while stack:
    node = stack.pop()
    if node.type == "ERROR":
        lines.update(range(node.start_point[0], node.end_point[0] + 1))
    elif node.has_error:
        stack.extend(node.children)
print(json.dumps(sorted(lines)))
"""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def discover(root: Path) -> tuple[list[Path], list[str]]:
    """(program files, copybook paths relative to root), sorted."""
    programs, copybooks = [], []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        ext = path.suffix.lower()
        in_copy_dir = any(part.lower().startswith(("cpy", "copy")) for part in path.parent.parts)
        if ext in PROGRAM_EXT and not in_copy_dir:
            programs.append(path)
        elif ext in COPY_EXT or in_copy_dir:
            copybooks.append(path.relative_to(root).as_posix())
    return programs, copybooks


def _rate(texts: dict[str, str], resolver_factory, repeat: int) -> tuple[float, int]:
    size = sum(len(t.encode("utf-8")) for t in texts.values())
    best = float("inf")
    lines_out = 0
    for _ in range(repeat):
        resolver = resolver_factory()
        start = time.perf_counter()
        lines_out = sum(len(preprocess(t, p, resolver).origins) for p, t in texts.items())
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6, lines_out


def error_lines(text: str) -> set[int] | None:
    """0-based lines inside ERROR nodes, or None when the parse timed out."""
    try:
        run = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=PARSE_TIMEOUT,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return set(json.loads(run.stdout))


def raw_code_lines(text: str) -> set[int]:
    """0-based physical lines holding code in card-image terms (not blank, not comment)."""
    result = set()
    for index, line in enumerate(text.splitlines()):
        if line[6:7] not in ("*", "/") and line[7:72].strip():
            result.add(index)
    return result


def fidelity(texts: dict[str, str], resolver: CopybookResolver) -> dict[str, float]:
    raw_err = raw_code = pre_err = pre_code = hangs = 0
    for path, text in texts.items():
        code = raw_code_lines(text)
        errors = error_lines(text)
        raw_code += len(code)
        if errors is None:
            hangs += 1
            raw_err += len(code)
        else:
            raw_err += len(code & errors)
        canonical = preprocess(text, path, resolver).text
        pre_lines = {i for i, line in enumerate(canonical.split("\n")) if line.strip()}
        pre_errors = error_lines(canonical)
        pre_code += len(pre_lines)
        pre_err += len(pre_lines) if pre_errors is None else len(pre_lines & pre_errors)
        print(
            f"  {path}: raw {len(code & errors) if errors is not None else 'HANG'}/{len(code)}"
            f"  canonical {len(pre_lines & pre_errors) if pre_errors is not None else 'HANG'}"
            f"/{len(pre_lines)}",
            file=sys.stderr,
        )
    return {
        "raw_error_pct": 100 * raw_err / max(raw_code, 1),
        "raw_hangs": hangs,
        "canonical_error_pct": 100 * pre_err / max(pre_code, 1),
        "raw_code_lines": raw_code,
        "canonical_code_lines": pre_code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-fidelity", action="store_true")
    args = parser.parse_args()
    programs, copybooks = discover(args.root)
    texts = {p.relative_to(args.root).as_posix(): _decode(p.read_bytes()) for p in programs}
    index = build_copybook_index(copybooks)

    def load(rel: str) -> str:
        return _decode((args.root / rel).read_bytes())

    def with_copy() -> CopybookResolver:
        return CopybookResolver(index, loader=load, files=copybooks)

    def without_copy() -> CopybookResolver:
        return CopybookResolver({}, loader=load, files=())

    size = sum(len(t.encode("utf-8")) for t in texts.values())
    print(f"programs: {len(texts)} ({size / 1e6:.2f} MB), copybooks: {len(copybooks)}")
    rate, lines = _rate(texts, without_copy, args.repeat)
    print(f"without COPY expansion: {rate:.2f} MB/s ({lines} output lines)")
    rate, lines = _rate(texts, with_copy, args.repeat)
    print(f"with COPY expansion:    {rate:.2f} MB/s of program text ({lines} output lines)")
    if not args.no_fidelity:
        result = fidelity(texts, with_copy())
        print(
            f"raw text:       {result['raw_error_pct']:.1f}% of {result['raw_code_lines']} lines "
            f"in ERROR nodes ({result['raw_hangs']} parses hung and count as all-error)"
        )
        print(
            f"canonical text: {result['canonical_error_pct']:.1f}% of "
            f"{result['canonical_code_lines']} code lines in ERROR nodes"
        )


if __name__ == "__main__":
    main()
