"""Small readers over tree-sitter Java nodes: text, lines, types, literals, modifiers."""

from __future__ import annotations

import re

from tree_sitter import Node

from .facts import Annotation, TypeRef

_ANNOTATIONS = ("annotation", "marker_annotation")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "s": " ", "0": "\0",
            "\\": "\\", "'": "'", '"': '"'}
_CHAIN_BREAK = re.compile(r"\s*\n\s*\.(?=\s*[A-Za-z_$<])")
_SQL_START = re.compile(
    r"^\s*(?:\(\s*)*(SELECT\b.*\bFROM\b|INSERT\s+INTO\b|UPDATE\s+[\w.$#@\"]+\s+SET\b|"
    r"DELETE\s+FROM\b|DELETE\s+[\w.$#@\"]+\s+WHERE\b|MERGE\s+INTO\b|\{?\s*CALL\s+[\w.]+|"
    r"WITH\s+\w+\s+AS\s*\(.*\bSELECT\b)",
    re.I | re.S)


def text(node: Node | None) -> str:
    """Source text of a node (empty for None)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", "replace")


def fold(value: str) -> str:
    """Whitespace folded to single spaces."""
    return " ".join(value.split())


def ftext(node: Node | None) -> str:
    """Folded source text of a node; a call chain continued on a new line reads `a.b()`."""
    return fold(_CHAIN_BREAK.sub(".", text(node)))


def brief(node: Node | None) -> str:
    """Folded text with lambda block bodies and anonymous class bodies shown as `{...}`."""
    if node is None:
        return ""
    cuts: list[tuple[int, int]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current is not node and (current.type == "class_body" or (
                current.type == "block" and current.parent is not None
                and current.parent.type == "lambda_expression")):
            cuts.append((current.start_byte, current.end_byte))
            continue
        stack.extend(current.named_children)
    if not cuts:
        return ftext(node)
    data = node.text or b""
    out, cursor = [], node.start_byte
    for start, end in sorted(cuts):
        chunk = data[cursor - node.start_byte:start - node.start_byte]
        out.append(chunk.decode("utf-8", "replace"))
        out.append("{...}")
        cursor = end
    out.append(data[cursor - node.start_byte:].decode("utf-8", "replace"))
    return fold(_CHAIN_BREAK.sub(".", "".join(out)))


def line(node: Node) -> int:
    """1-based first line."""
    return node.start_point[0] + 1


def end_line(node: Node) -> int:
    """1-based last line (a node ending at column 0 ends on the line before)."""
    row, column = node.end_point
    return max(node.start_point[0] + 1, row if column == 0 else row + 1)


def unparen(node: Node) -> Node:
    """The expression inside any number of parentheses."""
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def children_of(node: Node | None, *types: str) -> list[Node]:
    """Named children of the given types (none for a missing node)."""
    return [c for c in node.named_children if c.type in types] if node is not None else []


def keyword_child(node: Node, word: str) -> Node | None:
    """The anonymous child token `word` (e.g. the `else` of an if)."""
    for child in node.children:
        if not child.is_named and child.type == word:
            return child
    return None


def type_ref(node: Node | None) -> TypeRef:
    """The type a type node denotes, as written."""
    if node is None:
        return ("", (), 0)
    kind = node.type
    if kind == "array_type":
        inner = type_ref(node.child_by_field_name("element"))
        dims = text(node.child_by_field_name("dimensions")).count("[")
        return (inner[0], inner[1], inner[2] + max(1, dims))
    if kind == "generic_type":
        base = next((c for c in node.named_children if c.type != "type_arguments"), None)
        args_node = next((c for c in node.named_children if c.type == "type_arguments"), None)
        args = tuple(type_ref(a) for a in args_node.named_children) if args_node else ()
        return (_strip_annotations(text(base)), args, 0)
    if kind == "wildcard":
        bound = [c for c in node.named_children if c.type not in _ANNOTATIONS]
        return type_ref(bound[-1]) if bound else ("Object", (), 0)
    if kind == "annotated_type":
        named = [c for c in node.named_children if c.type not in _ANNOTATIONS]
        return type_ref(named[-1]) if named else ("", (), 0)
    return (_strip_annotations(ftext(node)), (), 0)


def _strip_annotations(value: str) -> str:
    return re.sub(r"@[\w.]+(\([^)]*\))?\s*", "", value).replace(" ", "")


def last_token(node: Node) -> Node:
    """The last leaf of a node: the closing brace a block ends on."""
    while node.child_count:
        node = node.children[-1]
    return node


def string_literal(node: Node) -> str | None:
    """Value of a string literal or text block; None for anything else."""
    if node.type != "string_literal":
        return None
    raw = text(node)
    if raw.startswith('"""'):
        body = raw[3:-3]
        lines = body.split("\n")
        return "\n".join(part.strip() for part in lines).strip()
    return _unescape(raw[1:-1])


def _unescape(value: str) -> str:
    return re.sub(r"\\(u+[0-9a-fA-F]{4}|.)",
                  lambda m: chr(int(m.group(1).lstrip("u"), 16)) if m.group(1)[0] == "u"
                  and len(m.group(1)) > 1 else _ESCAPES.get(m.group(1), m.group(1)), value)


def looks_like_sql(value: str) -> bool:
    """A string that reads as an SQL statement (or a JDBC {call ...})."""
    return bool(_SQL_START.match(value))


def modifiers(node: Node) -> tuple[tuple[str, ...], tuple[Annotation, ...]]:
    """(modifier keywords, annotations) of a declaration."""
    mods = next((c for c in node.named_children if c.type == "modifiers"), None)
    if mods is None:
        return (), ()
    words = tuple(c.type for c in mods.children if not c.is_named)
    notes = tuple(annotation(c) for c in mods.named_children
                  if c.type in ("annotation", "marker_annotation"))
    return words, notes


def annotation(node: Node) -> Annotation:
    """An annotation node as a fact."""
    name = ftext(node.child_by_field_name("name"))
    args = node.child_by_field_name("arguments")
    inner = ftext(args)[1:-1].strip() if args is not None else ""
    return Annotation(name, inner, line(node))


def annotation_value(note: Annotation, key: str = "value") -> list[str]:
    """String values of one annotation element (`value` also matches an unnamed argument)."""
    args = note.args
    if not args:
        return []
    found = re.search(rf"\b{re.escape(key)}\s*=\s*(\{{[^}}]*\}}|\"(?:[^\"\\]|\\.)*\")", args)
    if found:
        part = found.group(1)
    elif key == "value" and not re.match(r"^\w+\s*=", args):
        part = args
    else:
        return []
    return [_unescape(m) for m in re.findall(r"\"((?:[^\"\\]|\\.)*)\"", part)]
