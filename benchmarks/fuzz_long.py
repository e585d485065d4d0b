"""Long fuzzing run: every property of tests/test_fuzz.py with many more examples, random seeds.

    python benchmarks/fuzz_long.py [--scale 100] [-k EXPR]

CI runs the same properties derandomised at scale 1 (well under a minute); this script
multiplies the examples by --scale, lets Hypothesis choose fresh random inputs, and prints
how many inputs each property tried, how long it took, and any failure (with the input that
Hypothesis shrank it to, ready to paste into a regression test).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="examples = CI examples x this")
    parser.add_argument("-k", default="", help="only the properties matching this expression")
    args = parser.parse_args()
    env = dict(os.environ, LOGICMINE_FUZZ_SCALE=str(args.scale),
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests"),
                                           os.environ.get("PYTHONPATH", "")]))
    command = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "test_fuzz.py"), "-q",
               "-p", "no:cacheprovider", "--hypothesis-show-statistics", "-o", "addopts="]
    if args.k:
        command += ["-k", args.k]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    tried = _report(done.stdout)
    print(f"\n{tried} inputs in {seconds:.0f} s at scale {args.scale}; "
          f"pytest exit code {done.returncode}")
    if done.returncode:
        print(done.stdout[-6000:])
    return done.returncode


def _report(output: str) -> int:
    """Per property: examples tried and time (from Hypothesis' statistics); the total."""
    total = 0
    name = ""
    for line in output.splitlines():
        heading = re.match(r".*::(test_\w+)", line)
        if heading:
            name = heading.group(1)
        counts = re.search(r"- (\d+) passing(?: examples?)?, (\d+) failing", line)
        if counts:
            passing, failing = int(counts.group(1)), int(counts.group(2))
            total += passing + failing
            print(f"{name:<78} {passing + failing:>7} inputs, {failing} failing")
    return total


if __name__ == "__main__":
    raise SystemExit(main())
