"""Fault tolerance: builds killed at random points, killed at every step of the swap, Ctrl-C.

After every kill the previous site must be intact (byte-identical to the last complete build,
or absent if there was none), the state database must pass `PRAGMA integrity_check`, and a
re-run must complete with output byte-identical to an uninterrupted build. The estate is the
sample estate, in two versions: A, and B = A plus one program, so that consecutive builds
differ and a half-swapped site would show.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cobol"
KILLS = 15
SEED = 20240611
EXTRA = "programs/EXTRAPGM.cbl"
EXTRA_TEXT = "".join(
    f"{line}\n"
    for line in (
        "       IDENTIFICATION DIVISION.",
        "       PROGRAM-ID. EXTRAPGM.",
        "       DATA DIVISION.",
        "       WORKING-STORAGE SECTION.",
        "       01  WS-LIMIT            PIC 9(5).",
        "       01  WS-BAND             PIC X(4).",
        "       PROCEDURE DIVISION.",
        "       MAIN-PARA.",
        "           IF WS-LIMIT > 25000",
        "               MOVE 'HIGH' TO WS-BAND",
        "           ELSE",
        "               MOVE 'LOW' TO WS-BAND",
        "           END-IF",
        "           STOP RUN.",
    )
)

Site = dict[str, bytes]


# ---------------------------------------------------------------- helpers


def env() -> dict[str, str]:
    """The environment of a child build: this checkout's sources first."""
    paths = [str(ROOT / "src"), str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))


def command(estate: Path, out: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "logicmine", "build", str(estate), "-o", str(out), *flags]


def snapshot(out: Path) -> Site | None:
    """Every file of a site by relative path, or None when there is no site."""
    if not out.exists():
        return None
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith((f".{out.name}.tmp-", f".{out.name}.old-")))


def assert_state_sound(out: Path) -> None:
    """The state database, when there is one, opens and passes the integrity check."""
    path = out.parent / f".{out.name}.logicmine" / "state.sqlite"
    if not path.exists():
        return
    db = sqlite3.connect(path, timeout=10)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        db.execute("SELECT count(*) FROM facts").fetchone()
    finally:
        db.close()


def group_gone(pgid: int, timeout: float = 10.0) -> bool:
    """True once no process of the group (the build and its workers) is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def describe(site: Site | None, expected: Site | None) -> str:
    if site is None or expected is None:
        return f"site present: {site is not None}, expected present: {expected is not None}"
    differ = sorted(k for k in site.keys() | expected.keys() if site.get(k) != expected.get(k))
    return f"{len(differ)} files differ: {differ[:8]}"


class Estate:
    """The sample estate copied to a scratch folder, switchable between versions A and B."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(SAMPLES, root)
        self.refs: dict[tuple[str | None, str], Site] = {}
        self.scratch = root.parent / "refs"

    def use(self, version: str) -> None:
        extra = self.root / EXTRA
        if version == "B":
            extra.write_text(EXTRA_TEXT)
        else:
            extra.unlink(missing_ok=True)

    def ref(self, previous: str | None, version: str) -> Site:
        """The site an uninterrupted build of `version` makes over a site of `previous`."""
        key = (previous, version)
        if key not in self.refs:
            out = self.scratch / f"{previous}-{version}" / "site"
            for step in ([previous] if previous else []) + [version]:
                self.use(step)
                complete(self, out)
            self.refs[key] = snapshot(out)
        return self.refs[key]

    def rebuilt(self, version: str) -> Site:
        """The site of `version` built again over itself, with no state: what a run makes
        after a kill between the swap and the state's update (see docs/reliability.md)."""
        key = ("rebuilt", version)
        if key not in self.refs:
            out = self.scratch / f"rebuilt-{version}" / "site"
            self.use(version)
            complete(self, out)
            complete(self, out, "--full")
            self.refs[key] = snapshot(out)
        return self.refs[key]


@pytest.fixture(scope="module")
def estate(tmp_path_factory) -> Estate:
    return Estate(tmp_path_factory.mktemp("faults") / "estate")


def complete(estate: Estate, out: Path, *flags: str) -> None:
    """Run a build to the end in a child process (the code under test, as it is on disk)."""
    done = subprocess.run(command(estate.root, out, "-q", *flags), env=env(),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


# ---------------------------------------------------------------- random kills


def test_builds_killed_at_random_points_leave_the_previous_site_and_recover(estate, tmp_path):
    """SIGKILL after a seeded random delay, 15 times; a re-run to completion after some."""
    out = tmp_path / "site"
    rng = random.Random(SEED)
    estate.use("A")
    complete(estate, tmp_path / "timing")
    assert snapshot(tmp_path / "timing") == estate.ref(None, "A")  # builds are reproducible
    estate.use("B")
    started = time.monotonic()
    complete(estate, tmp_path / "timing")  # an incremental run, like the ones killed below
    duration = time.monotonic() - started
    site: Site | None = None
    version: str | None = None
    kills = recovered = rounds = 0
    while kills < KILLS:
        rounds += 1
        assert rounds <= 3 * KILLS, f"only {kills} kills in {rounds} rounds"
        wanted = "B" if version == "A" else "A"  # always a real change from the site on disk
        estate.use(wanted)
        child = subprocess.Popen(command(estate.root, out, "-q"), env=env(),
                                 start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            child.wait(timeout=rng.uniform(0.0, duration))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            kills += 1
        assert group_gone(child.pid), "a worker outlived its killed build"
        now = snapshot(out)
        finished = estate.ref(version, wanted)
        assert now == site or now == finished, (rounds, describe(now, site))
        if now != site:  # the run got past its swap: that build is the last complete one
            site, version = now, wanted
        assert_state_sound(out)
        if rng.random() < 0.6:
            continue  # the next run starts over this one's leftovers
        complete(estate, out)
        now = snapshot(out)
        expected = site if wanted == version else estate.ref(version, wanted)
        assert now == expected or (
            # pipeline.py stores the state's fingerprint after the swap: a kill between the
            # two makes the re-run rebuild over the new site (see docs/reliability.md)
            version == wanted and now == estate.rebuilt(wanted)
        ), (rounds, describe(now, expected))
        assert leftovers(out) == []
        assert_state_sound(out)
        site, version = now, wanted
        recovered += 1
    complete(estate, out)
    expected = site if wanted == version else estate.ref(version, wanted)
    assert snapshot(out) in (expected, estate.rebuilt(wanted))
    assert leftovers(out) == []
    print(f"faults: {rounds} runs, {kills} killed, {recovered + 1} re-runs recovered")


# ---------------------------------------------------------------- kills at each step of the swap

_KILL_AT = textwrap.dedent("""
    import os, signal, sys
    estate, out, k, fallback = sys.argv[1], os.path.abspath(sys.argv[2]), int(sys.argv[3]), \\
        sys.argv[4] == "1"
    parent, name = os.path.dirname(out), os.path.basename(out)
    names = (name, "." + name + ".tmp-", "." + name + ".old-")
    seen = 0

    def near(arg):
        if not isinstance(arg, (str, bytes, os.PathLike)):
            return False
        path = os.path.abspath(os.fsdecode(arg))
        return os.path.dirname(path) == parent and os.path.basename(path).startswith(names)

    def hook(event, args):
        global seen
        if event not in ("os.rename", "shutil.rmtree", "test.exchange"):
            return
        if any(near(a) for a in args):
            seen += 1
            if seen == k:
                os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(hook)
    import logicmine.output
    exchange = logicmine.output._exchange

    def audited_exchange(a, b):  # a foreign call raises no audit event of its own
        sys.audit("test.exchange", a, b)
        return exchange(a, b)

    # without the exchange: a system that cannot swap two folders in one step
    logicmine.output._exchange = (lambda a, b: False) if fallback else audited_exchange
    from logicmine.cli import main
    main(["-q", "build", estate, "-o", out])
""")


@pytest.mark.parametrize("fallback", [False, True], ids=["exchange", "two-renames"])
def test_a_kill_at_every_step_of_the_swap_keeps_a_whole_site(estate, tmp_path, fallback):
    """Kill before each rename/exchange/removal next to OUT; OUT is always a whole site."""
    out = tmp_path / "site"
    estate.use("A")
    complete(estate, out)
    base = tmp_path / "base"
    shutil.copytree(tmp_path, base, symlinks=True, ignore=shutil.ignore_patterns("base"))
    old, new = estate.ref(None, "A"), estate.ref("A", "B")
    assert snapshot(out) == old
    killed_at = []
    for k in range(1, 20):
        for item in tmp_path.iterdir():  # back to a clean site A with its state
            if item.name != "base":
                shutil.rmtree(item) if item.is_dir() else item.unlink()
        for item in base.iterdir():
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, tmp_path / item.name)
        estate.use("B")
        run = subprocess.run([sys.executable, "-c", _KILL_AT, str(estate.root), str(out), str(k),
                              "1" if fallback else "0"], env=env(), capture_output=True,
                             timeout=120)
        if run.returncode == 0:
            assert snapshot(out) == new
            break
        assert run.returncode == -signal.SIGKILL, run.stderr.decode(errors="replace")[-2000:]
        killed_at.append(k)
        now = snapshot(out)
        if fallback and now is None:
            # Without an atomic exchange OUT is briefly absent; the next run puts the old
            # site back before anything else.
            assert any(n.startswith(".site.old-") for n in leftovers(out))
        else:
            assert now in (old, new), (k, describe(now, old))
        assert_state_sound(out)
        complete(estate, out)
        final = snapshot(out)
        assert final == new or (now == new and final == estate.rebuilt("B")), (
            k, describe(final, new))
        assert leftovers(out) == []
    assert len(killed_at) >= (3 if fallback else 2), killed_at


# ---------------------------------------------------------------- Ctrl-C and orphans


def test_ctrl_c_stops_the_build_quietly_and_keeps_the_site(estate, tmp_path):
    """SIGINT to the process group, as a terminal sends it, in the middle of parsing."""
    out = tmp_path / "site"
    estate.use("A")
    complete(estate, out)
    before = snapshot(out)
    estate.use("B")
    child = subprocess.Popen(command(estate.root, out, "--full"), env=env(),
                             start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for_workers(child.pid)
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert group_gone(child.pid)
    text = err.decode(errors="replace")
    if child.returncode == 0:  # the build won the race: nothing to check but a whole site
        assert snapshot(out) == estate.ref("A", "B")
        return
    assert child.returncode == 1, text
    assert "Traceback" not in text, text  # neither the build nor its workers print one
    assert "Aborted" in text
    assert snapshot(out) == before
    assert leftovers(out) == []
    assert_state_sound(out)
    complete(estate, out)
    assert snapshot(out) == estate.ref("A", "B")


def _wait_for_workers(pgid: int, timeout: float = 30.0) -> None:
    """Wait until the build has forked its parser workers (it is then mid-run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        members = [p for p in Path("/proc").iterdir() if p.name.isdigit()
                   and _pgid(p) == pgid and p.name != str(pgid)]
        if members:
            return
        time.sleep(0.01)
    raise AssertionError("the build never started its workers")


def _pgid(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return -1


_HANG = textwrap.dedent("""
    import sys
    from logicmine.parallel import run_tasks
    from workers import square_or_hang
    for outcome in run_tasks(square_or_hang, [("h", "hang")], jobs=1, timeout=600):
        pass
""")


def test_a_hung_worker_dies_with_its_killed_parent(tmp_path):
    """A worker stuck in a parse must not outlive a build killed with SIGKILL."""
    child = subprocess.Popen([sys.executable, "-c", _HANG], env=env(), start_new_session=True)
    try:
        _wait_for_workers(child.pid)
        time.sleep(0.3)  # let the worker take the task
        child.kill()  # the parent only, as the OOM killer or `kill -9 PID` would
        child.wait()
        assert group_gone(child.pid), "the hung worker outlived its parent"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)


def _estate_rendered_by_a_worker(root: Path) -> None:
    """An estate with enough source lines that the render forks a worker for its side work."""
    from logicmine.render.site import PARALLEL_LINES

    per_program = PARALLEL_LINES // 4 + 100
    for number in range(4):
        lines = ["       IDENTIFICATION DIVISION.", f"       PROGRAM-ID. LONG{number}.",
                 *(f"      * NOTE {i:06d} ABOUT THE LEDGER" for i in range(per_program)),
                 "       PROCEDURE DIVISION.", "       MAIN-PARA.",
                 "           IF RETURN-CODE > 4 MOVE 4 TO RETURN-CODE END-IF",
                 "           STOP RUN."]
        (root / f"LONG{number}.cbl").write_text("\n".join(lines) + "\n")


def test_a_build_killed_while_rendering_does_not_lock_out_the_next_one(tmp_path):
    """Kill only the build (as the OOM killer does) while its render worker runs."""
    estate = tmp_path / "estate"
    estate.mkdir()
    _estate_rendered_by_a_worker(estate)
    out = tmp_path / "site"
    child = subprocess.Popen(command(estate, out, "-q"), env=env(), start_new_session=True)
    try:
        temp = out.parent / f".site.tmp-{child.pid}"
        deadline = time.monotonic() + 60
        while not (temp.exists() and _members(child.pid)) and child.poll() is None:
            assert time.monotonic() < deadline, "the render never started"
            time.sleep(0.01)
        assert child.poll() is None, "the build ended before it could be killed"
        child.kill()
        child.wait()
        deadline = time.monotonic() + 10  # its workers die with it (parent-death signal)
        while _members(child.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _members(child.pid) == [], "a worker outlived the build killed alone"
        done = subprocess.run(command(estate, out, "-q"), env=env(), capture_output=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
        assert all((out / "programs" / f"LONG{n}.html").is_file() for n in range(4))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)


def _members(pgid: int) -> list[int]:
    """Processes of the group other than its leader."""
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and _pgid(p) == pgid and p.name != str(pgid)]
