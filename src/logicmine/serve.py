"""`logicmine serve`: a built site on 127.0.0.1 that records reviewers' decisions.

Static files are served as they are, except that HTML pages get a per-run token (a <meta> the
site script reads) and a CSP that lets them talk to this server. Writes need that token in a
custom header, a loopback Host (against DNS rebinding) and, when the browser sends one, a
loopback Origin; the custom header also forces a CORS preflight that this server never grants.
"""

from __future__ import annotations

import hmac
import json
import logging
import mimetypes
import secrets
import threading
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import LogicmineError
from .render.review_marks import SITE_FILE, SITE_VERSION, state_label
from .render.site import CSP
from .reviews import (
    MAX_COMMENT,
    STATUSES,
    ReviewsError,
    load_reviews,
    record_decision,
    review_state,
)

log = logging.getLogger("logicmine.serve")

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Logicmine-Token"
SERVED_CSP = CSP.replace("default-src 'none';", "default-src 'none'; connect-src 'self';", 1)
MAX_BODY = 16 * 1024
_WHAT = {"rules": "the rule", "summaries": "the summary"}
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}


class ServeError(LogicmineError):
    """The site cannot be served (not built by logicmine, port taken, reviews unreadable)."""


class ReviewServer(ThreadingHTTPServer):
    """The HTTP server with what its handlers need: site, reviews file, token, item hashes."""

    daemon_threads = True

    def __init__(
        self, site: Path, reviews: Path, items: dict[str, dict[str, str]], port: int
    ) -> None:
        self.site = site
        self.reviews = reviews
        self.items = items
        self.token = secrets.token_urlsafe(32)
        self.lock = threading.Lock()
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            raise ServeError(
                f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; "
                "pick another port with --port"
            ) from exc

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """Where the site is."""
        return f"http://{HOST}:{self.port}/"

    def allowed_hosts(self) -> set[str]:
        """Host header values this server answers to."""
        return {f"{name}:{self.port}" for name in (HOST, "localhost", "[::1]")}


def make_server(site: Path, reviews: Path | None = None, port: int = 0) -> ReviewServer:
    """A server for the site in `site`, recording to `reviews` (default: the path the build
    wrote into SITE/.logicmine-site.json)."""
    site = Path(site).resolve()
    meta = _site_meta(site)
    path = Path(reviews).resolve() if reviews else Path(str(meta.get("reviews", "")))
    if not path.is_absolute():
        raise ServeError(f"{site / SITE_FILE} names no reviews file; pass --reviews FILE")
    try:
        load_reviews(path, strict=True)  # refuse to start on a file we would overwrite
    except ReviewsError as exc:
        raise ServeError(str(exc)) from exc
    items = meta.get("items", {})
    clean = {s: {str(k): str(v) for k, v in dict(items.get(s, {})).items()} for s in _WHAT}
    return ReviewServer(site, path, clean, port)


def _site_meta(site: Path) -> dict[str, Any]:
    try:
        data = json.loads((site / SITE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ServeError(
            f"{site} is not a site built by this logicmine (no {SITE_FILE}); "
            "run `logicmine build PATH -o OUT` first"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ServeError(f"cannot read {site / SITE_FILE}: {exc}; rebuild the site") from exc
    if not isinstance(data, dict) or data.get("version") != SITE_VERSION:
        raise ServeError(f"{site / SITE_FILE} comes from another logicmine version; rebuild")
    return data


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "logicmine"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib's name)
        log.debug("%s " + format, self.address_string(), *args)

    # ------------------------------------------------------------ dispatch

    def do_GET(self) -> None:  # noqa: N802 (stdlib's name)
        """Static files, or the current decisions."""
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        if path == "/api/reviews":
            if self._token_ok():
                self._json(HTTPStatus.OK, self._decisions())
            return
        if path.startswith("/api/"):
            self._json(HTTPStatus.NOT_FOUND, {"error": "no such endpoint"})
            return
        self._static(path)

    def do_HEAD(self) -> None:  # noqa: N802
        """Like GET without a body (static files only)."""
        self._head_only = True
        try:
            self.do_GET()
        finally:
            self._head_only = False

    def do_POST(self) -> None:  # noqa: N802
        """Record one decision."""
        if not (self._host_ok() and self._origin_ok() and self._token_ok()):
            return
        if urlsplit(self.path).path != "/api/review":
            self._json(HTTPStatus.NOT_FOUND, {"error": "no such endpoint"})
            return
        body = self._body()
        if body is None:
            return
        problem, section, item, status, comment = _validate(body, self.server.items)
        if problem:
            self._json(HTTPStatus.BAD_REQUEST, {"error": problem})
            return
        self._record(section, item, status, comment)

    # ------------------------------------------------------------ checks

    def _host_ok(self) -> bool:
        if self.headers.get("Host", "") in self.server.allowed_hosts():
            return True
        self._json(HTTPStatus.FORBIDDEN, {"error": "this server only answers to 127.0.0.1"})
        return False

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        site = self.headers.get("Sec-Fetch-Site")
        allowed = {f"http://{host}" for host in self.server.allowed_hosts()}
        if (origin is None or origin in allowed) and site in (None, "same-origin"):
            return True
        self._json(HTTPStatus.FORBIDDEN, {"error": "cross-origin requests are refused"})
        return False

    def _token_ok(self) -> bool:
        given = self.headers.get(TOKEN_HEADER, "")
        if given and hmac.compare_digest(given, self.server.token):
            return True
        self._json(HTTPStatus.FORBIDDEN, {"error": "missing or wrong token; reload the page"})
        return False

    def _body(self) -> Any:
        if self.headers.get_content_type() != "application/json":
            self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send application/json"})
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "bad body length"})
            return None
        try:
            return json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeError, ValueError):
            self._json(HTTPStatus.BAD_REQUEST, {"error": "the body is not JSON"})
            return None

    # ------------------------------------------------------------ answers

    def _record(self, section: str, item: str, status: str, comment: str) -> None:
        digest = self.server.items[section][item]
        decision = {"status": status, "hash": digest, "comment": comment, "at": _now()}
        try:
            with self.server.lock:
                record_decision(self.server.reviews, section, item, decision if status else None)
        except (ReviewsError, OSError) as exc:
            log.error("could not record a decision: %s", exc)
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": str(exc)})
            return
        state = status if status else ""
        self._json(
            HTTPStatus.OK,
            {
                "state": state,
                "label": state_label(state, status, _WHAT[section]),
                "status": status,
                "comment": comment if status else "",
                "at": decision["at"] if status else "",
            },
        )

    def _decisions(self) -> dict[str, Any]:
        reviews = load_reviews(self.server.reviews)
        result: dict[str, Any] = {}
        for section, what in _WHAT.items():
            result[section] = {}
            for item, decision in reviews[section].items():
                state = review_state(decision, self.server.items[section].get(item, ""))
                status = str(decision.get("status", ""))
                result[section][item] = {
                    "state": state,
                    "label": state_label(state, status, what),
                    "status": status,
                    "comment": decision.get("comment", ""),
                    "at": decision.get("at", ""),
                }
        return result

    def _static(self, path: str) -> None:
        target = _resolve(self.server.site, path)
        if target is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        data = target.read_bytes()
        kind = _TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0]
        if target.suffix.lower() == ".html":
            data = _served_html(data.decode("utf-8"), self.server.token).encode("utf-8")
        self._send(HTTPStatus.OK, kind or "application/octet-stream", data)

    def _json(self, status: HTTPStatus, value: Any) -> None:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self._send(status, "application/json; charset=utf-8", body)

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", SERVED_CSP + "; frame-ancestors 'none'")
        self.end_headers()
        if not getattr(self, "_head_only", False):
            self.wfile.write(body)


def _validate(body: Any, items: dict[str, dict[str, str]]) -> tuple[str, str, str, str, str]:
    """(problem, section, id, status, comment) of a submitted decision."""
    if not isinstance(body, dict) or set(body) - {"section", "id", "status", "comment"}:
        return ("send {section, id, status, comment}", "", "", "", "")
    section, item = body.get("section"), body.get("id")
    status, comment = body.get("status", ""), body.get("comment", "")
    if section not in items or not isinstance(item, str) or item not in items[section]:
        return ("no such rule or summary in this site", "", "", "", "")
    if status not in (*STATUSES, ""):
        return (f"status must be one of {', '.join(STATUSES)} (or '' to clear)", "", "", "", "")
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        return (f"a comment is text of at most {MAX_COMMENT} characters", "", "", "", "")
    if status == "commented" and not comment.strip():
        return ("a comment needs some text", "", "", "", "")
    return ("", section, item, status, comment.strip())


def _resolve(site: Path, path: str) -> Path | None:
    """The file a URL path names inside the site, or None (hidden, outside or missing)."""
    parts = [p for p in unquote(path).split("/") if p]
    if any(p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = site.joinpath(*parts) if parts else site
    if target.is_dir():
        target = target / "index.html"
    try:
        resolved = target.resolve()
    except OSError:
        return None
    if not resolved.is_relative_to(site) or not resolved.is_file():
        return None
    return resolved


def _served_html(text: str, token: str) -> str:
    """A page as served: the token for the site script, and a CSP that allows talking back."""
    meta = f'<meta name="logicmine-token" content="{token}">'
    text = text.replace(f'content="{CSP}"', f'content="{SERVED_CSP}"', 1)
    return text.replace("<head>", f"<head>\n{meta}", 1)
