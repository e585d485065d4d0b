"""What a program or process page can show, as a key known before the page is built.

A page's digest in the page memo is made from its view values (render.memo), so an unchanged page
still costs the building of those values: at a million lines, most of a one-file rebuild. This
module keys the largest families of pages (program and process pages, program Markdown) by what
they are made from instead, without building anything:

- the estate's *frame*: everything a page may read that belongs to no one program: the page map of
  the site (programs, jobs, processes, sources and their lengths, data pages), every process
  without its rule list and note (both counted from its programs' rules), the jobs, the sources,
  the graph's nodes that no program owns (datasets, files, jobs, programs outside the estate) with
  their edges, how data names are spelt, the reviews, the title and logicmine's code;
- for each program a page can reach, that program's *part*: the digest of what the site may show
  of it, its source text aside (its facts but its statements, its rules, steps, smells,
  summaries: pipeline.ProgramAnalysis.view) and of the graph nodes it owns (its own node and its
  procedures) with their edges. Its statements are read only through its analysis, so an edit
  that changes none of that (a comment, a literal no rule reads) leaves every part as it was.

The frame and the parts together cover the whole render input: a change anywhere moves the frame or
some program's part. A page is keyed by the frame and the parts of the programs it can reach: a
program page, the program itself, the programs joined to it by an edge either way and every program
of its processes (its process rows count their rules); a process page, its programs and those they
have an edge to (a process page never shows who else calls them); a part of a split process, only
the programs it has steps in and those they have an edge to, with its rule list and its note (which
counts the whole process's rules); a data page, what it shows of each program declaring
something in its file (that program's share of it, worked out with the analysis); an
estate-wide page, the aspects of every program it shows (`listing`). So an edit inside one program
leaves the frame as it was and rebuilds only the pages of that program, its neighbours and its
processes; an edit that moves the frame (a new program, a changed call between programs, a review)
rebuilds everything as before. The byte-for-byte tests of incremental against full builds check
that no page reads more than its key covers.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from logicmine.model import Process, content_digest
from logicmine.render.dictionary import DataIndex
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup
from logicmine.reviews import rule_hash

_digest = content_digest  # plain values, whatever objects they share


class PageKeys:
    """Keys of program, process and parent pages from the frame and the programs' parts."""

    def __init__(self, look: Lookup, linker: Linker, data: DataIndex,
                 program_keys: Mapping[str, tuple[str, ...]], extra: Iterable[Any] = (),
                 decided: Iterable[str] = (),
                 hashes: Mapping[tuple[str, str], str] | None = None,
                 graph_digests: Callable[[Callable[[], dict[str, str]]], dict[str, str]]
                 | None = None,
                 aspects: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """`decided`: the rules a review decided on; `hashes`: (section, item) -> content
        hash, as the analysis worked them out (render.review_marks); `graph_digests`, given
        the function that works out each owner's graph digest, returns them (from a memo
        keyed by the graph and the estate's programs, say); `aspects`: name -> aspect ->
        digest of that aspect of the programs of that name (pipeline._list_aspects), without
        which an estate-wide page is keyed by every program's part."""
        self.look = look
        self._near: dict[tuple[str, bool], set[str]] = {}
        self._faces: dict[str, str] = {}
        self._decided = set(decided)
        self._hashes = hashes if hashes is not None else {}
        # a decided rule's hash as the analysis worked it out, or None: then hashed here
        self._hash = getattr(hashes, "cached", self._hashes.get)
        self._aspects = aspects
        self._single = {name for name, keys in program_keys.items() if len(keys) == 1}
        owner: dict[str, str] = {}  # node -> the estate program it belongs to
        for name, nodes in look.nodes_of.items():
            if name in program_keys:  # a program outside the estate belongs to the frame
                for node in nodes:
                    owner[node] = name
        self.owner = owner
        # each owner's nodes with their attributes and out-edges ('' for no estate program),
        # read from the graph's adjacency dicts (see graph.out_edges) and hashed per owner
        def digests() -> dict[str, str]:
            pieces: dict[str, list] = defaultdict(list)
            succ = look.graph._succ  # node -> target -> key -> attributes
            for node, attrs in look.graph._node.items():
                pieces[owner.get(node, "")].append((node, attrs, succ[node]))
            return {name: _digest(piece) for name, piece in pieces.items()}

        graph = self.graph = digests() if graph_digests is None else graph_digests(digests)
        self.parts = {name: _digest((keys, graph.get(name, ""))) for name, keys in
                      program_keys.items()}
        graph_frame = graph.get("", "")
        estate = look.estate
        self.frame = _digest((
            "page-keys-v1", *extra,
            sorted(linker.programs.items()), sorted(linker.jobs.items()),
            sorted(linker.markdown.items()), sorted(linker.sources.items()),
            sorted(linker.line_counts.items()), sorted(linker.processes.items()),
            sorted(linker.data.items()),
            [repr(replace(p, rules=(), note="")) for p in estate.processes],
            repr(estate.jobs), [(s.path, s.kind) for s in estate.sources],
            graph_frame, sorted(data.spelling.items()),
        ))

    def of(self, kind: str, subject: str, names: Iterable[str], extra: Any = ()) -> str | None:
        """Key of a file about `subject` made from the frame, the parts of `names` and
        `extra` (None when one of them is a program the keys do not know: then the file is
        built)."""
        parts = self.parts_of(names)
        return None if parts is None else _digest((self.frame, kind, subject, parts, extra))

    def parts_of(self, names: Iterable[str]) -> list[tuple[str, str]] | None:
        """(name, part) of each program named, sorted; None when one is a program the keys do
        not know."""
        parts = []
        for name in sorted(set(names)):
            part = self.parts.get(name)
            if part is None:
                return None
            parts.append((name, part))
        return parts

    def neighbours(self, name: str, incoming: bool = True) -> set[str]:
        """The program and every estate program one of its nodes has an edge to, and with
        `incoming` every one that has an edge to one of its nodes."""
        known = self._near.get((name, incoming))
        if known is not None:
            return known
        # the graph's adjacency dicts, read directly (see graph.out_edges): predecessors()
        # and successors() make an iterator object per node
        pred, succ, owner = self.look.graph._pred, self.look.graph._succ, self.owner
        found = self._near[(name, incoming)] = {name}
        for node in self.look.nodes_of.get(name, ()):
            if incoming:
                found.update(owner.get(other, name) for other in pred[node])
            found.update(owner.get(other, name) for other in succ[node])
        return found

    def program(self, name: str, kind: str = "program") -> str | None:
        """Key of a program's page, or with another `kind` of its Markdown document, which
        shows nothing of other programs (its processes are named from the frame).

        A program page shows of another program only what its *face* holds: the graph nodes it
        owns with their out-edges (callers, callees, the diagram's boxes) and, for the process
        rows' counts, its rules' paragraphs and kinds (a rule's id is a digest of what it says,
        and no other program's page names it), with the id and content hash of each rule a
        review decided on (the others are 'not reviewed' whatever they say). So an edit that
        changes what a rule says but not its kind or paragraph rebuilds only the program's own
        pages among the programs around it."""
        if kind != "program":
            return self.of(kind, name, {name})
        others = set(self.neighbours(name))
        for process in self.look.processes_of.get(name, ()):
            others.update(process.programs)
        others.discard(name)
        faces = self._faces_of(others)
        return None if faces is None else self.of(kind, name, {name}, faces)

    def _faces_of(self, names: Iterable[str]) -> list[tuple[str, str]] | None:
        """(name, face) of each program named, sorted; None when one is not known."""
        faces = []
        for name in sorted(names):
            face = self.face(name)
            if face is None:
                return None
            faces.append((name, face))
        return faces

    def face(self, name: str) -> str | None:
        """What another program's page shows of this one (see `program`), as a digest; None
        for a program the keys do not know."""
        if name not in self.parts:
            return None
        known = self._faces.get(name)
        if known is None:
            decided, rules = self._decided, self.look.rules.get(name, ())
            face = self._aspect(name, "face")
            if face is None:  # worked out here: each rule's paragraph and kind
                shown: Any = sorted(self._decided_rule(r) if r.id in decided
                                    else (r.procedure, r.kind, "", "") for r in rules)
            else:  # the analysis's digest of those, and the rules decided on
                shown = (face, sorted(self._decided_rule(r) for r in rules if r.id in decided)
                         if decided else ())
            known = self._faces[name] = _digest((self.graph.get(name, ""), shown))
        return known

    def group(self, file: str, users: Iterable[str]) -> str | None:
        """Key of the data page of `file`: the frame and what it shows of each program
        declaring something there (its `group:FILE` aspect, dictionary.group_shares); their
        parts when an aspect is not known or a name has several programs (the page resolves
        data names through the first)."""
        shares = self.shares(file, users)
        if shares is None:
            return self.of("data", file, users)
        return _digest((self.frame, "data-group", file, shares))

    def by_aspect(self, kind: str, subject: str, names: Iterable[str], aspect: str
                  ) -> str | None:
        """Key of a file about `subject` made from the frame and the `aspect` of each program
        named (pipeline._list_aspects); from their parts (`of`) when one is not known."""
        rows = self.aspect_rows(names, aspect)
        if rows is None:
            return self.of(kind, subject, names)
        return _digest((self.frame, kind, subject, aspect, rows))

    def aspect_rows(self, names: Iterable[str], aspect: str) -> list[tuple[str, str]] | None:
        """(name, its `aspect`) of each program named, sorted; None when one is not known."""
        rows = []
        for name in sorted(set(names)):
            digest = self._aspect(name, aspect)
            if digest is None:
                return None
            rows.append((name, digest))
        return rows

    def _aspect(self, name: str, aspect: str) -> str | None:
        """The analysis's digest of one aspect of the programs of that name, if known."""
        return (self._aspects or {}).get(name, {}).get(aspect)

    def shares(self, file: str, users: Iterable[str]) -> list[tuple[str, str]] | None:
        """(name, its `group:FILE` aspect) of each program named, sorted: what the data page
        of `file` and its piece of data-dictionary.json show of them; None when one is not
        known or its name has several programs."""
        shares = self.aspect_rows(users, f"group:{file}")
        if shares is None or any(name not in self._single for name, _ in shares):
            return None
        return shares

    def _decided_rule(self, rule) -> tuple[str, str, str, str]:
        return (rule.procedure, rule.kind, rule.id,
                self._hash(("rules", rule.id)) or rule_hash(rule))

    def listing(self, relpath: str, shown: tuple[str, ...], extra: Any = (),
                faces: bool = False) -> str | None:
        """Key of an estate-wide page that shows of every program only the aspects named in
        `shown` (pipeline._list_aspects) and, with `faces`, what another program's page shows
        of it (`face`: its graph nodes, its rules' paragraphs and kinds, the rules decided
        on), besides the frame and `extra`. Without the analysis's aspects, keyed by every
        program's part. None when a program's aspect is not known."""
        if self._aspects is None:
            return self.of("estate-page", relpath, self.parts, extra)
        rows = []
        for name in sorted(self.parts):
            row = [name, *(self._aspect(name, aspect) for aspect in shown)]
            if faces:
                row.append(self.face(name))
            if None in row:
                return None
            rows.append(row)
        return _digest((self.frame, "listing", relpath, shown, faces, rows, extra))

    def process(self, process: Process, kind: str = "process") -> str | None:
        """Key of a process page: it shows its programs and what they call, read or write,
        never who else calls them. A part of a split process shows only the programs it has
        steps in (and their rules), so it is keyed by those, what they call, read or write,
        and its own rule list and note (the note counts the whole process's rules): an edit
        in one program of a process split fifty ways rebuilds the parts it has steps in,
        not all fifty."""
        if process.parent:
            owners = {self.owner.get(node) for node in process.procedures}
            if None not in owners:
                return self.of(kind, process.id, self._near_all(owners),
                               (process.rules, process.note))
        return self.of(kind, process.id, self._reach([process]))

    def _near_all(self, names: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for name in names:
            found |= self.neighbours(name, incoming=False)
        return found

    def parent(self, parent: str, parts: list[Process]) -> str | None:
        """Key of a split process's page, from its parts: a row per part (its rules counted by
        kind, the reviewed ones, its programs and first step), so of the programs the parts
        reach, their faces (`face`). With a summary of the process or of a part (a model's:
        its sentences are filtered by the lines of the parts' rules), their parts."""
        reach = self._reach(parts)
        if any(self.look.summary(subject) is not None
               for subject in (parent, *(part.id for part in parts))):
            return self.of("parent", parent, reach)
        faces = self._faces_of(reach)
        return None if faces is None else _digest((self.frame, "parent", parent, faces))

    def _reach(self, processes: list[Process]) -> set[str]:
        return self._near_all(dict.fromkeys(name for p in processes for name in p.programs))


def reviews_digest(reviews: Mapping[str, Any]) -> str:
    """The reviews as the frame takes them: their JSON, keys sorted."""
    return hashlib.sha256(json.dumps(reviews, sort_keys=True, default=str).encode()).hexdigest()
