"""Facts from EXEC CICS / SQL / DLI blocks."""

from logicmine.lang.cobol.exec_facts import cics_options, exec_refs
from logicmine.model import ExecBlock


def refs(kind, text):
    block = ExecBlock(kind, text, "p.cbl", 10, 12)
    return [(r.kind, r.target, r.dynamic, r.via, r.detail) for r in exec_refs(block, "P", "PARA")]


def test_cics_options_with_nested_parentheses_and_literals():
    command, options = cics_options(
        "EXEC CICS SEND MAP('MENUMAP') MAPSET('SLMAPS') FROM(WS-MAP) LENGTH(LENGTH OF WS-MAP)"
        " ERASE END-EXEC")
    assert command == "SEND"
    assert options["MAP"] == "'MENUMAP'" and options["LENGTH"] == "LENGTH OF WS-MAP"
    assert "ERASE" in options


def test_cics_transfers_files_screens_and_transactions():
    assert refs("CICS", "EXEC CICS LINK PROGRAM('AUDIT') COMMAREA(X) END-EXEC") == [
        ("links", "AUDIT", False, "", "")]
    assert refs("CICS", "EXEC CICS XCTL PROGRAM(WS-NEXT) END-EXEC") == [
        ("xctls", "", True, "WS-NEXT", "")]
    assert refs("CICS", "EXEC CICS READ DATASET('ACCTDAT') INTO(R) RIDFLD(K) END-EXEC") == [
        ("reads", "ACCTDAT", False, "", "CICS READ")]
    assert refs("CICS", "EXEC CICS REWRITE FILE(WS-FILE) FROM(R) END-EXEC") == [
        ("writes", "WS-FILE", False, "", "CICS REWRITE")]
    assert refs("CICS", "EXEC CICS RECEIVE MAP('INQMAP') MAPSET('SLMAPS') END-EXEC") == [
        ("receives", "SLMAPS.INQMAP", False, "", "CICS RECEIVE MAP")]
    assert refs("CICS", "EXEC CICS RETURN TRANSID('SL01') COMMAREA(C) END-EXEC") == [
        ("starts", "SL01", False, "", "RETURN")]
    assert refs("CICS", "EXEC CICS HANDLE ABEND LABEL(9999-ABEND) END-EXEC") == [
        ("handles", "9999-ABEND", False, "", "HANDLE ABEND")]


def test_sql_tables_read_and_written():
    assert refs("SQL", "EXEC SQL SELECT BAL INTO :WS-BAL FROM ACCT A JOIN CUST C ON A.ID = C.ID"
                       " WHERE A.ID = :WS-ID END-EXEC") == [
        ("reads", "ACCT", False, "", "SQL SELECT"), ("reads", "CUST", False, "", "SQL SELECT")]
    assert refs("SQL", "EXEC SQL UPDATE ACCT SET BAL = :B WHERE ID = :I END-EXEC") == [
        ("writes", "ACCT", False, "", "SQL UPDATE")]
    assert refs("SQL", "EXEC SQL INSERT INTO TXN_HIST (ID, AMT) VALUES (:I, :A) END-EXEC") == [
        ("writes", "TXN_HIST", False, "", "SQL INSERT")]
    assert refs("SQL", "EXEC SQL DELETE FROM TXN_HIST WHERE ID = :I END-EXEC") == [
        ("writes", "TXN_HIST", False, "", "SQL DELETE")]
    assert refs("SQL", "EXEC SQL DECLARE C1 CURSOR FOR SELECT ID FROM ACCT END-EXEC") == [
        ("reads", "ACCT", False, "", "SQL SELECT")]
    assert refs("SQL", "EXEC SQL INCLUDE SQLCA END-EXEC") == []


def test_dli_calls_on_segments():
    assert refs("DLI", "EXEC DLI GU USING PCB(1) SEGMENT(PAUTSUM0) INTO(X) END-EXEC") == [
        ("reads", "PAUTSUM0", False, "", "DLI GU")]
    assert refs("DLI", "EXEC DLI ISRT USING PCB(1) SEGMENT('PAUTDTL1') FROM(X) END-EXEC") == [
        ("writes", "PAUTDTL1", False, "", "DLI ISRT")]
