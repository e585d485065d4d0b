"""Print how fast `scan` reads an estate, against tree-sitter parsing the same bytes alone.

Usage: python benchmarks/scan_bench.py PATH [--runs 5] [--jobs 1]

Both figures come from the same run, side by side, so the ratio holds on a noisy machine.
The tree-sitter baseline parses each COBOL file's raw bytes once, in this process, on one core.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tree_sitter_language_pack import get_parser

from logicmine.config import load_config
from logicmine.discover import discover, read_source
from logicmine.pipeline import parse_estate


def _tree_sitter_alone(config, sources) -> float:
    parser = get_parser("cobol")
    blobs = [read_source(config, s)[0].encode("utf-8") for s in sources]
    started = time.perf_counter()
    for blob in blobs:
        parser.parse(blob)
    return time.perf_counter() - started


def main() -> None:
    """Run the benchmark and print the figures."""
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("path", type=Path)
    args.add_argument("--runs", type=int, default=5)
    args.add_argument("--jobs", type=int, default=1)
    opts = args.parse_args()
    config = load_config(opts.path, overrides={"jobs": opts.jobs})
    inventory = discover(config)
    cobol = [s for s in inventory.files if s.kind == "cobol"]
    lines = sum(s.line_count for s in cobol)
    size = sum(s.size for s in cobol)
    scan_times, ts_times = [], []
    for _ in range(opts.runs):
        started = time.perf_counter()
        parse_estate(config)
        scan_times.append(time.perf_counter() - started)
        ts_times.append(_tree_sitter_alone(config, cobol))
    scan, ts = statistics.median(scan_times), statistics.median(ts_times)
    ratios = [a / b for a, b in zip(scan_times, ts_times, strict=True)]
    print(f"estate: {len(cobol)} COBOL files, {lines} lines, {size / 1e6:.2f} MB; "
          f"jobs={opts.jobs}; {opts.runs} runs, medians")
    print(f"logicmine scan (discover+preprocess+parse+facts+JCL): {scan:.3f} s  "
          f"{len(cobol) / scan:.1f} files/s  {lines / scan:,.0f} lines/s  "
          f"{size / scan / 1e6:.2f} MB/s")
    print(f"tree-sitter alone, same bytes, one core:            {ts:.3f} s  "
          f"{lines / ts:,.0f} lines/s  {size / ts / 1e6:.2f} MB/s")
    print(f"ratio scan / tree-sitter: median {statistics.median(ratios):.1f}x "
          f"(min {min(ratios):.1f}, max {max(ratios):.1f})")


if __name__ == "__main__":
    main()
