"""The build pipeline: each stage a plain function of the previous stage's output.

discover -> parse (preprocess + tree-sitter, in workers under a watchdog) -> graph ->
rules + clusters -> summarise -> render (into a temporary directory, renamed into place).
Everything is gathered before anything is written.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import logging
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .collector import paused_gc, rare_collections
from .config import Config
from .dictionary import data_words, group_shares
from .discover import Inventory, discover, read_source
from .model import (
    Diagnostic,
    Estate,
    Fidelity,
    Job,
    Program,
    Rule,
    SourceFile,
    Summary,
    content_digest,
    rule_order,
)
from .output import (
    MANIFEST,
    changes_markdown,
    clean_leftovers,
    keep_unchanged,
    locked,
    previous_rules,
    read_manifest,
    rule_changes,
    rule_dict,
    swap,
    write_manifest,
)
from .reviews import REVIEWS_FILE, reviews_file, rule_hash, summary_hash
from .state import State, code_key, settings_key, state_path

if TYPE_CHECKING:  # the parse, analysis and render modules are imported where they are used:
    import networkx as nx  # a build with nothing changed stops after discovery without them

    from .lang.cobol.preprocess import CopybookResolver

log = logging.getLogger("logicmine.pipeline")
Progress = Callable[[str, int, int], None]


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class FileReport:
    """What parsing one file gave: for `scan` and the fidelity page."""

    path: str
    kind: str
    lines: int
    programs: tuple[str, ...] = ()
    fidelity: Fidelity = field(default_factory=Fidelity)
    copybooks_resolved: int = 0
    copybooks_missing: tuple[str, ...] = ()
    exec_blocks: tuple[tuple[str, int], ...] = ()
    dynamic_unresolved: int = 0
    error: str = ""


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The parse stage's output."""

    inventory: Inventory
    programs: tuple[Program, ...]
    jobs: tuple[Job, ...]
    reports: tuple[FileReport, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float = 0.0
    digests: dict[str, str] = field(default_factory=dict)  # COBOL file -> digest of its facts
    jobs_key: str = ""  # what the jobs are made from (every JCL member, the settings, the code)


# ---------------------------------------------------------------- parse stage


@dataclass(frozen=True, slots=True)
class _CobolTask:
    config: Config
    source: SourceFile
    index: dict[str, str]
    files: tuple[str, ...]  # every copybook candidate path, so the resolver never probes the disk
    index_key: str  # identifies (index, files): a worker keeps one resolver per key


_RESOLVERS: dict[str, CopybookResolver] = {}  # index key -> resolver


@dataclass(frozen=True, slots=True)
class _Cached:
    """A parse result taken from the state instead of a worker."""

    key: str
    result: tuple
    error: str = ""
    timed_out: bool = False


def _parse_cobol_task(task: _CobolTask):
    """Worker side: read, preprocess and parse one COBOL file."""
    from .encoding import decode_source
    from .lang.cobol.frontend import parse_cobol
    from .lang.cobol.preprocess import CopybookResolver, preprocess

    text, diagnostics = read_source(task.config, task.source)
    root = Path(task.config.root)

    def load(path: str) -> str:
        return decode_source((root / path).read_bytes(), path)[0]

    if task.index_key not in _RESOLVERS:  # a worker lives for the whole run: one resolver, so
        _RESOLVERS.clear()  # each copybook is read and expanded once
        search = tuple(_relative_dir(task.config, p) for p in task.config.copybook_paths)
        _RESOLVERS[task.index_key] = CopybookResolver(task.index, search, load, files=task.files)
    resolver = _RESOLVERS[task.index_key]
    pre = preprocess(text, task.source.path, resolver, source_format=task.config.source_format)
    programs, more = parse_cobol(pre, task.source.path)
    diagnostics = list(diagnostics) + list(pre.diagnostics) + more
    deps = sorted({c.resolved for c in pre.copybooks if c.resolved})
    return programs, diagnostics, _report(task.source, pre, programs), deps


def _relative_dir(config: Config, path: str) -> str:
    absolute = config.resolve_path(path)
    try:
        return absolute.relative_to(config.root).as_posix()
    except ValueError:
        return absolute.as_posix()


def _report(source: SourceFile, pre, programs: list[Program]) -> FileReport:
    kinds: dict[str, int] = {}
    for block in pre.exec_blocks:
        kinds[block.kind] = kinds.get(block.kind, 0) + 1
    total = Fidelity()
    for program in programs:
        f = program.fidelity
        total = Fidelity(total.lines + f.lines, total.code_lines + f.code_lines,
                         total.error_lines + f.error_lines,
                         total.unrecovered_lines + f.unrecovered_lines,
                         total.recovered_statements + f.recovered_statements)
    return FileReport(
        path=source.path, kind=source.kind, lines=source.line_count,
        programs=tuple(p.name for p in programs), fidelity=total,
        copybooks_resolved=sum(1 for c in pre.copybooks if c.resolved),
        copybooks_missing=tuple(sorted({c.member for c in pre.copybooks
                                        if not c.resolved and c.library != "builtin"})),
        exec_blocks=tuple(sorted(kinds.items())),
        dynamic_unresolved=sum(1 for p in programs for r in p.references if r.dynamic),
    )


def parse_estate(config: Config, progress: Progress = _quiet,
                 exclude_dirs: tuple[Path, ...] = (), *, state: State | None = None,
                 inventory: Inventory | None = None) -> ParseResult:
    """Discover and parse every file of the estate (unchanged files come from `state`)."""
    from .executors import run as run_on
    from .lang.cobol.preprocess import build_copybook_index

    started = time.perf_counter()
    inventory = inventory or discover(config, exclude_dirs=exclude_dirs)
    diagnostics: list[Diagnostic] = list(inventory.diagnostics)
    cobol = [s for s in inventory.files if s.kind == "cobol"]
    copy_paths = [s.path for s in inventory.files if s.kind in ("copybook", "cobol")]
    index = build_copybook_index(copy_paths, [_relative_dir(config, p)
                                             for p in config.copybook_paths])
    programs: list[Program] = []
    reports: list[FileReport] = []
    digests: dict[str, str] = {}
    files = tuple(copy_paths)
    key = hashlib.sha256(json.dumps([str(config.root), sorted(index.items()), files,
                                     config.copybook_paths]).encode()).hexdigest()
    hashes = {s.path: s.sha256 for s in inventory.files}
    settings = settings_key(config)
    with paused_gc(freeze=True):  # the facts live to the end of the run
        cached = {s.path: state.lookup(s.path, s.sha256, settings, hashes) for s in cobol} \
            if state is not None else {}
    tasks = [(s.path, _CobolTask(config, s, index, files, key)) for s in cobol
             if cached.get(s.path) is None]
    by_path = {s.path: s for s in cobol}
    fresh: list[tuple] = []
    outcomes = [_Cached(path, result) for path, result in sorted(cached.items()) if result]
    outcomes_iter = itertools.chain(outcomes, run_on(
        config.executor, _parse_cobol_task, tasks, jobs=config.worker_count(),
        timeout=config.parse_timeout))
    for done, outcome in enumerate(outcomes_iter, 1):
        progress("parse", done, len(cobol))
        if outcome.result is not None and not isinstance(outcome, _Cached):
            deps = {p: hashes.get(p, "") for p in outcome.result[3]}
            fresh.append((outcome.key, hashes[outcome.key], settings, deps, outcome.result))
            if state is not None and len(fresh) >= 200:  # stream facts to the cache
                state.store_many(fresh)
                fresh = []
        if outcome.result is None:
            reason = "timed out" if outcome.timed_out else "failed"
            diagnostics.append(Diagnostic(outcome.key, 0, "error", f"parse-{reason.split()[0]}",
                                          f"parsing {reason}: {outcome.error}"))
            source = by_path[outcome.key]
            reports.append(FileReport(outcome.key, "cobol", source.line_count,
                                      fidelity=Fidelity(timed_out=outcome.timed_out),
                                      error=outcome.error))
            continue
        found, diags, report, deps = outcome.result
        digests[outcome.key] = _facts_digest(settings, outcome.key, hashes, deps)
        programs.extend(found)
        diagnostics.extend(diags)
        reports.append(report)
    if state is not None:
        state.store_many(fresh)
        state.forget_except(s.path for s in inventory.files if s.kind in ("cobol", "java"))
    java_programs, java_reports, java_diags = _parse_java(config, inventory, state, settings)
    programs.extend(java_programs)
    reports.extend(java_reports)
    diagnostics.extend(java_diags)
    jobs_key = _jcl_key(inventory, settings)
    jobs, jcl_reports, jcl_diags = _jcl_of(config, inventory, state, jobs_key)
    diagnostics.extend(jcl_diags)
    reports.extend(jcl_reports)
    programs.sort(key=lambda p: (p.name, p.file))
    reports.sort(key=lambda r: r.path)
    return ParseResult(inventory, tuple(programs), tuple(jobs), tuple(reports),
                       tuple(_dedupe(diagnostics)), time.perf_counter() - started, digests,
                       jobs_key)


def _facts_digest(settings: str, path: str, hashes: dict[str, str], deps) -> str:
    """What a COBOL file's facts depend on: the settings (code included), its bytes, and the
    bytes of every copybook it included; the same key validates the facts cache."""
    data = [settings, path, hashes.get(path, ""), sorted((d, hashes.get(d, "")) for d in deps)]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def _parse_java_task(task: tuple[Config, SourceFile]):
    """Worker side: one Java file's facts."""
    from .lang.java import parse_java_file

    config, source = task
    text, diagnostics = read_source(config, source)
    return parse_java_file(text, source.path), diagnostics


_DESCRIPTORS = ("web.xml", "ejb-jar.xml")


def _deployment_descriptors(config: Config) -> dict[str, str]:
    """web.xml and ejb-jar.xml files (servlet and bean mappings), by repo-relative path."""
    found: dict[str, str] = {}
    for name in _DESCRIPTORS:
        for path in sorted(config.root.rglob(name)):
            try:
                found[path.relative_to(config.root).as_posix()] = path.read_text(errors="replace")
            except OSError:
                continue
    return found


def _parse_java(config: Config, inventory: Inventory, state: State | None, settings: str):
    """Java files parsed per file (cached like COBOL), then linked across the estate."""
    from .executors import run as run_on

    sources = [s for s in inventory.files if s.kind == "java"]
    if not sources:
        return [], [], []
    from .lang.java import link_java

    with paused_gc(freeze=True):
        cached = {s.path: state.lookup(s.path, s.sha256, settings, {}) for s in sources} \
            if state is not None else {}
    results: dict[str, tuple] = {p: r for p, r in cached.items() if r is not None}
    tasks = [(s.path, (config, s)) for s in sources if s.path not in results]
    diagnostics: list[Diagnostic] = []
    fresh = []
    by_path = {s.path: s for s in sources}
    for outcome in run_on(config.executor, _parse_java_task, tasks, jobs=config.worker_count(),
                          timeout=config.parse_timeout):
        if outcome.result is None:
            reason = "timed out" if outcome.timed_out else "failed"
            diagnostics.append(Diagnostic(outcome.key, 0, "error", f"parse-{reason.split()[0]}",
                                          f"parsing {reason}: {outcome.error}"))
            continue
        results[outcome.key] = outcome.result
        fresh.append((outcome.key, by_path[outcome.key].sha256, settings, {}, outcome.result))
    if state is not None:
        state.store_many(fresh)
    facts = [results[p][0] for p in sorted(results)]
    for path in sorted(results):
        diagnostics.extend(results[path][1])
    programs, more, stats = link_java(facts, _deployment_descriptors(config))
    log.info("java: %s", {k: v for k, v in stats.items() if not isinstance(v, dict)})
    reports = [FileReport(s.path, "java", s.line_count,
                          programs=tuple(p.name for p in programs if p.file == s.path))
               for s in sources]
    return programs, reports, diagnostics + list(more)


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: (d.file, d.line, d.code, d.message))


JCL_MEMO = "jcl"


def _jcl_key(inventory: Inventory, settings: str) -> str:
    """A digest of what the jobs are made from: every JCL member (deck or procedure), the
    parse settings and the code (`settings`)."""
    return hashlib.sha256(json.dumps([settings, [(s.path, s.sha256) for s in inventory.files
                                                 if s.kind == "jcl"]]).encode()).hexdigest()


def _jcl_of(config: Config, inventory: Inventory, state: State | None, key: str):
    """The estate's jobs: from the state's memo under `key` (`_jcl_key`) while no JCL member
    and nothing of the parse settings or code changed, else parsed (a deck's steps depend on
    every cataloged procedure, so the decks are parsed together)."""
    if state is None:
        return _parse_jcl(config, inventory)
    known = state.recall(JCL_MEMO, [key]).get(key)
    if known is None:
        known = _parse_jcl(config, inventory)
        state.remember(JCL_MEMO, {key: known})
    return known


def _parse_jcl(config: Config, inventory: Inventory):
    """JCL decks and cataloged procedures (fast: done in this process)."""
    from .lang.jcl import ProcLibrary, parse_jcl, read_procs

    diagnostics: list[Diagnostic] = []
    texts: dict[str, str] = {}
    procs = []
    for source in inventory.files:
        if source.kind != "jcl":
            continue
        text, diags = read_source(config, source)
        diagnostics.extend(diags)
        if _is_proc_member(source.path, text):  # a cataloged procedure, not a job deck
            found, diags = read_procs(text, source.path)
            procs.extend(found)
            diagnostics.extend(diags)
        else:
            texts[source.path] = text
    library = ProcLibrary(procs)
    jobs: list[Job] = []
    reports = []
    for path, text in sorted(texts.items()):
        result = parse_jcl(text, path, library)
        jobs.extend(result.jobs)
        diagnostics.extend(result.diagnostics)
        reports.append(FileReport(path, "jcl", text.count("\n") + 1,
                                  programs=tuple(j.name for j in result.jobs)))
    jobs.sort(key=lambda j: (j.name, j.file))
    return jobs, reports, diagnostics


def _is_proc_member(path: str, text: str) -> bool:
    lower = path.lower()
    if lower.endswith((".prc", ".proc")):
        return True
    head = [line for line in text.splitlines()[:50] if line.startswith("//") and
            not line.startswith("//*")]
    has_job = any(" JOB " in f" {line[2:]} " for line in head)
    return not has_job and any(" PROC" in line[2:].split("*")[0] for line in head)


# ---------------------------------------------------------------- analysis stages


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything gathered before rendering."""

    estate: Estate
    graph: nx.MultiDiGraph
    timings: dict[str, float]
    llm: object | None = None  # summarise.settings.LLMReport when a model pass ran
    # name -> the analysis memo's keys of the programs of that name, when every summary comes
    # from those analyses (no model pass): the change report and the processes' memo use them
    program_keys: dict[str, tuple[str, ...]] | None = None
    # (section, item) -> content hash of every rule and summary, worked out with the analysis
    review_hashes: Mapping[tuple[str, str], str] | None = None
    # program name -> how often its statements name each of its data entries (the first
    # program of a name, as the site shows it): render.dictionary.data_words
    data_words: dict[str, tuple[tuple[str, int], ...]] | None = None
    # aspect ('rules', 'smells', 'review') -> a digest of that aspect of every program's
    # analysis, in the estate's order (no model pass): estate-wide files made from nothing
    # else are kept by it (render.site, `_estate_file`)
    aspects: dict[str, str] | None = None
    # name -> `ProgramAnalysis.view` of the programs of that name (no model pass): render.deps
    # keys pages, and render.fragments the pieces of estate-wide files, by them
    view_keys: dict[str, tuple[str, ...]] | None = None
    graph_key: str = ""  # the key the graph is stored under in the memo, '' without a state
    # name -> aspect -> digest of that aspect of the programs of that name (no model pass):
    # render.deps keys the estate-wide pages by the aspects they show (`_list_aspects`)
    program_aspects: dict[str, dict[str, str]] | None = None


@dataclass(frozen=True, slots=True)
class ModelPass:
    """What the model pass needs: its settings, a client that answered, its cache folder."""

    settings: object  # summarise.settings.LLMSettings
    client: object | None
    cache_dir: Path


def analyse(config: Config, parsed: ParseResult, progress: Progress = _quiet,
            model: ModelPass | None = None, state: State | None = None) -> Analysis:
    """Graph, rules, clusters and summaries of a parsed estate.

    What depends on one program alone (its rules, steps, smells and offline summaries) is
    taken from the state's memo when the program's facts are unchanged.
    """
    from .graph import build_graph
    from .lang.jcl import dd_access
    from .processes import find_processes

    timings = {"parse": parsed.seconds}
    started = time.perf_counter()
    keys = [_analysis_key(p, parsed.digests) for p in parsed.programs]
    with paused_gc(freeze=True):  # so do the analyses
        known = state.recall(ANALYSIS_MEMO, keys) if state is not None else {}
    fresh: dict[str, ProgramAnalysis] = {}
    per_program: list[ProgramAnalysis] = []
    for done, (program, key) in enumerate(zip(parsed.programs, keys, strict=True), 1):
        found = known.get(key)
        if found is None:
            found = fresh[key] = analyse_program(program)
        per_program.append(found)
        progress("rules", done, len(parsed.programs))
    if state is not None:
        state.remember(ANALYSIS_MEMO, fresh)
    timings["rules"] = time.perf_counter() - started
    started = time.perf_counter()
    # what the jobs are made from, for the graph's and the processes' memo keys
    jobs_key = (parsed.jobs_key or content_digest(parsed.jobs)) if state is not None else ""
    graph_key = _graph_key(parsed, per_program, jobs_key) if state is not None else ""
    with paused_gc(freeze=True):
        graph = state.recall(GRAPH_MEMO, [graph_key]).get(graph_key) if graph_key else None
    if graph is None:
        graph = build_graph(parsed.programs, parsed.jobs, dd_access)
        if graph_key:
            state.remember(GRAPH_MEMO, {graph_key: graph})
    timings["graph"] = time.perf_counter() - started
    started = time.perf_counter()
    rules = [r for a in per_program for r in a.rules]
    clusters = [c for a in per_program for c in a.clusters]
    smells = [s for a in per_program for s in a.smells]
    by_name: dict[str, tuple[str, ...]] = {}
    for program, key in zip(parsed.programs, keys, strict=True):
        by_name[program.name] = (*by_name.get(program.name, ()), key)
    processes = find_processes(graph, list(parsed.programs), list(parsed.jobs), rules, state,
                               by_name, jobs_key)
    timings["rules"] += time.perf_counter() - started
    started = time.perf_counter()
    summaries = [s for a in per_program for s in a.rule_summaries] + \
        [s for a in per_program for s in a.cluster_summaries] + \
        [a.program_summary for a in per_program]
    report = None
    if model is not None:
        summaries, report = _model_summaries(config, parsed, clusters, rules, summaries, model,
                                             progress)
    timings["summarise"] = time.perf_counter() - started
    estate = Estate(
        root=str(config.root), sources=parsed.inventory.files, programs=parsed.programs,
        jobs=parsed.jobs, rules=tuple(rules), clusters=tuple(clusters),
        summaries=tuple(summaries), diagnostics=parsed.diagnostics,
        processes=tuple(processes), smells=tuple(smells),
    )
    hashes = None
    if model is None:  # a model pass replaces summaries: their hashes are worked out anew
        hashes = ReviewHashes(per_program)
    words: dict[str, tuple[tuple[str, int], ...]] = {}
    views: dict[str, tuple[str, ...]] = {}
    named: dict[str, dict[str, str]] = {}
    for program, found in zip(parsed.programs, per_program, strict=True):
        words.setdefault(program.name, found.data_words)
        views[program.name] = (*views.get(program.name, ()), found.view)
        mine = named.setdefault(program.name, {})
        for aspect, digest in found.aspects:  # programs of one name: their digests end to end
            mine[aspect] = mine.get(aspect, "") + digest
    if model is not None:
        return Analysis(estate, graph, timings, report, None, hashes, words,
                        graph_key=graph_key)
    return Analysis(estate, graph, timings, report, by_name, hashes, words,
                    _aspects(per_program), views, graph_key, named)


ASPECTS = ("rules", "smells", "review")


def _aspects(per_program: list[ProgramAnalysis]) -> dict[str, str]:
    """Each aspect's digest over the programs' analyses, in order (see `Analysis.aspects`)."""
    return {name: hashlib.sha256("\0".join(a.aspect(name) for a in per_program)
                                 .encode()).hexdigest() for name in ASPECTS}


class ReviewHashes(Mapping):
    """(section, item) -> content hash of every rule and summary, as the analyses worked them
    out, gathered into one dict when first read: 200,000 entries at 1M lines, which a rebuild
    whose pages and site.json are all kept never reads."""

    # lookups answered None (`cached`) before the map is built: the caller hashes the item as
    # the analysis did, about 20 us each, where the map costs a third of a second at 1M lines
    FEW = 5_000

    def __init__(self, per_program: list[ProgramAnalysis]) -> None:
        self._per_program: list[ProgramAnalysis] | None = per_program
        self._map: dict[tuple[str, str], str] | None = None
        self._asked = 0
        # each program's (digest of its hashes, its hashes), in order: site.json's pieces
        self.groups = tuple((a.aspect("review"), a.review_hashes) for a in per_program)

    def cached(self, key: tuple[str, str]) -> str | None:
        """The hash once many have been asked for (the map is then built), None before: a
        rebuild that shows a few hundred rules hashes them rather than gather 200,000."""
        if self._map is None:
            self._asked += 1
            if self._asked <= self.FEW:
                return None
        return self._built().get(key)

    def _built(self) -> dict[tuple[str, str], str]:
        if self._map is None:
            self._map = {(section, item): digest for a in self._per_program or ()
                         for section, item, digest in a.review_hashes}
            self._per_program = None
        return self._map

    def __getitem__(self, key: tuple[str, str]) -> str:
        return self._built()[key]

    def get(self, key, default=None):
        return self._built().get(key, default)

    def __iter__(self):
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


ANALYSIS_MEMO = "program-analysis"
GRAPH_MEMO = "graph"


def _graph_key(parsed: ParseResult, per_program: list[ProgramAnalysis], jobs_key: str) -> str:
    """The estate graph's memo key: what each program gives the graph (`ProgramAnalysis.graph`),
    in the order the graph is built, the jobs (`jobs_key`), and logicmine's code. An edit that
    moves no call, PERFORM, I/O statement or paragraph (a literal, a condition) finds the graph
    of the last build, read back in a third of the time building it takes at 1M lines."""
    parts = [(p.name, p.file, a.graph) for p, a in zip(parsed.programs, per_program,
                                                       strict=True)]
    return hashlib.sha256(repr((code_key(), "graph-v1", sorted(parts), jobs_key)).encode()
                          ).hexdigest()


@dataclass(frozen=True, slots=True)
class ProgramAnalysis:
    """What one program alone yields: rules (with their step), steps, smells, summaries."""

    rules: tuple[Rule, ...]
    clusters: tuple
    smells: tuple
    rule_summaries: tuple[Summary, ...]
    cluster_summaries: tuple[Summary, ...]
    program_summary: Summary
    # (section, item, content hash) of each rule and summary, as reviews are checked against
    review_hashes: tuple[tuple[str, str, str], ...] = ()
    data_words: tuple[tuple[str, int], ...] = ()  # render.dictionary.data_words
    # (aspect, digest): its rules, its smells, its review hashes (see `Analysis.aspects`)
    aspects: tuple[tuple[str, str], ...] = ()
    # a digest of what the program gives the estate graph (graph.add_program and open_modes
    # read): its name, place, procedures, copybooks and references
    graph: str = ""
    # a digest of everything the site may show of the program but its source text: its facts
    # but its statements (the site reads them only through what is worked out here) and all
    # of the above. An edit that changes none of it (a comment, a literal no rule reads, a
    # value no page shows) leaves the program's pages and pieces as they were
    view: str = ""

    def aspect(self, name: str) -> str:
        """The digest of one aspect ('rules', 'smells', 'review'), '' when not worked out."""
        return dict(self.aspects).get(name, "")


def analyse_program(program: Program, summariser=None) -> ProgramAnalysis:
    """Rules, steps, smells and offline summaries of one program."""
    from .cluster import program_clusters
    from .rules import extract_rules
    from .smells import find_smells
    from .summarise.offline import OfflineSummariser

    summariser = summariser or OfflineSummariser()
    found = extract_rules(program)
    clusters = program_clusters(program, found)
    owner = {rid: c.id for c in clusters for rid in c.rules}
    rules = tuple(replace(r, cluster=owner.get(r.id, "")) for r in found)
    by_id = {r.id: r for r in rules}
    rule_summaries = tuple(summariser.rule(r) for r in rules)
    cluster_summaries = tuple(summariser.cluster(c, [by_id[i] for i in c.rules], program)
                              for c in clusters)
    program_summary = summariser.program(program, list(clusters), list(rules))
    summaries = (*rule_summaries, *cluster_summaries, program_summary)
    smells = tuple(find_smells(program, list(rules)))
    words = data_words(program)
    graph = content_digest(tuple(getattr(program, name) for name in GRAPH_FIELDS))
    review_hashes = tuple(("rules", r.id, rule_hash(r)) for r in rules) + \
        tuple(("summaries", s.subject, summary_hash(s)) for s in summaries)
    aspects = (("rules", content_digest(rules)), ("smells", content_digest(smells)),
               ("review", content_digest(review_hashes)), *_list_aspects(
                   program, rules, clusters, smells, program_summary, words))
    return ProgramAnalysis(
        rules=rules,
        clusters=tuple(clusters),
        smells=smells,
        rule_summaries=rule_summaries,
        cluster_summaries=cluster_summaries,
        program_summary=program_summary,
        review_hashes=review_hashes,
        data_words=words,
        aspects=aspects,
        # each part hashed once: the view takes the graph's and the aspects' digests
        view=content_digest((graph, aspects, clusters, summaries, words,
                             *(getattr(program, name) for name in _VIEW_FIELDS))),
        graph=graph,
    )


def _list_aspects(program: Program, rules: tuple[Rule, ...], clusters: list, smells: tuple,
                  summary: Summary, words: tuple[tuple[str, int], ...]
                  ) -> tuple[tuple[str, str], ...]:
    """What the estate-wide pages show of a program beside its graph nodes (render.deps,
    `PageKeys.listing`), each as an aspect: an edit that changes what one rule says and no
    count, kind, paragraph or data name leaves them all as they were.

    - face: its rules' paragraphs and kinds (how many a process or a list counts, by kind);
    - outline: what the overview lists of it beside that: its data entries' count, fidelity,
      summary, steps' count and smells' kinds;
    - data: its data entries (the glossary, the data index's rows);
    - data-use: those, with the data names its statements name (not how often) and the
      declared names its rules read and set (which entries the data index counts as used);
    - group:FILE, for each file it declares data entries in: what that file's data page
      shows of the program (dictionary.group_shares)."""
    data = content_digest(program.data_items)
    shares = group_shares(program, rules, clusters, words)
    # the declared names its rules read and set, as the shares hold them: (role, NAME)
    used = sorted({use[-2:] for share in shares.values() for use in share[2]})
    return (*((f"group:{file}", content_digest(share)) for file, share in sorted(shares.items())),
            ("face", content_digest(sorted((r.procedure, r.kind) for r in rules))),
            ("outline", content_digest((len(program.data_items), program.fidelity, summary,
                                        len(clusters), sorted(Counter(s.kind for s in smells)
                                                              .items())))),
            ("data", data),
            ("data-use", content_digest((data, sorted(word for word, count in words if count),
                                         used))))


GRAPH_FIELDS = ("name", "file", "line", "end_line", "language", "procedures", "copybooks",
                "references")  # what graph.add_program and graph.open_modes read
# the other facts the site may show (every field but the statements and the graph's)
_VIEW_FIELDS = tuple(name for name in Program.__dataclass_fields__
                     if name not in GRAPH_FIELDS and name != "statements")


def _analysis_key(program: Program, digests: dict[str, str]) -> str:
    """Memo key of a program's analysis: its facts' digest (a COBOL file's comes with the
    parse; a Java class, linked across the estate, is hashed whole) and the code's."""
    base = digests.get(program.file) or hashlib.sha256(
        pickle.dumps(program, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
    return hashlib.sha256(f"{code_key()}\0{base}\0{program.name}".encode()).hexdigest()


def _model_summaries(config, parsed, clusters, rules, summaries, model: ModelPass, progress):
    """Clusters, programs, the estate and a glossary summarised by the model, checked."""
    from .summarise.openai_backend import summarise_with_model

    sources = {s.path: s for s in parsed.inventory.files}

    def read(path: str) -> str:
        return read_source(config, sources[path])[0] if path in sources else ""

    return summarise_with_model(
        list(parsed.programs), clusters, rules, summaries, settings=model.settings,
        read_source=read, cache_dir=model.cache_dir, client=model.client, progress=progress)


# ---------------------------------------------------------------- render stage


def _reader(config: Config, sources: dict[str, SourceFile]) -> Callable[[str], str]:
    def read(path: str) -> str:
        source = sources.get(path)
        return read_source(config, source)[0] if source else ""

    return read


def _start_highlighting(config: Config, parsed: ParseResult, state: State | None):
    """Highlight the sources in a worker while the estate is analysed (see render.highlighting)."""
    from .render.highlighting import Highlighting

    known = Estate(root=str(config.root), sources=parsed.inventory.files,
                   programs=parsed.programs, jobs=parsed.jobs, diagnostics=parsed.diagnostics)
    return Highlighting(known, _reader(config, {s.path: s for s in parsed.inventory.files}),
                        state)


def write_site(analysis: Analysis, config: Config, out: Path, fingerprint: str = "",
               previous: list[dict] | None = None, state: State | None = None,
               highlighting=None, changes: dict | None = None,
               inputs: dict[str, str] | None = None) -> list[str]:
    """Render into a temporary sibling of OUT, keep unchanged files, then swap it into place.
    `inputs` (`build_inputs`) go to the manifest; worked out here when not given."""
    from .render import RenderInput, render_all

    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    if temp.exists():
        shutil.rmtree(temp)
    temp.mkdir()
    sources = {s.path: s for s in analysis.estate.sources}
    read = _reader(config, sources)
    try:
        if changes is None:
            changes = rule_changes(previous if previous is not None else previous_rules(out),
                                   list(analysis.estate.rules))
        kept: set[str] = set()
        written = render_all(RenderInput(analysis.estate, analysis.graph, read,
                                         title=config.root.name, changes=changes, memo=state,
                                         previous=out if out.is_dir() else None,
                                         highlighting=highlighting, exports=True,
                                         program_keys=analysis.view_keys,
                                         review_hashes=analysis.review_hashes,
                                         data_words=analysis.data_words,
                                         aspects=analysis.aspects,
                                         graph_key=analysis.graph_key,
                                         program_aspects=analysis.program_aspects),
                             temp, kept)
        written = sorted(written)
        (temp / "changes.json").write_text(json.dumps(changes, indent=1, sort_keys=True) + "\n")
        (temp / "markdown").mkdir(exist_ok=True)
        (temp / "markdown" / "changes.md").write_text(changes_markdown(changes))
        write_manifest(temp, str(config.root), inputs if inputs is not None else build_inputs(
            config, sources.values()), fingerprint)
        relinked: list[str] = []
        same, fresh = keep_unchanged(temp, out, kept, relinked)
        if state is not None:
            from .render.memo import renote

            renote(state, temp, relinked)
        log.info("site: %d files unchanged, %d written", same, fresh)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    swap(temp, out)
    return sorted(set(written) | {"changes.json", "markdown/changes.md", MANIFEST})


PROGRAM_KEYS = "program-keys"  # state meta: the analysis keys of the build of that fingerprint


def _changes_from_state(state: State | None, manifest: dict | None,
                        analysis: Analysis) -> dict | None:
    """The change report against the site in OUT, from the state instead of OUT's rules.json,
    or None when the state cannot say (then rules.json is read).

    The state holds the analysis keys of the build that wrote OUT (checked by the fingerprint
    in OUT's manifest) and, until this build's sweep, those analyses. A program whose keys
    are unchanged has the same rules as then, so it adds, removes and changes nothing; only
    the programs whose keys differ are compared, with their rules in rules.json's order: the
    report is the one a comparison with the whole of rules.json gives, without reading it
    (at 1M lines, 2 s of every build)."""
    now = analysis.program_keys
    if state is None or not state.reuse or now is None or not manifest:
        return None
    try:
        stored = json.loads(state.get_meta(PROGRAM_KEYS) or "null")
    except ValueError:
        return None
    if not isinstance(stored, dict) or not isinstance(stored.get("keys"), dict) or \
            stored.get("fingerprint") != manifest.get("fingerprint"):
        return None
    old = {str(name): tuple(keys) for name, keys in stored["keys"].items()}
    changed = {name for name in old.keys() | now.keys() if old.get(name) != now.get(name)}
    wanted = [key for name in sorted(changed) for key in old.get(name, ())]
    found = state.recall(ANALYSIS_MEMO, wanted, mark=False)  # not kept for the next build
    if any(key not in found for key in wanted):
        return None
    before = sorted((rule for key in wanted for rule in found[key].rules), key=rule_order)
    return rule_changes([rule_dict(r) for r in before],
                        [r for r in analysis.estate.rules if r.program in changed])


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did, for the CLI to report."""

    analysis: Analysis | None
    parsed: ParseResult | None
    written: tuple[str, ...]
    timings: dict[str, float]
    unchanged: bool = False  # nothing changed since the last build: nothing was redone
    diagnostics: tuple[Diagnostic, ...] = ()  # with `unchanged`: the last build's problems


def fingerprint_of(config: Config, inventory: Inventory,
                   inputs: dict[str, str] | None = None) -> str:
    """Everything a build depends on: its inputs' hashes (`build_inputs`, worked out here when
    not given), parse settings, version, backend."""
    inputs = build_inputs(config, inventory.files) if inputs is None else inputs
    data = [settings_key(config), config.backend, config.model, config.base_url,
            sorted(inputs.items())]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def build_inputs(config: Config, sources: Iterable[SourceFile]) -> dict[str, str]:
    """Path -> hash of every input of the site: the sources, and the reviews file beside them
    when there is one (the pages show its decisions: one recorded since the last build is a
    change). The manifest lists them; `check` compares them."""
    inputs = {s.path: s.sha256 for s in sources}
    try:
        inputs[REVIEWS_FILE] = hashlib.sha256(reviews_file(config.root).read_bytes()).hexdigest()
    except OSError:
        pass
    return inputs


def build(config: Config, out: Path, progress: Progress = _quiet, *,
          incremental: bool = True, llm=None) -> BuildResult:
    """The main job: parse, analyse and render an estate into OUT, redoing only what changed."""
    out = out.resolve()
    with locked(out):
        for name in clean_leftovers(out):
            log.info("removed %s, left by an interrupted run", name)
        # --full ignores the stored state but refills it, so the next build is incremental
        state = State(state_path(out), reuse=incremental)
        try:
            with rare_collections():
                return _build(config, out, progress, state, _model_pass(config, out, llm))
        finally:
            state.close()


def _model_pass(config: Config, out: Path, llm) -> ModelPass | None:
    """Open the model client before any work, so a missing key or server fails at once."""
    if config.backend != "openai":
        return None
    from .summarise.openai_backend import open_client
    from .summarise.settings import LLMSettings

    settings = llm or LLMSettings.from_config(config)
    client = None if settings.dry_run else open_client(settings)
    return ModelPass(settings, client, state_path(out).parent / "llm")


def _build(config: Config, out: Path, progress: Progress, state: State | None,
           model: ModelPass | None = None) -> BuildResult:
    started = time.perf_counter()
    inventory = discover(config, exclude_dirs=(out, state_path(out).parent))
    inputs = build_inputs(config, inventory.files)  # the reviews file is read once
    fingerprint = fingerprint_of(config, inventory, inputs)
    manifest = read_manifest(out)
    if state is not None and state.reuse and manifest and \
            manifest.get("fingerprint") == fingerprint and \
            state.get_meta("fingerprint") == fingerprint:
        log.info("nothing changed since the last build of %s", out)
        known = [Diagnostic(**d) for d in json.loads(state.get_meta("diagnostics") or "[]")]
        return BuildResult(None, None, (), {"discover": time.perf_counter() - started},
                           unchanged=True, diagnostics=tuple(known))
    parsed = parse_estate(config, progress, exclude_dirs=(out,), state=state,
                          inventory=inventory)
    gc.freeze()  # the facts live to the end: the collector need not walk them again and again
    dry_run = model is not None and getattr(model.settings, "dry_run", False)
    highlighting = None if dry_run else _start_highlighting(config, parsed, state)
    analysis = analyse(config, parsed, progress, model, state=state)
    gc.freeze()  # likewise the analysis, before the site is rendered (and workers are forked)
    if model is not None and getattr(model.settings, "dry_run", False):
        return BuildResult(analysis, parsed, (), dict(analysis.timings))  # nothing is written
    started = time.perf_counter()
    changes = _changes_from_state(state, manifest, analysis)
    if state is not None:  # recorded before the swap: a kill after it must not look like a
        # change (a no-change run also needs OUT's manifest to match, written with the site)
        state.set_meta("diagnostics", json.dumps([asdict(d) for d in parsed.diagnostics]))
        state.set_meta("fingerprint", fingerprint)
        state.set_meta(PROGRAM_KEYS, json.dumps({"fingerprint": fingerprint,
                                                 "keys": analysis.program_keys}))
    written = write_site(analysis, config, out, fingerprint, state=state,
                         highlighting=highlighting, changes=changes, inputs=inputs)
    if state is not None:
        state.sweep()  # what this build did not use is dropped: the memo stays its size
    timings = dict(analysis.timings, render=time.perf_counter() - started)
    log.info("built %d programs, %d rules into %s", len(parsed.programs),
             len(analysis.estate.rules), out)
    return BuildResult(analysis, parsed, tuple(written), timings)
