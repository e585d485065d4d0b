"""Summarisers turn rules, clusters and programs into claims that cite source lines."""

from __future__ import annotations

from typing import Protocol

from ..model import Cluster, Program, Rule, Summary


class Summariser(Protocol):
    """What every backend provides; the offline one is the default and the reference."""

    name: str

    def rule(self, rule: Rule) -> Summary:
        """One rule in plain English."""
        ...

    def cluster(self, cluster: Cluster, rules: list[Rule], program: Program) -> Summary:
        """What one cluster of procedures does."""
        ...

    def program(self, program: Program, clusters: list[Cluster], rules: list[Rule]) -> Summary:
        """What one program does."""
        ...


# The model backend, imported on first use so offline runs never load the openai package.
_MODEL_API = {
    "summarise_with_model": "openai_backend",
    "open_client": "openai_backend",
    "default_cache_dir": "openai_backend",
    "LLMSettings": "settings",
    "LLMReport": "settings",
    "BackendError": "settings",
    "parse_prices": "settings",
}


def __getattr__(name: str) -> object:
    """`from logicmine.summarise import summarise_with_model` without an eager import."""
    if name not in _MODEL_API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{_MODEL_API[name]}"), name)
