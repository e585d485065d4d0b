"""The command line through click's CliRunner, on the sample estate and on bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from logicmine import __version__
from logicmine.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cobol"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_version_and_help():
    assert __version__ in run("--version").output
    for command in ("scan", "graph", "build"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "PATH" in result.output


def test_scan_json_reports_files_and_totals():
    result = run("scan", SAMPLES, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    total = report["total"]
    assert total["programs"] >= 9 and total["jobs"] >= 2
    assert total["files_by_kind"]["cobol"] == 9
    assert total["error_lines_after_recovery"] == 0
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path["programs/SLMENU.cbl"]["exec_blocks"]["CICS"] >= 5
    assert by_path["programs/ACCTVAL.cbl"]["copybooks_resolved"] >= 2


def test_scan_text_is_a_table():
    result = run("scan", SAMPLES)
    assert result.exit_code == 0
    assert "programs/INTCALC.cbl" in result.output and "clean before recovery" in result.output


def test_graph_formats(tmp_path):
    out = tmp_path / "g.json"
    assert run("graph", SAMPLES, "--format", "json", "-o", out).exit_code == 0
    data = json.loads(out.read_text())
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["cobol:INTCALC"]["kind"] == "program"
    para = nodes["cobol:INTCALC:0000-MAIN"]
    assert para["program"] == "INTCALC" and para["line"] > 0 and para["end_line"] >= para["line"]
    edge_kinds = {e["kind"] for e in data["edges"]}
    assert {"contains", "performs", "calls", "includes", "runs", "reads", "writes"} <= edge_kinds
    assert all("file" in e and "line" in e for e in data["edges"])
    graphml = run("graph", SAMPLES, "--format", "graphml").stdout
    ET.fromstring(graphml.encode())  # well-formed GraphML
    dot = run("graph", SAMPLES, "--format", "dot").stdout
    assert dot.startswith("digraph") and '"cobol:INTCALC"' in dot


def test_build_writes_site_markdown_and_json(tmp_path):
    out = tmp_path / "site"
    result = run("build", SAMPLES, "-o", out)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    assert (out / "markdown/programs/INTCALC.md").is_file()
    rules = json.loads((out / "rules.json").read_text())["rules"]
    assert rules and {"id", "program", "procedure", "file", "start_line", "end_line", "kind",
                      "conditions", "actions", "text", "cluster"} <= set(rules[0])
    assert json.loads((out / "graph.json").read_text())["nodes"]
    leftovers = [p for p in tmp_path.glob(".site.*") if ".tmp-" in p.name or ".old-" in p.name]
    assert not leftovers, "temporary folders were left behind"


def test_config_file_and_copybook_flag(tmp_path):
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    (repo / "lib").mkdir()
    (repo / "src/P1.cbl").write_text(
        "       IDENTIFICATION DIVISION.\n       PROGRAM-ID. P1.\n       DATA DIVISION.\n"
        "       WORKING-STORAGE SECTION.\n       COPY WSREC.\n       PROCEDURE DIVISION.\n"
        "       MAIN-PARA.\n           MOVE 1 TO WS-A\n           GOBACK.\n")
    (repo / "lib/WSREC.txt").write_text("       01 WS-A PIC 9.\n")
    result = run("scan", repo, "--format", "json")
    assert json.loads(result.stdout)["total"]["copybooks_missing"] == ["WSREC"]
    (repo / "lib/WSREC.cpy").write_text("       01 WS-A PIC 9.\n")
    (repo / "logicmine.toml").write_text('copybook_paths = ["lib"]\n')
    result = run("scan", repo, "--format", "json")
    assert json.loads(result.stdout)["total"]["copybooks_missing"] == []


def test_bad_config_is_a_usage_error(tmp_path):
    (tmp_path / "logicmine.toml").write_text("copybok_paths = []\n")
    result = CliRunner().invoke(main, ["scan", str(tmp_path)])
    assert result.exit_code == 2
    assert "copybok_paths" in result.output and "copybook_paths" in result.output


def test_broken_file_is_reported_and_the_run_goes_on(tmp_path):
    (tmp_path / "GOOD.cbl").write_text(
        "       IDENTIFICATION DIVISION.\n       PROGRAM-ID. GOOD.\n"
        "       PROCEDURE DIVISION.\n           GOBACK.\n")
    (tmp_path / "BAD.cbl").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    out = tmp_path / "out"
    result = run("build", tmp_path, "-o", out)
    assert result.exit_code == 0
    assert "BAD.cbl" in result.output and "binary" in result.output
    assert (out / "programs").is_dir()
    strict = CliRunner().invoke(main, ["build", str(tmp_path), "-o", str(out), "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize("fmt", ["json"])
def test_failed_build_keeps_the_previous_site(tmp_path, monkeypatch, fmt):
    out = tmp_path / "site"
    assert run("build", SAMPLES, "-o", out).exit_code == 0
    before = (out / "index.html").read_bytes()

    def explode(*_args, **_kwargs):
        raise RuntimeError("renderer crashed half way")

    monkeypatch.setattr("logicmine.render.render_all", explode)
    with pytest.raises(RuntimeError):
        run("build", SAMPLES, "-o", out, "--full")
    assert (out / "index.html").read_bytes() == before
    assert not list(tmp_path.glob(".site.tmp-*"))


def test_json_logs_are_one_object_a_line():
    result = run("--log-format", "json", "scan", SAMPLES, "-v")
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert records and {"level", "logger", "message"} <= set(records[0])
    assert any(r["logger"].startswith("logicmine") for r in records)
