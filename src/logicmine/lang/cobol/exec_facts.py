"""Facts from masked EXEC CICS / SQL / DLI blocks: links, transfers, files, tables, screens."""

from __future__ import annotations

import re

from ...model import ExecBlock, Reference

_OPTION = re.compile(r"([A-Z][A-Z0-9-]*)\s*(\((?:[^()']|'[^']*'|\([^()]*\))*\))?", re.I)
_CICS_READS = {"READ", "READNEXT", "READPREV", "STARTBR", "RESETBR", "ENDBR"}
_CICS_WRITES = {"WRITE", "REWRITE", "DELETE"}
_DLI_READS = {"GU", "GN", "GNP", "GHU", "GHN", "GHNP"}
_DLI_WRITES = {"ISRT", "REPL", "DLET"}
_SQL_TABLE = re.compile(
    r"\b(?:FROM|JOIN|INTO|UPDATE|DELETE\s+FROM)\s+([A-Z][A-Z0-9_$#@]*(?:\.[A-Z][A-Z0-9_$#@]*)?)",
    re.I,
)


def cics_options(text: str) -> tuple[str, dict[str, str]]:
    """(command, options) of an EXEC CICS block; options map NAME -> raw value ('' if bare)."""
    body = re.sub(r"^\s*EXEC\s+CICS\s+|\s*END-EXEC\s*\.?\s*$", "", text, flags=re.I)
    options: dict[str, str] = {}
    command = ""
    for match in _OPTION.finditer(body):
        name = match.group(1).upper()
        value = (match.group(2) or "")[1:-1].strip()
        if not command:
            command = name
            if value == "" and name in ("SEND", "RECEIVE", "HANDLE", "IGNORE", "START"):
                continue
        options.setdefault(name, value)
    return command, options


def _target(value: str) -> tuple[str, bool, str]:
    """(target, dynamic, via) from a CICS option value: a literal or a data name."""
    value = value.strip()
    if value[:1] in ("'", '"'):
        return value.strip("'\"").strip().upper(), False, ""
    name = value.split("(")[0].split()[0].upper() if value else ""
    return "", True, name


def _ref(block: ExecBlock, program: str, procedure: str, kind: str, target: str,
         **extra) -> Reference:
    return Reference(kind=kind, program=program, procedure=procedure, target=target,
                     file=block.file, line=block.line, **extra)


def cics_refs(block: ExecBlock, program: str, procedure: str) -> list[Reference]:
    """LINK/XCTL, RETURN/START TRANSID, file commands, SEND/RECEIVE MAP, HANDLE ABEND."""
    command, options = cics_options(block.text)
    refs: list[Reference] = []
    if command in ("LINK", "XCTL") and "PROGRAM" in options:
        target, dynamic, via = _target(options["PROGRAM"])
        kind = "links" if command == "LINK" else "xctls"
        refs.append(_ref(block, program, procedure, kind, target, dynamic=dynamic, via=via))
    if "TRANSID" in options and command in ("RETURN", "START"):
        target, dynamic, via = _target(options["TRANSID"])
        refs.append(_ref(block, program, procedure, "starts", target, dynamic=dynamic, via=via,
                         detail=command))
    dataset = options.get("FILE") or options.get("DATASET")
    if dataset and (command in _CICS_READS or command in _CICS_WRITES):
        target, dynamic, via = _target(dataset)
        kind = "reads" if command in _CICS_READS else "writes"
        refs.append(_ref(block, program, procedure, kind, target or via, detail=f"CICS {command}"))
    if command in ("SEND", "RECEIVE") and "MAP" in options:
        refs.append(_screen_ref(block, program, procedure, command, options))
    if command == "HANDLE" and "ABEND" in options:
        label = options.get("LABEL") or options.get("PROGRAM") or ""
        refs.append(_ref(block, program, procedure, "handles", _target(label)[0] or
                         _target(label)[2], detail="HANDLE ABEND"))
    return refs


def _screen_ref(block: ExecBlock, program: str, procedure: str, command: str,
                options: dict[str, str]) -> Reference:
    map_name = _target(options["MAP"])
    mapset = _target(options.get("MAPSET", "")) if options.get("MAPSET") else ("", False, "")
    name = map_name[0] or map_name[2]
    set_name = mapset[0] or mapset[2]
    target = f"{set_name}.{name}" if set_name else name
    kind = "sends" if command == "SEND" else "receives"
    return _ref(block, program, procedure, kind, target, detail=f"CICS {command} MAP")


def sql_refs(block: ExecBlock, program: str, procedure: str) -> list[Reference]:
    """Tables read and written by SELECT/INSERT/UPDATE/DELETE/DECLARE CURSOR."""
    body = re.sub(r"^\s*EXEC\s+SQL\s+|\s*END-EXEC\s*\.?\s*$", "", block.text, flags=re.I)
    words = body.split()
    verb = words[0].upper() if words else ""
    if verb == "DECLARE" and re.search(r"\bCURSOR\b", body, re.I):
        verb = "SELECT"
    if verb not in ("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"):
        return []
    refs = []
    for match in _SQL_TABLE.finditer(body):
        keyword = match.group(0).split()[0].upper()
        table = match.group(1).upper()
        if keyword == "INTO" and verb == "SELECT":
            continue  # SELECT ... INTO :host-variables
        kind = "reads" if verb == "SELECT" or keyword in ("FROM", "JOIN") and verb != "DELETE" \
            else "writes"
        refs.append(_ref(block, program, procedure, kind, table, detail=f"SQL {verb}"))
    return refs


def dli_refs(block: ExecBlock, program: str, procedure: str) -> list[Reference]:
    """DL/I calls on segments."""
    body = re.sub(r"^\s*EXEC\s+DLI\s+|\s*END-EXEC\s*\.?\s*$", "", block.text, flags=re.I)
    words = body.split()
    verb = words[0].upper() if words else ""
    if verb not in _DLI_READS | _DLI_WRITES:
        return []
    segment = re.search(r"\bSEGMENT\s*\(\s*'?([A-Z0-9#@$-]+)", body, re.I)
    target = segment.group(1).upper() if segment else ""
    kind = "reads" if verb in _DLI_READS else "writes"
    return [_ref(block, program, procedure, kind, target, detail=f"DLI {verb}")]


def exec_refs(block: ExecBlock, program: str, procedure: str) -> list[Reference]:
    """References of one EXEC block, by its kind."""
    readers = {"CICS": cics_refs, "SQL": sql_refs, "DLI": dli_refs}
    reader = readers.get(block.kind)
    return reader(block, program, procedure) if reader else []
