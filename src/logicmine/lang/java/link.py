"""Link parsed Java files into Programs: resolve calls and SQL constants, find entry points."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from ...model import (
    DataItem,
    Diagnostic,
    ExecBlock,
    Fidelity,
    Procedure,
    Program,
    Reference,
    Statement,
)
from ..cobol.exec_facts import exec_refs
from .entry import entry_points, read_descriptors
from .facts import JavaFileFacts, TypeFacts
from .index import TypeIndex
from .resolve import Resolution, Resolver
from .syntax import fold, looks_like_sql


@dataclass(slots=True)
class _Tally:
    """Resolution counts over every call site."""

    counts: Counter = field(default_factory=Counter)
    unresolved: Counter = field(default_factory=Counter)  # file -> unresolved invocations

    def stats(self) -> dict:
        c = self.counts
        invocations = c["invocations"]
        inside = c["resolved"] + c["unresolved"]
        return {
            "invocations": invocations, "resolved": c["resolved"], "external": c["external"],
            "unresolved": c["unresolved"],
            "resolution_rate": round(c["resolved"] / invocations, 4) if invocations else 1.0,
            "internal_resolution_rate": round(c["resolved"] / inside, 4) if inside else 1.0,
            "creations": c["creations"], "creations_resolved": c["creations_resolved"],
            "creations_external": c["creations_external"],
        }


def link_java(files: list[JavaFileFacts], xml_texts: dict[str, str] | None = None
              ) -> tuple[list[Program], list[Diagnostic], dict]:
    """Programs of every Java type, diagnostics, and statistics (with per-type metadata)."""
    files = sorted(files, key=lambda f: f.path)
    index = TypeIndex(files)
    resolver = Resolver(index)
    descriptors, diagnostics = read_descriptors(xml_texts or {})
    diagnostics = [d for f in files for d in f.diagnostics] + index.diagnostics + diagnostics
    entries = entry_points(index, descriptors)
    tally = _Tally()
    used: set[tuple[str, str]] = set()
    programs = [_program(index, resolver, index.types[fqn], entries.get(fqn, {}), tally, used)
                for fqn in index.order]
    programs = [_unused_constants(p, index.types[p.name], used) for p in programs]
    diagnostics += _unresolved_diagnostics(tally)
    stats = tally.stats()
    stats.update(files=len(files), types=len(programs),
                 type_info=_type_info(index, entries))
    return programs, diagnostics, stats


def _program(index: TypeIndex, resolver: Resolver, facts: TypeFacts, entries: dict[str, str],
             tally: _Tally, used: set[tuple[str, str]]) -> Program:
    statements = _apply_sql_constants(resolver, facts, used)
    references = _hierarchy_refs(index, facts) + _call_refs(resolver, facts, tally)
    blocks = list(facts.sql_blocks) + [
        ExecBlock("SQL", s.text, s.file, s.line, s.end_line) for s in statements
        if s.verb == "EXEC"]
    for block in blocks:
        owner = next((s.procedure for s in statements if s.verb == "EXEC" and s.line == block.line
                      and s.text == block.text), "")
        references.extend(exec_refs(block, facts.fqn, owner))
    return Program(
        name=facts.fqn, file=facts.file, line=facts.line, end_line=facts.end_line,
        language="java", procedures=tuple(_procedures(facts)),
        data_items=tuple(_data_items(facts)), statements=tuple(statements),
        references=tuple(sorted(references, key=_ref_key)), exec_blocks=tuple(blocks),
        fidelity=Fidelity(lines=facts.end_line - facts.line + 1, code_lines=facts.code_lines,
                          error_lines=facts.error_lines, unrecovered_lines=facts.error_lines),
        entry_points=tuple(m.key for m in facts.methods if m.key in entries),
    )


def _ref_key(ref: Reference) -> tuple:
    return (ref.line, ref.kind, ref.target, ref.detail, ref.procedure)


def _procedures(facts: TypeFacts) -> list[Procedure]:
    return [Procedure(id=f"java:{facts.fqn}#{m.key}", program=facts.fqn, name=m.key,
                      kind="constructor" if m.kind == "constructor" else "method",
                      file=facts.file, line=m.line, end_line=m.end_line)
            for m in facts.methods]


def _data_items(facts: TypeFacts) -> list[DataItem]:
    items = []
    for f in facts.fields:
        static = "static" in f.modifiers or facts.kind in ("interface", "annotation")
        section = "ENUM" if f.enum_constant else "STATIC" if static else "INSTANCE"
        items.append(DataItem(program=facts.fqn, level=1, name=f.name, file=facts.file,
                              line=f.line, pic=f.type_text, value=f.value, section=section))
    return items


def _hierarchy_refs(index: TypeIndex, facts: TypeFacts) -> list[Reference]:
    refs = []
    supers = index.supers.get(facts.fqn, ())
    for position, sup in enumerate(supers):
        extends = position == 0 and facts.superclass is not None or facts.kind == "interface"
        refs.append(Reference(kind="extends" if extends else "implements", program=facts.fqn,
                              procedure="", target=sup.name, file=facts.file, line=facts.line,
                              detail="" if sup.internal else "external"))
    return refs


def _call_refs(resolver: Resolver, facts: TypeFacts, tally: _Tally) -> list[Reference]:
    refs: list[Reference] = []
    for site in facts.calls:
        try:
            resolution = resolver.resolve(site)
        except RecursionError:  # a call chain longer than Python's stack
            resolution = Resolution("unresolved")
        _count(tally, site.kind, resolution.status, facts.file)
        refs.extend(Reference(kind="calls", program=facts.fqn, procedure=site.procedure,
                              target=target, file=facts.file, line=site.line, detail=detail)
                    for target, detail in resolution.targets)
    return refs


def _count(tally: _Tally, kind: str, status: str, file: str) -> None:
    if kind == "new":
        tally.counts["creations"] += 1
        tally.counts[f"creations_{status}"] += 1
        return
    tally.counts["invocations"] += 1
    tally.counts[status] += 1
    if status == "unresolved":
        tally.unresolved[file] += 1


def _apply_sql_constants(resolver: Resolver, facts: TypeFacts,
                         used: set[tuple[str, str]]) -> list[Statement]:
    """Statements whose call takes a repository SQL constant become EXEC statements."""
    statements = list(facts.statements)
    done: set[int] = set()
    for pending in facts.pending_sql:
        found = resolver.sql_constant(pending.ref, facts.fqn)
        if found is None or pending.index in done:
            continue
        owner, constant = found
        used.add((owner, constant.name))
        old = statements[pending.index]
        statements[pending.index] = Statement(
            "EXEC", f"EXEC SQL {fold(constant.string_value or '')} END-EXEC", old.procedure,
            old.file, old.line, old.end_line)
        done.add(pending.index)
    return statements


def _unused_constants(program: Program, facts: TypeFacts,
                      used: set[tuple[str, str]]) -> Program:
    """SQL constants no repository call was seen to take: facts of the type itself."""
    blocks, refs = [], []
    for constant in facts.fields:
        if (facts.fqn, constant.name) in used or not looks_like_sql(constant.string_value or ""):
            continue
        block = ExecBlock("SQL", f"EXEC SQL {fold(constant.string_value or '')} END-EXEC",
                          facts.file, constant.line, constant.line)
        blocks.append(block)
        refs.extend(exec_refs(block, facts.fqn, ""))
    if not blocks:
        return program
    return replace(program, exec_blocks=program.exec_blocks + tuple(blocks),
                   references=tuple(sorted(program.references + tuple(refs), key=_ref_key)))


def _unresolved_diagnostics(tally: _Tally) -> list[Diagnostic]:
    return [Diagnostic(path, 0, "info", "java-unresolved-calls",
                       f"{count} method invocations could not be resolved to a type")
            for path, count in sorted(tally.unresolved.items())]


def _type_info(index: TypeIndex, entries: dict[str, dict[str, str]]) -> dict:
    """Per-type metadata for the docs: kind, annotations, imports, supertypes, entry reasons."""
    info = {}
    for fqn in index.order:
        facts = index.types[fqn]
        file = index.file_of[fqn]
        info[fqn] = {
            "kind": facts.kind, "file": facts.file, "line": facts.line,
            "modifiers": list(facts.modifiers),
            "annotations": [_note(a) for a in facts.annotations],
            "imports": list(file.imports) + [f"{w}.*" for w in file.wildcards],
            "supertypes": [s.name for s in index.supers.get(fqn, ())],
            "methods": {m.key: [_note(a) for a in m.annotations] for m in facts.methods
                        if m.annotations},
            "entry_points": entries.get(fqn, {}),
        }
    return info


def _note(annotation) -> str:
    return f"@{annotation.name}({annotation.args})" if annotation.args else f"@{annotation.name}"
