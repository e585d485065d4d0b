"""Pieces of the model backend on their own: grounding, replies, retries, cache, order, prompts."""

from __future__ import annotations

import threading
import time

import pytest
from llm_server import write_estate

from logicmine.model import Cluster, Procedure, Program, Reference, Span
from logicmine.summarise.cache import CachedReply, ReplyCache, cache_key
from logicmine.summarise.client import ModelClient, retry_after
from logicmine.summarise.grounding import (
    Grounder,
    Scope,
    SourceLines,
    check_glossary_reply,
    check_summary_reply,
    occurs,
    quoted_items,
    resolve_file,
)
from logicmine.summarise.order import dependencies, run_in_order
from logicmine.summarise.prompts import SAMPLES, PromptSet
from logicmine.summarise.reply import ReplyError, normalise_lines, parse_reply
from logicmine.summarise.settings import (
    BackendError,
    LLMSettings,
    Price,
    is_loopback,
    parse_prices,
    redact,
    resolve_api_key,
)
from logicmine.summarise.tasks import PromptBuilder

# ---------------------------------------------------------------- grounding


def test_quoted_items_are_backticks_quotes_and_cobol_data_names():
    sentence = ("When `WS-STATUS = 'C'` the account's fee is \"waived\"; ACCT-BAL drops "
                "by 'X' in WORKING-STORAGE after END-IF.")
    assert quoted_items(sentence) == ["WS-STATUS = 'C'", "waived", "X", "ACCT-BAL"]


def test_occurs_takes_phrases_or_whole_words_across_lines():
    text = "       COMPUTE WS-GROSS ROUNDED =\n000123     WS-HOURS * WS-RATE."
    assert occurs("compute ws-gross rounded", text)
    assert occurs("WS-GROSS = WS-HOURS * WS-RATE", text)
    assert not occurs("WS-RATE-TABLE", text)
    assert not occurs("WS-GROSS-PAY", text)
    assert not occurs("...", text)


def test_scope_merges_adjacent_spans_and_refuses_lines_outside():
    scope = Scope((Span("a.cbl", 10, 20), Span("a.cbl", 21, 30), Span("b.cpy", 1, 5)))
    assert scope.contains(Span("a.cbl", 15, 25))
    assert not scope.contains(Span("a.cbl", 25, 31))
    assert not scope.contains(Span("c.cbl", 1, 1))
    assert scope.describe() == "a.cbl:10-30, b.cpy:1-5"


def test_a_reply_may_name_a_file_by_its_base_name_when_unambiguous():
    files = ["src/a/PAY.cbl", "src/b/RATE.cbl"]
    assert resolve_file("PAY.cbl", files) == "src/a/PAY.cbl"
    assert resolve_file("", files) is None
    assert resolve_file("", files[:1]) == files[0]
    assert resolve_file("other/PAY.CBL", files + ["src/c/PAY.cbl"]) is None


def _grounder(text: str, scope: tuple[Span, ...]) -> Grounder:
    source = SourceLines({"p.cbl": text}.__getitem__)
    return Grounder(Scope(scope), source, scope)


PROGRAM_TEXT = "\n".join([
    "       2000-PAY.",
    "           IF WS-HOURS > 40",
    "               PERFORM 2100-OVERTIME",
    "           END-IF.",
    "       2100-OVERTIME.",
    "           COMPUTE WS-GROSS = WS-HOURS * 1.5.",
])


def test_a_claim_quoting_what_its_lines_hold_passes():
    reply = parse_reply('{"title": "Pay", "purpose": "Pays `WS-GROSS`.", "rules": ['
                        '{"statement": "Over 40 hours (`WS-HOURS > 40`) pays overtime.",'
                        ' "file": "p.cbl", "lines": [[2, 3]]}], "inputs": ["WS-HOURS"],'
                        ' "outputs": ["WS-GROSS"], "glossary": [{"term": "WS-GROSS",'
                        ' "meaning": "gross pay"}, {"term": "WS-NET", "meaning": "net"}]}')
    verdict = check_summary_reply(reply, _grounder(PROGRAM_TEXT, (Span("p.cbl", 1, 6),)))
    assert verdict.failures == [] and verdict.checked == 4
    assert [c.citations for c in verdict.claims][1] == (Span("p.cbl", 2, 3),)
    assert verdict.terms == [("WS-GROSS", "gross pay")]  # WS-NET is not in the code


def test_a_claim_quoting_what_its_lines_do_not_hold_fails_with_the_reason():
    reply = parse_reply('{"purpose": "Pays.", "rules": [{"statement": "Sets `WS-GROSS` from'
                        ' WS-RATE.", "file": "p.cbl", "lines": [[2, 3]]},'
                        '{"statement": "Ends.", "file": "p.cbl", "lines": [[5, 9]]}]}')
    verdict = check_summary_reply(reply, _grounder(PROGRAM_TEXT, (Span("p.cbl", 1, 6),)))
    assert verdict.failed == 2
    assert verdict.failures == [
        "rule 1 quotes `WS-GROSS`, which does not occur in p.cbl:2-3",
        "rule 1 quotes `WS-RATE`, which does not occur in p.cbl:2-3",
        "rule 2 cites p.cbl:5-9, outside the lines shown (p.cbl:1-6)"]


def test_an_empty_reply_and_uncited_rules_fail():
    grounder = _grounder(PROGRAM_TEXT, (Span("p.cbl", 1, 6),))
    assert check_summary_reply(parse_reply("{}"), grounder).failures
    verdict = check_summary_reply(parse_reply(
        '{"purpose": "x", "rules": [{"statement": "y", "file": "p.cbl", "lines": []}]}'), grounder)
    assert verdict.failures == ["rule 1 cites no lines"]


def test_glossary_entries_must_cite_their_definition():
    text = "       01  WS-GROSS   PIC 9(5)V99.\n       01  WS-HOURS   PIC 9(3)."
    grounder = _grounder(text, (Span("p.cbl", 1, 1), Span("p.cbl", 2, 2)))
    reply = parse_reply('{"glossary": [{"term": "WS-GROSS", "meaning": "pay before tax",'
                        ' "file": "p.cbl", "lines": [1]}, {"term": "WS-HOURS", "meaning":'
                        ' "hours", "file": "p.cbl", "lines": [1]}]}')
    verdict = check_glossary_reply(reply, grounder)
    assert verdict.claims[0].text == "`WS-GROSS`: pay before tax"
    assert verdict.failures == [
        "glossary entry 2 quotes `WS-HOURS`, which does not occur in p.cbl:1-1"]


# ---------------------------------------------------------------- replies


@pytest.mark.parametrize("value, expected", [
    ([[3, 5], [9, 9]], [(3, 5), (9, 9)]),
    ([3, 5], [(3, 5)]),
    (7, [(7, 7)]),
    ("10-12", [(10, 12)]),
    ([[4]], [(4, 4)]),
    (None, []),
])
def test_line_ranges_are_read_in_the_shapes_models_write(value, expected):
    assert normalise_lines(value) == expected


@pytest.mark.parametrize("value", [[[5, 3]], [[0, 2]], "x", [[1, 2, 3]], [True, 2]])
def test_impossible_line_ranges_are_refused(value):
    with pytest.raises(ValueError):
        normalise_lines(value)


def test_replies_are_parsed_from_fences_and_refused_with_a_reason():
    assert parse_reply('Sure:\n```json\n{"title": "T"}\n```').title == "T"
    with pytest.raises(ReplyError, match="not a JSON object"):
        parse_reply("I cannot help with that.")
    with pytest.raises(ReplyError, match="must be one JSON object"):
        parse_reply("[1, 2]")
    with pytest.raises(ReplyError, match=r"rules\.0\.lines"):
        parse_reply('{"rules": [{"statement": "s", "lines": [[9, 1]]}]}')
    with pytest.raises(ReplyError, match="title"):
        parse_reply('{"title": "' + "x" * 500 + '"}')


# ---------------------------------------------------------------- retries


def test_retry_after_reads_seconds_milliseconds_and_dates():
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 < retry_after({"retry-after": later}) <= 30
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_backoff_doubles_with_jitter_and_is_capped():
    settings = LLMSettings(model="m", base_url="http://127.0.0.1:9/v1", backoff_base=1.0,
                           backoff_cap=5.0)
    low = ModelClient(settings, rng=lambda: 0.0)
    high = ModelClient(settings, rng=lambda: 1.0)
    assert [low._backoff(n) for n in range(4)] == [0.5, 1.0, 2.0, 2.5]
    assert [high._backoff(n) for n in range(4)] == [1.0, 2.0, 4.0, 5.0]


# ---------------------------------------------------------------- cache


def test_the_cache_key_covers_template_model_and_messages(tmp_path):
    messages = [{"role": "user", "content": "x"}]
    key = cache_key("t1", "m", messages)
    assert len(key) == 64 and key == cache_key("t1", "m", [dict(messages[0])])
    assert len({key, cache_key("t2", "m", messages), cache_key("t1", "m2", messages),
                cache_key("t1", "m", [{"role": "user", "content": "y"}])}) == 4


def test_the_cache_round_trips_and_ignores_damaged_entries(tmp_path, caplog):
    cache = ReplyCache(tmp_path)
    key = cache_key("t", "m", [])
    assert cache.get(key) is None
    cache.put(key, CachedReply("reply", 10, 2))
    assert cache.get(key) == CachedReply("reply", 10, 2)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.json"]
    (tmp_path / key[:2] / f"{key}.json").write_text("{trunc", encoding="utf-8")
    assert cache.get(key) is None and "unreadable cache entry" in caplog.text


# ---------------------------------------------------------------- order


def _program(name: str, procs: list[str], refs: list[tuple[str, str, str]]) -> Program:
    procedures = tuple(Procedure(f"cobol:{name}:{p}", name, p, "paragraph", f"{name}.cbl",
                                 i * 10 + 1, i * 10 + 9) for i, p in enumerate(procs))
    references = tuple(Reference(kind, name, proc, target, f"{name}.cbl", 1)
                       for kind, proc, target in refs)
    return Program(name, f"{name}.cbl", 1, 100, procedures=procedures, references=references)


def test_cycles_between_programs_are_broken_the_same_way_every_time():
    menu = _program("MENU", ["M0", "M1"], [("performs", "M0", "M1"), ("xctls", "M1", "SCREEN"),
                                           ("links", "M1", "AUDIT")])
    screen = _program("SCREEN", ["S0"], [("xctls", "S0", "MENU")])
    audit = _program("AUDIT", ["A0"], [])
    clusters = [Cluster("MENU.M0", "MENU", "M0", ("M0",)),
                Cluster("MENU.M1", "MENU", "M1", ("M1",)),
                Cluster("SCREEN.S0", "SCREEN", "S0", ("S0",)),
                Cluster("AUDIT.A0", "AUDIT", "A0", ("A0",))]
    deps = dependencies([menu, screen, audit], clusters, glossary=False)
    # MENU and SCREEN transfer to each other: one cycle, no edge kept inside it
    assert deps["MENU.M0"] == [] and deps["SCREEN.S0"] == []
    assert deps["MENU.M1"] == ["AUDIT.A0"]
    assert deps["cobol:MENU"] == ["MENU.M0", "MENU.M1"]
    assert deps["estate"] == ["cobol:MENU", "cobol:SCREEN", "cobol:AUDIT"]
    assert "glossary" not in deps
    assert dependencies([menu, screen, audit], clusters, glossary=False) == deps


def test_calls_to_an_entry_point_wait_for_the_program_that_holds_it():
    caller = _program("CALLER", ["C0"], [("calls", "C0", "ALTENTRY")])
    callee = Program("CALLEE", "CALLEE.cbl", 1, 50, entry_points=("ALTENTRY",),
                     procedures=_program("CALLEE", ["E0"], []).procedures)
    clusters = [Cluster("CALLER.C0", "CALLER", "C0", ("C0",)),
                Cluster("CALLEE.E0", "CALLEE", "E0", ("E0",))]
    assert dependencies([caller, callee], clusters, glossary=True)["CALLER.C0"] == ["CALLEE.E0"]


def test_run_in_order_starts_nothing_before_what_it_waits_for():
    deps = {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]}
    finished: list[str] = []
    lock = threading.Lock()

    def work(subject):
        with lock:
            assert all(d in finished for d in deps[subject]), subject
        time.sleep(0.01)
        with lock:
            finished.append(subject)
        return subject.upper()

    seen = []
    results = run_in_order(deps, work, 4, lambda s, r: seen.append(s))
    assert results == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert seen[0] == "a" and seen[-1] == "d"


# ---------------------------------------------------------------- settings


def test_prices_are_read_per_model_or_for_the_model_in_use():
    assert parse_prices("0.15/0.60", "mini") == {"mini": Price(0.15, 0.60)}
    assert parse_prices("a=1/2, b=3/4") == {"a": Price(1, 2), "b": Price(3, 4)}
    assert Price(2.0, 8.0).cost(1_000_000, 500_000) == 6.0
    with pytest.raises(BackendError, match="IN/OUT"):
        parse_prices("cheap")


def test_settings_come_from_config_and_flags():
    from logicmine.config import Config

    config = Config(root=__import__("pathlib").Path("/"), backend="openai", model="m1",
                    base_url="http://localhost:11434/v1", prompts_dir="p")
    settings = LLMSettings.from_config(config, jobs=8, model=None, prices="0.5/1")
    assert (settings.model, settings.jobs, settings.prompts_dir) == ("m1", 8, "p")
    assert settings.price() == Price(0.5, 1.0)


def test_loopback_hosts_are_recognised():
    assert is_loopback("http://localhost:11434/v1") and is_loopback("http://127.0.0.5:8000")
    assert is_loopback("http://[::1]:8080/v1")
    assert not is_loopback("https://api.openai.com/v1") and not is_loopback("http://10.0.0.2")


def test_keys_come_from_the_named_variable_then_openai_api_key():
    settings = LLMSettings(model="m", base_url="https://api.example.com/v1")
    assert resolve_api_key(settings, {"LOGICMINE_API_KEY": "k1", "OPENAI_API_KEY": "k2"}) == (
        "k1", "$LOGICMINE_API_KEY")
    assert resolve_api_key(settings, {"OPENAI_API_KEY": " k2 "}) == ("k2", "$OPENAI_API_KEY")
    with pytest.raises(BackendError):
        resolve_api_key(settings, {})
    assert redact("key sk-123456 here", "sk-123456") == "key *** here"


# ---------------------------------------------------------------- prompts


def test_sample_contexts_hold_exactly_the_variables_the_builder_gives(tmp_path):
    estate = write_estate(tmp_path)
    builder = PromptBuilder(estate.programs, estate.rules, SourceLines(estate.read), 16_000)
    summary = estate.offline[-1]
    prompts = {
        "cluster": builder.cluster(estate.clusters[0], [("x", summary)]),
        "program": builder.program(estate.programs[0], [("x", summary)]),
        "estate": builder.estate([("x", summary)]),
        "glossary": builder.glossary({"WS-GROSS": ["pay"]}),
    }
    for task, prompt in prompts.items():
        assert prompt is not None and set(prompt.context) == set(SAMPLES[task]), task
    PromptSet().check()


def test_templates_are_strict_about_unknown_variables():
    prompts = PromptSet()
    context = dict(SAMPLES["cluster"])
    del context["blocks"]
    with pytest.raises(BackendError, match="'blocks' is undefined"):
        prompts.messages("cluster", context)


def test_a_title_naming_what_the_code_lacks_fails_and_unknown_inputs_are_dropped():
    grounder = _grounder(PROGRAM_TEXT, (Span("p.cbl", 1, 6),))
    reply = parse_reply('{"title": "Sets `WS-BONUS`", "purpose": "Pays.", "inputs":'
                        ' ["WS-HOURS", "the timesheet"], "outputs": ["WS-NET"]}')
    verdict = check_summary_reply(reply, grounder)
    assert verdict.failures == [
        "the title quotes `WS-BONUS`, which does not occur in the lines shown"]
    assert [c.text for c in verdict.claims] == ["Pays.", "Inputs: `WS-HOURS`."]


def test_offline_runs_never_import_the_openai_package():
    import subprocess
    import sys

    code = ("import sys, logicmine.summarise, logicmine.summarise.offline; "
            "assert 'openai' not in sys.modules; "
            "from logicmine.summarise import summarise_with_model; "
            "assert 'openai' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
