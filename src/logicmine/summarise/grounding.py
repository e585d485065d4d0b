"""The grounding check: a model's claim is kept only if the code it cites says what it quotes.

Every cited range must lie inside the lines the model was shown for the subject, and every
name or literal the claim quotes (backticked text, quoted literals, COBOL-looking data names)
must occur in the cited lines.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..model import Claim, Span
from .offline import code
from .reply import Reply, RuleItem, TermItem

_BACKTICK = re.compile(r"`+([^`]+)`+")
_QUOTED = re.compile(r"(?<![\w'])'([^'\n]{1,80})'(?![\w'])|\"([^\"\n]{1,80})\"")
_DATA_NAME = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?![\w-])")
_TOKEN = re.compile(r"[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?")
_NAME = re.compile(r"[A-Z][A-Z0-9-]*[A-Z0-9]")
# Hyphenated COBOL words a sentence may name without them being data names of the program.
_COBOL_WORDS = frozenset("""
WORKING-STORAGE LOCAL-STORAGE LINKAGE-SECTION FILE-CONTROL INPUT-OUTPUT I-O I-O-CONTROL
PROGRAM-ID SOURCE-COMPUTER OBJECT-COMPUTER SPECIAL-NAMES DATE-WRITTEN DATE-COMPILED
END-IF END-EVALUATE END-PERFORM END-READ END-WRITE END-REWRITE END-DELETE END-START
END-COMPUTE END-ADD END-SUBTRACT END-MULTIPLY END-DIVIDE END-CALL END-STRING END-UNSTRING
END-SEARCH END-RETURN END-EXEC GO-TO COMP-1 COMP-2 COMP-3 COMP-4 COMP-5 PACKED-DECIMAL
DISPLAY-1 NON-ZERO RETURN-CODE SORT-RETURN LENGTH-OF HIGH-VALUE HIGH-VALUES LOW-VALUE
LOW-VALUES EXEC-CICS EXEC-SQL DB2-SQL CICS-TS COBOL-85 ISO-8601 X-REF
""".split())


def fold(text: str) -> str:
    """Upper case with runs of whitespace made one space."""
    return " ".join(text.split()).upper()


def quoted_items(text: str) -> list[str]:
    """Names and literals a sentence quotes, each once, in order."""
    items = [m[1] for m in _BACKTICK.finditer(text)]
    rest = _BACKTICK.sub(" ", text)
    items += [m[1] or m[2] for m in _QUOTED.finditer(rest)]
    rest = _QUOTED.sub(" ", rest)
    items += [m[0] for m in _DATA_NAME.finditer(rest) if m[0] not in _COBOL_WORDS]
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


def occurs(item: str, text: str, *, folded: bool = False) -> bool:
    """The item is in the text: as a phrase, or every word of it as a whole word."""
    wanted, haystack = fold(item), text if folded else fold(text)
    if wanted in haystack:
        return True
    tokens = _TOKEN.findall(wanted)
    return bool(tokens) and all(
        re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", haystack) for t in tokens)


class SourceLines:
    """Lines of source files read once through the caller's `read_source(path)`."""

    def __init__(self, read_source: Callable[[str], str]) -> None:
        self._read = read_source
        self._files: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def lines(self, path: str) -> list[str]:
        """All lines of one file ([] when it cannot be read)."""
        with self._lock:
            if path not in self._files:
                try:
                    self._files[path] = self._read(path).splitlines()
                except (OSError, ValueError):
                    self._files[path] = []
            return self._files[path]

    def text(self, span: Span) -> str:
        """The text of a span's lines."""
        return "\n".join(self.lines(span.file)[span.line - 1:span.end_line])


@dataclass(frozen=True, slots=True)
class Scope:
    """The lines a reply may cite: those the model was shown for its subject."""

    spans: tuple[Span, ...]
    _merged: dict[str, list[tuple[int, int]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        merged: dict[str, list[tuple[int, int]]] = {}
        for span in sorted(self.spans, key=lambda s: (s.file, s.line, s.end_line)):
            runs = merged.setdefault(span.file, [])
            if runs and span.line <= runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], max(runs[-1][1], span.end_line))
            else:
                runs.append((span.line, span.end_line))
        object.__setattr__(self, "_merged", merged)

    def files(self) -> list[str]:
        """Files that may be cited, sorted."""
        return sorted(self._merged)

    def contains(self, span: Span) -> bool:
        """Every line of the span is in scope."""
        runs = self._merged.get(span.file, ())
        return any(start <= span.line and span.end_line <= end for start, end in runs)

    def runs(self) -> list[Span]:
        """The scope as merged spans."""
        return [Span(f, a, b) for f, runs in sorted(self._merged.items()) for a, b in runs]

    def describe(self, limit: int = 6) -> str:
        """A short list of what may be cited."""
        runs = self.runs()
        shown = ", ".join(s.cite() for s in runs[:limit])
        return shown + (f" and {len(runs) - limit} more" if len(runs) > limit else "")


def resolve_file(name: str, files: list[str]) -> str | None:
    """The scope file a reply means: exact, the only one, or the only one of that base name."""
    if name in files:
        return name
    if not name.strip():
        return files[0] if len(files) == 1 else None
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    hits = [f for f in files if f.rsplit("/", 1)[-1].lower() == base]
    return hits[0] if len(hits) == 1 else None


@dataclass(slots=True)
class Verdict:
    """Claims built from a reply, and what failed the check."""

    claims: list[Claim] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    checked: int = 0
    failed: int = 0
    terms: list[tuple[str, str]] = field(default_factory=list)  # (TERM, meaning)

    def judge(self, claim: Claim, problems: list[str]) -> None:
        """Record one checked claim."""
        self.checked += 1
        self.failed += bool(problems)
        self.failures.extend(problems)
        self.claims.append(claim)


class Grounder:
    """Checks replies against one subject's scope."""

    def __init__(self, scope: Scope, source: SourceLines, cites: tuple[Span, ...]) -> None:
        self.scope, self.source, self.cites = scope, source, cites
        self._scope_text: str | None = None

    def scope_text(self) -> str:
        """All text in scope, folded (for claims about the whole subject)."""
        if self._scope_text is None:
            self._scope_text = fold("\n".join(self.source.text(s) for s in self.scope.runs()))
        return self._scope_text

    def in_scope(self, item: str) -> bool:
        """The name or literal occurs somewhere in the lines shown."""
        return occurs(item, self.scope_text(), folded=True)

    def _spans(self, item: RuleItem | TermItem, label: str) -> tuple[list[Span], list[str]]:
        file = resolve_file(item.file, self.scope.files())
        if file is None:
            return [], [f"{label} names file {item.file!r}; cite one of: "
                        f"{', '.join(self.scope.files())}"]
        if not item.lines:
            return [], [f"{label} cites no lines"]
        spans = [Span(file, a, b) for a, b in item.lines]
        problems = [f"{label} cites {s.cite()}, outside the lines shown "
                    f"({self.scope.describe()})" for s in spans if not self.scope.contains(s)]
        return spans, problems

    def quotes(self, sentence: str, text: str | None, where: str, label: str) -> list[str]:
        """Quoted items absent from `text` (None: from the whole scope)."""
        return [f"{label} quotes {code(item)}, which does not occur in {where}"
                for item in quoted_items(sentence)
                if not (self.in_scope(item) if text is None else occurs(item, text))]

    def cited_claim(self, item: RuleItem | TermItem, sentence: str, label: str,
                    verdict: Verdict) -> None:
        """Check a claim that cites its own lines."""
        spans, problems = self._spans(item, label)
        if not problems:
            text = "\n".join(self.source.text(s) for s in spans)
            where = ", ".join(s.cite() for s in spans)
            problems = self.quotes(sentence, text, where, label)
        verdict.judge(Claim(sentence, tuple(spans)), problems)

    def whole_claim(self, sentence: str, label: str, verdict: Verdict) -> None:
        """Check a claim about the whole subject (it cites the subject's lines)."""
        problems = self.quotes(sentence, None, "the lines shown", label)
        verdict.judge(Claim(sentence, self.cites), problems)


def _names_sentence(label: str, names: Iterable[str]) -> str:
    return f"{label}: " + ", ".join(code(n) for n in names) + "."


def check_summary_reply(reply: Reply, grounder: Grounder) -> Verdict:
    """Purpose, rules, inputs and outputs checked; glossary terms kept when they occur."""
    verdict = Verdict()
    if not reply.purpose.strip() and not reply.rules:
        verdict.failures.append("the reply states nothing: give a purpose and the rules")
        return verdict
    verdict.failures += grounder.quotes(reply.title, None, "the lines shown", "the title")
    if reply.purpose.strip():
        grounder.whole_claim(reply.purpose.strip(), "the purpose", verdict)
    for number, rule in enumerate(reply.rules, 1):
        grounder.cited_claim(rule, rule.statement.strip(), f"rule {number}", verdict)
    for label, names in (("Inputs", reply.inputs), ("Outputs", reply.outputs)):
        # names the code does not hold are dropped, not argued over: they are never shown
        names = [n.strip() for n in names if n.strip() and grounder.in_scope(n.strip())]
        if names:
            grounder.whole_claim(_names_sentence(label, names), label.lower(), verdict)
    terms = {t.term.strip().upper(): " ".join(t.meaning.split())[:300]
             for t in reply.glossary if _NAME.fullmatch(t.term.strip().upper())}
    verdict.terms = sorted((t, m) for t, m in terms.items() if grounder.in_scope(t))
    return verdict


def check_glossary_reply(reply: Reply, grounder: Grounder) -> Verdict:
    """Each glossary entry is a claim citing the lines that define the term."""
    verdict = Verdict()
    if not reply.glossary:
        verdict.failures.append("the reply has no glossary entries")
    for number, entry in enumerate(reply.glossary, 1):
        sentence = f"{code(entry.term.strip())}: {entry.meaning.strip()}"
        grounder.cited_claim(entry, sentence, f"glossary entry {number}", verdict)
    return verdict
