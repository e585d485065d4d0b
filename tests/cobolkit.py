"""Helpers for tests that parse small COBOL programs written inline."""

from __future__ import annotations

from logicmine.lang.cobol.frontend import parse_cobol
from logicmine.lang.cobol.preprocess import CopybookResolver, preprocess


def card(text: str) -> str:
    """Indent free-style test text into card images (columns 8-72)."""
    lines = []
    for line in text.strip("\n").splitlines():
        lines.append(line if line.startswith("      ") or not line.strip() else "       " + line)
    return "\n".join(lines) + "\n"


def parse(text: str, copybooks: dict[str, str] | None = None, path: str = "src/PROG.cbl"):
    copybooks = copybooks or {}
    index = {name.split("/")[-1].split(".")[0].upper(): name for name in copybooks}
    resolver = CopybookResolver(index, (), copybooks.__getitem__)
    pre = preprocess(text, path, resolver)
    programs, diagnostics = parse_cobol(pre, path)
    return programs, diagnostics
