"""Task functions for the worker-pool tests (importable by worker processes)."""

import os
import time


def square_or_hang(payload):
    """Square a number; hang on 'hang', die on 'die', raise on 'boom'."""
    if payload == "hang":
        while True:
            time.sleep(1)
    if payload == "die":
        os._exit(3)
    if payload == "boom":
        raise ValueError("bad input")
    return payload * payload
