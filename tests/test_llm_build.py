"""`logicmine build --backend openai` end to end, against a real loopback server."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from llm_server import LLMServer, Status, script

from logicmine.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cobol"
KEY = "sk-test-7f3c9a-do-not-leak"


def build(server: LLMServer, out: Path, *extra: str):
    args = ["build", str(SAMPLES), "-o", str(out), "--backend", "openai", "--model",
            "test-model", "--base-url", server.base_url, "--llm-timeout", "5",
            "--summary-json", str(out.parent / "summary.json"), *extra]
    return CliRunner().invoke(main, args, env={"LOGICMINE_API_KEY": KEY},
                              catch_exceptions=False)


def test_model_summaries_reach_the_site_and_a_rerun_sends_nothing(tmp_path):
    out = tmp_path / "site"
    with LLMServer(key=KEY) as server:
        result = build(server, out)
        assert result.exit_code == 0, result.output
        sent = len(server.chat)
        assert sent > 0
        summary = json.loads((tmp_path / "summary.json").read_text())
        assert summary["llm"]["requests"] >= sent - summary["llm"].get("retries", 0)
        assert build(server, out, "--full").exit_code == 0
        assert len(server.chat) == sent, "an unchanged estate is never sent twice"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not [p for p in written if KEY in p.read_text(errors="ignore")], "the key leaked"


def test_a_missing_key_fails_before_any_work(tmp_path):
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(SAMPLES), "-o", str(out), "--backend",
                                       "openai", "--model", "m", "--base-url",
                                       "https://api.example.invalid/v1"],
                                env={"LOGICMINE_API_KEY": "", "OPENAI_API_KEY": ""})
    assert result.exit_code != 0
    assert "LOGICMINE_API_KEY" in result.output
    assert not out.exists()


def test_server_failures_end_in_fallback_summaries_and_a_complete_site(tmp_path):
    out = tmp_path / "site"
    with LLMServer(script(*[Status(500)] * 400), key=KEY) as server:
        result = build(server, out, "--llm-jobs", "2")
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file()
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["llm"]["fallbacks"] + summary["llm"].get("skipped", 0) > 0
