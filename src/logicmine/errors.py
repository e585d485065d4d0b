"""One error hierarchy; cli.py turns these into click exceptions."""

from __future__ import annotations


class LogicmineError(Exception):
    """Base of every error logicmine raises on purpose; the message says what to do."""

    exit_code = 1


class ConfigError(LogicmineError):
    """The configuration file or a flag is wrong."""

    exit_code = 2


class InputError(LogicmineError):
    """The path given to analyse cannot be used."""

    exit_code = 2


class OutputError(LogicmineError):
    """The output directory cannot be written."""


class StrictModeError(LogicmineError):
    """Per-file problems were found and --strict asked for them to fail the run."""
