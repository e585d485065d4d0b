"""Which page every program, job, source file, rule and graph node lives on, and links to them."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import networkx as nx

from logicmine.model import Estate, Span
from logicmine.render.context import Link
from logicmine.render.paths import assign_names, href, safe_name, safe_relpath


def anchor(kind: str, name: str) -> str:
    """An element id on a page, e.g. rule-PAY-R001, para-MAIN-LOGIC."""
    return f"{kind}-{safe_name(name)}"


def unique_anchors(kind: str, names: list[str]) -> list[str]:
    """Anchors for names in order; a repeated name (a paragraph in two sections) gets its own."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(anchor(kind, name if seen[name] == 1 else f"{name}\x00{seen[name]}"))
    return result


def line_fragment(start: int, end: int) -> str:
    """`L12` for one line, `L12-L20` for a range."""
    return f"L{start}" if end <= start else f"L{start}-L{end}"


class Linker:
    """Knows every output page and builds relative links from one page to another."""

    def __init__(self, estate: Estate, graph: nx.MultiDiGraph, line_counts: dict[str, int]):
        self.graph = graph
        self.line_counts = line_counts  # source pages that will be written, with their lengths
        self.programs = _pages("programs", (p.name for p in estate.programs), ".html")
        self.jobs = _pages("jobs", (j.name for j in estate.jobs), ".html")
        java = {p.name for p in estate.programs if p.language == "java"}
        self.markdown = _pages(
            "markdown/programs", (p.name for p in estate.programs if p.name not in java), ".md"
        )
        self.classes = class_markdown(java)
        self.markdown.update(self.classes)
        self.sources = {
            path: f"source/{name}.html"
            for path, name in assign_names(line_counts, safe_relpath).items()
        }
        self.ranges: dict[str, set[str]] = defaultdict(set)  # source path -> range ids cited
        self.rule_program = {rule.id: rule.program for rule in estate.rules}
        parents = {p.parent for p in estate.processes if p.parent}
        self.processes = _pages(
            "processes", [p.id for p in estate.processes] + sorted(parents), ".html"
        )
        self.rule_process = _rule_homes(estate)
        self.steps = {c.id: (c.program, anchor("step", c.id)) for c in estate.clusters}
        self.data = {
            path: f"data/{name}.html"
            for path, name in assign_names(_data_files(estate), _basename).items()
        }

    @contextmanager
    def recording(self) -> Iterator[dict[str, set[str]]]:
        """The source ranges cited while the block runs (they are registered as well)."""
        outer, self.ranges = self.ranges, defaultdict(set)
        try:
            yield self.ranges
        finally:
            mine, self.ranges = self.ranges, outer
            for path, ids in mine.items():
                outer[path].update(ids)

    def replay(self, ranges: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        """Register the ranges a kept page cites, as its building would have."""
        for path, ids in ranges:
            self.ranges[path].update(ids)

    # ------------------------------------------------------------ pages

    def program(self, here: str, name: str, fragment: str = "") -> Link:
        """Link to a program page (plain text when the program has none)."""
        page = self.programs.get(name)
        return Link(name, href(here, page, fragment) if page else "")

    def job(self, here: str, name: str, fragment: str = "") -> Link:
        """Link to a job page."""
        page = self.jobs.get(name)
        return Link(name, href(here, page, fragment) if page else "")

    def paragraph(self, here: str, program: str, name: str, text: str = "") -> Link:
        """Link to a paragraph's row on its program page."""
        link = self.program(here, program, anchor("para", name) if name else "")
        return Link(text or name, link.href)

    def rule(self, here: str, rule_id: str) -> Link:
        """Link to a rule's card: on its process page, else its row on the program page."""
        process = self.rule_process.get(rule_id)
        if process:
            return self.process(here, process, anchor("rule", rule_id), rule_id)
        program = self.rule_program.get(rule_id, "")
        return Link(rule_id, self.program(here, program, anchor("rule", rule_id)).href)

    def process(self, here: str, process_id: str, fragment: str = "", text: str = "") -> Link:
        """Link to a process page (a split process's parent has one too)."""
        page = self.processes.get(process_id)
        return Link(text or process_id, href(here, page, fragment) if page else "")

    def process_markdown(self, here: str, process_id: str) -> str:
        """Relative link to the process's Markdown document (written with the business exports)."""
        return href(here, process_markdown_path(process_id))

    def step(self, here: str, cluster_id: str, text: str = "") -> Link:
        """Link to a step of a program (a cluster) on its program page."""
        program, fragment = self.steps.get(cluster_id, ("", ""))
        link = self.program(here, program, fragment) if program else Link("")
        return Link(text or cluster_id, link.href)

    def data_item(self, here: str, file: str, name: str = "", text: str = "") -> Link:
        """Link to the dictionary page of the file a data item is defined in (and its row)."""
        page = self.data.get(file)
        fragment = anchor("d", name) if name else ""
        return Link(text or name or file, href(here, page, fragment) if page else "")

    def source(self, here: str, path: str, text: str = "") -> Link:
        """Link to a whole source page."""
        page = self.sources.get(path)
        return Link(text or path, href(here, page) if page else "")

    def cite(self, here: str, path: str, start: int, end: int = 0) -> Link:
        """`file:start-end` linked to the cited lines (clamped to the file's length)."""
        end = max(end, start)
        text = Span(path, start, end).cite()
        page, count = self.sources.get(path), self.line_counts.get(path, 0)
        if not page:
            return Link(text)
        if not 1 <= start <= count:
            return Link(text, href(here, page))
        fragment = line_fragment(start, min(end, count))
        if "-" in fragment:
            self.ranges[path].add(fragment)
        return Link(text, href(here, page, fragment))

    def cite_span(self, here: str, span: Span) -> Link:
        """Link for a model Span."""
        return self.cite(here, span.file, span.line, span.end_line)

    # ------------------------------------------------------------ graph nodes

    def node(self, here: str, node_id: str) -> Link:
        """Link to whatever page shows a graph node; its name as text."""
        attrs = self.graph.nodes[node_id] if node_id in self.graph else {}
        kind = str(attrs.get("kind", ""))
        name = str(attrs.get("name") or node_id.split(":")[-1])
        if kind in ("program", "class"):
            link = self.program(here, name)
            return Link(f"{name} (not in the repository)", "") if attrs.get("external") else link
        if kind in ("paragraph", "section"):
            program = str(attrs.get("program", ""))
            return self.paragraph(here, program, name, f"{program} / {name}")
        if kind in ("method", "constructor"):  # Java: Class#method, as in the node ids
            program = str(attrs.get("program", ""))
            if attrs.get("external"):
                return Link(f"{program}#{name} (not in the repository)")
            return self.paragraph(here, program, name, f"{program}#{name}")
        if kind == "job":
            return self.job(here, name)
        if kind == "step":
            job = str(attrs.get("job", ""))
            return Link(f"{job} / {name}", self.job(here, job, anchor("step", name)).href)
        if kind == "copybook" and attrs.get("file"):
            return self.source(here, str(attrs["file"]), name)
        return Link(f"{kind} {name}".strip() if kind not in ("", "program") else name)


def process_markdown_path(process_id: str) -> str:
    """Where the business exports write a process's Markdown (see business_exports)."""
    return f"markdown/processes/{safe_name(process_id)}.md"


def class_markdown(names: Iterable[str]) -> dict[str, str]:
    """markdown/classes/<SimpleName>.md per Java class; a shared simple name gets a hash of the
    full name (both classes, so neither depends on the other's presence)."""
    simple = assign_names(names, lambda name: safe_name(name.rsplit(".", 1)[-1]))
    return {name: f"markdown/classes/{made}.md" for name, made in simple.items()}


def _rule_homes(estate: Estate) -> dict[str, str]:
    """The process whose page holds each rule's card: one whose entry program is the rule's
    program when there is one, else the first by id (a subroutine's rules are in several)."""
    homes: dict[str, tuple[str, bool]] = {}  # rule id -> (process id, entry is elsewhere)
    programs = {r.id: r.program for r in estate.rules}
    for process in sorted(estate.processes, key=lambda p: p.id):
        entry = process.programs[0] if process.programs else ""
        for rule_id in process.rules:
            if rule_id not in programs:
                continue
            if rule_id not in homes or (programs[rule_id] == entry and homes[rule_id][1]):
                homes[rule_id] = (process.id, programs[rule_id] != entry)
    return {rule_id: home for rule_id, (home, _) in homes.items()}


def _data_files(estate: Estate) -> set[str]:
    """Files that define data items: each gets a data dictionary page."""
    return {item.file for program in estate.programs for item in program.data_items if item.file}


def _basename(path: str) -> str:
    return safe_name(posixpath.basename(path) or path)


def _pages(folder: str, names: Iterable[str], suffix: str) -> dict[str, str]:
    """Page path per name, collision-free."""
    return {
        name: f"{folder}/{safe}{suffix}" for name, safe in assign_names(names, safe_name).items()
    }
