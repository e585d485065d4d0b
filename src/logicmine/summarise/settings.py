"""Settings of the model backend, the API key lookup and the run's report."""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..errors import LogicmineError

DEFAULT_BASE_URL = "https://api.openai.com/v1"
FALLBACK_KEY_ENV = "OPENAI_API_KEY"
# Sent to a local server that wants no key; the openai client refuses an empty one.
LOOPBACK_DUMMY_KEY = "no-key-needed"
CHARS_PER_TOKEN = 4


class BackendError(LogicmineError):
    """The model backend cannot start: the message says what to set."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Price:
    """Dollars per million tokens, sent and received."""

    input: float = 0.0
    output: float = 0.0

    def cost(self, tokens_in: int, tokens_out: int) -> float:
        """Dollars for a number of tokens."""
        return (tokens_in * self.input + tokens_out * self.output) / 1_000_000


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """Every knob of a model pass; holds the name of the key's variable, never the key."""

    model: str
    base_url: str = ""  # '' = OpenAI's own endpoint
    api_key_env: str = "LOGICMINE_API_KEY"
    api_version: str = ""  # Azure OpenAI 'api-version': selects the AzureOpenAI client
    jobs: int = 4  # requests in flight at once
    timeout: float = 120.0  # seconds per request
    max_retries: int = 4  # per request, on 429, 5xx, timeouts and dropped connections
    backoff_base: float = 1.0  # seconds; doubled per retry, with jitter
    backoff_cap: float = 60.0  # longest wait; a longer Retry-After stops the request
    max_cost: float | None = None  # dollars; the pass stops cleanly before exceeding it
    dry_run: bool = False
    prompts_dir: str = ""  # folder of template overrides
    prices: Mapping[str, Price] = field(default_factory=dict)  # model -> price
    context_tokens: int = 16_000  # prompt budget, estimated as characters / 4
    max_output_tokens: int = 0  # 0 = let the server decide (not sent)
    breaker: int = 3  # failed requests in a row that stop the pass (server gone)

    @classmethod
    def from_config(cls, config: Any, **flags: Any) -> LLMSettings:
        """Settings from a Config plus CLI flags (None = flag not given)."""
        values: dict[str, Any] = {
            "model": config.model, "base_url": config.base_url,
            "api_key_env": config.api_key_env, "prompts_dir": config.prompts_dir,
        }
        values.update({k: v for k, v in flags.items() if v is not None})
        if isinstance(values.get("prices"), str):
            values["prices"] = parse_prices(values["prices"], values["model"])
        return cls(**values)

    def price(self) -> Price:
        """The price of the configured model (free when unknown)."""
        return self.prices.get(self.model, Price())

    def endpoint(self) -> str:
        """The base URL requests go to."""
        return self.base_url or DEFAULT_BASE_URL


def parse_prices(text: str, model: str = "") -> dict[str, Price]:
    """Prices from 'IN/OUT' (for `model`) or 'name=IN/OUT,name2=IN/OUT' (dollars per 1M tokens)."""
    prices: dict[str, Price] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, pair = part.rpartition("=")
        name = name.strip() or model
        try:
            sent, _, received = pair.partition("/")
            prices[name] = Price(float(sent), float(received or 0))
        except ValueError:
            raise BackendError(f"price {part!r}: write it as IN/OUT dollars per million "
                               "tokens, e.g. 'gpt-4o-mini=0.15/0.60'") from None
    return prices


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (a local server may need no key)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_api_key(settings: LLMSettings, environ: Mapping[str, str] | None = None
                    ) -> tuple[str, str]:
    """The key and where it came from; a loopback server may go without one."""
    env = os.environ if environ is None else environ
    for name in dict.fromkeys((settings.api_key_env, FALLBACK_KEY_ENV)):
        if name and env.get(name, "").strip():
            return env[name].strip(), f"${name}"
    if is_loopback(settings.endpoint()):
        return LOOPBACK_DUMMY_KEY, "none (local server: a placeholder key is sent)"
    raise BackendError(
        f"no API key for {settings.endpoint()}: set the environment variable "
        f"{settings.api_key_env or 'LOGICMINE_API_KEY'} (or {FALLBACK_KEY_ENV}) to your key, "
        "or name another variable with 'api_key_env' in logicmine.toml")


def redact(text: str, secret: str) -> str:
    """Text with the secret blanked out, for every message that leaves this module."""
    return text.replace(secret, "***") if secret and len(secret) >= 4 else text


# ------------------------------------------------------------------ the report


@dataclass(frozen=True, slots=True)
class PromptEstimate:
    """What a dry run would send for one subject."""

    subject: str
    tokens_in: int
    cached: bool


@dataclass(frozen=True, slots=True)
class LLMReport:
    """What a model pass did: counts, tokens, cost and why it stopped early, if it did."""

    requests: int = 0  # chat requests sent over HTTP, retries included
    replies: int = 0  # replies received
    cached: int = 0  # replies read from the cache instead of sent
    retries: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    claims_checked: int = 0
    claims_failed: int = 0
    model_summaries: int = 0
    fallbacks: int = 0  # offline summary used because the model's reply failed or never came
    skipped: int = 0  # never sent: max_cost reached or the pass stopped
    stopped: str = ""
    dry_run: bool = False
    prompts: tuple[PromptEstimate, ...] = ()
    estimated_tokens_in: int = 0
    estimated_cost: float = 0.0  # dry run: input tokens only, output unknown until sent

    def lines(self) -> list[str]:
        """Human-readable lines for the CLI."""
        if self.dry_run:
            todo = [p for p in self.prompts if not p.cached]
            return [f"dry run: {len(todo)} prompts to send ({len(self.prompts) - len(todo)} "
                    f"cached), ~{self.estimated_tokens_in} tokens in, estimated cost "
                    f"${self.estimated_cost:.4f} plus output tokens"]
        out = [f"model: {self.model_summaries} summaries, {self.fallbacks} fallbacks, "
               f"{self.skipped} not sent; {self.requests} requests ({self.retries} retries), "
               f"{self.cached} cached",
               f"tokens: {self.tokens_in} in, {self.tokens_out} out; cost ${self.cost:.4f}",
               f"claims: {self.claims_checked} checked, {self.claims_failed} failed"]
        return out + ([f"stopped early: {self.stopped}"] if self.stopped else [])


class Tally:
    """The report's counters, shared by worker threads."""

    _FIELDS = ("requests", "replies", "cached", "retries", "tokens_in", "tokens_out",
               "claims_checked", "claims_failed", "model_summaries", "fallbacks", "skipped",
               "estimated_tokens_in")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts = dict.fromkeys(self._FIELDS, 0)
        self.cost = 0.0
        self.estimated_cost = 0.0
        self.prompts: list[PromptEstimate] = []
        self.stopped = ""

    def add(self, **counts: int) -> None:
        """Add to counters."""
        with self._lock:
            for name, value in counts.items():
                self.counts[name] += value

    def spend(self, tokens_in: int, tokens_out: int, cost: float) -> None:
        """Account for one reply."""
        with self._lock:
            self.counts["tokens_in"] += tokens_in
            self.counts["tokens_out"] += tokens_out
            self.cost += cost

    def estimate(self, subject: str, tokens_in: int, cached: bool, cost: float) -> None:
        """Dry run: what one prompt would cost."""
        with self._lock:
            self.prompts.append(PromptEstimate(subject, tokens_in, cached))
            if not cached:
                self.counts["estimated_tokens_in"] += tokens_in
                self.estimated_cost += cost

    def stop(self, reason: str) -> None:
        """Stop sending; the first reason wins."""
        with self._lock:
            self.stopped = self.stopped or reason

    def freeze(self, dry_run: bool) -> LLMReport:
        """The final report."""
        with self._lock:
            prompts = tuple(sorted(self.prompts, key=lambda p: p.subject))
            return LLMReport(cost=round(self.cost, 6), stopped=self.stopped, dry_run=dry_run,
                             prompts=prompts, estimated_cost=round(self.estimated_cost, 6),
                             **self.counts)
