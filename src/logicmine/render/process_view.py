"""Process pages (one per cluster) and the rule cards they and program pages show."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from logicmine.model import Cluster, Rule
from logicmine.render.context import DiagramView, Link, Part
from logicmine.render.decision import decision_table
from logicmine.render.diagrams import FLOW_KINDS, INNER_KINDS, TOUCH_KINDS, process_flow
from logicmine.render.dictionary import DataIndex
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import PROCEDURE_KINDS, Lookup, claim_views, edge_where, parts
from logicmine.render.pages import (
    ProcessPage,
    ProcessRow,
    RuleCard,
    RuleRow,
    StepRow,
    TouchRow,
)
from logicmine.render.review_marks import Marks
from logicmine.render.views import frame

MAX_ROW_TEXT = 140  # characters of rule text in compact lists
MAX_NAMES = 10  # data names a card lists as read or set
PROCESS_SECTIONS = (
    ("Summary", "summary"),
    ("Diagram", "diagram"),
    ("Steps", "steps"),
    ("Touches", "touches"),
    ("Rules", "rules"),
)


class Cards:
    """Builds rule cards and compact rule rows for any page."""

    def __init__(self, look: Lookup, linker: Linker, data: DataIndex, marks: Marks) -> None:
        self.look, self.linker, self.data, self.marks = look, linker, data, marks

    def card(self, here: str, rule: Rule) -> RuleCard:
        """The full card of one rule."""
        cites = [
            _lines(self.linker.cite(here, rule.file, b.line, b.end_line)) for b in rule.branches
        ]
        summary = self.look.summary(rule.id)
        table = decision_table(rule, cites)
        # The offline summary of a rule restates the rule, which the card already shows (table
        # or conditions and actions), and accepting the rule covers it. A model's summary says
        # something of its own: it is shown and reviewed on its own.
        written = summary is not None and summary.source != "offline"
        return RuleCard(
            id=rule.id,
            anchor=anchor("rule", rule.id),
            kind=rule.kind,
            program=self.linker.program(here, rule.program),
            paragraph=_paragraph(self.linker, here, rule),
            text=parts(rule.text),
            summary=claim_views(self.linker, here, summary if written else None),
            table=table,
            conditions=rule.conditions,
            actions=rule.actions,
            inputs=tuple(self.data.link(self.linker, here, rule.program, n) for n in rule.inputs),
            outputs=tuple(self.data.link(self.linker, here, rule.program, n) for n in rule.outputs),
            cite=self.linker.cite_span(here, rule.span),
            review=self.marks.rule(rule),
            summary_review=self.marks.summary(summary) if written else None,
        )

    def _names(self, here: str, program: str, names: tuple[str, ...]) -> tuple[Link, ...]:
        """Data names linked to the dictionary; a long list is cut with 'and N more'."""
        links = tuple(self.data.link(self.linker, here, program, n) for n in names[:MAX_NAMES])
        more = len(names) - MAX_NAMES
        return links + ((Link(f"and {more} more"),) if more > 0 else ())

    def row(self, here: str, rule: Rule) -> RuleRow:
        """A rule as one line of a list, linked to its card."""
        text = " ".join(rule.text.replace("`", "").split())
        if len(text) > MAX_ROW_TEXT:
            text = text[: MAX_ROW_TEXT - 1] + "…"
        return RuleRow(
            id=self.linker.rule(here, rule.id),
            # A rule in no process has its card on this same page: the card holds the anchor.
            anchor=anchor("rule", rule.id) if rule.id in self.linker.rule_process else "",
            kind=rule.kind,
            paragraph=_paragraph(self.linker, here, rule),
            text=text,
            cite=self.linker.cite_span(here, rule.span),
            review=self.marks.rule(rule),
        )


def _lines(cite: Link) -> Link:
    """A citation inside a rule's card: the file is the card's, so only 'lines a-b'."""
    span = cite.text.rsplit(":", 1)[-1]
    start, _, end = span.partition("-")
    return Link(f"{start}-{end}" if end and end != start else start, cite.href)


def _paragraph(linker: Linker, here: str, rule: Rule) -> Link:
    """Where a rule sits: its paragraph, or the program's code before any paragraph."""
    if rule.procedure:
        return linker.paragraph(here, rule.program, rule.procedure)
    return Link("the code before any paragraph", linker.program(here, rule.program).href)


def build_process(
    look: Lookup, linker: Linker, cards: Cards, cluster: Cluster, title: str
) -> ProcessPage:
    """Context of one processes/<id>.html."""
    here = linker.processes[cluster.id]
    rules = [r for r in look.rules.get(cluster.program, []) if r.cluster == cluster.id]
    summary = look.summary(cluster.id)
    name = cluster.title or cluster.entry or cluster.id
    diagram = process_flow(look, linker, here, cluster)
    return ProcessPage(
        frame=frame(
            title, f"Process {name}", here, tuple(Link(t, f"#{i}") for t, i in PROCESS_SECTIONS)
        ),
        id=cluster.id,
        title=name,
        program=linker.program(here, cluster.program),
        entry=linker.paragraph(here, cluster.program, cluster.entry),
        span=_span(look, linker, here, cluster),
        claims=_summary_claims(linker, here, summary, rules),
        review=cards.marks.summary(summary),
        diagram=DiagramView(
            diagram,
            ""
            if diagram
            else "One paragraph that performs, reads and writes nothing else: nothing to draw.",
        ),
        steps=_steps(look, linker, here, cluster, rules),
        touches=_touches(look, linker, here, cluster),
        rules=tuple(cards.card(here, r) for r in rules),
    )


def _summary_claims(linker: Linker, here: str, summary, rules: list[Rule]):
    """The process summary, less the offline sentences that only restate a rule shown below."""
    if summary is None:
        return ()
    if summary.source == "offline":
        spans = {rule.span for rule in rules}
        kept = tuple(
            c for c in summary.claims if not (len(c.citations) == 1 and c.citations[0] in spans)
        )
        summary = replace(summary, claims=kept)
    return claim_views(linker, here, summary)


def _members(look: Lookup, cluster: Cluster) -> list[str]:
    return [look.procedure_node(cluster.program, p) for p in cluster.procedures if p]


def _span(look: Lookup, linker: Linker, here: str, cluster: Cluster) -> Link:
    """The lines of the process's first paragraph (where a reader starts)."""
    for node in _members(look, cluster):
        attrs = look.graph.nodes[node] if node in look.graph else {}
        if attrs.get("file"):
            return linker.cite(
                here,
                str(attrs["file"]),
                int(attrs.get("line", 0) or 0),
                int(attrs.get("end_line", 0) or 0),
            )
    return Link("")


def _steps(
    look: Lookup, linker: Linker, here: str, cluster: Cluster, rules: list[Rule]
) -> tuple[StepRow, ...]:
    counts: dict[str, int] = defaultdict(int)
    for rule in rules:
        counts[rule.procedure] += 1
    rows = []
    for node in _members(look, cluster):
        attrs = look.graph.nodes[node] if node in look.graph else {}
        name = str(attrs.get("name") or node.rsplit(":", 1)[-1])
        performs: dict[str, Link] = {}
        for dst, kind, _ in look.out_edges(node, INNER_KINDS):
            if look.graph.nodes[dst].get("kind") not in PROCEDURE_KINDS:
                continue
            link = linker.node(here, dst)
            other = str(look.graph.nodes[dst].get("name") or link.text)
            text = f"{other} (GO TO)" if kind == "goes_to" else other
            performs.setdefault(text, Link(text, link.href))
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
        rows.append(
            StepRow(
                linker.paragraph(here, cluster.program, name),
                str(attrs.get("kind", "paragraph")),
                cite,
                counts[name],
                tuple(performs[k] for k in sorted(performs)),
            )
        )
    return tuple(rows)


def _touches(look: Lookup, linker: Linker, here: str, cluster: Cluster) -> tuple[TouchRow, ...]:
    """Datasets, tables, screens, transactions and programs the process's paragraphs touch."""
    grouped: dict[str, list] = defaultdict(list)
    for node in _members(look, cluster):
        for edge in look.out_edges(node, TOUCH_KINDS):
            grouped[edge[0]].append(edge)
    rows = []
    for target, edges in grouped.items():
        attrs = look.graph.nodes[target] if target in look.graph else {}
        kind = str(attrs.get("kind", ""))
        link = linker.node(here, target)
        name = str(attrs.get("name") or target.split(":", 1)[-1])
        rows.append(
            TouchRow(
                kind,
                Link(name, link.href),
                tuple(sorted({e[1] for e in edges})),
                edge_where(linker, here, edges),
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.kind, r.target.text)))


def process_rows(
    look: Lookup, linker: Linker, marks: Marks, here: str, clusters: list[Cluster]
) -> tuple[ProcessRow, ...]:
    """Processes as list rows: title, purpose, size and review progress."""
    rows = []
    for cluster in clusters:
        rules = [r for r in look.rules.get(cluster.program, []) if r.cluster == cluster.id]
        summary = look.summary(cluster.id)
        if summary and summary.claims and summary.source != "offline":
            purpose = parts(summary.claims[0].text)
        else:  # the offline summary opens with the paragraph list: facts say more in a line
            purpose = _facts(look, cluster, rules)
        name = cluster.title or cluster.entry or cluster.id
        rows.append(
            ProcessRow(
                title=linker.process(here, cluster.id, text=name),
                anchor=anchor("cluster", cluster.id),
                program=linker.program(here, cluster.program),
                purpose=_short(purpose),
                steps=len([p for p in cluster.procedures if p]),
                rules=len(rules),
                reviewed=sum(1 for r in rules if marks.rule(r).state not in ("", "stale")),
                review=marks.summary(summary),
            )
        )
    return tuple(rows)


def _facts(look: Lookup, cluster: Cluster, rules: list[Rule]) -> tuple[Part, ...]:
    """'3 validation, 1 calculation; reads `A`; writes `B`' from the rules and the graph."""
    kinds = Counter(rule.kind for rule in rules)
    pieces: list[Part] = []
    if kinds:
        pieces.append(
            Part(", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
        )
    touched: dict[str, dict[str, None]] = defaultdict(dict)
    for node in _members(look, cluster):
        for dst, kind, _ in look.out_edges(node, TOUCH_KINDS):
            attrs = look.graph.nodes[dst]
            touched[kind].setdefault(str(attrs.get("name") or dst.split(":", 1)[-1]), None)
    for kind in TOUCH_KINDS:
        names = list(touched.get(kind, ()))
        if names:
            pieces.append(Part(f"; {kind} " if pieces else f"{kind.capitalize()} "))
            for i, name in enumerate(names[:4]):
                pieces.append(Part(name, code=True))
                if i < min(len(names), 4) - 1:
                    pieces.append(Part(", "))
            if len(names) > 4:
                pieces.append(Part(f" and {len(names) - 4} more"))
    if not pieces:
        performed = [
            dst.rsplit(":", 1)[-1]
            for node in _members(look, cluster)
            for dst, _, _ in look.out_edges(node, FLOW_KINDS)
        ]
        if performed:
            pieces.append(Part("No rules; performs "))
            for i, name in enumerate(dict.fromkeys(performed)):
                pieces.extend([Part(", ")] if i else [])
                pieces.append(Part(name, code=True))
    return tuple(pieces) or (Part("No rules; touches no data."),)


def _short(prose: tuple, limit: int = 220) -> tuple:
    """The first `limit` characters of a piece of prose, cut between parts."""
    kept, size = [], 0
    for part in prose:
        if size + len(part.text) > limit:
            break
        kept.append(part)
        size += len(part.text)
    return tuple(kept) if kept or not prose else prose[:1]
