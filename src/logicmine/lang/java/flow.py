"""Control flow -> IF/ELSE-IF/ELSE/END-IF, EVALUATE/WHEN/END-EVALUATE, PERFORM/END-PERFORM, TRY.

Functions of the body walker, one per Java construct; `body.BodyWalker` dispatches to them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from .exprs import describe
from .facts import UNKNOWN
from .syntax import children_of, ftext, keyword_child, last_token, text, type_ref, unparen

if TYPE_CHECKING:
    from .body import BodyWalker, Sink


def if_statement(w: BodyWalker, node: Node) -> None:
    """if / else if ... / else: one IF, an ELSE-IF per `else if`, an END-IF per IF opened.

    Iterative, because legacy dispatch code chains hundreds of `else if`s.
    """
    current, else_token, opened = node, None, 0
    while True:
        condition = current.child_by_field_name("condition") or current
        hits = w.scan(condition)
        shown = ftext(unparen(condition))
        if else_token is not None:  # one statement: ELSE-IF nests an IF in the ELSE
            w.emit("ELSE-IF", f"ELSE IF {shown}", else_token, condition)
        else:
            w.exec_sql(hits, condition)
            w.emit("IF", f"IF {shown}", current, condition)
        opened += 1
        w.walk_deferred()
        w.branch(current.child_by_field_name("consequence"))
        alternative = current.child_by_field_name("alternative")
        else_kw = keyword_child(current, "else")
        if alternative is not None and alternative.type == "if_statement":
            current, else_token = alternative, else_kw or alternative
            continue
        if alternative is not None:
            w.emit("ELSE", "ELSE", else_kw or alternative)
            w.branch(alternative)
        break
    last = last_token(node)
    for _ in range(opened):
        w.emit("END-IF", "END-IF", last)

def switch(w: BodyWalker, node: Node, sink: Sink | None = None) -> None:
    condition = node.child_by_field_name("condition") or node
    w.exec_sql(w.scan(condition), condition)
    w.emit("EVALUATE", f"EVALUATE {ftext(unparen(condition))}", node, condition)
    w.walk_deferred()
    if sink is not None:
        w.sinks.append(sink)
    body = node.child_by_field_name("body")
    for group in body.named_children if body is not None else []:
        if group.type in ("switch_block_statement_group", "switch_rule"):
            _case(w, group, sink)
    if sink is not None:
        w.sinks.pop()
    w.emit("END-EVALUATE", "END-EVALUATE", last_token(node))

def _case(w: BodyWalker, group: Node, sink: Sink | None) -> None:
    for label in children_of(group, "switch_label"):
        values = [c for c in label.named_children if c.type not in ("guard",)]
        if not values or ftext(label).startswith("default"):
            w.emit("WHEN-OTHER", "WHEN OTHER", label)
        for value in values:
            w.emit("WHEN", f"WHEN {ftext(value)}", label)
    w.scope.push()
    for body in group.named_children:
        if body.type == "switch_label":
            continue
        if group.type == "switch_rule" and sink is not None and body.type == \
                "expression_statement":
            w.deliver(sink, body.named_children[0], body, scan=True)
        else:
            w.statement(body)
    w.scope.pop()

def yield_statement(w: BodyWalker, node: Node) -> None:
    value = node.named_children[0] if node.named_children else None
    if value is not None and w.sinks:
        w.deliver(w.sinks[-1], value, node, scan=True)
    elif value is not None:
        w.scan(value)

def loop(w: BodyWalker, node: Node) -> None:
    body = node.child_by_field_name("body")
    header = text(node)[: body.start_byte - node.start_byte] if body else text(node)
    header = re.sub(r"^\s*for\s*\(|\)\s*$", "", header.strip())
    w.scope.push()
    for child in node.named_children:
        if child.type == "local_variable_declaration" and child != body:
            _declare_only(w, child)
        elif child != body:
            w.scan(child)
    if node.type == "enhanced_for_statement":
        _for_each(w, node)
    w.emit("PERFORM", f"PERFORM VARYING {header}", node, body.prev_sibling if body else None)
    w.walk_deferred()
    w.branch(body)
    w.scope.pop()
    w.emit("END-PERFORM", "END-PERFORM", last_token(node))

def _for_each(w: BodyWalker, node: Node) -> None:
    ref = type_ref(node.child_by_field_name("type"))
    value = describe(node.child_by_field_name("value"), w.scope)
    name = ftext(node.child_by_field_name("name"))
    w.scope.declare(name, ("elem", value) if ref[0] == "var" else ("type", ref))

def _declare_only(w: BodyWalker, node: Node) -> None:
    ref = type_ref(node.child_by_field_name("type"))
    for decl in children_of(node, "variable_declarator"):
        w.scan(decl.child_by_field_name("value"))
        w.scope.declare(ftext(decl.child_by_field_name("name")), ("type", ref))

def while_loop(w: BodyWalker, node: Node) -> None:
    condition = node.child_by_field_name("condition")
    w.scan(condition)
    do = node.type == "do_statement"
    test = "WITH TEST AFTER UNTIL" if do else "UNTIL"
    w.emit("PERFORM", f"PERFORM {test} NOT {ftext(condition)}", node,
              node if do else condition)
    w.walk_deferred()
    w.branch(node.child_by_field_name("body"))
    w.emit("END-PERFORM", "END-PERFORM", last_token(node))

def try_statement(w: BodyWalker, node: Node) -> None:
    w.emit("TRY", "TRY", node, node.children[0])
    w.scope.push()
    resources = node.child_by_field_name("resources")
    for resource in children_of(resources, "resource") if resources else []:
        _resource(w, resource)
    w.branch(node.child_by_field_name("body"))
    for clause in children_of(node, "catch_clause"):
        param = next(iter(children_of(clause, "catch_formal_parameter")), None)
        w.emit("CATCH", f"CATCH {ftext(param)}", clause,
                  keyword_child(clause, ")") or clause.children[0])
        if param is not None:
            types = children_of(param, "catch_type")
            first = types[0].named_children[0] if types and types[0].named_children else None
            w.scope.declare(ftext(param.child_by_field_name("name")),
                               ("type", type_ref(first)) if first is not None else UNKNOWN)
        w.branch(clause.child_by_field_name("body"))
    for clause in children_of(node, "finally_clause"):
        w.emit("FINALLY", "FINALLY", clause, clause.children[0])
        w.branch(next(iter(children_of(clause, "block")), None))
    w.scope.pop()
    w.emit("END-TRY", "END-TRY", last_token(node))

def _resource(w: BodyWalker, resource: Node) -> None:
    value = resource.child_by_field_name("value")
    name = ftext(resource.child_by_field_name("name"))
    if value is None:
        w.scan(resource)
        return
    w.deliver(("assign", name, "="), value, resource, scan=True)
    w.scope.declare(name, ("type", type_ref(resource.child_by_field_name("type"))))

