"""The site's diagrams: program flow, job flow and the estate's program map (processes have
their own module, process_diagram)."""

from __future__ import annotations

from collections import defaultdict

from logicmine.model import Job, Program
from logicmine.render.diagram import DEdge, Diagram, DNode, draw
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import PROCEDURE_KINDS, PROGRAM_KINDS, Lookup

FLOW_KINDS = ("performs", "goes_to")
INNER_KINDS = (*FLOW_KINDS, "calls")  # within a program: a Java method calling another
PROGRAM_EDGES = ("calls", "links", "xctls")
TOUCH_KINDS = ("reads", "writes", "sends", "receives", "starts", "calls", "links", "xctls")
INBOUND = ("reads", "receives")  # drawn resource -> paragraph, so inputs sit above
FLOW_MAX = 60  # beyond this many paragraphs a program's diagram shows its steps
SHARED_MIN_NODES = 12  # only diagrams this big leave out arrows into shared helpers
SHARED_FANIN = 4  # a paragraph performed from this many places is a shared helper
ESTATE_FANIN = 8  # a program called from this many programs is drawn as a shared helper


def program_flow(look: Lookup, linker: Linker, here: str, program: Program) -> Diagram | None:
    """PERFORM / GO TO (or method call) flow of one program: its procedures, or its processes
    when there are many."""
    if len(program.procedures) > FLOW_MAX:
        return _process_map(look, linker, here, program)
    root = look.program_node(program.name)
    what = "Class" if program.language == "java" else "Program"
    nodes = [
        DNode(root, _short_name(program.name), "program", "#purpose", f"{what} {program.name}")
    ]
    for node in look.nodes_of.get(program.name, []):
        attrs = look.graph.nodes[node]
        if node == root or attrs.get("kind") not in PROCEDURE_KINDS:
            continue
        name = str(attrs.get("name", node))
        missing = bool(attrs.get("missing"))
        href = "" if missing else linker.paragraph(here, program.name, name).href
        kind = "missing" if missing else str(attrs["kind"])
        nodes.append(DNode(node, name, kind, href, f"{attrs['kind']} {name}"))
    nodes = [nodes[0]] + sorted(nodes[1:], key=lambda n: _source_order(look, n.id))
    edges = _flow_edges(look, [n.id for n in nodes], INNER_KINDS)
    if program.procedures and not any(e.src == root for e in edges) and program.language != "java":
        # Control enters at the first paragraph when the program's code starts with one.
        edges.insert(0, DEdge(root, program.procedures[0].id, "performs"))
    return with_shared_helpers(f"flow-{program.name}", f"Flow of {program.name}", nodes, edges)


def _short_name(name: str) -> str:
    """A class's simple name for its box (the full name is in the box's title)."""
    return name.rsplit(".", 1)[-1] if "." in name and " " not in name else name


def _source_order(look: Lookup, node: str) -> tuple:
    attrs = look.graph.nodes[node]
    return (str(attrs.get("file", "")) == "", int(attrs.get("line", 0) or 0), node)


def _flow_edges(look: Lookup, ids: list[str], kinds: tuple[str, ...] = FLOW_KINDS) -> list[DEdge]:
    """Flow edges among `ids`; a PERFORM A THRU B is drawn to A only."""
    known = set(ids)
    edges = []
    for src in ids:
        seen: set[tuple[str, int]] = set()
        targets = look.out_edges(src, kinds)
        targets.sort(
            key=lambda e: (
                str(e[2].get("file", "")),
                int(e[2].get("line", 0) or 0),
                _source_order(look, e[0]),
            )
        )
        for dst, kind, attrs in targets:
            statement = (str(attrs.get("file", "")), int(attrs.get("line", 0) or 0))
            if dst in known and statement not in seen:
                seen.add(statement)
                edges.append(DEdge(src, dst, kind))
    return edges


def with_shared_helpers(
    ident: str,
    title: str,
    nodes: list[DNode],
    edges: list[DEdge],
    fanin: int = SHARED_FANIN,
    verb: str = "performed",
):
    """Draw, leaving out the arrows into helpers used from many places (named in the box)."""
    if len(nodes) < SHARED_MIN_NODES:
        return draw(ident, title, nodes, edges)
    callers: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        callers[edge.dst].add(edge.src)
    shared = {n for n, sources in callers.items() if len(sources) >= fanin}
    kept = [e for e in edges if e.dst not in shared]
    sinks = shared - {e.src for e in kept}  # only helpers that lead nowhere go to the last row
    renamed = [
        DNode(
            n.id,
            n.label,
            f"{n.kind} n-shared",
            n.href,
            f"{n.title}, {verb} from {len(callers[n.id])} places (arrows left out)",
        )
        if n.id in shared
        else n
        for n in nodes
    ]
    return draw(ident, title, renamed, kept, bottom=frozenset(sinks))


def _process_map(look: Lookup, linker: Linker, here: str, program: Program) -> Diagram | None:
    """A big program drawn one box per step (cluster), arrows where one performs into another."""
    clusters = look.clusters.get(program.name, [])
    owner = {
        look.procedure_node(program.name, p): c.id for c in clusters for p in c.procedures if p
    }
    root = look.program_node(program.name)
    nodes = [
        DNode(root, _short_name(program.name), "program", "#purpose", f"Program {program.name}")
    ]
    for c in clusters:
        link = linker.step(here, c.id)
        nodes.append(
            DNode(
                c.id,
                c.title or c.entry or c.id,
                "step",
                link.href,
                f"Step {c.title or c.id}: {len(c.procedures)} paragraphs",
            )
        )
    edges = []
    for src in [root, *owner]:
        for dst, kind, _ in look.out_edges(src, INNER_KINDS):
            a, b = owner.get(src, root), owner.get(dst)
            if b and a != b:
                edges.append(DEdge(a, b, kind))
    return with_shared_helpers(
        f"flow-{program.name}",
        f"Steps of {program.name} and how they perform each other",
        nodes,
        edges,
    )


def resource_node(look: Lookup, linker: Linker, here: str, node: str) -> DNode:
    attrs = look.graph.nodes[node] if node in look.graph else {}
    kind = str(attrs.get("kind", "other"))
    name = str(attrs.get("name") or node.split(":", 1)[-1])
    link = linker.node(here, node)
    if kind == "program" and attrs.get("external"):
        kind = "external"
    return DNode(node, name, kind, link.href, f"{kind} {name}")


def job_flow(look: Lookup, linker: Linker, here: str, job: Job) -> Diagram | None:
    """A job: steps in order, the program each runs, datasets read above and written below."""
    nodes: dict[str, DNode] = {}
    edges: list[DEdge] = []
    previous = ""
    for step in job.steps:
        sid = f"jcl:{job.name}:{step.name}"
        nodes[sid] = DNode(
            sid, step.name, "step", f"#{anchor('step', step.name)}", f"Step {step.name}"
        )
        if previous:
            edges.append(DEdge(previous, sid, "next"))
        previous = sid
        if step.program:
            pid = look.program_node(step.program)
            nodes.setdefault(pid, resource_node(look, linker, here, pid))
            edges.append(DEdge(sid, pid, "runs"))
        for dst, kind, _ in look.out_edges(sid, ("reads", "writes")):
            nodes.setdefault(dst, resource_node(look, linker, here, dst))
            edges.append(DEdge(dst, sid, kind) if kind == "reads" else DEdge(sid, dst, kind))
    return draw(
        f"job-{job.name}",
        f"Steps of job {job.name}, their programs and datasets",
        list(nodes.values()),
        edges,
    )


def estate_map(look: Lookup, linker: Linker, here: str) -> tuple[Diagram | None, list[str]]:
    """Programs and their CALL / LINK / XCTL edges; also the programs with none (listed apart)."""
    owner = {}
    for node, attrs in look.graph.nodes(data=True):
        if attrs.get("kind") in PROGRAM_KINDS:
            owner[node] = node
        elif attrs.get("kind") in PROCEDURE_KINDS and attrs.get("program"):
            owner[node] = look.program_node(str(attrs["program"]))
    edges: dict[tuple[str, str], DEdge] = {}
    for src, dst, attrs in look.graph.edges(data=True):
        kind = attrs.get("kind")
        if kind in PROGRAM_EDGES and not attrs.get("dynamic") and src in owner and dst in owner:
            a, b = owner[src], owner[dst]
            if a != b:
                edges.setdefault((a, b), DEdge(a, b, str(kind)))
    ordered = [edges[k] for k in sorted(edges)]
    linked = {e.src for e in ordered} | {e.dst for e in ordered}
    names = {p.name for p in look.programs()}
    alone = sorted(n for n in names if look.program_node(n) not in linked)
    nodes = [resource_node(look, linker, here, n) for n in sorted(linked)]
    diagram = with_shared_helpers(
        "estate-map",
        "Programs and the programs they call, link or transfer to",
        nodes,
        ordered,
        fanin=ESTATE_FANIN,
        verb="called",
    )
    return diagram, alone
