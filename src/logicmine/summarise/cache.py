"""A content-addressed disk cache of model replies: the same prompt is never sent twice."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("logicmine.summarise")
_VERSION = 1


@dataclass(frozen=True, slots=True)
class CachedReply:
    """A reply's text and the tokens it cost when it was first received."""

    content: str
    tokens_in: int = 0
    tokens_out: int = 0


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cache_key(template_hash: str, model: str, messages: list[dict[str, str]]) -> str:
    """sha256 of (template, model, rendered messages); the key itself is never stored."""
    payload = canonical_json({"v": _VERSION, "template": template_hash, "model": model,
                              "messages": messages})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ReplyCache:
    """Replies under ROOT/ab/abcdef....json, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._made: set[Path] = set()  # folders known to exist: one mkdir each per run

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedReply | None:
        """The stored reply, or None when absent or unreadable."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return CachedReply(str(data["content"]), int(data["tokens_in"]),
                               int(data["tokens_out"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path.name, exc)
            return None

    def put(self, key: str, reply: CachedReply) -> None:
        """Store a reply; a crash mid-write leaves no half file behind."""
        path = self._path(key)
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        body = canonical_json({"v": _VERSION, "content": reply.content,
                               "tokens_in": reply.tokens_in, "tokens_out": reply.tokens_out})
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
