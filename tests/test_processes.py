"""Business processes across programs, decision tables and the data dictionary, on the samples."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cobolkit import card, parse

from logicmine.business_exports import dictionary_json
from logicmine.config import load_config
from logicmine.decisions import decision_table, program_csv, table_csv
from logicmine.dictionary import cross_reference, data_dictionary
from logicmine.pipeline import analyse, parse_estate
from logicmine.render.exports import record_lines
from logicmine.rules import extract_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def estate():
    config = load_config(ROOT / "samples" / "cobol")
    return analyse(config, parse_estate(config)).estate


def test_processes_are_seeded_from_jobs_and_online_programs(estate):
    kinds = {(p.entry_kind, p.entry) for p in estate.processes}
    assert ("online", "cobol:SLMENU") in kinds and ("online", "cobol:SLINQ") in kinds
    db2 = next(p for p in estate.processes if p.entry == "jcl:SLNIGHT:STEP050")
    assert db2.programs == ("TXNPOST",)
    assert "SAVLN.ACCOUNT" in db2.tables and "SAVLN.DAILY.TXNS" in db2.datasets


def test_steps_sharing_datasets_form_one_process_and_subroutines_join_it(estate):
    nightly = [p for p in estate.processes if p.entry == "jcl:SLNIGHT:STEP010"]
    assert nightly, "the nightly chain is a process"
    programs = set(nightly[0].programs)
    assert {"ACCTVAL", "INTCALC", "LOANDLQ", "RPTGEN"} <= programs
    assert {"FEECALC", "DATEUTIL"} & programs, "CALLed subroutines run inside the process"


def test_large_processes_are_split_and_the_split_recorded(estate):
    parts = [p for p in estate.processes if p.parent]
    assert parts, "the nightly chain is larger than one reading"
    for process in parts:
        assert process.id.startswith(process.parent) and process.part >= 1
        assert "split" in process.note
        assert len(process.rules) <= 80
    parent = parts[0].parent
    members = [p for p in parts if p.parent == parent]
    all_procs = [proc for p in members for proc in p.procedures]
    assert len(all_procs) == len(set(all_procs)), "a procedure belongs to one part"


def test_process_ids_are_stable(estate):
    config = load_config(ROOT / "samples" / "cobol")
    again = analyse(config, parse_estate(config)).estate
    assert [p.id for p in again.processes] == [p.id for p in estate.processes]


class _Memo:
    """The state's memo interface, in a dict."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], object] = {}

    def recall(self, ns, keys, mark=True):
        return {k: self.entries[(ns, k)] for k in keys if (ns, k) in self.entries}

    def remember(self, ns, items):
        self.entries.update({(ns, k): v for k, v in items.items()})


def test_an_entry_points_processes_come_from_the_memo_while_its_programs_are_unchanged(
        monkeypatch):
    import logicmine.processes as processes_module
    from logicmine.graph import build_graph
    from logicmine.lang.jcl import dd_access
    from logicmine.processes import find_processes

    config = load_config(ROOT / "samples" / "cobol")
    parsed = parse_estate(config)
    programs, jobs = list(parsed.programs), list(parsed.jobs)
    graph = build_graph(programs, jobs, dd_access)
    rules = [r for p in programs for r in extract_rules(p)]
    keys = {p.name: (f"key-{p.name}",) for p in programs}
    memo = _Memo()
    first = find_processes(graph, programs, jobs, rules, memo, keys)
    assert first == find_processes(graph, programs, jobs, rules)  # the memo changes nothing

    made: list[str] = []
    split = processes_module._split
    monkeypatch.setattr(processes_module, "_split",
                        lambda base, *a, **k: made.append(base.entry) or split(base, *a, **k))
    assert find_processes(graph, programs, jobs, rules, memo, keys) == first
    assert made == [], "every entry point's processes came from the memo"

    # a program's facts changed: the entry points reaching it are worked out again, only them
    changed = dict(keys, FEECALC=("another",))
    assert find_processes(graph, programs, jobs, rules, memo, changed) == first
    reaching = {p.entry for p in first if "FEECALC" in p.programs}
    assert reaching and set(made) == reaching

    # a call added to the graph makes a new member: the memo's processes are not reused
    made.clear()
    graph.add_edge("cobol:SLINQ", "cobol:DATEUTIL", kind="calls", file="x", line=1)
    again = find_processes(graph, programs, jobs, rules, memo, changed)
    inquiry = next(p for p in again if p.entry == "cobol:SLINQ")
    assert "DATEUTIL" in inquiry.programs and "cobol:SLINQ" in made


def test_evaluate_also_is_a_table_with_a_column_per_subject():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. TIERS.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-TYPE PIC X.
01 WS-YEARS PIC 99.
01 WS-RATE PIC 9V999.
01 WS-NOTE PIC X(10).
PROCEDURE DIVISION.
MAIN-PARA.
    EVALUATE WS-TYPE ALSO TRUE
       WHEN 'G' ALSO WS-YEARS > 5
            MOVE 0.050 TO WS-RATE
            MOVE 'LOYAL' TO WS-NOTE
       WHEN 'G' ALSO ANY
            MOVE 0.040 TO WS-RATE
       WHEN OTHER
            MOVE 0.010 TO WS-RATE
            PERFORM LOG-IT
    END-EVALUATE
    GOBACK.
LOG-IT.
    DISPLAY WS-TYPE.
""")
    (program,), _ = parse(text)
    rule = next(r for r in extract_rules(program) if r.subjects)
    table = decision_table(rule)
    assert table.conditions == ("WS-TYPE", "TRUE")
    assert table.actions == ("WS-RATE", "WS-NOTE", "do")
    rows = list(csv.reader(io.StringIO(table_csv(table, rule.file))))
    assert rows[0] == ["if WS-TYPE", "if TRUE", "then WS-RATE", "then WS-NOTE", "then do", "lines"]
    assert rows[1][:4] == ["'G'", "WS-YEARS > 5", "0.050", "'LOYAL'"]
    assert rows[3][:2] == ["OTHER", ""] and rows[3][4] == "PERFORM LOG-IT"
    assert rows[1][5] == "src/PROG.cbl:12-14"


def test_a_programs_decision_tables_are_stacked_in_one_csv_in_source_order(estate):
    by_program = {}
    for rule in estate.rules:
        if rule.branches:
            by_program.setdefault(rule.program, []).append(rule)
    program, rules = max(by_program.items(), key=lambda item: len(item[1]))
    assert len(rules) > 1
    rows = list(csv.reader(io.StringIO(program_csv(list(reversed(rules))))))
    heads = [i for i, row in enumerate(rows) if row and row[0] == "rule"]
    assert [rows[i][1] for i in heads] == [r.id for r in sorted(
        rules, key=lambda r: (r.file, r.span.line, r.span.end_line, r.id))]
    for number, i in enumerate(heads):
        rule = next(r for r in rules if r.id == rows[i][1])
        assert rows[i][2:] == [rule.kind, rule.span.cite()]
        table = decision_table(rule)
        end = heads[number + 1] if number + 1 < len(heads) else len(rows)
        body = rows[i + 1:end]
        assert body[-1] == [], "a blank row closes each table"
        assert body[:-1] == list(csv.reader(io.StringIO(table_csv(table, rule.file))))


# ---------------------------------------------------------------- data dictionary


def test_the_dictionary_lists_each_definition_once_with_the_programs_that_declare_it(estate):
    items = data_dictionary(estate)
    declared = sorted((p.name, i.file, i.line, i.name, i.section, i.parent)
                      for p in estate.programs for i in p.data_items if i.name != "FILLER")
    expanded = sorted((program, i["file"], i["line"], i["name"], i["section"], i["parent"])
                      for i in items for program in i["programs"])
    assert expanded == declared  # every program's declarations, and nothing else
    definitions = [tuple(str(v) for k, v in i.items() if k not in ("programs", "read_by",
                                                                   "written_by"))
                   for i in items]
    assert len(definitions) == len(set(definitions)), "a definition is one item"
    assert [(i["file"], i["line"]) for i in items] == sorted((i["file"], i["line"]) for i in items)
    shared = [i for i in items if i["name"] == "ACCT-NUMBER" and i["copybook"] == "ACCTREC"]
    assert {"ACCTVAL", "INTCALC", "LOANDLQ"} <= set(shared[0]["programs"])
    # a program that copies the record into another section has an item of its own
    sections = {i["section"] for i in items if i["name"] == "ACCT-MASTER-REC"}
    assert len(sections) == len([i for i in items if i["name"] == "ACCT-MASTER-REC"]) > 1


def test_the_dictionary_names_the_rules_of_its_programs_that_read_and_write_it(estate):
    touched = 0
    for item in data_dictionary(estate):
        rules = [r for r in estate.rules if r.program in item["programs"]]
        assert item["read_by"] == sorted(r.id for r in rules if item["name"] in r.inputs)
        assert item["written_by"] == sorted(r.id for r in rules if item["name"] in r.outputs)
        touched += bool(item["read_by"] or item["written_by"])
    assert touched > 20


def test_the_cross_reference_names_the_programs_sharing_a_field(estate):
    fields = cross_reference(estate)
    programs: dict[str, set[str]] = {}
    for item in data_dictionary(estate):
        programs.setdefault(item["name"], set()).update(item["programs"])
    assert fields == {name: sorted(found) for name, found in sorted(programs.items())
                      if len(found) > 1}
    assert "FEE-AMOUNT" in fields and "FEECALC" in fields["FEE-AMOUNT"]


def test_data_dictionary_json_is_version_2_a_definition_per_line(estate):
    text = dictionary_json(estate)
    assert text == dictionary_json(estate) == record_lines(json.loads(text))
    data = json.loads(text)
    assert data["version"] == 2 and set(data) == {"version", "items", "fields"}
    assert data["fields"] == cross_reference(estate)
    lines = text.split("\n")
    start = lines.index('"items": [') + 1
    records = [json.loads(line.rstrip(",")) for line in lines[start : start + len(data["items"])]]
    assert records == data["items"]
    full = data_dictionary(estate)
    assert len(records) == len(full)
    for record, item in zip(records, full, strict=True):
        assert {k: v for k, v in item.items() if v not in ("", [], 0)} == \
            {k: v for k, v in record.items() if v not in ("", [], 0)}  # only empties left out
        assert "level" in record and "line" in record and record["programs"]


def test_processes_and_smells_are_written_as_asdict_gives_them(estate):
    """processes.json, smells.json and rules.json write them without asdict's deep copy: a
    field that is itself a dataclass would be written differently, and this fails."""
    from dataclasses import asdict

    from logicmine.model import Smell
    from logicmine.render.exports import flat_record

    smell = Smell("unused-code", "FEECALC", "cbl/FEECALC.cbl", 10, 12, "never performed")
    assert estate.processes
    for value in (*estate.processes, smell):
        assert flat_record(value) == asdict(value)
