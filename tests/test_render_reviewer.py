"""The reviewer pages: processes, decision tables, data dictionary, glossary, search, diagrams,
and review decisions (hashes, the reviews file, stale marks), checked by structure."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from render_support import render_checks, sample

from logicmine.business_exports import write_business_exports
from logicmine.model import Branch, CopyUse, Rule, Statement
from logicmine.render import RenderInput, render_all
from logicmine.render.context import Link
from logicmine.render.decision import decision_table
from logicmine.render.diagram import MAX_NODES, MAX_ROW_W, DEdge, DNode, draw
from logicmine.reviews import (
    ReviewsError,
    dump_reviews,
    load_reviews,
    record_decision,
    review_state,
    rule_hash,
    summary_hash,
)

helpers = render_checks()
parse, html_pages, broken_links = helpers.parse, helpers.html_pages, helpers.broken_links


def shared_estate():
    """The payroll sample with PAYRPT also including EMPREC and naming EMP-HOURS."""
    estate, _ = sample.build()
    rpt = next(p for p in estate.programs if p.name == "PAYRPT")
    calc = next(p for p in estate.programs if p.name == "PAYCALC")
    hours = next(d for d in calc.data_items if d.name == "EMP-HOURS")
    line = sample.line_of(sample.RPT, "IF PAGE-FULL")
    rpt = dataclasses.replace(
        rpt,
        data_items=rpt.data_items + (dataclasses.replace(hours, program="PAYRPT"),),
        copybooks=(CopyUse("EMPREC", sample.COPY, sample.RPT, 5),),
        statements=(
            Statement(
                "MOVE", "MOVE EMP-HOURS TO WS-LINE-COUNT", "PRINT-REGISTER", sample.RPT, line, line
            ),
        ),
    )
    programs = tuple(rpt if p.name == "PAYRPT" else p for p in estate.programs)
    estate = dataclasses.replace(estate, programs=programs)
    return estate, sample.build_graph(estate)


def render(tmp_path: Path, estate=None, graph=None, **extra) -> Path:
    if estate is None:
        estate, graph = shared_estate()
    out = tmp_path / "site"
    out.mkdir(parents=True)
    extra.setdefault("reviews_path", str(tmp_path / "logicmine-reviews.json"))
    render_all(RenderInput(estate, graph, sample.read_source, title="Payroll", **extra), out)
    write_business_exports(estate, out)  # as the pipeline does: process pages link to them
    return out


def text_of(path: Path) -> str:
    return "".join(parse(path).text)


def process_page(out: Path) -> Path:
    """The page of the sample's PAYCALC process (job step STEP010)."""
    return out / "processes" / f"{sample.PAY_PROCESS}.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return render(tmp_path_factory.mktemp("reviewer"))


# ---------------------------------------------------------------- the whole site


def test_new_pages_exist_and_all_links_resolve(site):
    for name in (
        "data/index.html",
        "glossary.html",
        "reviews.html",
        "search-index.js",
        "data/EMPREC.cpy.html",
        "data/PAYCALC.cbl.html",
        ".logicmine-site.json",
    ):
        assert (site / name).is_file(), name
    pages = html_pages(site)
    assert broken_links(site, pages) == []
    for name, page in pages.items():
        assert not page.errors and not page.stack, name
        assert len(page.ids) == len(set(page.ids)), name


def test_process_page_has_summary_steps_rules_touches_and_diagram(site):
    page = parse(process_page(site))
    text = "".join(page.text)
    html = process_page(site).read_text(encoding="utf-8")
    section = html[html.index('<section aria-labelledby="steps">') :]
    section = section[: section.index("</section>")]
    steps = re.findall(r'<th scope="row"><a href="[^"]*#para-[^"]*">([^<]+)</a>', section)
    assert steps == [  # grouped by program, in source order
        "MAIN-LOGIC",
        "READ-EMPLOYEE",
        "PROCESS-EMPLOYEE",
        "VALIDATE-HOURS",
        "COMPUTE-GROSS",
    ]
    assert {"rule-PAYCALC-R001", "rule-PAYCALC-R002", "rule-PAYCALC-R003"} <= set(page.ids)
    assert "Pays each employee from the master file" in text  # the process's summary
    program = text_of(site / "programs/PAYCALC.html")
    assert "Validates hours, then pays overtime" in program  # the step's (cluster's) summary
    assert "PAYTAX" in text and "calls" in text  # touched through a member paragraph
    svg = [a for t, a in page.tags if t == "svg"]
    assert svg and svg[0].get("aria-labelledby")
    node_links = [a for t, a in page.tags if t == "a" and a.get("class", "").startswith("node")]
    assert len(node_links) >= 3 and all(a["href"] for a in node_links)


def test_rule_with_branches_is_a_decision_table_on_its_card(site):
    html = process_page(site).read_text(encoding="utf-8")
    card = html[html.index('id="rule-PAYCALC-R002"') :]
    card = card[: card.index("</article>")]
    table = card[card.index('<table class="decision">') : card.index("</table>")]
    assert table.count("<tr") == 1 + 2  # header and one row per branch
    assert "EMP-HOURS" in table and "otherwise" in table
    assert "COMPUTE WS-GROSS = EMP-HOURS * EMP-RATE" in table
    assert card.count("PAYCALC.cbl.html#L") >= 3  # the rule's lines and each branch's lines


def test_decision_table_columns_follow_subjects_and_assignments():
    branches = (
        Branch("WS-CODE = 'A' AND WS-KIND = 1", ("MOVE 'X' TO WS-OUT", "PERFORM P1"), 10, 11),
        Branch("WS-CODE = 'B'", ("MOVE 'Y' TO WS-OUT", "IF WS-F", "MOVE 'Z' TO WS-OUT"), 12, 14),
        Branch("OTHER", ("CONTINUE",), 15, 15),
    )
    rule = Rule("R", "P", "PARA", "decision", "f.cbl", 9, 16, (), (), "t", branches=branches)
    table = decision_table(rule, [Link(str(b.line)) for b in branches])
    assert table.condition_heads == ("WS-CODE", "WS-KIND")
    assert [r.conditions for r in table.rows] == [
        ("= 'A'", "= 1"),
        ("= 'B'", "any"),
        ("otherwise", "otherwise"),
    ]
    assert table.action_heads == ("WS-OUT", "Then")
    # an assignment after a nested IF may not happen: it stays in order under 'Then'
    assert table.rows[1].actions == (("'Y'",), ("IF WS-F", "MOVE 'Z' TO WS-OUT"))
    assert [r.default for r in table.rows] == [False, False, True]
    odd = dataclasses.replace(rule, branches=(Branch("FUNCTION X(A) OR B", ("GO",), 1, 1),))
    assert decision_table(odd, [Link("1")]).condition_heads == ("Condition",)
    assert decision_table(dataclasses.replace(rule, branches=()), []) is None


# ---------------------------------------------------------------- data and glossary


def test_dictionary_lists_every_entry_once_where_it_is_defined(site):
    estate, _ = shared_estate()
    texts = {p.name: text_of(p) for p in (site / "data").glob("*.html")}
    assert "EMP-HOURS" in texts["EMPREC.cpy.html"] and "EMP-HOURS" not in texts["PAYRPT.cbl.html"]
    for program in estate.programs:
        for item in program.data_items:
            page = site / "data" / f"{Path(item.file).name}.html"
            assert item.name in text_of(page), (item.file, item.name)
    assert parse(site / "data" / "EMPREC.cpy.html").ids.count("d-EMP-HOURS") == 1  # listed once


def row_cells(html: str, ident: str) -> list[str]:
    """The cells (their inner HTML) of the table row with that id, end tags written or not."""
    start = re.search(rf'<tr id="?{re.escape(ident)}"?>', html).end()
    end = min(i for i in (html.find("<tr", start), html.find("</tbody>", start)) if i >= 0)
    cells = re.split(r"<t[dh](?:\s[^>]*)?>", html[start:end])[1:]
    return [re.sub(r"(</t[dh]>)?\s*(</tr>)?\s*$", "", cell) for cell in cells]


def test_field_cross_reference_reaches_every_program_through_the_copybook(site):
    html = (site / "data" / "EMPREC.cpy.html").read_text(encoding="utf-8")
    cells = row_cells(html, "d-EMP-HOURS")
    assert len(cells) == 10 and cells[1] == "EMP-HOURS"
    assert "PAYRPT (1)" in cells[7]  # named by one PAYRPT statement
    assert "../programs/PAYRPT.html" in cells[7]
    read_by, set_by = cells[8], cells[9]
    assert "(2)" in read_by and "rule-PAYCALC-R001" in read_by  # R001 and R002 read it
    assert "rule-PAYCALC-R001" in set_by  # R001 caps it
    assert "Included by" in text_of(site / "data" / "EMPREC.cpy.html")


def test_uses_counted_with_the_analysis_are_those_counted_from_statements():
    """The build hands the dictionary each program's uses, counted with its analysis and kept
    in the state; they are what the statements give (and they are what the pages show)."""
    from logicmine.dictionary import data_words
    from logicmine.render.dictionary import DataIndex
    from logicmine.render.lookup import Lookup

    estate, graph = shared_estate()
    look = Lookup(estate, graph)
    words = {p.name: data_words(p) for p in look.programs()}
    assert dict(words["PAYRPT"]) == {"EMP-HOURS": 1, "WS-LINE-COUNT": 1}
    counted, given = DataIndex(look), DataIndex(look, words)
    assert given.uses == counted.uses and counted.uses
    wrong = DataIndex(look, {**words, "PAYRPT": (("EMP-HOURS", 5),)})
    assert wrong.uses != counted.uses  # what is given is used, not counted again


def test_glossary_has_condition_names_with_field_and_values(site):
    page = parse(site / "glossary.html")
    text = "".join(page.text)
    assert "EMP-SALARIED" in text and "'S' or 'X'" in text
    assert "PAGE-FULL" in text and "50 THRU 999" in text
    row = row_cells((site / "glossary.html").read_text(encoding="utf-8"), "g-EMP-SALARIED")
    assert "data/EMPREC.cpy.html#d-EMP-TYPE" in row[1]  # the field it tests, in the dictionary


# ---------------------------------------------------------------- search


def search_document(site: Path) -> dict:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.LOGICMINE_SEARCH="
    assert text.startswith(prefix) and text.endswith(";\n")
    doc = json.loads(text[len(prefix) : -2])
    assert doc["v"] == 2
    # each chunk numbers its own pages: an entry as the page script reads it, page path in place
    doc["items"] = [[kind, name, detail, pages[page], fragment]
                    for pages, entries in doc["chunks"] for kind, name, detail, page, fragment
                    in entries]
    return doc


def test_search_index_covers_programs_paragraphs_rules_and_data(site):
    doc = search_document(site)
    found = {(doc["types"][t], name) for t, name, *_ in doc["items"]}
    for expected in (
        ("program", "PAYCALC"),
        ("paragraph", "COMPUTE-GROSS"),
        ("rule", "PAYCALC-R002"),
        ("data", "EMP-HOURS"),
        ("condition", "EMP-SALARIED"),
        ("job", "PAYJOB"),
        ("process", f"Job PAYJOB STEP010 (PAYCALC) {sample.XSS}"),
        ("process", f"Job PAYJOB STEP020 (PAYRPT) {sample.XSS}"),  # a split one, as a whole
    ):
        assert expected in found
    pages = html_pages(site)
    for _, name, detail, path, fragment in doc["items"]:
        assert len(detail) <= 90
        assert (site / path).is_file(), path
        if fragment:
            assert fragment in pages[path].ids, (name, path, fragment)


# ---------------------------------------------------------------- reviews


def test_rule_hash_follows_what_a_rule_says_not_where_it_is():
    estate, _ = sample.build()
    rule = estate.rules[1]
    moved = dataclasses.replace(rule, start_line=rule.start_line + 40, end_line=999, id="x")
    assert rule_hash(moved) == rule_hash(rule)
    changed = dataclasses.replace(rule, actions=rule.actions + ("MOVE 1 TO X",))
    assert rule_hash(changed) != rule_hash(rule)
    assert re.fullmatch(r"[0-9a-f]{64}", rule_hash(rule))
    assert (
        review_state({"status": "accepted", "hash": rule_hash(rule)}, rule_hash(changed)) == "stale"
    )
    assert review_state(None, rule_hash(rule)) == ""


def test_reviews_file_round_trips_and_refuses_what_it_cannot_read(tmp_path):
    path = tmp_path / "r.json"
    assert load_reviews(path) == {"version": 1, "rules": {}, "summaries": {}}
    good = {"status": "rejected", "hash": "a" * 64, "comment": "wrong limit", "at": "t"}
    record_decision(path, "rules", "R1", good)
    record_decision(path, "summaries", "S1", {**good, "status": "accepted", "comment": ""})
    text = path.read_text(encoding="utf-8")
    assert text == dump_reviews(load_reviews(path, strict=True))
    assert json.loads(text)["rules"]["R1"]["comment"] == "wrong limit"
    assert "comment" not in json.loads(text)["summaries"]["S1"]  # empty fields are left out
    record_decision(path, "rules", "R1", None)
    assert load_reviews(path)["rules"] == {}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left
    with pytest.raises(ReviewsError):
        record_decision(path, "rules", "R2", {**good, "status": "maybe"})
    path.write_text('{"version": 1, "rules": {"R": {"status": "accepted", "hash": "x"}}}')
    assert load_reviews(path)["rules"] == {}  # an invalid entry is dropped when reading ...
    with pytest.raises(ReviewsError):
        load_reviews(path, strict=True)  # ... but the server refuses to overwrite it
    path.write_text("<<<<<<< HEAD\n")
    assert load_reviews(path)["rules"] == {}
    with pytest.raises(ReviewsError, match="not valid JSON"):
        load_reviews(path, strict=True)


def test_decisions_are_embedded_and_go_stale_when_the_rule_changes(tmp_path):
    estate, graph = shared_estate()
    by_id = {r.id: r for r in estate.rules}
    reviews = {
        "version": 1,
        "summaries": {},
        "rules": {
            "PAYCALC-R001": {
                "status": "accepted",
                "hash": rule_hash(by_id["PAYCALC-R001"]),
                "at": "2024-05-01T10:00:00Z",
            },
            "PAYCALC-R002": {"status": "accepted", "hash": "0" * 64},
            "PAYCALC-R003": {
                "status": "commented",
                "hash": rule_hash(by_id["PAYCALC-R003"]),
                "comment": f"check {sample.XSS}",
            },
            "GONE-R9": {"status": "rejected", "hash": "1" * 64},
        },
    }
    out = render(tmp_path, estate, graph, reviews=reviews)
    html = process_page(out).read_text(encoding="utf-8")

    def badge(rule_id: str) -> str:
        card = html[html.index(f'id="rule-{rule_id}"') :]
        return re.search(r'class="review (st-\w+)".*?class="badge">([^<]*)<', card, re.S).groups()

    assert badge("PAYCALC-R001") == ("st-accepted", "Accepted")
    assert badge("PAYCALC-R002") == ("st-stale", "Stale: accepted before the rule changed")
    assert badge("PAYCALC-R003") == ("st-commented", "Commented")
    assert "<script>alert" not in html and "check &lt;script&gt;" in html
    reviews_page = text_of(out / "reviews.html")
    assert "PAYCALC-R002" in reviews_page and "GONE-R9" in reviews_page  # stale, orphan
    assert "PAYCALC-R001" not in reviews_page  # accepted and current: nothing to look at
    program = text_of(out / "programs/PAYCALC.html")
    assert "Accepted" in program and "Stale" in program
    # the analysis's hashes (a build's): the same states and orphans, without registering a
    # hash per item counted
    hashes = {("rules", r.id): rule_hash(r) for r in estate.rules}
    hashes.update({("summaries", s.subject): summary_hash(s) for s in estate.summaries})
    known = render(tmp_path / "known", estate, graph, reviews=reviews, review_hashes=hashes,
                   reviews_path=str(out / "logicmine-reviews.json"))
    for page in ("reviews.html", "index.html", "programs/PAYCALC.html"):
        assert (known / page).read_bytes() == (out / page).read_bytes(), page


def test_site_metadata_names_the_reviews_file_and_every_items_hash(site):
    estate, _ = shared_estate()
    meta = json.loads((site / ".logicmine-site.json").read_text(encoding="utf-8"))
    assert Path(meta["reviews"]).name == "logicmine-reviews.json"
    assert Path(meta["reviews"]).is_absolute()
    assert meta["items"]["rules"] == {r.id: rule_hash(r) for r in estate.rules}
    assert set(meta["items"]["summaries"]) == {s.subject for s in estate.summaries}


def test_reviews_are_read_from_the_estate_root_by_default(tmp_path):
    estate, graph = shared_estate()
    rule = estate.rules[0]
    root = tmp_path / "repo"
    root.mkdir()
    record_decision(
        root / "logicmine-reviews.json",
        "rules",
        rule.id,
        {"status": "rejected", "hash": rule_hash(rule)},
    )
    out = render(tmp_path, dataclasses.replace(estate, root=str(root)), graph, reviews_path="")
    meta = json.loads((out / ".logicmine-site.json").read_text(encoding="utf-8"))
    assert meta["reviews"] == str((root / "logicmine-reviews.json").resolve())
    assert "Rejected" in text_of(out / "reviews.html")


# ---------------------------------------------------------------- diagrams


def random_graph(n: int, seed: int) -> tuple[list[DNode], list[DEdge]]:
    rng = random.Random(seed)
    nodes = [
        DNode(
            f"n{i}",
            f"PARAGRAPH-NAME-{i:03d}" + "X" * rng.randint(0, 20),
            "paragraph",
            f"#p{i}",
            f"Paragraph {i}",
        )
        for i in range(n)
    ]
    edges = [
        DEdge(f"n{rng.randrange(n)}", f"n{rng.randrange(n)}", rng.choice(["performs", "goes_to"]))
        for _ in range(int(n * 1.5))
    ]
    return nodes, edges


def boxes(svg: str) -> list[tuple[float, float, float]]:
    return [
        (float(x), float(y), float(w))
        for x, y, w in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_layout_of_a_large_cyclic_graph_is_readable(seed):
    nodes, edges = random_graph(80, seed)
    diagram = draw("d", "A <big> graph", nodes, edges)
    svg = str(diagram.svg)
    assert svg == str(draw("d", "A <big> graph", nodes, edges).svg)  # deterministic
    assert svg.count('<a class="node') == 80 and svg.count("<title>") == 80  # one per box
    assert '<title id="d-t">A &lt;big&gt; graph</title>' in svg
    placed = boxes(svg)
    assert len(placed) == 80
    rows: dict[float, list[tuple[float, float]]] = {}
    for x, y, w in placed:
        assert 0 <= x and x + w <= diagram.width and 0 <= y < diagram.height
        rows.setdefault(y, []).append((x, x + w))
    for spans in rows.values():  # boxes of a row never overlap
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert diagram.width <= MAX_ROW_W + 400  # wrapped, not one endless row
    assert "style" not in svg and "http" not in svg  # CSP: classes only, nothing external


def test_diagram_gives_up_on_nothing_or_too_much():
    assert draw("d", "t", [], []) is None
    nodes, edges = random_graph(MAX_NODES + 1, 4)
    assert draw("d", "t", nodes, edges) is None
    one = draw("d", "t", [DNode("a", "A", "program")], [DEdge("a", "a", "performs")])
    assert one is not None and one.edges == 1 and '<g class="node n-program">' in str(one.svg)


def test_job_and_estate_diagrams_link_steps_programs_and_datasets(site):
    job = parse(site / "jobs/PAYJOB.html")
    labels = "".join(job.text)
    assert "STEP010" in labels and "PAY.EMPLOYEE.MASTER" in labels and "PAYCALC" in labels
    hrefs = [a["href"] for t, a in job.tags if t == "a" and "node" in a.get("class", "")]
    assert "#step-STEP010" in hrefs and "../programs/PAYCALC.html" in hrefs
    index = parse(site / "index.html")
    nodes = [a["href"] for t, a in index.tags if t == "a" and "node" in a.get("class", "")]
    assert "programs/PAYCALC.html" in nodes  # PAYCALC calls PAYTAX: on the program map


def test_every_svg_has_an_accessible_name(site):
    for name, page in html_pages(site).items():
        for tag, attrs in page.tags:
            if tag == "svg":
                assert attrs.get("aria-labelledby"), name
                assert attrs["aria-labelledby"] in page.ids, name


def test_source_listing_marks_every_line_and_cited_ranges(site):
    page = parse(site / "source/cbl/PAYCALC.cbl.html")
    lines = sample.read_source("cbl/PAYCALC.cbl").split("\n")[:-1]
    spans = [a for t, a in page.tags if t == "span"]
    assert [a["id"] for a in spans if re.fullmatch(r"L\d+", a.get("id") or "")] == [
        f"L{n}" for n in range(1, len(lines) + 1)
    ]
    assert {"class": "range-anchor", "id": "L46-L49"} in spans  # the no-JS :target marker
    for href in re.findall(r'href="([^"]+#L\d+-L\d+)"', process_page(site).read_text()):
        fragment = unquote(urlsplit(href).fragment)
        target = parse((site / "processes" / unquote(urlsplit(href).path)).resolve())
        assert fragment.split("-")[0] in target.ids and fragment in target.ids


def test_java_classes_get_class_pages_with_method_flow(tmp_path):
    from logicmine.config import load_config
    from logicmine.discover import read_source
    from logicmine.pipeline import analyse, parse_estate

    config = load_config(Path(__file__).resolve().parents[1] / "samples" / "java")
    analysis = analyse(config, parse_estate(config))
    sources = {s.path: s for s in analysis.estate.sources}
    out = tmp_path / "site"
    out.mkdir()
    render_all(
        RenderInput(
            analysis.estate,
            analysis.graph,
            lambda p: read_source(config, sources[p])[0],
            reviews_path=str(tmp_path / "r.json"),
        ),
        out,
    )
    write_business_exports(analysis.estate, out)
    pages = html_pages(out)
    assert broken_links(out, pages) == []
    calling = [
        p
        for p in analysis.estate.programs
        if any(
            e[2].get("kind") == "calls" and e[1] in {q.id for q in p.procedures}
            for e in analysis.graph.out_edges([q.id for q in p.procedures], data=True)
        )
    ]
    assert calling, "the Java sample has classes whose methods call each other"
    page = parse(out / f"programs/{calling[0].name}.html")
    assert "".join(page.text).count("Class ") >= 1
    method_boxes = [
        a
        for t, a in page.tags
        if t == "a" and "n-method" in a.get("class", "") and a["href"].startswith("#para-")
    ]
    assert method_boxes  # a method calling a method of its class is drawn as flow
    doc = search_document(out)
    assert {"class", "method"} <= {doc["types"][item[0]] for item in doc["items"]}


# ---------------------------------------------------------------- the render worker


def site_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_the_forked_worker_writes_the_same_site_and_failures_fall_back(
    tmp_path, monkeypatch, caplog
):
    import os

    from logicmine.render import site as site_module

    same = {"reviews_path": str(tmp_path / "logicmine-reviews.json")}
    here = site_bytes(render(tmp_path / "here", **same))
    monkeypatch.setattr(site_module, "PARALLEL_LINES", 0)  # fork even for the small sample
    assert site_bytes(render(tmp_path / "forked", **same)) == here
    parent, side_work = os.getpid(), site_module._side_work

    def failing(*args):
        if os.getpid() != parent:
            raise RuntimeError("worker broke")
        return side_work(*args)

    monkeypatch.setattr(site_module, "_side_work", failing)
    assert site_bytes(render(tmp_path / "fallback", **same)) == here
    assert "worker broke" in caplog.text


def test_site_json_is_what_json_writes_with_an_indent_and_marks_only_decided_items():
    """.logicmine-site.json is written a line per item by hand (json's indented encoder runs
    in Python): the same text json gives; counting states makes no mark for items nobody
    decided on, yet registers every hash the server checks."""
    from logicmine.render.review_marks import Marks, register_all, site_json

    estate, _ = shared_estate()
    decided = estate.rules[0]
    marks = Marks({"rules": {decided.id: {"status": "accepted", "hash": "old"}}})
    register_all(marks, estate)
    assert set(marks.hashes["rules"]) == {r.id for r in estate.rules}
    assert set(marks.hashes["summaries"]) == {s.subject for s in estate.summaries}
    assert list(marks._marks) == [("rules", decided.id)]  # the one decision: stale
    assert marks.rule_state(decided) == "stale" and marks.rule_state(estate.rules[1]) == ""
    for path in ("/srv/docs/logicmine-reviews.json", 'C:\\é "quoted".json'):
        document = {"version": 1, "reviews": path,
                    "items": {s: dict(sorted(marks.hashes[s].items()))
                              for s in ("rules", "summaries")}}
        assert site_json(marks, path) == \
            json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert json.loads(site_json(Marks({}), "x"))["items"] == {"rules": {}, "summaries": {}}


def test_site_json_from_the_analysis_hashes_is_the_one_the_marks_give(tmp_path):
    """With the analysis's hashes, site.json is written from them without registering a mark
    per item: the same bytes as registering every rule and summary."""
    from logicmine.reviews import rule_hash, summary_hash

    estate, graph = shared_estate()
    hashes = {("rules", r.id): rule_hash(r) for r in estate.rules}
    hashes.update({("summaries", s.subject): summary_hash(s) for s in estate.summaries})
    marked = render(tmp_path / "marks", estate, graph)
    known = render(tmp_path / "known", estate, graph, review_hashes=hashes,
                   reviews_path=str(tmp_path / "marks" / "logicmine-reviews.json"))
    assert (known / ".logicmine-site.json").read_bytes() == \
        (marked / ".logicmine-site.json").read_bytes()
