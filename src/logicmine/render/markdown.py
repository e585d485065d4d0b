"""Markdown exports: one document per program (markdown/programs) or Java class
(markdown/classes) plus an index, rules cited as `file:start-end`.

A rule is given in full once: in the document of the business process it belongs to
(markdown/processes, written by the business exports with `rule_markdown`), or, for a rule in
no process, in its program's document. The program document lists every rule in a line, in
source order, under a link to the process document that gives it in full."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from logicmine.model import Claim, Cluster, Job, Procedure, Program, Rule, Smell, Span, Summary
from logicmine.render.changes_view import change_counts
from logicmine.render.links import Linker, process_markdown_path
from logicmine.render.lookup import Lookup, fidelity_text
from logicmine.render.process_pages import kind_label

MARKDOWN_INDEX = "markdown/index.md"
_CODE_SPAN = re.compile(r"`([^`]+)`")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True, slots=True)
class ClusterDoc:
    """A cluster and its summary."""

    cluster: Cluster
    summary: Summary | None


@dataclass(frozen=True, slots=True)
class RuleRun:
    """Rules next to each other in source order that the same processes give in full (no
    process: the program document gives them, under "Rules in no process")."""

    processes: tuple[tuple[str, str], ...]  # (title, link to its document)
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class ProgramHead:
    """What a program's document shows of the program itself (its facts are many times
    larger, and the document's view values are hashed to know whether it changed)."""

    name: str
    file: str
    line: int
    end_line: int
    entry_points: tuple[str, ...]
    procedures: tuple[Procedure, ...]

    @classmethod
    def of(cls, program: Program) -> ProgramHead:
        return cls(program.name, program.file, program.line, program.end_line,
                   program.entry_points, program.procedures)


@dataclass(frozen=True, slots=True)
class ProgramDoc:
    """markdown/programs/<PROG>.md, or markdown/classes/<Class>.md for a Java class."""

    site_title: str
    program: ProgramHead
    fidelity: str
    summary: Summary | None
    clusters: tuple[ClusterDoc, ...]
    rules: tuple[RuleRun, ...]  # every rule, in source order
    processes: tuple[tuple[str, str], ...] = ()  # (title, link to its document)
    smells: tuple[Smell, ...] = ()
    full: tuple[str, ...] = ()  # the rules in no process, each in full (rule_markdown)


@dataclass(frozen=True, slots=True)
class Entry:
    """A program or class in the index: its document and what it does."""

    program: Program
    link: str
    summary: Summary | None
    rules: int
    renamed: bool = False  # a class whose simple name another class shares


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """markdown/index.md."""

    site_title: str
    fidelity_note: str
    programs: tuple[Entry, ...]
    jobs: tuple[Job, ...]
    classes: tuple[Entry, ...] = ()
    processes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (kind, (title, link))
    smells: tuple[tuple[str, int], ...] = ()  # (kind, count)
    changes: tuple[int, int, int] | None = None


def code(text: object) -> str:
    """A Markdown code span holding `text` verbatim (fence longer than any backtick run inside)."""
    value = " ".join(str(text).split())
    if not value:
        return "` `" if str(text) else ""
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def prose(text: object) -> str:
    """Inline Markdown from prose: `code` spans kept verbatim, other markup characters escaped."""
    value = " ".join(str(text).split())
    pieces, position = [], 0
    for match in _CODE_SPAN.finditer(value):
        pieces.append(_escape(value[position : match.start()]))
        pieces.append(code(match.group(1)))
        position = match.end()
    pieces.append(_escape(value[position:]))
    return _LINE_START.sub(r"\\\1", "".join(pieces), count=1)


def _escape(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def environment() -> Environment:
    """Jinja environment for Markdown: no HTML escaping, strict about missing values."""
    env = Environment(
        loader=PackageLoader("logicmine", "render/templates"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["code"] = code
    env.filters["md"] = prose
    env.filters["cite"] = cite
    env.filters["codes"] = codes
    env.filters["claim"] = claim
    env.filters["steps"] = steps
    env.filters["smell_cite"] = smell_cite
    env.filters["rule_line"] = rule_line
    env.filters["links"] = links
    return env


def cite(span: Span) -> str:
    """`file:start-end` in a code span (an end before the start is read as a one-line span)."""
    return code(Span(span.file, span.line, max(span.line, span.end_line)).cite())


def smell_cite(smell: Smell) -> str:
    """A smell's lines as `file:start-end`."""
    return cite(Span(smell.file, smell.line, smell.end_line))


def codes(items: object, sep: str = ", ") -> str:
    """Code spans joined, e.g. `A`, `B`."""
    return sep.join(code(item) for item in items)  # type: ignore[attr-defined]


def claim(item: Claim) -> str:
    """A claim's prose followed by its citations in code spans."""
    cites = ", ".join(cite(span) for span in item.citations)
    return f"{prose(item.text)} ({cites})" if cites else prose(item.text)


def steps(job: Job) -> str:
    """A job's steps as `STEP` runs `PROG`; ..."""
    parts = [f"{code(s.name)} runs {code(s.program)}" for s in job.steps]
    return "; ".join(parts) or "no steps"


SHORT_TEXT = 80  # characters of a rule's text in its program's list


def procedure_word(language: str) -> str:
    """What a procedure is called in a program of that language."""
    return "method" if language == "java" else "paragraph"


def _branches_only(rule: Rule) -> str | None:
    """The head of the rule's text (`IF`, an EVALUATE subject) when the rest of the text is
    its branches again, `condition -> action; action | ...`; None when the text says more."""
    if not rule.branches:
        return None
    body = " | ".join(f"{b.condition} -> {'; '.join(b.actions) or 'no action'}"
                      for b in rule.branches)
    suffix = ": " + body
    return rule.text[: -len(suffix)] if rule.text.endswith(suffix) else None


def rule_markdown(rule: Rule, summary: Summary | None, where: str = "paragraph") -> str:
    """A rule in full: its text, a model's summary of it, its conditions and actions or its
    branches with their lines, the data it reads and sets, its citation.

    Nothing is said twice: a text that only repeats the branches gives way to them, an action
    list that only repeats the text is left out, and so is an offline summary (a sentence
    made from the same branches, cut short); a model's summary is kept."""
    lines = [f"### {prose(rule.id)} ({rule.kind})", ""]
    head = _branches_only(rule)
    if head is None:
        lines += [prose(rule.text) or "(no text)", ""]
    if summary is not None and summary.source == "model" and summary.claims:
        lines += [f"- {claim(item)}" for item in summary.claims] + [""]
    if rule.branches:
        label = "Branches:" if head in (None, "IF") else f"Branches on {code(head)}:"
        lines += [label, ""]
        lines += [f"- when {code(b.condition)}: {codes(b.actions, '; ') or 'no action'} "
                  f"(lines {b.line}-{b.end_line})" for b in rule.branches]
        lines.append("")
    else:
        if rule.conditions:
            lines += ["Conditions:", ""] + [f"- {code(c)}" for c in rule.conditions] + [""]
        if rule.actions and tuple(rule.actions) != (rule.text,):
            lines += ["Actions:", ""] + [f"- {code(a)}" for a in rule.actions] + [""]
    if rule.inputs:
        lines += [f"Reads: {codes(rule.inputs)}", ""]
    if rule.outputs:
        lines += [f"Sets: {codes(rule.outputs)}", ""]
    place = f" in {where} {code(rule.procedure)}" if rule.procedure else ""
    lines.append(f"Cited: {cite(rule.span)}{place}")
    return "\n".join(lines) + "\n"


def rule_line(rule: Rule) -> str:
    """A rule in its program's list: id, kind, lines, procedure, the start of its text."""
    text = " ".join(rule.text.split())
    if len(text) > SHORT_TEXT:
        text = text[: SHORT_TEXT - 3].rstrip() + "..."
    place = f" in {code(rule.procedure)}" if rule.procedure else ""
    return f"{prose(rule.id)} ({rule.kind}), {cite(rule.span)}{place}: {prose(text)}"


def links(items: tuple[tuple[str, str], ...]) -> str:
    """Markdown links from (title, target) pairs, joined by commas."""
    return ", ".join(f"[{prose(title)}]({target})" for title, target in items)


def build_program_doc(look: Lookup, linker: Linker, program: Program, title: str) -> ProgramDoc:
    """Context of one program's or class's Markdown document."""
    clusters = tuple(ClusterDoc(c, look.summary(c.id)) for c in look.clusters.get(program.name, []))
    base = posixpath.dirname(linker.markdown[program.name])
    mine = look.processes_of.get(program.name, [])
    processes = tuple(
        (p.title, posixpath.relpath(process_markdown_path(p.id), base)) for p in mine
    )
    given: dict[str, list[tuple[str, str]]] = {}
    for process, (name, link) in sorted(zip(mine, processes, strict=True),
                                        key=lambda pair: pair[0].id):
        for rule_id in dict.fromkeys(process.rules):
            given.setdefault(rule_id, []).append((name, link))
    runs: list[tuple[tuple[tuple[str, str], ...], list[Rule]]] = []
    for rule in look.rules.get(program.name, []):
        where = tuple(given.get(rule.id, ()))
        if not runs or runs[-1][0] != where:
            runs.append((where, []))
        runs[-1][1].append(rule)
    word = procedure_word(program.language)
    full = tuple(rule_markdown(rule, look.summary(rule.id), word)
                 for where, rules in runs if not where for rule in rules)
    return ProgramDoc(
        site_title=title,
        program=ProgramHead.of(program),
        fidelity=fidelity_text(program.fidelity),
        summary=look.program_summary(program.name),
        clusters=clusters,
        rules=tuple(RuleRun(where, tuple(rules)) for where, rules in runs),
        processes=processes,
        smells=tuple(look.smells.get(program.name, ())),
        full=full,
    )


def build_index_doc(
    look: Lookup, linker: Linker, title: str, note: str, changes: Mapping[str, Any] | None = None
) -> IndexDoc:
    """Context of markdown/index.md."""
    base = posixpath.dirname(MARKDOWN_INDEX)

    def entry(p: Program) -> Entry:
        link = posixpath.relpath(linker.markdown[p.name], base)
        simple = p.name.rsplit(".", 1)[-1]
        renamed = p.name in linker.classes and posixpath.basename(link) != f"{simple}.md"
        return Entry(
            p, link, look.program_summary(p.name), len(look.rules.get(p.name, ())), renamed
        )

    programs = [p for p in look.programs() if p.name not in linker.classes]
    classes = [p for p in look.programs() if p.name in linker.classes]
    kinds: dict[str, list[tuple[str, str]]] = {}
    for process in look.processes:
        link = posixpath.relpath(process_markdown_path(process.id), base)
        kinds.setdefault(kind_label(process.entry_kind), []).append((process.title, link))
    smells = Counter(s.kind for s in look.estate.smells)
    counts = change_counts(changes) if changes is not None else None
    return IndexDoc(
        site_title=title,
        fidelity_note=note,
        programs=tuple(entry(p) for p in programs),
        jobs=tuple(sorted(look.estate.jobs, key=lambda j: (j.name, j.file))),
        classes=tuple(entry(p) for p in classes),
        processes=tuple((k, tuple(v)) for k, v in kinds.items()),
        smells=tuple(sorted(smells.items(), key=lambda kv: (-kv[1], kv[0]))),
        changes=counts,
    )
