"""Rule cards (everything about one rule) and compact rule rows, for any page."""

from __future__ import annotations

import hashlib
import posixpath

from markupsafe import Markup

from logicmine.model import Rule
from logicmine.render.context import Link
from logicmine.render.decision import decision_table
from logicmine.render.dictionary import DataIndex
from logicmine.render.links import Linker, anchor
from logicmine.render.lookup import Lookup, claim_views, parts
from logicmine.render.pages import RuleCard, RuleRow
from logicmine.render.review_marks import Marks

MAX_ROW_TEXT = 140  # characters of rule text in compact lists
MAX_NAMES = 10  # data names a card lists as read or set


class CardHTML:
    """A rule card that renders itself when a template writes it (`__html__`), at most once.

    Its repr is a digest of its view values, so a page's digest covers the card without
    rendering it: a page kept from the last build never renders its cards. Once rendered, the
    card keeps only its HTML and that digest (a large estate has tens of thousands of cards).
    """

    __slots__ = ("card", "level", "_html", "_digest")

    def __init__(self, card: RuleCard, level: int) -> None:
        self.card: RuleCard | None = card
        self.level, self._html, self._digest = level, None, ""

    def __html__(self) -> Markup:
        if self._html is None:
            from logicmine.render.site import html_environment  # site imports this module

            repr(self)  # the digest first: the view values are dropped below
            template = html_environment().get_template("_rule_card.html")
            self._html = Markup(template.render(r=self.card, hl=self.level))
            self.card = None
        return self._html

    def __repr__(self) -> str:  # what a page's digest sees: the card's values, not its HTML
        if not self._digest:
            text = f"{self.card!r} {self.level!r}"
            self._digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return f"CardHTML({self._digest})"


class Cards:
    """Builds rule cards and compact rule rows for any page."""

    def __init__(self, look: Lookup, linker: Linker, data: DataIndex, marks: Marks) -> None:
        self.look, self.linker, self.data, self.marks = look, linker, data, marks
        self._html: dict[tuple[str, str, int], CardHTML] = {}

    def card_html(self, here: str, rule: Rule, level: int) -> CardHTML:
        """The card as HTML, rendered (when a page needs it) once for all the pages of `here`'s
        folder.

        A rule shared by many processes is shown on each of their pages: its card's links are
        relative to the folder, so the same HTML serves every page there. It is built for a
        page of that folder no link can name, so no link becomes a bare same-page fragment.
        """
        folder = posixpath.dirname(here)
        key = (rule.id, folder, level)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = CardHTML(self.card(posixpath.join(folder, "\x00card"), rule),
                                              level)
        return html

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
            paragraph=paragraph_link(self.linker, here, rule),
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
        return RuleRow(
            id=self.linker.rule(here, rule.id),
            # A rule in no process has its card on this same page: the card holds the anchor.
            anchor=anchor("rule", rule.id) if rule.id in self.linker.rule_process else "",
            kind=rule.kind,
            paragraph=paragraph_link(self.linker, here, rule),
            text=one_line(rule.text),
            cite=self.linker.cite_span(here, rule.span),
            review=self.marks.rule(rule),
        )


def one_line(text: str, limit: int = MAX_ROW_TEXT) -> str:
    """Rule text for a compact list: one line, no backticks, cut at `limit` characters."""
    text = " ".join(text.replace("`", "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lines(cite: Link) -> Link:
    """A citation inside a rule's card: the file is the card's, so only 'lines a-b'."""
    span = cite.text.rsplit(":", 1)[-1]
    start, _, end = span.partition("-")
    return Link(f"{start}-{end}" if end and end != start else start, cite.href)


def paragraph_link(linker: Linker, here: str, rule: Rule) -> Link:
    """Where a rule sits: its paragraph, or the program's code before any paragraph."""
    if rule.procedure:
        return linker.paragraph(here, rule.program, rule.procedure)
    return Link("the code before any paragraph", linker.program(here, rule.program).href)
