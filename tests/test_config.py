"""Config: defaults, logicmine.toml layout, precedence, validation messages, secrets refused."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from logicmine.config import Config, load_config
from logicmine.errors import ConfigError, InputError

FULL_TOML = """\
copybook_paths = ["copybooks", "cpy"]
include = ["**/*"]
exclude = ["test/**"]
strict = true
max_file_bytes = 1000

[backend]
name = "openai"
model = "gpt-4o-mini"
base_url = "http://localhost:11434/v1"
api_key_env = "MY_KEY_VAR"

[parse]
jobs = 2
timeout = 12.5
source_format = "fixed"
"""


def write_toml(root: Path, text: str, name: str = "logicmine.toml") -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path, environ={})
    assert config == Config(root=tmp_path.absolute())
    assert config.config_file == ""
    assert config.backend == "offline"
    assert config.api_key_env == "LOGICMINE_API_KEY"


def test_full_file_layout_is_read(tmp_path: Path) -> None:
    path = write_toml(tmp_path, FULL_TOML)
    config = load_config(tmp_path, environ={})
    assert config.copybook_paths == ("copybooks", "cpy")
    assert config.include == ("**/*",)
    assert config.exclude == ("test/**",)
    assert config.strict is True
    assert config.max_file_bytes == 1000
    assert (config.backend, config.model) == ("openai", "gpt-4o-mini")
    assert config.base_url == "http://localhost:11434/v1"
    assert config.api_key_env == "MY_KEY_VAR"
    assert (config.jobs, config.parse_timeout, config.source_format) == (2, 12.5, "fixed")
    assert config.config_file == str(path)


def test_backend_keys_accepted_at_top_level(tmp_path: Path) -> None:
    write_toml(tmp_path, 'backend = "openai"\nmodel = "m1"\nbase_url = "http://x"\njobs = 3\n')
    config = load_config(tmp_path, environ={})
    assert (config.backend, config.model, config.base_url, config.jobs) == (
        "openai",
        "m1",
        "http://x",
        3,
    )


def test_explicit_config_file_is_used(tmp_path: Path) -> None:
    write_toml(tmp_path, 'model = "from-root"\n')
    other = write_toml(tmp_path, 'model = "from-explicit"\n', name="other.toml")
    config = load_config(tmp_path, config_file=other, environ={})
    assert config.model == "from-explicit"
    assert config.config_file == str(other)


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nothere.toml.*not found"):
        load_config(tmp_path, config_file=tmp_path / "nothere.toml", environ={})


def test_precedence_defaults_file_env_overrides(tmp_path: Path) -> None:
    write_toml(tmp_path, 'model = "file-model"\nbase_url = "http://file"\n[parse]\njobs = 2\n')
    environ = {"LOGICMINE_MODEL": "env-model", "LOGICMINE_JOBS": "5"}
    overrides = {"jobs": 7, "base_url": None, "strict": None}
    config = load_config(tmp_path, environ=environ, overrides=overrides)
    assert config.model == "env-model"  # env beats file
    assert config.jobs == 7  # flag beats env and file
    assert config.base_url == "http://file"  # None means "flag not given"
    assert config.strict is False  # default stays


def test_env_variables_are_read(tmp_path: Path) -> None:
    environ = {
        "LOGICMINE_BACKEND": "openai",
        "LOGICMINE_BASE_URL": "http://env",
        "LOGICMINE_COPYBOOK_PATHS": os.pathsep.join(["a", "b/c", ""]),
        "LOGICMINE_UNRELATED": "ignored",
    }
    config = load_config(tmp_path, environ=environ)
    assert config.backend == "openai"
    assert config.base_url == "http://env"
    assert config.copybook_paths == ("a", "b/c")


def test_empty_env_value_counts_as_unset(tmp_path: Path) -> None:
    write_toml(tmp_path, 'model = "file-model"\n')
    assert load_config(tmp_path, environ={"LOGICMINE_MODEL": ""}).model == "file-model"


def test_bad_env_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="LOGICMINE_JOBS.*whole number.*'many'"):
        load_config(tmp_path, environ={"LOGICMINE_JOBS": "many"})
    with pytest.raises(ConfigError, match="LOGICMINE_BACKEND.*'offline', 'openai'"):
        load_config(tmp_path, environ={"LOGICMINE_BACKEND": "claude"})


def test_unknown_key_names_file_key_and_suggestion(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'copybook_path = ["cpy"]\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    message = str(info.value)
    assert str(path) in message
    assert "'copybook_path'" in message
    assert "Did you mean 'copybook_paths'?" in message
    assert "exclude" in message and "include" in message  # known keys listed


def test_unknown_key_in_a_table_suggests_the_table_key(tmp_path: Path) -> None:
    write_toml(tmp_path, '[backend]\nmodle = "x"\n')
    with pytest.raises(ConfigError, match=r"'backend\.modle'.*Did you mean 'model'\?"):
        load_config(tmp_path, environ={})


def test_unknown_key_without_close_match_has_no_suggestion(tmp_path: Path) -> None:
    write_toml(tmp_path, "zzzz = 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    assert "Did you mean" not in str(info.value)
    assert "'zzzz'" in str(info.value)


@pytest.mark.parametrize(
    ("toml", "key", "expected"),
    [
        ('copybook_paths = "cpy"\n', "'copybook_paths'", "a list of strings"),
        ("include = [1, 2]\n", "'include'", "a list of strings"),
        ('[parse]\njobs = "two"\n', "'parse.jobs'", "a whole number >= 0"),
        ("[parse]\njobs = -1\n", "'parse.jobs'", "a whole number >= 0"),
        ("jobs = true\n", "'jobs'", "a whole number >= 0"),
        ('strict = "yes"\n', "'strict'", "true or false"),
        ("[parse]\ntimeout = 0\n", "'parse.timeout'", "a number of seconds > 0"),
        ('[parse]\nsource_format = "tab"\n', "'parse.source_format'", "'auto', 'fixed', 'free'"),
        ('[backend]\nname = "gpt"\n', "'backend.name'", "'offline', 'openai'"),
        ("model = 4\n", "'model'", "a string"),
        ('parse = "fast"\n', "'parse'", "a table"),
        ("max_file_bytes = 0\n", "'max_file_bytes'", "a whole number > 0"),
    ],
)
def test_wrong_types_name_file_key_and_expected_type(
    tmp_path: Path, toml: str, key: str, expected: str
) -> None:
    path = write_toml(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    message = str(info.value)
    assert str(path) in message
    assert key in message
    assert expected in message


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write_toml(tmp_path, 'model = "ok"\n\njobs = = 3\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    assert str(path) in str(info.value)
    assert "line 3" in str(info.value)


def test_non_utf8_config_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "logicmine.toml").write_bytes(b'model = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(tmp_path, environ={})


@pytest.mark.parametrize("toml", ['api_key = "sk-123"\n', '[backend]\napi_key = "sk-123"\n'])
def test_api_key_in_file_is_refused(tmp_path: Path, toml: str) -> None:
    write_toml(tmp_path, toml)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, environ={})
    message = str(info.value)
    assert "environment variable" in message and "LOGICMINE_API_KEY" in message
    assert "sk-123" not in message  # the secret is not echoed


def test_config_never_holds_the_key(tmp_path: Path) -> None:
    config = load_config(tmp_path, environ={"LOGICMINE_API_KEY": "sk-secret"})
    assert "sk-secret" not in repr(config)
    assert config.api_key({"LOGICMINE_API_KEY": "sk-secret"}) == "sk-secret"
    assert config.api_key({}) == ""


def test_unknown_override_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'colour'"):
        load_config(tmp_path, environ={}, overrides={"colour": "red"})


def test_override_types_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="option 'jobs'.*whole number"):
        load_config(tmp_path, environ={}, overrides={"jobs": "x"})
    config = load_config(tmp_path, environ={}, overrides={"copybook_paths": ["a", "b"]})
    assert config.copybook_paths == ("a", "b")


def test_root_must_be_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a directory"):
        load_config(tmp_path / "missing", environ={})


def test_resolve_path_and_copybook_dirs(tmp_path: Path) -> None:
    outside = tmp_path / "shared"
    config = Config(root=tmp_path / "repo", copybook_paths=("cpy", str(outside)))
    assert config.resolve_path("cpy") == tmp_path / "repo" / "cpy"
    assert config.resolve_path(outside) == outside
    assert config.copybook_dirs() == (tmp_path / "repo" / "cpy", outside)
    assert config.copybook_paths == ("cpy", str(outside))  # stored as given


def test_worker_count_uses_cores_when_jobs_is_zero(tmp_path: Path) -> None:
    assert Config(root=tmp_path, jobs=3).worker_count() == 3
    assert Config(root=tmp_path).worker_count() == (os.cpu_count() or 1)


def test_config_is_frozen(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.jobs = 3  # type: ignore[misc]
