"""Java front end: one .java file -> JavaFileFacts (types, members, statements, call sites).

Runs in a worker process; everything returned is picklable. Names are resolved later, across
all files, by `link.link_java`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from tree_sitter import Node, Parser, Query, QueryCursor

from ...model import Diagnostic, ExecBlock
from ...resources import read_text
from .body import BodyWalker
from .exprs import Scope, string_value
from .facts import FieldFacts, JavaFileFacts, MethodFacts, TypeFacts
from .syntax import (
    children_of,
    end_line,
    fold,
    ftext,
    line,
    looks_like_sql,
    modifiers,
    text,
    type_ref,
)

_TYPE_KINDS = {"class_declaration": "class", "interface_declaration": "interface",
               "enum_declaration": "enum", "record_declaration": "record",
               "annotation_type_declaration": "annotation"}
_BODIES = frozenset({"class_body", "interface_body", "enum_body", "enum_body_declarations",
                     "annotation_type_body"})
_LOCAL_SCOPES = frozenset({"block", "constructor_body", "lambda_expression",
                           "object_creation_expression", "switch_block"})
_IMPORT = re.compile(r"^import\s+(static\s+)?([\w.$]+?)(\.\*)?\s*;?$")
_MAX_SYNTAX_DIAGNOSTICS = 20


@cache
def _parser() -> Parser:
    from tree_sitter_language_pack import get_parser

    return get_parser("java")


@cache
def _query(name: str) -> Query:
    from tree_sitter_language_pack import get_language

    return Query(get_language("java"), read_text("parsers", f"java/{name}.scm"))


def parse_java_file(source: str, path: str) -> JavaFileFacts:
    """Facts of one Java source file (repo-relative POSIX `path`)."""
    tree = _parser().parse(source.encode("utf-8"))
    captures = QueryCursor(_query("declarations")).captures(tree.root_node)
    package = ftext(captures["package"][0]) if captures.get("package") else ""
    imports, wildcards, statics = _imports(captures.get("import", []))
    error_lines = _error_lines(captures.get("error", []) + captures.get("missing", []))
    lines = source.split("\n")
    types = [
        _type_facts(node, fqn, outer, path, lines, error_lines)
        for node, fqn, outer in _declared_types(captures.get("type", []), package)
    ]
    diagnostics = _syntax_diagnostics(captures.get("error", []), path)
    diagnostics += _missing_diagnostics(captures.get("missing", []), path)
    diagnostics += _completeness(tree.root_node, types, path)
    diagnostics += [Diagnostic(path, at, "warning", "java-too-deep",
                               "this method nests too deeply to analyse; its statements may be "
                               "incomplete") for t in types for at in t.too_deep]
    return JavaFileFacts(path=path, package=package, imports=imports, wildcards=wildcards,
                         static_imports=statics, types=tuple(types),
                         diagnostics=tuple(diagnostics), lines=len(lines))


def _imports(nodes: list[Node]):
    imports, wildcards, statics = [], [], []
    for node in sorted(nodes, key=lambda n: n.start_byte):
        match = _IMPORT.match(fold(re.sub(r"/\*.*?\*/|//[^\n]*", "", text(node), flags=re.S)))
        if not match:
            continue
        name = match.group(2)
        if match.group(1):
            owner, _, member = name.rpartition(".")
            statics.append((name, "*") if match.group(3) else (owner, member))
        elif match.group(3):
            wildcards.append(name)
        else:
            imports.append(name)
    return tuple(imports), tuple(wildcards), tuple(statics)


def _declared_types(nodes: list[Node], package: str) -> list[tuple[Node, str, str]]:
    """(node, FQN, outer FQN) of member types in source order; local classes are left out."""
    found = []
    for node in sorted(nodes, key=lambda n: n.start_byte):
        chain = _enclosing_types(node)
        if chain is None:
            continue
        names = [ftext(n.child_by_field_name("name")) for n in chain + [node]]
        prefix = f"{package}." if package else ""
        outer = prefix + ".".join(names[:-1]) if len(names) > 1 else ""
        found.append((node, prefix + ".".join(names), outer))
    return found


def _enclosing_types(node: Node) -> list[Node] | None:
    """Enclosing type declarations, outermost first; None inside a method or initializer."""
    chain = []
    parent = node.parent
    while parent is not None:
        if parent.type in _LOCAL_SCOPES:
            return None
        if parent.type in _TYPE_KINDS:
            chain.append(parent)
        parent = parent.parent
    return list(reversed(chain))


def _type_facts(node: Node, fqn: str, outer: str, path: str, lines: list[str],
                error_lines: set[int]) -> TypeFacts:
    mods, notes = modifiers(node)
    kind = _TYPE_KINDS[node.type]
    members = _members(node)
    methods = _methods(members, ftext(node.child_by_field_name("name")))
    fields = _fields(node, members)
    walker = BodyWalker(fqn, path)
    _walk_members(walker, members, methods)
    first, last = line(node), end_line(node)
    return TypeFacts(
        fqn=fqn, name=ftext(node.child_by_field_name("name")), kind=kind, file=path,
        line=first, end_line=last, outer=outer, modifiers=mods, annotations=notes,
        superclass=_superclass(node), interfaces=_interfaces(node, kind), fields=fields,
        methods=tuple(methods.values()), statements=tuple(walker.statements),
        calls=tuple(walker.calls), pending_sql=tuple(walker.pending),
        sql_blocks=tuple(_named_queries(node, path)), too_deep=tuple(walker.too_deep),
        code_lines=sum(1 for i in range(first - 1, min(last, len(lines))) if lines[i].strip()),
        error_lines=sum(1 for i in range(first, last + 1) if i in error_lines),
    )


def _members(node: Node) -> list[Node]:
    body = node.child_by_field_name("body")
    if body is None:
        return []
    members = []
    for child in body.named_children:
        if child.type == "enum_body_declarations":
            members.extend(child.named_children)
        else:
            members.append(child)
    return members


def _methods(members: list[Node], type_name: str) -> dict[int, MethodFacts]:
    """Methods and constructors by node id; overloaded names get `name(T1,T2)` keys."""
    decls = [m for m in members if m.type in ("method_declaration", "constructor_declaration",
                                              "compact_constructor_declaration")]
    counts = Counter(_method_name(m, type_name) for m in decls)
    result = {}
    for member in decls:
        name = _method_name(member, type_name)
        params = _params(member)
        key = name if counts[name] == 1 else f"{name}({','.join(p[2] for p in params)})"
        mods, notes = modifiers(member)
        returns = member.child_by_field_name("type")
        result[member.id] = MethodFacts(
            name=name, key=key, kind="method" if member.type == "method_declaration"
            else "constructor", line=line(member), end_line=end_line(member),
            params=tuple((p[0], p[1]) for p in params),
            returns=type_ref(returns) if returns is not None else None, modifiers=mods,
            annotations=notes, has_body=member.child_by_field_name("body") is not None,
            varargs=any(p[3] for p in params))
    for member in members:
        if member.type in ("static_initializer", "block"):
            key = "<clinit>" if member.type == "static_initializer" else "<init>"
            result[member.id] = MethodFacts(name=key, key=key, kind="method", line=line(member),
                                            end_line=end_line(member),
                                            modifiers=("static",) if key == "<clinit>" else ())
    return result


def _method_name(member: Node, type_name: str) -> str:
    if member.type == "method_declaration":
        return ftext(member.child_by_field_name("name"))
    return type_name


def _params(member: Node) -> list[tuple[str, tuple, str, bool]]:
    """(name, type, key spelling, varargs) of each formal parameter."""
    node = member.child_by_field_name("parameters")
    found = []
    for param in children_of(node, "formal_parameter", "spread_parameter") if node else []:
        spread = param.type == "spread_parameter"
        type_node = next((c for c in param.named_children if c.type not in
                          ("modifiers", "variable_declarator", "identifier")), None)
        ref = type_ref(param.child_by_field_name("type") or type_node)
        name_node = param.child_by_field_name("name") or next(
            (c.child_by_field_name("name") for c in param.named_children
             if c.type == "variable_declarator"), None)
        dims = ftext(param.child_by_field_name("dimensions")).count("[")
        ref = (ref[0], ref[1], ref[2] + dims + (1 if spread else 0))
        spelled = ref[0].rsplit(".", 1)[-1] + "[]" * (ref[2] - spread) + ("..." if spread else "")
        found.append((ftext(name_node), ref, spelled, spread))
    return found


def _fields(node: Node, members: list[Node]) -> tuple[FieldFacts, ...]:
    fields: list[FieldFacts] = []
    constants = Scope()
    type_name = ftext(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    for const in children_of(body, "enum_constant") if body is not None else []:
        args = const.child_by_field_name("arguments")
        fields.append(FieldFacts(ftext(const.child_by_field_name("name")), (type_name, (), 0),
                                 type_name, ftext(args)[1:-1] if args else "", line(const),
                                 enum_constant=True))
    for member in members:
        if member.type in ("field_declaration", "constant_declaration"):
            fields.extend(_field_entries(member, constants))
    return tuple(fields)


def _field_entries(member: Node, constants: Scope) -> list[FieldFacts]:
    mods, notes = modifiers(member)
    ref = type_ref(member.child_by_field_name("type"))
    entries = []
    for decl in children_of(member, "variable_declarator"):
        name = ftext(decl.child_by_field_name("name"))
        value = decl.child_by_field_name("value")
        literal = string_value(value, constants) if value is not None else None
        if literal is not None:
            constants.strings[name] = literal
        dims = ftext(decl.child_by_field_name("dimensions")).count("[")
        entries.append(FieldFacts(name, (ref[0], ref[1], ref[2] + dims),
                                  ftext(member.child_by_field_name("type")) + "[]" * dims,
                                  ftext(value), line(decl), mods, notes, literal))
    return entries


def _walk_members(walker: BodyWalker, members: list[Node], methods: dict[int, MethodFacts]):
    for member in members:
        facts = methods.get(member.id)
        if facts is not None:
            body = member.child_by_field_name("body")
            if member.type in ("static_initializer", "block"):
                body = next(iter(children_of(member, "block")), None) \
                    if member.type == "static_initializer" else member
            try:
                walker.method(facts.key, facts.params, body)
            except RecursionError:  # nesting deeper than Python's stack: keep the rest
                walker.too_deep.append(facts.line)
        elif member.type in ("field_declaration", "constant_declaration"):
            for decl in children_of(member, "variable_declarator"):
                value = decl.child_by_field_name("value")
                if value is not None:
                    walker.field_initializer(value)


def _superclass(node: Node):
    sup = node.child_by_field_name("superclass")
    if sup is None or not sup.named_children:
        return None
    return type_ref(sup.named_children[-1])


def _interfaces(node: Node, kind: str) -> tuple:
    """Implemented interfaces (for an interface: the interfaces it extends)."""
    holder = node.child_by_field_name("interfaces") or next(
        iter(children_of(node, "super_interfaces", "extends_interfaces")), None)
    if holder is None:
        return ()
    type_list = next(iter(children_of(holder, "type_list")), holder)
    return tuple(type_ref(t) for t in type_list.named_children)


def _named_queries(node: Node, path: str) -> list[ExecBlock]:
    """SQL/JPQL of @NamedQuery / @NamedNativeQuery `query` elements (in @NamedQueries too)."""
    mods = next(iter(children_of(node, "modifiers")), None)
    blocks = []
    stack = [mods] if mods is not None else []
    while stack:
        current = stack.pop()
        stack.extend(reversed(current.named_children))
        if current.type != "element_value_pair" or \
                ftext(current.child_by_field_name("key")) != "query":
            continue
        value = current.child_by_field_name("value")
        sql = string_value(value, Scope()) if value is not None else None
        if value is not None and sql is not None and looks_like_sql(sql):
            blocks.append(ExecBlock("SQL", f"EXEC SQL {fold(sql)} END-EXEC", path, line(value),
                                    end_line(value)))
    return sorted(blocks, key=lambda b: b.line)


def _error_lines(nodes: list[Node]) -> set[int]:
    found: set[int] = set()
    for node in nodes:
        found.update(range(line(node), end_line(node) + 1))
    return found


def _syntax_diagnostics(nodes: list[Node], path: str) -> list[Diagnostic]:
    outer = [n for n in nodes if not any(p.type == "ERROR" for p in _ancestors(n))]
    outer.sort(key=lambda n: n.start_byte)
    found = [Diagnostic(path, line(n), "warning", "java-syntax",
                        f"the Java grammar could not read lines {line(n)}-{end_line(n)}; "
                        "facts there may be incomplete") for n in outer[:_MAX_SYNTAX_DIAGNOSTICS]]
    if len(outer) > _MAX_SYNTAX_DIAGNOSTICS:
        found.append(Diagnostic(path, 0, "warning", "java-syntax",
                                f"{len(outer) - _MAX_SYNTAX_DIAGNOSTICS} more unreadable regions"))
    return found


def _missing_diagnostics(nodes: list[Node], path: str) -> list[Diagnostic]:
    nodes = sorted(nodes, key=lambda n: n.start_byte)[:_MAX_SYNTAX_DIAGNOSTICS]
    return [Diagnostic(path, line(n), "warning", "java-syntax",
                       f"the Java grammar expected `{n.type}` here; facts nearby may be "
                       "incomplete") for n in nodes]


def _ancestors(node: Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _completeness(root: Node, types: list[TypeFacts], path: str) -> list[Diagnostic]:
    """Every invocation inside a member type should have become a call site."""
    nodes = QueryCursor(_query("invocations")).captures(root).get("call", [])
    inside = [n for n in nodes if _in_member_type(n)]
    seen = sum(len(t.calls) for t in types)
    if len(inside) <= seen:
        return []
    return [Diagnostic(path, 0, "info", "java-calls-skipped",
                       f"{len(inside) - seen} invocations (in local classes or unusual "
                       "positions) were not analysed")]


def _in_member_type(node: Node) -> bool:
    for parent in _ancestors(node):
        if parent.type in _TYPE_KINDS:
            return _enclosing_types(parent) is not None
    return False
