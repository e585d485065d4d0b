"""The estate-wide type index: names to FQNs, the class hierarchy, members by name."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ...model import Diagnostic
from .facts import FieldFacts, JavaFileFacts, MethodFacts, TypeFacts, TypeRef

# java.lang names every file sees without an import
_JAVA_LANG = frozenset("""Object String StringBuilder StringBuffer Math StrictMath System Integer
Long Short Byte Character Boolean Double Float Number Enum Class Thread Runnable Exception
RuntimeException Error Throwable IllegalArgumentException IllegalStateException
NullPointerException NumberFormatException ArithmeticException UnsupportedOperationException
IndexOutOfBoundsException ClassCastException CloneNotSupportedException InterruptedException
Iterable Comparable CharSequence Override Deprecated SuppressWarnings Void Process Runtime
SecurityException ClassNotFoundException""".split())
# where common simple names live, for files that import them on demand (`import java.sql.*`)
_KNOWN_PACKAGES = {
    "java.util": "List ArrayList LinkedList Map HashMap TreeMap LinkedHashMap Set HashSet TreeSet "
                 "Collection Collections Iterator Vector Hashtable Enumeration Date Calendar "
                 "Properties Arrays Optional Objects Locale Queue Deque ArrayDeque Random",
    "java.sql": "Connection PreparedStatement CallableStatement Statement ResultSet SQLException "
                "DriverManager Timestamp Types ResultSetMetaData",
    "java.math": "BigDecimal BigInteger RoundingMode MathContext",
    "java.io": "IOException PrintWriter InputStream OutputStream Serializable File Reader Writer "
               "BufferedReader FileReader PrintStream",
    "javax.servlet.http": "HttpServlet HttpServletRequest HttpServletResponse HttpSession",
    "javax.servlet": "ServletException ServletContext RequestDispatcher ServletConfig Filter",
    "javax.sql": "DataSource",
}
_PACKAGE_OF = {name: pkg for pkg, names in _KNOWN_PACKAGES.items() for name in names.split()}


@dataclass(frozen=True, slots=True)
class RType:
    """A resolved type: FQN (repo types) or best known name (others), with type arguments."""

    name: str
    args: tuple[RType, ...] = ()
    dims: int = 0
    internal: bool = False
    static: bool = False  # the expression names the type itself (Type.member)

    @property
    def simple(self) -> str:
        """Name without package or outer types."""
        return self.name.rsplit(".", 1)[-1]


EXTERNAL = RType("?")  # some type outside the repository, name unknown


class TypeIndex:
    """Every parsed type, by FQN, with its file's imports and its place in the hierarchy."""

    def __init__(self, files: list[JavaFileFacts]) -> None:
        self.types: dict[str, TypeFacts] = {}
        self.file_of: dict[str, JavaFileFacts] = {}
        self.diagnostics: list[Diagnostic] = []
        for facts in sorted(files, key=lambda f: f.path):
            for type_facts in facts.types:
                self._add(facts, type_facts)
        self.order = list(self.types)
        self.methods = {fqn: _by_name(t.methods) for fqn, t in self.types.items()}
        self.fields = {fqn: {f.name: f for f in t.fields} for fqn, t in self.types.items()}
        self.type_name = lru_cache(maxsize=None)(self._type_name)
        self.supers: dict[str, tuple[RType, ...]] = {}
        self._ancestors: dict[str, list[str]] = {}
        supers = {fqn: self._direct_supers(t) for fqn, t in self.types.items()}
        self.supers = supers
        self.type_name.cache_clear()  # names seen before the hierarchy was known
        self._ancestors.clear()
        self._found: dict[tuple[str, str, int], list[tuple[str, MethodFacts]]] = {}
        self.subtypes = self._subtypes()

    def _add(self, facts: JavaFileFacts, type_facts: TypeFacts) -> None:
        if type_facts.fqn in self.types:
            first = self.types[type_facts.fqn]
            self.diagnostics.append(Diagnostic(
                type_facts.file, type_facts.line, "warning", "java-duplicate-type",
                f"{type_facts.fqn} is also declared in {first.file}; the first is used"))
            return
        self.types[type_facts.fqn] = type_facts
        self.file_of[type_facts.fqn] = facts

    # -- names
    def _type_name(self, written: str, context: str) -> tuple[str, bool]:
        """(FQN or best name, declared in the repository) of a type name used in `context`."""
        head, _, rest = written.partition(".")
        found = self._member_type(head, context) or self._file_level(head, context)
        if found is not None:
            return self._qualify(found, rest)
        parts = written.split(".")
        for cut in range(len(parts) - 1, 0, -1):  # a package-qualified name
            prefix = ".".join(parts[:cut])
            if prefix in self.types:
                return self._qualify(prefix, ".".join(parts[cut:]))
        if written in self.types:
            return written, True
        if "." not in written and written in _JAVA_LANG:
            return f"java.lang.{written}", False
        return written, False

    def _qualify(self, found: str, rest: str) -> tuple[str, bool]:
        name = f"{found}.{rest}" if rest else found
        return name, name in self.types

    def _member_type(self, head: str, context: str) -> str | None:
        current = context
        while current:
            facts = self.types.get(current)
            if facts is None:
                return None
            if facts.name == head:
                return current
            for owner in [current] + self.ancestors(current):
                if f"{owner}.{head}" in self.types:
                    return f"{owner}.{head}"
            current = facts.outer
        return None

    def _file_level(self, head: str, context: str) -> str | None:
        facts = self.file_of.get(context)
        if facts is None:
            return None
        for imported in facts.imports:
            if imported.rsplit(".", 1)[-1] == head:
                return imported
        local = f"{facts.package}.{head}" if facts.package else head
        if local in self.types:
            return local
        for package in facts.wildcards:
            if f"{package}.{head}" in self.types:
                return f"{package}.{head}"
        known = _PACKAGE_OF.get(head)
        if known is not None and known in facts.wildcards:
            return f"{known}.{head}"
        return None

    def rtype(self, ref: TypeRef | None, context: str, static: bool = False) -> RType | None:
        """A written type resolved in the context of type `context`."""
        if ref is None or not ref[0]:
            return None
        name, internal = self.type_name(ref[0], context)
        args = tuple(a for a in (self.rtype(r, context) for r in ref[1]) if a is not None)
        return RType(name, args, ref[2], internal, static)

    # -- hierarchy
    def _direct_supers(self, facts: TypeFacts) -> tuple[RType, ...]:
        refs = ([facts.superclass] if facts.superclass else []) + list(facts.interfaces)
        found = (self.rtype(r, facts.outer or facts.fqn) for r in refs)
        return tuple(t for t in found if t is not None)

    def superclass(self, fqn: str) -> RType | None:
        """The declared superclass (None for interfaces and classes without one)."""
        facts = self.types.get(fqn)
        if facts is None or facts.superclass is None:
            return None
        return self.supers[fqn][0] if self.supers[fqn] else None

    def ancestors(self, fqn: str) -> list[str]:
        """Repository supertypes, nearest first (superclass chain before interfaces)."""
        if fqn not in self._ancestors:
            self._ancestors[fqn] = self._walk_ancestors(fqn)
        return self._ancestors[fqn]

    def _walk_ancestors(self, fqn: str) -> list[str]:
        seen: dict[str, None] = {}
        queue = [s.name for s in self.supers.get(fqn, ()) if s.internal]
        while queue:
            current = queue.pop(0)
            if current in seen or current == fqn:
                continue
            seen[current] = None
            queue.extend(s.name for s in self.supers.get(current, ()) if s.internal)
        return list(seen)

    def external_ancestors(self, fqn: str) -> list[str]:
        """Supertypes outside the repository, of the type or any repository ancestor."""
        names: dict[str, None] = {}
        for owner in [fqn] + self.ancestors(fqn):
            for sup in self.supers.get(owner, ()):
                if not sup.internal:
                    names.setdefault(sup.name, None)
        return list(names)

    def _subtypes(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for fqn in self.order:
            for sup in self.supers[fqn]:
                if sup.internal:
                    children.setdefault(sup.name, []).append(fqn)
        result: dict[str, list[str]] = {}
        for fqn in self.order:
            seen: dict[str, None] = {}
            stack = list(children.get(fqn, []))
            while stack:
                current = stack.pop(0)
                if current not in seen and current != fqn:
                    seen[current] = None
                    stack.extend(children.get(current, []))
            result[fqn] = sorted(seen)
        return result

    # -- members
    def find_methods(self, fqn: str, name: str, argc: int) -> list[tuple[str, MethodFacts]]:
        """Methods `name` taking argc arguments, from the nearest type declaring any."""
        key = (fqn, name, argc)
        if key not in self._found:
            self._found[key] = self._find_methods(fqn, name, argc)
        return self._found[key]

    def _find_methods(self, fqn: str, name: str, argc: int) -> list[tuple[str, MethodFacts]]:
        for owner in [fqn] + self.ancestors(fqn):
            matching = [m for m in self.methods.get(owner, {}).get(name, ())
                        if arity_fits(m, argc)]
            if matching:
                return [(owner, m) for m in matching]
        return []

    def find_field(self, fqn: str, name: str) -> tuple[str, FieldFacts] | None:
        """A field declared by the type or inherited from a repository supertype."""
        for owner in [fqn] + self.ancestors(fqn):
            found = self.fields.get(owner, {}).get(name)
            if found is not None:
                return owner, found
        return None

    def enclosing(self, fqn: str) -> list[str]:
        """The type and its enclosing types, innermost first."""
        chain = []
        current = fqn
        while current and current in self.types:
            chain.append(current)
            current = self.types[current].outer
        return chain


def _by_name(methods: tuple[MethodFacts, ...]) -> dict[str, list[MethodFacts]]:
    found: dict[str, list[MethodFacts]] = {}
    for method in methods:
        found.setdefault(method.name, []).append(method)
    return found


def arity_fits(method: MethodFacts, argc: int) -> bool:
    """A call with argc arguments can reach the method (varargs included)."""
    count = len(method.params)
    return count == argc or (method.varargs and argc >= count - 1)
