"""Call resolution over the type index: receiver types, dispatch through interfaces, externals.

A receiver's type comes from locals and parameters (recorded by the front end), fields
(inherited ones too), `this`/`super`, static imports, declared return types of repository
methods, element types of generic collections and a few well-known JDK/JDBC return types.
A call on an interface or abstract type reaches the declaration and every implementation in
the repository (detail "interface"); on a concrete class, the declaration and its overrides
("virtual"); static methods are "static"; anything outside the repository is "external".
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import CallSite, Desc, FieldFacts, MethodFacts
from .index import EXTERNAL, RType, TypeIndex, arity_fits
from .syntax import looks_like_sql

_ELEMENT_GETTERS = frozenset({"get", "next", "nextElement", "remove", "poll", "peek", "pop",
                              "elementAt", "firstElement", "lastElement", "getFirst", "getLast",
                              "previous", "orElse", "orElseThrow", "take"})
_FLUENT = frozenset({"java.math.BigDecimal", "java.math.BigInteger", "java.lang.String",
                     "java.lang.StringBuilder", "java.lang.StringBuffer"})
_NOT_FLUENT = frozenset({"compareTo", "signum", "intValue", "longValue", "doubleValue", "equals",
                         "scale", "precision", "length", "charAt", "indexOf", "hashCode",
                         "toString", "isEmpty", "startsWith", "endsWith", "contains",
                         "equalsIgnoreCase", "split", "toCharArray", "getBytes", "matches",
                         "floatValue", "intValueExact", "longValueExact", "toPlainString",
                         "lastIndexOf", "compareToIgnoreCase", "getClass"})
_LIBRARY_RETURNS = {"prepareStatement": "java.sql.PreparedStatement",
                 "prepareCall": "java.sql.CallableStatement",
                 "createStatement": "java.sql.Statement", "executeQuery": "java.sql.ResultSet",
                 "getResultSet": "java.sql.ResultSet", "getGeneratedKeys": "java.sql.ResultSet",
                 "getConnection": "java.sql.Connection", "getString": "java.lang.String",
                 "getBigDecimal": "java.math.BigDecimal", "getParameter": "java.lang.String",
                 "getTimestamp": "java.sql.Timestamp", "getDate": "java.util.Date",
                 "getInt": "int", "getLong": "long", "getBoolean": "boolean",
                 "getDouble": "double", "toString": "java.lang.String",
                 "getRequestDispatcher": "javax.servlet.RequestDispatcher",
                 "getSession": "javax.servlet.http.HttpSession",
                 "getWriter": "java.io.PrintWriter"}
_OBJECT_METHODS = frozenset({"toString", "equals", "hashCode", "getClass", "clone", "finalize",
                             "wait", "notify", "notifyAll"})
_ENUM_METHODS = frozenset({"values", "valueOf", "ordinal", "name", "compareTo"})
_PRINT_STREAMS = {"out", "err"}


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one call site reaches: status resolved | external | unresolved, and its targets."""

    status: str
    targets: tuple[tuple[str, str], ...] = ()  # ("pkg.Class#key", detail)


class Resolver:
    """Types receivers and resolves call sites against one TypeIndex."""

    def __init__(self, index: TypeIndex) -> None:
        self.index = index
        self._types: dict[tuple[Desc, str], RType | None] = {}
        self._dispatch: dict[tuple[str, str, int], list[tuple[str, MethodFacts]]] = {}

    # -- receivers
    def typeof(self, desc: Desc, context: str) -> RType | None:
        """Static type of a described value inside type `context` (None when unknown)."""
        key = (desc, context)
        if key not in self._types:
            self._types[key] = self._typeof(desc, context)
        return self._types[key]

    def _typeof(self, desc: Desc, context: str) -> RType | None:
        tag = desc[0]
        if tag in ("type", "new"):
            return self.index.rtype(desc[1], context)
        if tag == "this":
            return RType(context, internal=context in self.index.types)
        if tag == "super":
            return self.index.superclass(context) or RType("java.lang.Object")
        if tag == "name":
            return self._name_type(desc[1], context)
        if tag == "field":
            return self._field_type(desc, context)
        if tag == "call":
            return self._call_type(desc, context)
        if tag == "elem":
            return _element(self.typeof(desc[1], context))
        return None

    def _name_type(self, name: str, context: str) -> RType | None:
        found = self.field(name, context)
        if found is not None:
            owner, field = found
            return self.index.rtype(field.type, owner)
        qualified, internal = self.index.type_name(name, context)
        if internal or qualified != name or name[:1].isupper():
            return RType(qualified, internal=internal, static=True)
        if any(self.index.external_ancestors(c) for c in self.index.enclosing(context)):
            return EXTERNAL  # most likely a field inherited from a library class
        return None

    def field(self, name: str, context: str) -> tuple[str, FieldFacts] | None:
        """A field visible by simple name: own and inherited, enclosing types, static imports."""
        for owner in self.index.enclosing(context):
            found = self.index.find_field(owner, name)
            if found is not None:
                return found
        facts = self.index.file_of.get(context)
        for type_name, member in facts.static_imports if facts else ():
            if member in (name, "*") and type_name in self.index.types:
                found = self.index.find_field(type_name, name)
                if found is not None:
                    return found
        return None

    def _field_type(self, desc: Desc, context: str) -> RType | None:
        base = self.typeof(desc[1], context)
        name = desc[2]
        if base is None:  # a package-qualified type name: com.acme.Util
            dotted = _dotted(desc)
            if not dotted:
                return None
            qualified, internal = self.index.type_name(dotted, context)
            return RType(qualified, internal=internal, static=True) \
                if internal or name[:1].isupper() else None
        if base.internal:
            found = self.index.find_field(base.name, name)
            if found is not None:
                return self.index.rtype(found[1].type, found[0])
            if f"{base.name}.{name}" in self.index.types:
                return RType(f"{base.name}.{name}", internal=True, static=True)
            return EXTERNAL if self.index.external_ancestors(base.name) else None
        if base.name == "java.lang.System" and name in _PRINT_STREAMS:
            return RType("java.io.PrintStream")
        if name == "length" and base.dims:
            return RType("int")
        return EXTERNAL

    def _call_type(self, desc: Desc, context: str) -> RType | None:
        _, receiver, name, argc = desc
        resolution, receiver_type = self._resolve_method(receiver, name, argc, (), context, ())
        for target, _detail in resolution.targets[:1] if resolution.status == "resolved" else ():
            owner, key = target.split("#", 1)
            method = next((m for m in self.index.types[owner].methods if m.key == key), None)
            if method is not None and method.returns is not None:
                return self.index.rtype(method.returns, owner)
        if resolution.status != "external":
            return None
        return _external_return(receiver_type, name)

    # -- call sites
    def resolve(self, site: CallSite) -> Resolution:
        """Targets of one call site."""
        if site.kind == "new":
            return self._construct(self.index.rtype(site.created, site.owner), site.args,
                                   site.owner)
        if site.kind in ("super", "this"):
            target = (self.index.superclass(site.owner) or RType("java.lang.Object")) \
                if site.kind == "super" else RType(site.owner, internal=True)
            return self._construct(target, site.args, site.owner)
        return self._resolve_method(site.receiver, site.name, len(site.args), site.args,
                                    site.owner, site.anonymous)[0]

    def _construct(self, created: RType | None, args: tuple, context: str) -> Resolution:
        if created is None:
            return Resolution("unresolved")
        if not created.internal:
            return Resolution("external", ((f"{created.name}#{created.simple}", "external"),))
        facts = self.index.types[created.name]
        found = [(created.name, m) for m in self.index.methods[created.name].get(facts.name, ())
                 if m.kind == "constructor" and arity_fits(m, len(args))]
        chosen = self._best(found, args, context)
        return Resolution("resolved", tuple((f"{o}#{m.key}", "constructor") for o, m in chosen))

    def _resolve_method(self, receiver: Desc | None, name: str, argc: int, args: tuple,
                        context: str, anonymous: tuple) -> tuple[Resolution, RType | None]:
        if receiver is None:
            return self._unqualified(name, argc, args, context, anonymous), None
        rtype = self.typeof(receiver, context)
        if rtype is None:
            return Resolution("unresolved"), None
        if receiver[0] == "super" and rtype.internal:
            found = self._best(self.index.find_methods(rtype.name, name, argc), args, context)
            if found:
                return Resolution("resolved", tuple((f"{o}#{m.key}", "virtual")
                                                    for o, m in found)), rtype
        return self._on_type(rtype, name, argc, args, context), rtype

    def _unqualified(self, name: str, argc: int, args: tuple, context: str,
                     anonymous: tuple) -> Resolution:
        for ref in anonymous:  # an anonymous class's own supertype comes first
            rtype = self.index.rtype(ref, context)
            if rtype is not None and rtype.internal and \
                    self.index.find_methods(rtype.name, name, argc):
                return self._on_type(rtype, name, argc, args, context)
        for owner in self.index.enclosing(context):
            if self.index.find_methods(owner, name, argc):
                return self._on_type(RType(owner, internal=True), name, argc, args, context)
        imported = self._static_import(name, argc, args, context)
        if imported is not None:
            return imported
        for owner in self.index.enclosing(context):
            outside = self.index.external_ancestors(owner)
            if outside:
                return Resolution("external", ((f"{outside[0]}#{name}", "external"),))
        return Resolution("unresolved")

    def _static_import(self, name: str, argc: int, args: tuple, context: str) -> Resolution | None:
        facts = self.index.file_of.get(context)
        for type_name, member in facts.static_imports if facts else ():
            if member not in (name, "*"):
                continue
            if type_name in self.index.types:
                found = self._best(self.index.find_methods(type_name, name, argc), args, context)
                if found:
                    return Resolution("resolved", tuple((f"{o}#{m.key}", "static")
                                                        for o, m in found))
            elif member == name:
                return Resolution("external", ((f"{type_name}#{name}", "external"),))
        return None

    def _on_type(self, rtype: RType, name: str, argc: int, args: tuple,
                 context: str) -> Resolution:
        if not rtype.internal:
            return Resolution("external", ((f"{rtype.name}#{name}", "external"),))
        found = self._best(self.index.find_methods(rtype.name, name, argc), args, context)
        if not found:
            return self._outside_repository(rtype, name)
        if all(m.is_static for _, m in found):
            return Resolution("resolved", tuple((f"{o}#{m.key}", "static") for o, m in found))
        facts = self.index.types[rtype.name]
        abstract = facts.is_abstract or any(not m.has_body for _, m in found)
        detail = "interface" if abstract else "virtual"
        targets = {f"{o}#{m.key}": detail for o, m in found}
        overrides = self._overrides(rtype.name, name, argc)
        for owner, method in self._best(overrides, args, context) if len(found) > 1 \
                else overrides:
            targets.setdefault(f"{owner}#{method.key}", detail)
        return Resolution("resolved", tuple(targets.items()))

    def _overrides(self, fqn: str, name: str, argc: int) -> list[tuple[str, MethodFacts]]:
        """Bodies of `name` that instances of the type's subtypes run (memoised)."""
        key = (fqn, name, argc)
        if key not in self._dispatch:
            seen: dict[tuple[str, str], tuple[str, MethodFacts]] = {}
            for sub in self.index.subtypes.get(fqn, ()):
                for owner, method in self.index.find_methods(sub, name, argc):
                    if method.has_body:
                        seen.setdefault((owner, method.key), (owner, method))
            self._dispatch[key] = list(seen.values())
        return self._dispatch[key]

    def _outside_repository(self, rtype: RType, name: str) -> Resolution:
        outside = self.index.external_ancestors(rtype.name)
        if outside:
            return Resolution("external", ((f"{outside[0]}#{name}", "external"),))
        if self.index.types[rtype.name].kind == "enum" and name in _ENUM_METHODS:
            return Resolution("external", ((f"java.lang.Enum#{name}", "external"),))
        if name in _OBJECT_METHODS:
            return Resolution("external", ((f"java.lang.Object#{name}", "external"),))
        return Resolution("unresolved")

    def _best(self, found: list[tuple[str, MethodFacts]], args: tuple,
              context: str) -> list[tuple[str, MethodFacts]]:
        """Overloads of equal arity narrowed by the argument types that are known."""
        if len(found) < 2 or not args:
            return found
        scores = [self._score(method, args, context) for _, method in found]
        best = max(scores)
        return [item for item, score in zip(found, scores, strict=True) if score == best]

    def _score(self, method: MethodFacts, args: tuple, context: str) -> int:
        score = 0
        for (_, param), arg in zip(method.params, args, strict=False):
            arg_type = self.typeof(arg, context)
            if arg_type is None or arg_type is EXTERNAL:
                continue
            score += 1 if arg_type.simple == param[0].rsplit(".", 1)[-1] else -1
        return score

    # -- SQL constants
    def sql_constant(self, desc: Desc, context: str) -> tuple[str, FieldFacts] | None:
        """The repository constant holding SQL that a descriptor names, if any."""
        found = None
        if desc[0] == "name":
            found = self.field(desc[1], context)
        elif desc[0] == "field":
            base = self.typeof(desc[1], context)
            if base is not None and base.internal:
                found = self.index.find_field(base.name, desc[2])
        if found is None or not looks_like_sql(found[1].string_value or ""):
            return None
        return found


def _dotted(desc: Desc) -> str:
    """`a.b.C` for a chain of names and field accesses ('' for anything else)."""
    if desc[0] == "name":
        return desc[1]
    if desc[0] == "field":
        base = _dotted(desc[1])
        return f"{base}.{desc[2]}" if base else ""
    return ""


def _element(container: RType | None) -> RType | None:
    if container is None:
        return None
    if container.dims:
        return RType(container.name, container.args, container.dims - 1, container.internal)
    if container.args:
        return container.args[-1] if container.simple.endswith("Map") else container.args[0]
    return EXTERNAL if not container.internal else None


def _external_return(receiver: RType | None, name: str) -> RType:
    """Return types of a few well-known library methods; anything else is some external type."""
    if name in _LIBRARY_RETURNS:
        return RType(_LIBRARY_RETURNS[name])
    if receiver is None:
        return EXTERNAL
    if receiver.name in _FLUENT and name not in _NOT_FLUENT:
        return RType(receiver.name)
    if name in _ELEMENT_GETTERS and receiver.args:
        return _element(receiver) or EXTERNAL
    if name in ("iterator", "listIterator", "elements") and receiver.args:
        return RType("java.util.Iterator", (receiver.args[-1],))
    if name in ("values",) and receiver.args:
        return RType("java.util.Collection", (receiver.args[-1],))
    if name in ("keySet",) and receiver.args:
        return RType("java.util.Set", (receiver.args[0],))
    return EXTERNAL
