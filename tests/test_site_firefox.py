"""The samples' site in Debian's Firefox ESR, headless, driven over WebDriver BiDi (no download).

The same journeys as the Chromium tests (tests/test_site_browser.py, whose build of the samples
this reuses): overview to process, citation to the marked source lines, search, diagrams and
narrow screens. Every tab also checks that the page logged no error (scripts, console, resources
that failed to load, content-security-policy violations) and asked for nothing outside the site;
the browser itself cannot connect off the machine.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import test_site_browser as chromium_tests
from firefox_bidi import BiDiError, Firefox, Tab
from test_site_browser import (
    SEARCH_BUDGET_MS,
    busiest_process,
    linker,
    process_path,
    shared_field,
    url,
)

from logicmine.render.links import anchor

FIREFOX = Path("/usr/bin/firefox-esr")

built = chromium_tests.built  # the samples built through the real pipeline, once per module


def local(address: str) -> bool:
    """A file of the site, or a data: URL (Firefox's own stylesheet draws bullets with one)."""
    return address.startswith("file://") or address.startswith("data:")


# ---------------------------------------------------------------- fixtures


def start_firefox(profile: Path) -> Firefox:
    if not FIREFOX.exists():
        pytest.fail(
            f"{FIREFOX} is missing: apt-get install firefox-esr (these tests drive Debian's "
            "Firefox over WebDriver BiDi; nothing is downloaded)"
        )
    return Firefox(FIREFOX, profile)


@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    browser = start_firefox(tmp_path_factory.mktemp("firefox") / "profile")
    yield browser
    browser.close()


@pytest.fixture()
def tab(firefox):
    """Opens tabs; when the test ends, each must have no error and no request off the site."""
    opened: list[Tab] = []

    def open_tab(width: int = 1280, height: int = 900) -> Tab:
        opened.append(firefox.tab(width, height))
        return opened[-1]

    yield open_tab
    firefox.drain()
    for t in opened:
        assert t.errors() == []
        assert [u for u in t.requests() if not local(u)] == []
        t.close()


def in_view(t: Tab, selector: str) -> bool:
    return t.call(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.top < window.innerHeight; }",
        selector,
    )


def count(t: Tab, selector: str) -> int:
    return t.call("s => document.querySelectorAll(s).length", selector)


def text(t: Tab, selector: str) -> str:
    return t.call("s => document.querySelector(s).innerText", selector)


# ---------------------------------------------------------------- the watch itself


def test_the_watch_sees_a_request_off_the_site_and_page_errors(firefox, tmp_path):
    """Without this, 'no error and no request' could pass because nothing is reported."""
    with socket.socket() as closed:  # a loopback port that refuses: the request goes nowhere
        closed.bind(("127.0.0.1", 0))
        pixel = f"http://127.0.0.1:{closed.getsockname()[1]}/pixel.png"
        page = tmp_path / "noisy.html"
        page.write_text(
            "<!DOCTYPE html>"
            "<meta http-equiv='Content-Security-Policy' content=\"style-src 'none'\">"
            f'<title>noisy</title><img src="{pixel}" alt=""><style>p {{color: red}}</style>'
            '<script src="missing.js"></script>'
            "<script>console.error('said so'); missingFunction();</script>",
            encoding="utf-8",
        )
        t = firefox.tab()
        t.goto(page.as_uri())
        t.wait_for("() => document.querySelector('img').complete")
        firefox.drain()
    errors = t.errors()
    assert "said so" in errors
    assert any("missingFunction" in e for e in errors)
    assert f"failed to load {pixel}" in errors
    assert f"failed to load {(tmp_path / 'missing.js').as_uri()}" in errors
    assert any("Content-Security-Policy" in e and "style-src" in e for e in errors)
    assert [u for u in t.requests() if not local(u)] == [pixel]
    t.close()


def test_firefox_stops_rather_than_reach_beyond_the_machine(tmp_path):
    """The browser runs with non-local connections disabled: one attempt ends it, loudly."""
    page = tmp_path / "away.html"  # 192.0.2.1: an address reserved for documentation
    page.write_text('<!DOCTYPE html><title>away</title><img src="http://192.0.2.1/x.png" alt="">')
    browser = start_firefox(tmp_path / "profile")
    try:
        with pytest.raises(BiDiError, match="Non-local network connections are disabled"):
            browser.tab().goto(page.as_uri())
            browser.drain(quiet=5)  # in case the page was complete before the attempt
    finally:
        browser.close()


# ---------------------------------------------------------------- journeys


def test_overview_leads_to_a_process_with_its_rules(built, tab):
    site, analysis, _ = built
    process = busiest_process(analysis)
    t = tab()
    t.goto(url(site))
    assert text(t, "h1") == "Savings and loans"
    page = process_path(analysis, process).rsplit("/", 1)[-1]
    row = f"tr[id='{anchor('process', process.parent or process.id)}'] th"
    t.click(f"{row} a[href$='{page}']")  # a split process's row links each part
    t.wait_for_url(re.escape(page) + "$")
    assert text(t, "h1").startswith("Process ")
    assert count(t, ".rule-card") == len(set(process.rules))
    assert count(t, "table.decision") >= 1
    assert count(t, "section[aria-labelledby=diagram] svg a.node") >= 3


def test_a_citation_opens_the_source_with_exactly_the_cited_lines_marked(built, tab):
    site, analysis, _ = built
    process = busiest_process(analysis)
    t = tab()
    t.goto(url(site, process_path(analysis, process)))
    t.click(".rule-card .meta .cite a[href*='-L']")  # the first citation of a range of lines
    address = t.wait_for_url(r"/source/.*#L\d+")
    start, end = map(int, re.findall(r"\d+", unquote(urlsplit(address).fragment)))
    marked = t.evaluate("[...document.querySelectorAll('pre.source .hl')].map(e => e.id)")
    assert marked == [f"L{n}" for n in range(start, end + 1)]
    assert in_view(t, f"[id='L{start}']")  # scrolled to the cited lines
    assert not t.call(
        "s => document.querySelector(s).classList.contains('hl')", f"[id='L{end + 1}']"
    )


def test_search_finds_a_data_name_fast_and_enter_opens_its_entry(built, tab):
    site, analysis, _ = built
    name = shared_field(analysis)
    t = tab()
    t.goto(url(site, linker(analysis).programs[analysis.estate.programs[0].name]))
    t.press("/")
    assert t.evaluate("document.activeElement.id") == "search-input"
    t.type(name)
    t.wait_for("() => document.querySelector('#search-results [role=option]')")
    assert text(t, "#search-results .sr-name") == name
    elapsed = t.evaluate("document.getElementById('search-results').getAttribute('data-ms')")
    assert float(elapsed) < SEARCH_BUDGET_MS
    first = "#search-results [role=option]"
    assert t.call("s => document.querySelector(s).getAttribute('aria-selected')", first) == "true"
    t.press("Enter")
    t.wait_for_url(r"/data/.*#d-")
    row = f"tr[id='{anchor('d', name)}']"
    assert name in text(t, row)
    assert "(" in text(t, f"{row} td:nth-of-type(7)")  # used in programs, with counts
    assert in_view(t, row)


def test_diagrams_are_drawn_and_their_boxes_are_links(built, tab):
    site, analysis, _ = built
    program = max(analysis.estate.programs, key=lambda p: len(p.procedures))
    t = tab()
    t.goto(url(site, linker(analysis).programs[program.name]))
    flow = "section[aria-labelledby=flow] svg.diagram-svg"
    nodes = count(t, f"{flow} a.node")
    assert nodes >= 5
    assert count(t, f"{flow} a.node > title") == nodes  # every box has an accessible name
    assert t.call("s => document.querySelector(s).textContent", f"{flow} > title").startswith(
        "Flow of"
    )
    box = f'{flow} a.node[href^="#para-"]'
    assert t.call("s => document.querySelector(s).getBoundingClientRect().width", box) > 0
    target = t.call("s => document.querySelector(s).getAttribute('href')", box)
    t.click(box)
    t.wait_for_url(re.escape(target) + "$")
    assert in_view(t, f"tr[id='{target[1:]}']")
    t.goto(url(site))
    assert count(t, "section[aria-labelledby=map] svg.diagram-svg a.node") >= 3


def test_pages_fit_a_phone_screen(built, tab):
    site, analysis, _ = built
    process = busiest_process(analysis)
    t = tab(width=390)
    for page in (
        "index.html",
        linker(analysis).programs[process.programs[0]],
        process_path(analysis, process),
        "glossary.html",
    ):
        t.goto(url(site, page))
        assert t.evaluate("document.documentElement.scrollWidth") <= 391, page
