"""The HTTP side: one OpenAI-compatible client, its preflight, retries and reply formats.

The openai client's own retries are off (`max_retries=0`) so that retrying is done here, where
it can honour Retry-After, be tested, and be counted.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import openai

from .reply import reply_schema
from .settings import CHARS_PER_TOKEN, BackendError, LLMSettings, Tally, redact, resolve_api_key

log = logging.getLogger("logicmine.summarise")
_MODES = ("json_schema", "json_object", "text")


class TransportError(Exception):
    """A request failed for good.

    `fatal`: no later request can succeed either (key refused, model unknown, long quota
    wait). `server`: the server or the network failed (not this request's content), which is
    what a run of failures in a row is counted from.
    """

    def __init__(self, message: str, *, fatal: bool = False, server: bool = True) -> None:
        super().__init__(message)
        self.fatal, self.server = fatal, server


@dataclass(frozen=True, slots=True)
class Completion:
    """A reply's text and its token usage."""

    content: str
    tokens_in: int
    tokens_out: int


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, Retry-After seconds or date)."""
    millis = headers.get("retry-after-ms")
    try:
        if millis is not None:
            return max(0.0, float(millis) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(headers.get("retry-after", ""))
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _about_length(exc: openai.APIStatusError) -> bool:
    """A 400 about the prompt's size, not about the reply format it asked for."""
    text = str(exc.message).lower()
    return "context" in text or "token" in text and "response_format" not in text


def _format_args(mode: str) -> dict[str, Any]:
    if mode == "json_schema":
        schema = {"name": "summary", "strict": True, "schema": reply_schema()}
        return {"response_format": {"type": "json_schema", "json_schema": schema}}
    if mode == "json_object":
        return {"response_format": {"type": "json_object"}}
    return {}


class ModelClient:
    """A client of one OpenAI-compatible server for one model."""

    def __init__(self, settings: LLMSettings, *, environ: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: Callable[[], float] = random.random) -> None:
        self.settings = settings
        self._key, self.key_source = resolve_api_key(settings, environ)
        self._sleep, self._rng = sleep, rng
        self._mode = 0
        self._lock = threading.Lock()
        common: dict[str, Any] = {"api_key": self._key, "timeout": settings.timeout,
                                  "max_retries": 0}
        if settings.api_version:
            self._client: openai.OpenAI = openai.AzureOpenAI(
                azure_endpoint=settings.base_url, api_version=settings.api_version, **common)
        else:
            self._client = openai.OpenAI(base_url=settings.endpoint(), **common)

    @property
    def mode(self) -> str:
        """The reply format requests currently ask for."""
        return _MODES[self._mode]

    def _say(self, text: str) -> str:
        return redact(text, self._key)

    # ---------------------------------------------------------------- preflight

    def preflight(self) -> None:
        """GET /models (or a one-token request): fail now, saying what to set, not mid-run."""
        try:
            self._client.models.list()
        except openai.APIStatusError as exc:
            if exc.status_code not in (404, 405, 501):
                raise self._setup_error(exc, "GET /models") from None
            self._ping()
        except openai.APIError as exc:
            raise self._setup_error(exc, "GET /models") from None
        log.info("model server %s ready (model %s, key from %s)", self.settings.endpoint(),
                 self.settings.model, self.key_source)

    def _ping(self) -> None:
        try:
            self._client.chat.completions.create(
                model=self.settings.model, max_tokens=1,
                messages=[{"role": "user", "content": "Reply with the word ok."}])
        except (openai.BadRequestError, openai.UnprocessableEntityError):
            return  # reachable, key accepted; the parameters are the server's business
        except openai.APIError as exc:
            raise self._setup_error(exc, "a one-token request") from None

    def _setup_error(self, exc: openai.APIError, what: str) -> BackendError:
        url, env = self.settings.endpoint(), self.settings.api_key_env
        if isinstance(exc, openai.APITimeoutError):
            text = (f"the model server at {url} did not answer {what} within "
                    f"{self.settings.timeout:g}s: check --base-url, or raise --llm-timeout")
        elif isinstance(exc, openai.APIConnectionError):
            text = (f"cannot reach the model server at {url} ({exc.message}): check "
                    "--base-url / base_url and that the server is running")
        elif isinstance(exc, openai.APIStatusError) and exc.status_code in (401, 403):
            text = (f"the model server at {url} refused the API key from {self.key_source} "
                    f"(HTTP {exc.status_code}): set {env} to a valid key")
        elif isinstance(exc, openai.APIStatusError) and exc.status_code == 404:
            text = (f"the model server at {url} does not know model {self.settings.model!r} "
                    "(HTTP 404): check --model (on Azure OpenAI: the deployment name)")
        else:
            status = getattr(exc, "status_code", "?")
            text = f"the model server at {url} answered {what} with HTTP {status}: {exc.message}"
        return BackendError(self._say(text[:600]))

    # ---------------------------------------------------------------- requests

    def complete(self, messages: list[dict[str, str]], tally: Tally) -> Completion:
        """One chat completion, retried with backoff on 429, 5xx, timeouts and drops."""
        attempt = 0
        while True:
            try:
                return self._send(messages, tally)
            except openai.APIError as exc:
                delay = self._delay(exc, attempt)
                if delay is None:
                    raise self._final(exc) from None
                log.info("retrying in %.2fs after %s", delay, self._describe(exc))
            attempt += 1
            tally.add(retries=1)
            self._sleep(delay)

    def _send(self, messages: list[dict[str, str]], tally: Tally) -> Completion:
        while True:
            mode = self._mode
            tally.add(requests=1)
            request: dict[str, Any] = {"model": self.settings.model, "messages": messages,
                                       **_format_args(_MODES[mode])}
            if self.settings.max_output_tokens:
                request["max_tokens"] = self.settings.max_output_tokens
            try:
                response = self._client.chat.completions.create(**request)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if mode + 1 >= len(_MODES) or _about_length(exc):
                    raise
                self._degrade(mode, exc)
                continue
            tally.add(replies=1)
            return self._completion(response, messages)

    def _degrade(self, mode: int, exc: openai.APIStatusError) -> None:
        """The server refused a reply format: use the next simpler one from now on."""
        with self._lock:
            if self._mode == mode:
                self._mode = mode + 1
                log.warning("the server refused response_format %s (%s); asking for %s",
                            _MODES[mode], self._describe(exc), _MODES[mode + 1])

    @staticmethod
    def _completion(response: Any, messages: list[dict[str, str]]) -> Completion:
        choices = getattr(response, "choices", None) or []
        content = (choices[0].message.content or "") if choices else ""
        usage = getattr(response, "usage", None)
        if usage is not None and usage.prompt_tokens is not None:
            return Completion(content, usage.prompt_tokens, usage.completion_tokens or 0)
        sent = sum(len(m["content"]) for m in messages)
        return Completion(content, -(-sent // CHARS_PER_TOKEN), -(-len(content) // 4))

    def _delay(self, exc: openai.APIError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when it must not be retried."""
        if attempt >= self.settings.max_retries:
            return None
        if isinstance(exc, openai.APIConnectionError):  # timeouts and dropped connections
            return self._backoff(attempt)
        if not isinstance(exc, openai.APIStatusError):
            return None
        code = exc.status_code
        if code not in (408, 409, 429) and code < 500:
            return None
        asked = retry_after(exc.response.headers)
        if asked is None:
            return self._backoff(attempt)
        return asked if asked <= self.settings.backoff_cap else None

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: half the step fixed, half random."""
        step = min(self.settings.backoff_cap, self.settings.backoff_base * 2 ** attempt)
        return step / 2 + self._rng() * step / 2

    def _describe(self, exc: openai.APIError) -> str:
        if isinstance(exc, openai.APITimeoutError):
            text = f"no answer within {self.settings.timeout:g}s"
        elif isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__
            text = f"connection failed ({type(cause).__name__ if cause else exc.message})"
        elif isinstance(exc, openai.APIStatusError):
            text = f"HTTP {exc.status_code}: {exc.message}"
        else:
            text = f"{type(exc).__name__}: {exc.message}"
        return self._say(text[:300])

    def _final(self, exc: openai.APIError) -> TransportError:
        code = getattr(exc, "status_code", 0)
        fatal = code in (401, 403, 404)
        if isinstance(exc, openai.APIStatusError) and (code in (408, 409, 429) or code >= 500):
            asked = retry_after(exc.response.headers)
            if asked is not None and asked > self.settings.backoff_cap:
                fatal = True
                return TransportError(f"{self._describe(exc)}; the server asked to wait "
                                      f"{asked:.0f}s, longer than {self.settings.backoff_cap:g}s:"
                                      " try again later", fatal=fatal)
        server = code == 0 or code >= 500 or code in (408, 409, 429)
        return TransportError(self._describe(exc), fatal=fatal, server=server)
