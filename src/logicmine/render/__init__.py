"""The renderer: a static HTML site, Markdown documents and machine-readable exports."""

from logicmine.render.context import RenderInput
from logicmine.render.site import render_all

__all__ = ["RenderInput", "render_all"]
