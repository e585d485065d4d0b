"""The renderer: pages, links, escaping, exports and safe file names, checked by structure."""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from render_support import sample

from logicmine.business_exports import write_business_exports
from logicmine.graph_export import to_json
from logicmine.model import (
    Branch,
    Claim,
    Estate,
    Job,
    JobStep,
    Procedure,
    Program,
    Rule,
    SourceFile,
    Summary,
)
from logicmine.render import RenderInput, render_all
from logicmine.render.exports import record_lines
from logicmine.render.markdown import code, prose, rule_markdown
from logicmine.render.paths import assign_names, safe_name, safe_relpath
from logicmine.render.source import highlight_lines, pygments_css, split_lines

CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
XSS = sample.XSS
VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr", "area", "base"}


# ---------------------------------------------------------------- helpers


class Page(HTMLParser):
    """Parses one page: ids, links, script/style use, text, and tag balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        self.tags.append((tag, attr))
        if "id" in attr:
            self.ids.append(attr["id"])
        for name in ("href", "src"):
            if attr.get(name) is not None:
                self.hrefs.append(attr[name])
        if tag in ("td", "th", "tr"):
            self._close_implied({"td", "th"} if tag != "tr" else {"td", "th", "tr"})
        if tag not in VOID:
            self.stack.append(tag)

    def _close_implied(self, tags: set[str]) -> None:
        """A cell or row whose end tag HTML lets out ends where the next one (or its table
        section) starts; every other element must be closed explicitly."""
        while self.stack and self.stack[-1] in tags:
            if self.stack.pop() == "tr":
                return

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("tr", "tbody", "thead", "tfoot", "table"):
            self._close_implied({"td", "th"} if tag == "tr" else {"td", "th", "tr"})
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "script":
            self.script_text.append(data)
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def html_pages(out: Path) -> dict[str, Page]:
    return {p.relative_to(out).as_posix(): parse(p) for p in sorted(out.rglob("*.html"))}


def broken_links(out: Path, pages: dict[str, Page]) -> list[str]:
    """Every href/src must name an existing file inside out and, for a fragment, an id in it."""
    problems = []
    for name, page in pages.items():
        for link in page.hrefs:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                problems.append(f"{name}: external {link}")
                continue
            target = name
            if parts.path:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), unquote(parts.path))
                )
            if target.startswith("../") or not (out / target).is_file():
                problems.append(f"{name}: missing file {link}")
                continue
            if parts.fragment and not _has_anchor(pages.get(target), unquote(parts.fragment)):
                problems.append(f"{name}: missing anchor {link}")
    return problems


def _has_anchor(page: Page | None, fragment: str) -> bool:
    if page is None:
        return False
    ranged = re.fullmatch(r"L(\d+)-L(\d+)", fragment)
    if ranged:
        start, end = int(ranged[1]), int(ranged[2])
        return start <= end and f"L{start}" in page.ids and f"L{end}" in page.ids
    return fragment in page.ids


def render(estate, graph, out: Path, read=sample.read_source, **extra) -> list[str]:
    """The site as the pipeline writes it: render_all, then the business exports beside it
    (the process pages link to the exports' Markdown)."""
    out.mkdir(parents=True, exist_ok=True)
    extra.setdefault("fidelity_note", "Offline summaries only.")
    inp = RenderInput(estate, graph, read, title="Payroll", **extra)
    return sorted(render_all(inp, out) + write_business_exports(estate, out))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    estate, graph = sample.build()
    out = tmp_path_factory.mktemp("site")
    written = render(estate, graph, out)
    return estate, graph, out, written


# ---------------------------------------------------------------- pages and links


def test_every_page_is_written_and_listed(built):
    _, _, out, written = built
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == on_disk
    for expected in (
        "index.html",
        "diagnostics.html",
        "smells.html",
        f"processes/{sample.PAY_PROCESS}.html",
        f"processes/{sample.SPLIT}.html",
        f"processes/{sample.SPLIT}-1.html",
        f"processes/{sample.SPLIT}-2.html",
        f"markdown/processes/{sample.PAY_PROCESS}.md",
        "programs/PAYCALC.html",
        "programs/PAYRPT.html",
        "jobs/PAYJOB.html",
        "source/cbl/PAYCALC.cbl.html",
        "source/cpy/EMPREC.cpy.html",
        "source/jcl/PAYJOB.jcl.html",
        "source/bms/PAYMAP.bms.html",
        "markdown/index.md",
        "markdown/programs/PAYCALC.md",
        "rules.json",
        "graph.json",
        "static/style.css",
        "static/site.js",
        "static/pygments.css",
    ):
        assert expected in written
    assert not any("GONE" in path for path in written)  # unreadable source: no page
    assert "changes.html" not in written  # no change report given: no page


def test_html_is_balanced_and_every_link_resolves(built):
    _, _, out, _ = built
    pages = html_pages(out)
    assert len(pages) >= 9
    for name, page in pages.items():
        assert not page.errors, (name, page.errors)
        assert not page.stack, (name, page.stack)
        assert len(page.ids) == len(set(page.ids)), name
    assert broken_links(out, pages) == []
    citations = [h for p in pages.values() for h in p.hrefs if re.search(r"#L\d+-L\d+$", h)]
    assert any("PAYCALC.cbl.html#L46-L49" in h for h in citations)


def test_balance_checker_allows_only_the_end_tags_html_lets_out():
    def errors(html: str) -> list[str]:
        page = Page()
        page.feed(html)
        page.close()
        return page.errors + page.stack

    assert errors("<table><tbody><tr id=a><td>1<th>x<td>2\n<tr><td>3</td></tbody></table>") == []
    assert errors("<table><tr><td><div>1<td>2</table>")  # a div is never closed for you
    assert errors("<p><span>1</p>")


def test_link_checker_notices_broken_links(built, tmp_path):
    _, _, out, _ = built
    page = Page()
    page.feed('<a href="source/cbl/PAYCALC.cbl.html#L60-L99">x</a><a href="nope.html">y</a>')
    problems = broken_links(out, {**html_pages(out), "fake.html": page})
    assert len(problems) == 2


def test_every_page_has_csp_lang_title_and_no_network(built):
    _, _, out, _ = built
    for name, page in html_pages(out).items():
        metas = [
            a
            for t, a in page.tags
            if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
        ]
        assert [m["content"] for m in metas] == [CSP], name
        assert ("html", {"lang": "en"}) in page.tags
        assert any(t == "title" for t, _ in page.tags)
        headings = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
        assert headings[0] == 1 and headings.count(1) == 1, name
        assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), (
            name,
            headings,
        )
        for tag, attrs in page.tags:
            assert "style" not in attrs and tag != "style", name
            assert not any(k.startswith("on") for k in attrs), name
            for value in attrs.values():
                assert not re.match(r"\s*(https?:)?//", value or ""), (name, value)
        first = next(a for t, a in page.tags if t == "a")
        assert first["href"] == "#main"
        assert any(a.get("href", "").endswith("index.html") for t, a in page.tags if t == "a")


def test_hostile_text_is_shown_but_never_executed(built):
    _, _, out, _ = built
    pages = html_pages(out)
    for name, page in pages.items():
        scripts = [a for t, a in page.tags if t == "script"]
        assert len(scripts) == 1 and scripts[0]["src"].endswith("static/site.js"), name
        assert "".join(page.script_text) == ""
        assert "<script>alert" not in (out / name).read_text(encoding="utf-8")
    text = {name: "".join(page.text) for name, page in pages.items()}
    program = text["programs/PAYCALC.html"]
    assert f"Shows {XSS} when" in program  # summary claim
    assert f"Gross pay {XSS}" in program  # step (cluster) title
    assert f"tested again: {XSS}" in program  # logic smell
    assert program.count(XSS) >= 4  # also the rule text and the process title
    data = text["data/PAYCALC.cbl.html"]
    assert f"'{XSS}'" in data and data.count(XSS) >= 2  # literal VALUE and the data name
    process = text[f"processes/{sample.PAY_PROCESS}.html"]
    assert f"Process Job PAYJOB STEP010 (PAYCALC) {XSS}" in process  # h1
    assert f"from the master file {XSS}." in process  # the process's summary
    assert f"tested again: {XSS}" in text["smells.html"]
    assert f"* {XSS} must show as text" in text["source/cbl/PAYCALC.cbl.html"]  # comment
    assert XSS in text["index.html"]  # diagnostic message


def test_program_page_shows_rules_neighbours_paragraphs_and_data(built):
    estate, _, out, _ = built
    page = parse(out / "programs/PAYCALC.html")
    text = "".join(page.text)
    for rule in (r for r in estate.rules if r.program == "PAYCALC"):
        assert f"rule-{rule.id}" in page.ids
        assert rule.span.cite() in text
    assert {
        "para-MAIN-LOGIC",
        "para-COMPUTE-GROSS",
        "step-PAYCALC_C1-" + sample.hashlib.sha256(b"PAYCALC:C1").hexdigest()[:8],
    } <= set(page.ids)
    assert "PAYJOB / STEP010" in text and "PAYTAX" in text  # caller (runs) and callee (calls)
    assert "Computes weekly gross pay into WS-GROSS" in text
    assert "EMPIN" in text  # file assignment
    data_links = {h for h in page.hrefs if h.startswith("../data/") and "index" not in h}
    assert data_links == {"../data/PAYCALC.cbl.html", "../data/EMPREC.cpy.html"}
    assert "'S', 'X'" in "".join(parse(out / "data/EMPREC.cpy.html").text)  # 88 values
    assert "COMP-3" in "".join(parse(out / "data/PAYCALC.cbl.html").text)
    codes = [a for t, a in page.tags if t == "code"]
    assert len(codes) > 10
    rpt = "".join(parse(out / "programs/PAYRPT.html").text)
    assert "EXEC SQL SELECT DEPT_NAME" in rpt
    assert "50 THRU 999" in "".join(parse(out / "data/PAYRPT.cbl.html").text)


def test_index_lists_programs_entry_points_inventory_and_diagnostics(built):
    _, _, out, _ = built
    text = "".join(parse(out / "index.html").text)
    assert "98.0%" in text and "100.0%" in text  # 1 - 1/50 and 1 - 0/20
    assert "PAYJOB / STEP010" in text and "STEP020" in text
    assert "PAYSET.PAYMAP" in text and "EMPREC" in text
    assert "copy-missing" in text and "cbl/GONE.cbl:3-3" in text
    assert "Offline summaries only." in text


def test_job_page_lists_steps_and_datasets(built):
    _, _, out, _ = built
    page = parse(out / "jobs/PAYJOB.html")
    text = "".join(page.text)
    assert {"step-STEP010", "step-STEP020"} <= set(page.ids)
    assert "PAY.EMPLOYEE.MASTER" in text and "(NEW,CATLG,DELETE)" in text
    assert "STEP020.REPORT (NEW,CATLG,DELETE)" in text


def test_source_page_has_one_anchored_row_per_line(built):
    _, _, out, _ = built
    for path in ("cbl/PAYCALC.cbl", "jcl/PAYJOB.jcl", "cpy/EMPREC.cpy"):
        page = parse(out / f"source/{path}.html")
        lines = split_lines(sample.read_source(path))
        numbered = [i for i in page.ids if re.fullmatch(r"L\d+", i)]
        assert numbered == [f"L{n}" for n in range(1, len(lines) + 1)]
        text = "".join(page.text)
        assert all(line.strip() in text for line in lines)
    assert "L46-L49" in parse(out / "source/cbl/PAYCALC.cbl.html").ids  # no-JS :target marker


# ---------------------------------------------------------------- exports and Markdown


def test_rules_json_round_trips(built):
    estate, _, out, _ = built
    text = (out / "rules.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == record_lines(data)  # canonical: the same data always gives the same bytes
    assert data["version"] == 1
    lines = text.split("\n")
    start = lines.index('"rules": [') + 1
    assert [json.loads(line.rstrip(",")) for line in lines[start : start + len(data["rules"])]] \
        == data["rules"]  # one rule per line: a changed rule is one changed line of a diff
    by_id = {r["id"]: r for r in data["rules"]}
    assert set(by_id) == {r.id for r in estate.rules}
    for rule in estate.rules:
        record = by_id[rule.id]
        for name in (
            "program",
            "procedure",
            "file",
            "start_line",
            "end_line",
            "kind",
            "text",
            "cluster",
        ):
            assert record[name] == getattr(rule, name)
        for name in ("conditions", "actions", "inputs", "outputs"):
            assert tuple(record[name]) == getattr(rule, name)
        assert [
            (b["condition"], tuple(b["actions"]), b["line"], b["end_line"])
            for b in record["branches"]
        ] == [(b.condition, b.actions, b.line, b.end_line) for b in rule.branches]
    assert XSS in text  # verbatim: JSON is data, not markup


def test_graph_json_is_the_canonical_export_a_record_per_line(built):
    _, graph, out, _ = built
    text = (out / "graph.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data == json.loads(to_json(graph))  # the same data as `logicmine graph -f json`
    assert text == record_lines(data)
    lines = {line.rstrip(",") for line in text.split("\n")}
    for record in data["nodes"] + data["edges"]:  # each on a line of its own
        assert json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")) \
            in lines


def test_record_lines_is_valid_json_with_a_record_per_line():
    document = {"version": 1, "empty": [], "none": {}, "items": [{"b": "x\ny", "a": "\u2028"}, 2],
                "names": {"B": [1], "A": {"k": "v"}}}
    text = record_lines(document)
    assert json.loads(text) == document
    assert text.split("\n") == [
        "{", '"empty": [],', '"items": [', '{"a":"\u2028","b":"x\\ny"},', "2", "],",
        '"names": {', '"A":{"k":"v"},', '"B":[1]', "},", '"none": {},', '"version": 1', "}", ""]


def test_markdown_lists_rules_in_the_program_and_gives_them_in_full_in_the_process(built):
    estate, _, out, _ = built
    text = (out / "markdown/programs/PAYCALC.md").read_text(encoding="utf-8")
    assert text.startswith("# Program PAYCALC\n")
    rules = [r for r in estate.rules if r.program == "PAYCALC"]
    listing = text.split("\n## Rules\n")[1]
    process = next(p for p in estate.processes if p.id == sample.PAY_PROCESS)
    heads = [line for line in listing.split("\n") if line.startswith("In ")]
    assert heads == [f"In [{prose(process.title)}](../processes/{sample.PAY_PROCESS}.md):"]
    listed = [line for line in listing.split("\n") if line.startswith("- ")]
    for rule, line in zip(rules, listed, strict=True):  # every rule, in source order
        assert line.startswith(
            f"- {rule.id} ({rule.kind}), `{rule.span.cite()}` in `{rule.procedure}`: ")
    assert "\n### " not in listing  # all in a process: none in full here
    full = (out / f"markdown/processes/{sample.PAY_PROCESS}.md").read_text(encoding="utf-8")
    blocks = full.split("\n### ")[1:]
    assert [b.split("\n")[0] for b in blocks] == [f"{r.id} ({r.kind})" for r in rules]
    for rule, block in zip(rules, blocks, strict=True):
        assert f"Cited: `{rule.span.cite()}` in paragraph `{rule.procedure}`" in block
        for condition in rule.conditions:  # a rule with branches lists them once, as branches
            assert (f"- when `{condition}`" if rule.branches else f"- `{condition}`") in block
        for branch in rule.branches:
            assert f"(lines {branch.line}-{branch.end_line})" in block
        if rule.inputs:
            assert f"Reads: {', '.join(f'`{n}`' for n in rule.inputs)}" in block
        if rule.outputs:
            assert f"Sets: {', '.join(f'`{n}`' for n in rule.outputs)}" in block
    assert f"`{XSS}`" in full  # literal kept verbatim inside a code span
    assert "&lt;" not in text + full
    index = (out / "markdown/index.md").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(([^)]+)\)", index + text):
        assert (out / "markdown" / link).is_file() or (out / "markdown/programs" / link).is_file()


def test_a_rule_in_no_process_is_given_in_full_in_its_program_document(tmp_path):
    estate, graph = sample.build()
    rule = next(r for r in estate.rules if r.program == "PAYRPT")
    processes = tuple(dataclasses.replace(p, rules=tuple(i for i in p.rules if i != rule.id))
                      for p in estate.processes)
    out = tmp_path / "site"
    render(dataclasses.replace(estate, processes=processes), graph, out)
    text = (out / "markdown/programs/PAYRPT.md").read_text(encoding="utf-8")
    line = f"- {rule.id} ({rule.kind}), `{rule.span.cite()}` in `{rule.procedure}`: "
    assert f"In no process (given in full below):\n\n{line}" in text
    full = text.split("\n## Rules in no process\n\n")[1]
    assert full.startswith(f"### {rule.id} ({rule.kind})\n")
    assert f"Cited: `{rule.span.cite()}` in paragraph `{rule.procedure}`" in full
    for condition in rule.conditions:
        assert f"- `{condition}`" in full
    for path in (out / "markdown/processes").glob("*.md"):
        assert rule.id not in path.read_text(encoding="utf-8")


def test_a_full_rule_says_each_thing_once():
    span = ("cbl/P.cbl", 10, 20)
    branches = (Branch("WS-X = 1", ("MOVE 1 TO WS-Y",), 11, 12),
                Branch("OTHERWISE", (), 13, 14))
    rule = Rule("P-1", "P", "PARA", "decision", *span, ("WS-X = 1",),
                ("MOVE 1 TO WS-Y",), "WS-X: WS-X = 1 -> MOVE 1 TO WS-Y | OTHERWISE -> no action",
                branches, ("WS-X",), ("WS-Y",))
    offline = Summary(rule.id, "t", (Claim("Decision (in `PARA`): When ...", (rule.span,)),))
    text = rule_markdown(rule, offline)
    assert "->" not in text  # the text is only its branches again: they say it
    assert "Decision (in" not in text  # an offline summary is made from the same branches
    assert "Branches on `WS-X`:" in text
    assert "- when `OTHERWISE`: no action (lines 13-14)" in text
    assert text.endswith("Cited: `cbl/P.cbl:10-20` in paragraph `PARA`\n")
    model = dataclasses.replace(offline, claims=(Claim("Sets Y for X <b>", (rule.span,)),),
                                source="model")
    assert "- Sets Y for X \\<b\\> (`cbl/P.cbl:10-20`)" in rule_markdown(rule, model)
    chain = dataclasses.replace(rule, text="IF: " + rule.text.split(": ", 1)[1])
    assert "\nBranches:\n" in rule_markdown(chain, None)
    other = dataclasses.replace(rule, text="READ F INTO R")  # the text says more: shown
    assert "\n\nREAD F INTO R\n\nBranches:\n" in rule_markdown(other, None)
    single = dataclasses.replace(rule, branches=(), conditions=(), actions=("ADD 1 TO N",),
                                 text="ADD 1 TO N")
    block = rule_markdown(single, None, "method")
    assert block.count("ADD 1 TO N") == 1 and "Actions:" not in block
    assert "in method `PARA`" in block


def test_markdown_code_spans_and_prose_escaping():
    assert code("A-B") == "`A-B`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"
    assert code("multi\n  line") == "`multi line`"
    assert prose("use `WS-A` * 2 <b>") == r"use `WS-A` \* 2 \<b\>"
    assert prose("# not a heading") == r"\# not a heading"
    assert prose("- not a list\nnext") == r"\- not a list next"


def test_rendering_is_deterministic(tmp_path):
    outputs = []
    for name in ("one", "two"):
        estate, graph = sample.build()
        render(estate, graph, tmp_path / name)
        outputs.append(
            {
                p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*")
                if p.is_file()
            }
        )
    assert outputs[0] == outputs[1]


def test_an_empty_estate_still_gives_a_working_site(tmp_path):
    written = render(Estate(root="."), nx.MultiDiGraph(), tmp_path, read=lambda path: "")
    assert {
        "index.html",
        "diagnostics.html",
        "rules.json",
        "graph.json",
        "markdown/index.md",
    } <= set(written)
    assert json.loads((tmp_path / "rules.json").read_text(encoding="utf-8")) == {
        "version": 1,
        "rules": [],
        "processes": [],
        "smells": [],
        "data_dictionary": "data-dictionary.json",
    }
    pages = html_pages(tmp_path)
    assert broken_links(tmp_path, pages) == []
    assert "No programs were found." in "".join(pages["index.html"].text)


def test_unreadable_and_odd_citations_degrade_to_text(built):
    _, _, out, _ = built
    page = parse(out / "index.html")
    gone = [a for t, a in page.tags if t == "a" and "GONE" in (a.get("href") or "")]
    assert gone == []  # no page for an unreadable file, so no link
    for path in (out / "markdown").rglob("*.md"):  # the program lists and the full rules
        assert not re.search(r":\d+-0`", path.read_text(encoding="utf-8")), path


# ---------------------------------------------------------------- hostile names and paths

HOSTILE = [
    "../../etc/passwd",
    "/abs/PROG",
    "A B",
    "A_B",
    "prog",
    "PROG",
    "ÄÖ<x>",
    "con",
    "..",
    ".",
    "",
]


def test_hostile_names_stay_inside_and_links_still_resolve(tmp_path):
    estate, graph = sample.build()
    texts = {}
    programs, jobs, sources = [], [], list(estate.sources)
    for n, name in enumerate(HOSTILE):
        path = f"../{name}/{n}.cbl" if n % 2 else f"{name}/x{n}.cbl"
        texts[path] = f"      * program {name}\n       PROCEDURE DIVISION.\n       {XSS}.\n"
        proc = Procedure(f"cobol:{name}:{XSS}", name, XSS, "paragraph", path, 3, 3)
        again = dataclasses.replace(proc, line=2, section="OTHER")  # same name, other section
        programs.append(Program(name, path, 1, 3, procedures=(proc, again)))
        step = JobStep(name, "S1", name, path, 2)
        jobs.append(Job(name, path, 1, (step, step)))
        sources.append(SourceFile(path, "cobol", "utf-8", 3, "0" * 64, 10))
    rules = [
        Rule(f"{name}-R1", name, XSS, "decision", path, 2, 3, ("X",), ("Y",), XSS)
        for name, path in zip(HOSTILE, texts, strict=True)
    ]
    estate = dataclasses.replace(
        estate,
        programs=estate.programs + tuple(programs),
        jobs=tuple(jobs),
        sources=tuple(sources),
        rules=estate.rules + tuple(rules),
    )

    def read(path: str) -> str:
        return texts[path] if path in texts else sample.read_source(path)

    out = tmp_path / "deep" / "site"
    written = render(estate, sample.build_graph(estate), out, read)
    root = out.resolve()
    assert all(p.resolve().is_relative_to(root) for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in tmp_path.iterdir()] == [tmp_path / "deep"]
    program_pages = [w for w in written if w.startswith("programs/")]
    assert len(program_pages) == 2 + len(HOSTILE)
    assert len({w.casefold() for w in written}) == len(written)
    source_pages = [w for w in written if w.startswith("source/")]
    assert len(source_pages) == 5 + len(HOSTILE)
    pages = html_pages(out)
    assert broken_links(out, pages) == []
    for name, page in pages.items():
        assert not page.errors, (name, page.errors)
        assert len(page.ids) == len(set(page.ids)), name
        assert "<script>alert" not in (out / name).read_text(encoding="utf-8")


@given(st.text(max_size=300))
def test_safe_name_is_a_plain_stable_segment(name):
    made = safe_name(name)
    assert re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", made)
    assert made not in (".", "..") and len(made) <= 110
    assert made == safe_name(name)


@given(st.lists(st.text(alphabet="ab./\\ ÄC<", max_size=12), max_size=30))
def test_assigned_relpaths_are_relative_distinct_and_inside(paths):
    made = assign_names(paths, safe_relpath)
    values = list(made.values())
    assert len({v.casefold() for v in values}) == len(values)
    for value in values:
        assert not value.startswith("/") and ".." not in value.split("/")
        assert all(seg and not seg.startswith(".") for seg in value.split("/"))


def test_safe_names_keep_clean_names_and_mark_changed_ones():
    assert safe_name("PAYCALC") == "PAYCALC"
    assert safe_relpath("app/cbl/PAY-CALC.cbl") == "app/cbl/PAY-CALC.cbl"
    assert safe_name("A B").startswith("A_B-") and safe_name("A B") != safe_name("A_B")
    assert safe_name("CON") != "CON" and safe_name("nul.txt") != "nul.txt"
    assert safe_relpath("../../etc/passwd").endswith("/etc/passwd")
    assert not safe_relpath("../../etc/passwd").startswith(".")
    names = assign_names(["prog", "PROG", "Other"], safe_name)
    assert names["Other"] == "Other" and names["prog"].casefold() != names["PROG"].casefold()


def test_highlighting_keeps_physical_lines_and_escapes():
    text = "       DISPLAY '<b>&'.\r\n      * x\x00y\rlast"
    lines = highlight_lines(text, "cobol")
    assert len(lines) == 3 == len(split_lines(text))
    assert "<b>" not in lines[0] and "&lt;b&gt;" in lines[0]
    assert "\x00" not in lines[1] and "\u2400" in lines[1]
    assert highlight_lines("", "jcl") == []
    assert len(highlight_lines("\n\n//STEP EXEC PGM=X\n", "jcl")) == 3


def test_highlighting_leaves_out_markup_that_shows_nothing():
    text = (
        "       01  WS-A  PIC X(4) VALUE 'AB  '.   \n"
        "       1230-EDIT-EXIT.    \n"
        "           MOVE 5 TO WS-A   \n"
        "           DISPLAY 'A LONG LITERAL   \n"
        "      -    'GOES ON'.\n"
    )
    lines = highlight_lines(text, "cobol")
    assert [re.sub(r"<[^>]+>", "", line) for line in lines] == [
        "       01  WS-A  PIC X(4) VALUE 'AB  '.",  # trailing blanks dropped, the literal's kept
        "       1230-EDIT-EXIT.",
        "           MOVE 5 TO WS-A",
        "           DISPLAY 'A LONG LITERAL   ",  # a literal going on to the next line
        "      -    'GOES ON'.",
    ]
    assert lines[1] == "       1230-EDIT-EXIT."  # no number span inside a paragraph name
    assert highlight_lines("A  \n", "bms") == ["A"]  # no lexer: plain text, same rule
    # token types drawn alike share one class (so neighbours merge), each defined in the CSS
    css = {}
    for rule in re.findall(r"\.highlight \.(\w+) \{ ([^}]*) \}", pygments_css()):
        css.setdefault(rule[1], []).append(rule[0])
    java = "class A { int x; String s = \"a\"; char c = 'b'; } // done\n/* more */\n"
    used = set(re.findall(r"<span class=(\w+)>", "".join(highlight_lines(java, "java") + lines)))
    assert used and all(any(cls in names for names in css.values()) for cls in used)
    looks = [next(look for look, names in css.items() if cls in names) for cls in used]
    assert len(looks) == len(set(looks))


def test_a_data_pages_users_read_on_their_own_are_those_of_the_whole_estate():
    """One data page reads the rules and statements of the programs declaring in its file
    only; past a few files, every rule once: either way, its entries' users are the same."""
    from logicmine.config import load_config
    from logicmine.pipeline import analyse, parse_estate
    from logicmine.render.dictionary import FEW_FILES, DataIndex
    from logicmine.render.lookup import Lookup

    config = load_config(Path(__file__).resolve().parents[1] / "samples" / "cobol")
    analysis = analyse(config, parse_estate(config))
    estate, graph = analysis.estate, analysis.graph
    whole = DataIndex(Lookup(estate, graph))
    apart = DataIndex(Lookup(estate, graph))
    files = sorted(whole.groups)
    assert len(files) > FEW_FILES and any(len(whole.programs_of[f]) > 1 for f in files)

    def mine(table, file):
        return {key: value for key, value in table.items() if key[0] == file and value}

    for number, file in enumerate(files):
        reads, writes = apart.rule_uses_in(file)
        words = apart.uses_in(file)
        assert mine(reads, file) == mine(whole.reads, file), file
        assert mine(writes, file) == mine(whole.writes, file), file
        assert mine(words, file) == mine(whole.uses, file), file
        assert ("_rule_uses" in apart.__dict__) == (number >= FEW_FILES)
    assert any(whole.reads.values()) and any(whole.uses.values())
