"""The synthetic-estate generator of the scale benchmark: shape, determinism, and that it parses.

A ~20k-line estate is written once per module; the checks read it as a reviewer would (files,
COPY statements, job decks), then `logicmine scan` must find every program without an error
line, and GnuCOBOL must accept the programs that have no EXEC blocks.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from logicmine.cli import main

REPO = Path(__file__).resolve().parents[1]
LINES, SEED = 20_000, 11


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_estate", REPO / "benchmarks" /
                                                  "gen_estate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_estate"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen_estate = _load_generator()


@pytest.fixture(scope="module")
def estate(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("estate")
    gen_estate.write_estate(root, LINES, SEED)
    return root


def _programs(root: Path) -> dict[str, str]:
    return {p.stem: p.read_text() for p in sorted((root / "cbl").glob("*.cbl"))}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_programs_have_the_planned_sizes_and_fixed_format(estate):
    programs = _programs(estate)
    sizes = [text.count("\n") for text in programs.values()]
    assert len(programs) >= 8
    assert all(500 <= n <= 5000 for n in sizes), sizes
    assert abs(sum(sizes) - LINES) < 0.1 * LINES
    assert len(set(sizes)) > len(sizes) // 2  # drawn sizes, not one size
    lines = [line for text in programs.values() for line in text.splitlines()]
    assert max(len(line) for line in lines) <= 80
    numbered = [line for line in lines if re.match(r"\d{6}[ *]", line)]
    assert 0 < len(numbered) < len(lines)  # some programs carry sequence numbers, not all


def test_copybooks_are_shared_and_copied_with_replacing(estate):
    programs = _programs(estate)
    users: dict[str, set[str]] = {}
    for name, text in programs.items():
        for member in re.findall(r"\bCOPY\s+([A-Z0-9]+)", text):
            users.setdefault(member, set()).add(name)
    layouts = {m: u for m, u in users.items() if re.fullmatch(r"[A-Z]{2}REC\d\d", m)}
    assert layouts and max(len(u) for u in layouts.values()) >= 2
    assert any(len(u) >= 2 for m, u in users.items() if m == "LNKPARM")
    assert any("REPLACING ==:TAG:== BY ==" in text for text in programs.values())
    for member in users:
        if member != "DFHAID":  # IBM-supplied: not part of an estate's sources
            assert (estate / "copybooks" / f"{member}.cpy").exists(), member
    tagged = (estate / "copybooks").glob("*REC*.cpy")
    assert any(":TAG:-" in p.read_text() and "88  " in p.read_text() for p in tagged)


def _steps(deck: str) -> list[dict[str, str]]:
    """Each step's DD name -> (DSN, DISP) from a job deck, continuations joined."""
    steps: list[dict[str, str]] = []
    statement = ""
    for line in deck.splitlines() + ["//"]:
        if line.startswith("//") and not line.startswith("//*") and line[2:3] != " " \
                and statement:
            _statement(statement, steps)
            statement = ""
        if line.startswith("//") and not line.startswith("//*"):
            statement += line[2:].strip() if statement else line
    return steps


def _statement(text: str, steps: list) -> None:
    fields = text[2:].split()
    if len(fields) >= 2 and fields[1] == "EXEC":
        steps.append({})
    elif len(fields) >= 3 and fields[1] == "DD" and steps:
        dsn = re.search(r"DSN=([^,\s]+)", fields[2])
        disp = re.search(r"DISP=(\([^)]*\)|[A-Z]+)", fields[2])
        if dsn:
            steps[-1][fields[0].split(".")[-1]] = (dsn.group(1), disp.group(1) if disp else "")


def test_job_steps_hand_data_sets_on(estate):
    decks = sorted((estate / "jcl").glob("*.jcl"))
    assert decks
    for deck in decks:
        text = deck.read_text()
        steps = _steps(text)
        assert 3 <= len(steps) <= 8, deck.name
        created = {dsn: n for n, step in enumerate(steps) for dsn, disp in step.values()
                   if disp.startswith("(NEW")}
        handed = [dsn for n, step in enumerate(steps) for dsn, disp in step.values()
                  if not disp.startswith("(NEW") and created.get(dsn, n) < n]
        assert handed, deck.name
    texts = [d.read_text() for d in decks]
    assert any("EXEC PGM=IKJEFT01" in t and "RUN PROGRAM(" in t for t in texts)
    procs = list((estate / "proc").glob("*.prc"))
    assert procs and all("&HLQ..".lower() in p.read_text().lower() for p in procs)
    assert any(f"EXEC {p.stem}," in t for p in procs for t in texts)


def test_online_and_db2_programs_are_present(estate):
    programs = _programs(estate).values()
    online = [t for t in programs if "EXEC CICS" in t]
    assert 1 <= len(online) <= len(programs) // 4
    assert any("XCTL PROGRAM(WS-MENU-PGM (WS-OPTION))" in t for t in online)
    assert any(re.search(r"XCTL PROGRAM\('[A-Z0-9]+'\)", t) for t in online)
    for verb in ("RECEIVE MAP(", "SEND MAP(", "READ FILE(", "RIDFLD(", "RETURN TRANSID("):
        assert any(verb in t for t in online), verb
    sql = [t for t in programs if "EXEC SQL" in t]
    assert sql
    for part in ("INTO :", "CURSOR FOR", "FETCH ", "UPDATE "):
        assert any(part in t for t in sql), part


def test_the_same_seed_gives_the_same_bytes(tmp_path, estate):
    gen_estate.write_estate(tmp_path / "again", LINES, SEED)
    assert _tree(tmp_path / "again") == _tree(estate)
    gen_estate.write_estate(tmp_path / "other", LINES, SEED + 1)
    assert _tree(tmp_path / "other") != _tree(estate)


def test_scan_finds_every_program_without_error_lines(estate):
    result = CliRunner().invoke(main, ["scan", str(estate), "--format", "json", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    found = {name for f in report["files"] if f["kind"] == "cobol" for name in f["programs"]}
    assert found == set(_programs(estate))
    assert report["total"]["error_lines_after_recovery"] == 0
    assert report["total"]["timed_out"] == 0
    assert report["total"]["jobs"] >= 2


def test_gnucobol_accepts_the_programs_without_exec_blocks(estate):
    cobc = shutil.which("cobc")
    assert cobc, "GnuCOBOL (cobc) is installed by .ci/run"
    plain = [p for p in sorted((estate / "cbl").glob("*.cbl")) if "EXEC " not in p.read_text()]
    assert len(plain) >= 4
    for path in plain[:6]:
        done = subprocess.run([cobc, "-fsyntax-only", "-I", str(estate / "copybooks"),
                               str(path)], capture_output=True, text=True)
        assert done.returncode == 0, f"{path.name}: {done.stderr[:2000]}"
