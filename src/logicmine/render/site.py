"""Render the whole site: HTML pages, Markdown, rules.json, graph.json and static assets."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from logicmine.render import markdown
from logicmine.render.context import RenderInput
from logicmine.render.exports import graph_json, rules_json
from logicmine.render.links import Linker
from logicmine.render.lookup import Lookup
from logicmine.render.paths import OutputWriter
from logicmine.render.program_view import build_program
from logicmine.render.source import (
    build_source,
    kinds_by_path,
    pygments_css,
    read_sources,
    read_text,
    referenced_files,
    used_by,
)
from logicmine.render.views import DIAGNOSTICS, INDEX, build_diagnostics, build_index, build_job

log = logging.getLogger("logicmine.render")

STATIC_FILES = ("style.css", "site.js")
CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@cache
def html_environment() -> Environment:
    """Jinja environment for HTML pages: autoescaped, strict about missing values."""
    env = Environment(
        loader=PackageLoader("logicmine", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["csp"] = Markup(CSP)  # a constant of ours: written as is, quotes unescaped
    return env


@cache
def markdown_environment() -> Environment:
    """Jinja environment for Markdown documents (shared, built once)."""
    return markdown.environment()


def render_all(inp: RenderInput, out_dir: Path) -> list[str]:
    """Write the site into `out_dir` and return the relative paths written, sorted."""
    estate = inp.estate
    look = Lookup(estate, inp.graph)
    linker = Linker(estate, inp.graph, read_sources(referenced_files(estate), inp.read_source))
    writer = OutputWriter(out_dir)
    _write_pages(look, linker, inp, writer)
    _write_markdown(look, linker, inp, writer)
    _write_sources(linker, inp, writer)  # last: the other pages registered the cited ranges
    writer.write("rules.json", rules_json(estate))
    writer.write("graph.json", graph_json(inp.graph))
    _write_static(writer)
    log.info("rendered %d files into %s", len(writer.written()), out_dir)
    return writer.written()


def _render(writer: OutputWriter, relpath: str, template: str, page: Any) -> None:
    writer.write(
        relpath, html_environment().get_template(template).render(page=page, frame=page.frame)
    )


def _write_pages(look: Lookup, linker: Linker, inp: RenderInput, writer: OutputWriter) -> None:
    _render(writer, INDEX, "index.html", build_index(look, linker, inp.title, inp.fidelity_note))
    _render(writer, DIAGNOSTICS, "diagnostics.html", build_diagnostics(look, linker, inp.title))
    for program in look.programs():
        page = build_program(look, linker, program, inp.title)
        _render(writer, linker.programs[program.name], "program.html", page)
    seen: set[str] = set()
    for job in sorted(inp.estate.jobs, key=lambda j: (j.name, j.file)):
        if job.name in seen:
            log.warning("job %s is defined more than once; showing %s", job.name, job.file)
            continue
        seen.add(job.name)
        _render(writer, linker.jobs[job.name], "job.html", build_job(linker, job, inp.title))


def _write_markdown(look: Lookup, linker: Linker, inp: RenderInput, writer: OutputWriter) -> None:
    env = markdown_environment()
    index = markdown.build_index_doc(look, linker, inp.title, inp.fidelity_note)
    writer.write(markdown.MARKDOWN_INDEX, _tidy(env.get_template("index.md.j2").render(doc=index)))
    template = env.get_template("program.md.j2")
    for program in look.programs():
        doc = markdown.build_program_doc(look, program, inp.title)
        writer.write(linker.markdown[program.name], _tidy(template.render(doc=doc)))


def _tidy(text: str) -> str:
    """One newline at the end of a Markdown document, whatever the template's last block left."""
    return text.rstrip("\n") + "\n"


def _write_sources(linker: Linker, inp: RenderInput, writer: OutputWriter) -> None:
    kinds = kinds_by_path(inp.estate)
    users = used_by(inp.estate)
    for path in sorted(linker.sources):
        text = read_text(inp.read_source, path)
        if text is None:  # readable a moment ago; keep the links working with an empty page
            text = ""
        page = build_source(
            linker, path, text, kinds.get(path, "other"), users.get(path, []), inp.title
        )
        _render(writer, linker.sources[path], "source.html", page)


def _write_static(writer: OutputWriter) -> None:
    folder = resources.files("logicmine.render").joinpath("static")
    for name in STATIC_FILES:
        writer.write(f"static/{name}", folder.joinpath(name).read_text(encoding="utf-8"))
    writer.write("static/pygments.css", pygments_css())
