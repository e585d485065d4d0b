"""Per-file Java facts: picklable values a worker returns, linked later across the whole estate.

Types are kept as written (`TypeRef`) and receivers of calls as small descriptors (`Desc`),
because only the global index of every parsed file can say what a simple name stands for.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Diagnostic, ExecBlock, Statement

# A type as written: (name as written, type arguments, array dimensions), e.g.
# ("List", (("Order", (), 0),), 0) for List<Order>. Primitives keep their keyword.
TypeRef = tuple
# A receiver descriptor, a nested tuple whose first item says what it is:
#   ("type", TypeRef)          declared type (locals, parameters, casts, literals)
#   ("name", ident)            a bare identifier that is no local: field, type or package
#   ("this",) ("super",)
#   ("field", Desc, name)      base.name
#   ("call", Desc | None, name, argc)   the value of a call
#   ("new", TypeRef)           a new object
#   ("elem", Desc)             element of an array or collection (enhanced for, a[i])
#   ("unknown",)
Desc = tuple

UNKNOWN: Desc = ("unknown",)


@dataclass(frozen=True, slots=True)
class Annotation:
    """An annotation as written: simple or qualified name and its argument text."""

    name: str
    args: str
    line: int

    @property
    def simple(self) -> str:
        """Name without its package."""
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True, slots=True)
class FieldFacts:
    """A field (or enum constant) of a type."""

    name: str
    type: TypeRef
    type_text: str
    value: str  # initializer text, whitespace folded
    line: int
    modifiers: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    string_value: str | None = None  # the constant's text when built from string literals
    enum_constant: bool = False


@dataclass(frozen=True, slots=True)
class MethodFacts:
    """A method or constructor declaration."""

    name: str
    key: str  # procedure name: `name`, or `name(T1,T2)` when the type overloads `name`
    kind: str  # method, constructor
    line: int
    end_line: int
    params: tuple[tuple[str, TypeRef], ...] = ()
    returns: TypeRef | None = None
    modifiers: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    has_body: bool = True
    varargs: bool = False

    @property
    def is_static(self) -> bool:
        """Declared static."""
        return "static" in self.modifiers

    @property
    def is_public(self) -> bool:
        """Declared public."""
        return "public" in self.modifiers


@dataclass(frozen=True, slots=True)
class CallSite:
    """One invocation, with what the file alone can say about its receiver."""

    owner: str  # FQN of the type whose code holds the call
    procedure: str  # method key of the caller ('' for field initializers)
    name: str  # method name; the type's simple name for `new`, super(...) and this(...)
    kind: str  # method, new, super, this
    receiver: Desc | None  # None for an unqualified call
    args: tuple[Desc, ...]
    line: int
    created: TypeRef | None = None  # the type of `new T(...)`
    anonymous: tuple[TypeRef, ...] = ()  # super types of anonymous classes around the call


@dataclass(frozen=True, slots=True)
class PendingSql:
    """A statement whose SQL is a constant only the linker can read (statement index, Desc)."""

    index: int
    ref: Desc


@dataclass(frozen=True, slots=True)
class TypeFacts:
    """A class, interface, enum, record or annotation type of one file."""

    fqn: str
    name: str
    kind: str  # class, interface, enum, record, annotation
    file: str
    line: int
    end_line: int
    outer: str = ""  # FQN of the enclosing type
    modifiers: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    superclass: TypeRef | None = None
    interfaces: tuple[TypeRef, ...] = ()
    fields: tuple[FieldFacts, ...] = ()
    methods: tuple[MethodFacts, ...] = ()
    statements: tuple[Statement, ...] = ()
    calls: tuple[CallSite, ...] = ()
    pending_sql: tuple[PendingSql, ...] = ()
    sql_blocks: tuple[ExecBlock, ...] = ()  # SQL outside methods (@NamedQuery)
    code_lines: int = 0
    error_lines: int = 0
    too_deep: tuple[int, ...] = ()  # lines of methods nested beyond Python's stack

    @property
    def is_abstract(self) -> bool:
        """An interface or an abstract class."""
        return self.kind == "interface" or "abstract" in self.modifiers


@dataclass(frozen=True, slots=True)
class JavaFileFacts:
    """Everything one .java file says, before linking."""

    path: str
    package: str = ""
    imports: tuple[str, ...] = ()  # single-type imports, FQN
    wildcards: tuple[str, ...] = ()  # on-demand imports, the package or type before `.*`
    static_imports: tuple[tuple[str, str], ...] = ()  # (type FQN, member or '*')
    types: tuple[TypeFacts, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    lines: int = 0
