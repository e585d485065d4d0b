"""What the render tests share, loaded by path (tests/ is not a package): the sample estate of
tests/data/render and the HTML checks of test_render.py."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).parent


def load(name: str, path: Path) -> ModuleType:
    """Execute the file at `path` as a module called `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = load("render_sample_estate", HERE / "data" / "render" / "sample_estate.py")


@cache
def render_checks() -> ModuleType:
    """test_render.py as a module, for its HTML checks (parse, html_pages, broken_links)."""
    return load("test_render_helpers", HERE / "test_render.py")
