"""Scan an expression for call sites and SQL handed to calls; defer lambda and anonymous bodies."""

from __future__ import annotations

from tree_sitter import Node

from .exprs import BUILDERS, Scope, arguments, call_site, sql_argument
from .facts import UNKNOWN, CallSite, TypeRef
from .syntax import children_of, ftext, type_ref

_CALLS = frozenset({"method_invocation", "object_creation_expression",
                    "explicit_constructor_invocation"})


class Scanner:
    """Collects the call sites of one type's code, statement by statement."""

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.procedure = ""
        self.calls: list[CallSite] = []
        self.deferred: list[tuple[Node, tuple[TypeRef, ...]]] = []
        self.anonymous: tuple[TypeRef, ...] = ()

    def scan(self, node: Node | None, scope: Scope) -> list:
        """Record the calls under `node`; return SQL texts (or constant descriptors) they take."""
        hits: list = []
        if node is None:
            return hits
        stack = [node]  # explicit stack: long `+` chains nest deeper than Python recursion
        while stack:
            current = stack.pop()
            children = self._visit(current, scope, hits)
            stack.extend(reversed(children))
        return hits

    def _visit(self, node: Node, scope: Scope, hits: list) -> list[Node]:
        """Handle one node; return the children still to visit."""
        kind = node.type
        if kind == "lambda_expression":
            return self._lambda(node, scope)
        if kind in ("switch_block", "class_body", "block"):
            return []  # statement bodies: the body walker emits them
        if kind in _CALLS:
            site = call_site(node, scope, self.owner, self.procedure, self.anonymous)
            if site is not None:
                self.calls.append(site)
            builder = site is not None and site.created is not None and \
                site.created[0] in BUILDERS  # SQL built in steps: read where it is used
            for arg in [] if builder else arguments(node):
                hit = sql_argument(arg, scope)
                if hit is not None:
                    hits.append(hit)
            if kind == "object_creation_expression":
                self._anonymous_class(node, site)
        return list(node.named_children)

    def _lambda(self, node: Node, scope: Scope) -> list[Node]:
        params = node.child_by_field_name("parameters")
        if params is not None:
            for param in [params] if params.type == "identifier" else params.named_children:
                self._declare(param, scope)
        body = node.child_by_field_name("body")
        if body is not None and body.type == "block":
            self.deferred.append((body, self.anonymous))
            return []
        return [body] if body is not None else []

    def _declare(self, param: Node, scope: Scope) -> None:
        if param.type == "identifier":
            scope.declare(ftext(param), UNKNOWN)
        elif param.type in ("formal_parameter", "inferred_parameters"):
            name = param.child_by_field_name("name")
            if name is not None:
                scope.declare(ftext(name), ("type", type_ref(param.child_by_field_name("type"))))
            for ident in children_of(param, "identifier"):
                scope.declare(ftext(ident), UNKNOWN)

    def _anonymous_class(self, node: Node, site: CallSite | None) -> None:
        body = next(iter(children_of(node, "class_body")), None)
        if body is not None and site is not None and site.created is not None:
            self.deferred.append((body, (site.created,) + self.anonymous))
