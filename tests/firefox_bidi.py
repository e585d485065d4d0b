"""A small WebDriver BiDi client that drives Debian's Firefox ESR, headless, for the site tests.

Playwright's own Firefox is a patched build it would download, and its BiDi path for stock
Firefox sends commands (``emulation.setMediaFeaturesOverride``) that Firefox ESR does not
implement. So this speaks the W3C protocol directly over one websocket: launch Firefox with a
fresh profile, read the endpoint it prints, and send commands one at a time; events that
arrive meanwhile are kept for the tests to inspect (console errors, requests).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

# Nothing in the browser itself may go on the network: updates, telemetry, experiments,
# remote settings, safe browsing, captive-portal and connectivity checks are all switched off.
# Beyond that, MOZ_DISABLE_NONLOCAL_CONNECTIONS (Firefox's own test switch) makes it stop with
# "Non-local network connections are disabled" rather than open a connection off the machine;
# it also lets the remote-settings server be pointed at nothing (release builds ignore that
# preference otherwise).
PREFS: dict[str, Any] = {
    "app.normandy.enabled": False,
    "app.normandy.api_url": "",
    "app.shield.optoutstudies.enabled": False,
    "app.update.auto": False,
    "app.update.checkInstallTime": False,
    "app.update.disabledForTesting": True,
    "browser.aboutwelcome.enabled": False,
    "browser.discovery.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.newtabpage.activity-stream.feeds.system.topstories": False,
    "browser.newtabpage.activity-stream.showSponsoredTopSites": False,
    "browser.ping-centre.telemetry": False,
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.search.update": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage": "about:blank",
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.topsites.contile.enabled": False,
    "browser.translations.enable": False,
    "browser.urlbar.suggest.searches": False,
    "captivedetect.canonicalURL": "",
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.usage.uploadEnabled": False,
    "dom.push.connection.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.update.enabled": False,
    "general.useragent.updates.enabled": False,
    "geo.provider.network.url": "",
    "media.gmp-manager.updateEnabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "network.prefetch-next": False,
    "privacy.trackingprotection.enabled": False,
    "services.settings.server": "data:,#remote-settings-dummy/v1",
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.server": "",
    "toolkit.telemetry.unified": False,
}

# Runs in every page before its own scripts: Firefox does not report a resource that failed to
# load on the protocol (Chromium logs one as a console error), so the page reports it.
WATCH_PAGE = """() => {
  window.addEventListener('error', e => {
    const t = e.target;
    if (t && t !== window && (t.src || t.href))
      console.error('failed to load ' + (t.src || t.href));
  }, true);
}"""

KEYS = {"Enter": "\ue007", "Tab": "\ue004", "Escape": "\ue00c", "ArrowDown": "\ue015"}


class BiDiError(RuntimeError):
    pass


def value(remote: dict) -> Any:
    """A BiDi remote value as plain Python (nodes stay as their protocol form)."""
    kind = remote["type"]
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean", "number"):
        return remote["value"]
    if kind in ("array", "set"):
        return [value(v) for v in remote.get("value", [])]
    if kind in ("object", "map"):
        return {(k if isinstance(k, str) else value(k)): value(v) for k, v in remote["value"]}
    return remote


class Firefox:
    """One headless Firefox with a fresh profile and one BiDi session."""

    def __init__(self, executable: Path, profile: Path, *, start_timeout: float = 60) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items()),
            encoding="utf-8",
        )
        self.log = profile.parent / (profile.name + ".log")
        env = dict(
            os.environ,
            MOZ_CRASHREPORTER_DISABLE="1",
            MOZ_CRASHREPORTER_NO_REPORT="1",
            MOZ_DISABLE_NONLOCAL_CONNECTIONS="1",
        )
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [
                    str(executable),
                    "--headless",
                    "--no-remote",
                    "--remote-debugging-port=0",
                    "--profile",
                    str(profile),
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                env=env,
                start_new_session=True,  # its content processes share its group: killed together
            )
        self.events: list[dict] = []
        self._next = 0
        self._stack = contextlib.ExitStack()  # the websocket
        self.socket = None
        try:
            self.socket = self._stack.enter_context(
                connect(self._endpoint(start_timeout) + "/session", max_size=None, proxy=None)
            )
            self.command("session.new", {"capabilities": {}})
            self.command(
                "session.subscribe", {"events": ["log.entryAdded", "network.beforeRequestSent"]}
            )
            self.command("script.addPreloadScript", {"functionDeclaration": WATCH_PAGE})
        except BaseException:
            self.close()
            raise

    def _endpoint(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", self._output())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise BiDiError(f"Firefox did not start its WebDriver BiDi server:\n{self._output()}")

    def _output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def command(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        """Send one command and wait for its answer, keeping the events received meanwhile."""
        self._next += 1
        ident = self._next
        deadline = time.monotonic() + timeout
        try:
            self.socket.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BiDiError(f"{method}: no answer in {timeout} s")
                message = json.loads(self.socket.recv(timeout=left))
                if message.get("type") == "event":
                    self.events.append(message)
                elif message.get("id") == ident:
                    if message.get("type") == "error":
                        raise BiDiError(f"{method}: {message['error']}: {message.get('message')}")
                    return message["result"]
        except ConnectionClosed as closed:
            raise BiDiError(f"{method}: Firefox went away:\n{self._output()[-2000:]}") from closed

    def drain(self, quiet: float = 0.2) -> None:
        """Collect the events sent until the browser has been quiet for a moment."""
        while True:
            try:
                message = json.loads(self.socket.recv(timeout=quiet))
            except TimeoutError:
                return
            except ConnectionClosed as closed:
                raise BiDiError(f"Firefox went away:\n{self._output()[-2000:]}") from closed
            if message.get("type") == "event":
                self.events.append(message)

    def tab(self, width: int = 1280, height: int = 900) -> Tab:
        return Tab(self, width, height)

    def close(self) -> None:
        try:
            if self.socket is not None:
                with contextlib.suppress(Exception):  # it may close the socket before answering
                    self.command("browser.close", timeout=10)
                with contextlib.suppress(Exception):
                    self._stack.close()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=15)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # whatever of it is left
            self.process.wait()


class Tab:
    """A browsing context with its own console errors and requests."""

    def __init__(self, firefox: Firefox, width: int, height: int) -> None:
        self.firefox = firefox
        self.id = firefox.command("browsingContext.create", {"type": "tab"})["context"]
        firefox.command(
            "browsingContext.setViewport",
            {"context": self.id, "viewport": {"width": width, "height": height}},
        )

    # ------------------------------------------------------------ what the page did

    def _events(self, method: str) -> list[dict]:
        return [e["params"] for e in self.firefox.events if e["method"] == method]

    def errors(self) -> list[str]:
        return [
            e.get("text") or ""
            for e in self._events("log.entryAdded")
            if e.get("level") == "error" and e.get("source", {}).get("context") == self.id
        ]

    def requests(self) -> list[str]:
        return [
            e["request"]["url"]
            for e in self._events("network.beforeRequestSent")
            if e.get("context") == self.id
        ]

    # ------------------------------------------------------------ page

    def goto(self, url: str) -> None:
        self.firefox.command(
            "browsingContext.navigate", {"context": self.id, "url": url, "wait": "complete"}
        )

    def call(self, function: str, *args: str | int | float | bool, node: bool = False) -> Any:
        """Run a JavaScript function in the page with plain arguments and return its result."""
        result = self.firefox.command(
            "script.callFunction",
            {
                "functionDeclaration": function,
                "target": {"context": self.id},
                "arguments": [self._argument(a) for a in args],
                "awaitPromise": True,
                "resultOwnership": "none",
                "serializationOptions": {"maxDomDepth": 0},
            },
        )
        if result["type"] == "exception":
            raise BiDiError(f"{function}: {result['exceptionDetails'].get('text')}")
        return result["result"] if node else value(result["result"])

    @staticmethod
    def _argument(arg: str | int | float | bool) -> dict:
        if isinstance(arg, bool):
            return {"type": "boolean", "value": arg}
        if isinstance(arg, (int, float)):
            return {"type": "number", "value": arg}
        return {"type": "string", "value": arg}

    def evaluate(self, expression: str) -> Any:
        return self.call(f"() => ({expression})")

    @property
    def url(self) -> str:
        return self.evaluate("location.href")

    def wait_for(self, function: str, *args: str | int | float, timeout: float = 10) -> Any:
        """Poll a function until it returns something truthy; a navigation in between is fine."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            try:
                last = self.call(function, *args)
                if last:
                    return last
            except BiDiError as error:  # the page was replaced while it ran
                last = error
            time.sleep(0.05)
        raise BiDiError(f"timed out after {timeout} s waiting for {function}{args}: {last!r}")

    def wait_for_url(self, pattern: str, timeout: float = 10) -> str:
        return self.wait_for(
            "p => document.readyState === 'complete' && new RegExp(p).test(location.href)"
            " && location.href",
            pattern,
            timeout=timeout,
        )

    # ------------------------------------------------------------ input

    def click(self, selector: str, index: int = 0) -> None:
        """A real mouse click in the middle of the element, once it is scrolled into view."""
        element = self.call(
            "(s, i) => { const e = document.querySelectorAll(s)[i];"
            " if (!e) throw new Error('no ' + s); e.scrollIntoView({block: 'center'}); return e; }",
            selector,
            index,
            node=True,
        )
        self._act(
            {
                "type": "pointer",
                "id": "mouse",
                "parameters": {"pointerType": "mouse"},
                "actions": [
                    {
                        "type": "pointerMove",
                        "x": 0,
                        "y": 0,
                        "origin": {"type": "element", "element": {"sharedId": element["sharedId"]}},
                    },
                    {"type": "pointerDown", "button": 0},
                    {"type": "pointerUp", "button": 0},
                ],
            }
        )

    def press(self, key: str) -> None:
        self.type(KEYS.get(key, key))

    def type(self, text: str) -> None:
        actions = []
        for char in text:
            actions += [{"type": "keyDown", "value": char}, {"type": "keyUp", "value": char}]
        self._act({"type": "key", "id": "keyboard", "actions": actions})

    def _act(self, source: dict) -> None:
        self.firefox.command("input.performActions", {"context": self.id, "actions": [source]})
        self.firefox.command("input.releaseActions", {"context": self.id})

    def close(self) -> None:
        self.firefox.command("browsingContext.close", {"context": self.id})
