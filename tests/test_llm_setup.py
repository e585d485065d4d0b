"""Starting the model backend: keys, the preflight, prompt overrides, Azure, and key safety."""

from __future__ import annotations

import logging
import socket

import pytest
from llm_server import LLMServer, Reply, Status, script, write_estate

from logicmine.summarise.openai_backend import open_client, summarise_with_model
from logicmine.summarise.settings import BackendError, LLMSettings

SECRET = "sk-lm-TEST-7f3a9c-DISTINCTIVE-d41d8cd98f"


@pytest.fixture
def estate(tmp_path):
    return write_estate(tmp_path / "estate")


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    monkeypatch.delenv("LOGICMINE_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def settings_for(url: str, **changes) -> LLMSettings:
    values = dict(model="test-model", base_url=url, timeout=2.0, backoff_base=0.001,
                  max_retries=2)
    values.update(changes)
    return LLMSettings(**values)


def run(estate, settings, cache):
    return summarise_with_model(estate.programs, estate.clusters, estate.rules, estate.offline,
                                settings=settings, read_source=estate.read, cache_dir=cache)


def test_a_remote_server_without_a_key_says_which_variable_to_set():
    with pytest.raises(BackendError) as error:
        open_client(settings_for("https://llm.example.invalid/v1"))
    assert "LOGICMINE_API_KEY" in str(error.value) and "OPENAI_API_KEY" in str(error.value)
    assert error.value.exit_code == 2


def test_a_local_server_may_go_without_a_key():
    with LLMServer() as server:
        client = open_client(settings_for(server.base_url))
    assert "placeholder" in client.key_source
    assert server.requests[0].headers["authorization"] == "Bearer no-key-needed"


def test_the_key_comes_from_openai_api_key_when_logicmine_api_key_is_unset(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with LLMServer(key=SECRET) as server:
        client = open_client(settings_for(server.base_url))
    assert client.key_source == "$OPENAI_API_KEY"


def test_a_named_variable_wins_over_the_defaults(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-one")
    monkeypatch.setenv("MY_TEAM_KEY", SECRET)
    with LLMServer(key=SECRET) as server:
        client = open_client(settings_for(server.base_url, api_key_env="MY_TEAM_KEY"))
    assert client.key_source == "$MY_TEAM_KEY"


def test_a_refused_key_stops_before_any_work_and_the_message_hides_it(monkeypatch, estate,
                                                                      tmp_path):
    monkeypatch.setenv("LOGICMINE_API_KEY", SECRET)
    with LLMServer(key="sk-the-right-one") as server:
        with pytest.raises(BackendError) as error:
            run(estate, settings_for(server.base_url), tmp_path / "cache")
    message = str(error.value)
    assert "refused the API key from $LOGICMINE_API_KEY (HTTP 401)" in message
    assert "set LOGICMINE_API_KEY" in message and SECRET not in message
    assert server.chat == [] and not (tmp_path / "cache").exists()


def test_an_unreachable_server_is_reported_before_any_work(estate, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(BackendError) as error:
        run(estate, settings_for(f"http://127.0.0.1:{port}/v1"), tmp_path / "cache")
    assert "cannot reach the model server at http://127.0.0.1:" in str(error.value)
    assert "--base-url" in str(error.value)


def test_a_missing_model_name_is_reported():
    with pytest.raises(BackendError, match="set --model"):
        open_client(settings_for("http://127.0.0.1:9/v1", model=""))


def test_a_server_without_models_listing_is_checked_with_a_one_token_request():
    with LLMServer(models_status=404) as server:
        open_client(settings_for(server.base_url))
    assert len(server.chat) == 1 and server.chat[0].body["max_tokens"] == 1


def test_an_unknown_model_is_reported_by_the_preflight():
    with LLMServer(script(Status(404, "model not found")), models_status=404) as server:
        with pytest.raises(BackendError, match="does not know model 'test-model'"):
            open_client(settings_for(server.base_url))


def test_azure_openai_uses_the_deployment_path_api_version_and_api_key_header(monkeypatch):
    monkeypatch.setenv("LOGICMINE_API_KEY", SECRET)
    with LLMServer() as server:
        root = server.base_url.removesuffix("/v1")
        settings = settings_for(root, model="my-deployment", api_version="2024-10-21")
        client = open_client(settings)
        from logicmine.summarise.settings import Tally

        client.complete([{"role": "user", "content": "JSON please"}], Tally())
    post = server.chat[-1]
    assert post.path == "/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21"
    assert post.headers["api-key"] == SECRET


# ---------------------------------------------------------------- prompt overrides


def test_an_override_template_is_used_and_its_change_resends_only_its_prompts(estate,
                                                                               tmp_path):
    folder = tmp_path / "prompts"
    folder.mkdir()
    packaged = (__import__("logicmine.resources", fromlist=["x"])
                .read_text("prompts", "cluster.user.j2"))
    override = folder / "cluster.user.j2"
    override.write_text("HOUSE STYLE A\n" + packaged, encoding="utf-8")
    with LLMServer() as server:
        run(estate, settings_for(server.base_url, prompts_dir=str(folder)), tmp_path / "c")
        clusters = [r for r in server.chat if "HOUSE STYLE A" in r.body["messages"][1]["content"]]
        assert len(clusters) == len(estate.clusters)
        before = len(server.chat)
        override.write_text("HOUSE STYLE B\n" + packaged, encoding="utf-8")
        _, report = run(estate, settings_for(server.base_url, prompts_dir=str(folder)),
                        tmp_path / "c")
    resent = server.chat[before:]
    assert len(resent) == len(estate.clusters) == report.requests
    assert all("HOUSE STYLE B" in r.body["messages"][1]["content"] for r in resent)


@pytest.mark.parametrize("text, expected", [
    ("{{ no_such_variable }}", "'no_such_variable' is undefined"),
    ("{% for x in %}", "cluster.user.j2, line 1"),
])
def test_a_broken_override_fails_before_any_request(estate, tmp_path, text, expected):
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "cluster.user.j2").write_text(text, encoding="utf-8")
    with LLMServer() as server:
        with pytest.raises(BackendError, match=expected):
            run(estate, settings_for(server.base_url, prompts_dir=str(folder)), tmp_path / "c")
    assert server.chat == []


def test_a_prompts_dir_that_is_not_a_folder_is_reported(estate, tmp_path):
    settings = settings_for("http://127.0.0.1:9/v1", prompts_dir=str(tmp_path / "nope"),
                            dry_run=True)
    with pytest.raises(BackendError, match="is not a folder"):
        run(estate, settings, tmp_path / "c")


# ---------------------------------------------------------------- the key never leaks


def test_the_api_key_reaches_no_log_cache_output_prompt_or_error(monkeypatch, estate, tmp_path,
                                                                 caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("LOGICMINE_API_KEY", SECRET)
    failing = script(Status(500, f"upstream said {SECRET}"), Reply("not json at all"),
                     Reply("still not json"), Status(429, headers={"Retry-After": "0"}))
    with LLMServer(failing, key=SECRET) as server:
        summaries, report = run(estate, settings_for(server.base_url, jobs=1),
                                tmp_path / "cache")
        with pytest.raises(BackendError) as refused:
            run(estate, settings_for(server.base_url, api_key_env="OTHER_KEY_VAR"),
                tmp_path / "cache2")
    assert report.fallbacks >= 1 and report.retries >= 2  # the failure paths were taken
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"  # it was used
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any("cache" in p.parts for p in written)
    for path in written:
        assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    assert SECRET not in caplog.text and "upstream said ***" in caplog.text
    assert SECRET not in repr(summaries) + repr(report) + str(refused.value)
    for request in server.chat:
        assert SECRET not in repr(request.body)
