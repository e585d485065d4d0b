"""The model's reply: a JSON object validated at the edge before anything trusts its shape."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

_MAX_SPAN = 20_000  # lines in one cited range


class ReplyError(ValueError):
    """The reply is not the JSON object asked for; the message is fed back to the model."""


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, bool):
        raise ValueError("a line number must be a whole number")
    if isinstance(value, int):
        return value, value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?", value)
        if not match:
            raise ValueError(f"{value!r} is not a line range")
        return int(match[1]), int(match[2] or match[1])
    if isinstance(value, (list, tuple)) and len(value) in (1, 2):
        start, end = value[0], value[-1]
        if all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            return start, end
    raise ValueError(f"{value!r} is not a [start, end] pair")


def normalise_lines(value: Any) -> list[tuple[int, int]]:
    """[[a, b], ...] from the shapes models write: [a, b], a, 'a-b', [[a], [b, c]]."""
    if value is None:
        return []
    if isinstance(value, (int, str)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError("lines must be a list of [start, end] pairs")
    flat_pair = len(value) == 2 and all(isinstance(v, int) for v in value)
    pairs = [_pair(list(value))] if flat_pair else [_pair(v) for v in value]
    for start, end in pairs:
        if start < 1 or end < start or end - start > _MAX_SPAN:
            raise ValueError(f"[{start}, {end}] is not a line range (start >= 1, end >= start)")
    return pairs


class _Cited(BaseModel):
    model_config = ConfigDict(extra="ignore")

    file: str = Field(default="", max_length=500)
    lines: list[tuple[int, int]] = Field(default_factory=list, max_length=50)

    @field_validator("file", mode="before")
    @classmethod
    def _file(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("lines", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> list[tuple[int, int]]:
        return normalise_lines(value)


class RuleItem(_Cited):
    """One business rule stated by the model, with the lines it rests on."""

    statement: str = Field(min_length=1, max_length=2000)


class TermItem(_Cited):
    """One glossary entry."""

    term: str = Field(min_length=1, max_length=120)
    meaning: str = Field(default="", max_length=1000)


class Reply(BaseModel):
    """The whole reply; unknown keys are ignored, lengths are bounded."""

    model_config = ConfigDict(extra="ignore")

    title: str = Field(default="", max_length=200)
    purpose: str = Field(default="", max_length=3000)
    rules: list[RuleItem] = Field(default_factory=list, max_length=60)
    inputs: list[str] = Field(default_factory=list, max_length=200)
    outputs: list[str] = Field(default_factory=list, max_length=200)
    glossary: list[TermItem] = Field(default_factory=list, max_length=300)

    @field_validator("inputs", "outputs", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return [] if value is None else value


def _lines_schema() -> dict[str, Any]:
    pair = {"type": "array", "items": {"type": "integer"}}
    return {"type": "array", "items": pair}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "required": list(properties), "properties": properties}


def reply_schema() -> dict[str, Any]:
    """The JSON schema sent as response_format (strict: every key required, no others)."""
    text = {"type": "string"}
    names = {"type": "array", "items": text}
    rule = _object({"statement": text, "file": text, "lines": _lines_schema()})
    term = _object({"term": text, "meaning": text, "file": text, "lines": _lines_schema()})
    return _object({"title": text, "purpose": text, "rules": {"type": "array", "items": rule},
                    "inputs": names, "outputs": names,
                    "glossary": {"type": "array", "items": term}})


def extract_json(text: str) -> Any:
    """The JSON value in a reply, also when wrapped in a code fence or prose."""
    stripped = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", stripped, re.S)
    candidates = [stripped] + ([fenced[1]] if fenced else [])
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 <= start < end:
        candidates.append(stripped[start:end + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    raise ReplyError("the reply is not a JSON object")


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "reply"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def parse_reply(text: str) -> Reply:
    """The validated reply, or ReplyError saying what is wrong with it."""
    value = extract_json(text)
    if not isinstance(value, dict):
        raise ReplyError("the reply must be one JSON object")
    try:
        return Reply.model_validate(value)
    except ValidationError as exc:
        raise ReplyError(f"the JSON does not have the asked shape: {_describe(exc)}") from None
