"""Measure the reviewers' site of an estate: render time, size, page loads and search speed.

Run: python benchmarks/site_bench.py PATH [--out DIR] [--repeat 3] [--queries 20]
     python benchmarks/site_bench.py samples/cobol --screenshots docs/screenshots

Parses and analyses PATH once (not timed here: see scan_bench.py), renders the site --repeat
times (wall, CPU of this process, CPU of the render worker), then opens the biggest
pages of each kind in Debian's Chromium through Playwright (`performance.timing`, from the
start of navigation to the end of the load event, from disk) and types --queries searches
(timed by the site script itself, in the browser). Targets on AWS CardDemo: render < 1.5 s,
every page < 1 s, search < 200 ms, site < 30 MB. With --screenshots it also captures the main
pages (the images docs/site.md shows), including a review recorded through `logicmine serve`.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from logicmine.config import load_config  # noqa: E402
from logicmine.discover import read_source  # noqa: E402
from logicmine.pipeline import analyse, parse_estate  # noqa: E402
from logicmine.render import RenderInput, render_all  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KINDS = ("programs", "processes", "source", "data", "jobs")


def render_once(inp: RenderInput, out: Path) -> tuple[float, float, float]:
    """(wall, CPU here, CPU of children) of one render into a fresh folder."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    render_all(inp, out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return time.perf_counter() - wall, time.process_time() - cpu, child


def site_size(out: Path) -> tuple[int, int, dict[str, int]]:
    """Total bytes, file count, and bytes per top-level folder or file."""
    files = [p for p in out.rglob("*") if p.is_file()]
    parts: dict[str, int] = {}
    for path in files:
        top = path.relative_to(out).parts[0]
        parts[top] = parts.get(top, 0) + path.stat().st_size
    return sum(parts.values()), len(files), parts


def heaviest_pages(out: Path) -> list[str]:
    """The overview pages and the biggest page of each kind."""
    pages = ["index.html", "glossary.html", "reviews.html", "data/index.html"]
    for kind in KINDS:
        found = sorted((out / kind).rglob("*.html"), key=lambda p: -p.stat().st_size)
        pages += [p.relative_to(out).as_posix() for p in found[:1]]
    return pages


def load_times(out: Path, pages: list[str], repeat: int) -> list[tuple[str, int, float]]:
    """(page, bytes, best load ms) for each page."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name in pages:
            times = []
            for _ in range(repeat):
                page.goto((out / name).as_uri(), wait_until="load")
                times.append(
                    page.evaluate(
                        "performance.timing.loadEventEnd - performance.timing.navigationStart"
                    )
                )
            results.append((name, (out / name).stat().st_size, min(times)))
        browser.close()
    return results


def search_times(out: Path, words: list[str]) -> tuple[float, list[float]]:
    """(ms from first keystroke to first results, incl. loading the index; ms per search)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((out / "index.html").as_uri())
        started = time.perf_counter()
        page.fill("#search-input", words[0])
        page.locator("#search-results [role=option]").first.wait_for()
        first = (time.perf_counter() - started) * 1000
        each = []
        for word in words:
            page.fill("#search-input", "")
            page.fill("#search-input", word)
            page.wait_for_function(
                "w => document.getElementById('search-status').textContent.length > 0 && "
                "document.getElementById('search-input').value === w",
                arg=word,
            )
            each.append(float(page.locator("#search-results").get_attribute("data-ms")))
        browser.close()
    return first, each


def screenshots(out: Path, analysis, folder: Path) -> None:
    """PNGs of the main pages at 1280 px (and a process page at 390 px)."""
    import threading

    from playwright.sync_api import sync_playwright

    from logicmine.render.links import Linker
    from logicmine.serve import make_server

    estate = analysis.estate
    where = Linker(estate, analysis.graph, {s.path: s.line_count for s in estate.sources})
    by_id = {r.id: r for r in estate.rules}
    busiest = max(  # the process with the most decision tables
        estate.processes,
        key=lambda p: (sum(1 for r in set(p.rules) if r in by_id and by_id[r].branches), p.id),
    )
    rule = next(by_id[r] for r in busiest.rules if r in by_id and by_id[r].branches)
    cite = where.cite(where.processes[busiest.id], rule.file, rule.start_line, rule.end_line)
    copybook = max(
        (f for f in where.data if "cpy" in f.lower()),
        key=lambda f: sum(1 for p in estate.programs for d in p.data_items if d.file == f),
    )
    shots = {
        "overview": ("index.html", None),
        "process": (where.processes[busiest.id], None),
        "program": (where.programs[rule.program], "#flow"),
        "smells": ("smells.html", None),
        "source": (where.sources[rule.file], "#" + cite.href.split("#")[1]),
        "data": (where.data[copybook], None),
        "glossary": ("glossary.html", None),
        "job": (where.jobs[estate.jobs[0].name], None),
    }
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, (path, fragment) in shots.items():
            page.goto((out / path).as_uri() + (fragment or ""))
            page.wait_for_timeout(200)
            page.screenshot(path=str(folder / f"{name}.png"))
        page.goto((out / "index.html").as_uri())
        page.keyboard.press("/")
        page.keyboard.type(rule.inputs[0] if rule.inputs else rule.program)
        page.locator("#search-results [role=option]").first.wait_for()
        page.screenshot(path=str(folder / "search.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto((out / where.processes[busiest.id]).as_uri())
        phone.screenshot(path=str(folder / "mobile.png"))
        with tempfile.TemporaryDirectory() as tmp:
            server = make_server(out, reviews=Path(tmp) / "logicmine-reviews.json", port=0)
            thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
            thread.start()
            page.goto(server.url + where.processes[busiest.id] + f"#rule-{rule.id}")
            page.wait_for_selector("body[data-reviews-loaded]")
            card = page.locator(f".rule-card[id='rule-{rule.id}']")
            card.locator(".review[data-section=rules] button.rb-accepted").click()
            page.wait_for_timeout(300)
            card.scroll_into_view_if_needed()
            page.screenshot(path=str(folder / "review.png"))
            server.shutdown()
            server.server_close()
        browser.close()
    print(f"screenshots: {', '.join(sorted(p.name for p in folder.glob('*.png')))} in {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--out", type=Path, help="keep the site here (default: a temp folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--screenshots", type=Path, help="also capture the main pages here")
    parser.add_argument("--title", help="site title (default: the estate folder's name)")
    args = parser.parse_args()

    config = load_config(args.path)
    analysis = analyse(config, parse_estate(config))
    sources = {s.path: s for s in analysis.estate.sources}
    texts = {path: read_source(config, s)[0] for path, s in sources.items()}
    estate = analysis.estate
    inp = RenderInput(
        estate,
        analysis.graph,
        lambda p: texts.get(p, ""),
        title=args.title or config.root.name,
        reviews={},
        reviews_path=str(Path(tempfile.gettempdir()) / "no-reviews.json"),
        exports=True,  # the decision tables, processes and dictionary too: OUT as built
    )
    print(
        f"estate: {len(estate.programs)} programs, {len(estate.rules)} rules, "
        f"{len({p.parent or p.id for p in estate.processes})} processes, "
        f"{len(estate.clusters)} program steps, {sum(len(p.data_items) for p in estate.programs)} "
        f"data items, {sum(s.line_count for s in estate.sources)} source lines"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "site"
        runs = [render_once(inp, out) for _ in range(args.repeat)]
        walls = sorted(r[0] for r in runs)
        print(
            f"render: best {walls[0]:.2f}s, median {statistics.median(walls):.2f}s wall; "
            f"CPU {min(r[1] for r in runs):.2f}s here + {min(r[2] for r in runs):.2f}s in "
            f"the render worker ({args.repeat} runs)"
        )
        total, count, parts = site_size(out)
        print(
            f"site: {total / 1e6:.1f} MB in {count} files; "
            + ", ".join(
                f"{name} {size / 1e6:.1f}"
                for name, size in sorted(parts.items(), key=lambda kv: -kv[1])[:8]
            )
        )
        print("page loads (best of 3, from disk):")
        for name, size, ms in load_times(out, heaviest_pages(out), 3):
            print(f"  {ms:6.0f} ms  {size / 1e3:7.0f} kB  {name}")
        names = sorted(
            {d.name for p in estate.programs for d in p.data_items if d.name != "FILLER"}
            | {p.name for p in estate.programs}
        )
        words = random.Random(7).sample(names, min(args.queries, len(names)))
        words += [w[:4].lower() for w in words[:5]]  # short prefixes match many entries
        first, each = search_times(out, words)
        if args.screenshots:
            screenshots(out, analysis, args.screenshots)
        index_kb = (out / "search-index.js").stat().st_size / 1e3
        print(
            f"search: first query {first:.0f} ms including loading the index; "
            f"per query median {statistics.median(each):.1f} ms, max {max(each):.1f} ms "
            f"({len(each)} queries); index {index_kb:.0f} kB"
        )


if __name__ == "__main__":
    main()
