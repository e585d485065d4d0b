"""Time the renderer on a synthetic estate of --programs programs with --rules rules each.

Run: python benchmarks/render_bench.py [--programs 50] [--rules 200] [--repeat 3]

The estate is the renderer tests' scaled payroll sample (tests/data/render/sample_estate.py):
each program has `--rules` decision rules of six source lines, ten per paragraph, a data item per
rule, and calls the next program. Prints wall time per run, files and bytes written, peak memory.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from logicmine.render import RenderInput, render_all  # noqa: E402


def load_sample():
    """The test estate builder, loaded from its file (tests/ is not a package)."""
    path = ROOT / "tests" / "data" / "render" / "sample_estate.py"
    spec = importlib.util.spec_from_file_location("render_sample_estate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=50)
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    estate, graph, texts = load_sample().scaled(args.programs, args.rules)
    built = time.perf_counter() - started
    lines = sum(text.count("\n") for text in texts.values())
    print(
        f"estate: {len(estate.programs)} programs, {len(estate.rules)} rules, "
        f"{lines} source lines, {graph.number_of_nodes()} nodes (built in {built:.2f}s)"
    )
    times = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            started = time.perf_counter()
            written = render_all(RenderInput(estate, graph, texts.__getitem__), out)
            times.append(time.perf_counter() - started)
            size = sum((out / name).stat().st_size for name in written)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"render: best {min(times):.2f}s, median {sorted(times)[len(times) // 2]:.2f}s "
        f"over {args.repeat} runs; {len(written)} files, {size / 1e6:.1f} MB; "
        f"peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
