"""Java front end: legacy Java (servlets, EJB, JDBC) as the same facts the COBOL front end gives.

`parse_java_file` runs per file (in a worker); `link_java` resolves names across the estate.
"""

from .facts import JavaFileFacts
from .frontend import parse_java_file
from .link import link_java
from .rules_java import java_decision_kind, refine_rules

__all__ = ["JavaFileFacts", "java_decision_kind", "link_java", "parse_java_file", "refine_rules"]
