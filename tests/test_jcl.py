"""JCL reader: statements, procedures, launchers and DD facts from decks written for these tests."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from logicmine.lang.jcl import ProcLibrary, dd_access, parse_jcl, read_procs
from logicmine.model import DDStatement


def deck(*lines: str) -> str:
    """A deck from its lines (joined with newlines, ending with one)."""
    return "\n".join(lines) + "\n"


def numbered(*lines: str) -> str:
    """A deck whose lines carry sequence numbers in columns 73-80, as card decks do."""
    return deck(*(f"{line:<72}{index * 100:08d}" for index, line in enumerate(lines, 1)))


def codes(result) -> list[str]:
    return [diag.code for diag in result.diagnostics]


NIGHTLY = numbered(
    "//NIGHTLY1 JOB (ACCT01),'BILLING RUN',CLASS=A,MSGCLASS=X,",
    "//         NOTIFY=&SYSUID",
    "//*-------------------------------------------------------------",
    "//* SORT THE DAY'S PAYMENTS BY ACCOUNT",
    "//*-------------------------------------------------------------",
    "//SORTPAY  EXEC PGM=SORT",
    "//SORTIN   DD DSN=BILL.DAILY.PAYMENTS(0),DISP=SHR",
    "//SORTOUT  DD DSN=&&SORTED,DISP=(NEW,PASS),",
    "//            SPACE=(CYL,(5,5),RLSE),DCB=(RECFM=FB,LRECL=120)",
    "//SYSOUT   DD SYSOUT=*",
    "//SYSIN    DD *",
    "  SORT FIELDS=(1,10,CH,A)",
    "  INCLUDE COND=(11,2,CH,EQ,C'PY')",
    "/*",
    "//POSTPAY  EXEC PGM=BILPOST,PARM='RUN=NIGHT,MODE=(FULL)'   POST PAYMENTS",
    "//STEPLIB  DD DSN=BILL.PROD.LOADLIB,DISP=SHR",
    "//         DD DSN=CEE.SCEERUN,DISP=SHR",
    "//PAYIN    DD DSN=&&SORTED,DISP=(OLD,DELETE)",
    "//ACCTMAST DD DSNAME=BILL.ACCOUNT.MASTER,DISP=OLD",
    "//REJECTS  DD DSN=BILL.PAYMENT.REJECTS(+1),",
    "//            DISP=(,CATLG,DELETE),UNIT=SYSDA,",
    "//            SPACE=(TRK,(10,10))",
    "//AUDIT    DD DUMMY",
    "//REPORT   DD SYSOUT=(A,,STD1)",
    "//BACKUP   EXEC PGM=IDCAMS,COND=(4,LT)",
    "//SYSPRINT DD SYSOUT=*",
    "//MASTER   DD DSN='BILL.ACCOUNT.MASTER',DISP=SHR",
    "//SYSIN    DD *",
    "  REPRO INFILE(MASTER) OUTDATASET(BILL.ACCOUNT.BACKUP)",
    "/*",
    "//",
    "//* anything after the null statement is not part of the job",
)


def test_nightly_job_steps_and_programs() -> None:
    result = parse_jcl(NIGHTLY, "jcl/NIGHTLY.jcl")
    assert [job.name for job in result.jobs] == ["NIGHTLY1"]
    job = result.jobs[0]
    assert (job.file, job.line) == ("jcl/NIGHTLY.jcl", 1)
    steps = [(s.job, s.name, s.program, s.line, s.proc, s.launcher) for s in job.steps]
    assert steps == [
        ("NIGHTLY1", "SORTPAY", "SORT", 6, "", ""),
        ("NIGHTLY1", "POSTPAY", "BILPOST", 15, "", ""),
        ("NIGHTLY1", "BACKUP", "IDCAMS", 25, "", ""),
    ]
    assert result.diagnostics == ()


def test_nightly_job_dd_facts() -> None:
    post = parse_jcl(NIGHTLY, "jcl/NIGHTLY.jcl").jobs[0].steps[1]
    f = "jcl/NIGHTLY.jcl"
    assert post.dds == (
        DDStatement("STEPLIB", "BILL.PROD.LOADLIB", "SHR", f, 16),
        DDStatement("STEPLIB", "CEE.SCEERUN", "SHR", f, 17),  # concatenation keeps the ddname
        DDStatement("PAYIN", "&&SORTED", "OLD,DELETE", f, 18),
        DDStatement("ACCTMAST", "BILL.ACCOUNT.MASTER", "OLD", f, 19),
        DDStatement("REJECTS", "BILL.PAYMENT.REJECTS(+1)", "NEW,CATLG,DELETE", f, 20),
        DDStatement("AUDIT", "", "", f, 23),
        DDStatement("REPORT", "", "", f, 24),
    )


def test_sort_step_dds_and_quoted_dsn() -> None:
    job = parse_jcl(NIGHTLY, "jcl/NIGHTLY.jcl").jobs[0]
    sort_dds = [(d.name, d.dsn, d.disp) for d in job.steps[0].dds]
    assert sort_dds == [
        ("SORTIN", "BILL.DAILY.PAYMENTS(0)", "SHR"),
        ("SORTOUT", "&&SORTED", "NEW,PASS"),
        ("SYSOUT", "", ""),
        ("SYSIN", "", ""),
    ]
    assert job.steps[2].dds[1].dsn == "BILL.ACCOUNT.MASTER"


def test_disp_absent_is_not_assumed_new() -> None:
    text = deck("//J JOB 1", "//S EXEC PGM=P1", "//OUT DD DSN=A.B.C,UNIT=SYSDA")
    (dd,) = parse_jcl(text, "j.jcl").jobs[0].steps[0].dds
    assert (dd.dsn, dd.disp) == ("A.B.C", "")


def test_dd_access() -> None:
    assert dd_access("NEW,CATLG,DELETE") == "writes"
    assert dd_access("MOD") == "writes"
    assert dd_access("OLD,DELETE") == "writes"
    assert dd_access("SHR") == "reads"
    assert dd_access("shr,keep") == "reads"
    assert dd_access("") == ""
    assert dd_access("SHR", ddname="STEPLIB") == ""  # a load library is code, not data
    assert dd_access("SHR", ddname="MASTER") == "reads"


PAYPROC = deck(
    "//PAYPROC  PROC HLQ=BILL,ENV=TEST,RPTCLS='*'",
    "//* cataloged procedure: validate then print",
    "//VALID    EXEC PGM=PAYVAL,PARM='ENV=&ENV'",
    "//STEPLIB  DD DSN=&HLQ..&ENV..LOADLIB,DISP=SHR",
    "//PAYIN    DD DSN=&HLQ..PAY.INPUT,DISP=SHR",
    "//PAYOUT   DD DSN=&HLQ..PAY.VALID(+1),DISP=(NEW,CATLG,DELETE)",
    "//PRINT    EXEC PGM=PAY&ENV.RPT",
    "//REPORT   DD SYSOUT=&RPTCLS",
    "//PAYIN    DD DSN=&HLQ..PAY.VALID(+1),DISP=SHR",
)


def test_read_procs_defaults_and_steps() -> None:
    procs, diags = read_procs(PAYPROC, "proc/PAYPROC.prc")
    assert diags == []
    (proc,) = procs
    assert (proc.name, proc.file, proc.line) == ("PAYPROC", "proc/PAYPROC.prc", 1)
    assert proc.params == (("HLQ", "BILL"), ("ENV", "TEST"), ("RPTCLS", "'*'"))


def test_cataloged_proc_symbols_and_overrides() -> None:
    library = ProcLibrary(read_procs(PAYPROC, "proc/PAYPROC.prc")[0])
    text = deck(
        "//PAYDAY   JOB (ACCT),'PAYDAY'",
        "//RUN1     EXEC PAYPROC,ENV=PROD",
        "//VALID.PAYIN DD DSN=BILL.PAY.MANUAL,DISP=OLD",
        "//VALID.EXTRA DD DSN=BILL.PAY.AUDIT,DISP=MOD",
        "//PRINT.REPORT DD DSN=BILL.PAY.REPORT,DISP=(NEW,CATLG)",
    )
    result = parse_jcl(text, "jcl/PAYDAY.jcl", library)
    assert result.diagnostics == ()
    valid, prt = result.jobs[0].steps
    assert (valid.name, valid.program, valid.proc) == ("RUN1.VALID", "PAYVAL", "PAYPROC")
    assert (valid.file, valid.line) == ("proc/PAYPROC.prc", 3)  # the proc step's own place
    assert [(d.name, d.dsn, d.disp, d.file, d.line) for d in valid.dds] == [
        ("STEPLIB", "BILL.PROD.LOADLIB", "SHR", "proc/PAYPROC.prc", 4),
        ("PAYIN", "BILL.PAY.MANUAL", "OLD", "jcl/PAYDAY.jcl", 3),
        ("PAYOUT", "BILL.PAY.VALID(+1)", "NEW,CATLG,DELETE", "proc/PAYPROC.prc", 6),
        ("EXTRA", "BILL.PAY.AUDIT", "MOD", "jcl/PAYDAY.jcl", 4),
    ]
    assert (prt.name, prt.program, prt.line) == ("RUN1.PRINT", "PAYPRODRPT", 7)
    assert [(d.name, d.dsn, d.disp) for d in prt.dds] == [
        ("REPORT", "BILL.PAY.REPORT", "NEW,CATLG"),  # DSN replaces SYSOUT
        ("PAYIN", "BILL.PAY.VALID(+1)", "SHR"),
    ]


def test_proc_defaults_apply_without_overrides_and_proc_keyword() -> None:
    library = ProcLibrary(read_procs(PAYPROC, "proc/PAYPROC.prc")[0])
    text = deck("//J JOB 1", "//S1 EXEC PROC=PAYPROC")
    steps = parse_jcl(text, "j.jcl", library).jobs[0].steps
    assert [(s.name, s.program) for s in steps] == [
        ("S1.VALID", "PAYVAL"),
        ("S1.PRINT", "PAYTESTRPT"),
    ]
    assert steps[0].dds[0].dsn == "BILL.TEST.LOADLIB"


def test_set_statement_symbols_reach_job_steps_and_procs() -> None:
    library = ProcLibrary(read_procs(PAYPROC, "proc/PAYPROC.prc")[0])
    text = deck(
        "//J JOB 1",
        "//         SET SITE=EAST",
        "//         SET LIB=&SITE..BATCH",
        "//COPY     EXEC PGM=IEBGENER",
        "//SYSUT1   DD DSN=&LIB..INPUT,DISP=SHR",
        "//RUN      EXEC PAYPROC,HLQ=&SITE",
    )
    steps = parse_jcl(text, "j.jcl", library).jobs[0].steps
    assert steps[0].dds[0].dsn == "EAST.BATCH.INPUT"
    assert steps[1].dds[1].dsn == "EAST.PAY.INPUT"


def test_instream_proc_defined_before_use() -> None:
    text = deck(
        "//INSTRM   JOB (1),'IN STREAM'",
        "//CLEAN    PROC DAYS=7",
        "//PURGE    EXEC PGM=PURGEOLD,PARM='&DAYS'",
        "//LOGS     DD DSN=OPS.LOG.ARCHIVE,DISP=OLD",
        "//         PEND",
        "//WEEKLY   EXEC CLEAN,DAYS=30",
        "//PURGE.LOGS DD DSN=OPS.LOG.WEEKLY,DISP=OLD",
    )
    result = parse_jcl(text, "jcl/INSTRM.jcl")
    (step,) = result.jobs[0].steps
    assert (step.name, step.program, step.proc, step.line) == (
        "WEEKLY.PURGE",
        "PURGEOLD",
        "CLEAN",
        3,
    )
    assert [(d.dsn, d.line) for d in step.dds] == [("OPS.LOG.WEEKLY", 7)]
    assert result.diagnostics == ()


def test_proc_used_before_its_definition_is_missing() -> None:
    text = deck(
        "//J JOB 1",
        "//EARLY EXEC LATER",
        "//LATER PROC",
        "//S EXEC PGM=X1",
        "// PEND",
    )
    result = parse_jcl(text, "j.jcl")
    (step,) = result.jobs[0].steps
    assert (step.name, step.program, step.proc) == ("EARLY", "", "LATER")
    assert [(d.code, d.line, d.severity) for d in result.diagnostics] == [
        ("jcl-proc-missing", 2, "warning")
    ]


def test_missing_cataloged_proc_keeps_override_dds() -> None:
    text = deck("//J JOB 1", "//S1 EXEC NOSUCH,A=1", "//P1.IN DD DSN=X.Y,DISP=SHR")
    result = parse_jcl(text, "j.jcl", ProcLibrary())
    (step,) = result.jobs[0].steps
    assert (step.program, step.proc) == ("", "NOSUCH")
    assert [(d.name, d.dsn) for d in step.dds] == [("P1.IN", "X.Y")]
    assert codes(result) == ["jcl-proc-missing"]


def test_nested_procs_and_exec_parm_override() -> None:
    inner = deck("//INNER PROC", "//LOAD EXEC PGM=LOADER,PARM=OLD", "//IN DD DSN=&SRC,DISP=SHR")
    outer = deck("//OUTER PROC SRC=A.B", "//PREP EXEC PGM=PREPPER", "//CALL EXEC INNER,SRC=&SRC")
    procs = read_procs(inner, "proc/INNER.prc")[0] + read_procs(outer, "proc/OUTER.prc")[0]
    text = deck("//J JOB 1", "//GO EXEC OUTER,SRC=C.D,PARM.PREP='X,Y'")
    result = parse_jcl(text, "j.jcl", ProcLibrary(procs))
    steps = result.jobs[0].steps
    assert [(s.name, s.program, s.proc, s.file) for s in steps] == [
        ("GO.PREP", "PREPPER", "OUTER", "proc/OUTER.prc"),
        ("GO.CALL.LOAD", "LOADER", "INNER", "proc/INNER.prc"),
    ]
    assert steps[1].dds[0].dsn == "C.D"
    assert result.diagnostics == ()


def test_recursive_proc_is_reported_not_followed() -> None:
    loop = deck("//LOOP PROC", "//AGAIN EXEC LOOP")
    text = deck("//J JOB 1", "//S EXEC LOOP")
    result = parse_jcl(text, "j.jcl", ProcLibrary(read_procs(loop, "proc/LOOP.prc")[0]))
    assert [(s.name, s.program, s.proc) for s in result.jobs[0].steps] == [("S.AGAIN", "", "LOOP")]
    assert codes(result) == ["jcl-proc-recursive"]


def test_member_without_proc_statement_is_named_by_file_stem() -> None:
    member = deck("//* no PROC statement", "//STEP1 EXEC PGM=ABC", "//DD1 DD DSN=A.B,DISP=SHR")
    (proc,), diags = read_procs(member, "procs/nightly.proc")
    assert (proc.name, proc.line, len(proc.steps), diags) == ("NIGHTLY", 2, 1, [])


def test_member_found_by_member_name_not_proc_label() -> None:
    member = deck("//OLDNAME PROC", "//S EXEC PGM=REAL")
    procs, diags = read_procs(member, "proc/NEWNAME.prc")
    assert [d.code for d in diags] == ["jcl-proc-label"]
    library = ProcLibrary(procs)
    assert library.get("NEWNAME") is procs[0]
    text = deck("//J JOB 1", "//S EXEC NEWNAME")
    assert parse_jcl(text, "j.jcl", library).jobs[0].steps[0].program == "REAL"


def test_ikjeft01_run_program_with_continuation() -> None:
    text = deck(
        "//DB2JOB   JOB (1),'DB2 BATCH'",
        "//UPDATE   EXEC PGM=IKJEFT01,DYNAMNBR=20",
        "//SYSTSPRT DD SYSOUT=*",
        "//SYSTSIN  DD *",
        "  DSN SYSTEM(DB2P)",
        "  RUN PROGRAM(ACCTUPD) -",
        "      PLAN(ACCTPLN) -",
        "      LIB('BILL.PROD.LOADLIB')",
        "  END",
        "/*",
        "//LIST     EXEC PGM=IKJEFT1B",
        "//SYSTSIN  DD *",
        "  DSN SYSTEM(DB2P)",
        "  run prog(acctlst) plan(acctpln)",
        "/*",
    )
    result = parse_jcl(text, "jcl/DB2JOB.jcl")
    steps = [(s.name, s.program, s.launcher) for s in result.jobs[0].steps]
    assert steps == [("UPDATE", "ACCTUPD", "IKJEFT01"), ("LIST", "ACCTLST", "IKJEFT1B")]
    assert result.diagnostics == ()


def test_ikjeft01_call_command() -> None:
    text = deck("//J JOB 1", "//S EXEC PGM=IKJEFT01", "//SYSTSIN DD *", " CALL 'A.LOAD(RPTGEN)'")
    step = parse_jcl(text, "j.jcl").jobs[0].steps[0]
    assert (step.program, step.launcher) == ("RPTGEN", "IKJEFT01")


def test_ikjeft01_with_dataset_systsin_keeps_launcher() -> None:
    text = deck(
        "//J JOB 1",
        "//S EXEC PGM=IKJEFT01",
        "//SYSTSIN DD DSN=BILL.CNTL(RUNUPD),DISP=SHR",
    )
    result = parse_jcl(text, "j.jcl")
    step = result.jobs[0].steps[0]
    assert (step.program, step.launcher) == ("IKJEFT01", "")
    assert [(d.code, d.severity, d.line) for d in result.diagnostics] == [
        ("jcl-launcher-dataset", "info", 3)
    ]
    members = {"RUNUPD": " DSN SYSTEM(X)\n RUN PROGRAM(UPDPGM) PLAN(P)\n END\n"}
    resolved = parse_jcl(text, "j.jcl", members=members.get).jobs[0].steps[0]
    assert (resolved.program, resolved.launcher) == ("UPDPGM", "IKJEFT01")


def test_dfsrrc00_parm_forms() -> None:
    text = deck(
        "//IMSJOB   JOB (1),'IMS'",
        "//BMP1     EXEC PGM=DFSRRC00,PARM='BMP,CLMPOST,CLMPSB'",
        "//DLI1     EXEC PGM=DFSRRC00,REGION=0M,",
        "//         PARM=(DLI,CLMLOAD,CLMPSB2,,,,,,,,,,,N)",
        "//MSG1     EXEC PGM=DFSRRC00,PARM='MSG,001,002'",
    )
    result = parse_jcl(text, "jcl/IMSJOB.jcl")
    steps = [(s.program, s.launcher) for s in result.jobs[0].steps]
    assert steps == [("CLMPOST", "DFSRRC00"), ("CLMLOAD", "DFSRRC00"), ("DFSRRC00", "")]
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-launcher-unresolved", 5)]


def test_dfsrrc00_parm_from_proc_symbols() -> None:
    imsproc = deck(
        "//IMSBMP   PROC MBR=TEMPNAME,PSB=,RGN=0M",
        "//G        EXEC PGM=DFSRRC00,REGION=&RGN,",
        "//            PARM=(BMP,&MBR,&PSB)",
        "//IMS      DD DSN=IMS.PSBLIB,DISP=SHR",
    )
    library = ProcLibrary(read_procs(imsproc, "proc/IMSBMP.prc")[0])
    text = deck("//J JOB 1", "//POST EXEC IMSBMP,MBR=CLMPOST,PSB=CLMPSB")
    step = parse_jcl(text, "j.jcl", library).jobs[0].steps[0]
    assert (step.name, step.program, step.launcher, step.proc) == (
        "POST.G",
        "CLMPOST",
        "DFSRRC00",
        "IMSBMP",
    )


def test_broken_continuation_is_reported_and_parsing_goes_on() -> None:
    text = deck(
        "//J JOB 1",
        "//S1 EXEC PGM=FIRST",
        "//IN DD DSN=A.B,",
        "//S2 EXEC PGM=SECOND",
        "//OUT DD DSN=C.D,DISP=SHR,",
    )
    result = parse_jcl(text, "jcl/broken.jcl")
    steps = result.jobs[0].steps
    assert [s.program for s in steps] == ["FIRST", "SECOND"]
    assert steps[0].dds[0].dsn == "A.B"
    diags = [(d.file, d.line, d.code) for d in result.diagnostics]
    assert diags == [
        ("jcl/broken.jcl", 3, "jcl-continuation"),
        ("jcl/broken.jcl", 5, "jcl-continuation"),
    ]


def test_continuation_without_comma_is_merged_with_a_warning() -> None:
    text = deck("//J JOB 1", "//S1 EXEC PGM=P1", "//IN DD DISP=SHR", "//         DSN=A.B")
    result = parse_jcl(text, "j.jcl")
    assert result.jobs[0].steps[0].dds[0].dsn == "A.B"
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-continuation", 4)]


def test_continuation_past_column_16_is_warned() -> None:
    text = deck("//J JOB 1", "//S1 EXEC PGM=P1", "//IN DD DISP=SHR,", "//" + " " * 20 + "DSN=A.B")
    result = parse_jcl(text, "j.jcl")
    assert result.jobs[0].steps[0].dds[0].dsn == "A.B"
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-continuation", 4)]


def test_quoted_parm_continued_across_lines() -> None:
    text = deck(
        "//J JOB 1",
        "//S EXEC PGM=DFSRRC00,PARM='BMP,LONG",
        "//               PGM,PSB1'",
        "//DD1 DD DSN=A,DISP=SHR",
    )
    result = parse_jcl(text, "j.jcl")
    assert result.jobs[0].steps[0].program == "LONGPGM"
    assert result.diagnostics == ()


def test_column_72_marks_a_comment_continuation() -> None:
    text = deck(
        "//J JOB 1",
        f"{'//S1 EXEC PGM=P1   THIS COMMENT GOES ON':<71}X",
        "//             AND ENDS HERE",
        "//IN DD DSN=A.B,DISP=SHR",
    )
    result = parse_jcl(text, "j.jcl")
    assert result.jobs[0].steps[0].dds[0].dsn == "A.B"
    assert result.diagnostics == ()


def test_dd_data_keeps_slashes_and_dlm_delimiter() -> None:
    text = deck(
        "//J JOB 1",
        "//GEN EXEC PGM=IEBGENER",
        "//SYSUT1 DD DATA,DLM=$$",
        "//INNER JOB 2",
        "//X EXEC PGM=NOTME",
        "/*",
        "$$",
        "//SYSUT2 DD SYSOUT=(A,INTRDR)",
        "//NEXT EXEC PGM=AFTER",
    )
    result = parse_jcl(text, "j.jcl")
    assert [job.name for job in result.jobs] == ["J"]
    assert [(s.name, s.program) for s in result.jobs[0].steps] == [
        ("GEN", "IEBGENER"),
        ("NEXT", "AFTER"),
    ]
    assert [d.name for d in result.jobs[0].steps[0].dds] == ["SYSUT1", "SYSUT2"]


def test_instream_star_data_ends_at_next_statement() -> None:
    text = deck(
        "//J JOB 1", "//S EXEC PGM=P1", "//SYSIN DD *", "DATA RECORD", "//OUT DD DSN=O,DISP=SHR"
    )
    step = parse_jcl(text, "j.jcl").jobs[0].steps[0]
    assert [(d.name, d.dsn) for d in step.dds] == [("SYSIN", ""), ("OUT", "O")]


def test_deck_without_job_statement_is_named_after_the_file() -> None:
    text = deck("//* steps only", "//S1 EXEC PGM=A1", "//S2 EXEC PGM=A2")
    (job,) = parse_jcl(text, "batch/daily_run.jcl").jobs
    assert (job.name, job.line, [s.program for s in job.steps]) == ("DAILY_RUN", 2, ["A1", "A2"])


def test_two_jobs_in_one_deck() -> None:
    text = deck("//JOBA JOB 1", "//S EXEC PGM=A", "//JOBB JOB 2", "//S EXEC PGM=B")
    jobs = parse_jcl(text, "two.jcl").jobs
    assert [(j.name, j.line, [s.program for s in j.steps]) for j in jobs] == [
        ("JOBA", 1, ["A"]),
        ("JOBB", 3, ["B"]),
    ]


def test_backward_reference_program_is_not_a_name() -> None:
    text = deck("//J JOB 1", "//LKED EXEC PGM=IEWL", "//GO EXEC PGM=*.LKED.SYSLMOD")
    result = parse_jcl(text, "j.jcl")
    assert [s.program for s in result.jobs[0].steps] == ["IEWL", ""]
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-program", 3)]


def test_if_then_else_blocks_keep_their_steps() -> None:
    text = deck(
        "//J JOB 1",
        "//S1 EXEC PGM=A",
        "// IF (S1.RC = 0 |",
        "//     S1.RC = 4) THEN",
        "//S2 EXEC PGM=B",
        "// ELSE",
        "//S3 EXEC PGM=C",
        "// ENDIF",
    )
    result = parse_jcl(text, "j.jcl")
    assert [s.program for s in result.jobs[0].steps] == ["A", "B", "C"]
    assert result.diagnostics == ()


# ---------------------------------------------------------------- robustness


def _lines(text: str) -> int:
    return max(1, text.count("\n") + (0 if text.endswith("\n") else 1))


def _assert_in_range(result, text: str) -> None:
    top = _lines(text)
    for diag in result.diagnostics:
        assert 1 <= diag.line <= top, diag
        assert diag.code != "jcl-internal"
    for job in result.jobs:
        assert 1 <= job.line <= top
        for step in job.steps:
            assert 1 <= step.line <= top
            assert all(1 <= dd.line <= top for dd in step.dds)


def test_empty_file() -> None:
    result = parse_jcl("", "empty.jcl")
    assert result.jobs == ()
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-empty", 1)]


def test_very_long_line_and_binary_garbage() -> None:
    long_line = "//S1 EXEC PGM=LONG," + "X" * 100_000
    garbage = "".join(chr(c) for c in range(256)) * 20
    text = deck("//J JOB 1", long_line, garbage, "//S2 EXEC PGM=AFTER")
    result = parse_jcl(text, "odd.jcl")
    _assert_in_range(result, text)
    assert [s.program for s in result.jobs[0].steps] == ["LONG", "AFTER"]
    assert "jcl-stray" in codes(result)


def test_large_deck_is_read_in_linear_time() -> None:
    step = [
        "// SET V{0}=B{0}",
        "//S{0} EXEC PGM=P{0}",
        "//IN DD DSN=A.&V{0},",
        "//         DISP=SHR",
        "//SYSIN DD *",
        "X",
        "/*",
    ]
    lines = ["//BIG JOB 1"] + [line.format(i % 9999) for i in range(20_000) for line in step]
    started = time.perf_counter()
    result = parse_jcl(deck(*lines), "big.jcl")
    assert len(result.jobs[0].steps) == 20_000
    assert result.jobs[0].steps[-1].dds[0].dsn == "A.B1"  # 19_999 % 9999
    assert time.perf_counter() - started < 10


jcl_like = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "//J JOB 1",
                "//S EXEC PGM=X",
                "//S EXEC P",
                "//P PROC A=1",
                "// PEND",
                "//D DD DSN=&A..B,",
                "//  DISP=(NEW,CATLG)",
                "//D DD *",
                "//D DD DATA,DLM=@@",
                "@@",
                "/*",
                "//",
                "//*",
                "// SET A=2",
                "//S.D DD DSN=Y",
                "//  DD DSN=Z",
                "//S EXEC PGM=IKJEFT01",
                "//SYSTSIN DD *",
                " RUN PROGRAM(Q) -",
                "//S EXEC PGM=DFSRRC00,PARM='BMP,&A",
                "// IF RC = 0 THEN",
            ]
        ),
        st.text(max_size=90),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(jcl_like, st.sampled_from(["\n", "\r\n"]))
def test_any_text_gives_a_result_with_lines_in_range(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    result = parse_jcl(text, "prop.jcl")
    _assert_in_range(result, text.replace("\r\n", "\n"))
    procs, diags = read_procs(text, "prop.prc")
    assert all(1 <= d.line <= _lines(text.replace("\r\n", "\n")) for d in diags)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse_jcl(text, "any.jcl")
    assert all(d.code != "jcl-internal" for d in result.diagnostics)


def test_concatenation_override_and_unqualified_added_dd() -> None:
    proc = deck(
        "//COMPGO PROC",
        "//GO EXEC PGM=USERPGM",
        "//STEPLIB DD DSN=SYS.RUNLIB,DISP=SHR",
        "//INPUT DD DUMMY",
        "//REPORT EXEC PGM=RPTPGM",
        "//SYSIN DD DUMMY",
    )
    library = ProcLibrary(read_procs(proc, "proc/COMPGO.prc")[0])
    text = deck(
        "//J JOB 1",
        "//RUN EXEC COMPGO",
        "//GO.STEPLIB DD",
        "//           DD DSN=MY.LOADLIB,DISP=SHR",
        "//INPUT DD DSN=MY.INPUT,DISP=SHR",
        "//REPORT.SYSIN DD *",
        " OPTIONS ALL",
        "//OUTPUT DD DSN=MY.REPORT,DISP=(NEW,CATLG)",
    )
    go, report = parse_jcl(text, "j.jcl", library).jobs[0].steps
    assert [(d.name, d.dsn, d.file, d.line) for d in go.dds] == [
        ("STEPLIB", "SYS.RUNLIB", "proc/COMPGO.prc", 3),  # blank operand: unchanged
        ("STEPLIB", "MY.LOADLIB", "j.jcl", 4),  # added to the concatenation
        ("INPUT", "MY.INPUT", "j.jcl", 5),  # unqualified: the step named before (GO)
    ]
    assert [(d.name, d.dsn, d.line) for d in report.dds] == [
        ("SYSIN", "", 6),
        ("OUTPUT", "MY.REPORT", 8),
    ]


def test_unqualified_parm_goes_to_the_first_proc_step_only() -> None:
    proc = deck(
        "//TWOBMP PROC",
        "//A EXEC PGM=DFSRRC00,PARM='BMP,DEFAULT1,PSB1'",
        "//B EXEC PGM=DFSRRC00,PARM='BMP,DEFAULT2,PSB2'",
    )
    library = ProcLibrary(read_procs(proc, "proc/TWOBMP.prc")[0])
    text = deck("//J JOB 1", "//S EXEC TWOBMP,PARM='BMP,OVERIDE,PSB9'")
    steps = parse_jcl(text, "j.jcl", library).jobs[0].steps
    assert [s.program for s in steps] == ["OVERIDE", "DFSRRC00"]  # PARM nullified on B
    text = deck("//J JOB 1", "//S EXEC TWOBMP,PARM.B='BMP,ONLYB,PSB9'")
    steps = parse_jcl(text, "j.jcl", library).jobs[0].steps
    assert [s.program for s in steps] == ["DEFAULT1", "ONLYB"]


def test_systsin_symbols_substituted_only_when_asked() -> None:
    text = deck(
        "//J JOB 1",
        "// SET PGMNAME=NIGHTUPD",
        "//S1 EXEC PGM=IKJEFT01",
        "//SYSTSIN DD *,SYMBOLS=JCLONLY",
        " RUN PROGRAM(&PGMNAME) PLAN(P)",
        "//S2 EXEC PGM=IKJEFT01",
        "//SYSTSIN DD *",
        " RUN PROGRAM(&PGMNAME) PLAN(P)",
    )
    result = parse_jcl(text, "j.jcl")
    assert [s.program for s in result.jobs[0].steps] == ["NIGHTUPD", "IKJEFT01"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-launcher-unresolved", 7)]


def test_sysout_and_dummy_overrides_clear_the_dataset() -> None:
    proc = deck(
        "//P PROC", "//S EXEC PGM=X1", "//A DD DSN=KEEP.ME,DISP=SHR", "//B DD DSN=GONE,DISP=SHR"
    )
    library = ProcLibrary(read_procs(proc, "proc/P.prc")[0])
    text = deck("//J JOB 1", "//C EXEC P", "//S.A DD DUMMY", "//S.B DD SYSOUT=*")
    (step,) = parse_jcl(text, "j.jcl", library).jobs[0].steps
    assert [(d.name, d.dsn, d.disp) for d in step.dds] == [("A", "", "SHR"), ("B", "", "")]


def test_instream_proc_without_pend_is_reported() -> None:
    text = deck("//J JOB 1", "//P PROC", "//S EXEC PGM=X1", "//J2 JOB 2", "//T EXEC P")
    result = parse_jcl(text, "j.jcl")
    assert [(j.name, [s.name for s in j.steps]) for j in result.jobs] == [
        ("J", []),
        ("J2", ["T.S"]),
    ]
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-syntax", 2)]


def test_step_after_null_statement_is_ignored_with_a_warning() -> None:
    text = deck("//J JOB 1", "//A EXEC PGM=A1", "//", "//B EXEC PGM=B1")
    result = parse_jcl(text, "j.jcl")
    assert [s.name for s in result.jobs[0].steps] == ["A"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("jcl-after-end", 4)]
