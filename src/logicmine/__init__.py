"""logicmine: recover business logic from legacy COBOL and Java estates."""

__version__ = "0.1.0"
