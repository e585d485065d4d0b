"""The cyclic garbage collector around the build's largest allocations.

Facts, analyses and view values of a large estate are millions of objects, nearly none of
them garbage: the collector's default pace (a collection every 700 new objects, each walking
what survived before) spent seconds walking them again and again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """The cyclic collector held off while stored objects are unpickled: the facts and analyses
    of an estate are millions of objects, none of them garbage, and a collection every few
    thousand new objects walked them all again (at 1M lines it doubled the time to read them
    back). The objects loaded hold no reference cycles; reference counting frees them. With
    `freeze`, for what lives to the end of the run, they are then put out of the collector's
    sight (else the first collection after this walks them all once more)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()


@contextmanager
def rare_collections() -> Iterator[None]:
    """The cyclic collector run a hundred times less often (it still runs): a build makes
    millions of short-lived objects, nearly all freed by reference counting, and a collection
    every 700 of them walked what the build holds again and again (in the render alone, at
    1M lines, 6% of a one-file rebuild's time and 11% of its CPU). Restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
