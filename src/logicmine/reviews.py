"""Reviewers' decisions on rules and summaries, kept in `logicmine-reviews.json` in the repository.

A decision is keyed by the item's stable id and remembers a hash of the content it was made
on; when the content changes the decision shows as stale instead of silently applying to
something nobody reviewed. The file is canonical JSON (sorted keys) so it diffs cleanly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import LogicmineError
from .model import Rule, Summary
from .writing import write_text_atomic

log = logging.getLogger("logicmine.reviews")

REVIEWS_FILE = "logicmine-reviews.json"
REVIEWS_VERSION = 1
SECTIONS = ("rules", "summaries")
STATUSES = ("accepted", "rejected", "commented")
MAX_COMMENT = 4000
MAX_ID = 300
_HASH = re.compile(r"[0-9a-f]{64}")
_FIELDS = {"status", "hash", "comment", "at", "by"}


class ReviewsError(LogicmineError):
    """The reviews file or a submitted decision is not valid."""


def reviews_file(root: Path | str) -> Path:
    """Where the decisions about the estate at `root` are kept: beside its sources."""
    return Path(root).resolve() / REVIEWS_FILE


def canonical_hash(value: Any) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rule_hash(rule: Rule) -> str:
    """What a rule says (conditions, actions, kind), not where it is: moving it keeps a decision."""
    return canonical_hash(
        {"actions": list(rule.actions), "conditions": list(rule.conditions), "kind": rule.kind}
    )


def summary_hash(summary: Summary) -> str:
    """What a summary says (title and claim texts), not which lines it cites."""
    return canonical_hash({"claims": [c.text for c in summary.claims], "title": summary.title})


def empty_reviews() -> dict[str, Any]:
    """A reviews document with no decisions."""
    return {"version": REVIEWS_VERSION, "rules": {}, "summaries": {}}


def load_reviews(path: Path | str, *, strict: bool = False) -> dict[str, Any]:
    """The decisions in `path` ({'version', 'rules': {id: decision}, 'summaries': {...}}).

    A missing file means no decisions. A broken file raises ReviewsError when `strict` (the
    server must not overwrite what it cannot read); otherwise it is logged and skipped, and
    invalid entries are dropped one by one.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_reviews()
    except (OSError, UnicodeError) as exc:
        return _broken(path, f"cannot read it: {exc}", strict)
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _broken(path, f"it is not valid JSON ({exc})", strict)
    if not isinstance(data, dict) or data.get("version") != REVIEWS_VERSION:
        return _broken(path, f"it is not a version {REVIEWS_VERSION} reviews file", strict)
    result = empty_reviews()
    for section in SECTIONS:
        entries = data.get(section, {})
        if not isinstance(entries, dict):
            return _broken(path, f"'{section}' is not an object", strict)
        for key, value in sorted(entries.items()):
            problem = decision_problem(key, value)
            if problem:
                if strict:
                    raise ReviewsError(f"{path}: {section} {key!r}: {problem}; fix or remove it")
                log.warning("%s: ignoring %s %r: %s", path, section, key, problem)
                continue
            result[section][key] = dict(value)
    return result


def _broken(path: Path, reason: str, strict: bool) -> dict[str, Any]:
    message = f"reviews file {path} cannot be used: {reason}"
    if strict:
        raise ReviewsError(message + "; fix it (or move it away) and try again")
    log.warning("%s; showing no review decisions", message)
    return empty_reviews()


def decision_problem(key: Any, value: Any) -> str:
    """Why a stored decision is invalid ('' when it is fine)."""
    if not isinstance(key, str) or not key or len(key) > MAX_ID:
        return "bad id"
    if not isinstance(value, dict) or not set(value) <= _FIELDS:
        return f"a decision is an object with fields {sorted(_FIELDS)}"
    if value.get("status") not in STATUSES:
        return f"status must be one of {', '.join(STATUSES)}"
    if not isinstance(value.get("hash"), str) or not _HASH.fullmatch(value["hash"]):
        return "hash must be 64 lower-case hex digits"
    for name, limit in (("comment", MAX_COMMENT), ("at", 40), ("by", 100)):
        if not isinstance(value.get(name, ""), str) or len(value.get(name, "")) > limit:
            return f"{name} must be a string of at most {limit} characters"
    return ""


def dump_reviews(reviews: Mapping[str, Any]) -> str:
    """Canonical text of a reviews document."""
    document: dict[str, Any] = {"version": REVIEWS_VERSION}
    for section in SECTIONS:
        document[section] = dict(sorted(reviews.get(section, {}).items()))
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def record_decision(
    path: Path, section: str, item_id: str, decision: Mapping[str, str] | None
) -> dict[str, Any]:
    """Set (or with None, clear) one decision and rewrite the file atomically; the new document."""
    if section not in SECTIONS:
        raise ReviewsError(f"unknown section {section!r}")
    reviews = load_reviews(path, strict=True)
    if decision is None:
        reviews[section].pop(item_id, None)
    else:
        problem = decision_problem(item_id, dict(decision))
        if problem:
            raise ReviewsError(problem)
        reviews[section][item_id] = {k: v for k, v in sorted(decision.items()) if v != ""}
    write_text_atomic(path, dump_reviews(reviews))
    return reviews


def review_state(decision: Mapping[str, Any] | None, current_hash: str) -> str:
    """'' (not reviewed), 'stale' (content changed since), or the decision's status."""
    if not decision:
        return ""
    if decision.get("hash") != current_hash:
        return "stale"
    return str(decision.get("status", ""))
