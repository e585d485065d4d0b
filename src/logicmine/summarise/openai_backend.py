"""The model backend: summaries written by any OpenAI-compatible server, checked against the code.

Subjects are summarised in dependency order (callees first); each prompt is rendered from a
template, answered from the cache when the same prompt was sent before, and otherwise sent.
A reply that is not valid JSON, or whose claims cite lines outside the subject or quote names
absent from the lines they cite, is sent back once with the failures named; a second failure
keeps the offline summary, marked "fallback". Nothing the model writes is trusted further.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Cluster, DataItem, Program, Rule, Summary
from .cache import CachedReply, ReplyCache, cache_key
from .client import ModelClient, TransportError
from .fallbacks import as_fallback, estate_summary, glossary_summary
from .grounding import Grounder, SourceLines, Verdict, check_glossary_reply, check_summary_reply
from .order import dependencies, run_in_order
from .prompts import PromptSet
from .reply import Reply, ReplyError, parse_reply
from .settings import CHARS_PER_TOKEN, BackendError, LLMReport, LLMSettings, Tally
from .tasks import Prompt, PromptBuilder

log = logging.getLogger("logicmine.summarise")
Progress = Callable[[str, int, int], None]
_ECHO_LIMIT = 8_000  # characters of a failed reply sent back with the retry


class _NotSent(Exception):
    """The prompt was not sent: dry run, max_cost reached, or the pass was stopped."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A subject's summary (None: nothing to summarise) and the glossary terms it named."""

    summary: Summary | None
    terms: tuple[tuple[str, str], ...] = ()


def default_cache_dir(out: Path) -> Path:
    """Where replies are cached for a site written to OUT: next to it, so the swap of OUT
    at the end of a build (which replaces the whole folder) keeps the cache."""
    return Path(out).resolve().parent / ".logicmine-cache" / "llm"


def open_client(settings: LLMSettings, environ: dict[str, str] | None = None) -> ModelClient:
    """A client whose server answered, or BackendError saying what to set."""
    if not settings.model:
        raise BackendError("no model named for the openai backend: set --model (or 'model' "
                           "under [backend] in logicmine.toml)")
    client = ModelClient(settings, environ=environ)
    client.preflight()
    return client


def summarise_with_model(programs: list[Program], clusters: list[Cluster], rules: list[Rule],
                         offline_summaries: list[Summary], *, settings: LLMSettings,
                         read_source: Callable[[str], str], cache_dir: Path,
                         progress: Progress | None = None, client: ModelClient | None = None
                         ) -> tuple[list[Summary], LLMReport]:
    """Model summaries of every cluster and program, the estate and a glossary.

    Returns every subject of `offline_summaries` in order (rules stay offline; clusters and
    programs become "model", "fallback", or stay "offline" when never sent), then "estate"
    and, when the replies named any data, "glossary".
    """
    if client is None and not settings.dry_run:
        client = open_client(settings)
    run = ModelPass(programs, clusters, rules, offline_summaries, settings=settings,
                    read_source=read_source, cache_dir=cache_dir, client=client)
    return run.run(progress)


class ModelPass:
    """One pass over an estate's clusters, programs, glossary and estate overview."""

    def __init__(self, programs: list[Program], clusters: list[Cluster], rules: list[Rule],
                 offline: list[Summary], *, settings: LLMSettings,
                 read_source: Callable[[str], str], cache_dir: Path,
                 client: ModelClient | None) -> None:
        self.settings, self.client = settings, client
        self.programs, self.clusters = list(programs), list(clusters)
        self.cluster_by_id = {c.id: c for c in self.clusters}
        self.offline = list(offline)
        self.offline_by_subject = {s.subject: s for s in offline}
        self.prompts = PromptSet(settings.prompts_dir)
        self.prompts.check()
        self.source = SourceLines(read_source)
        self.builder = PromptBuilder(self.programs, list(rules), self.source,
                                     settings.context_tokens)
        self.cache = ReplyCache(Path(cache_dir))
        self.tally = Tally()
        self.results: dict[str, Outcome] = {}
        self.deps: dict[str, list[str]] = {}
        self._failed_in_row = 0
        self._lock = threading.Lock()

    def run(self, progress: Progress | None = None) -> tuple[list[Summary], LLMReport]:
        """Summarise everything in dependency order; the summaries and the report."""
        self.deps = dependencies(self.programs, self.clusters, glossary=True)
        total = len(self.deps)

        def done(subject: str, outcome: Outcome) -> None:
            self.results[subject] = outcome
            if progress:
                progress("summarise", len(self.results), total)

        run_in_order(self.deps, self._work, self.settings.jobs, done)
        report = self.tally.freeze(self.settings.dry_run)
        for line in report.lines():
            log.info("%s", line)
        return self._assemble(), report

    def _assemble(self) -> list[Summary]:
        out = []
        for summary in self.offline:
            outcome = self.results.get(summary.subject)
            out.append(outcome.summary if outcome and outcome.summary else summary)
        out += [o.summary for s in ("estate", "glossary")
                if (o := self.results.get(s)) and o.summary]
        return out

    # ---------------------------------------------------------------- one subject

    def _work(self, subject: str) -> Outcome:
        prompt = self._prompt(subject)
        if prompt is None:
            return Outcome(None)
        try:
            return self._summarise(prompt)
        except _NotSent:
            if not self.settings.dry_run:
                self.tally.add(skipped=1)
            return Outcome(self._offline(subject))
        except TransportError as exc:
            log.warning("%s: no reply (%s); offline summary used", subject, exc)
            self.tally.add(fallbacks=1)
            return Outcome(as_fallback(self._offline(subject)))

    def _summary_of(self, subject: str) -> Summary:
        outcome = self.results.get(subject)
        if outcome and outcome.summary:
            return outcome.summary
        return self._offline(subject)

    def _prompt(self, subject: str) -> Prompt | None:
        pairs = [(d, self._summary_of(d)) for d in self.deps[subject]]
        if subject == "estate":
            return self.builder.estate(pairs)
        if subject == "glossary":
            return self.builder.glossary(self._terms())
        if subject.startswith("cobol:"):
            return self.builder.program(self.builder.programs[subject[6:]], pairs)
        return self.builder.cluster(self.cluster_by_id[subject], pairs)

    def _terms(self) -> dict[str, list[str]]:
        terms: dict[str, list[str]] = {}
        for subject in self.deps["glossary"]:
            for term, meaning in self.results[subject].terms:
                terms.setdefault(term, []).append(meaning)
        return terms

    def _offline(self, subject: str) -> Summary:
        if subject == "estate":
            return estate_summary(self.programs, self.offline_by_subject)
        if subject == "glossary":
            found: dict[str, DataItem] = {}
            for term in self._terms():
                if items := self.builder.definitions(term):
                    found[term] = items[0]
            return glossary_summary(found)
        return self.offline_by_subject[subject]

    def _summarise(self, prompt: Prompt) -> Outcome:
        template = self.prompts.template_hash(prompt.kind)
        messages = self.prompts.messages(prompt.kind, prompt.context)
        first = self._ask(prompt, template, messages)
        reply, verdict = self._judge(prompt, first)
        if reply is None or verdict.failures:
            retry = messages + [{"role": "assistant", "content": first[:_ECHO_LIMIT]},
                                {"role": "user", "content": self.prompts.retry(
                                    verdict.failures[:20])}]
            log.info("%s: reply failed the check (%s); asking once more", prompt.subject,
                     "; ".join(verdict.failures[:3]))
            reply, verdict = self._judge(prompt, self._ask(prompt, template, retry))
        if reply is None or verdict.failures:
            log.warning("%s: model reply failed the check twice (%s); offline summary kept "
                        "and marked fallback", prompt.subject, "; ".join(verdict.failures[:3]))
            self.tally.add(fallbacks=1)
            return Outcome(as_fallback(self._offline(prompt.subject)))
        self.tally.add(model_summaries=1)
        return Outcome(self._model_summary(prompt, reply, verdict), tuple(verdict.terms))

    def _judge(self, prompt: Prompt, text: str) -> tuple[Reply | None, Verdict]:
        """The parsed reply and its check (None and the parse error when it is not JSON)."""
        try:
            reply = parse_reply(text)
        except ReplyError as exc:
            return None, Verdict(failures=[str(exc)])
        grounder = Grounder(prompt.scope, self.source, prompt.cites)
        check = check_glossary_reply if prompt.kind == "glossary" else check_summary_reply
        verdict = check(reply, grounder)
        self.tally.add(claims_checked=verdict.checked, claims_failed=verdict.failed)
        return reply, verdict

    def _model_summary(self, prompt: Prompt, reply: Reply, verdict: Verdict) -> Summary:
        fallback_title = self._offline(prompt.subject).title
        title = " ".join(reply.title.split())[:120] or fallback_title
        if prompt.kind == "glossary":
            title = "Glossary"
        claims = tuple(verdict.claims) + prompt.notes
        return Summary(prompt.subject, title, claims, "model")

    # ---------------------------------------------------------------- one request

    def _ask(self, prompt: Prompt, template: str, messages: list[dict[str, str]]) -> str:
        """The reply to these messages: from the cache, or sent (unless the pass stopped)."""
        key = cache_key(template, self.settings.model, messages)
        tokens = -(-sum(len(m["content"]) for m in messages) // CHARS_PER_TOKEN)
        hit = self.cache.get(key)
        if self.settings.dry_run:
            cost = self.settings.price().cost(tokens, 0)
            self.tally.estimate(prompt.subject, tokens, hit is not None, cost)
        if hit is not None:
            self.tally.add(cached=1)
            return hit.content
        if self.settings.dry_run:
            raise _NotSent
        self._admit(tokens)
        assert self.client is not None
        try:
            completion = self.client.complete(messages, self.tally)
        except TransportError as exc:
            self._count_failure(exc)
            raise
        with self._lock:
            self._failed_in_row = 0
        cost = self.settings.price().cost(completion.tokens_in, completion.tokens_out)
        self.tally.spend(completion.tokens_in, completion.tokens_out, cost)
        self.cache.put(key, CachedReply(completion.content, completion.tokens_in,
                                        completion.tokens_out))
        return completion.content

    def _admit(self, tokens: int) -> None:
        """Refuse to send once the pass has stopped or the next prompt would pass max_cost."""
        limit = self.settings.max_cost
        if limit is not None and not self.tally.stopped:
            spent = self.tally.cost
            if spent + self.settings.price().cost(tokens, 0) > limit:
                self.tally.stop(f"max_cost ${limit:g} reached (spent ${spent:.4f}); "
                                "the rest keep their offline summaries")
        if self.tally.stopped:
            raise _NotSent

    def _count_failure(self, exc: TransportError) -> None:
        if not exc.server and not exc.fatal:
            return  # the server refused this prompt (e.g. too long): others may pass
        with self._lock:
            self._failed_in_row += 1
            count = self._failed_in_row
        if exc.fatal or count >= self.settings.breaker:
            self.tally.stop(f"{exc} ({count} failed request{'s' if count > 1 else ''} in a "
                            "row); re-run to resume: finished summaries are cached")
