"""Jinja filters for the small fragments every table repeats (links, citations, code lists).

Plain functions are several times cheaper than Jinja macro calls, and the big tables call them
tens of thousands of times; inside, they build plain strings (html.escape) and mark the result
safe once. Everything from the model is escaped here; only our own markup is marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from markupsafe import Markup

from logicmine.render.context import ClaimView, Link, Part


def link_html(value: Link) -> str:
    """`<a href>text</a>`, or the escaped text when there is nowhere to go (plain str)."""
    if value.href:
        return f'<a href="{escape(value.href)}">{escape(value.text, quote=False)}</a>'
    return escape(value.text, quote=False)


def cite_html(value: Link) -> str:
    """A `file:start-end` citation in its monospace span ('' when empty)."""
    return f'<span class="cite">{link_html(value)}</span>' if value.text else ""


def link(value: Link) -> Markup:
    """A link (see link_html)."""
    return Markup(link_html(value))


def cite(value: Link) -> Markup:
    """A citation (see cite_html)."""
    return Markup(cite_html(value))


def links(values: Iterable[Link], sep: str = ", ") -> Markup:
    """Links joined by `sep`."""
    return Markup(escape(sep, quote=False).join(link_html(v) for v in values))


def cites(values: Iterable[Link]) -> Markup:
    """Citations joined by spaces."""
    return Markup(" ".join(cite_html(v) for v in values))


def codes(values: Iterable[str], sep: str = ", ") -> Markup:
    """Each value as `<code>`, joined by `sep`."""
    return Markup(
        escape(sep, quote=False).join(f"<code>{escape(v, quote=False)}</code>" for v in values)
    )


def stmts(values: Iterable[str]) -> Markup:
    """Statements one per line, each as `<code>`."""
    return Markup("<br>".join(f"<code>{escape(v, quote=False)}</code>" for v in values))


def prose_html(parts: Iterable[Part]) -> str:
    """Text with its code spans (plain str)."""
    return "".join(
        f"<code>{escape(p.text, quote=False)}</code>" if p.code else escape(p.text, quote=False)
        for p in parts
    )


def prose(parts: Iterable[Part]) -> Markup:
    """Text with its code spans."""
    return Markup(prose_html(parts))


def claim(value: ClaimView) -> Markup:
    """A summary sentence followed by its citations."""
    return Markup(prose_html(value.parts) + "".join(" " + cite_html(c) for c in value.cites))


FILTERS = {
    "link": link,
    "cite": cite,
    "links": links,
    "cites": cites,
    "codes": codes,
    "stmts": stmts,
    "prose": prose,
    "claim": claim,
}
