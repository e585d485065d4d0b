"""logicmine's own CPU per summarised subject in a model pass, with a server that answers at once.

Run: python benchmarks/llm_overhead.py [--copies 40] [--jobs 4] [--repeat 3] [--estate DIR]

The server (tests/llm_server.py, the tests' loopback OpenAI-compatible server) runs in another
process, so `time.process_time()` around the pass counts only the client side: prompt
rendering, the openai client and HTTP, reply validation, the grounding check and the cache.
The estate is the tests' payroll sample (PAYCALC calling RATELKP) with --copies more callers,
or, with --estate, a real estate analysed by the pipeline. Three passes are timed: sending
every prompt (empty cache), re-running (every reply from the cache) and a dry run.
Target: under 5 ms of CPU per subject when sending.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from logicmine.summarise.client import ModelClient  # noqa: E402
from logicmine.summarise.openai_backend import summarise_with_model  # noqa: E402
from logicmine.summarise.settings import LLMSettings  # noqa: E402

SERVER = ROOT / "tests" / "llm_server.py"


def load_server_module():
    """tests/llm_server.py loaded from its file (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location("llm_server", SERVER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["llm_server"] = module
    spec.loader.exec_module(module)
    return module


def synthetic_estate(copies: int, where: Path):
    """The tests' payroll estate with `copies` extra callers."""
    estate = load_server_module().write_estate(where, copies=copies)
    return estate.programs, estate.clusters, estate.rules, estate.offline, estate.read


def real_estate(path: Path):
    """An estate analysed by the pipeline, with its offline summaries."""
    from logicmine.config import load_config
    from logicmine.discover import read_source
    from logicmine.pipeline import analyse, parse_estate

    config = load_config(path)
    estate = analyse(config, parse_estate(config)).estate
    sources = {s.path: s for s in estate.sources}

    def read(name: str) -> str:
        return read_source(config, sources[name])[0]

    return (list(estate.programs), list(estate.clusters), list(estate.rules),
            list(estate.summaries), read)


def start_server() -> tuple[subprocess.Popen, str]:
    """The loopback server in its own process, and its base URL."""
    process = subprocess.Popen([sys.executable, str(SERVER)], stdout=subprocess.PIPE, text=True,
                               cwd=ROOT)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def timed_pass(facts, settings: LLMSettings, client, cache: Path):
    """CPU seconds, wall seconds and the report of one pass."""
    programs, clusters, rules, offline, read = facts
    cpu, wall = time.process_time(), time.perf_counter()
    _, report = summarise_with_model(programs, clusters, rules, offline, settings=settings,
                                     read_source=read, cache_dir=cache, client=client)
    return time.process_time() - cpu, time.perf_counter() - wall, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--estate", type=Path, help="a real estate to analyse instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        facts = real_estate(args.estate) if args.estate else synthetic_estate(
            args.copies, Path(temp) / "estate")
        process, url = start_server()
        try:
            measure(facts, url, args, Path(temp))
        finally:
            process.terminate()
            process.wait()


def measure(facts, url: str, args, temp: Path) -> None:
    """Run and print the three passes."""
    settings = LLMSettings(model="bench-model", base_url=url, jobs=args.jobs)
    client = ModelClient(settings)
    client.preflight()
    clusters = len(facts[1])
    print(f"estate: {len(facts[0])} programs, {clusters} clusters, {len(facts[2])} rules; "
          f"jobs {args.jobs}")
    rows: dict[str, list[tuple[float, float, int]]] = {"send": [], "cached": [], "dry run": []}
    dry = LLMSettings(model="bench-model", base_url=url, dry_run=True, jobs=args.jobs)
    for attempt in range(args.repeat):
        cache = temp / f"cache-{attempt}"
        for name, run_settings, where in (("send", settings, cache), ("cached", settings, cache),
                                          ("dry run", dry, temp / f"dry-{attempt}")):
            cpu, wall, report = timed_pass(facts, run_settings, client, where)
            subjects = len(report.prompts) if report.dry_run else (
                report.model_summaries + report.fallbacks)
            rows[name].append((cpu, wall, max(1, subjects)))
            if name == "send":
                print(f"  send pass {attempt + 1}: {report.requests} requests, "
                      f"{report.fallbacks} fallbacks, {report.claims_checked} claims checked")
    for name, runs in rows.items():
        per = statistics.median(cpu / subjects * 1000 for cpu, _, subjects in runs)
        per_cluster = statistics.median(cpu / clusters * 1000 for cpu, _, _ in runs)
        wall = statistics.median(w for _, w, _ in runs)
        print(f"{name:>8}: {per:6.2f} ms CPU per subject, {per_cluster:6.2f} ms per cluster, "
              f"{wall:6.2f} s wall (median of {len(runs)})")


if __name__ == "__main__":
    main()
