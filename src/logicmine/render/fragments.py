"""Pieces of the estate-wide files kept in the build state, by what they are made from.

`rules.json` and `graph.json` hold every rule and every node and edge of the estate: written
whole, they cost seconds at a million lines whatever changed. Each is made of pieces that
depend on one program alone (its rules' lines, the lines of the graph nodes it owns and their
edges) or on the frame (the nodes no program owns); a piece is stored in the state's memo under
a digest of what it is made from (the program's view digest, or the owner's part of the
graph as render.deps hashes it) and the file is put together from the pieces, sorted as the
whole file always was. Like the diagram memo, each process (a forked page worker included)
reads and writes through a connection of its own; an entry is content-addressed, so one
written by a run killed later is only ever unused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from logicmine.state import OwnMemo


class Fragments(OwnMemo):
    """Memo entries of namespace `fragment`, read and written by the process that uses them."""

    NAMESPACE = "fragment"

    def __init__(self, state) -> None:
        from logicmine.state import code_key

        super().__init__(state, self.NAMESPACE)
        self.code = code_key()

    def key(self, *parts: Any) -> str:
        """The digest naming a piece: what it is made from and logicmine's code."""
        return hashlib.sha256(repr((self.code, *parts)).encode()).hexdigest()

    def gather(self, keys: Mapping[str, str | None],
               make: Callable[[list[str]], Mapping[str, Any]]) -> dict[str, Any]:
        """Each unit's piece (`keys`: unit -> the key naming its piece, None for a unit not to
        keep): from the state when stored, else from `make(units missing)`, which is called
        once and whose pieces are kept for the next build."""
        known = self.recall(key for key in keys.values() if key)
        pieces = {unit: known[key] for unit, key in keys.items() if key in known}
        missing = [unit for unit in keys if unit not in pieces]
        if missing:
            made = make(missing)
            pieces.update(made)
            self.write({keys[unit]: made[unit] for unit in missing if keys[unit]})
        return pieces
