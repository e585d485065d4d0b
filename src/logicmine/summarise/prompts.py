"""Prompt templates: Jinja files in prompts/, overridable file by file from a user's folder."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jinja2

from ..resources import data_dir
from .settings import BackendError

TASKS = ("cluster", "program", "estate", "glossary")
_MARKS = {"begin": "<<<DATA 0>>>", "end": "<<<END DATA 0>>>"}
# One context per task with every variable its packaged templates use: `check()` renders them
# so a broken override fails before any request, and tests keep these in step with the builder.
SAMPLES: dict[str, dict[str, Any]] = {
    "cluster": dict(_MARKS, program="P", entry="MAIN", procedures=["MAIN"],
                    callees=[{"subject": "c", "title": "t", "text": "x"}], callees_omitted=0,
                    rules=[{"kind": "decision", "procedure": "MAIN", "cite": "f:1-2",
                            "text": "IF A"}], rules_omitted=0,
                    blocks=[{"file": "f", "start": 1, "end": 1, "text": "    1| X"}], omitted=""),
    "program": dict(_MARKS, program="P", file="f", start=1, end_line=9, header="    1| X",
                    header_start=1, header_end=1,
                    parts=[{"subject": "c", "title": "t", "text": "x"}], parts_omitted=0,
                    facts=["reads F (f:3)"]),
    "estate": dict(_MARKS, program_count=1, programs=[{"subject": "cobol:P", "title": "t",
                                                       "text": "x"}], programs_omitted=0),
    "glossary": dict(_MARKS, terms=[{"term": "A", "file": "f", "line": 1, "text": "    1| A",
                                     "facts": "PIC X", "notes": ""}], terms_omitted=0),
    "retry": {"failures": ["rule 1 cites f:9-9, outside the lines shown"]},
}


class PromptSet:
    """The templates of a run; a template found in `prompts_dir` replaces the packaged one."""

    def __init__(self, prompts_dir: str = "") -> None:
        folders = [data_dir("prompts")]
        if prompts_dir:
            override = Path(prompts_dir).expanduser()
            if not override.is_dir():
                raise BackendError(f"prompts_dir {prompts_dir!r} is not a folder; point it at "
                                   "a folder of .j2 templates or leave it empty")
            folders.insert(0, override)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in folders]),
            undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=False)
        self._hashes: dict[str, str] = {}

    def _source(self, name: str) -> str:
        assert self.env.loader is not None
        return self.env.loader.get_source(self.env, name)[0]

    def template_hash(self, task: str) -> str:
        """sha256 of the task's templates (and the retry template) as they are on disk."""
        if task not in self._hashes:
            names = (f"{task}.system.j2", f"{task}.user.j2", "retry.user.j2")
            digest = hashlib.sha256()
            for name in names:
                digest.update(self._source(name).encode("utf-8") + b"\x00")
            self._hashes[task] = digest.hexdigest()
        return self._hashes[task]

    def _render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(**context).strip() + "\n"
        except jinja2.TemplateSyntaxError as exc:
            raise BackendError(f"prompt template {exc.filename or name}, line {exc.lineno}: "
                               f"{exc.message}") from None
        except jinja2.TemplateNotFound:
            raise BackendError(f"prompt template {name} is missing") from None
        except jinja2.UndefinedError as exc:
            raise BackendError(f"prompt template {name}: {exc.message}; the variables "
                               "available are listed in docs/llm.md") from None

    def messages(self, task: str, context: dict[str, Any]) -> list[dict[str, str]]:
        """System and user messages of one task."""
        return [{"role": "system", "content": self._render(f"{task}.system.j2", context)},
                {"role": "user", "content": self._render(f"{task}.user.j2", context)}]

    def retry(self, failures: list[str]) -> str:
        """The message that asks again, naming what failed."""
        return self._render("retry.user.j2", {"failures": failures})

    def check(self) -> None:
        """Render every template once so a broken override stops the run before any request."""
        for task in TASKS:
            self.messages(task, SAMPLES[task])
            self.template_hash(task)
        self.retry(SAMPLES["retry"]["failures"])
