"""Work no page depends on runs in a forked worker while this process renders the pages.

Highlighting every source with pygments is the single biggest cost of a render, and the
Markdown documents and exports need nothing the pages produce; a forked child inherits the
estate without pickling it and writes its files itself. Where fork is not available (or for a
small estate, where a worker costs more than it saves) the same function runs here.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from logicmine.parallel import detach_from_terminal_signals

log = logging.getLogger("logicmine.render")

T = TypeVar("T")


class Forked(Generic[T]):
    """`func()` computed in a forked worker, or here; `result()` waits for it."""

    def __init__(self, func: Callable[[], T], parallel: bool) -> None:
        self._func = func
        self._conn: Any = None
        self._process: Any = None
        if parallel and "fork" in mp.get_all_start_methods():
            self._start()

    def _start(self) -> None:
        ctx = mp.get_context("fork")  # must run before this process starts any thread
        parent, child = ctx.Pipe(duplex=False)
        try:
            self._process = ctx.Process(target=_serve,
                                        args=(child, self._func, parent, os.getpid()),
                                        daemon=True)
            self._process.start()
            self._conn = parent
        except OSError as exc:
            log.warning("working here instead of in a worker: %s", exc)
            self._process = None
            parent.close()
        finally:
            child.close()

    def result(self) -> T:
        """The function's value (from the worker when it succeeded, else computed here)."""
        if self._process is not None:
            try:
                ok, value = self._conn.recv()
                if ok:
                    return value
                log.warning("the render worker failed (%s); doing its work here", value)
            except (EOFError, OSError) as exc:
                log.warning("the render worker died (%s); doing its work here", exc)
            finally:
                self._conn.close()
                self._process.join(timeout=5)
                if self._process.is_alive():
                    self._process.kill()
                self._process = None
        return self._func()


def _serve(conn: Any, func: Callable[[], Any], reader: Any = None, parent: int = 0) -> None:
    """Worker side: run the function and send (ok, value) back in one message.

    The worker closes its copy of the pipe's read end (else, with the build killed, it would
    block for ever in `send` on a pipe it holds open itself), leaves Ctrl-C to the build and
    dies with it (see parallel.detach_from_terminal_signals).
    """
    if reader is not None:
        reader.close()
    if parent:
        detach_from_terminal_signals(parent)
    try:
        conn.send((True, func()))
    except Exception as exc:  # reported to the parent, which does the work itself
        conn.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
