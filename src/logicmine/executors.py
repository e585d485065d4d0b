"""The executor seam: where per-file work runs.

`local` is our own process pool with a per-task watchdog (parallel.py). `dask` runs the same
tasks on a Dask cluster: a local one, or the scheduler at `dask://HOST:PORT` when an estate
outgrows one machine. Every executor yields parallel.Outcome values, so the pipeline does
not know which one ran.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .errors import ConfigError
from .parallel import Outcome, run_tasks

log = logging.getLogger("logicmine.executors")


def run(executor: str, func: Callable[[Any], Any], tasks: Iterable[tuple[str, Any]], *,
        jobs: int, timeout: float) -> Iterator[Outcome]:
    """Run tasks on the configured executor."""
    if executor == "local":
        return run_tasks(func, tasks, jobs=jobs, timeout=timeout)
    if executor == "dask" or executor.startswith("dask://"):
        return run_dask(func, tasks, address=executor.removeprefix("dask://")
                        if executor != "dask" else "", jobs=jobs, timeout=timeout)
    raise ConfigError(f"unknown executor {executor!r}; use local, dask or dask://HOST:PORT")


def _client(address: str, jobs: int):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("the dask executor needs Dask: pip install 'logicmine[dask]'") from exc
    if address:
        return Client(f"tcp://{address}", timeout="30s"), None
    cluster = LocalCluster(n_workers=max(1, jobs or 1), threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def run_dask(func: Callable[[Any], Any], tasks: Iterable[tuple[str, Any]], *, address: str,
             jobs: int, timeout: float) -> Iterator[Outcome]:
    """Submit every task to Dask; a task past its deadline is cancelled and reported."""
    from dask.distributed import wait

    tasks = list(tasks)
    if not tasks:
        return
    client, cluster = _client(address, jobs)
    try:
        futures = {client.submit(func, payload, key=f"logicmine-{i}-{key}", pure=False): key
                   for i, (key, payload) in enumerate(tasks)}
        deadline = time.monotonic() + timeout * max(1, len(tasks) / max(1, jobs or 1))
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=max(0.1, deadline - time.monotonic()),
                                 return_when="FIRST_COMPLETED")
            for future in done:
                yield _outcome(futures[future], future)
            if time.monotonic() >= deadline:
                for future in pending:
                    future.cancel()
                    yield Outcome(futures[future], timed_out=True,
                                  error="no result within the run's deadline on "
                                        f"{address or 'dask'}")
                pending = set()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _outcome(key: str, future) -> Outcome:
    try:
        return Outcome(key, result=future.result())
    except Exception as exc:  # one file's failure must not end the run
        return Outcome(key, error=f"{type(exc).__name__}: {exc}")
