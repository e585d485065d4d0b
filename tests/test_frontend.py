"""The COBOL front end on small programs written for these tests."""

from __future__ import annotations

from cobolkit import card, parse

from logicmine.lang.cobol.scanner import split_statements, tokenize

LOAN = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. LOANCHK.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-STATUS        PIC X VALUE 'A'.
   88 LOAN-ACTIVE   VALUE 'A'.
   88 LOAN-CLOSED   VALUE 'C' 'X'.
01 WS-PGM           PIC X(8) VALUE 'FEECALC'.
01 WS-RATE          PIC 9V999 VALUE 0.045.
01 WS-BAL           PIC S9(9)V99 COMP-3.
PROCEDURE DIVISION.
0000-MAIN.
    PERFORM 1000-INIT THRU 1000-EXIT
    IF LOAN-ACTIVE AND WS-BAL NOT= 0
       COMPUTE WS-BAL ROUNDED = WS-BAL * (1 + WS-RATE)
          ON SIZE ERROR MOVE 'E' TO WS-STATUS
       END-COMPUTE
    ELSE
       SET LOAN-CLOSED TO TRUE
    END-IF
    CALL WS-PGM USING WS-BAL
    GOBACK.
1000-INIT.
    MOVE 0 TO WS-BAL.
1000-EXIT.
    EXIT.
""")


def test_program_paragraphs_and_lines():
    (program,), diagnostics = parse(LOAN)
    assert program.name == "LOANCHK"
    assert [p.name for p in program.procedures] == ["0000-MAIN", "1000-INIT", "1000-EXIT"]
    main = program.procedures[0]
    assert (main.file, main.line) == ("src/PROG.cbl", 12)
    assert main.end_line == 22


def test_perform_thru_and_dynamic_call_resolved_through_value():
    (program,), _ = parse(LOAN)
    performs = [(r.target, r.target_end) for r in program.references if r.kind == "performs"]
    assert performs == [("1000-INIT", "1000-EXIT")]
    calls = [(r.target, r.via, r.dynamic) for r in program.references if r.kind == "calls"]
    assert calls == [("FEECALC", "WS-PGM", False)]


def test_data_items_with_condition_names():
    (program,), _ = parse(LOAN)
    items = {i.name: i for i in program.data_items}
    assert items["LOAN-CLOSED"].values == ("'C'", "'X'")
    assert items["LOAN-CLOSED"].parent == "WS-STATUS"
    assert items["WS-BAL"].usage == "COMP-3"
    assert items["WS-RATE"].pic == "9V999"


def test_statements_keep_physical_lines_and_verbs():
    (program,), _ = parse(LOAN)
    compute = next(s for s in program.statements if s.verb == "COMPUTE")
    assert compute.line == 15
    assert "ROUNDED" in compute.text
    verbs = [s.verb for s in program.statements if s.procedure == "0000-MAIN"]
    assert verbs[:4] == ["PERFORM", "IF", "COMPUTE", "ON-SIZE-ERROR"]


def test_copybook_lines_cite_the_copybook():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. USESCPY.
DATA DIVISION.
WORKING-STORAGE SECTION.
COPY ACCTREC.
PROCEDURE DIVISION.
MAIN-PARA.
    IF ACCT-OPEN DISPLAY 'OPEN' END-IF
    STOP RUN.
""")
    copy = card("""
01 ACCT-REC.
   05 ACCT-STATUS PIC X.
      88 ACCT-OPEN VALUE 'O'.
""")
    (program,), _ = parse(text, {"cpy/ACCTREC.cpy": copy})
    item = next(i for i in program.data_items if i.name == "ACCT-OPEN")
    assert (item.file, item.line, item.copybook) == ("cpy/ACCTREC.cpy", 3, "ACCTREC")


def test_exec_cics_becomes_statement_and_xctl_edge():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. MENU01.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-NEXT PIC X(8).
PROCEDURE DIVISION.
MAIN-PARA.
    MOVE 'ACCTINQ' TO WS-NEXT
    EXEC CICS XCTL PROGRAM(WS-NEXT)
         COMMAREA(WS-NEXT)
    END-EXEC
    EXEC CICS LINK PROGRAM('AUDITLOG') END-EXEC
    EXEC CICS READ FILE('ACCTDAT') INTO(WS-NEXT)
         RIDFLD(WS-NEXT) END-EXEC
    GOBACK.
""")
    (program,), _ = parse(text)
    execs = [s for s in program.statements if s.verb == "EXEC"]
    assert [(s.line, s.end_line) for s in execs] == [(9, 11), (12, 12), (13, 14)]
    refs = {(r.kind, r.target) for r in program.references}
    assert {("xctls", "ACCTINQ"), ("links", "AUDITLOG"), ("reads", "ACCTDAT")} <= refs


def test_scanner_recovers_statements_the_grammar_cannot_read():
    # `ENTRY` with USING is IBM syntax the grammar lacks; nothing after it may be lost
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. ALTENT.
DATA DIVISION.
LINKAGE SECTION.
01 LK-AMT PIC 9(5).
PROCEDURE DIVISION.
MAIN-PARA.
    DISPLAY 'MAIN'
    GOBACK.
ENTRY-PARA.
    ENTRY 'ALTNAME' USING LK-AMT.
    PERFORM CALC-PARA
    GOBACK.
CALC-PARA.
    ADD 1 TO LK-AMT.
""")
    (program,), _ = parse(text)
    assert [p.name for p in program.procedures] == ["MAIN-PARA", "ENTRY-PARA", "CALC-PARA"]
    assert ("performs", "CALC-PARA") in {(r.kind, r.target) for r in program.references}
    assert program.entry_points == ("ALTNAME",)
    assert program.fidelity.unrecovered_lines == 0


def test_split_statements_marks_branches():
    tokens = tokenize("READ INFILE AT END MOVE 'Y' TO EOF NOT AT END ADD 1 TO N END-READ.")
    verbs = [p.verb for p in split_statements(tokens)]
    assert verbs == ["READ", "AT-END", "MOVE", "NOT-AT-END", "ADD", "END-READ", "PERIOD"]


def test_no_program_id_gives_a_diagnostic():
    programs, diagnostics = parse(card("MOVE 1 TO X."))
    assert programs == []
    assert diagnostics[0].code == "no-program-id"


def test_xctl_through_a_subscripted_menu_table_lists_every_entry():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. MENU02.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-OPTION PIC 9.
01 MENU-DATA.
   05 FILLER PIC 9 VALUE 1.
   05 FILLER PIC X(10) VALUE 'Balances'.
   05 FILLER PIC X(8) VALUE 'BALINQ'.
   05 FILLER PIC 9 VALUE 2.
   05 FILLER PIC X(10) VALUE 'Payments'.
   05 FILLER PIC X(8) VALUE 'PAYENT'.
01 MENU-TABLE REDEFINES MENU-DATA.
   05 MENU-ENTRY OCCURS 2 TIMES.
      10 MENU-NUM  PIC 9.
      10 MENU-NAME PIC X(10).
      10 MENU-PGM  PIC X(8).
PROCEDURE DIVISION.
MAIN-PARA.
    EXEC CICS XCTL PROGRAM(MENU-PGM(WS-OPTION)) END-EXEC
    GOBACK.
""")
    (program,), _ = parse(text)
    xctls = sorted((r.target, r.via) for r in program.references if r.kind == "xctls")
    assert xctls == [("BALINQ", "MENU-PGM"), ("PAYENT", "MENU-PGM")]


def test_own_name_left_as_a_return_address_is_not_a_transfer_to_itself():
    text = card("""
IDENTIFICATION DIVISION.
PROGRAM-ID. ACCTUPD.
DATA DIVISION.
WORKING-STORAGE SECTION.
01 WS-PGMNAME  PIC X(8) VALUE 'ACCTUPD'.
01 COMMAREA.
   05 FROM-PGM PIC X(8).
   05 TO-PGM   PIC X(8).
PROCEDURE DIVISION.
MAIN-PARA.
    MOVE WS-PGMNAME TO FROM-PGM
    IF FROM-PGM = SPACES
       MOVE 'MAINMENU' TO TO-PGM
    ELSE
       MOVE FROM-PGM TO TO-PGM
    END-IF
    EXEC CICS XCTL PROGRAM(TO-PGM) END-EXEC
    GOBACK.
""")
    (program,), _ = parse(text)
    assert [r.target for r in program.references if r.kind == "xctls"] == ["MAINMENU"]
