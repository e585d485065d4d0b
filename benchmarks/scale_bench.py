"""Print how logicmine scales on synthetic estates: full, no-change and one-file builds, scan.

Usage: python benchmarks/scale_bench.py [--sizes 100000 1000000] [--jobs 2] [--runs N]
                                        [--keep DIR] [--seed 1] [--profile DIR]

For each size an estate is written by gen_estate.py, then the CLI runs as a subprocess
(`python -m logicmine ...`) and is timed from outside: wall time, CPU time of the whole process
tree (getrusage of the children), and the peak resident memory of the largest process, with the
main process and the largest worker sampled apart from /proc. The tree-sitter baseline parses
every program's raw bytes once, in this process, on one core. Each figure is the median of
`--runs` runs (default 3 up to 100k lines, 1 above) with the min-max beside it. The machine may
be shared: CPU seconds are steadier than wall seconds there, so both are printed.

Each round: tree-sitter alone, `scan`, a `--full` build into an empty OUT, an incremental build
right after it (--full ignores the state it finds but fills it again, so this one finds nothing
to do: it checks that a --full build leaves a usable state), a no-change build, then one
literal of the median-size program is edited and built (a message no rule reads: only its
source listing changes), then one number a condition of that program compares with is
changed and built (a business rule changes: its program's pages, its processes' and the
estate-wide files that list rules are made again).
To measure a fixed revision while others edit the checkout, run it with PYTHONPATH pointing at
an exported tree (`git archive HEAD src parsers prompts`): the header says which one ran.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_estate import write_estate  # noqa: E402

TARGET_FULL_1M = 120.0  # seconds for a 1M-line full build
TARGET_RSS = 2 * 1024 ** 3
TARGET_ONE_FILE = 0.05  # of the full build
TARGET_NO_CHANGE = 0.03
PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))


@dataclass
class Run:
    """One timed command."""

    wall: float
    cpu: float
    peak: int  # bytes, largest single process
    main_peak: int = 0  # bytes, sampled VmHWM of the CLI's own process
    worker_peak: int = 0  # bytes, largest sampled VmHWM among its children
    tree_peak: int = 0  # bytes, largest sampled sum of PSS over the process tree
    summary: dict = field(default_factory=dict)


# ------------------------------------------------------------------ measuring a subprocess


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _status_kb(pid, "VmRSS:")


class Sampler(threading.Thread):
    """Samples the memory of a process and its descendants until it ends."""

    def __init__(self, pid: int, every: float = 0.1, wrapped: bool = False) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.wrapped = pid, every, wrapped  # wrapped: pid runs the CLI
        self.main = self.worker = self.tree = 0
        self.ticks: dict[int, int] = {}  # pid -> user+system clock ticks last seen
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.every)

    def sample(self) -> None:
        children = _children_of()
        main = self.pid
        if self.wrapped:  # under a profiler: the CLI is its child
            if not children.get(self.pid):
                return
            main = min(children[self.pid])
        stack, family = list(children.get(main, [])), []
        while stack:
            pid = stack.pop()
            family.append(pid)
            stack.extend(children.get(pid, []))
        self.main = max(self.main, _status_kb(main, "VmHWM:"))
        for pid in family:
            self.worker = max(self.worker, _status_kb(pid, "VmHWM:"))
        # proportional set size: pages shared by fork-inherited workers are counted once
        total = sum(_pss(p) for p in [main, *family])
        self.tree = max(self.tree, total)
        for pid in [main, *family]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.ticks[pid] = int(fields[11]) + int(fields[12])
            except (OSError, IndexError, ValueError):
                pass

    def cpu(self) -> float:
        """CPU seconds of the sampled processes, up to their last sample."""
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def measure(cmd: list[str], summary: Path | None = None, profile: Path | None = None) -> Run:
    """Run `cmd` to the end and return what it cost; a failure stops the benchmark.

    With `profile`, py-spy samples the command and its workers (non-blocking, 50 Hz) into a
    collapsed-stack file there.
    """
    if profile is not None:
        cmd = [PY_SPY, "record", "--subprocesses", "--nonblocking", "--format", "raw",
               "-r", "50", "-o", str(profile), "--", *cmd]
    if summary is not None:
        summary.unlink(missing_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid, wrapped=profile is not None)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if profile is not None:  # the profiler does not reap the CLI's time into ours
        cpu = sampler.cpu()
    if summary is not None and not summary.exists():  # py-spy exits 0 whatever the CLI did
        raise SystemExit(f"{' '.join(cmd)} wrote no {summary}:\n{err[-2000:]}")
    data = json.loads(summary.read_text()) if summary is not None else {}
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far, not of this run: the sampled
    # high-water marks (VmHWM, kept by the kernel, so no peak between samples is lost) are.
    return Run(wall, cpu, max(sampler.main, sampler.worker), sampler.main, sampler.worker,
               sampler.tree, data)


def tree_sitter_alone(estate: Path) -> float:
    """Seconds to parse every program's raw bytes with tree-sitter, one process, one core."""
    from tree_sitter_language_pack import get_parser

    parser = get_parser("cobol")
    blobs = [p.read_bytes() for p in sorted((estate / "cbl").glob("*.cbl"))]
    started = time.perf_counter()
    for blob in blobs:
        parser.parse(blob)
    return time.perf_counter() - started


# ------------------------------------------------------------------ the scenarios


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "logicmine", *args]


_LITERAL = re.compile(r"MOVE '([A-Z]{8,24})' TO WS-MESSAGE")


_CONDITION = re.compile(r"^ +IF [A-Z0-9-]+ (?:>=|<=|>|<|=) ([0-9]+)$", re.MULTILINE)


def _median_program(estate: Path) -> Path:
    programs = sorted((estate / "cbl").glob("*.cbl"), key=lambda p: (p.stat().st_size, p.name))
    return programs[len(programs) // 2]


def edit_one_file(estate: Path, round_: int) -> str:
    """Change one literal in the program of median size; the path changed. The literal is
    one no rule reads (a message moved to a field): the program's pages show nothing of it,
    only its source listing changes (see `edit_one_rule` for an edit that changes a rule)."""
    target = _median_program(estate)
    text = target.read_text()
    match = _LITERAL.search(text)
    if match is None:
        raise SystemExit(f"no MOVE literal TO WS-MESSAGE in {target}")
    new = "EDITED" + "ABCDEFGHJKLMNPRSTUVWXYZ"[round_ % 23] + match.group(1)[7:]
    target.write_text(text[:match.start(1)] + new + text[match.end(1):])
    return target.name


def edit_one_rule(estate: Path, round_: int) -> str:
    """Change the number one IF compares with, in the program of median size: a business rule
    changes (its condition, its id, its hash), as it does when a threshold is raised. The
    program's pages and processes, rules.json, the search index, the data dictionary and
    site.json change with it."""
    target = _median_program(estate)
    text = target.read_text()
    match = _CONDITION.search(text)
    if match is None:
        raise SystemExit(f"no IF comparing a field with a number in {target}")
    new = str(int(match.group(1)) + 1 + round_ % 7)
    target.write_text(text[:match.start(1)] + new + text[match.end(1):])
    return target.name


@dataclass
class SizeResult:
    """Every figure measured on one estate."""

    lines: int
    programs: int
    megabytes: float
    generate: float
    runs: dict[str, list[Run]] = field(default_factory=dict)
    tree_sitter: list[float] = field(default_factory=list)


def bench_size(lines: int, runs: int, jobs: int, seed: int, keep: Path | None,
               profile: Path | None = None) -> SizeResult:
    """Generate an estate of `lines` lines and run every scenario `runs` times."""
    base = Path(tempfile.mkdtemp(prefix=f"scale{lines}-", dir=keep))
    estate, out = base / "estate", base / "site"
    state = base / ".site.logicmine"  # the build's state lives beside the site, not in it
    started = time.perf_counter()
    counts = write_estate(estate, lines, seed)
    generate = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (estate / "cbl").glob("*.cbl"))
    result = SizeResult(counts["cobol_lines"], counts["programs"], size / 1e6, generate)
    j = ["-j", str(jobs), "-q"]
    summary = base / "summary.json"
    for round_ in range(runs):
        _progress(f"{lines:,} lines: round {round_ + 1}/{runs}")
        result.tree_sitter.append(tree_sitter_alone(estate))
        _add(result, "scan", measure(_cli("scan", str(estate), "--format", "json", *j)))
        for folder in (out, state):  # every round starts without a site or a state
            shutil.rmtree(folder, ignore_errors=True)
        prof = profile / f"full-{lines}.txt" if profile and round_ == 0 else None
        _add(result, "full", measure(_cli("build", str(estate), "-o", str(out), "--full", *j,
                                          "--summary-json", str(summary)), summary, prof))
        # --full refills the state: the first incremental build after it must redo nothing
        _add(result, "after-full", measure(_cli("build", str(estate), "-o", str(out), *j)))
        _add(result, "no-change", measure(_cli("build", str(estate), "-o", str(out), *j)))
        edit_one_file(estate, round_)
        _add(result, "one-file", measure(_cli("build", str(estate), "-o", str(out), *j,
                                              "--summary-json", str(summary)), summary))
        edit_one_rule(estate, round_)
        _add(result, "one-rule", measure(_cli("build", str(estate), "-o", str(out), *j,
                                              "--summary-json", str(summary)), summary))
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    else:
        _progress(f"kept {base}")
    return result


def _add(result: SizeResult, name: str, run: Run) -> None:
    result.runs.setdefault(name, []).append(run)


def _progress(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the table


def _spread(values: list[float], fmt: str = "{:.1f}") -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} [{fmt.format(min(values))}-{fmt.format(max(values))}]"


def _mb(n: float) -> str:
    return f"{n / 1024 ** 2:,.0f}"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(result: SizeResult, jobs: int) -> list[str]:
    """The table of one size, with each target beside its figure."""
    full = result.runs["full"]
    full_wall = statistics.median(r.wall for r in full)
    ts = statistics.median(result.tree_sitter)
    peak = max(r.peak for r in full)
    lines = [f"estate: {result.lines:,} lines in {result.programs} programs "
             f"({result.megabytes:.1f} MB), generated in {result.generate:.1f} s; "
             f"jobs={jobs}; {len(full)} run(s): median [min-max]",
             f"  {'figure':<28}{'wall s':>22}{'cpu s':>20}   notes"]
    ratio = [r.wall / t for r, t in zip(full, result.tree_sitter, strict=True)]
    scaled = full_wall * 1_000_000 / result.lines
    lines.append(_row("tree-sitter alone (1 core)", result.tree_sitter, result.tree_sitter,
                      f"{result.lines / ts:,.0f} lines/s, raw bytes"))
    scan = result.runs["scan"]
    lines.append(_row("scan", [r.wall for r in scan], [r.cpu for r in scan],
                      f"{result.lines / statistics.median(r.wall for r in scan):,.0f} lines/s"))
    lines.append(_row("full build (--full)", [r.wall for r in full], [r.cpu for r in full],
                      f"{result.lines / full_wall:,.0f} lines/s; "
                      f"x{_spread(ratio)} tree-sitter; 1M-line pace {scaled:.0f} s "
                      f"(target < {TARGET_FULL_1M:.0f}: {_verdict(scaled < TARGET_FULL_1M)})"))
    lines.append(f"  {'  peak RSS':<28}{_mb(peak):>19} MB"
                 f"{'':>20}   main {_mb(max(r.main_peak for r in full))} MB, largest worker "
                 f"{_mb(max(r.worker_peak for r in full))} MB (shares the main's pages it forked "
                 f"with), whole tree (PSS) "
                 f"{_mb(max(r.tree_peak for r in full))} MB "
                 f"(target < 2048: {_verdict(peak < TARGET_RSS)})")
    stages = _stages(full)
    if stages:
        lines.append(f"  {'  stages (in-process)':<28}{stages}")
    for name, target in (("after-full", 0.0), ("no-change", TARGET_NO_CHANGE),
                         ("one-file", TARGET_ONE_FILE), ("one-rule", TARGET_ONE_FILE)):
        done = result.runs[name]
        share = statistics.median(r.wall for r in done) / full_wall
        goal = f" (target < {target:.0%}: {_verdict(share < target)})" if target else \
            " (the first build after --full: the state it refilled is used)"
        lines.append(_row(f"{name} rebuild", [r.wall for r in done], [r.cpu for r in done],
                          f"{share:.1%} of full{goal}"))
        stages = _stages(done)
        if stages:
            lines.append(f"  {'  stages (in-process)':<28}{stages}")
    return lines


def _row(name: str, wall: list[float], cpu: list[float], notes: str) -> str:
    return f"  {name:<28}{_spread(wall):>22}{_spread(cpu):>20}   {notes}"


def _stages(runs: list[Run]) -> str:
    timings = [r.summary.get("timings", {}) for r in runs if r.summary.get("timings")]
    if not timings:
        return ""
    keys = sorted({k for t in timings for k in t}, key=lambda k: -statistics.median(
        t.get(k, 0.0) for t in timings))
    return ", ".join(f"{k} {statistics.median(t.get(k, 0.0) for t in timings):.1f}"
                     for k in keys)


def _frame(frame: str) -> str:
    """`f (pkg/mod.py:12)` -> `pkg/mod.py:f`, so samples add up per function."""
    name, _, where = frame.partition(" (")
    return f"{where.rsplit(':', 1)[0]}:{name}" if where else name


def profile_table(path: Path, top: int = 14) -> list[str]:
    """Where py-spy's samples of the main process and of the workers went."""
    inclusive = [Counter(), Counter()]
    own = [Counter(), Counter()]
    totals = [0, 0]
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        depth = sum(1 for f in frames if f.startswith("process "))
        calls = [_frame(f) for f in frames if not f.startswith("process ")]
        which, n = (0 if depth <= 1 else 1), int(count)
        totals[which] += n
        for name in set(calls):
            inclusive[which][name] += n
        if calls:
            own[which][calls[-1]] += n
    out = []
    for which, title in ((0, "main process"), (1, "workers (all)")):
        if not totals[which]:
            continue
        out.append(f"  profile, {title}: {totals[which]} samples at 50 Hz")
        mine = [(k, v) for k, v in inclusive[which].most_common()
                if "logicmine/" in k and v < 0.85 * totals[which]]  # not the call chain
        out.append("    inclusive: " + "; ".join(
            f"{k.split('logicmine/')[-1]} {v / totals[which]:.0%}" for k, v in mine[:top]))
        out.append("    own time:  " + "; ".join(
            f"{k.split('site-packages/')[-1]} {v / totals[which]:.0%}"
            for k, v in own[which].most_common(top)))
    return out


def logicmine_under_test() -> str:
    """Where the CLI's package comes from (PYTHONPATH may point at a snapshot), and its version."""
    probe = "import logicmine; print(logicmine.__version__, logicmine.__file__)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()[-200:]


def main() -> None:
    """Run the benchmark for every size and print the tables."""
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args.add_argument("--jobs", type=int, default=2)
    args.add_argument("--runs", type=int, default=0, help="0: 3 up to 100k lines, 1 above")
    args.add_argument("--seed", type=int, default=1)
    args.add_argument("--keep", type=Path, help="write the estates and sites under DIR, kept")
    args.add_argument("--profile", type=Path,
                      help="sample the first full build of each size with py-spy into DIR")
    opts = args.parse_args()
    for folder in (opts.keep, opts.profile):
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
    if opts.profile and not Path(PY_SPY).exists():
        args.error("--profile needs py-spy (pip install py-spy)")
    print(f"logicmine under test: {logicmine_under_test()}; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} cores\n", flush=True)
    for size in opts.sizes:
        runs = opts.runs or (3 if size <= 100_000 else 1)
        result = bench_size(size, runs, opts.jobs, opts.seed, opts.keep, opts.profile)
        lines = report(result, opts.jobs)
        if opts.profile:
            lines += profile_table(opts.profile / f"full-{size}.txt")
        print("\n".join(lines), flush=True)
        print()


if __name__ == "__main__":
    main()
