"""Load packaged data (tree-sitter queries, prompts) through one helper."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

# In a wheel the top-level folders ship as logicmine/_data/<name>; in a source checkout
# (editable install, tests) they sit at the repository root.
_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


@cache
def data_dir(name: str) -> Path:
    """Directory of packaged data `name` ('parsers' or 'prompts')."""
    packaged = resources.files("logicmine").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    local = _CHECKOUT_ROOT / name
    if local.is_dir():
        return local
    raise FileNotFoundError(f"logicmine data folder {name!r} is missing from the installation")


def read_text(name: str, relative: str) -> str:
    """Text of one packaged data file, e.g. read_text('parsers', 'cobol/facts.scm')."""
    return (data_dir(name) / relative).read_text(encoding="utf-8")
