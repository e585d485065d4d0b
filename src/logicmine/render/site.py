"""Render the whole site: HTML pages, Markdown, rules.json, graph.json, search index, assets."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing as mp
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from logicmine.model import Process, content_digest
from logicmine.render import markdown
from logicmine.render.cards import Cards
from logicmine.render.changes_view import CHANGES_PAGE, build_changes, change_counts
from logicmine.render.context import RenderInput
from logicmine.render.deps import PageKeys, reviews_digest
from logicmine.render.diagram import diagram_memo
from logicmine.render.dictionary import (
    DATA_INDEX,
    GLOSSARY,
    DataIndex,
    build_data_index,
    build_glossary,
    build_group,
)
from logicmine.render.exports import graph_json, graph_pieces, list_parts, rules_parts
from logicmine.render.filters import FILTERS
from logicmine.render.fragments import Fragments
from logicmine.render.highlighting import Highlighting
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup
from logicmine.render.memo import PageMemo, cited_ranges, keep_or_write, write_or_keep
from logicmine.render.overview import build_index
from logicmine.render.paths import OutputWriter
from logicmine.render.process_lists import build_parent
from logicmine.render.process_view import build_process
from logicmine.render.program_view import build_program
from logicmine.render.review_marks import (
    SITE_FILE,
    Marks,
    register_all,
    site_json,
    site_json_of,
    site_parts,
)
from logicmine.render.review_page import REVIEWS_PAGE, build_reviews
from logicmine.render.search import SEARCH_FILE, search_parts
from logicmine.render.sidework import Forked
from logicmine.render.smells_view import SMELLS_PAGE, build_smells
from logicmine.render.source import (
    build_source,
    kinds_by_path,
    pygments_css,
    referenced_files,
    source_inputs,
    used_by,
)
from logicmine.render.splice import Parts, write_spliced
from logicmine.render.views import DIAGNOSTICS, INDEX, build_diagnostics, build_job
from logicmine.reviews import REVIEWS_FILE, load_reviews, reviews_file
from logicmine.state import code_key

log = logging.getLogger("logicmine.render")

STATIC_FILES = ("style.css", "site.js", "favicon.svg")
PARALLEL_LINES = 20_000  # source lines below which a worker costs more than it saves
CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@cache
def html_environment() -> Environment:
    """Jinja environment for HTML pages: autoescaped, strict about missing values."""
    env = Environment(
        loader=PackageLoader("logicmine", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() per include
    )
    env.globals["csp"] = Markup(CSP)  # a constant of ours: written as is, quotes unescaped
    env.filters.update(FILTERS)
    return env


@cache
def markdown_environment() -> Environment:
    """Jinja environment for Markdown documents (shared, built once)."""
    return markdown.environment()


class _TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept beside the build state: compiling them anew cost a tenth of a
    second in each process of every build. Jinja checks each entry against the template's
    source and the Python version; one that cannot be written is only not kept."""

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError as error:
            log.debug("compiled template not kept: %s", error)


def _keep_compiled_templates(memo: Any) -> None:
    """Point the HTML and Markdown environments at a template cache beside the build state
    (each its own: an entry is named by the template, not by the environment's settings)."""
    path = getattr(memo, "path", None)
    for name, env in (("html", html_environment()), ("markdown", markdown_environment())):
        env.bytecode_cache = None
        if path is not None:
            folder = Path(path).parent / "templates" / name
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                continue
            env.bytecode_cache = _TemplateCache(str(folder))


@dataclass(frozen=True, slots=True)
class _Run:
    """What every page builder of one render shares."""

    inp: RenderInput
    look: Lookup
    linker: Linker
    marks: Marks
    writer: OutputWriter
    pages: PageMemo | None = None  # unchanged pages of the last build, kept as they are
    fragments: Fragments | None = None  # pieces of rules.json, graph.json, the search index
    reviews: str = ""  # the reviews' digest (render.deps)
    # made by `_indexed`, for what needs more than the lookup and the links (LIGHT_CHORES don't)
    data: DataIndex | None = None
    cards: Cards | None = None
    keys: PageKeys | None = None  # program and process pages keyed before they are built


def _indexed(run: _Run) -> _Run:
    """The run with the data index, rule cards and page keys: about a second at 1M lines, which
    each process spends only once it has done the chores that need none of them."""
    inp = run.inp
    data = DataIndex(run.look, inp.data_words)
    keys = None
    if run.pages is not None and inp.program_keys is not None:
        keys = PageKeys(run.look, run.linker, data, inp.program_keys,  # the code: the parts
                        (code_key(), inp.title, inp.fidelity_note, inp.exports, run.reviews),
                        run.marks.decisions["rules"], inp.review_hashes,
                        _graph_digests(run) if inp.graph_key else None,
                        inp.program_aspects)
    return replace(run, data=data, cards=Cards(run.look, run.linker, data, run.marks),
                   keys=keys)


def _graph_digests(run: _Run) -> Callable[[Callable[[], dict[str, str]]], dict[str, str]]:
    """The graph digest of each owner (render.deps), from the memo while the graph and the
    estate's programs are those it was worked out for (a third of a second at 1M lines)."""
    def recall(make: Callable[[], dict[str, str]]) -> dict[str, str]:
        if run.fragments is None or run.inp.program_keys is None:
            return make()
        key = run.fragments.key("graph-digests", run.inp.graph_key,
                                sorted(run.inp.program_keys))
        known = run.fragments.recall([key]).get(key)
        if known is None:
            known = make()
            run.fragments.write({key: known})
        return known

    return recall


def render_all(inp: RenderInput, out_dir: Path, kept: set[str] | None = None) -> list[str]:
    """Write the site into `out_dir` and return the relative paths written, sorted; `kept`,
    when given, receives those that are the last build's files (linked, not rendered)."""
    estate = inp.estate
    _keep_compiled_templates(inp.memo)
    reviews = inp.reviews if inp.reviews is not None else load_reviews(_reviews_path(inp))
    sources = inp.highlighting or Highlighting(estate, inp.read_source, inp.memo)
    sources.add(inp.read_source, referenced_files(estate), kinds_by_path(estate))
    counts = sources.line_counts
    look = Lookup(estate, inp.graph)
    linker = Linker(estate, inp.graph, counts)
    big = sum(counts.values()) >= PARALLEL_LINES  # Markdown, exports
    marks = Marks(reviews, inp.review_hashes)
    pages = PageMemo(inp.memo, inp.previous) if inp.memo is not None else None
    fragments = Fragments(inp.memo) if pages is not None and inp.program_keys is not None \
        else None
    base = _Run(inp, look, linker, marks, OutputWriter(out_dir), pages, fragments,
                reviews_digest(reviews))
    shown = _shown_processes(look)
    turns = Turns(len(shown))  # process pages go to whichever process is free first
    light = Turns(len(LIGHT_CHORES))  # so do estate-wide files and pages: the worker starts
    chores = Turns(len(CHORES))  # with those that need no index, while this one makes them
    side = Forked(lambda: _side_work(base, shown, turns, light, chores), parallel=big)
    writer = OutputWriter(out_dir, background=True)  # its thread starts after the fork
    run = _indexed(replace(base, writer=writer))
    try:
        started = time.perf_counter()
        with diagram_memo(inp.memo):
            _write_pages(run)
            log.debug("program, parent and data group pages: %.2f s",
                      time.perf_counter() - started)
            mine = _write_processes(run, shown, turns)
        my_chores = _do_chores(run, chores, CHORES)
        my_light = _do_chores(run, light, LIGHT_CHORES)
        mid = time.perf_counter()
        done = side.result()
        log.info("pages written here in %.1f s, then %.1f s waiting for the page worker",
                 mid - started, time.perf_counter() - mid)
        missed = [p for i, p in enumerate(shown) if i not in mine and i not in done.processes]
        if missed:  # taken by a worker that died: written here
            with diagram_memo(inp.memo):
                _write_processes(run, missed, Turns(len(missed)))
        for table, mine_, theirs in ((LIGHT_CHORES, my_light, done.light),
                                     (CHORES, my_chores, done.chores)):
            for position in sorted(set(range(len(table))) - mine_ - theirs):
                _chore(run, table, position)  # likewise
        writer.adopt(done.written, done.kept)
        for path, ids in done.ranges.items():  # citations on the worker's pages
            linker.ranges[path].update(ids)
        if pages is not None:
            pages.merge(done.pages, done.pages_used)
        _write_sources(run, sources)  # last: the other pages registered the cited ranges
        _write_static(writer)
    finally:
        writer.close()
    if pages is not None:
        pages.save(writer.root)
    log.info("rendered %d files into %s", len(writer.written()), out_dir)
    if kept is not None:
        kept.update(writer.kept())
    return writer.written()


@dataclass(frozen=True, slots=True)
class _SideResult:
    """What the page worker did, for this process to record."""

    written: list[str]
    ranges: dict[str, set[str]]
    pages: dict[str, tuple[str, str]]
    pages_used: list[str]
    processes: set[int]  # positions of the process pages it wrote
    light: set[int]  # positions in LIGHT_CHORES of the files and pages it wrote
    chores: set[int]  # likewise in CHORES
    kept: set[str]  # the files of `written` that are the last build's (linked)


def _keyed_exports(run: _Run) -> None:
    if run.inp.exports:  # asked for by the build, not by a plain render
        from logicmine.business_exports import write_keyed_exports  # it imports render

        run.writer.adopt(write_keyed_exports(run.inp.estate, run.writer.root, run.pages,
                                             run.keys, run.fragments))


def _estate_lists(run: _Run) -> None:
    """processes.json and smells.json, each one piece of rules.json's (exports.list_parts)."""
    if run.inp.exports:
        estate, smells = run.inp.estate, (run.inp.aspects or {}).get("smells", "")
        _spliced_file(run, "processes.json", (), (_processes_digest(run),), lambda: list_parts(
            estate, "processes", run.fragments, _processes_digest(run)))
        _spliced_file(run, "smells.json", ("smells",), (), lambda: list_parts(
            estate, "smells", run.fragments, smells))


def _estate_file(run: _Run, relpath: str, aspects: tuple[str, ...], extra: tuple,
                 text: Callable[[], str],
                 pieces: Callable[[], Iterable[str | None]] | None = None) -> None:
    """An estate-wide file made from nothing but the given aspects of every program's
    analysis (pipeline.Analysis.aspects) and `extra`: kept from the last build while those
    are unchanged (a literal edited in one program of a million lines leaves rules.json as
    it was: putting its 95 MB together again cost two thirds of a second), else written.
    The keys of the `pieces` it is put together from (render.fragments) are marked used when
    it is kept, so the build that next changes it finds them."""
    key = _whole_key(run, relpath, aspects, extra)

    def write() -> str:
        made = text()
        run.writer.write(relpath, made)
        return hashlib.sha256(made.encode("utf-8")).hexdigest()

    if keep_or_write(run.writer, run.pages, relpath, key, write) and pieces is not None and \
            run.fragments is not None:
        run.fragments.present(piece for piece in pieces() if piece)


def _spliced_file(run: _Run, relpath: str, aspects: tuple[str, ...], extra: tuple,
                  parts: Callable[[], Parts]) -> None:
    """An estate-wide file made of pieces (render.splice): kept whole while the given aspects
    and `extra` are unchanged (`_estate_file`), else written with the last build's bytes for
    every piece whose key is unchanged."""
    write_spliced(run.writer, run.pages, run.fragments, relpath,
                  _whole_key(run, relpath, aspects, extra), parts)


def _whole_key(run: _Run, relpath: str, aspects: tuple[str, ...], extra: tuple) -> str | None:
    """The key an estate-wide file is kept whole under: the given aspects of every program's
    analysis and `extra` (None, never kept, without a memo or when `extra` holds None)."""
    if run.fragments is None or run.inp.aspects is None or None in extra:
        return None
    return run.fragments.key("estate-file", relpath,
                             *(run.inp.aspects[name] for name in aspects), *extra)


def _pieced_file(run: _Run, relpath: str, parts: Parts) -> None:
    """An estate-wide file put together from the pieces of `parts` and nothing else: kept
    whole while their keys are the same (`_spliced_file`)."""
    pieces = [piece.key for piece in parts.pieces()]
    whole = tuple(pieces) if run.keys is not None and None not in pieces else None
    _spliced_file(run, relpath, (), (whole,), lambda: parts)


def _processes_digest(run: _Run) -> str:
    """The processes' digest (only when an estate-wide file is keyed: `_estate_file`), worked
    out once per process (rules.json and processes.json both read it)."""
    if run.fragments is None or run.inp.aspects is None:
        return ""
    known = run.look.memo.setdefault("processes-digest", {})
    if "" not in known:
        known[""] = content_digest(run.inp.estate.processes)
    return known[""]


Chores = tuple[tuple[str, Callable[[_Run], None]], ...]

# estate-wide files and pages, taken in turn like process pages, so the process that finishes
# its own work first writes what the other has not started. These need only the analysis (and
# are mostly kept by its aspects): the page worker writes them while the main process makes
# the data index and page keys (`_indexed`), which CHORES need.
LIGHT_CHORES: Chores = (
    ("rules.json", lambda run: _spliced_file(
        run, "rules.json", ("rules", "smells"), (_processes_digest(run),),
        lambda: rules_parts(run.inp.estate, run.fragments, run.inp.program_keys,
                            {"processes": _processes_digest(run),
                             "smells": (run.inp.aspects or {}).get("smells", "")}))),
    ("processes.json and smells.json", _estate_lists),
    ("site.json", lambda run: _write_site_json(run)),
)
CHORES: Chores = (  # the largest first
    ("business exports", _keyed_exports),
    ("index page", lambda run: _write_index(run)),
    ("reviews page", lambda run: _write_reviews(run)),
    ("search index", lambda run: _pieced_file(
        run, SEARCH_FILE, search_parts(run.look, run.linker, run.data, run.fragments, run.keys))),
    ("Markdown", lambda run: _write_markdown(run)),
    ("estate pages", lambda run: _write_estate_pages(run)),
    ("graph.json", lambda run: _estate_file(
        run, "graph.json", (), (sorted(run.keys.graph.items()) if run.keys else None,),
        lambda: graph_json(run.inp.graph, run.fragments,
                           (run.keys.owner, run.keys.graph) if run.keys else None),
        lambda: graph_pieces(run.fragments, run.keys.graph if run.keys else {}).values())),
)


def _chore(run: _Run, table: Chores, position: int) -> None:
    started = time.perf_counter()
    table[position][1](run)
    log.debug("%s: %.2f s", table[position][0], time.perf_counter() - started)


def _do_chores(run: _Run, chores: Turns, table: Chores) -> set[int]:
    """Estate-wide files and pages taken in turn until none is left; the positions written."""
    done = set()
    while (position := chores.take()) is not None:
        _chore(run, table, position)
        done.add(position)
    return done


def _side_work(base: _Run, processes: list[Process], turns: Turns, light: Turns,
               chores: Turns) -> _SideResult:
    """Estate-wide files and pages (LIGHT_CHORES, then CHORES), then process pages, each as long
    as some are left: in a forked worker while the other process renders the other pages, or
    here when there is no worker."""
    inp, writer = base.inp, base.writer
    fresh: dict[str, tuple[str, str]] = {}
    used: list[str] = []
    before = (dict(base.pages.fresh), len(base.pages.used)) if base.pages is not None \
        else ({}, 0)
    my_light = _do_chores(base, light, LIGHT_CHORES)
    my_chores, done, run = set(), set(), base
    if chores.left() or turns.left():  # the indexes only when something is left to use them
        run = _indexed(base)
        my_chores = _do_chores(run, chores, CHORES)
        with diagram_memo(inp.memo):  # writes its drawings to the state itself
            done = _write_processes(run, processes, turns)
    writer.close()
    written = writer.written()
    if run.pages is not None:
        fresh = {k: v for k, v in run.pages.fresh.items() if k not in before[0]}
        used = run.pages.used[before[1]:]
    return _SideResult(written, {p: set(r) for p, r in run.linker.ranges.items()}, fresh,
                       used, done, my_light, my_chores, writer.kept())


def _shown_processes(look: Lookup) -> list[Process]:
    """Processes that get a page of their own, in order."""
    shown = []
    for process in look.processes:
        if process.id in look.parts:
            log.warning("process id %s is also a split process's; its page wins", process.id)
            continue
        shown.append(process)
    return shown


def _render(run: _Run, relpath: str, template: str, page: Any) -> str:
    return _render_lazy(run, relpath, template, page, lambda: page)


def _render_lazy(run: _Run, relpath: str, template: str, inputs: Any,
                 make: Callable[[], Any]) -> str:
    """Render the page `make()` builds, unless `inputs` (its view values, or everything they
    are made from) are those of the page the last build wrote there: then keep that file."""
    def text() -> str:
        page = make()
        return html_environment().get_template(template).render(page=page, frame=page.frame)

    return write_or_keep(run.writer, run.pages, relpath, template, inputs, text)


def _keyed(run: _Run, relpath: str, key: str | None, write: Callable[[], str]) -> bool:
    """A page keyed by what it is made from (render.deps), kept or written (memo.keep_or_write):
    True when kept."""
    return keep_or_write(run.writer, run.pages, relpath, key, write, run.linker)


def _write_pages(run: _Run) -> None:
    """The pages of programs, split processes and data groups (most kept by their keys)."""
    look, linker, title = run.look, run.linker, run.inp.title
    for program in look.programs():
        relpath = linker.programs[program.name]
        _keyed(run, relpath, run.keys.program(program.name) if run.keys else None,
               lambda program=program, relpath=relpath: _render(
                   run, relpath, "program.html",
                   build_program(look, linker, run.cards, run.data, program, title)))
    _write_parents(run)
    _write_groups(run)


def _write_site_json(run: _Run) -> None:
    """The hash of every rule and summary for `logicmine serve`: what the analysis says, not
    what the pages showed, so any process may write it (and kept while the analysis's hashes
    and the reviews file's place are unchanged). With each program's hashes apart (the
    analysis's), spliced from their pieces (render.splice)."""
    known, path = run.inp.review_hashes, _reviews_path(run.inp)
    groups = getattr(known, "groups", None)
    if groups is not None:
        _spliced_file(run, SITE_FILE, ("review",), (path,),
                      lambda: site_parts(groups, path, run.fragments))
        return

    def text() -> str:
        if known is not None:  # every rule and summary is in it, with the hash a mark takes
            by_section: dict[str, dict[str, str]] = {"rules": {}, "summaries": {}}
            for (section, item), digest in known.items():
                by_section[section][item] = digest
            return site_json_of(by_section, path)
        register_all(run.marks, run.inp.estate)
        return site_json(run.marks, path)

    _estate_file(run, SITE_FILE, ("review",), (path,), text)


def _reviews_path(inp: RenderInput) -> str:
    return inp.reviews_path or str(reviews_file(inp.estate.root or "."))


def _estate_page(run: _Run, relpath: str, shown: tuple[str, ...], faces: bool, extra: Any,
                 write: Callable[[], str]) -> None:
    """An estate-wide page made from the frame, the aspects `shown` of every program (with
    `faces`, what other programs' pages show of it) and `extra` (render.deps,
    `PageKeys.listing`), kept while they are unchanged (`_keyed`)."""
    _keyed(run, relpath, run.keys.listing(relpath, shown, extra, faces) if run.keys else None,
           write)


def _write_index(run: _Run) -> None:
    """The overview: of each program its graph nodes, outline and face (render.deps). The
    rules changed since the last build are counted there too, which most rebuilds change:
    the rest of the page's view is kept in the state under what it shows (`_recalled`)."""
    changes, look = run.inp.changes, run.look
    counts = change_counts(changes) if changes is not None else None
    listing = run.keys.listing(INDEX, ("outline",), (
        content_digest(run.inp.estate.diagnostics), look.summary("estate")), True) \
        if run.keys else None
    view = run.fragments.key("view", INDEX, listing) if listing and run.fragments else None

    def write() -> str:
        made = _recalled(run, view, lambda: build_index(look, run.linker, run.marks,
                                                         run.inp.title, run.inp.fidelity_note))
        return _render(run, INDEX, "index.html", replace(made, changes=counts))

    kept = _keyed(run, INDEX, content_digest((listing, counts)) if listing else None, write)
    if kept and view is not None and run.fragments is not None:
        run.fragments.present([view])  # so the next build whose counts differ finds it


def _recalled(run: _Run, key: str | None, build: Callable[[], Any]) -> Any:
    """A page's view values from the state under `key` (what they are made from), with the
    source ranges they cite registered as building them would; else built and kept there."""
    if key is None or run.fragments is None:
        return build()
    found = run.fragments.recall([key]).get(key)
    if found is not None:
        view, ranges = found
        run.linker.replay(ranges)
        return view
    with run.linker.recording() as cited:
        view = build()
    run.fragments.write({key: (view, cited_ranges(cited))})
    return view


def _write_reviews(run: _Run) -> None:
    """Of each program, how many of its rules are in each review state (its face, with the
    rules decided on) and the summaries decided on."""
    # it marks every rule and summary itself: what it lists does not depend on other pages
    label, look = _reviews_label(run), run.look
    decided = sorted((subject, look.summary(subject))
                     for subject in run.marks.decisions["summaries"]) if run.keys else ()
    _estate_page(run, REVIEWS_PAGE, (), True, (label, decided), lambda: _render(
        run, REVIEWS_PAGE, "reviews.html",
        build_reviews(look, run.linker, run.marks, run.inp.title, label)))


def _write_estate_pages(run: _Run) -> None:
    """Diagnostics, smells, changes, jobs, the data index and the glossary."""
    look, linker, data, title, changes = run.look, run.linker, run.data, run.inp.title, \
        run.inp.changes
    _render(run, DIAGNOSTICS, "diagnostics.html", build_diagnostics(look, linker, title))
    _estate_page(run, SMELLS_PAGE, ("smells",), False, (), lambda: _render(
        run, SMELLS_PAGE, "smells.html", build_smells(look, linker, title)))
    if changes is not None:
        _render(run, CHANGES_PAGE, "changes.html", build_changes(look, linker, changes, title))
    _write_jobs(run)
    # the data index counts the entries statements or rules use; the glossary lists entries
    _estate_page(run, DATA_INDEX, ("data-use",), False, (), lambda: _render(
        run, DATA_INDEX, "data_index.html", build_data_index(look, linker, data, title)))
    _estate_page(run, GLOSSARY, ("data",), False, look.summary("glossary"), lambda: _render(
        run, GLOSSARY, "glossary.html", build_glossary(look, linker, data, title)))


class Turns:
    """Hands out positions 0..n-1 once each, to this process and a forked worker alike (a
    counter in shared memory), so process pages go to whichever is free first."""

    def __init__(self, count: int) -> None:
        self.count = count
        try:
            self._next = mp.get_context("fork").Value("i", 0)
        except (ValueError, OSError):  # no fork here: there is no worker to share with
            self._next = None
            self._local = 0

    def left(self) -> bool:
        """Whether a position may be left (another process may take it first)."""
        if self._next is None:
            return self._local < self.count
        return self._next.value < self.count

    def take(self) -> int | None:
        """The next position, or None when none is left (or the counter cannot be had: a
        worker killed while holding it; what nobody wrote is written after the worker ends)."""
        if self._next is None:
            position, self._local = self._local, self._local + 1
        else:
            lock = self._next.get_lock()
            if not lock.acquire(timeout=10):
                return None
            try:
                position = self._next.value
                self._next.value = position + 1
            finally:
                lock.release()
        return position if position < self.count else None


def _write_processes(run: _Run, processes: list[Process], turns: Turns) -> set[int]:
    """Process pages taken in turn until none is left; the positions written."""
    look, linker, title = run.look, run.linker, run.inp.title
    done = set()
    while (position := turns.take()) is not None:
        process = processes[position]
        relpath = linker.processes[process.id]
        _keyed(run, relpath, run.keys.process(process) if run.keys else None,
               lambda process=process, relpath=relpath: _render(
                   run, relpath, "process.html",
                   build_process(look, linker, run.cards, process, title)))
        done.add(position)
    return done


def _write_parents(run: _Run) -> None:
    look, linker, title = run.look, run.linker, run.inp.title
    for parent in sorted(look.parts):
        relpath = linker.processes[parent]
        _keyed(run, relpath, run.keys.parent(parent, look.parts[parent]) if run.keys else None,
               lambda parent=parent, relpath=relpath: _render(
                   run, relpath, "process_parent.html",
                   build_parent(look, linker, run.marks, parent, title)))


def _reviews_label(run: _Run) -> str:
    """The reviews file as the page names it: just its name, not this machine's path."""
    return Path(run.inp.reviews_path).name if run.inp.reviews_path else REVIEWS_FILE


def _write_jobs(run: _Run) -> None:
    seen: set[str] = set()
    for job in sorted(run.inp.estate.jobs, key=lambda j: (j.name, j.file)):
        if job.name in seen:
            log.warning("job %s is defined more than once; showing %s", job.name, job.file)
            continue
        seen.add(job.name)
        relpath = run.linker.jobs[job.name]
        # the frame holds the jobs and the datasets; of the programs it runs, their parts
        ran = {step.program for step in job.steps} & set(run.keys.parts) if run.keys else ()
        _keyed(run, relpath, run.keys.of("job", job.name, ran) if run.keys else None,
               lambda job=job, relpath=relpath: _render(
                   run, relpath, "job.html", build_job(run.look, run.linker, job, run.inp.title)))


def _write_groups(run: _Run) -> None:
    look, linker, data, title = run.look, run.linker, run.data, run.inp.title
    for file in sorted(data.groups):  # what a file defines, as the programs that copy it see it
        relpath, users = linker.data[file], data.programs_of[file]
        _keyed(run, relpath, run.keys.group(file, users) if run.keys else None,
               lambda file=file, relpath=relpath: _render(
                   run, relpath, "data_group.html", build_group(look, linker, data, file, title)))


def _write_markdown(run: _Run) -> None:
    look, linker, inp, writer = run.look, run.linker, run.inp, run.writer
    env = markdown_environment()
    index = markdown.build_index_doc(look, linker, inp.title, inp.fidelity_note, inp.changes)
    writer.write(markdown.MARKDOWN_INDEX, _tidy(env.get_template("index.md.j2").render(doc=index)))
    names = {False: "program.md.j2", True: "class.md.j2"}
    for program in look.programs():
        name, relpath = names[program.language == "java"], linker.markdown[program.name]

        def write(program=program, name=name, relpath=relpath) -> str:
            doc = markdown.build_program_doc(look, linker, program, inp.title)
            return write_or_keep(writer, run.pages, relpath, name, doc,
                                 lambda: _tidy(env.get_template(name).render(doc=doc)))

        _keyed(run, relpath, run.keys.program(program.name, name) if run.keys else None, write)


def _tidy(text: str) -> str:
    """One newline at the end of a Markdown document, whatever the template's last block left."""
    return text.rstrip("\n") + "\n"


def _write_sources(run: _Run, sources: Highlighting) -> None:
    kinds = kinds_by_path(run.inp.estate)
    users = used_by(run.inp.estate)
    title, linker = run.inp.title, run.linker
    for path in sorted(linker.sources):
        kind, who = kinds.get(path, "other"), users.get(path, [])
        _render_lazy(
            run, linker.sources[path], "source.html",
            source_inputs(linker, path, sources.keys.get(path, ""), kind, who, title),
            lambda path=path, kind=kind, who=who: build_source(
                linker, path, sources.lines_of(path), kind, who, title),
        )
    sources.finish()


def _write_static(writer: OutputWriter) -> None:
    folder = resources.files("logicmine.render").joinpath("static")
    for name in STATIC_FILES:
        writer.write(f"static/{name}", folder.joinpath(name).read_text(encoding="utf-8"))
    writer.write("static/pygments.css", pygments_css())
