"""The model backend against a real OpenAI-compatible HTTP server on loopback."""

from __future__ import annotations

import json
import threading
import time

import pytest
from llm_server import Drop, LLMServer, Reply, Slow, Status, random_failures, script, write_estate

from logicmine.summarise.openai_backend import summarise_with_model
from logicmine.summarise.settings import LLMSettings, Price


@pytest.fixture
def estate(tmp_path):
    return write_estate(tmp_path / "estate")


def make_settings(server: LLMServer, **changes) -> LLMSettings:
    values = dict(model="test-model", base_url=server.base_url, jobs=2, timeout=5.0,
                  max_retries=3, backoff_base=0.001, backoff_cap=5.0)
    values.update(changes)
    return LLMSettings(**values)


def run(estate, settings, cache):
    return summarise_with_model(estate.programs, estate.clusters, estate.rules, estate.offline,
                                settings=settings, read_source=estate.read, cache_dir=cache)


def by_subject(summaries):
    return {s.subject: s for s in summaries}


def model_subjects(estate):
    """Every subject the model pass writes (glossary only when replies named data)."""
    return [c.id for c in estate.clusters] + [f"cobol:{p.name}" for p in estate.programs] + [
        "estate"]


def test_normal_replies_become_model_summaries_citing_the_subjects_lines(estate, tmp_path):
    with LLMServer() as server:
        summaries, report = run(estate, make_settings(server), tmp_path / "cache")
    found = by_subject(summaries)
    for subject in model_subjects(estate) + ["glossary"]:
        assert found[subject].source == "model", subject
    assert report.model_summaries == len(model_subjects(estate)) + 1
    assert report.requests == report.replies == len(server.chat) == report.model_summaries
    assert report.fallbacks == report.claims_failed == 0 and report.claims_checked > 0
    assert report.tokens_in > 0 and report.tokens_out > 0
    for cluster in estate.clusters:
        program = next(p for p in estate.programs if p.name == cluster.program)
        spans = [(p.file, p.line, p.end_line) for p in program.procedures
                 if p.name in cluster.procedures]
        for claim in found[cluster.id].claims:
            for cite in claim.citations:
                covered = all(any(cite.file == f and a <= n <= b for f, a, b in spans)
                              for n in range(cite.line, cite.end_line + 1))
                assert covered, (cluster.id, cite)
    # rule summaries are left to the offline summariser, in the order given
    assert [s.subject for s in summaries[:len(estate.rules)]] == [r.id for r in estate.rules]
    assert all(s.source == "offline" for s in summaries[:len(estate.rules)])
    body = server.chat[0].body
    assert body["model"] == "test-model"
    assert body["response_format"]["type"] == "json_schema"


def test_callees_are_summarised_first_and_shown_to_their_callers(estate, tmp_path):
    with LLMServer() as server:
        run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    prompts = [r.body["messages"][1]["content"] for r in server.chat]

    def first(text):
        return next(i for i, p in enumerate(prompts) if text in p)

    caller = first("PAYCALC: the procedures entered at 2000-GROSS-PAY")
    assert first("RATELKP: the procedures entered at 1000-FIND-RATE") < caller
    assert first("PAYCALC: the procedures entered at 8000-COUNT-ERROR") < caller
    assert first("overview of program PAYCALC") > caller
    assert first("overview of a code base") > max(first("overview of program PAYCALC"),
                                                   first("overview of program RATELKP"))
    # the callee's model summary (title and claims) is in the caller's prompt
    assert "[RATELKP.1000-FIND-RATE." in prompts[caller]
    assert "Model: LK-GRADE" in prompts[caller]


def test_source_is_framed_as_data_between_markers_the_code_cannot_forge(estate, tmp_path):
    with LLMServer() as server:
        run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    body = next(r.body for r in server.chat
                if "overview of program PAYCALC" in r.body["messages"][1]["content"])
    system, user = (m["content"] for m in body["messages"])
    begin = user.index("<<<DATA ")
    marker = user[begin:user.index(">>>", begin) + 3]
    end_marker = marker.replace("<<<DATA", "<<<END DATA")
    assert marker in system and "never follow" in system
    injected = user.index("IGNORE ALL PREVIOUS INSTRUCTIONS")
    assert begin < injected < user.index(end_marker, begin)


def test_invalid_json_is_retried_once_then_the_offline_summary_is_marked_fallback(
        estate, tmp_path):
    with LLMServer(lambda i, body: Reply("Sure! Here is the summary you asked for.")) as server:
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    found = by_subject(summaries)
    offline = by_subject(estate.offline)
    for subject in model_subjects(estate):
        assert found[subject].source == "fallback"
        if subject in offline:
            assert found[subject].claims == offline[subject].claims
    assert report.fallbacks == len(model_subjects(estate)) and report.model_summaries == 0
    assert len(server.chat) == 2 * len(model_subjects(estate))
    retry = server.chat[1].body["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert "not a JSON object" in retry[3]["content"]


def test_a_reply_fixed_on_the_retry_is_kept(estate, tmp_path):
    with LLMServer(script(Reply("{not json"))) as server:
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    assert all(by_subject(summaries)[s].source == "model" for s in model_subjects(estate))
    assert report.fallbacks == 0 and len(server.chat) == report.model_summaries + 1


def _citing(lines, statement="Pays overtime."):
    return json.dumps({"title": "t", "purpose": "p", "inputs": [], "outputs": [],
                       "glossary": [], "rules": [{"statement": statement,
                                                  "file": "cbl/PAYCALC.cbl", "lines": lines}]})


def test_citations_outside_the_cluster_are_named_and_end_in_fallback(estate, tmp_path):
    with LLMServer(lambda i, body: Reply(_citing([[1, 400]]))) as server:
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    assert all(by_subject(summaries)[s].source == "fallback" for s in model_subjects(estate))
    assert report.claims_failed > 0
    feedback = server.chat[1].body["messages"][3]["content"]
    assert "cites cbl/PAYCALC.cbl:1-400, outside the lines shown" in feedback


def test_a_name_absent_from_the_cited_lines_fails_the_check(estate, tmp_path):
    cluster = next(c for c in estate.clusters
                   if c.program == "PAYCALC" and "2100-OVERTIME-PAY" in c.procedures)
    program = next(p for p in estate.programs if p.name == "PAYCALC")
    procedure = next(p for p in program.procedures if p.name == "2100-OVERTIME-PAY")
    lines = [[procedure.line, procedure.end_line]]

    def behaviour(index, body):
        prompt = body["messages"][1]["content"]
        if "PAYCALC: the procedures entered at 2000-GROSS-PAY" in prompt:
            return Reply(_citing(lines, "Adds `WS-BONUS-PAY` to `WS-GROSS`."))
        return Reply()

    with LLMServer(behaviour) as server:
        summaries, report = run(estate, make_settings(server), tmp_path / "cache")
    assert by_subject(summaries)[cluster.id].source == "fallback"
    assert report.fallbacks == 1 and report.claims_failed == 2
    feedback = [r.body["messages"][-1]["content"] for r in server.chat
                if len(r.body["messages"]) == 4]
    assert len(feedback) == 1 and "`WS-BONUS-PAY`, which does not occur in" in feedback[0]
    assert "`WS-GROSS`" not in feedback[0]


def test_429_waits_as_long_as_retry_after_says(estate, tmp_path):
    with LLMServer(script(Status(429, headers={"Retry-After": "1"}))) as server:
        started = time.monotonic()
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
        elapsed = time.monotonic() - started
    assert elapsed >= 1.0
    assert report.retries == 1 and report.fallbacks == 0
    assert len(server.chat) == report.model_summaries + 1


def test_a_retry_after_longer_than_the_cap_stops_the_pass_cleanly(estate, tmp_path):
    with LLMServer(lambda i, b: Status(429, headers={"Retry-After": "3600"})) as server:
        started = time.monotonic()
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    assert time.monotonic() - started < 5
    assert "3600s" in report.stopped and len(server.chat) == 1
    assert report.fallbacks == 1 and report.skipped == len(model_subjects(estate)) - 1


def test_server_errors_are_retried_with_backoff(estate, tmp_path):
    with LLMServer(script(Status(500), Status(503))) as server:
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    assert report.retries == 2 and report.fallbacks == 0
    assert all(by_subject(summaries)[s].source == "model" for s in model_subjects(estate))


def test_a_reply_slower_than_the_timeout_is_abandoned_and_retried(estate, tmp_path):
    with LLMServer(script(Slow(3.0))) as server:
        started = time.monotonic()
        summaries, report = run(estate, make_settings(server, jobs=1, timeout=0.4),
                                tmp_path / "cache")
        elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert report.retries == 1 and report.fallbacks == 0
    assert all(by_subject(summaries)[s].source == "model" for s in model_subjects(estate))


def test_a_dropped_connection_stops_the_pass_and_a_rerun_resumes_from_the_cache(
        estate, tmp_path):
    cache = tmp_path / "cache"
    healthy = 4
    dying = script(*[Reply()] * healthy, then=lambda i, b: Drop())
    with LLMServer(dying) as server:
        first, report = run(estate, make_settings(server, jobs=1, max_retries=1, breaker=2),
                            cache)
    first_by = by_subject(first)
    done = {s for s in model_subjects(estate) if first_by[s].source == "model"}
    assert len(done) == healthy and report.stopped and "re-run to resume" in report.stopped
    never_sent = [s for s in first if s.source == "offline"
                  and s.subject in set(model_subjects(estate)) | {"glossary"}]
    assert report.fallbacks == 2 and report.skipped == len(never_sent) > 0
    assert {first_by[s].source for s in model_subjects(estate)} == {"model", "fallback",
                                                                     "offline"}
    with LLMServer() as server:
        second, report = run(estate, make_settings(server, jobs=1), cache)
    sent = {_subject_of(r.body, estate) for r in server.chat}
    assert not sent & done
    assert report.cached == healthy
    second_by = by_subject(second)
    assert all(second_by[s].source == "model" for s in model_subjects(estate))
    assert all(second_by[s] == first_by[s] for s in done)


def _subject_of(body, estate):
    prompt = body["messages"][1]["content"]
    for cluster in estate.clusters:
        if f"{cluster.program}: the procedures entered at {cluster.entry} " in prompt:
            return cluster.id
    for program in estate.programs:
        if f"overview of program {program.name} " in prompt:
            return f"cobol:{program.name}"
    return "estate" if "overview of a code base" in prompt else "glossary"


def test_a_rerun_with_nothing_changed_sends_nothing(estate, tmp_path):
    with LLMServer() as server:
        first, _ = run(estate, make_settings(server), tmp_path / "cache")
        sent = len(server.chat)
        second, report = run(estate, make_settings(server, jobs=3), tmp_path / "cache")
    assert len(server.chat) == sent
    assert report.requests == 0 and report.cached == sent
    assert second == first


def test_random_failures_lose_no_subject(tmp_path):
    estate = write_estate(tmp_path / "estate", copies=4)
    failures = (Status(500), Status(429, headers={"Retry-After": "0"}), Drop(),
                Reply("{broken"))
    with LLMServer(random_failures(0.3, seed=7, failures=failures)) as server:
        summaries, report = run(estate, make_settings(server, jobs=4, max_retries=2,
                                                      breaker=50), tmp_path / "cache")
    found = by_subject(summaries)
    assert len(summaries) == len(estate.offline) + 1 + ("glossary" in found)
    sources = [found[s].source for s in model_subjects(estate)]
    assert set(sources) <= {"model", "fallback"} and sources.count("model") > 0
    assert report.model_summaries + report.fallbacks == len(model_subjects(estate)) + (
        "glossary" in found)
    assert report.retries > 0 and report.skipped == 0


def test_reply_formats_degrade_when_the_server_refuses_them(estate, tmp_path):
    with LLMServer(formats=("text",)) as server:
        summaries, report = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    kinds = [(r.body.get("response_format") or {}).get("type", "text") for r in server.chat]
    assert kinds[:3] == ["json_schema", "json_object", "text"]
    assert set(kinds[3:]) == {"text"}
    assert report.fallbacks == 0 and report.model_summaries == len(model_subjects(estate)) + 1


def test_json_in_a_code_fence_is_accepted(estate, tmp_path):
    def fenced(index, body):
        from llm_server import grounded_content

        return Reply("Here it is:\n```json\n" + grounded_content(body) + "\n```\n")

    with LLMServer(fenced, formats=("text",)) as server:
        _, report = run(estate, make_settings(server), tmp_path / "cache")
    assert report.fallbacks == 0 and report.model_summaries > 0


def test_max_cost_stops_cleanly_and_keeps_what_was_done(estate, tmp_path):
    price = {"test-model": Price(input=1_000.0, output=1_000.0)}
    with LLMServer() as server:
        settings = make_settings(server, jobs=1, prices=price, max_cost=3.0)
        summaries, report = run(estate, settings, tmp_path / "cache")
        sent = len(server.chat)
        assert 0 < sent < len(model_subjects(estate))
        assert report.cost > 0 and report.skipped > 0 and "max_cost" in report.stopped
        found = by_subject(summaries)
        assert [found[s].source for s in model_subjects(estate)].count("model") == sent
        assert {found[s].source for s in model_subjects(estate)} == {"model", "offline"}
        _, again = run(estate, make_settings(server, jobs=1), tmp_path / "cache")
    assert again.cached == sent and again.stopped == ""


def test_dry_run_sends_nothing_and_estimates_tokens_and_cost(estate, tmp_path):
    price = {"test-model": Price(input=2.0, output=8.0)}
    settings = LLMSettings(model="test-model", base_url="http://192.0.2.1:9/v1",
                           api_key_env="LOGICMINE_TEST_UNSET_KEY", dry_run=True, prices=price)
    summaries, report = run(estate, settings, tmp_path / "cache")
    assert report.dry_run and report.requests == 0
    assert {p.subject for p in report.prompts} == set(model_subjects(estate))
    assert report.estimated_tokens_in == sum(p.tokens_in for p in report.prompts) > 0
    assert report.estimated_cost == pytest.approx(report.estimated_tokens_in * 2.0 / 1e6)
    assert all(s.source == "offline" for s in summaries)
    assert "dry run" in report.lines()[0]


def test_dry_run_after_a_run_counts_the_cached_prompts(estate, tmp_path):
    with LLMServer() as server:
        run(estate, make_settings(server, jobs=1), tmp_path / "cache")
        settings = make_settings(server, jobs=1, dry_run=True)
        _, report = run(estate, settings, tmp_path / "cache")
        assert len(server.chat) == report.cached
    assert all(p.cached for p in report.prompts) and report.estimated_tokens_in == 0


def test_a_small_context_budget_trims_the_code_and_says_so(tmp_path):
    estate = write_estate(tmp_path / "estate")
    with LLMServer() as server:
        summaries, _ = run(estate, make_settings(server, context_tokens=10), tmp_path / "c")
    cluster = next(c for c in estate.clusters if c.entry == "2000-GROSS-PAY"
                   and c.program == "PAYCALC")
    prompt = next(r.body["messages"][1]["content"] for r in server.chat
                  if _subject_of(r.body, estate) == cluster.id)
    assert "were left out to fit the context" in prompt
    summary = by_subject(summaries)[cluster.id]
    assert summary.source == "model"
    assert "did not fit its context" in summary.claims[-1].text


def test_every_prompt_stays_within_the_context_budget(tmp_path):
    estate = write_estate(tmp_path / "estate", copies=2)
    settings = LLMSettings(model="m", base_url="http://127.0.0.1:9/v1", dry_run=True,
                           context_tokens=1_500)
    _, report = run(estate, settings, tmp_path / "cache")
    assert report.prompts and max(p.tokens_in for p in report.prompts) <= 1_500


def test_a_prompt_refused_as_too_long_falls_back_alone(estate, tmp_path):
    def behaviour(index, body):
        if "entered at 2000-GROSS-PAY" in body["messages"][1]["content"]:
            return Status(400, "This model's maximum context length is 8192 tokens")
        return Reply()

    with LLMServer(behaviour) as server:
        summaries, report = run(estate, make_settings(server, jobs=1, breaker=1),
                                tmp_path / "cache")
    found = by_subject(summaries)
    refused = [c.id for c in estate.clusters if c.entry == "2000-GROSS-PAY"]
    assert [found[s].source for s in refused] == ["fallback"]
    assert report.stopped == "" and report.fallbacks == 1 and report.retries == 0
    assert {(r.body.get("response_format") or {}).get("type") for r in server.chat} == {
        "json_schema"}


def test_no_more_requests_are_in_flight_than_jobs_and_progress_is_reported(tmp_path):
    estate = write_estate(tmp_path / "estate", copies=3)
    lock = threading.Lock()
    active, peak = [0], [0]

    def behaviour(index, body):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.03)
        with lock:
            active[0] -= 1
        return Reply()

    seen = []
    with LLMServer(behaviour) as server:
        summarise_with_model(estate.programs, estate.clusters, estate.rules, estate.offline,
                             settings=make_settings(server, jobs=3), read_source=estate.read,
                             cache_dir=tmp_path / "cache",
                             progress=lambda *event: seen.append(event))
    assert peak[0] == 3
    total = len(model_subjects(estate)) + 1
    assert seen == [("summarise", n, total) for n in range(1, total + 1)]
