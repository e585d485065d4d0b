"""Resolve call targets held in data names (`CALL WS-PGM`, `XCTL PROGRAM(WS-NEXT)`).

Flow-insensitive and deliberately simple: the candidates of a data name are its VALUE, every
literal or constant MOVEd into it, and, for a MOVE from a table element, the values the table
was laid out with (the FILLER ... VALUE / REDEFINES ... OCCURS menu idiom). What stays unknown is
kept as a dynamic reference, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...model import DataItem, Reference, Statement
from .scanner import tokenize

_PROGRAM_NAME = re.compile(r"^[A-Z#@$][A-Z0-9#@$-]{0,29}$")
_MOVE = re.compile(r"^MOVE\s+(.*?)\s+TO\s+(.*)$", re.I | re.S)


def _literal_value(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1].strip().upper()
    return ""


def _program_like(value: str) -> bool:
    return bool(_PROGRAM_NAME.match(value)) and any(c.isalpha() for c in value) and value not in {
        "SPACES", "SPACE", "LOW-VALUES", "HIGH-VALUES"}


class _Values:
    """Candidate values of data names within one program."""

    def __init__(self, items: list[DataItem], statements: list[Statement],
                 program: str = "") -> None:
        self.items = items
        self.program = program
        self.by_name: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            self.by_name.setdefault(item.name, []).append(index)
        self.moves: dict[str, list[str]] = {}
        for stmt in statements:
            if stmt.verb == "MOVE":
                self._note_move(stmt.text)

    def _note_move(self, text: str) -> None:
        match = _MOVE.match(text)
        if not match:
            return
        source = match.group(1).strip()
        for tok in tokenize(match.group(2)):
            if tok.kind == "word" and tok.upper not in ("OF", "IN"):
                self.moves.setdefault(tok.upper, []).append(source)

    def candidates(self, name: str, depth: int = 0) -> set[str]:
        """Program-like values that can reach data name `name`."""
        if depth > 4:
            return set()
        found: set[str] = set()
        for index in self.by_name.get(name, []):
            value = _literal_value(self.items[index].value)
            if value:
                found.add(value)
        for source in self.moves.get(name, []):
            found |= self._source_values(source, depth)
        found |= self.table_values(name)  # XCTL PROGRAM(MENU-PGM(OPTION)): the table's entries
        if depth:
            # A program's own name reaching the target through another field is a return
            # address it leaves for the next program (FROM-PROGRAM in a commarea), not a
            # transfer to itself; an own name moved straight into the target still counts.
            found.discard(self.program)
        return {v for v in found if _program_like(v)}

    def _source_values(self, source: str, depth: int) -> set[str]:
        literal = _literal_value(source)
        if literal:
            return {literal}
        tokens = tokenize(source)
        if not tokens or tokens[0].kind != "word":
            return set()
        name = tokens[0].upper
        subscripted = len(tokens) > 1 and tokens[1].text == "("
        if subscripted:
            return self.table_values(name)
        return self.candidates(name, depth + 1)

    def table_values(self, field: str) -> set[str]:
        """Values laid out for every occurrence of `field` in a REDEFINES'd table."""
        for index in self.by_name.get(field, []):
            values = self._layout_values(index)
            if values:
                return values
        return set()

    def _layout_values(self, field_index: int) -> set[str]:
        items = self.items
        occurs_index = self._ancestor(field_index, lambda it: bool(it.occurs))
        if occurs_index is None:
            return set()
        redefining = self._ancestor(field_index, lambda it: bool(it.redefines), inclusive=True)
        if redefining is None:
            return set()
        fields = [i for i in self._descendants(occurs_index) if not self._descendants(i)]
        position = fields.index(field_index) if field_index in fields else -1
        base = next((i for i in self.by_name.get(items[redefining].redefines, [])), None)
        if base is None or position < 0:
            return set()
        leaves = [i for i in self._descendants(base) if not self._descendants(i)]
        by_layout = self._sliced(leaves, fields, field_index)
        if by_layout:
            return by_layout
        values = [_literal_value(items[i].value) for i in leaves]
        width = len(fields)
        if width and len(values) % width == 0:
            return {v for v in values[position::width] if v}
        return {v for v in values if v and _program_like(v)}

    def _sliced(self, leaves: list[int], fields: list[int], field_index: int) -> set[str]:
        """Cut the laid-out bytes into records and take the field's slice of each."""
        data = []
        for i in leaves:
            size = pic_size(self.items[i].pic, self.items[i].usage)
            if size is None:
                return set()
            data.append(_padded(self.items[i].value, size))
        sizes = [pic_size(self.items[i].pic, self.items[i].usage) for i in fields]
        if any(size is None for size in sizes) or not sizes:
            return set()
        record = sum(sizes)  # type: ignore[arg-type]
        offset = sum(sizes[: fields.index(field_index)])  # type: ignore[arg-type]
        width = sizes[fields.index(field_index)] or 0
        text = "".join(data)
        if not record or len(text) % record:
            return set()
        return {text[start + offset : start + offset + width].strip().upper()
                for start in range(0, len(text), record)} - {""}

    def _descendants(self, index: int) -> list[int]:
        level = self.items[index].level
        result = []
        for i in range(index + 1, len(self.items)):
            item = self.items[i]
            if item.level == 88:
                continue
            if item.level <= level or item.level in (66, 77) or item.level == 1:
                break
            result.append(i)
        return result

    def _ancestor(self, index: int, test, inclusive: bool = False) -> int | None:
        level = self.items[index].level
        if inclusive and test(self.items[index]):
            return index
        for i in range(index - 1, -1, -1):
            item = self.items[i]
            if item.level == 88 or item.level >= level:
                continue
            level = item.level
            if test(item):
                return i
            if level == 1:
                break
        return None


_PIC_REPEAT = re.compile(r"([AXZ9NG*$+\-.,/B0])\((\d+)\)")


def pic_size(pic: str, usage: str = "") -> int | None:
    """Bytes a DISPLAY item takes; None for binary or packed items (not sliceable as text)."""
    if not pic or usage not in ("", "DISPLAY"):
        return None
    expanded = _PIC_REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), pic.upper())
    expanded = expanded.replace("CR", "C").replace("DB", "D")
    return sum(1 for ch in expanded if ch not in "SVP")


def _padded(value: str, size: int) -> str:
    literal = value.strip()
    if literal[:1] in ("'", '"'):
        text = literal[1:-1]
    elif literal.upper() in ("SPACE", "SPACES", ""):
        text = ""
    elif literal.upper() in ("ZERO", "ZEROS", "ZEROES"):
        text = "0" * size
    else:
        text = literal.lstrip("+-").replace(".", "").zfill(size)
    return text[:size].ljust(size)


def resolve_dynamic(refs: list[Reference], items: list[DataItem],
                    statements: list[Statement], program: str = "") -> list[Reference]:
    """Replace each dynamic call by one resolved reference per candidate; keep the rest."""
    if not any(r.dynamic for r in refs):
        return refs
    values = _Values(items, statements, program)
    result: list[Reference] = []
    for ref in refs:
        if not ref.dynamic or not ref.via:
            result.append(ref)
            continue
        targets = sorted(values.candidates(ref.via))
        if not targets:
            result.append(ref)
            continue
        result.extend(replace(ref, target=t, dynamic=False) for t in targets)
    return result
