"""Logic smells on small programs written to contain them (and one that must stay quiet)."""

from cobolkit import card, parse

from logicmine.rules import extract_rules
from logicmine.smells import find_smells

SMELLY = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. SMELLY.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-STATE       PIC X VALUE 'N'.
01 WS-REASON-CODE PIC XX VALUE SPACES.
01 WS-RC          PIC 99 VALUE 0.
   88 RC-OK       VALUE 0.
   88 RC-FATAL    VALUE 16.
01 WS-COUNT       PIC 9(3) VALUE 0.
01 WS-AMT         PIC 9(5).
PROCEDURE DIVISION.
0000-MAIN.
    MOVE 'A' TO WS-STATE
    IF WS-AMT > 100
       MOVE 'B' TO WS-STATE
    END-IF
    EVALUATE TRUE
       WHEN WS-AMT > 500 MOVE 1 TO WS-COUNT
       WHEN WS-AMT > 500 MOVE 2 TO WS-COUNT
       WHEN OTHER CONTINUE
    END-EVALUATE
    IF WS-STATE = 'C'
       DISPLAY 'NEVER'
    END-IF
    IF WS-COUNT = 7 AND WS-AMT < 10 AND WS-AMT < 10
       DISPLAY 'TWICE'
    END-IF
    ADD 1 TO WS-COUNT
    IF WS-COUNT = 9
       DISPLAY 'POSSIBLE'
    END-IF
    MOVE 'R1' TO WS-REASON-CODE
    MOVE 0 TO WS-RC
    DISPLAY WS-RC
    GOBACK.
1000-ORPHAN.
    DISPLAY 'NOBODY CALLS ME'.
""")


def smells():
    (program,), _ = parse(SMELLY)
    return find_smells(program, extract_rules(program))


def test_each_kind_is_found_where_it_is():
    found = {(s.kind, s.line) for s in smells()}
    assert ("unreachable-paragraph", 37) in found
    assert ("repeated-condition", 20) in found  # second WHEN WS-AMT > 500
    assert ("impossible-branch", 23) in found  # WS-STATE only ever holds N, A, B
    assert ("repeated-condition", 26) in found  # WS-AMT < 10 twice in one condition
    assert ("unused-code", 33) in found  # WS-REASON-CODE set, never read
    assert any(s.kind == "unused-code" and "RC-FATAL" in s.message for s in smells())


def test_no_smell_where_values_are_not_all_known():
    messages = " ".join(s.message for s in smells())
    assert "WS-COUNT = 9" not in messages  # ADD changes WS-COUNT: its values are unknown
    assert "RC-OK" not in messages  # MOVE 0 TO WS-RC produces RC-OK
    assert "`WS-RC` is set" not in messages  # it is displayed
