"""Process pages: a business process across programs, and the facts lists and pages share."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from logicmine.model import Process, Rule, Span, Summary
from logicmine.render.cards import Cards
from logicmine.render.context import DiagramView, Link, Part
from logicmine.render.diagrams import INNER_KINDS, TOUCH_KINDS
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import (
    CALL_KINDS,
    PROCEDURE_KINDS,
    PROGRAM_KINDS,
    Lookup,
    claim_views,
    edge_where,
)
from logicmine.render.pages import StepRow, TouchRow
from logicmine.render.process_diagram import DDNames, process_flow, process_steps
from logicmine.render.process_pages import (
    PartOf,
    ProcessPage,
    ProgramUse,
    StepGroup,
    kind_label,
)
from logicmine.render.views import frame

PROCESS_SECTIONS = (
    ("Summary", "summary"),
    ("Diagram", "diagram"),
    ("Programs", "programs"),
    ("Steps", "steps"),
    ("Data", "data"),
    ("Rules", "rules"),
)
VERBS = {"calls": "CALL", "links": "LINK", "xctls": "XCTL"}
MAX_NAMES = 4  # datasets, tables or screens named in a one-line description


def process_rules(look: Lookup, process: Process) -> list[Rule]:
    """The process's rules that the estate has, in the process's order."""
    return [look.rule_by_id[r] for r in dict.fromkeys(process.rules) if r in look.rule_by_id]


def summary_claims(linker: Linker, here: str, summary: Summary | None, shown: set[Span]):
    """A summary's claims, less the offline sentences that cite only lines the page shows
    anyway (its paragraphs and rules): those restate the facts beside them."""
    if summary is None:
        return ()
    if summary.source == "offline":
        kept = tuple(c for c in summary.claims if not c.citations or not set(c.citations) <= shown)
        summary = replace(summary, claims=kept)
    return claim_views(linker, here, summary)


def shown_spans(look: Lookup, procedures: list[str], rules: list[Rule]) -> set[Span]:
    """The lines of these procedures and rules, as summaries cite them."""
    spans = {rule.span for rule in rules}
    for node in procedures:
        proc = look.procedures.get(node)
        if proc is not None:
            spans.add(Span(proc.file, proc.line, proc.end_line))
    return spans


def parent_title(parts_: list[Process]) -> str:
    """The title of a split process: its parts' title without ' — part N: ...'."""
    first = parts_[0]
    head, marker, _ = first.title.rpartition(f" — part {first.part}:")
    return head if marker else first.parent


# ---------------------------------------------------------------- the process page


def build_process(
    look: Lookup, linker: Linker, cards: Cards, process: Process, title: str
) -> ProcessPage:
    """Context of one processes/<id>.html."""
    here = linker.processes[process.id]
    rules = process_rules(look, process)
    summary = look.summary(process.id)
    diagram, left_out = process_flow(look, linker, here, process)
    toc = tuple(Link(t, f"#{i}") for t, i in PROCESS_SECTIONS)
    shown = shown_spans(look, list(process.procedures), rules)
    claims = summary_claims(linker, here, summary, shown)
    return ProcessPage(
        frame=frame(title, f"Process {process.title}", here, toc),
        id=process.id,
        title=process.title,
        kind=kind_label(process.entry_kind),
        entry=linker.node(here, process.entry),
        markdown=linker.process_markdown(here, process.id),
        part=_part_of(look, linker, here, process),
        facts=facts(process, rules),
        claims=claims,
        review=cards.marks.summary(summary) if claims else None,
        programs=_programs(look, process, here, linker, rules),
        diagram=DiagramView(diagram, _diagram_note(diagram is not None, left_out)),
        steps=len(process.procedures),
        groups=_groups(look, linker, here, process, rules),
        data=data_lists(process),
        touches=_touches(look, linker, here, process),
        rules=tuple(cards.card_html(here, rule, level=3) for rule in rules),
    )


def _diagram_note(drawn: bool, left_out: int) -> str:
    if not drawn:
        return "Nothing to draw: no step performs, calls or reads anything another step touches."
    if left_out:
        return (
            f"Not drawn: {left_out} step{'s' if left_out != 1 else ''} no arrow joins to "
            "anything (listed under Steps)."
        )
    return ""


def _part_of(look: Lookup, linker: Linker, here: str, process: Process) -> PartOf | None:
    siblings = look.parts.get(process.parent, []) if process.parent else []
    if not siblings:
        return None
    links = tuple(
        Link(f"Part {p.part}", "" if p.id == process.id else linker.process(here, p.id).href)
        for p in siblings
    )
    return PartOf(
        linker.process(here, process.parent, text=parent_title(siblings)),
        process.part,
        len(siblings),
        links,
        process.note,
    )


def data_lists(process: Process) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(label, names) of the datasets, tables and screens a process touches (none: left out)."""
    found = (
        ("Datasets", process.datasets),
        ("Tables", process.tables),
        ("Screens", process.screens),
    )
    return tuple((label, names) for label, names in found if names)


def _programs(look: Lookup, process: Process, here: str, linker: Linker, rules: list[Rule]):
    """Each program with its role in the process: what starts it, its steps and rules here."""
    steps = Counter(look.owner(node) for node in process.procedures)
    counts = Counter(rule.program for rule in rules)
    _, job_steps = process_steps(look, process)
    run_by = defaultdict(list)
    for step in job_steps:
        run_by[step.program].append(step.name)
    entry = (
        str(look.graph.nodes[process.entry].get("name", "")) if process.entry in look.graph else ""
    )
    uses = []
    for name in dict.fromkeys(process.programs):
        if process.parent and not steps[name]:
            continue  # a part names the programs it has steps in
        if run_by.get(name):
            role = "run by step " + ", ".join(run_by[name])
        else:
            role = "entry" if name == entry else "called"
        uses.append(ProgramUse(linker.program(here, name), role, steps[name], counts[name]))
    return tuple(uses)


def _groups(
    look: Lookup, linker: Linker, here: str, process: Process, rules: list[Rule]
) -> tuple[StepGroup, ...]:
    """The process's procedures grouped by program, in the process's order."""
    counts: Counter[tuple[str, str]] = Counter((r.program, r.procedure) for r in rules)
    by_program: dict[str, list[str]] = defaultdict(list)
    for node in process.procedures:
        by_program[look.owner(node)].append(node)
    groups = []
    for name in dict.fromkeys(look.owner(node) for node in process.procedures):
        rows = tuple(_step(look, linker, here, node, counts) for node in by_program[name])
        groups.append(StepGroup(linker.program(here, name), anchor("steps", name), rows))
    return tuple(groups)


def _step(look: Lookup, linker: Linker, here: str, node: str, counts: Counter) -> StepRow:
    """One procedure: its lines, rules here, and what it performs, calls or transfers to."""
    attrs = look.graph.nodes[node] if node in look.graph else {}
    program = look.owner(node)
    name = str(attrs.get("name") or node.rsplit(":", 1)[-1].rsplit("#", 1)[-1])
    goes: dict[str, Link] = {}
    for dst, kind, _ in look.out_edges(node, (*INNER_KINDS, *CALL_KINDS)):
        other = look.graph.nodes[dst]
        if other.get("external") and other.get("kind") in PROCEDURE_KINDS:
            continue  # library methods
        link = linker.node(here, dst)
        if other.get("kind") in PROCEDURE_KINDS:
            text = str(other.get("name")) if look.owner(dst) == program else link.text
        elif other.get("kind") in PROGRAM_KINDS and kind in VERBS:
            text = f"{VERBS[kind]} {link.text}"
        else:
            continue
        text = f"{text} (GO TO)" if kind == "goes_to" else text
        goes.setdefault(text, Link(text, link.href))
    cite = (
        linker.cite(
            here,
            str(attrs["file"]),
            int(attrs.get("line", 0) or 0),
            int(attrs.get("end_line", 0) or 0),
        )
        if attrs.get("file")
        else Link("")
    )
    return StepRow(
        linker.paragraph(here, program, name),
        str(attrs.get("kind", "paragraph")),
        cite,
        counts[(program, name)],
        tuple(goes[k] for k in sorted(goes)),
    )


def _touches(look: Lookup, linker: Linker, here: str, process: Process) -> tuple[TouchRow, ...]:
    """What the steps read, write, show, start or call outside the process, with the lines; a
    DD name is shown with the dataset the job assigns to it."""
    dd = DDNames(process_steps(look, process)[1])
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for node in process.procedures:
        for edge in look.out_edges(node, TOUCH_KINDS):
            attrs = look.graph.nodes[edge[0]]
            name = str(attrs.get("name") or edge[0].split(":", 1)[-1])
            dsn = dd.dsn(look.owner(node), name) if attrs.get("kind") == "dataset" else ""
            grouped[(edge[0], dsn)].append(edge)
    rows = []
    for (target, dsn), edges in grouped.items():
        attrs = look.graph.nodes[target]
        kind = str(attrs.get("kind", ""))
        name = str(attrs.get("name") or target.split(":", 1)[-1])
        if kind in PROGRAM_KINDS and name in process.programs:
            continue  # a step of this process: shown under Steps
        shown = Link(f"{name} ({dsn})" if dsn else name, linker.node(here, target).href)
        how = tuple(sorted({e[1] for e in edges}))
        rows.append(TouchRow(kind, shown, how, edge_where(linker, here, edges)))
    return tuple(sorted(rows, key=lambda r: (r.kind, r.target.text)))


def facts(process: Process, rules: list[Rule], names: bool = True) -> tuple[Part, ...]:
    """'12 rules: 4 validation, ...; datasets `A`, `B`; tables `T`' from the facts (with
    `names` False, for lists: '...; 2 datasets, 1 table')."""
    kinds = Counter(rule.kind for rule in rules)
    ordered = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    text = _plural(len(rules), "rule")
    pieces = [Part(text + (": " + ", ".join(f"{n} {k}" for k, n in ordered) if ordered else ""))]
    if not names:
        found = [_plural(len(items), label.lower()[:-1]) for label, items in data_lists(process)]
        return tuple(pieces) + ((Part("; " + ", ".join(found)),) if found else ())
    for label, names_ in data_lists(process):
        pieces.append(Part(f"; {label.lower()} "))
        for i, name in enumerate(names_[:MAX_NAMES]):
            pieces.extend([Part(", ")] if i else [])
            pieces.append(Part(name, code=True))
        if len(names_) > MAX_NAMES:
            pieces.append(Part(f" and {len(names_) - MAX_NAMES} more"))
    return tuple(pieces)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
