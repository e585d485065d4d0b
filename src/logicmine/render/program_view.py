"""Page context for one program: purpose, clusters, rules, data, neighbours, paragraphs, I/O."""

from __future__ import annotations

from collections import defaultdict

from logicmine.model import Cluster, DataItem, Procedure, Program, Rule
from logicmine.render.context import (
    BranchView,
    ClusterView,
    DataItemView,
    EdgeView,
    ExecView,
    IoView,
    Link,
    ParagraphView,
    ProgramPage,
    Row,
    RuleView,
)
from logicmine.render.links import Linker, anchor, unique_anchors
from logicmine.render.lookup import (
    CALL_KINDS,
    Lookup,
    claim_views,
    edge_where,
    fidelity_text,
    parts,
)
from logicmine.render.paths import href
from logicmine.render.views import frame

FLOW_KINDS = ("performs", "goes_to")
_MAX_DEPTH = 6
PROGRAM_SECTIONS = (
    ("Purpose", "purpose"),
    ("Clusters", "clusters"),
    ("Rules", "rules"),
    ("Callers and callees", "neighbours"),
    ("Paragraphs", "paragraphs"),
    ("Data items", "data"),
    ("EXEC blocks", "exec"),
    ("I/O and calls", "io"),
    ("Copybooks", "copybooks"),
)


def build_program(look: Lookup, linker: Linker, program: Program, title: str) -> ProgramPage:
    """Context of one programs/<PROG>.html."""
    here = linker.programs[program.name]
    claims = claim_views(linker, here, look.summary(f"cobol:{program.name}"))
    rules = look.rules.get(program.name, [])
    toc = tuple(Link(text, f"#{ident}") for text, ident in PROGRAM_SECTIONS)
    return ProgramPage(
        frame=frame(title, f"Program {program.name}", here, toc),
        name=program.name,
        file=linker.source(here, program.file),
        lines=linker.cite(here, program.file, program.line, program.end_line),
        fidelity=fidelity_text(program.fidelity),
        purpose=claims[0] if claims else None,
        program_claims=claims[1:],
        clusters=tuple(
            _cluster(look, linker, here, c) for c in look.clusters.get(program.name, [])
        ),
        rules=tuple(_rule(look, linker, here, rule) for rule in rules),
        data_items=_data_items(linker, here, program.data_items),
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


def _rule(look: Lookup, linker: Linker, here: str, rule: Rule) -> RuleView:
    branches = tuple(
        BranchView(b.condition, b.actions, linker.cite(here, rule.file, b.line, b.end_line))
        for b in rule.branches
    )
    cluster = (
        Link(rule.cluster, f"#{anchor('cluster', rule.cluster)}") if rule.cluster else Link("")
    )
    return RuleView(
        id=rule.id,
        anchor=anchor("rule", rule.id),
        kind=rule.kind,
        paragraph=linker.paragraph(here, rule.program, rule.procedure),
        text=parts(rule.text),
        conditions=rule.conditions,
        actions=rule.actions,
        branches=branches,
        inputs=rule.inputs,
        outputs=rule.outputs,
        cluster=cluster,
        cite=linker.cite_span(here, rule.span),
        summary=claim_views(linker, here, look.summary(rule.id)),
    )


def _cluster(look: Lookup, linker: Linker, here: str, cluster: Cluster) -> ClusterView:
    return ClusterView(
        id=cluster.id,
        anchor=anchor("cluster", cluster.id),
        title=cluster.title or cluster.entry or cluster.id,
        entry=linker.paragraph(here, cluster.program, cluster.entry),
        claims=claim_views(linker, here, look.summary(cluster.id)),
        members=tuple(linker.paragraph(here, cluster.program, p) for p in cluster.procedures),
        rules=tuple(linker.rule(here, r) for r in cluster.rules),
    )


def _data_items(linker: Linker, here: str, items: tuple[DataItem, ...]) -> tuple[DataItemView, ...]:
    """Data items in source order, each with its nesting depth."""
    views = []
    stack: list[int] = []
    for item in items:
        if item.level in (1, 77):
            stack, depth = [item.level], 0
        elif item.level in (66, 88):
            depth = len(stack)
        else:
            while stack and stack[-1] >= item.level:
                stack.pop()
            depth = len(stack)
            stack.append(item.level)
        views.append(_data_item(linker, here, item, min(depth, _MAX_DEPTH)))
    return tuple(views)


def _data_item(linker: Linker, here: str, item: DataItem, depth: int) -> DataItemView:
    return DataItemView(
        level=f"{item.level:02d}",
        name=item.name,
        pic=item.pic,
        usage=item.usage,
        value=item.value,
        occurs=item.occurs,
        redefines=item.redefines,
        values=item.values,
        copybook=Link(item.copybook, linker.source(here, item.file).href)
        if item.copybook
        else Link(""),
        section=item.section,
        cite=linker.cite(here, item.file, item.line, item.line),
        depth=depth,
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
    """PERFORM / GO TO neighbours of a paragraph, one link each, GO TO marked."""
    edges = look.in_edges(proc.id, FLOW_KINDS) if incoming else look.out_edges(proc.id, FLOW_KINDS)
    links: dict[str, Link] = {}
    for other, kind, _ in edges:
        link = linker.node(here, other)
        attrs = look.graph.nodes[other]
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
