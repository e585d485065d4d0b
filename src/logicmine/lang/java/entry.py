"""Entry points of a Java estate: main, servlets, JAX-RS, Spring MVC, EJB, MDB, JSF, timers.

Deployment descriptors (WEB-INF/web.xml, META-INF/ejb-jar.xml) are read when given; classes
they name count like annotated ones. Each entry carries a short reason for the docs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ...model import Diagnostic
from .facts import Annotation, MethodFacts, TypeFacts
from .index import TypeIndex
from .syntax import annotation_value

_SERVLET_METHODS = ("service", "doGet", "doPost", "doPut", "doDelete", "doHead", "doOptions",
                    "doTrace")
_HTTP = {"GET": "GET", "POST": "POST", "PUT": "PUT", "DELETE": "DELETE", "HEAD": "HEAD",
         "OPTIONS": "OPTIONS", "PATCH": "PATCH"}
_SPRING = {"RequestMapping": "", "GetMapping": "GET", "PostMapping": "POST",
           "PutMapping": "PUT", "DeleteMapping": "DELETE", "PatchMapping": "PATCH"}
_LIBRARY_PACKAGES = ("java.", "javax.", "jakarta.", "org.apache.struts.", "org.springframework.",
                     "org.quartz.")
_TIMERS = frozenset({"Scheduled", "Schedule", "Schedules", "Timeout"})
# (ancestor simple name, methods that are entry points, reason)
_BY_ANCESTOR = (
    ("Filter", ("doFilter",), "servlet filter"),
    ("ServletContextListener", ("contextInitialized", "contextDestroyed"), "web listener"),
    ("HttpSessionListener", ("sessionCreated", "sessionDestroyed"), "web listener"),
    ("MessageListener", ("onMessage",), "message listener"),
    ("Action", ("execute",), "Struts action"),
    ("DispatchAction", ("execute",), "Struts action"),
    ("AbstractController", ("handleRequestInternal",), "Spring controller"),
    ("Controller", ("handleRequest",), "Spring controller"),
    ("Job", ("execute",), "Quartz job"),
    ("TimerTask", ("run",), "timer task"),
)


@dataclass(slots=True)
class Descriptors:
    """What web.xml and ejb-jar.xml files declare, by class FQN."""

    servlets: dict[str, list[str]] = field(default_factory=dict)  # class -> URL patterns
    filters: set[str] = field(default_factory=set)
    listeners: set[str] = field(default_factory=set)
    session_beans: set[str] = field(default_factory=set)
    message_beans: set[str] = field(default_factory=set)


def read_descriptors(xml_texts: dict[str, str]) -> tuple[Descriptors, list[Diagnostic]]:
    """Servlets, filters, listeners and EJBs declared in deployment descriptors."""
    found = Descriptors()
    diagnostics = []
    for path in sorted(xml_texts):
        try:
            root = ET.fromstring(xml_texts[path])
        except ET.ParseError as exc:
            diagnostics.append(Diagnostic(path, exc.position[0] if exc.position else 0,
                                          "warning", "java-descriptor",
                                          f"deployment descriptor not readable: {exc}"))
            continue
        _strip_namespaces(root)
        _web(root, found)
        _ejb(root, found)
    return found, diagnostics


def _strip_namespaces(root: ET.Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]


def _text(element: ET.Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _web(root: ET.Element, found: Descriptors) -> None:
    classes = {_text(s, "servlet-name"): _text(s, "servlet-class") for s in root.iter("servlet")}
    for cls in sorted(classes.values()):
        if cls:
            found.servlets.setdefault(cls, [])
    for mapping in root.iter("servlet-mapping"):
        cls = classes.get(_text(mapping, "servlet-name"), "")
        if cls:
            found.servlets[cls].extend((p.text or "").strip() for p in mapping.iter("url-pattern"))
    found.filters.update(_text(f, "filter-class") for f in root.iter("filter"))
    found.listeners.update(_text(f, "listener-class") for f in root.iter("listener"))


def _ejb(root: ET.Element, found: Descriptors) -> None:
    found.session_beans.update(_text(s, "ejb-class") for s in root.iter("session"))
    found.message_beans.update(_text(s, "ejb-class") for s in root.iter("message-driven"))


def entry_points(index: TypeIndex, descriptors: Descriptors) -> dict[str, dict[str, str]]:
    """FQN -> {method key: reason} for every entry point found."""
    result: dict[str, dict[str, str]] = {}
    for fqn in index.order:
        facts = index.types[fqn]
        found: dict[str, str] = {}
        ancestors = _ancestor_names(index, fqn)
        _main(facts, found)
        _servlet(index, facts, ancestors, descriptors, found, result)
        _annotated(facts, found)
        _beans(facts, ancestors, descriptors, found)
        _by_ancestor(facts, ancestors, descriptors, found)
        if found:
            result.setdefault(fqn, {}).update(found)
    return {fqn: dict(sorted(found.items())) for fqn, found in sorted(result.items())}


def _ancestor_names(index: TypeIndex, fqn: str) -> set[str]:
    """Simple names of library supertypes (repository copies of library types count too)."""
    names = {a.rsplit(".", 1)[-1] for a in index.external_ancestors(fqn)}
    names.update(a.rsplit(".", 1)[-1] for a in index.ancestors(fqn)
                 if a.startswith(_LIBRARY_PACKAGES))
    return names


def _notes(item: TypeFacts | MethodFacts) -> dict[str, Annotation]:
    return {a.simple: a for a in item.annotations}


def _main(facts: TypeFacts, found: dict[str, str]) -> None:
    for method in facts.methods:
        if method.name == "main" and method.is_static and len(method.params) == 1 and \
                method.params[0][1][0].endswith("String") and method.params[0][1][2] == 1:
            found[method.key] = "main program"


def _servlet(index: TypeIndex, facts: TypeFacts, ancestors: set[str], descriptors: Descriptors,
             found: dict[str, str], result: dict[str, dict[str, str]]) -> None:
    notes = _notes(facts)
    patterns = list(descriptors.servlets.get(facts.fqn, ()))
    if "WebServlet" in notes:
        note = notes["WebServlet"]
        patterns += annotation_value(note, "urlPatterns") or annotation_value(note)
    servlet = patterns or facts.fqn in descriptors.servlets or "WebServlet" in notes or \
        ancestors & {"HttpServlet", "GenericServlet", "Servlet"}
    if not servlet or facts.is_abstract:
        return
    reason = "servlet " + " ".join(sorted(set(patterns))) if patterns else "servlet"
    for name in _SERVLET_METHODS:  # handlers the servlet declares or inherits from our code
        for owner, method in index.find_methods(facts.fqn, name, 2):
            target = found if owner == facts.fqn else result.setdefault(owner, {})
            target.setdefault(method.key, reason.strip())


def _annotated(facts: TypeFacts, found: dict[str, str]) -> None:
    type_notes = _notes(facts)
    base = _path(type_notes.get("Path")) or _path(type_notes.get("RequestMapping"))
    spring = "Controller" in type_notes or "RestController" in type_notes
    for method in facts.methods:
        notes = _notes(method)
        http = [_HTTP[n] for n in notes if n in _HTTP]
        if http:
            found[method.key] = f"HTTP {'/'.join(http)} {base}{_path(notes.get('Path'))}".strip()
        mapped = [n for n in notes if n in _SPRING]
        if spring and mapped:
            verb = _SPRING[mapped[0]] or "request"
            found[method.key] = f"HTTP {verb} {base}{_path(notes[mapped[0]])}".strip()
        if _TIMERS & set(notes):
            found[method.key] = "timer"


def _path(note: Annotation | None) -> str:
    if note is None:
        return ""
    values = annotation_value(note) or annotation_value(note, "path")
    return values[0] if values else ""


def _beans(facts: TypeFacts, ancestors: set[str], descriptors: Descriptors,
           found: dict[str, str]) -> None:
    notes = _notes(facts)
    if notes.keys() & {"Stateless", "Stateful", "Singleton"} or \
            facts.fqn in descriptors.session_beans:
        for method in facts.methods:
            if method.kind == "method" and method.is_public and not method.is_static:
                found.setdefault(method.key, "EJB business method")
    if "MessageDriven" in notes or facts.fqn in descriptors.message_beans:
        for method in facts.methods:
            if method.name == "onMessage":
                found[method.key] = "message-driven bean"
    if notes.keys() & {"ManagedBean", "Named"}:
        for method in facts.methods:
            if method.kind == "method" and method.is_public and not method.params and \
                    method.returns is not None and method.returns[0] == "String" and \
                    not method.name.startswith(("get", "is")):
                found.setdefault(method.key, "JSF action")


def _by_ancestor(facts: TypeFacts, ancestors: set[str], descriptors: Descriptors,
                 found: dict[str, str]) -> None:
    if facts.is_abstract:
        return
    named = {"Filter"} if facts.fqn in descriptors.filters or "WebFilter" in _notes(facts) \
        else set()
    if facts.fqn in descriptors.listeners or "WebListener" in _notes(facts):
        named |= {"ServletContextListener", "HttpSessionListener"}
    for ancestor, methods, reason in _BY_ANCESTOR:
        if ancestor in ancestors or ancestor in named:
            for method in facts.methods:
                if method.name in methods:
                    found.setdefault(method.key, reason)
