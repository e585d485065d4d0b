"""The nightly job: incremental rebuilds, untouched files, the lock, `check` and changes.json."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from logicmine.cli import main
from logicmine.config import load_config
from logicmine.errors import OutputError
from logicmine.freshness import stale_inputs
from logicmine.model import Program
from logicmine.output import keep_unchanged, locked, previous_rules
from logicmine.pipeline import build

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def repo(tmp_path):
    target = tmp_path / "repo"
    shutil.copytree(ROOT / "samples" / "cobol", target)
    return target


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in out.rglob("*") if p.is_file()}


def edit(path: Path, old: str | bytes, new: str | bytes) -> None:
    if isinstance(old, bytes):  # bytes that are not UTF-8
        data = path.read_bytes()
        assert old in data
        path.write_bytes(data.replace(old, new, 1))
        return
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_no_change_rebuild_redoes_nothing(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    before = snapshot(out)
    again = build(load_config(repo), out)
    assert again.unchanged and again.parsed is None
    assert snapshot(out) == before


def test_one_file_change_reparses_it_and_rewrites_only_changed_pages(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    before = snapshot(out)
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    result = build(load_config(repo), out, progress=lambda *a: None)
    after = snapshot(out)
    rewritten = {p for p in after if before.get(p) != after[p]}
    assert "programs/ACCTVAL.html" not in rewritten, "an unrelated page was rewritten"
    assert any(p.startswith("source/") and "FEECALC" in p for p in rewritten)
    assert len(rewritten) < len(after) / 3
    assert result.parsed.seconds >= 0


def test_first_build_change_report_is_a_baseline_that_counts_rather_than_lists(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    rules = json.loads((out / "rules.json").read_text())["rules"]
    changes = json.loads((out / "changes.json").read_text())
    assert rules and changes["baseline"] is True and changes["rule_count"] == len(rules)
    assert changes["added"] == changes["removed"] == changes["changed"] == []
    assert f"all {len(rules)} rules are new" in (out / "markdown" / "changes.md").read_text()
    page = (out / "changes.html").read_text()
    assert f"all {len(rules)} of its rules are new" in page and rules[0]["id"] not in page
    assert f"{len(rules)} rules added, 0 removed" in (out / "index.html").read_text()


def test_a_previous_build_without_rules_is_compared_not_taken_for_a_baseline(tmp_path):
    assert previous_rules(tmp_path / "none") is None
    (tmp_path / "rules.json").write_text('{"version": 1, "rules": []}')
    assert previous_rules(tmp_path) == []
    (tmp_path / "rules.json").write_text("[1, 2]")  # not a rules.json: no previous build
    assert previous_rules(tmp_path) is None


def test_changes_json_reports_business_logic_changes(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")
    build(load_config(repo), out)
    changes = json.loads((out / "changes.json").read_text())
    assert len(changes["changed"]) == 1 and not changes["added"] and not changes["removed"]
    pair = changes["changed"][0]
    assert pair["before"]["program"] == "INTCALC" and pair["before"]["id"] != pair["after"]["id"]
    assert "2000.00" in pair["after"]["text"] and "1000.00" in pair["before"]["text"]
    assert "1 changed" in (out / "markdown" / "changes.md").read_text()


@pytest.mark.parametrize("site_replaced", [False, True])
def test_the_change_report_comes_from_the_state_when_it_matches_out(repo, tmp_path,
                                                                   monkeypatch, site_replaced):
    """rules.json is read for the report only when the state cannot vouch for OUT (another
    build's site put there); either way the report is the same."""
    import logicmine.pipeline as pipeline

    out = tmp_path / "site"
    build(load_config(repo), out)
    if site_replaced:  # OUT now holds a site the state's last build did not write
        manifest = json.loads((out / ".logicmine-build.json").read_text())
        manifest["fingerprint"] = "another build"
        (out / ".logicmine-build.json").write_text(json.dumps(manifest))
    read = []
    real = pipeline.previous_rules
    monkeypatch.setattr(pipeline, "previous_rules", lambda o: read.append(o) or real(o))
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")
    build(load_config(repo), out)
    assert len(read) == (1 if site_replaced else 0)
    changes = json.loads((out / "changes.json").read_text())
    assert [pair["after"]["program"] for pair in changes["changed"]] == ["INTCALC"]
    assert not changes["added"] and not changes["removed"]


def test_estate_files_put_together_from_pieces_are_the_files_written_whole(
        repo, tmp_path, monkeypatch):
    """Pieces kept in the state (a program's rules, an owner's nodes and edges, a file's data
    definitions) give exactly the bytes the whole-estate writers give, first from scratch,
    then from the memo."""
    from logicmine import business_exports
    from logicmine.business_exports import dictionary_json
    from logicmine.dictionary import declaring
    from logicmine.render import exports
    from logicmine.render.deps import PageKeys
    from logicmine.render.dictionary import DataIndex
    from logicmine.render.exports import graph_json, rules_json
    from logicmine.render.fragments import Fragments
    from logicmine.render.links import Linker
    from logicmine.render.lookup import Lookup
    from logicmine.render.search import search_index
    from logicmine.state import State

    result = build(load_config(repo), tmp_path / "site")
    estate, graph = result.analysis.estate, result.analysis.graph
    look = Lookup(estate, graph)
    linker = Linker(estate, graph, {})
    keys = PageKeys(look, linker, DataIndex(look), result.analysis.program_keys)
    data = DataIndex(look)
    whole = (rules_json(estate), graph_json(graph), search_index(look, linker, data),
             dictionary_json(estate))
    assert len(keys.graph) > 2 and "" in keys.graph  # owners, and nodes no program owns
    files = declaring(estate)
    assert any(len(names) > 1 for names in files.values())  # a copybook many programs copy
    encoded = []
    real = exports.compact

    def counted(value):
        if isinstance(value, dict):  # a record: a rule, a node, an edge, a definition
            encoded.append(1)
        return real(value)

    monkeypatch.setattr(exports, "compact", counted)
    monkeypatch.setattr(business_exports, "compact", counted)
    lists = {"processes": "the processes' digest", "smells": "the smells' digest"}
    for _ in range(2):  # the second time every piece comes from the state
        encoded.clear()
        state = State(tmp_path / "state.sqlite")
        pieces = Fragments(state)
        assert (rules_json(estate, pieces, result.analysis.program_keys, lists),
                graph_json(graph, pieces, (keys.owner, keys.graph)),
                search_index(look, linker, data, pieces, keys),
                dictionary_json(estate, pieces, keys)) == whole
        pieces.close()
        state.close()
    assert 0 < len(encoded) < 30, "only the files' few top-level values are encoded again"
    state = State(tmp_path / "state.sqlite")
    assert len(state.recall_all(Fragments.NAMESPACE)) == len(keys.graph) + \
        len({r.program for r in estate.rules}) + len(files) + 1 + \
        len(look.programs()) + len(data.groups) + 2 + \
        2  # the dictionary's fields; search: processes and jobs, graph nodes; rules.json:
    # processes, smells
    state.close()


def test_copybook_change_reparses_the_programs_that_use_it(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    edit(repo / "copybooks" / "FEEPARM.cpy", "FEE-RC", "FEE-RETCODE")
    build(load_config(repo), out)
    rules = json.loads((out / "rules.json").read_text())["rules"]
    assert any("FEE-RETCODE" in " ".join(r["conditions"]) for r in rules if r["program"]
               == "INTCALC")


def test_check_says_when_docs_are_stale(repo, tmp_path):
    out = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(repo), "-o", str(out), "-q"]).exit_code == 0
    fresh = runner.invoke(main, ["check", str(out)])
    assert fresh.exit_code == 0 and "up to date" in fresh.output
    edit(repo / "programs" / "RPTGEN.cbl", "PAGE", "PAGE ")
    (repo / "programs" / "NEWPGM.cbl").write_text(
        "       IDENTIFICATION DIVISION.\n       PROGRAM-ID. NEWPGM.\n")
    stale = runner.invoke(main, ["check", str(out)])
    assert stale.exit_code == 1
    assert "changed: programs/RPTGEN.cbl" in stale.output
    assert "added: programs/NEWPGM.cbl" in stale.output


def test_a_second_run_on_the_same_out_is_refused(tmp_path):
    out = tmp_path / "site"
    holding, release = threading.Event(), threading.Event()

    def hold():
        with locked(out):
            holding.set()
            release.wait(10)

    worker = threading.Thread(target=hold)
    worker.start()
    holding.wait(10)
    try:
        with pytest.raises(OutputError, match="another logicmine run"):
            build(load_config(ROOT / "samples" / "cobol"), out)
    finally:
        release.set()
        worker.join()


def test_a_damaged_state_is_a_cache_miss_not_a_crash(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    state = tmp_path / ".site.logicmine" / "state.sqlite"
    import sqlite3

    db = sqlite3.connect(state)
    db.execute("UPDATE facts SET payload = x'00ff00'")
    db.execute("DELETE FROM meta")
    db.commit()
    db.close()
    result = build(load_config(repo), out)
    assert not result.unchanged and len(result.analysis.estate.programs) == 9


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    out = tmp_path / "site"
    (tmp_path / ".site.tmp-99999" / "programs").mkdir(parents=True)
    (tmp_path / ".site.old-99998").mkdir()
    build(load_config(ROOT / "samples" / "cobol"), out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.logicmine", "site"]


def test_a_full_build_refills_the_state_for_the_next_incremental_one(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out, incremental=False)
    again = build(load_config(repo), out)
    assert again.unchanged, "the build after --full found nothing to redo"


# ---------------------------------------------------------------- what is kept, and only that


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


EDITS = [  # each a different way an estate changes between two nights: (file, [(old, new)])
    ("programs/FEECALC.cbl", [("VALUE 35.00", "VALUE 45.00")]),  # a literal: one program's rule
    ("programs/INTCALC.cbl", [("WHEN ACCT-BALANCE < 1000.00", "WHEN ACCT-BALANCE < 2000.00")]),
    # a new rule on a line of its own: the rule counts of every process FEECALC is in change
    ("programs/FEECALC.cbl", [("           MOVE SPACES TO FEE-CODE\n", "           IF FEE-AMOUNT"
                               " = ZERO MOVE SPACES TO FEE-CODE END-IF\n")]),
    # a rule more, its names already used there (the split stays): every program page that
    # lists a process RPTGEN is in counts it, DATEUTIL's too though neither calls the other
    ("programs/RPTGEN.cbl", [("           ADD 1 TO WS-RECORDS-READ\n", "           IF ACCT-DORMANT"
                              " ADD 1 TO WS-TT-DORMANT (WS-SUB) END-IF\n")]),
    # a called subroutine: the processes it is in change, its callers' pages do not
    ("programs/DATEUTIL.cbl", [("MOVE '00' TO IN-DATE-RC.", "MOVE '01' TO IN-DATE-RC.")]),
    # a line moved from the top to below a CALL, the length kept: the call's line moves, so
    # the callee's page (its callers, cited) changes though the callee did not
    ("programs/ACCTVAL.cbl", [
        ("      * 2003-02-14 AMC  DORMANCY AFTER 365 DAYS (REG CHANGE 03-07)     *\n", ""),
        ("           CALL 'DATEUTIL' USING WS-DATE-PARMS\n           EVALUATE TRUE\n",
         "           CALL 'DATEUTIL' USING WS-DATE-PARMS\n      *    DORMANCY SINCE 2003\n"
         "           EVALUATE TRUE\n")]),
    # a data definition's picture, its name and lines kept: the dictionary and search entries
    ("programs/FEECALC.cbl", [("WS-XWD-FREE-COUNT       PIC S9(03)",
                               "WS-XWD-FREE-COUNT       PIC S9(04)")]),
    ("copybooks/FEEPARM.cpy", [("FEE-RC", "FEE-RETCODE")]),  # every program that copies it
    # a line inserted before a CALL: every later line and the call's citation move
    ("programs/ACCTVAL.cbl", [("               CALL 'DATEUTIL' USING WS-DATE-PARMS\n"
                               "               IF WS-DATE-OK",
                               "      *    ASK DATEUTIL HOW MANY DAYS HAVE PASSED\n"
                               "               CALL 'DATEUTIL' USING WS-DATE-PARMS\n"
                               "               IF WS-DATE-OK")]),
    # a new call between programs: the graph and the processes change
    ("programs/INTCALC.cbl", [("           PERFORM 1000-INIT\n",
                               "           PERFORM 1000-INIT\n           CALL 'DATEUTIL'\n")]),
    ("jcl/SLNIGHT.jcl", [("EXEC PGM=LOANDLQ,COND=(4,LT)", "EXEC PGM=LOANDLQ,COND=(8,LT)")]),
    # a dataset renamed in the JCL: the processes change, no rule does (rules.json lists them)
    ("jcl/SLNIGHT.jcl", [("DSN=SAVLN.PROD.FEELOG,", "DSN=SAVLN.PROD.FEELOG.V2,")]),
    # a byte that is not UTF-8 in a comment: a warning, the facts as they were (the index
    # counts the warnings; no rule changed here or in the edit before)
    ("programs/TXNPOST.cbl", [(b"STATUS AND FUNDS", b"STATUS AND F\xffNDS")]),
    # one comparison tested twice: a logic smell appears (smells.json, rules.json)
    ("programs/INTCALC.cbl", [("           IF WS-SIZE-ERRORS > 0\n",
                               "           IF WS-SIZE-ERRORS > 0 AND WS-SIZE-ERRORS > 0\n")]),
    ("programs/SLMENU.cbl", []),  # removed: its pages go, its callers' pages change
]


@pytest.fixture(params=["here", "workers"])
def render_mode(request, monkeypatch):
    """Render in this process, or (as a large estate does) with the highlighting worker and
    the page worker that takes half the process pages."""
    if request.param == "workers":
        import logicmine.render.highlighting as highlighting
        import logicmine.render.site as site

        monkeypatch.setattr(site, "PARALLEL_LINES", 0)
        monkeypatch.setattr(highlighting, "PARALLEL_LINES", 0)
    return request.param


def test_workers_change_nothing_in_the_output(repo, tmp_path, monkeypatch):
    import logicmine.render.highlighting as highlighting
    import logicmine.render.site as site

    build(load_config(repo), tmp_path / "here", incremental=False)
    monkeypatch.setattr(site, "PARALLEL_LINES", 0)
    monkeypatch.setattr(highlighting, "PARALLEL_LINES", 0)
    build(load_config(repo), tmp_path / "workers", incremental=False)
    here, workers = tree(tmp_path / "here"), tree(tmp_path / "workers")
    here.pop(".logicmine-build.json"), workers.pop(".logicmine-build.json")  # names OUT
    assert here == workers


def test_incremental_builds_equal_full_builds_byte_for_byte_edit_after_edit(
        repo, tmp_path, render_mode):
    """After each edit, the incremental build (memo, kept pages, cached facts) writes exactly
    what a full build over the same previous site writes."""
    out = tmp_path / "site"
    build(load_config(repo), out)
    for number, (name, changes) in enumerate(EDITS):
        for old, new in changes:
            edit(repo / name, old, new)
        if not changes:
            (repo / name).unlink()
        reference = tmp_path / f"full-{number}"
        shutil.copytree(out, reference)  # the same previous site: the same change report
        build(load_config(repo), out)
        build(load_config(repo), reference, incremental=False)
        ours, theirs = tree(out), tree(reference)
        assert sorted(ours) == sorted(theirs), name
        differ = sorted(p for p in ours if ours[p] != theirs[p])
        assert differ == [], (name, differ[:5])


def test_a_reviewed_rule_that_changes_goes_stale_on_every_page_counting_it(repo, tmp_path):
    """Pages of other programs count a process's reviewed rules: when a rule a review accepted
    changes (its kind and place kept), they count one fewer, incremental or full."""
    out = tmp_path / "site"
    build(load_config(repo), out)
    hashes = json.loads((out / ".logicmine-site.json").read_text())["items"]["rules"]
    accepted = {rid: {"status": "accepted", "hash": digest} for rid, digest in hashes.items()
                if rid.startswith("DATEUTIL-")}
    assert accepted
    (repo / "logicmine-reviews.json").write_text(json.dumps({"version": 1,
                                                            "rules": accepted}))
    # decisions recorded since the last build are a change: `check` names the file, and the
    # build shows them rather than stopping after discovery
    assert ("added", "logicmine-reviews.json") in stale_inputs(out)
    assert not build(load_config(repo), out).unchanged
    assert stale_inputs(out) == []
    edit(repo / "programs" / "DATEUTIL.cbl", "WS-WK-YYYY > 2099", "WS-WK-YYYY > 2199")
    reference = tmp_path / "full"
    shutil.copytree(out, reference)
    before = tree(out)
    build(load_config(repo), out)
    build(load_config(repo), reference, incremental=False)
    ours, theirs = tree(out), tree(reference)
    assert sorted(p for p in ours if ours[p] != theirs[p]) == []
    recounted = [p for p in theirs if p.startswith("programs/") and p != "programs/DATEUTIL.html"
                 and before.get(p) != theirs[p]]
    assert recounted, "another program's page counts the stale rule"
    now = json.loads((out / ".logicmine-site.json").read_text())["items"]["rules"]
    stale = [rid for rid in accepted if now.get(rid) != accepted[rid]["hash"]]
    assert stale, "the edit changed what an accepted rule says"


JAVA_EDITS = [  # a condition, then a line added above a return (the class's lines move)
    ("src/main/java/com/acmebank/rules/FeeCalculator.java",
     "compareTo(MINIMUM_BALANCE) >= 0", "compareTo(MINIMUM_BALANCE) > 0"),
    ("src/main/java/com/acmebank/rules/FeeCalculator.java",
     "        return percent;\n", "        // the tier's percent\n        return percent;\n"),
]


def test_incremental_java_builds_equal_full_builds(tmp_path):
    """Java calls are resolved across classes: the page keys take the graph's edges as built,
    so a class's pages follow what its callees became."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "samples" / "java", repo)
    out = tmp_path / "site"
    build(load_config(repo), out)
    for number, (name, old, new) in enumerate(JAVA_EDITS):
        edit(repo / name, old, new)
        reference = tmp_path / f"full-{number}"
        shutil.copytree(out, reference)
        build(load_config(repo), out)
        build(load_config(repo), reference, incremental=False)
        ours, theirs = tree(out), tree(reference)
        assert sorted(ours) == sorted(theirs)
        assert [p for p in ours if ours[p] != theirs[p]] == [], name


def test_jobs_are_parsed_again_only_when_a_jcl_member_changes(repo, tmp_path, monkeypatch):
    import logicmine.pipeline as pipeline

    out = tmp_path / "site"
    first = build(load_config(repo), out)
    parsed = []
    real = pipeline._parse_jcl
    monkeypatch.setattr(pipeline, "_parse_jcl",
                        lambda *args: parsed.append(1) or real(*args))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    again = build(load_config(repo), out)
    assert parsed == [] and again.parsed.jobs == first.parsed.jobs
    deck = next(p for p in sorted((repo / "jcl").iterdir()) if "EXEC PGM=" in p.read_text())
    edit(deck, "EXEC PGM=", "EXEC  PGM=")
    build(load_config(repo), out)
    assert parsed == [1]


def test_only_the_changed_program_is_analysed_again(repo, tmp_path, monkeypatch):
    import logicmine.pipeline as pipeline

    out = tmp_path / "site"
    build(load_config(repo), out)
    analysed = []
    real = pipeline.analyse_program
    monkeypatch.setattr(pipeline, "analyse_program",
                        lambda program: analysed.append(program.name) or real(program))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    result = build(load_config(repo), out)
    assert analysed == ["FEECALC"]
    assert len(result.analysis.estate.programs) == 9


def test_unchanged_pages_are_the_last_builds_files_and_a_hand_edit_is_undone(repo, tmp_path):
    out = tmp_path / "site"
    build(load_config(repo), out)
    unrelated = out / "programs" / "ACCTVAL.html"
    kept_page = out / "index.html"
    good = unrelated.read_bytes()
    inode = (out / "glossary.html").stat().st_ino
    unrelated.write_bytes(good.replace(b"</main>", b"<p>edited by hand</p></main>"))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)
    assert unrelated.read_bytes() == good, "a page edited in OUT is rendered again, not kept"
    assert (out / "glossary.html").stat().st_ino == inode, "an unchanged page is kept as is"
    assert kept_page.exists()
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith((".lmlink", ".tmp"))]
    assert leftovers == []


def test_a_kept_page_is_read_once_then_known_by_its_size_time_and_inode(repo, tmp_path,
                                                                         monkeypatch):
    out = tmp_path / "site"
    build(load_config(repo), out)
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)  # reads each kept page's bytes once, notes its stat
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 45.00", "VALUE 55.00")
    build(load_config(repo), out)
    assert "ACCTVAL.html" not in read and "glossary.html" not in read
    page = out / "programs" / "ACCTVAL.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</main>", b"<p>edited by hand</p></main>"))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 55.00", "VALUE 65.00")
    build(load_config(repo), out)
    assert page.read_bytes() == good, "an edit moves the file's time: its bytes are read again"


def test_pages_a_build_wrote_are_known_intact_by_the_next_without_reading_them(
        repo, tmp_path, monkeypatch):
    """A page written by a build is noted with its size, time and inode as it goes into OUT:
    the next build keeps it without reading its bytes (after a full build, every page)."""
    out = tmp_path / "site"
    build(load_config(repo), out, incremental=False)
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)
    assert (out / "programs" / "ACCTVAL.html").is_file()
    kept = [name for name in read if name.endswith(".html") and not name.startswith("FEECALC")]
    assert kept == [], "only the changed program's files are read (compared with the old)"


def test_files_a_build_replaced_by_the_last_builds_equal_ones_are_known_intact_too(
        repo, tmp_path, monkeypatch):
    """A build of another logicmine makes every file again; those that come out as they were
    are the last build's files (their inode and time kept), noted again as such: the next
    build neither reads them nor puts rules.json together from the memo."""
    import logicmine.render.site as site
    import logicmine.render.splice as splice
    import logicmine.state as state

    out = tmp_path / "site"
    build(load_config(repo), out)
    before = snapshot(out)
    monkeypatch.setattr(state, "code_key", lambda: "another logicmine")
    monkeypatch.setattr(site, "code_key", state.code_key)
    build(load_config(repo), out)
    assert snapshot(out)["programs/ACCTVAL.html"] == before["programs/ACCTVAL.html"]
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    copied: list[str] = []
    assemble = splice.assemble
    monkeypatch.setattr(splice, "assemble", lambda parts, fragments, old, *a, **k: (
        copied.append(parts.name) if old is not None else None) or assemble(
            parts, fragments, old, *a, **k))
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")
    build(load_config(repo), out)
    assert "ACCTVAL.html" not in read and "glossary.html" not in read
    assert "rules.json" in copied, "spliced from the last build's file"


def test_the_memo_keeps_only_what_the_last_build_used(tmp_path):
    from logicmine.state import State

    path = tmp_path / "state.sqlite"
    first = State(path)
    first.remember("ns", {"a": 1, "b": [2], "c": "three"})
    first.sweep()
    first.close()
    second = State(path)
    assert second.recall("ns", ["a", "c", "z"]) == {"a": 1, "c": "three"}
    second.sweep()
    second.close()
    third = State(path)
    assert third.recall_all("ns") == {"a": 1, "c": "three"}, "b was not used: swept"
    third.db.execute("UPDATE memo SET value = x'00ff' WHERE key = 'a'")
    assert third.recall("ns", ["a", "c"]) == {"c": "three"}, "a damaged entry is a miss"
    full = State(path, reuse=False)
    assert full.recall("ns", ["c"]) == {} and full.recall_all("ns") == {}


def test_a_split_seen_before_is_not_worked_out_again(repo, tmp_path, monkeypatch):
    import networkx as nx

    out = tmp_path / "site"
    first = build(load_config(repo), out)
    assert any(p.parent for p in first.analysis.estate.processes), "the samples split a process"
    calls = []
    real = nx.community.louvain_communities
    monkeypatch.setattr(nx.community, "louvain_communities",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    edit(repo / "programs" / "ACCTVAL.cbl", "VALUE", "VALUE ")  # changes bytes, not meaning
    again = build(load_config(repo), out)
    assert calls == [], "the procedure graphs are unchanged: their communities are recalled"
    assert again.analysis.estate.processes == first.analysis.estate.processes


def test_estate_files_whose_inputs_are_unchanged_are_kept_not_put_together(
        repo, tmp_path, monkeypatch):
    """rules.json, site.json, graph.json, the search index, the data dictionary,
    processes.json and smells.json are kept while what they are made from is unchanged,
    though a program's facts changed."""
    import logicmine.render.site as site
    import logicmine.render.splice as splice

    out = tmp_path / "site"
    build(load_config(repo), out)
    made: list[str] = []
    real = site.graph_json
    monkeypatch.setattr(site, "graph_json",
                        lambda *a, **k: made.append("graph_json") or real(*a, **k))
    assemble = splice.assemble  # files made of pieces (render.splice), by name
    monkeypatch.setattr(splice, "assemble",
                        lambda parts, *a, **k: made.append(parts.name) or assemble(parts, *a, **k))
    edit(repo / "programs" / "ACCTVAL.cbl", "VALUE", "VALUE ")  # changes bytes, not meaning
    again = build(load_config(repo), out)
    assert "programs/ACCTVAL.cbl" in {r.path for r in again.parsed.reports}
    assert made == []
    before = (out / "rules.json").read_bytes()
    import logicmine.render.exports as render_exports

    recorded: set[str] = set()
    record = render_exports.rule_record
    monkeypatch.setattr(render_exports, "rule_record",
                        lambda rule: recorded.add(rule.program) or record(rule))
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")  # a rule's condition
    build(load_config(repo), out)
    assert sorted(made) == [".logicmine-site.json", "data-dictionary.json", "processes.json",
                            "rules.json", "search-index.js"], \
        "the graph and the smells are as they were; the rule (which reads and writes fields), " \
        "its id and its hash are not"
    assert (out / "rules.json").read_bytes() != before
    assert recorded == {"INTCALC"}, "the other programs' pieces outlived the build that kept " \
        "the whole file"


def test_estate_files_are_spliced_from_the_last_builds_file(repo, tmp_path, monkeypatch):
    """When one program's rules change, rules.json, the search index, the data dictionary and
    site.json take every other piece's bytes from the last build's file, not from the memo or
    made again; when OUT's file is not what the last build wrote, the memo gives the same
    bytes."""
    from logicmine.render.fragments import Fragments
    from logicmine.reviews import rule_hash, summary_hash

    out = tmp_path / "site"
    first = build(load_config(repo), out).analysis.estate
    wanted: dict[str, list[str]] = {}
    gather = Fragments.gather

    def spied(self, keys, make):
        found = gather(self, keys, make)
        names = {part.name for part in calls}  # the file being put together
        wanted.setdefault("/".join(sorted(names)) or "?", []).extend(keys)
        return found

    import logicmine.render.splice as splice

    calls = []
    assemble = splice.assemble

    def assembling(parts, *a, **k):
        calls.append(parts)
        try:
            return assemble(parts, *a, **k)
        finally:
            calls.remove(parts)

    monkeypatch.setattr(splice, "assemble", assembling)
    monkeypatch.setattr(Fragments, "gather", spied)

    import logicmine.render.exports as exports

    listed: list[str] = []
    list_lines = exports._list_lines
    monkeypatch.setattr(exports, "_list_lines",
                        lambda estate, kind: listed.append(kind) or list_lines(estate, kind))

    def rebuilt_like_full(number: int) -> tuple[dict[str, list[str]], Any]:
        """The units each file wanted from the memo in an incremental build, whose files are
        checked against a full build's."""
        reference = tmp_path / f"full-{number}"
        shutil.copytree(out, reference)
        wanted.clear()
        listed.clear()
        estate = build(load_config(repo), out).analysis.estate
        mine = {name: list(units) for name, units in wanted.items()}
        mine["listed"] = list(listed)
        build(load_config(repo), reference, incremental=False)
        for name in ("rules.json", "search-index.js", "data-dictionary.json",
                     ".logicmine-site.json", "processes.json", "smells.json"):
            assert (out / name).read_bytes() == (reference / name).read_bytes(), name
        return mine, estate


    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")  # a rule's condition: rules, fields read, entries
    mine, estate = rebuilt_like_full(1)
    assert len(estate.programs) > 5
    # the processes name the rule: encoded once for rules.json and processes.json
    assert mine["listed"] == ["processes"]
    # the rule's id changes with its condition: the processes and smells naming it change
    assert mine["rules.json"] == ["processes:", "program:INTCALC", "smells:"], \
        "the other programs' rules are copied"
    assert mine["search-index.js"][0] == "program:INTCALC"
    assert all(unit.startswith("data:") for unit in mine["search-index.js"][1:])
    # the files declaring a name the changed rules read or set: their entries list the rules
    changed = {r.id: r for r in (*first.rules, *estate.rules) if r.program == "INTCALC"}
    changed = {rid: rule for rid, rule in changed.items()
               if (rid in {r.id for r in first.rules}) != (rid in {r.id for r in estate.rules})}
    names = {name.upper() for r in changed.values() for name in (*r.inputs, *r.outputs)}
    declaring = {item.file for program in estate.programs if program.name == "INTCALC"
                 for item in program.data_items if item.name.upper() in names}
    assert "copybooks/ACCTREC.cpy" in declaring and len(changed) == 2
    assert sorted(mine["data-dictionary.json"]) == sorted(declaring), \
        "only the pieces of the files whose entries list the changed rule (and not the " \
        "names several programs declare: no program's entries changed)"
    assert mine["search-index.js"] == ["program:INTCALC"], "no data entry changed"
    position = [p.name for p in estate.programs].index("INTCALC")
    assert mine[".logicmine-site.json"] == [f"rules:{position}", f"summaries:{position}"]
    site = json.loads((out / ".logicmine-site.json").read_text())  # every item's hash
    assert site["items"] == {
        "rules": {r.id: rule_hash(r) for r in estate.rules},
        "summaries": {s.subject: summary_hash(s) for s in estate.summaries}}

    damaged = out / "rules.json"
    damaged.write_bytes(damaged.read_bytes().replace(b"INTCALC", b"INTCALX"))  # by hand
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 2000.00",
         "WHEN ACCT-BALANCE < 3000.00")
    mine, estate = rebuilt_like_full(2)
    assert len(mine["rules.json"]) == len({r.program for r in estate.rules}) + 2, \
        "every piece from the memo: OUT's file is not the last build's"
    assert mine["search-index.js"][0] == "program:INTCALC"


def test_an_edit_the_site_does_not_show_rebuilds_no_program_or_process_page(
        repo, tmp_path, monkeypatch):
    """A program's pages are keyed by what the site may show of it (its facts but its
    statements, its analysis), not by its bytes: a comment changes only its source page."""
    import logicmine.render.site as site

    out = tmp_path / "site"
    build(load_config(repo), out)
    built: list[str] = []
    for name in ("build_program", "build_process"):
        real = getattr(site, name)
        monkeypatch.setattr(site, name, lambda *a, real=real, name=name: built.append(
            next((x.name for x in a if isinstance(x, Program)), name)) or real(*a))
    source = (out / "source" / "programs" / "ACCTVAL.cbl.html").read_bytes()
    edit(repo / "programs" / "ACCTVAL.cbl", "DORMANCY AFTER 365 DAYS", "DORMANCY AFTER 1 YEAR ")
    # a statement no rule holds: its literal is read by nothing the site shows
    edit(repo / "programs" / "DATEUTIL.cbl", "MOVE '00' TO IN-DATE-RC.", "MOVE '01' TO IN-DATE-RC.")
    from logicmine.render.dictionary import DataIndex

    with monkeypatch.context() as unused:  # nor who uses each data entry (the data index)
        for name in ("uses", "reads", "writes"):
            unused.setattr(DataIndex, name, property(lambda self, name=name: built.append(name)))
        build(load_config(repo), out)
    assert built == []
    assert (out / "source" / "programs" / "ACCTVAL.cbl.html").read_bytes() != source
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")  # a value it shows
    build(load_config(repo), out)
    assert "FEECALC" in built
    import logicmine.state as state

    built.clear()  # another logicmine (a template changed, say): every page is made again
    monkeypatch.setattr(state, "code_key", lambda: "another logicmine")
    monkeypatch.setattr(site, "code_key", state.code_key)
    build(load_config(repo), out)
    assert "FEECALC" in built and "ACCTVAL" in built


def test_the_graph_is_read_back_while_no_program_changes_what_it_gives_it(
        repo, tmp_path, monkeypatch):
    import logicmine.graph as graph_module

    out = tmp_path / "site"
    first = build(load_config(repo), out)
    built: list[int] = []
    real = graph_module.build_graph
    monkeypatch.setattr(graph_module, "build_graph",
                        lambda *a, **k: built.append(1) or real(*a, **k))
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")  # a rule changes, no call, PERFORM or line moves
    again = build(load_config(repo), out)
    assert built == []
    assert list(again.analysis.graph.nodes(data=True)) == list(first.analysis.graph.nodes(
        data=True))
    assert list(again.analysis.graph.edges(keys=True, data=True)) == \
        list(first.analysis.graph.edges(keys=True, data=True))
    # a PERFORM becomes a CALL on the same line: no line moves, the edges do
    edit(repo / "programs" / "INTCALC.cbl", "           PERFORM 1000-INIT\n",
         "           CALL 'DATEUTIL'\n")
    third = build(load_config(repo), out)
    assert built == [1]
    assert any(target == "cobol:DATEUTIL" for _, target in third.analysis.graph.out_edges(
        [n for n in third.analysis.graph if n.startswith("cobol:INTCALC")]))
    edit(repo / "jcl/SLNIGHT.jcl", "DSN=SAVLN.PROD.FEELOG,", "DSN=SAVLN.PROD.FEELOG.V2,")
    build(load_config(repo), out)
    assert built == [1, 1], "a job changed: the graph is built again"


def test_a_rebuild_reads_only_the_sources_it_parses_or_lists_again(repo, tmp_path, monkeypatch):
    """Listings are keyed by their bytes' hash and counted from discovery: an unchanged source
    is not read again to be shown."""
    import logicmine.pipeline as pipeline

    out = tmp_path / "site"
    build(load_config(repo), out)
    read: list[str] = []
    real = pipeline.read_source
    monkeypatch.setattr(pipeline, "read_source",
                        lambda config, source: read.append(source.path) or real(config, source))
    edit(repo / "programs" / "ACCTVAL.cbl", "DORMANCY AFTER 365 DAYS", "DORMANCY AFTER 1 YEAR ")
    build(load_config(repo), out)
    assert set(read) == {"programs/ACCTVAL.cbl"}
    assert "DORMANCY AFTER 1 YEAR" in (out / "source" / "programs" / "ACCTVAL.cbl.html").read_text()


def test_a_split_whose_programs_are_unchanged_builds_no_procedure_graph(repo, tmp_path,
                                                                        monkeypatch):
    import logicmine.processes as processes

    out = tmp_path / "site"
    first = build(load_config(repo), out)
    split = {p.parent: p.programs for p in first.analysis.estate.processes if p.parent}
    assert "TXNPOST" not in {name for programs in split.values() for name in programs}
    built = []
    real = processes._procedure_graph
    monkeypatch.setattr(processes, "_procedure_graph",
                        lambda process, *a: built.append(process.id) or real(process, *a))
    edit(repo / "programs" / "TXNPOST.cbl", "VALUE 500.", "VALUE 250.")
    again = build(load_config(repo), out)
    assert built == [], "no program of the split changed: its communities are recalled"
    assert [p.procedures for p in again.analysis.estate.processes] == \
        [p.procedures for p in first.analysis.estate.processes]
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)
    assert built == [pid for pid, programs in split.items() if "FEECALC" in programs]


def test_pages_and_exports_a_dying_page_worker_took_are_written_all_the_same(
        repo, tmp_path, monkeypatch):
    import os

    import logicmine.render.highlighting as highlighting
    import logicmine.render.site as site

    build(load_config(repo), tmp_path / "reference", incremental=False)
    monkeypatch.setattr(site, "PARALLEL_LINES", 0)
    monkeypatch.setattr(highlighting, "PARALLEL_LINES", 0)
    parent = os.getpid()
    real = site._side_work

    def dying(run, processes, turns, light, chores):
        if os.getpid() != parent:  # the forked worker: takes two exports' and two pages'
            light.take(), chores.take(), turns.take(), turns.take()  # turns, then dies
            os._exit(3)
        return real(run, processes, turns, light, chores)

    monkeypatch.setattr(site, "_side_work", dying)
    build(load_config(repo), tmp_path / "site", incremental=False)
    ours, theirs = tree(tmp_path / "site"), tree(tmp_path / "reference")
    ours.pop(".logicmine-build.json"), theirs.pop(".logicmine-build.json")
    assert ours == theirs


def test_an_unchanged_source_listing_is_kept_without_reading_its_lines(repo, tmp_path,
                                                                       monkeypatch):
    from logicmine.render.highlighting import Highlighting

    out = tmp_path / "site"
    build(load_config(repo), out)
    asked = []
    real = Highlighting.lines_of
    monkeypatch.setattr(Highlighting, "lines_of",
                        lambda self, path: asked.append(path) or real(self, path))
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)
    assert "programs/FEECALC.cbl" in asked
    assert "programs/ACCTVAL.cbl" not in asked, "its listing is kept, its lines never read"


def test_a_programs_face_follows_its_rules_kinds_paragraphs_and_decided_hashes(repo, tmp_path):
    """What other programs' pages show of a program (render.deps.PageKeys.face): its rules'
    kinds and paragraphs, and the hash of a rule a review decided on; not what an undecided
    rule says (its id is a digest of that)."""
    from dataclasses import replace

    from logicmine.render.deps import PageKeys
    from logicmine.render.dictionary import DataIndex
    from logicmine.render.links import Linker
    from logicmine.render.lookup import Lookup

    result = build(load_config(repo), tmp_path / "site")
    estate, graph = result.analysis.estate, result.analysis.graph
    mine = next(r for r in estate.rules if r.program == "DATEUTIL")

    def face(change=None, decided=(), aspects=None):
        rules = tuple(change(r) if r is mine and change else r for r in estate.rules)
        look = Lookup(replace(estate, rules=rules), graph)
        keys = PageKeys(look, Linker(look.estate, graph, {}), DataIndex(look),
                        result.analysis.program_keys, (), decided, {}, aspects=aspects)
        return keys.face("DATEUTIL")

    # with the analysis's digest of the rules' paragraphs and kinds (pipeline._list_aspects),
    # only the rules decided on are looked at here
    aspects = result.analysis.program_aspects
    assert aspects and "face" in aspects["DATEUTIL"]
    base = face(aspects=aspects)
    assert face(lambda r: replace(r, id=r.id + "x", text="other"), aspects=aspects) == base
    assert face(decided={mine.id}, aspects=aspects) != base
    assert face(lambda r: replace(r, conditions=("OTHER",)), {mine.id}, aspects) != \
        face(decided={mine.id}, aspects=aspects)

    base = face()
    assert face(lambda r: replace(r, id=r.id + "x", text="other")) == base
    assert face(lambda r: replace(r, kind="routing" if r.kind != "routing" else "decision")) \
        != base
    assert face(lambda r: replace(r, procedure=r.procedure + "-X")) != base
    assert face(decided={mine.id}) != base
    assert face(lambda r: replace(r, conditions=("OTHER",)), {mine.id}) != \
        face(decided={mine.id})  # a decided rule that says something else


def test_a_changed_condition_keeps_the_estate_pages_that_do_not_show_it(
        repo, tmp_path, monkeypatch):
    """The overview, reviews, smells, data index and glossary pages, and the data pages of
    copybooks, show some aspects of each program (render.deps, `PageKeys.listing`, `group`):
    a condition that changes no count, kind, paragraph or data name builds none of them but
    the data page of the copybook whose entry it reads (its rule links change). The
    overview's count of changed rules differs from the last build's: its other view values
    come back from the state. Every file equals a full build's."""
    import logicmine.render.site as site

    out = tmp_path / "site"
    build(load_config(repo), out)
    built: list[str] = []
    subject = {"build_group": lambda a: a[3], "build_job": lambda a: a[2].name}
    for name in ("build_index", "build_reviews", "build_smells", "build_data_index",
                 "build_glossary", "build_group", "build_job"):
        real = getattr(site, name)
        monkeypatch.setattr(site, name, lambda *a, real=real, name=name: built.append(
            f"{name} {subject[name](a)}" if name in subject else name) or real(*a))
    index = (out / "index.html").read_text()
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 1000.00",
         "WHEN ACCT-BALANCE < 2000.00")
    reference = tmp_path / "full"
    shutil.copytree(out, reference)
    estate = build(load_config(repo), out).analysis.estate
    copied = {item.file for p in estate.programs if p.name == "INTCALC" for item in p.data_items
              if item.copybook}
    assert {"copybooks/ACCTREC.cpy", "copybooks/FEEPARM.cpy"} <= copied
    running = sorted(f"build_job {job.name}" for job in estate.jobs
                     if "INTCALC" in {step.program for step in job.steps})
    assert running and len(running) < len(estate.jobs)
    assert built == ["build_group copybooks/ACCTREC.cpy", "build_group programs/INTCALC.cbl",
                     *running], "the pages of the copybooks whose entries the rule does not " \
        "read are kept, and those of the jobs that do not run the program"
    assert (out / "index.html").read_text() != index, "the changed rule is counted"
    build(load_config(repo), reference, incremental=False)
    ours, theirs = tree(out), tree(reference)
    assert sorted(p for p in ours if ours[p] != theirs[p]) == []
    assert "build_index" in built and "build_glossary" in built, "the full build made them"

    built.clear()  # the same count of changed rules: the overview is kept whole
    edit(repo / "programs" / "INTCALC.cbl", "WHEN ACCT-BALANCE < 2000.00",
         "WHEN ACCT-BALANCE < 2000.00 AND ACCT-BALANCE > 1")
    index = snapshot(out)["index.html"]
    build(load_config(repo), out)
    assert built == ["build_group copybooks/ACCTREC.cpy", "build_group programs/INTCALC.cbl",
                     *running]
    assert snapshot(out)["index.html"] == index
    # a new 88-level, under a name TXNPOST declares too (the dictionary's `fields`)
    edit(repo / "programs" / "INTCALC.cbl", "COPY FEEPARM.", "COPY FEEPARM.\n"
         "       01  WS-COMMIT-FREQ            PIC X.\n"
         "           88  WS-INTCALC-ON         VALUE 'Y'.")
    reference = tmp_path / "full-2"
    shutil.copytree(out, reference)
    build(load_config(repo), out)
    assert "build_glossary" in built and "build_data_index" in built
    build(load_config(repo), reference, incremental=False)
    fields = json.loads((out / "data-dictionary.json").read_text())["fields"]
    assert fields["WS-COMMIT-FREQ"] == ["INTCALC", "TXNPOST"]
    ours, theirs = tree(out), tree(reference)
    assert sorted(p for p in ours if ours[p] != theirs[p]) == []


def test_a_state_from_before_the_used_table_still_builds_and_sweeps(repo, tmp_path):
    """A state whose memo table still has the `run` column the marks once lived in is used as
    it is: entries are stored, marked in `used`, swept, and the next build reuses them."""
    import sqlite3

    from logicmine.state import state_path

    out = tmp_path / "site"
    path = state_path(out)
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE memo (ns TEXT, key TEXT, run INTEGER, value BLOB,"
               " PRIMARY KEY (ns, key))")
    db.execute("INSERT INTO memo VALUES ('page', 'gone', 1, x'00')")
    db.commit()
    db.close()
    build(load_config(repo), out)
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM memo WHERE key = 'gone'").fetchone() == (0,)
    kept = db.execute("SELECT count(*) FROM memo").fetchone()[0]
    assert kept == db.execute("SELECT count(*) FROM used").fetchone()[0] > 0
    db.close()


def test_keep_unchanged_links_equal_files_and_trusts_the_renderers_links(tmp_path, monkeypatch):
    import os

    out, temp = tmp_path / "out", tmp_path / "temp"
    for folder in (out / "sub", temp / "sub"):
        folder.mkdir(parents=True)
    (out / "same.html").write_text("same")
    (temp / "same.html").write_text("same")
    (out / "sub" / "changed.html").write_text("old")
    (temp / "sub" / "changed.html").write_text("new")
    (temp / "sub" / "new.html").write_text("new")
    (out / "sub" / "linked.html").write_text("kept")
    os.link(out / "sub" / "linked.html", temp / "sub" / "linked.html")
    looked: list[str] = []
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: looked.append(os.path.basename(
        path)) or real(path, *a, **k))
    assert keep_unchanged(temp, out, {"sub/linked.html"}) == (2, 2)
    assert "linked.html" not in looked, "what the renderer linked is not looked at again"
    assert (temp / "same.html").stat().st_ino == (out / "same.html").stat().st_ino
    assert (temp / "sub" / "changed.html").read_text() == "new"


def test_compiled_templates_are_kept_beside_the_state(repo, tmp_path, monkeypatch):
    """A build compiles the templates it renders with once and keeps them in the state's
    folder: the next build, in a fresh process (no template in memory), compiles none."""
    from jinja2 import Environment

    from logicmine.render.site import html_environment, markdown_environment
    from logicmine.state import state_path

    out = tmp_path / "site"
    for env in (html_environment(), markdown_environment()):
        env.cache.clear()  # as a new process starts
    build(load_config(repo), out)
    kept = state_path(out).parent / "templates"
    assert list((kept / "html").glob("*.cache")) and list((kept / "markdown").glob("*.cache"))
    compiled: list[str] = []
    compile_ = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, source, name=None, *a, **k:
                        compiled.append(name) or compile_(self, source, name, *a, **k))
    for env in (html_environment(), markdown_environment()):
        env.cache.clear()
    edit(repo / "programs" / "FEECALC.cbl", "VALUE 35.00", "VALUE 45.00")
    build(load_config(repo), out)
    assert compiled == []
    assert (out / "programs" / "FEECALC.html").is_file()
