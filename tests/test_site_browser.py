"""The samples' site in a real browser: Debian's Chromium driven by Playwright (no download).

Every test also checks that the page logged no error and asked for nothing but local files
(or the loopback review server). Accessibility is checked with axe-core, installed from the npm
registry into pytest's cache on first use (pinned; nothing vendored in the repository).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from logicmine.config import load_config
from logicmine.discover import read_source
from logicmine.output import rule_changes
from logicmine.pipeline import analyse, parse_estate
from logicmine.render import RenderInput, render_all
from logicmine.render.links import Linker, anchor
from logicmine.reviews import load_reviews, rule_hash
from logicmine.serve import make_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = "axe-core@4.10.3"
SEARCH_BUDGET_MS = 200


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium (the browser tests drive "
            "Debian's Chromium; Playwright downloads nothing)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install playwright (in the test extra)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The samples built through the real pipeline; returns (site, analysis, reviews path)."""
    config = load_config(ROOT / "samples" / "cobol")
    analysis = analyse(config, parse_estate(config))
    sources = {s.path: s for s in analysis.estate.sources}
    base = tmp_path_factory.mktemp("browser")
    site, reviews = base / "site", base / "repo" / "logicmine-reviews.json"
    site.mkdir()
    render_all(
        RenderInput(
            analysis.estate,
            analysis.graph,
            lambda path: read_source(config, sources[path])[0],
            title="Savings and loans",
            reviews_path=str(reviews),
            changes=rule_changes([], list(analysis.estate.rules)),  # vs a build with no rules
        ),
        site,
    )
    return site, analysis, reviews


class Watch:
    """A page whose console errors, page errors and requests are recorded."""

    def __init__(self, browser, width: int = 1280, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def check(self) -> None:
        assert self.errors == []
        foreign = [
            u
            for u in self.requests
            if not (u.startswith("file://") or u.startswith("http://127.0.0.1:"))
        ]
        assert foreign == []
        self.page.close()


@pytest.fixture()
def watch(browser):
    opened: list[Watch] = []

    def open_page(width: int = 1280, height: int = 900) -> Watch:
        opened.append(Watch(browser, width, height))
        return opened[-1]

    yield open_page
    for w in opened:
        w.check()


def url(site: Path, relpath: str = "index.html") -> str:
    return (site / relpath).as_uri()


def linker(analysis) -> Linker:
    """Which page shows what (the renderer's own map)."""
    counts = {s.path: s.line_count for s in analysis.estate.sources}
    return Linker(analysis.estate, analysis.graph, counts)


def process_path(analysis, process) -> str:
    return linker(analysis).processes[process.id]


def busiest_process(analysis):
    """The process with the most rules that have branches (decision tables)."""
    branching = {r.id for r in analysis.estate.rules if r.branches}
    return max(
        analysis.estate.processes,
        key=lambda p: (sum(1 for r in set(p.rules) if r in branching), p.id),
    )


def shared_field(analysis) -> str:
    """A data name from a copybook that several programs include."""
    users: dict[str, set[str]] = {}
    for program in analysis.estate.programs:
        for item in program.data_items:
            if item.copybook and item.level not in (1, 88) and item.name != "FILLER":
                users.setdefault(item.name, set()).add(program.name)
    return sorted(n for n, p in users.items() if len(p) >= 2)[0]


# ---------------------------------------------------------------- navigation


def test_overview_leads_to_a_process_with_its_rules(built, watch):
    site, analysis, _ = built
    process = busiest_process(analysis)
    w = watch()
    w.page.goto(url(site))
    assert w.page.locator("h1").inner_text() == "Savings and loans"
    row = w.page.locator(f"tr[id='{anchor('process', process.parent or process.id)}'] th")
    page = process_path(analysis, process).rsplit("/", 1)[-1]
    row.locator(f"a[href$='{page}']").click()  # a split process's row links each part
    w.page.wait_for_url(re.compile(re.escape(page) + "$"))
    assert w.page.locator("h1").inner_text().startswith("Process ")
    assert w.page.locator(".rule-card").count() == len(set(process.rules))
    assert w.page.locator("table.decision").count() >= 1
    assert w.page.locator("section[aria-labelledby=diagram] svg a.node").count() >= 3


def test_a_citation_opens_the_source_with_exactly_the_cited_lines_marked(built, watch):
    site, analysis, _ = built
    process = busiest_process(analysis)
    w = watch()
    w.page.goto(url(site, process_path(analysis, process)))
    w.page.locator(".rule-card .meta .cite a[href*='-L']").first.click()  # a range of lines
    w.page.wait_for_url(re.compile(r"/source/.*#L\d+"))
    start, end = map(int, re.findall(r"\d+", unquote(urlsplit(w.page.url).fragment)))
    marked = w.page.eval_on_selector_all("pre.source .hl", "els => els.map(e => e.id)")
    assert marked == [f"L{n}" for n in range(start, end + 1)]
    first = w.page.locator(f"[id='L{start}']")
    assert first.is_visible()
    box = first.bounding_box()
    assert 0 <= box["y"] < 900  # scrolled into view
    assert "hl" not in (w.page.locator(f"[id='L{end + 1}']").get_attribute("class") or "")


def test_search_finds_a_data_name_fast_and_enter_opens_its_entry(built, watch):
    site, analysis, _ = built
    name = shared_field(analysis)
    w = watch()
    w.page.goto(url(site, linker(analysis).programs[analysis.estate.programs[0].name]))
    w.page.keyboard.press("/")
    assert w.page.evaluate("document.activeElement.id") == "search-input"
    w.page.keyboard.type(name)
    first = w.page.locator("#search-results [role=option]").first
    first.wait_for()
    assert w.page.locator("#search-results .sr-name").first.inner_text() == name
    assert float(w.page.locator("#search-results").get_attribute("data-ms")) < SEARCH_BUDGET_MS
    assert first.get_attribute("aria-selected") == "true"
    w.page.keyboard.press("Enter")
    w.page.wait_for_url(re.compile(r"/data/.*#d-"))
    row = w.page.locator(f"tr[id='{anchor('d', name)}']")
    assert name in row.inner_text()
    assert "(" in row.locator("td").nth(6).inner_text()  # used in programs, with counts


def test_search_keyboard_moves_through_results(built, watch):
    site, _, _ = built
    w = watch()
    w.page.goto(url(site))
    w.page.keyboard.press("/")
    w.page.keyboard.type("calc")
    w.page.locator("#search-results [role=option]").nth(1).wait_for()
    w.page.keyboard.press("ArrowDown")
    second = w.page.locator("#search-results [role=option]").nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert w.page.get_attribute("#search-input", "aria-activedescendant") == second.get_attribute(
        "id"
    )
    href = second.locator("a").get_attribute("href")
    w.page.keyboard.press("Enter")
    w.page.wait_for_url(re.compile(re.escape(href.split("#")[0].lstrip("./")) + ".*"))
    w.page.keyboard.press("Escape")


def test_diagrams_are_drawn_and_their_boxes_are_links(built, watch):
    site, analysis, _ = built
    program = max(analysis.estate.programs, key=lambda p: len(p.procedures))
    w = watch()
    w.page.goto(url(site, linker(analysis).programs[program.name]))
    flow = "section[aria-labelledby=flow] svg.diagram-svg"
    assert w.page.locator(f"{flow} a.node").count() >= 5
    assert w.page.locator(f"{flow} > title").text_content().startswith("Flow of")
    assert (
        w.page.locator(f"{flow} a.node > title").count() == w.page.locator(f"{flow} a.node").count()
    )  # every box has an accessible name
    paragraph = w.page.locator(f'{flow} a.node[href^="#para-"]').first
    target = paragraph.get_attribute("href")
    paragraph.click()
    w.page.wait_for_url(re.compile(re.escape(target) + "$"))
    assert w.page.locator(f"tr[id='{target[1:]}']").is_visible()
    w.page.goto(url(site))
    assert w.page.locator("section[aria-labelledby=map] svg.diagram-svg a.node").count() >= 3


def test_the_skip_link_is_the_first_stop_and_reaches_the_content(built, watch):
    site, _, _ = built
    w = watch()
    w.page.goto(url(site, "glossary.html"))
    w.page.keyboard.press("Tab")
    assert w.page.evaluate("document.activeElement.textContent") == "Skip to content"
    w.page.keyboard.press("Enter")
    assert w.page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_the_screen_width(built, watch, width):
    site, analysis, _ = built
    process = busiest_process(analysis)
    w = watch(width=width)
    for page in (
        "index.html",
        linker(analysis).programs[process.programs[0]],
        process_path(analysis, process),
        "glossary.html",
        "reviews.html",
        "smells.html",
        "changes.html",
    ):
        w.page.goto(url(site, page))
        assert w.page.evaluate("document.documentElement.scrollWidth") <= width + 1, page


# ---------------------------------------------------------------- reviews


def serious_violations(page, axe_source: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.evaluate(axe_source + "\n;0")  # not a <script>: the page's CSP forbids inline code
    return page.evaluate(
        "async () => (await axe.run(document, {preload: false})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )


def test_a_review_decision_is_recorded_through_serve_and_survives_a_reload(
    built, watch, axe_source
):
    site, analysis, reviews = built
    process = busiest_process(analysis)
    rules = {r.id: r for r in analysis.estate.rules}
    server = make_server(site, reviews=reviews, port=0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        w = watch()
        w.page.goto(server.url + process_path(analysis, process))
        w.page.wait_for_selector("body[data-reviews-loaded]")
        box = w.page.locator(".rule-card .review[data-section=rules]").first
        rule_id = box.get_attribute("data-id")
        box.locator("button.rb-accepted").click()
        w.page.wait_for_function(
            "b => b.querySelector('.badge').textContent === 'Accepted'", arg=box.element_handle()
        )
        stored = load_reviews(reviews, strict=True)["rules"][rule_id]
        assert stored["status"] == "accepted" and stored["hash"] == rule_hash(rules[rule_id])
        box.locator("button.rb-commented").click()
        box.locator("textarea").fill("Limit should be read from the parameter file")
        box.locator(".review-form button", has_text="Save comment").click()
        w.page.wait_for_function(
            "b => b.querySelector('.badge').textContent === 'Commented'", arg=box.element_handle()
        )
        w.page.reload()
        w.page.wait_for_selector("body[data-reviews-loaded]")
        again = w.page.locator(f".review[data-section=rules][data-id='{rule_id}']")
        assert again.locator(".badge").inner_text() == "Commented"
        assert "parameter file" in again.locator(".review-comment").inner_text()
        assert load_reviews(reviews)["rules"][rule_id]["status"] == "commented"
        box.locator("button.rb-commented").click()  # the form open: controls need names too
        assert serious_violations(w.page, axe_source) == []
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- accessibility


@pytest.fixture(scope="module")
def axe_source(request) -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing: apt-get install npm (axe-core comes from the npm registry)")
    name = "axe-core-" + AXE.split("@")[1]
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    folder = Path(cache.mkdir(name)) if cache else Path(tempfile.gettempdir()) / name
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(folder), AXE],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if not script.is_file():
            pytest.fail(f"could not install {AXE} with npm: {done.stderr[-500:]}")
    return script.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_accessibility_violations(built, watch, axe_source, width):
    site, analysis, _ = built
    process = busiest_process(analysis)
    program = analysis.estate.programs[0]
    job = analysis.estate.jobs[0]
    where = linker(analysis)
    pages = [
        "index.html",
        where.programs[process.programs[0]],
        where.processes[process.id],
        *([where.processes[process.parent]] if process.parent else []),  # a split one's whole
        "smells.html",
        "changes.html",
        where.sources[program.file],
        "data/index.html",
        "glossary.html",
        "reviews.html",
        where.jobs[job.name],
        "diagnostics.html",
    ]
    pages.append(
        next(
            str(p.relative_to(site))
            for p in sorted((site / "data").glob("*.html"))
            if p.name != "index.html"
        )
    )
    w = watch(width=width)
    found = []
    for page in pages:
        w.page.goto(url(site, page))
        found += [f"{page}: {v}" for v in serious_violations(w.page, axe_source)]
    assert found == []
