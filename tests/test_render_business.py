"""The business pages: processes across programs (one split in parts), logic smells, the change
report and Java classes (pages and Markdown), checked by structure on a hand-built estate."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import networkx as nx
import pytest
from render_support import render_checks, sample

from logicmine.business_exports import write_business_exports
from logicmine.model import Procedure, Process, Program, Rule, SourceFile
from logicmine.output import rule_changes
from logicmine.render import RenderInput, render_all
from logicmine.render.paths import short_hash

helpers = render_checks()
parse, html_pages, broken_links = helpers.parse, helpers.html_pages, helpers.broken_links

XSS = sample.XSS
BILLING, LOANS = "com.acme.billing.Fee", "com.acme.loans.Fee"  # one simple name, two classes
JAVA_PROCESS = "P-java00001"
JAVA = {
    "src/com/acme/billing/Fee.java": """package com.acme.billing;

public class Fee {
    private final com.acme.loans.Fee rates;

    public Fee(com.acme.loans.Fee rates) {
        this.rates = rates;
    }

    public java.math.BigDecimal charge(java.math.BigDecimal amount) {
        if (amount.signum() < 0) {
            return java.math.BigDecimal.ZERO;
        }
        return amount.add(rates.rate());
    }
}
""",
    "src/com/acme/loans/Fee.java": """package com.acme.loans;

public class Fee {
    public java.math.BigDecimal rate() {
        return java.math.BigDecimal.ONE;
    }
}
""",
}
BILLING_FILE, LOANS_FILE = sorted(JAVA)
JAVA_RULE = f"{BILLING}-0001"


def read(path: str) -> str:
    return JAVA[path] if path in JAVA else sample.read_source(path)


def _method(cls: str, file: str, name: str, kind: str, line: int, end: int) -> Procedure:
    return Procedure(f"java:{cls}#{name}", cls, name, kind, file, line, end)


def java_estate():
    """The payroll sample plus two Java classes sharing a simple name, a Java rule and a Java
    entry process, with the graph nodes the Java front end makes."""
    estate, _ = sample.build()
    billing = (
        _method(BILLING, BILLING_FILE, "Fee", "constructor", 6, 8),
        _method(BILLING, BILLING_FILE, "charge", "method", 10, 15),
    )
    loans = (_method(LOANS, LOANS_FILE, "rate", "method", 4, 6),)
    programs = (
        Program(
            BILLING,
            BILLING_FILE,
            3,
            16,
            language="java",
            procedures=billing,
            entry_points=("charge",),
        ),
        Program(LOANS, LOANS_FILE, 3, 7, language="java", procedures=loans),
    )
    rule = Rule(
        JAVA_RULE,
        BILLING,
        "charge",
        "decision",
        BILLING_FILE,
        11,
        13,
        ("amount.signum() < 0",),
        ("return java.math.BigDecimal.ZERO",),
        "IF: amount.signum() < 0 -> return java.math.BigDecimal.ZERO",
    )
    process = Process(
        JAVA_PROCESS,
        f"Entry Fee (charge) {XSS}",
        f"java:{BILLING}",
        "java-entry",
        (BILLING, LOANS),
        tuple(p.id for p in billing + loans),
        (JAVA_RULE,),
    )
    sources = tuple(
        SourceFile(
            path,
            "java",
            "utf-8",
            text.count("\n"),
            hashlib.sha256(text.encode()).hexdigest(),
            len(text),
        )
        for path, text in JAVA.items()
    )
    estate = dataclasses.replace(
        estate,
        sources=estate.sources + sources,
        programs=estate.programs + programs,
        rules=estate.rules + (rule,),
        processes=estate.processes + (process,),
    )
    return estate, java_graph(estate, programs)


def java_graph(estate, programs) -> nx.MultiDiGraph:
    graph = sample.build_graph(estate)
    for program in programs:
        node = f"java:{program.name}"
        graph.add_node(
            node,
            kind="class",
            name=program.name,
            file=program.file,
            line=program.line,
            end_line=program.end_line,
            external=False,
        )
        for proc in program.procedures:
            graph.add_node(
                proc.id,
                kind=proc.kind,
                name=proc.name,
                program=program.name,
                file=proc.file,
                line=proc.line,
                end_line=proc.end_line,
                external=False,
            )
            graph.add_edge(node, proc.id, kind="contains", file=proc.file, line=proc.line)
    graph.add_node(
        "java:java.math.BigDecimal#add",
        kind="method",
        name="add",
        program="java.math.BigDecimal",
        external=True,
    )
    charge = f"java:{BILLING}#charge"
    graph.add_edge(charge, f"java:{LOANS}#rate", kind="calls", file=BILLING_FILE, line=14)
    graph.add_edge(
        charge, "java:java.math.BigDecimal#add", kind="calls", file=BILLING_FILE, line=14
    )
    return graph


def rule_record(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "program": rule.program,
        "procedure": rule.procedure,
        "kind": rule.kind,
        "file": rule.file,
        "start_line": rule.start_line,
        "end_line": rule.end_line,
        "text": rule.text,
    }


def changes(estate) -> dict:
    """A change report as the pipeline writes it, with a few records it should survive."""
    rules = {r.id: r for r in estate.rules}
    old = dict(rule_record(rules["PAYCALC-R002"]), id="PAYCALC-R0OLD", text=f"was {XSS}")
    gone = dict(
        rule_record(rules["PAYCALC-R001"]),
        id="PAYCALC-GONE",
        start_line=7,
        end_line=9,
        text=f"removed {XSS}",
    )
    return {
        "version": 1,
        "added": [
            rule_record(rules["PAYCALC-R003"]),
            rule_record(rules[JAVA_RULE]),
            "not a record",
            {},
        ],
        "removed": [gone],
        "changed": [{"before": old, "after": rule_record(rules["PAYCALC-R002"])}, {"before": None}],
    }


def render(out: Path, estate, graph, **extra) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    inp = RenderInput(
        estate, graph, read, title="Payroll", reviews_path=str(out / "r.json"), **extra
    )
    render_all(inp, out)
    write_business_exports(estate, out)  # the process pages link to their Markdown
    if extra.get("changes") is not None:  # the pipeline writes the report's Markdown
        (out / "markdown" / "changes.md").write_text("# What changed\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    estate, graph = java_estate()
    return render(
        tmp_path_factory.mktemp("business") / "site", estate, graph, changes=changes(estate)
    )


def text_of(path: Path) -> str:
    return "".join(parse(path).text)


def section(html: str, ident: str) -> str:
    start = html.index(f'<section aria-labelledby="{ident}">')
    return html[start : html.index("</section>", start)]


# ---------------------------------------------------------------- the whole site


def test_pages_exist_links_resolve_and_markup_is_sound(site):
    for name in (
        "smells.html",
        "changes.html",
        f"processes/{sample.PAY_PROCESS}.html",
        f"processes/{sample.SPLIT}.html",
        f"processes/{sample.SPLIT}-1.html",
        f"processes/{JAVA_PROCESS}.html",
        f"programs/{BILLING}.html",
    ):
        assert (site / name).is_file(), name
    pages = html_pages(site)
    assert broken_links(site, pages) == []
    for name, page in pages.items():
        assert not page.errors and not page.stack, name
        assert len(page.ids) == len(set(page.ids)), name
        headings = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
        assert headings.count(1) == 1, name
        assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), name
        assert "<script>alert" not in (site / name).read_text(encoding="utf-8"), name


def test_rendering_is_deterministic(tmp_path):
    sites = []
    for name in ("one", "two"):
        estate, graph = java_estate()
        out = render(tmp_path / name, estate, graph, changes=changes(estate))
        sites.append(
            {
                p.relative_to(out): p.read_bytes()
                for p in out.rglob("*")
                if p.is_file() and p.name != ".logicmine-site.json"
            }
        )
    assert sites[0] == sites[1]


# ---------------------------------------------------------------- processes


def test_process_page_shows_entry_programs_steps_data_rules_and_diagram(site):
    path = site / "processes" / f"{sample.PAY_PROCESS}.html"
    page, html = parse(path), path.read_text(encoding="utf-8")
    text = "".join(page.text)
    assert f"Process Job PAYJOB STEP010 (PAYCALC) {XSS}" in text  # the title, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "../jobs/PAYJOB.html#step-STEP010" in page.hrefs  # where it starts
    assert f"../markdown/processes/{sample.PAY_PROCESS}.md" in page.hrefs
    assert "run by step STEP010" in section(html, "programs")
    steps = section(html, "steps")
    assert "../programs/PAYCALC.html" in steps
    rows = re.findall(r'<th scope="row"><a href="[^"]*#para-[^"]*">([^<]+)</a>', steps)
    assert rows == [p.name for p in next(p for p in sample.build()[0].programs).procedures]
    assert "CALL PAYTAX (not in the repository)" in steps  # a call out of the process
    assert "PAY.EMPLOYEE.MASTER" in section(html, "data")
    assert {"rule-PAYCALC-R001", "rule-PAYCALC-R002", "rule-PAYCALC-R003"} <= set(page.ids)
    assert '<table class="decision">' in section(html, "rules")
    diagram = section(html, "diagram")
    nodes = re.findall(r'<a class="node[^"]*" href="([^"]*)"', diagram)
    assert "../jobs/PAYJOB.html#step-STEP010" in nodes  # the entry step
    assert "../programs/PAYCALC.html#para-MAIN-LOGIC" in nodes  # the program's first paragraph
    assert "Pays each employee from the master file" in text  # the process's own summary


def test_a_split_process_links_its_parts_and_its_whole(site):
    part = parse(site / "processes" / f"{sample.SPLIT}-1.html")
    text = "".join(part.text)
    assert "Part 1 of 2" in text and "split 2 ways by community detection" in text
    assert f"{sample.SPLIT}.html" in part.hrefs and f"{sample.SPLIT}-2.html" in part.hrefs
    whole = parse(site / "processes" / f"{sample.SPLIT}.html")
    whole_text = "".join(whole.text)
    assert f"Process Job PAYJOB STEP020 (PAYRPT) {XSS}" in whole_text  # without ' — part N'
    assert "— part" not in whole_text.split("Parts")[0]
    assert {f"{sample.SPLIT}-1.html", f"{sample.SPLIT}-2.html"} <= set(whole.hrefs)
    assert "PAYRPT / PRINT-REGISTER" in whole_text  # where each part starts


def test_index_lists_processes_by_entry_kind_with_split_ones_once(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    processes = section(html, "processes")
    assert "Batch jobs" in processes and "Java entry points" in processes
    assert processes.count(f'href="processes/{sample.SPLIT}.html"') == 1
    assert f'href="processes/{sample.SPLIT}-2.html"' in processes  # as a part link
    assert processes.count('id="process-') == 3  # PAYCALC, the split one, the Java one
    assert 'href="smells.html"' in html and 'href="changes.html"' in html
    assert "3 rules added, 1 removed, 2 changed" in text_of(site / "index.html")  # records
    program = parse(site / "programs/PAYCALC.html")
    assert f"../processes/{sample.PAY_PROCESS}.html" in program.hrefs  # its processes


# ---------------------------------------------------------------- smells


def test_smells_page_counts_kinds_and_cites_every_smell(site):
    page = parse(site / "smells.html")
    text = "".join(page.text)
    html = (site / "smells.html").read_text(encoding="utf-8")
    assert f"condition EMP-HOURS > 80 is tested again: {XSS}" in text
    assert "<code>EMP-HOURS &gt; 80</code>" in html  # the backticked name as code
    assert "repeated-condition" in text and "unused-code" in text
    cap = sample.line_of(sample.CALC, "IF EMP-HOURS > 80")
    assert f"source/cbl/PAYCALC.cbl.html#L{cap}-L{cap + 3}" in page.hrefs
    rpt = (site / "programs/PAYRPT.html").read_text(encoding="utf-8")
    assert "PAGE-FULL" in section(rpt, "smells") and "tested again" not in section(rpt, "smells")


def test_programs_without_smells_say_so(tmp_path):
    estate, graph = java_estate()
    out = render(tmp_path, dataclasses.replace(estate, smells=()), graph)
    assert "No logic smells were found." in text_of(out / "smells.html")
    assert "changes.html" not in {p.name for p in out.iterdir()}  # no report, no page
    assert 'href="changes.html"' not in (out / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- changes


def test_change_report_links_current_rules_and_names_removed_ones(site):
    page = parse(site / "changes.html")
    html = (site / "changes.html").read_text(encoding="utf-8")
    text = "".join(page.text)
    assert "processes/" in html and f"{sample.PAY_PROCESS}.html#rule-PAYCALC-R002" in html
    assert f"{JAVA_PROCESS}.html#rule-{JAVA_RULE}" in html  # an added Java rule
    assert f"removed {XSS}" in text and f"was {XSS}" in text  # shown, escaped
    assert "PAYCALC-GONE" in text and "PAYCALC-R0OLD" in text
    removed = section(html, "removed")
    assert "cbl/PAYCALC.cbl:7-9" in removed and "#L7-L9" not in removed  # old lines: not linked
    assert section(html, "added").count("<tr>") == 1 + 3  # header, every record (even empty)


def test_a_baseline_change_report_counts_the_rules_instead_of_listing_them(tmp_path):
    estate, graph = java_estate()
    out = render(tmp_path, estate, graph, changes=rule_changes(None, list(estate.rules)))
    page = parse(out / "changes.html")
    text = " ".join(page.text)
    assert f"all {len(estate.rules)} of its rules are new" in text
    assert "rules.json" in page.hrefs and "index.html#processes" in page.hrefs
    assert not any(rule.id in text for rule in estate.rules)  # rules.json already lists them
    index = text_of(out / "index.html")
    assert f"{len(estate.rules)} rules added, 0 removed, 0 changed" in index
    assert "<table" not in (out / "changes.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- Java


def test_class_page_says_class_and_lists_method_callees(site):
    page = parse(site / f"programs/{BILLING}.html")
    text = "".join(page.text)
    assert f"Class {BILLING}" in text
    assert f"{LOANS}#rate" in text  # a method of another class, linked to its row
    assert f"{LOANS}.html#para-rate" in page.hrefs
    assert "java.math.BigDecimal#add (not in the repository)" in text  # a library method
    callers = parse(site / f"programs/{LOANS}.html")
    assert f"{BILLING}#charge" in "".join(callers.text)


def test_class_markdown_has_methods_and_cited_rules_under_distinct_names(site):
    names = {BILLING: f"Fee-{short_hash(BILLING)}.md", LOANS: f"Fee-{short_hash(LOANS)}.md"}
    folder = site / "markdown" / "classes"
    assert sorted(p.name for p in folder.iterdir()) == sorted(names.values())
    doc = (folder / names[BILLING]).read_text(encoding="utf-8")
    assert doc.startswith(f"# Class {BILLING}\n")
    assert "- `charge` (method), lines 10-15" in doc and "- `Fee` (constructor), lines 6-8" in doc
    assert f"- {JAVA_RULE} (decision), `{BILLING_FILE}:11-13` in `charge`: " in doc
    assert f"](../processes/{JAVA_PROCESS}.md):\n\n- {JAVA_RULE} (decision)" in doc
    full = (site / "markdown" / "processes" / f"{JAVA_PROCESS}.md").read_text(encoding="utf-8")
    assert f"### {JAVA_RULE} (decision)" in full
    assert f"Cited: `{BILLING_FILE}:11-13` in method `charge`" in full
    assert not (site / "markdown" / "programs" / f"{BILLING}.md").exists()
    index = (site / "markdown" / "index.md").read_text(encoding="utf-8")
    assert f"[{BILLING}](classes/{names[BILLING]}) (renamed)" in index
    assert "share a simple name" in index
    for link in re.findall(r"\]\(([^)]+)\)", index):
        assert (site / "markdown" / link).is_file(), link
    program = (site / "markdown" / "programs" / "PAYCALC.md").read_text(encoding="utf-8")
    assert "## Logic smells" in program and f"`{sample.CALC}:" in program
    assert f"../processes/{sample.PAY_PROCESS}.md" in program


def test_a_class_with_its_own_simple_name_keeps_it(tmp_path):
    estate, graph = java_estate()
    estate = dataclasses.replace(
        estate, programs=tuple(p for p in estate.programs if p.name != LOANS)
    )
    out = render(tmp_path, estate, graph)
    assert (out / "markdown" / "classes" / "Fee.md").is_file()
    assert "(renamed)" not in (out / "markdown" / "index.md").read_text(encoding="utf-8")
