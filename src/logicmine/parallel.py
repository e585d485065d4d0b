"""Run per-file work in worker processes, each task under a time limit (the watchdog).

tree-sitter's COBOL scanner can loop forever on some inputs, inside C code that no progress
callback reaches; the only safe limit is a process that can be killed. A hung worker is killed
and replaced, its task reported as timed out, and the run goes on.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one task: its result, or why there is none."""

    key: str
    result: Any = None
    error: str = ""
    timed_out: bool = False


_PR_SET_PDEATHSIG = 1


def detach_from_terminal_signals(parent: int) -> None:
    """Leave Ctrl-C to the parent, and die with it.

    Ctrl-C reaches the whole process group: the parent stops the workers itself, so a worker
    ignores SIGINT rather than print a traceback. A worker killed with its parent (SIGKILL)
    would otherwise go on spinning in a hung parse; on Linux the kernel kills it instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked across the fork (see _start); a Ctrl-C
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # pending is now dropped
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, TypeError):  # not Linux: EOF still ends an idle worker
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _serve(conn: Connection, func: Callable[[Any], Any], parent: int | None = None) -> None:
    if parent is not None:
        detach_from_terminal_signals(parent)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        key, payload = item
        try:
            result = func(payload)
        except Exception as exc:  # a bug on one file must not end the run
            result, error = None, f"{type(exc).__name__}: {exc}"
        else:
            error = ""
        try:
            conn.send((key, result, error))
        except (OSError, EOFError):  # the parent is gone: nobody wants the result
            return
        except Exception as exc:  # a result that cannot be pickled
            conn.send((key, None, f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx, func: Callable[[Any], Any]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, func, os.getpid()), daemon=True)
        _start(self.process)
        child.close()
        self.key: str | None = None
        self.deadline = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _start(process) -> None:
    """Start a worker with SIGINT blocked: a Ctrl-C must not reach it before it ignores SIGINT."""
    if not hasattr(signal, "pthread_sigmask"):
        process.start()
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _context():
    # fork: workers start in milliseconds and work from scripts, notebooks and stdin alike;
    # parsing runs before any thread of ours exists. Elsewhere, spawn.
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def run_tasks(func: Callable[[Any], Any], tasks: Iterable[tuple[str, Any]], *, jobs: int,
              timeout: float) -> Iterator[Outcome]:
    """Yield an Outcome per (key, payload) task, in completion order."""
    pending = list(tasks)
    pending.reverse()
    if not pending:
        return
    ctx = _context()
    workers = [_Worker(ctx, func) for _ in range(max(1, min(jobs or os.cpu_count() or 1,
                                                                len(pending))))]
    try:
        yield from _drive(ctx, func, workers, pending, timeout)
    finally:
        for worker in workers:
            worker.stop(kill=worker.key is not None)


def _drive(ctx, func, workers: list[_Worker], pending: list, timeout: float) -> Iterator[Outcome]:
    busy = 0
    while pending or busy:
        for worker in workers:
            if worker.key is None and pending:
                key, payload = pending.pop()
                worker.key, worker.deadline = key, time.monotonic() + timeout
                worker.conn.send((key, payload))
                busy += 1
        active = [w for w in workers if w.key is not None]
        soonest = min(w.deadline for w in active) - time.monotonic()
        ready = wait([w.conn for w in active], timeout=max(0.0, soonest))
        for worker in active:
            if worker.conn in ready:
                outcome = _receive(worker)
            elif time.monotonic() >= worker.deadline:
                outcome = Outcome(worker.key or "", timed_out=True,
                                  error=f"no result within {timeout:g} s")
            else:
                continue
            busy -= 1
            if outcome.timed_out or outcome.error.startswith("worker died"):
                worker.stop(kill=True)
                workers[workers.index(worker)] = _Worker(ctx, func)
            yield outcome


def _receive(worker: _Worker) -> Outcome:
    key = worker.key or ""
    worker.key = None
    try:
        _key, result, error = worker.conn.recv()
    except (EOFError, OSError) as exc:  # the worker died (memory, signal)
        return Outcome(key, error=f"worker died: {exc or 'no reply'}")
    return Outcome(key, result=result, error=error)
