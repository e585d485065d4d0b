"""Method bodies -> the flat statement vocabulary rules.py reads (IF/ELSE/END-IF, EVALUATE ...).

Java control flow is spelled in the verbs the COBOL front end uses so the same structure and
rule extraction apply: if -> IF/ELSE-IF/ELSE/END-IF, switch -> EVALUATE/WHEN/WHEN-OTHER/
END-EVALUATE, loops -> PERFORM ... END-PERFORM, arithmetic -> COMPUTE, other stores -> MOVE,
invocations -> CALL, SQL handed to a call -> EXEC. Java-only verbs: RAISE (throw), RETURN,
DISPLAY (logging), TRY/CATCH/FINALLY/END-TRY.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from ...model import Statement
from . import flow
from .exprs import Scope, describe, is_arithmetic, is_logging, is_rounded, string_value
from .facts import CallSite, PendingSql, TypeRef
from .scan import Scanner
from .syntax import (
    brief,
    children_of,
    end_line,
    fold,
    ftext,
    line,
    looks_like_sql,
    type_ref,
    unparen,
)

_SETTER = re.compile(r"^set([A-Z]\w*)$")
# getters, conversions and lookups: storing their result is a MOVE, not a CALL
_QUERY_METHOD = re.compile(
    r"^(?:(?:get|is|has|to|as|parse|compare|index|lastIndex|starts|ends|equals)(?:[A-Z_]\w*)?|"
    r"valueOf|format|trim|substring|length|size|name|ordinal|next|contains|charAt|replace|"
    r"split|matches|keySet|values|entrySet|iterator|clone|hashCode|abs|min|max|signum|"
    r"intValue|longValue|doubleValue|add|subtract|multiply|divide|setScale|negate|round|"
    r"remainder|pow|append|concat|isEmpty|strip|toUpperCase|toLowerCase)$")
_ARITH_ASSIGN = frozenset({"+=", "-=", "*=", "/=", "%="})
_SKIP = frozenset({"break_statement", "continue_statement", "line_comment", "block_comment",
                   ";", "empty_statement", "class_declaration", "interface_declaration",
                   "enum_declaration", "record_declaration", "local_class_declaration"})

Sink = tuple  # ("assign", target, op) | ("return",)


class BodyWalker:
    """Walks the methods of one type, gathering statements, call sites and pending SQL."""

    def __init__(self, owner: str, file: str) -> None:
        self.owner = owner
        self.file = file
        self.procedure = ""
        self.statements: list[Statement] = []
        self.pending: list[PendingSql] = []
        self.scanner = Scanner(owner)
        self.scope = Scope()
        self.sinks: list[Sink] = []
        self.sql_locals: dict[str, int] = {}  # local -> index of the MOVE giving it SQL text
        self.too_deep: list[int] = []  # first lines of methods too deep to walk

    @property
    def calls(self) -> list[CallSite]:
        """Call sites seen so far."""
        return self.scanner.calls

    # -- methods
    def method(self, key: str, params: tuple[tuple[str, TypeRef], ...], body: Node | None) -> None:
        """Walk one method, constructor or initializer body."""
        self.procedure, self.scanner.procedure = key, key
        self.scope, self.sql_locals = Scope(), {}
        for name, ref in params:
            self.scope.declare(name, ("type", ref))
        if body is not None:
            self.branch(body)
        self._unconsumed_sql()

    def field_initializer(self, value: Node) -> None:
        """Calls in a field initializer (procedure '')."""
        self.procedure, self.scanner.procedure = "", ""
        self.scope = Scope()
        self.scanner.scan(value, self.scope)
        self.walk_deferred()

    def _unconsumed_sql(self) -> None:
        """SQL built in a local no call received (a helper takes it): cite where it was built."""
        for name, index in sorted(self.sql_locals.items(), key=lambda item: item[1]):
            if name not in self.scope.consumed and name in self.scope.strings:
                old = self.statements[index]
                self.statements[index] = Statement(
                    "EXEC", _exec_text(self.scope.strings[name]), old.procedure, old.file,
                    old.line, old.end_line)

    # -- emission
    def emit(self, verb: str, value: str, start: Node, end: Node | None = None) -> int:
        """Append one statement spanning start..end; return its index."""
        last = end if end is not None else start
        self.statements.append(Statement(verb, fold(value), self.procedure, self.file,
                                         line(start), max(line(start), end_line(last))))
        return len(self.statements) - 1

    def exec_sql(self, hits: list, start: Node) -> bool:
        """Emit EXEC for SQL texts a statement hands to calls; True when it did."""
        texts = [h for h in hits if isinstance(h, str)]
        for sql in texts:
            self.emit("EXEC", _exec_text(sql), start)
        return bool(texts)

    def _attach(self, hits: list, index: int | None) -> None:
        if index is None:
            return
        for hit in hits:
            if isinstance(hit, tuple):
                self.pending.append(PendingSql(index, hit))
                return

    def scan(self, node: Node | None) -> list:
        """Record the calls in an expression; return the SQL it hands to them."""
        return self.scanner.scan(node, self.scope) if node is not None else []

    def walk_deferred(self) -> None:
        """Bodies of lambdas and anonymous classes met in the last statement, in source order."""
        while self.scanner.deferred:
            node, anonymous = self.scanner.deferred.pop(0)
            saved = self.scanner.anonymous
            self.scanner.anonymous = anonymous
            self.scope.push()
            if node.type == "class_body":
                self._anonymous_body(node)
            else:
                self.branch(node)
            self.scope.pop()
            self.scanner.anonymous = saved

    def _anonymous_body(self, body: Node) -> None:
        for member in body.named_children:
            if member.type == "method_declaration":
                for param in children_of(member.child_by_field_name("parameters"),
                                         "formal_parameter", "spread_parameter"):
                    self.scope.declare(ftext(param.child_by_field_name("name")),
                                       ("type", type_ref(param.child_by_field_name("type"))))
                self.branch(member.child_by_field_name("body"))
            elif member.type == "block":
                self.branch(member)
            elif member.type == "field_declaration":
                self._local(member)

    # -- statements
    def branch(self, node: Node | None) -> None:
        """A statement or block, in its own scope."""
        if node is None:
            return
        self.scope.push()
        for child in node.named_children if node.type in ("block", "constructor_body") else [node]:
            self.statement(child)
        self.scope.pop()

    def statement(self, node: Node) -> None:
        """Emit one Java statement (and whatever lambdas or anonymous classes it holds)."""
        handler = _HANDLERS.get(node.type)
        if handler is not None:
            handler(self, node)
        elif node.type not in _SKIP:
            self.scan(node)
        self.walk_deferred()

    def _block(self, node: Node) -> None:
        self.branch(node)

    def _labeled(self, node: Node) -> None:
        for child in node.named_children[1:]:
            self.statement(child)

    def _synchronized(self, node: Node) -> None:
        self.scan(node.named_children[0] if node.named_children else None)
        self.branch(node.child_by_field_name("body"))

    def _local(self, node: Node) -> None:
        ref = type_ref(node.child_by_field_name("type"))
        for decl in children_of(node, "variable_declarator"):
            name = ftext(decl.child_by_field_name("name"))
            value = decl.child_by_field_name("value")
            dims = ftext(decl.child_by_field_name("dimensions")).count("[")
            desc = describe(value, self.scope) if ref[0] == "var" else \
                ("type", (ref[0], ref[1], ref[2] + dims))
            if value is not None and value.type not in ("null_literal",):
                self.deliver(("assign", name, "="), value, decl, scan=True)
            elif value is not None:
                self.scan(value)
            self.scope.declare(name, desc)

    def _expression(self, node: Node) -> None:
        expr = unparen(node.named_children[0]) if node.named_children else node
        if expr.type == "assignment_expression":
            left = expr.child_by_field_name("left")
            self.scan(left)
            op = ftext(expr.child_by_field_name("operator"))
            right = expr.child_by_field_name("right")
            if right is not None:
                self.deliver(("assign", _target(ftext(left)), op), right, node, scan=True)
        elif expr.type == "method_invocation":
            self._invocation(expr, node)
        elif expr.type == "update_expression":
            self.scan(expr)
            operand = ftext(expr).replace("++", "").replace("--", "").strip()
            sign = "+" if "++" in ftext(expr) else "-"
            self.emit("COMPUTE", f"COMPUTE {_target(operand)} = {operand} {sign} 1", node)
        else:
            hits = self.scan(expr)
            if not self.exec_sql(hits, node) and expr.type in (
                    "object_creation_expression", "explicit_constructor_invocation"):
                self._attach(hits, self.emit("CALL", f"CALL {brief(expr)}", node))

    def _invocation(self, expr: Node, node: Node) -> None:
        hits = self.scan(expr)
        if self.exec_sql(hits, node):
            return
        name = ftext(expr.child_by_field_name("name"))
        obj = expr.child_by_field_name("object")
        if name == "append" and obj is not None and ftext(obj) in self.scope.strings:
            self._append(ftext(obj), expr, node)
            return
        if is_logging(expr):
            self.emit("DISPLAY", f"DISPLAY {brief(expr)}", node)
            return
        setter = _SETTER.match(name)
        args = expr.child_by_field_name("arguments")
        if setter and args is not None and args.named_child_count == 1:
            prop = setter.group(1)[0].lower() + setter.group(1)[1:]
            owner = ftext(obj) if obj is not None and ftext(obj) != "this" else ""
            target = f"{owner}.{prop}" if owner else prop
            self.deliver(("assign", target, "="), args.named_children[0], node, scan=False)
            return
        self._attach(hits, self.emit("CALL", f"CALL {brief(expr)}", node))

    def _append(self, target: str, expr: Node, node: Node) -> None:
        """StringBuffer/StringBuilder text grown step by step (SQL built in legacy DAOs)."""
        args = expr.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_child_count else None
        part = string_value(first, self.scope) if first is not None else None
        self.scope.strings[target] += part if part is not None else " :value"
        self.emit("MOVE", f"MOVE {target} + {brief(first)} TO {target}", node)

    def deliver(self, sink: Sink, value: Node, span: Node, scan: bool) -> None:
        """Store or return a value; ternaries and switch expressions become decisions."""
        value = unparen(value)
        if value.type == "ternary_expression":
            self._ternary(sink, value, span, scan)
        elif value.type == "switch_expression":
            flow.switch(self, value, sink)
        else:
            hits = self.scan(value) if scan else []
            if self.exec_sql(hits, span):
                return
            self._attach(hits, self._store(sink, value, span))

    def _ternary(self, sink: Sink, value: Node, span: Node, scan: bool) -> None:
        condition, consequence, alternative = (value.child_by_field_name(f) for f in (
            "condition", "consequence", "alternative"))
        if condition is None or consequence is None or alternative is None:  # broken code
            self._attach(self.scan(value) if scan else [], self._store(sink, value, span))
            return
        if scan:
            self.scan(condition)
        self.emit("IF", f"IF {ftext(unparen(condition))}", condition)
        self.deliver(sink, consequence, span, scan)
        self.emit("ELSE", "ELSE", alternative)
        self.deliver(sink, alternative, span, scan)
        self.emit("END-IF", "END-IF", alternative)

    def _store(self, sink: Sink, value: Node, span: Node) -> int | None:
        if value.type in ("lambda_expression", "method_reference"):
            return None  # code stored for later, not a value: its body is walked on its own
        shown = brief(value)
        rounded = " ROUNDED" if is_rounded(shown) else ""
        if sink[0] == "return":
            if is_arithmetic(value, self.scope):
                return self.emit("COMPUTE", f"COMPUTE return{rounded} = {shown}", span)
            if looks_like_sql(string_value(value, self.scope) or ""):
                return self.emit("EXEC", _exec_text(string_value(value, self.scope) or ""), span)
            return self.emit("RETURN", f"return {shown}", span)
        _, target, op = sink
        if op == "=" and _is_action_call(value):
            return self.emit("CALL", f"CALL {shown} RETURNING {target}", span)
        return self._assignment(target, op, value, shown, rounded, span)

    def _assignment(self, target: str, op: str, value: Node, shown: str, rounded: str,
                    span: Node) -> int:
        known = self.scope.strings.get(target)
        text_value = string_value(value, self.scope)
        if op == "=":
            self._track(target, text_value)
        elif op == "+=" and known is not None:
            self._track(target, known + (text_value if text_value is not None else " :value"))
        if op in _ARITH_ASSIGN and known is None and text_value is None:
            operand = f"({shown})" if " " in shown else shown
            return self.emit("COMPUTE", f"COMPUTE {target}{rounded} = {target} {op[:-1]} "
                             f"{operand}", span)
        if op == "=" and is_arithmetic(value, self.scope):
            return self.emit("COMPUTE", f"COMPUTE {target}{rounded} = {shown}", span)
        moved = shown if op == "=" else f"{target} {op[:-1]} {shown}"
        index = self.emit("MOVE", f"MOVE {moved} TO {target}", span)
        if looks_like_sql(self.scope.strings.get(target) or ""):
            self.sql_locals.setdefault(target, index)
        return index

    def _track(self, target: str, value: str | None) -> None:
        """Remember the text a local string holds, so SQL built in steps can be read."""
        if value is not None and "." not in target:
            self.scope.strings[target] = value
        else:
            self.scope.strings.pop(target, None)

    def _throw(self, node: Node) -> None:
        self.scan(node)
        self.emit("RAISE", ftext(node).rstrip(";").strip(), node)

    def _return(self, node: Node) -> None:
        value = node.named_children[0] if node.named_children else None
        if value is None:
            self.emit("RETURN", "return", node)
        else:
            self.deliver(("return",), value, node, scan=True)

    def _constructor_call(self, node: Node) -> None:
        hits = self.scan(node)
        if not self.exec_sql(hits, node):
            self._attach(hits, self.emit("CALL", f"CALL {ftext(node).rstrip(';')}", node))


def _is_action_call(value: Node) -> bool:
    """A call that does something (not a getter or conversion) whose result is stored."""
    if value.type != "method_invocation":
        return False
    name = ftext(value.child_by_field_name("name"))
    return not _QUERY_METHOD.match(name)


def _exec_text(sql: str) -> str:
    return f"EXEC SQL {fold(sql)} END-EXEC"


def _target(value: str) -> str:
    return value[5:] if value.startswith("this.") else value


_HANDLERS = {
    "block": BodyWalker._block,
    "labeled_statement": BodyWalker._labeled,
    "synchronized_statement": BodyWalker._synchronized,
    "local_variable_declaration": BodyWalker._local,
    "expression_statement": BodyWalker._expression,
    "if_statement": flow.if_statement,
    "switch_expression": flow.switch,
    "switch_statement": flow.switch,
    "yield_statement": flow.yield_statement,
    "for_statement": flow.loop,
    "enhanced_for_statement": flow.loop,
    "while_statement": flow.while_loop,
    "do_statement": flow.while_loop,
    "try_statement": flow.try_statement,
    "try_with_resources_statement": flow.try_statement,
    "throw_statement": BodyWalker._throw,
    "return_statement": BodyWalker._return,
    "explicit_constructor_invocation": BodyWalker._constructor_call,
}
