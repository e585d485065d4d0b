"""Rules, clusters and offline summaries from small programs written for these tests."""

from cobolkit import card, parse

from logicmine.cluster import program_clusters
from logicmine.rules import extract_rules
from logicmine.summarise.offline import OfflineSummariser

FEES = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. FEERULE.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-ACCT-TYPE     PIC X.
   88 ACCT-PREMIUM  VALUE 'P'.
   88 ACCT-BASIC    VALUE 'B' 'S'.
01 WS-BAL           PIC S9(7)V99.
01 WS-FEE           PIC S9(5)V99.
01 WS-REASON        PIC X(3).
01 WS-STATUS        PIC X.
01 WS-NEXT-PGM      PIC X(8).
PROCEDURE DIVISION.
0000-MAIN.
    PERFORM 1000-FEES
    PERFORM 2000-ROUTE
    GOBACK.
1000-FEES.
    EVALUATE TRUE
       WHEN ACCT-PREMIUM
          MOVE 0 TO WS-FEE
       WHEN ACCT-BASIC AND WS-BAL < 500
          COMPUTE WS-FEE ROUNDED = WS-BAL * 0.015
       WHEN OTHER
          MOVE 'R07' TO WS-REASON
    END-EVALUATE
    IF WS-BAL < 0
       MOVE 'D' TO WS-STATUS
    ELSE IF WS-BAL = 0
       MOVE 'Z' TO WS-STATUS
    ELSE
       MOVE 'A' TO WS-STATUS
    END-IF
    END-IF.
1000-EXIT.
    EXIT.
2000-ROUTE.
    IF WS-STATUS = 'D'
       CALL 'COLLECT' USING WS-BAL
    END-IF.
9000-UNUSED.
    DISPLAY 'NEVER'.
""")


def rules_of(text):
    (program,), _ = parse(text)
    return program, extract_rules(program)


def test_evaluate_becomes_one_rule_with_a_branch_per_when():
    _, rules = rules_of(FEES)
    rule = next(r for r in rules if r.branches and r.branches[0].line == 20)
    assert rule.kind == "validation"  # the OTHER branch sets a reason code
    conditions = [b.condition for b in rule.branches]
    assert conditions[0] == "ACCT-PREMIUM [WS-ACCT-TYPE = 'P']"
    assert conditions[1] == "ACCT-BASIC [WS-ACCT-TYPE = 'B' OR 'S'] AND WS-BAL < 500"
    assert conditions[2] == "OTHERWISE"
    assert (rule.start_line, rule.end_line) == (19, 26)
    assert "WS-FEE" in rule.outputs and "WS-BAL" in rule.inputs


def test_else_if_chain_is_one_state_transition_rule():
    _, rules = rules_of(FEES)
    chains = [r for r in rules if r.kind == "state-transition"]
    assert len(chains) == 1
    assert [b.condition for b in chains[0].branches] == ["WS-BAL < 0", "WS-BAL = 0", "OTHERWISE"]
    assert chains[0].branches[1].actions == ("MOVE 'Z' TO WS-STATUS",)


def test_calculation_and_routing_rules():
    _, rules = rules_of(FEES)
    calc = next(r for r in rules if r.kind == "calculation")
    assert calc.start_line == 23 and "ROUNDED" in calc.text
    routing = next(r for r in rules if r.kind == "routing")
    assert routing.procedure == "2000-ROUTE"
    assert routing.actions == ("CALL 'COLLECT' USING WS-BAL",)


def test_rule_ids_survive_unrelated_edits():
    _, before = rules_of(FEES)
    moved = FEES.replace("       0000-MAIN.\n", "       0000-MAIN.\n           DISPLAY 'HELLO'\n")
    _, after = rules_of(moved)
    assert {r.id for r in before} == {r.id for r in after}
    assert [r.start_line + 1 for r in before] == [r.start_line for r in after]


def test_clusters_follow_performs_and_keep_unreached_paragraphs():
    program, rules = rules_of(FEES)
    clusters = program_clusters(program, rules)
    entries = [c.entry for c in clusters]
    assert entries[:3] == ["0000-MAIN", "1000-FEES", "2000-ROUTE"]
    unreached = next(c for c in clusters if not c.entry)
    assert set(unreached.procedures) == {"1000-EXIT", "9000-UNUSED"}
    assert sorted(rid for c in clusters for rid in c.rules) == sorted(r.id for r in rules)


def test_offline_summary_quotes_names_and_cites_lines():
    program, rules = rules_of(FEES)
    summariser = OfflineSummariser()
    routing = next(r for r in rules if r.kind == "routing")
    summary = summariser.rule(routing)
    claim = summary.claims[0]
    assert "`WS-STATUS = 'D'`" in claim.text and "`CALL 'COLLECT' USING WS-BAL`" in claim.text
    assert claim.citations[0].cite() == f"src/PROG.cbl:{routing.start_line}-{routing.end_line}"
    overview = summariser.program(program, program_clusters(program, rules), rules)
    assert "`FEERULE`" in overview.claims[0].text
    assert any("`COLLECT`" in c.text for c in overview.claims)


def test_at_end_and_not_at_end_are_two_branches_of_one_read():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. READER.
ENVIRONMENT DIVISION.
INPUT-OUTPUT SECTION.
FILE-CONTROL.
    SELECT IN-FILE ASSIGN TO INDD.
DATA DIVISION.
FILE SECTION.
FD IN-FILE.
01 IN-REC PIC X(80).
WORKING-STORAGE SECTION.
01 WS-EOF PIC X VALUE 'N'.
01 WS-N   PIC 9(5) VALUE 0.
01 WS-T   PIC 9(7) VALUE 0.
PROCEDURE DIVISION.
MAIN-PARA.
    READ IN-FILE
       AT END MOVE 'Y' TO WS-EOF
       NOT AT END
          ADD 1 TO WS-N
          COMPUTE WS-T = WS-T + WS-N
             ON SIZE ERROR MOVE 0 TO WS-T
          END-COMPUTE
    END-READ
    GOBACK.
""")
    program, rules = rules_of(text)
    read = next(r for r in rules if r.kind == "data-access")
    assert [b.condition for b in read.branches] == ["AT END", "NOT AT END"]
    assert read.branches[0].actions == ("MOVE 'Y' TO WS-EOF",)
    assert read.branches[1].actions[0] == "ADD 1 TO WS-N"
    compute = next(r for r in rules if r.text.startswith("COMPUTE"))
    assert [b.condition for b in compute.branches] == ["ON SIZE ERROR"]
    reads = [(r.kind, r.target, r.detail) for r in program.references if r.kind == "reads"]
    assert reads == [("reads", "INDD", "READ IN-FILE")]


def test_abbreviated_conditions_and_also_subjects_are_written_out():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. ABBREV.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-CODE   PIC 9.
01 WS-SCORE  PIC 999.
01 WS-TYPE   PIC X.
   88 TYPE-GOLD VALUE 'G'.
01 WS-RATE   PIC 9V99.
PROCEDURE DIVISION.
MAIN-PARA.
    IF WS-CODE = 1 OR 2 OR 5
       MOVE 1 TO WS-RATE
    END-IF
    IF WS-SCORE > 300 AND < 850 AND NOT = 500
       MOVE 2 TO WS-RATE
    END-IF
    IF WS-CODE = 1 OR TYPE-GOLD
       MOVE 3 TO WS-RATE
    END-IF
    EVALUATE WS-TYPE ALSO WS-CODE
       WHEN 'G' ALSO 1 MOVE 4 TO WS-RATE
       WHEN 'S' ALSO ANY MOVE 5 TO WS-RATE
       WHEN OTHER MOVE 0 TO WS-RATE
    END-EVALUATE
    GOBACK.
""")
    _, rules = rules_of(text)
    conditions = [b.condition for r in rules for b in r.branches]
    assert "WS-CODE = 1 OR WS-CODE = 2 OR WS-CODE = 5" in conditions
    assert "WS-SCORE > 300 AND WS-SCORE < 850 AND WS-SCORE NOT = 500" in conditions
    assert "WS-CODE = 1 OR TYPE-GOLD [WS-TYPE = 'G']" in conditions
    table = next(r for r in rules if r.subjects)
    assert table.subjects == ("WS-TYPE", "WS-CODE")
    assert [b.condition for b in table.branches] == [
        "WS-TYPE = 'G' AND WS-CODE = 1", "WS-TYPE = 'S'", "OTHERWISE"]
    assert [b.values for b in table.branches] == [("'G'", "1"), ("'S'", "ANY"), ("OTHER",)]
