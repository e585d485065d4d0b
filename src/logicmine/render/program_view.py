"""Page context for one program: purpose, clusters, rules, data, neighbours, paragraphs, I/O."""

from __future__ import annotations

from collections import defaultdict

from logicmine.model import Cluster, Procedure, Program, Rule
from logicmine.render.cards import Cards
from logicmine.render.context import (
    DiagramView,
    EdgeView,
    ExecView,
    IoView,
    Link,
    ParagraphView,
    Row,
)
from logicmine.render.diagrams import INNER_KINDS, program_flow
from logicmine.render.dictionary import DataIndex
from logicmine.render.links import Linker, unique_anchors
from logicmine.render.lookup import (
    CALL_KINDS,
    PROCEDURE_KINDS,
    Lookup,
    claim_views,
    edge_where,
    fidelity_text,
)
from logicmine.render.pages import DataUse, ProgramPage
from logicmine.render.paths import href
from logicmine.render.process_lists import process_rows
from logicmine.render.process_pages import StepBlock
from logicmine.render.process_view import shown_spans, summary_claims
from logicmine.render.smells_view import smell_rows
from logicmine.render.views import frame

FLOW_KINDS = ("performs", "goes_to")
PROGRAM_SECTIONS = (
    ("Purpose", "purpose"),
    ("Flow", "flow"),
    ("Processes", "processes"),
    ("Steps", "steps"),
    ("Rules", "rules"),
    ("Logic smells", "smells"),
    ("Callers and callees", "neighbours"),
    ("Paragraphs", "paragraphs"),
    ("Data", "data"),
    ("EXEC blocks", "exec"),
    ("I/O and calls", "io"),
    ("Copybooks", "copybooks"),
)


def build_program(
    look: Lookup, linker: Linker, cards: Cards, data: DataIndex, program: Program, title: str
) -> ProgramPage:
    """Context of one programs/<PROG>.html."""
    here = linker.programs[program.name]
    summary = look.program_summary(program.name)
    claims = claim_views(linker, here, summary)
    rules = look.rules.get(program.name, [])
    java = program.language == "java"
    what, parts_word = ("Class", "Methods") if java else ("Program", "Paragraphs")
    toc = tuple(
        Link(parts_word if ident == "paragraphs" else text, f"#{ident}")
        for text, ident in PROGRAM_SECTIONS
    )
    diagram = program_flow(look, linker, here, program)
    clusters = look.clusters.get(program.name, [])
    return ProgramPage(
        frame=frame(title, f"{what} {program.name}", here, toc),
        what=what,
        parts_word=parts_word,
        name=program.name,
        file=linker.source(here, program.file),
        lines=linker.cite(here, program.file, program.line, program.end_line),
        fidelity=fidelity_text(program.fidelity),
        purpose=claims[0] if claims else None,
        program_claims=claims[1:],
        review=cards.marks.summary(summary),
        diagram=DiagramView(diagram, "" if diagram else "No paragraphs to draw."),
        processes=process_rows(look, linker, cards.marks, here, look.processes_of[program.name]),
        steps=_step_blocks(look, linker, cards, here, clusters, rules),
        smells=smell_rows(linker, here, look.smells.get(program.name, [])),
        rules=tuple(cards.row(here, rule) for rule in rules),
        loose_rules=tuple(cards.card(here, r) for r in rules if r.id not in linker.rule_process),
        data=_data_uses(linker, data, here, program),
        callers=_neighbours(look, linker, here, program.name, incoming=True),
        callees=_neighbours(look, linker, here, program.name, incoming=False),
        paragraphs=_paragraphs(look, linker, here, program, rules),
        exec_blocks=tuple(
            ExecView(b.kind, b.text, linker.cite(here, b.file, b.line, b.end_line))
            for b in program.exec_blocks
        ),
        io=_io(linker, here, program),
        files=tuple(sorted(program.files)),
        copybooks=_copybooks(linker, here, program),
        markdown=href(here, linker.markdown[program.name]),
    )


def _step_blocks(
    look: Lookup,
    linker: Linker,
    cards: Cards,
    here: str,
    clusters: list[Cluster],
    rules: list[Rule],
) -> tuple[StepBlock, ...]:
    """The program's steps, each with its rules (grouped once: a program may have thousands)."""
    by_cluster: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        by_cluster[rule.cluster].append(rule)
    return tuple(_step_block(look, linker, cards, here, c, by_cluster[c.id]) for c in clusters)


def _step_block(
    look: Lookup, linker: Linker, cards: Cards, here: str, cluster: Cluster, mine: list[Rule]
) -> StepBlock:
    """A cluster of the program: its entry paragraph and those only it reaches, its rules."""
    summary = look.summary(cluster.id)
    nodes = [look.procedure_node(cluster.program, p) for p in cluster.procedures]
    claims = summary_claims(linker, here, summary, shown_spans(look, nodes, mine))
    first = look.procedures.get(nodes[0]) if nodes else None
    return StepBlock(
        title=cluster.title or cluster.entry or cluster.id,
        anchor=linker.steps[cluster.id][1],
        entry=linker.paragraph(here, cluster.program, cluster.entry),
        span=linker.cite(here, first.file, first.line, first.end_line) if first else Link(""),
        claims=claims,
        review=cards.marks.summary(summary) if claims else None,
        paragraphs=tuple(
            linker.paragraph(here, cluster.program, p) for p in cluster.procedures if p
        ),
        rules=len(mine),
        reviewed=sum(1 for r in mine if cards.marks.rule_state(r) not in ("", "stale")),
    )


def _data_uses(linker: Linker, data: DataIndex, here: str, program: Program) -> tuple[DataUse, ...]:
    """The dictionary pages this program's entries are on: its own source first, then copybooks."""
    counts: dict[str, int] = defaultdict(int)
    copybook: dict[str, bool] = {}
    for item in program.data_items:
        if item.file:
            counts[item.file] += 1
            copybook[item.file] = copybook.get(item.file, False) or bool(item.copybook)
    order = sorted(counts, key=lambda f: (f != program.file, f))
    return tuple(
        DataUse(
            linker.data_item(here, f, text=f), "copybook" if copybook[f] else "program", counts[f]
        )
        for f in order
    )


def _neighbours(
    look: Lookup, linker: Linker, here: str, name: str, *, incoming: bool
) -> tuple[EdgeView, ...]:
    """Callers (incoming) or callees of the program or any of its paragraphs."""
    own = set(look.nodes_of.get(name, ()))
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for node in sorted(own):
        edges = look.in_edges(node, CALL_KINDS) if incoming else look.out_edges(node, CALL_KINDS)
        for edge in edges:
            if edge[0] not in own:
                grouped[(edge[1], edge[0])].append(edge)
    return tuple(
        EdgeView(kind, linker.node(here, other), edge_where(linker, here, edges))
        for (kind, other), edges in sorted(grouped.items())
    )


def _paragraphs(
    look: Lookup, linker: Linker, here: str, program: Program, rules: list[Rule]
) -> tuple[ParagraphView, ...]:
    counts: dict[str, int] = defaultdict(int)
    for rule in rules:
        counts[rule.procedure] += 1
    procs = sorted(program.procedures, key=lambda p: (p.file != program.file, p.line, p.name))
    anchors = unique_anchors("para", [p.name for p in procs])
    return tuple(
        ParagraphView(
            name=proc.name,
            anchor=ident,
            kind=proc.kind,
            cite=linker.cite(here, proc.file, proc.line, proc.end_line),
            performs=_flow(look, linker, here, proc, incoming=False),
            performed_by=_flow(look, linker, here, proc, incoming=True),
            rules=counts[proc.name],
        )
        for proc, ident in zip(procs, anchors, strict=True)
    )


def _flow(
    look: Lookup, linker: Linker, here: str, proc: Procedure, *, incoming: bool
) -> tuple[Link, ...]:
    """PERFORM / GO TO (or method call) neighbours of a procedure, one link each."""
    kinds = INNER_KINDS
    edges = look.in_edges(proc.id, kinds) if incoming else look.out_edges(proc.id, kinds)
    links: dict[str, Link] = {}
    for other, kind, _ in edges:
        attrs = look.graph.nodes[other]
        if attrs.get("kind") not in PROCEDURE_KINDS:  # a CALL of a program is not flow
            continue
        link = linker.node(here, other)
        text = (
            str(attrs.get("name") or link.text)
            if attrs.get("program") == proc.program
            else link.text
        )
        text = f"{text} (GO TO)" if kind == "goes_to" else text
        links.setdefault(text, Link(text, link.href))
    return tuple(links[key] for key in sorted(links))


def _io(linker: Linker, here: str, program: Program) -> tuple[IoView, ...]:
    views = []
    for ref in program.references:
        if ref.kind in FLOW_KINDS:
            continue
        target = ref.target + (f" THRU {ref.target_end}" if ref.target_end else "")
        if ref.dynamic:
            target = f"{target} (dynamic{', via ' + ref.via if ref.via else ''})"
        views.append(
            IoView(
                kind=ref.kind,
                procedure=linker.paragraph(here, program.name, ref.procedure),
                target=target,
                detail=ref.detail,
                cite=linker.cite(here, ref.file, ref.line, ref.line),
            )
        )
    return tuple(views)


def _copybooks(linker: Linker, here: str, program: Program) -> tuple[Row, ...]:
    return tuple(
        Row(
            (
                Link(use.member),
                linker.source(here, use.resolved) if use.resolved else Link("(not found)"),
                linker.cite(here, use.file, use.line, use.line),
            )
        )
        for use in program.copybooks
    )
