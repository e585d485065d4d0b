"""Config: one frozen value built from logicmine.toml, LOGICMINE_* variables and CLI flags."""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from logicmine.errors import ConfigError, InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILENAME = "logicmine.toml"
BACKENDS = ("offline", "openai")
SOURCE_FORMATS = ("auto", "fixed", "free")


@dataclass(frozen=True, slots=True)
class Config:
    """Every setting of a run; secrets are never stored, only the name of their variable."""

    root: Path  # the repository analysed (absolute)
    copybook_paths: tuple[str, ...] = ()  # repo-relative or absolute, searched in order
    include: tuple[str, ...] = ()  # globs relative to root; empty = everything
    exclude: tuple[str, ...] = ()
    backend: str = "offline"  # "offline" | "openai"
    model: str = ""
    base_url: str = ""
    api_key_env: str = "LOGICMINE_API_KEY"  # name of the variable holding the key
    jobs: int = 0  # 0 = number of cores
    strict: bool = False
    parse_timeout: float = 30.0  # seconds per file
    source_format: str = "auto"  # auto | fixed | free
    prompts_dir: str = ""
    max_file_bytes: int = 50_000_000
    executor: str = "local"  # local | dask (a local cluster) | dask://HOST:PORT (a scheduler)
    config_file: str = ""  # the file the settings came from, for messages

    def resolve_path(self, p: str | Path) -> Path:
        """An absolute path: `p` itself when absolute, else `p` under root."""
        path = Path(p).expanduser()
        return path if path.is_absolute() else self.root / path

    def copybook_dirs(self) -> tuple[Path, ...]:
        """The copybook search directories as absolute paths, in search order."""
        return tuple(self.resolve_path(p) for p in self.copybook_paths)

    def worker_count(self) -> int:
        """Number of parallel workers: `jobs`, or the number of cores when it is 0."""
        return self.jobs or os.cpu_count() or 1

    def api_key(self, environ: Mapping[str, str] | None = None) -> str:
        """The API key read from the environment variable `api_key_env` ('' when unset)."""
        env = os.environ if environ is None else environ
        return env.get(self.api_key_env, "")


# ------------------------------------------------------------------ validation of one value


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError("a list of strings")


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("a string")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("true or false")


def _count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise TypeError("a whole number >= 0")


def _positive(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise TypeError("a whole number > 0")


def _seconds(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise TypeError("a number of seconds > 0")


def _choice(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if isinstance(value, str) and value in choices:
            return value
        raise TypeError("one of " + ", ".join(repr(c) for c in choices))

    return check


def _executor(value: Any) -> str:
    if isinstance(value, str) and (value in ("local", "dask") or value.startswith("dask://")):
        return value
    raise TypeError("'local', 'dask' or 'dask://HOST:PORT'")


_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "copybook_paths": _strings,
    "include": _strings,
    "exclude": _strings,
    "backend": _choice(*BACKENDS),
    "model": _string,
    "base_url": _string,
    "api_key_env": _string,
    "jobs": _count,
    "strict": _boolean,
    "parse_timeout": _seconds,
    "source_format": _choice(*SOURCE_FORMATS),
    "prompts_dir": _string,
    "max_file_bytes": _positive,
    "executor": _executor,
}


def _validate(field: str, value: Any, where: str) -> Any:
    """The checked value of one setting, or a ConfigError saying where and what was expected."""
    try:
        return _VALIDATORS[field](value)
    except TypeError as exc:
        raise ConfigError(f"{where}: expected {exc}, got {value!r}") from None


# ------------------------------------------------------------------ the TOML file

# TOML key -> Config field, per table; top-level keys may also be written without a table.
_TOP_KEYS = {
    "copybook_paths": "copybook_paths",
    "include": "include",
    "exclude": "exclude",
    "strict": "strict",
    "prompts_dir": "prompts_dir",
    "max_file_bytes": "max_file_bytes",
    "backend": "backend",
    "model": "model",
    "base_url": "base_url",
    "api_key_env": "api_key_env",
    "jobs": "jobs",
    "parse_timeout": "parse_timeout",
    "source_format": "source_format",
    "executor": "executor",
}
_TABLE_KEYS = {
    "backend": {
        "name": "backend",
        "model": "model",
        "base_url": "base_url",
        "api_key_env": "api_key_env",
    },
    "parse": {"jobs": "jobs", "timeout": "parse_timeout", "source_format": "source_format",
              "executor": "executor"},
}
_SECRET_KEYS = {"api_key", "apikey", "key", "token", "secret", "password", "openai_api_key"}


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; a syntax error names the file and the line."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file: {exc.strerror}") from None


def _unknown_key(path: Path, key: str, known: list[str]) -> ConfigError:
    """An error naming the unknown key, its closest known spelling and the known keys."""
    name = key.rsplit(".", 1)[-1]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ConfigError(
        f"{path}: unknown key {key!r}.{hint} Known keys here: {', '.join(sorted(known))}"
    )


def _check_secret(path: Path, key: str, name: str) -> None:
    """Refuse a secret written into the file: keys belong in the environment."""
    if name.lower() in _SECRET_KEYS:
        raise ConfigError(
            f"{path}: key {key!r} looks like a secret; never store an API key in the "
            "configuration file. Put it in an environment variable (LOGICMINE_API_KEY by "
            "default) and name that variable with 'api_key_env' if you use another one."
        )


def _flatten_table(path: Path, table: str, values: Any) -> dict[str, Any]:
    """Settings of one [table], keyed by Config field."""
    keys = _TABLE_KEYS[table]
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: key {table!r}: expected a table, got {values!r}")
    settings: dict[str, Any] = {}
    for key, value in values.items():
        _check_secret(path, f"{table}.{key}", key)
        if key not in keys:
            raise _unknown_key(path, f"{table}.{key}", list(keys))
        field = keys[key]
        settings[field] = _validate(field, value, f"{path}: key '{table}.{key}'")
    return settings


def _file_settings(path: Path) -> dict[str, Any]:
    """Settings from a logicmine.toml, keyed by Config field, validated."""
    settings: dict[str, Any] = {}
    for key, value in _read_toml(path).items():
        _check_secret(path, key, key)
        if key in _TABLE_KEYS and (isinstance(value, dict) or key == "parse"):
            settings.update(_flatten_table(path, key, value))
        elif key in _TOP_KEYS:
            field = _TOP_KEYS[key]
            settings[field] = _validate(field, value, f"{path}: key {key!r}")
        else:
            raise _unknown_key(path, key, sorted(set(_TOP_KEYS) | set(_TABLE_KEYS)))
    return settings


# ------------------------------------------------------------------ environment and flags

_ENV_FIELDS = {
    "LOGICMINE_BACKEND": "backend",
    "LOGICMINE_MODEL": "model",
    "LOGICMINE_BASE_URL": "base_url",
    "LOGICMINE_JOBS": "jobs",
    "LOGICMINE_COPYBOOK_PATHS": "copybook_paths",
    "LOGICMINE_EXECUTOR": "executor",
}


def _env_value(field: str, raw: str, name: str) -> Any:
    """An environment string converted to the field's type."""
    if field == "copybook_paths":
        return tuple(part for part in raw.split(os.pathsep) if part)
    if field == "jobs":
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(
                f"environment variable {name}: expected a whole number >= 0, got {raw!r}"
            ) from None
    return raw


def _env_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings from LOGICMINE_* variables (empty values count as unset)."""
    settings: dict[str, Any] = {}
    for name, field in _ENV_FIELDS.items():
        raw = environ.get(name, "").strip()
        if raw:
            where = f"environment variable {name}"
            settings[field] = _validate(field, _env_value(field, raw, name), where)
    return settings


def _override_settings(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Settings from command-line flags; None means the flag was not given."""
    settings: dict[str, Any] = {}
    for field, value in overrides.items():
        if value is None:
            continue
        if field not in _VALIDATORS:
            raise ConfigError(f"unknown setting {field!r}; known: {', '.join(sorted(_VALIDATORS))}")
        settings[field] = _validate(field, value, f"option {field!r}")
    return settings


# ------------------------------------------------------------------ entry point


def _find_config_file(root: Path, config_file: Path | None) -> Path | None:
    """The explicit file (which must exist) or root/logicmine.toml when present."""
    if config_file is not None:
        path = Path(config_file).expanduser().absolute()
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
        return path
    default = root / CONFIG_FILENAME
    return default if default.is_file() else None


def load_config(
    root: Path,
    *,
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Defaults < logicmine.toml < LOGICMINE_* variables < overrides (CLI flags)."""
    root = Path(root).expanduser().absolute()
    if not root.is_dir():
        raise InputError(f"{root}: not a directory; give the folder of the repository to analyse")
    path = _find_config_file(root, config_file)
    settings: dict[str, Any] = _file_settings(path) if path else {}
    settings.update(_env_settings(os.environ if environ is None else environ))
    settings.update(_override_settings(overrides or {}))
    known = {f.name for f in fields(Config)}
    assert set(settings) <= known, "validators and Config fields disagree"
    return Config(root=root, config_file=str(path) if path else "", **settings)
