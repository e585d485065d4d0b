"""The executor seam: the same build on a local Dask cluster as on our process pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from logicmine.config import load_config
from logicmine.errors import ConfigError
from logicmine.executors import run
from logicmine.pipeline import parse_estate

ROOT = Path(__file__).resolve().parents[1]


def facts(parsed):
    return [(p.name, len(p.procedures), len(p.statements), len(p.references))
            for p in parsed.programs]


def test_a_local_dask_cluster_parses_the_samples_like_the_local_pool():
    local = parse_estate(load_config(ROOT / "samples/cobol", overrides={"jobs": 2}))
    dask = parse_estate(load_config(ROOT / "samples/cobol",
                                    overrides={"jobs": 2, "executor": "dask"}))
    assert facts(dask) == facts(local) and len(local.programs) == 9
    assert [d.format() for d in dask.diagnostics] == [d.format() for d in local.diagnostics]


def test_unknown_executors_are_refused():
    with pytest.raises(ConfigError):
        load_config(ROOT / "samples/cobol", overrides={"executor": "spark"})
    with pytest.raises(ConfigError):
        list(run("ray", abs, [("a", -1)], jobs=1, timeout=1))
