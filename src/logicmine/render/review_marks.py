"""Review decisions as the pages show them, and the site metadata `logicmine serve` reads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from logicmine.model import Estate, Rule, Summary
from logicmine.render.pages import ReviewMark
from logicmine.render.splice import Joined, Parts, Piece
from logicmine.reviews import review_state, rule_hash, summary_hash

SITE_FILE = ".logicmine-site.json"
SITE_VERSION = 1
REVIEW_STATES = ("accepted", "rejected", "commented", "stale", "")
STATE_LABELS = {
    "accepted": "Accepted",
    "rejected": "Rejected",
    "commented": "Commented",
    "stale": "Stale",
    "": "Not reviewed",
}


def state_label(state: str, status: str, what: str) -> str:
    """What a review badge says, e.g. 'Accepted' or 'Stale: accepted before the rule changed'."""
    if state == "stale":
        return f"Stale: {status} before {what} changed"
    return STATE_LABELS.get(state, state)


class Marks:
    """Decisions by item, with the content hash each page embeds so the server can check it."""

    def __init__(self, reviews: Mapping[str, Any] | None,
                 hashes: Mapping[tuple[str, str], str] | None = None) -> None:
        reviews = reviews or {}
        self.decisions = {s: dict(reviews.get(s, {})) for s in ("rules", "summaries")}
        self.hashes: dict[str, dict[str, str]] = {"rules": {}, "summaries": {}}
        self._marks: dict[tuple[str, str], ReviewMark] = {}
        self._known = hashes if hashes is not None else {}  # worked out with the analysis
        # a hash as the analysis worked it out, or None (the item is then hashed here): with
        # the analysis's ReviewHashes, None for the first few asked (see its `cached`)
        self._cached: Callable[[tuple[str, str]], str | None] = getattr(
            hashes, "cached", self._known.get)
        # with the analysis's hashes, every rule's and summary's is known: an item nobody
        # decided on is counted without registering its hash (its lookup built the 200,000
        # entries' map in each process that counted, for nothing)
        self._all_known = hashes is not None
        # the decisions by section, read once per rule or summary counted: most have none,
        # and the index, reviews and program pages count all 200,000 of a million lines
        self._rules, self._summaries = self.decisions["rules"], self.decisions["summaries"]

    def rule(self, rule: Rule) -> ReviewMark:
        """The review of a rule."""
        known = self._marks.get(("rules", rule.id))
        if known:
            return known
        digest = self._cached(("rules", rule.id)) or rule_hash(rule)
        return self._mark("rules", rule.id, digest, "the rule")

    def summary(self, summary: Summary | None) -> ReviewMark | None:
        """The review of a summary (None when there is no summary)."""
        if summary is None:
            return None
        known = self._marks.get(("summaries", summary.subject))
        if known:
            return known
        digest = self._cached(("summaries", summary.subject)) or summary_hash(summary)
        return self._mark("summaries", summary.subject, digest, "the summary")

    def rule_state(self, rule: Rule) -> str:
        """The review state of a rule alone, for lists that count them: no mark is made for a
        rule nobody decided on (most of them), but its hash is registered as `rule` does."""
        if self._rules.get(rule.id):
            return self.rule(rule).state
        if self._all_known:
            return ""
        hashes = self.hashes["rules"]
        if rule.id not in hashes:
            hashes[rule.id] = self._known.get(("rules", rule.id)) or rule_hash(rule)
        return ""

    def summary_state(self, summary: Summary) -> str:
        """The review state of a summary alone (see `rule_state`)."""
        if self._summaries.get(summary.subject):
            made = self.summary(summary)
            return made.state if made else ""
        if self._all_known:
            return ""
        hashes = self.hashes["summaries"]
        if summary.subject not in hashes:
            hashes[summary.subject] = self._known.get(("summaries", summary.subject)) or \
                summary_hash(summary)
        return ""

    def _mark(self, section: str, item: str, digest: str, what: str) -> ReviewMark:
        self.hashes[section][item] = digest
        decision = self.decisions[section].get(item) or {}
        state = review_state(decision, digest)
        status = str(decision.get("status", ""))
        label = state_label(state, status, what)
        mark = ReviewMark(
            section,
            item,
            digest,
            state,
            status,
            str(decision.get("comment", "")),
            str(decision.get("at", "")),
            label,
        )
        self._marks[(section, item)] = mark
        return mark

    def orphans(self) -> dict[str, list[str]]:
        """Decisions on items the estate no longer has (shown so nobody's work vanishes): with
        the analysis's hashes, those it has none for; else those no page registered."""
        if self._all_known:
            return {s: sorted(item for item in self.decisions[s] if (s, item) not in self._known)
                    for s in self.decisions}
        return {s: sorted(set(self.decisions[s]) - set(self.hashes[s])) for s in self.decisions}


def register_all(marks: Marks, estate: Estate) -> None:
    """Hash every rule and summary, so the server knows all of them, shown or not."""
    for rule in estate.rules:
        marks.rule_state(rule)
    for summary in estate.summaries:
        marks.summary_state(summary)


def site_json(marks: Marks, reviews_path: str) -> str:
    """.logicmine-site.json: where decisions are recorded and the current hash of every item.

    The text is what `json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False)`
    gives, written here a line per item: with an indent, json encodes in Python, about
    half a second for the 200,000 items of a million lines."""
    return site_json_of(marks.hashes, reviews_path)


def site_json_of(hashes: Mapping[str, Mapping[str, str]], reviews_path: str) -> str:
    """`site_json` from section -> item -> hash (the analysis's hashes, when every rule and
    summary has one there: no mark need be made to register them)."""
    encoded = encode_basestring  # json's own string encoder (C), as ensure_ascii=False writes

    sections = []
    for section in ("rules", "summaries"):
        items = sorted(hashes[section].items())
        body = ",\n".join(f"   {encoded(k)}: {encoded(v)}" for k, v in items)
        sections.append(f'  "{section}": ' + ("{\n" + body + "\n  }" if items else "{}"))
    return ('{\n "items": {\n' + ",\n".join(sections) + "\n },\n"
            f' "reviews": {encoded(reviews_path)},\n "version": {SITE_VERSION}\n}}\n')


def site_parts(groups: Sequence[tuple[str, tuple[tuple[str, str, str], ...]]],
               reviews_path: str, fragments: Any = None) -> Parts:
    """site.json as pieces (render.splice), from each program's hashes (`groups`: the digest
    of its (section, item, hash) triples and the triples, in program order): each section
    lists the items program after program, sorted within each, so a piece depends on one
    program alone. The same document as `site_json_of` gives, in another order."""
    encoded = encode_basestring

    def make(units: list[str]) -> dict[str, str]:
        made = {}
        for unit in units:
            section, _, position = unit.partition(":")
            items = sorted((item, digest) for kind, item, digest in groups[int(position)][1]
                           if kind == section)
            made[unit] = ",\n".join(f"   {encoded(k)}: {encoded(v)}" for k, v in items)
        return made

    def section(name: str) -> Joined:
        return Joined(tuple(
            Piece(f"{name}:{position}", fragments.key(SITE_FILE, name, digest)
                  if fragments is not None and digest else None)
            for position, (digest, _) in enumerate(groups)),
            before="{\n", after="\n  }", empty="{}")

    return Parts(SITE_FILE, ('{\n "items": {\n  "rules": ', section("rules"),
                             ',\n  "summaries": ', section("summaries"),
                             f'\n }},\n "reviews": {encoded(reviews_path)},\n'
                             f' "version": {SITE_VERSION}\n}}\n'), make)
