"""reviews.html: how far the review has come, and the decisions that need another look."""

from __future__ import annotations

from collections import Counter

from logicmine.render.context import Link
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup
from logicmine.render.pages import ReviewMark, ReviewProgress, ReviewRow, ReviewsPage
from logicmine.render.review_marks import REVIEW_STATES, STATE_LABELS, Marks
from logicmine.render.views import frame

REVIEWS_PAGE = "reviews.html"
_ATTENTION = ("rejected", "commented", "stale")


def build_reviews(look: Lookup, linker: Linker, marks: Marks, title: str, path: str) -> ReviewsPage:
    """Context of reviews.html."""
    here = REVIEWS_PAGE
    totals: Counter[str] = Counter()
    progress = []
    attention: list[ReviewRow] = []
    for program in look.programs():
        counts: Counter[str] = Counter()
        for rule in look.rules.get(program.name, []):
            state = marks.rule_state(rule)
            counts[state] += 1
            if state in _ATTENTION:
                attention.append(_row(marks.rule(rule), linker.rule(here, rule.id)))
        totals.update(counts)
        progress.append(
            ReviewProgress(
                linker.program(here, program.name),
                sum(counts.values()),
                tuple(counts[s] for s in REVIEW_STATES),
            )
        )
    for summary in sorted(look.estate.summaries, key=lambda s: s.subject):
        if marks.summary_state(summary) in _ATTENTION:
            link = _summary_link(look, linker, here, summary.subject)
            attention.append(_row(marks.summary(summary), link))
    for section, ids in marks.orphans().items():
        for item in ids:
            decision = marks.decisions[section][item]
            attention.append(
                ReviewRow(
                    Link(item),
                    section,
                    "orphan",
                    f"{decision.get('status', '')}; no longer in the estate",
                    str(decision.get("comment", "")),
                    str(decision.get("at", "")),
                )
            )
    return ReviewsPage(
        frame=frame(title, "Reviews", here),
        file=path,
        states=tuple(STATE_LABELS[s] for s in REVIEW_STATES),
        totals=tuple(totals[s] for s in REVIEW_STATES),
        progress=tuple(progress),
        attention=tuple(attention),
    )


def _row(mark: ReviewMark, item: Link) -> ReviewRow:
    return ReviewRow(item, mark.section, mark.state, mark.label, mark.comment, mark.at)


def _summary_link(look: Lookup, linker: Linker, here: str, subject: str) -> Link:
    """Where a summary is shown: its process, its program, or its rule's card."""
    if subject in linker.processes:
        return linker.process(here, subject, text=f"summary of process {subject}")
    if subject in linker.steps:
        return linker.step(here, subject, text=f"summary of step {subject}")
    language, _, name = subject.partition(":")
    if name in linker.programs and look.language.get(name) == language:
        return linker.program(here, name, "purpose")
    if subject in linker.rule_program:
        link = linker.rule(here, subject)
        return Link(f"summary of rule {subject}", link.href)
    return Link(subject)
