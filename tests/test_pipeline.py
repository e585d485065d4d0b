"""Pipeline behaviour that no single stage shows: the watchdog, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest

from logicmine.config import load_config
from logicmine.pipeline import analyse, build, parse_estate

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cobol"


def test_a_file_past_its_deadline_is_reported_and_the_run_goes_on():
    config = load_config(SAMPLES, overrides={"parse_timeout": 0.000001, "jobs": 2})
    parsed = parse_estate(config)
    timed_out = {d.file for d in parsed.diagnostics if d.code == "parse-timed"}
    assert timed_out == {s.path for s in parsed.inventory.files if s.kind == "cobol"}
    assert all(r.fidelity.timed_out for r in parsed.reports if r.kind == "cobol")
    assert parsed.jobs, "JCL is still read when every program timed out"


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    config = load_config(SAMPLES)
    trees = []
    for name in ("a", "b"):
        out = tmp_path / name
        build(config, out)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes()
                      for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0].keys() == trees[1].keys()
    differing = [k for k in trees[0] if trees[0][k] != trees[1][k]]
    assert differing == []


def test_facts_survive_a_round_trip_through_pickle_whole():
    """Facts cross process boundaries and the state as pickles: every model value comes back
    equal, and a state of another shape is refused rather than half read."""
    import pickle

    from logicmine.model import Program, Span

    config = load_config(ROOT / "samples" / "cobol")
    analysis = analyse(config, parse_estate(config))
    estate = analysis.estate
    assert pickle.loads(pickle.dumps(estate, protocol=pickle.HIGHEST_PROTOCOL)) == estate
    span = Span("a.cbl", 1, 2)
    assert span.__getstate__() == ("a.cbl", 1, 2)
    program = Program.__new__(Program)
    with pytest.raises(ValueError):
        program.__setstate__(("only", "two"))
