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


def test_a_programs_statements_are_unpickled_only_when_read():
    """Statements come back from a pickle as one blob, read when first used (a rebuild whose
    analyses come from the memo never reads them); pickled again unread, their bytes are
    copied as they are; read or not, they equal the tuple they stand for."""
    import pickle

    from logicmine.model import Deferred

    config = load_config(ROOT / "samples" / "cobol")
    program = next(p for p in parse_estate(config).programs if len(p.statements) > 10)
    plain = tuple(program.statements)
    back = pickle.loads(pickle.dumps(program, protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(back.statements, Deferred) and back.statements._items is None
    again = pickle.loads(pickle.dumps(back, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.statements._items is None, "pickling did not read them"
    assert again.statements == plain and plain == back.statements
    assert list(back.statements) == list(plain) and back.statements[3] == plain[3]
    assert len(back.statements) == len(plain) and back == program and hash(back) == hash(program)
    assert repr(back) == repr(program)


def test_a_few_review_hashes_are_worked_out_where_asked_and_many_from_one_map(monkeypatch):
    """The analysis's hashes answer None to the first few lookups (the page hashes the item
    itself, as the analysis did: a rebuild that shows a few hundred rules does not gather
    200,000 hashes), then from one map built once; marks are the same either way."""
    from logicmine.pipeline import ReviewHashes
    from logicmine.render.review_marks import Marks
    from logicmine.reviews import rule_hash

    monkeypatch.setattr(ReviewHashes, "FEW", 3)
    config = load_config(SAMPLES)
    parsed = parse_estate(config)
    hashes = analyse(config, parsed).review_hashes
    rules = analyse(config, parsed).estate.rules[:6]
    assert isinstance(hashes, ReviewHashes)
    answers = [hashes.cached(("rules", r.id)) for r in rules]
    assert answers[:3] == [None] * 3
    assert answers[3:] == [rule_hash(r) for r in rules[3:]]
    assert hashes.cached(("rules", "no such rule")) is None
    decided = {rules[0].id: {"status": "accepted", "hash": rule_hash(rules[0])}}
    for known in (analyse(config, parsed).review_hashes, None):
        marks = Marks({"rules": decided}, known)
        assert [marks.rule(r).hash for r in reversed(rules)] == \
            [rule_hash(r) for r in reversed(rules)]
        assert marks.rule(rules[0]).state == "accepted"
