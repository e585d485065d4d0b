"""Indexes over the estate and graph that several pages need, built once per render."""

from __future__ import annotations

import logging
import re
from collections import defaultdict

import networkx as nx

from logicmine.model import (
    Cluster,
    Estate,
    Fidelity,
    Procedure,
    Process,
    Program,
    Rule,
    Smell,
    Summary,
    rule_order,
)
from logicmine.render.context import ClaimView, Link, Part
from logicmine.render.links import Linker

log = logging.getLogger("logicmine.render")

CALL_KINDS = ("calls", "links", "xctls", "runs")
PROGRAM_KINDS = ("program", "class")  # COBOL programs and Java classes
PROCEDURE_KINDS = ("paragraph", "section", "method", "constructor")
_CODE_SPAN = re.compile(r"`([^`]+)`")


class Lookup:
    """Rules, clusters and summaries by owner; graph nodes by program."""

    def __init__(self, estate: Estate, graph: nx.MultiDiGraph) -> None:
        self.estate = estate
        self.graph = graph
        self.memo: dict[str, dict] = {}  # view values the same on every page, worked out once
        self.rules: dict[str, list[Rule]] = defaultdict(list)
        self.rule_by_id: dict[str, Rule] = {}
        for rule in sorted(estate.rules, key=rule_order):
            self.rules[rule.program].append(rule)
            self.rule_by_id.setdefault(rule.id, rule)
        self.clusters: dict[str, list[Cluster]] = defaultdict(list)
        for cluster in sorted(estate.clusters, key=lambda c: (c.program, c.id)):
            self.clusters[cluster.program].append(cluster)
        self.summaries: dict[str, Summary] = {}
        for summary in estate.summaries:
            self.summaries.setdefault(summary.subject, summary)
        self.nodes_of: dict[str, list[str]] = defaultdict(list)
        for node, attrs in sorted(graph.nodes(data=True), key=lambda n: str(n[0])):
            owner = _owning_program(node, attrs)
            if owner:
                self.nodes_of[owner].append(node)
        self.language = {p.name: p.language for p in estate.programs}
        self.by_name: dict[str, Program] = {}
        for program in estate.programs:
            self.by_name.setdefault(program.name, program)
        self.procedure_ids = {
            (p.name, proc.name): proc.id for p in estate.programs for proc in p.procedures
        }
        self.procedures: dict[str, Procedure] = {}
        for program in estate.programs:
            for proc in program.procedures:
                self.procedures.setdefault(proc.id, proc)
        self._processes(estate)
        self.smells: dict[str, list[Smell]] = defaultdict(list)
        for smell in sorted(estate.smells, key=_smell_order):
            self.smells[smell.program].append(smell)

    def _processes(self, estate: Estate) -> None:
        """Processes by id, the parts of each split one, and the processes of each program."""
        self.process_by_id: dict[str, Process] = {}
        for process in sorted(estate.processes, key=lambda p: (p.title, p.id)):
            if process.id in self.process_by_id:  # e.g. a job defined in two members
                log.warning("process %s is listed more than once; showing the first", process.id)
                continue
            self.process_by_id[process.id] = process
        self.processes: list[Process] = list(self.process_by_id.values())
        self.parts: dict[str, list[Process]] = defaultdict(list)
        self.processes_of: dict[str, list[Process]] = defaultdict(list)
        for process in self.processes:
            if process.parent:
                self.parts[process.parent].append(process)
            for name in dict.fromkeys(process.programs):
                self.processes_of[name].append(process)
        for parts in self.parts.values():
            parts.sort(key=lambda p: (p.part, p.id))

    def program_node(self, name: str) -> str:
        """Graph node id of a program or class (`cobol:NAME`, `java:pkg.Class`)."""
        return f"{self.language.get(name, 'cobol')}:{name}"

    def procedure_node(self, program: str, name: str) -> str:
        """Graph node id of a paragraph, section or method."""
        known = self.procedure_ids.get((program, name))
        return known or f"{self.language.get(program, 'cobol')}:{program}:{name}"

    def owner(self, node: str) -> str:
        """The program or class a procedure node belongs to ('' when unknown)."""
        proc = self.procedures.get(node)
        if proc is not None:
            return proc.program
        attrs = self.graph.nodes[node] if node in self.graph else {}
        return str(attrs.get("program", ""))

    def program_summary(self, name: str) -> Summary | None:
        """The summary of a program or class."""
        return self.summaries.get(self.program_node(name))

    def programs(self) -> list[Program]:
        """Programs with distinct names, sorted by name (the first of duplicates wins)."""
        return [self.by_name[name] for name in sorted(self.by_name)]

    def summary(self, subject: str) -> Summary | None:
        """The summary of a program node id, process id, cluster id or rule id."""
        return self.summaries.get(subject)

    def in_edges(self, node: str, kinds: tuple[str, ...] | None) -> list[tuple[str, str, dict]]:
        """(source, kind, attrs) of edges into `node` of the given kinds (None: all), sorted."""
        if node not in self.graph:
            return []
        edges = [
            (src, str(a.get("kind", "")), a) for src, _, a in self.graph.in_edges(node, data=True)
        ]
        return sorted((e for e in edges if kinds is None or e[1] in kinds), key=_edge_order)

    def out_edges(self, node: str, kinds: tuple[str, ...]) -> list[tuple[str, str, dict]]:
        """(target, kind, attrs) of edges out of `node` of the given kinds, sorted."""
        if node not in self.graph:
            return []
        edges = [
            (dst, str(a.get("kind", "")), a) for _, dst, a in self.graph.out_edges(node, data=True)
        ]
        return sorted((e for e in edges if e[1] in kinds), key=_edge_order)


def _owning_program(node: str, attrs: dict) -> str:
    """The program a graph node belongs to (itself for a program node), or ''."""
    kind = attrs.get("kind")
    if kind in PROGRAM_KINDS:
        return str(attrs.get("name") or node.split(":", 1)[-1])
    if kind in PROCEDURE_KINDS:
        return str(attrs.get("program", ""))
    return ""


def _smell_order(smell: Smell) -> tuple:
    return (smell.program, smell.file, smell.line, smell.end_line, smell.kind, smell.message)


def _edge_order(edge: tuple[str, str, dict]) -> tuple:
    other, kind, attrs = edge
    return (kind, str(other), str(attrs.get("file", "")), int(attrs.get("line", 0) or 0))


def parts(text: str) -> tuple[Part, ...]:
    """Prose split into plain text and `code` spans (backticks removed)."""
    result: list[Part] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        if match.start() > position:
            result.append(Part(text[position : match.start()]))
        result.append(Part(match.group(1), code=True))
        position = match.end()
    if position < len(text):
        result.append(Part(text[position:]))
    return tuple(result)


def claim_views(linker: Linker, here: str, summary: Summary | None) -> tuple[ClaimView, ...]:
    """A summary's claims with their citations linked."""
    if summary is None:
        return ()
    return tuple(
        ClaimView(parts(claim.text), tuple(linker.cite_span(here, s) for s in claim.citations))
        for claim in summary.claims
    )


def fidelity_text(fidelity: Fidelity) -> str:
    """Parse fidelity as a percentage: 1 - unrecovered/code lines."""
    if fidelity.code_lines <= 0:
        return "n/a"
    ratio = 1 - fidelity.unrecovered_lines / fidelity.code_lines
    return f"{max(0.0, min(1.0, ratio)) * 100:.1f}%"


def line_count(program: Program) -> int:
    """Physical lines of a program's source span."""
    if program.end_line >= program.line > 0:
        return program.end_line - program.line + 1
    return program.fidelity.lines


def edge_where(linker: Linker, here: str, edges: list[tuple[str, str, dict]]) -> tuple[Link, ...]:
    """Citations for the places edges happen, deduplicated, in order."""
    seen: dict[tuple[str, int], Link] = {}
    for _, _, attrs in edges:
        file, line = str(attrs.get("file", "")), int(attrs.get("line", 0) or 0)
        if file and (file, line) not in seen:
            seen[(file, line)] = linker.cite(here, file, line, line)
    return tuple(seen[key] for key in sorted(seen))
