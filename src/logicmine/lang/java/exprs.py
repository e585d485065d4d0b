"""Expressions: receiver descriptors, call sites, string and SQL values, arithmetic, logging."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node

from .facts import UNKNOWN, CallSite, Desc, TypeRef
from .syntax import ftext, line, looks_like_sql, string_literal, type_ref, unparen

_ARITH_OPS = frozenset({"+", "-", "*", "/", "%"})
# BigDecimal / BigInteger arithmetic; `add` only counts where a value is assigned or returned
_NUMERIC_METHODS = frozenset({
    "add", "subtract", "multiply", "divide", "remainder", "pow", "negate", "abs", "setScale",
    "round", "movePointLeft", "movePointRight", "divideToIntegralValue", "scaleByPowerOfTen",
    "plus", "stripTrailingZeros"})
_MATH_METHODS = frozenset({"round", "floor", "ceil", "abs", "max", "min", "pow", "sqrt", "rint",
                           "floorDiv", "floorMod", "addExact", "multiplyExact", "subtractExact"})
_ROUNDING = re.compile(r"\.setScale\s*\(|\bround\s*\(|\bRoundingMode\.|\bBigDecimal\.ROUND_", re.I)
# log, logger, LOG, LOGGER, auditLog, myLogger (camel case, so `catalog` is no logger)
_LOGGER = re.compile(r"^(?:_?log|_?logger|log4j|[\w$]*(?:Log|Logger|LOG|LOGGER))$")
_LOG_METHODS = frozenset({"trace", "debug", "info", "warn", "warning", "error", "fatal", "severe",
                          "fine", "finer", "finest", "config", "log"})
_LITERALS = {"decimal_integer_literal": "int", "hex_integer_literal": "int",
             "decimal_floating_point_literal": "double", "true": "boolean", "false": "boolean",
             "character_literal": "char"}
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_$]*$")
_SQL_NAME = re.compile(r"(sql|query|stmt|statement)", re.I)
BUILDERS = frozenset({"StringBuffer", "StringBuilder", "java.lang.StringBuffer",
                       "java.lang.StringBuilder"})
_NOT_NUMERIC = frozenset({"List", "ArrayList", "LinkedList", "Vector", "Set", "HashSet",
                          "Collection", "Map", "String", *BUILDERS})


@dataclass(slots=True)
class Scope:
    """Locals and parameters visible at a point of a method, and the strings they hold."""

    frames: list[dict[str, Desc]] = field(default_factory=lambda: [{}])
    strings: dict[str, str] = field(default_factory=dict)  # local -> text built from literals
    consumed: set[str] = field(default_factory=set)  # locals whose SQL a call received

    def lookup(self, name: str) -> Desc | None:
        """Descriptor of a local or parameter, innermost first."""
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        return None

    def declare(self, name: str, desc: Desc) -> None:
        """A new local in the innermost block."""
        self.frames[-1][name] = desc

    def push(self) -> None:
        """Enter a block."""
        self.frames.append({})

    def pop(self) -> None:
        """Leave a block."""
        if len(self.frames) > 1:
            self.frames.pop()


def describe(node: Node | None, scope: Scope) -> Desc:
    """What the file alone says about the value of an expression."""
    if node is None:
        return UNKNOWN
    node = unparen(node)
    kind = node.type
    if kind == "identifier":
        return scope.lookup(ftext(node)) or ("name", ftext(node))
    if kind in ("this", "super"):
        return (kind,)
    if kind == "field_access":
        return ("field", describe(node.child_by_field_name("object"), scope),
                ftext(node.child_by_field_name("field")))
    if kind == "method_invocation":
        obj = node.child_by_field_name("object")
        return ("call", describe(obj, scope) if obj is not None else None,
                ftext(node.child_by_field_name("name")), _argc(node))
    return _describe_value(node, scope)


def _describe_value(node: Node, scope: Scope) -> Desc:
    kind = node.type
    if kind == "object_creation_expression":
        return ("new", type_ref(node.child_by_field_name("type")))
    if kind == "cast_expression":
        return ("type", type_ref(node.child_by_field_name("type")))
    if kind == "string_literal" or (kind == "binary_expression" and _is_string(node)):
        return ("type", ("String", (), 0))
    if kind == "array_access":
        return ("elem", describe(node.child_by_field_name("array"), scope))
    if kind == "ternary_expression":
        return describe(node.child_by_field_name("consequence"), scope)
    if kind == "array_creation_expression":
        ref = type_ref(node.child_by_field_name("type"))
        dims = sum(ftext(c).count("[") for c in node.named_children if c.type == "dimensions") or 1
        return ("type", (ref[0], ref[1], dims))
    if kind == "assignment_expression":
        return describe(node.child_by_field_name("left"), scope)
    if kind in _LITERALS:
        return ("type", (_LITERALS[kind], (), 0))
    return UNKNOWN


def _argc(node: Node) -> int:
    args = node.child_by_field_name("arguments")
    return args.named_child_count if args is not None else 0


def arguments(node: Node) -> list[Node]:
    """Argument expressions of a call or object creation."""
    args = node.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type not in ("comment", "line_comment",
                                                              "block_comment")] if args else []


def plus_operands(node: Node) -> list[Node]:
    """Operands of a `+` chain, left to right (iteratively: legacy SQL chains run long)."""
    stack, operands = [node], []
    while stack:
        current = unparen(stack.pop())
        if current.type == "binary_expression" and \
                ftext(current.child_by_field_name("operator")) == "+":
            for side in ("right", "left"):
                operand = current.child_by_field_name(side)
                if operand is not None:
                    stack.append(operand)
        else:
            operands.append(current)
    return operands


def _is_string(node: Node) -> bool:
    """A `+` chain holding a string literal (concatenation, not arithmetic)."""
    return any(o.type == "string_literal" for o in plus_operands(node))


def is_arithmetic(node: Node | None, scope: Scope) -> bool:
    """An expression computing a number: operators, BigDecimal arithmetic, Math functions."""
    if node is None:
        return False
    node = unparen(node)
    kind = node.type
    if kind == "binary_expression":
        op = ftext(node.child_by_field_name("operator"))
        return op in _ARITH_OPS and not (op == "+" and _is_string(node)) and \
            not _is_text(node.child_by_field_name("left"), scope)
    if kind == "unary_expression":
        return is_arithmetic(node.child_by_field_name("operand"), scope)
    if kind == "cast_expression":
        return is_arithmetic(node.child_by_field_name("value"), scope)
    if kind == "method_invocation":
        return _numeric_call(node, scope)
    return False


def _numeric_call(node: Node, scope: Scope) -> bool:
    name = ftext(node.child_by_field_name("name"))
    obj = node.child_by_field_name("object")
    if obj is None:
        return False
    if ftext(obj) in ("Math", "StrictMath"):
        return name in _MATH_METHODS
    if name not in _NUMERIC_METHODS:
        return False
    desc = describe(obj, scope)
    return not (desc[0] == "type" and desc[1][0] in _NOT_NUMERIC)


def _is_text(node: Node | None, scope: Scope) -> bool:
    if node is None:
        return False
    desc = describe(node, scope)
    return desc[0] == "type" and desc[1][0] in {"String", "java.lang.String"} | BUILDERS


def is_rounded(expression: str) -> bool:
    """setScale/round/RoundingMode in an arithmetic expression."""
    return bool(_ROUNDING.search(expression))


def is_logging(node: Node) -> bool:
    """A logger call, System.out/err printing or printStackTrace."""
    name = ftext(node.child_by_field_name("name"))
    obj = node.child_by_field_name("object")
    receiver = ftext(obj)
    if receiver in ("System.out", "System.err"):
        return True
    if name == "printStackTrace":
        return True
    last = receiver.rsplit(".", 1)[-1]
    return bool(_LOGGER.match(last)) and name in _LOG_METHODS


def string_value(node: Node | None, scope: Scope) -> str | None:
    """Text of a string expression built from literals, tracked locals and builders."""
    if node is None:
        return None
    node = unparen(node)
    kind = node.type
    if kind == "string_literal":
        return string_literal(node)
    if kind == "identifier":
        return scope.strings.get(ftext(node))
    if kind == "binary_expression" and ftext(node.child_by_field_name("operator")) == "+" \
            and _is_string(node):
        operands = plus_operands(node)
        parts = [string_value(o, scope) for o in operands]
        if all(p is None for p in parts):
            return None
        pairs = zip(parts, operands, strict=True)
        return "".join(p if p is not None else _placeholder(o) for p, o in pairs)
    if kind == "method_invocation" and ftext(node.child_by_field_name("name")) == "toString":
        return string_value(node.child_by_field_name("object"), scope)
    if kind == "object_creation_expression" and \
            type_ref(node.child_by_field_name("type"))[0] in BUILDERS:
        args = arguments(node)
        return (string_value(args[0], scope) or "") if args else ""
    return None


def _placeholder(node: Node) -> str:
    """A host-variable stand-in for a non-literal part of concatenated SQL."""
    name = re.sub(r"\W+", "_", ftext(node)).strip("_")[:30] or "value"
    return f":{name}"


def sql_argument(node: Node, scope: Scope) -> str | Desc | None:
    """SQL text a call argument carries, or a constant's descriptor for the linker to read."""
    value = string_value(node, scope)
    if value is not None:
        if looks_like_sql(value):
            inner = unparen(node)
            if inner.type == "identifier" or inner.type == "method_invocation":
                scope.consumed.add(ftext(inner).split(".")[0])
            return value
        return None
    inner = unparen(node)
    if inner.type == "identifier" and scope.lookup(ftext(inner)) is None:
        name = ftext(inner)
        return ("name", name) if _CONSTANT.match(name) or _SQL_NAME.search(name) else None
    if inner.type == "field_access":
        name = ftext(inner.child_by_field_name("field"))
        if _CONSTANT.match(name) or _SQL_NAME.search(name):
            return describe(inner, scope)
    return None


def call_site(node: Node, scope: Scope, owner: str, procedure: str,
              anonymous: tuple[TypeRef, ...]) -> CallSite | None:
    """The call site of an invocation, object creation or explicit constructor call."""
    args = tuple(describe(a, scope) for a in arguments(node))
    kind = node.type
    if kind == "method_invocation":
        obj = node.child_by_field_name("object")
        return CallSite(owner, procedure, ftext(node.child_by_field_name("name")), "method",
                        describe(obj, scope) if obj is not None else None, args, line(node),
                        anonymous=anonymous)
    if kind == "object_creation_expression":
        created = type_ref(node.child_by_field_name("type"))
        return CallSite(owner, procedure, created[0].rsplit(".", 1)[-1], "new", None, args,
                        line(node), created=created, anonymous=anonymous)
    if kind == "explicit_constructor_invocation":
        which = ftext(node.child_by_field_name("constructor"))
        return CallSite(owner, procedure, which, "super" if which == "super" else "this", None,
                        args, line(node), anonymous=anonymous)
    return None
