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
