"""A small payroll estate built by hand for the renderer's tests, and a scaled synthetic one.

Facts point at lines found by searching the sources in repo/, so they stay right when a file
is edited.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import networkx as nx

from logicmine.model import (
    Branch,
    Claim,
    Cluster,
    CopyUse,
    DataItem,
    DDStatement,
    Diagnostic,
    Estate,
    ExecBlock,
    Fidelity,
    Job,
    JobStep,
    Procedure,
    Process,
    Program,
    Reference,
    Rule,
    Smell,
    SourceFile,
    Span,
    Summary,
)

REPO = Path(__file__).parent / "repo"
XSS = "<script>alert(1)</script>"
CALC, RPT, COPY, JCL, BMS = (
    "cbl/PAYCALC.cbl",
    "cbl/PAYRPT.cbl",
    "cpy/EMPREC.cpy",
    "jcl/PAYJOB.jcl",
    "bms/PAYMAP.bms",
)


def read_source(path: str) -> str:
    """Text of a repo file; refuses paths outside repo/ like the pipeline's reader would."""
    target = (REPO / path).resolve()
    if not target.is_relative_to(REPO.resolve()):
        raise FileNotFoundError(path)
    return target.read_text(encoding="utf-8")


def line_of(path: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`."""
    hits = [i for i, text in enumerate(read_source(path).split("\n"), 1) if needle in text]
    return hits[nth - 1]


def _source(path: str, kind: str) -> SourceFile:
    text = read_source(path)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return SourceFile(path, kind, "utf-8", text.count("\n"), digest, len(text.encode()))


def _proc(program: str, file: str, name: str, end_marker: str | None) -> Procedure:
    start = line_of(file, f"       {name}.")
    end = line_of(file, end_marker) if end_marker else len(read_source(file).split("\n")) - 1
    return Procedure(f"cobol:{program}:{name}", program, name, "paragraph", file, start, end)


def _paycalc() -> Program:
    f = CALC
    procs = (
        _proc("PAYCALC", f, "MAIN-LOGIC", "GOBACK."),
        _proc("PAYCALC", f, "READ-EMPLOYEE", "END-READ."),
        _proc("PAYCALC", f, "PROCESS-EMPLOYEE", "PERFORM READ-EMPLOYEE."),
        _proc("PAYCALC", f, "VALIDATE-HOURS", "END-IF."),
        _proc("PAYCALC", f, "COMPUTE-GROSS", None),
    )
    data = (
        DataItem("PAYCALC", 1, "EMP-RECORD", COPY, 2, copybook="EMPREC", section="FILE"),
        DataItem(
            "PAYCALC", 5, "EMP-TYPE", COPY, 5, pic="X", parent="EMP-RECORD", copybook="EMPREC"
        ),
        DataItem(
            "PAYCALC",
            88,
            "EMP-SALARIED",
            COPY,
            7,
            parent="EMP-TYPE",
            values=("'S'", "'X'"),
            copybook="EMPREC",
        ),
        DataItem("PAYCALC", 5, "EMP-HOURS", COPY, 8, pic="9(3)V9", copybook="EMPREC"),
        DataItem(
            "PAYCALC", 1, "WS-FLAGS", f, line_of(f, "01  WS-FLAGS"), section="WORKING-STORAGE"
        ),
        DataItem("PAYCALC", 5, "WS-EOF", f, line_of(f, "WS-EOF"), pic="X", value="'N'"),
        DataItem("PAYCALC", 88, "END-OF-FILE", f, line_of(f, "END-OF-FILE"), values=("'Y'",)),
        DataItem(
            "PAYCALC",
            5,
            "WS-GROSS",
            f,
            line_of(f, "05  WS-GROSS"),
            pic="9(7)V99",
            usage="COMP-3",
            value="ZERO",
        ),
        DataItem(
            "PAYCALC", 1, "WS-MESSAGE", f, line_of(f, "WS-MESSAGE"), pic="X(40)", value=f"'{XSS}'"
        ),
        DataItem("PAYCALC", 1, XSS, f, line_of(f, "WS-MESSAGE"), pic="X", value="`tick`"),
    )
    refs = (
        Reference(
            "performs", "PAYCALC", "MAIN-LOGIC", "READ-EMPLOYEE", f, line_of(f, "PERFORM READ-E")
        ),
        Reference("calls", "PAYCALC", "PROCESS-EMPLOYEE", "PAYTAX", f, line_of(f, "CALL 'PAYTAX'")),
        Reference(
            "opens",
            "PAYCALC",
            "MAIN-LOGIC",
            "EMP-FILE",
            f,
            line_of(f, "OPEN INPUT"),
            detail="INPUT",
        ),
        Reference("reads", "PAYCALC", "READ-EMPLOYEE", "EMP-FILE", f, line_of(f, "READ EMP-FILE")),
    )
    return Program(
        "PAYCALC",
        f,
        line_of(f, "IDENTIFICATION DIVISION"),
        63,
        procedures=procs,
        data_items=data,
        references=refs,
        copybooks=(
            CopyUse("EMPREC", COPY, f, line_of(f, "COPY EMPREC")),
            CopyUse("MISSING", None, f, line_of(f, "COPY EMPREC")),
        ),
        files=(("EMP-FILE", "EMPIN"),),
        fidelity=Fidelity(lines=63, code_lines=50, error_lines=2, unrecovered_lines=1),
    )


def _payrpt() -> Program:
    f = RPT
    procs = (
        _proc("PAYRPT", f, "PRINT-REGISTER", "GOBACK."),
        _proc("PAYRPT", f, "NEW-PAGE", None),
    )
    sql = line_of(f, "EXEC SQL")
    return Program(
        "PAYRPT",
        f,
        3,
        24,
        procedures=procs,
        data_items=(
            DataItem("PAYRPT", 1, "WS-LINE-COUNT", f, 7, pic="9(3)", value="ZERO"),
            DataItem(
                "PAYRPT", 88, "PAGE-FULL", f, 8, values=("50 THRU 999",), parent="WS-LINE-COUNT"
            ),
        ),
        exec_blocks=(
            ExecBlock(
                "SQL",
                "EXEC SQL SELECT DEPT_NAME INTO :WS-DEPT-NAME FROM PAYROLL.DEPT "
                "WHERE DEPT_ID = :WS-DEPT-ID END-EXEC",
                f,
                sql,
                sql + 4,
            ),
        ),
        references=(
            Reference("reads", "PAYRPT", "PRINT-REGISTER", "PAYROLL.DEPT", f, sql, detail="SELECT"),
        ),
        fidelity=Fidelity(lines=24, code_lines=20),
    )


def _rules() -> tuple[Rule, ...]:
    f = CALC
    cap = line_of(f, "IF EMP-HOURS > 80")
    ot = line_of(f, "IF EMP-HOURS > WS-BASE")
    ev = line_of(f, "EVALUATE TRUE")
    page = line_of(RPT, "IF PAGE-FULL")
    return (
        Rule(
            "PAYCALC-R001",
            "PAYCALC",
            "VALIDATE-HOURS",
            "validation",
            f,
            cap,
            cap + 3,
            ("EMP-HOURS > 80",),
            ("DISPLAY WS-MESSAGE", "MOVE 80 TO EMP-HOURS"),
            f"Hours above 80 are capped at 80 and `WS-MESSAGE` is shown: `{XSS}`.",
            inputs=("EMP-HOURS",),
            outputs=("EMP-HOURS",),
            cluster="PAYCALC:C1",
        ),
        Rule(
            "PAYCALC-R002",
            "PAYCALC",
            "COMPUTE-GROSS",
            "calculation",
            f,
            ot,
            ot + 6,
            ("EMP-HOURS > WS-BASE-HOURS",),
            ("COMPUTE WS-GROSS = WS-BASE-HOURS * EMP-RATE + WS-OT-HOURS * EMP-RATE * WS-OT-RATE",),
            "Hours over `WS-BASE-HOURS` are paid at `WS-OT-RATE` times the rate.",
            branches=(
                Branch("EMP-HOURS > WS-BASE-HOURS", ("COMPUTE WS-OT-HOURS = ...",), ot, ot + 4),
                Branch("OTHER", ("COMPUTE WS-GROSS = EMP-HOURS * EMP-RATE",), ot + 5, ot + 6),
            ),
            inputs=("EMP-HOURS", "EMP-RATE"),
            outputs=("WS-GROSS",),
            cluster="PAYCALC:C1",
        ),
        Rule(
            "PAYCALC-R003",
            "PAYCALC",
            "COMPUTE-GROSS",
            "decision",
            f,
            ev,
            ev + 5,
            ("EMP-TYPE = 'S' OR 'X' (EMP-SALARIED)",),
            ("MOVE EMP-SALARY TO WS-GROSS",),
            "Salaried staff (`EMP-TYPE` is `'S'` or `'X'`) get their salary as gross pay.",
            cluster="PAYCALC:C1",
        ),
        Rule(
            "PAYRPT-R001",
            "PAYRPT",
            "PRINT-REGISTER",
            "decision",
            RPT,
            page,
            page + 2,
            ("WS-LINE-COUNT >= 50 (PAGE-FULL)",),
            ("PERFORM NEW-PAGE",),
            "A new page starts after 50 lines.",
        ),
    )


def _summaries() -> tuple[Summary, ...]:
    purpose_span = Span(CALC, 1, 6)
    return (
        Summary(
            "cobol:PAYCALC",
            "PAYCALC",
            (
                Claim(
                    "Computes weekly gross pay into `WS-GROSS` from `EMP-HOURS` and `EMP-RATE`.",
                    (purpose_span, Span(CALC, line_of(CALC, "COMPUTE-GROSS."), 63)),
                ),
                Claim(
                    f"Shows {XSS} when hours are capped.",
                    (Span(CALC, line_of(CALC, "DISPLAY"), 0),),  # end before start: one line
                ),
            ),
        ),
        Summary(
            "PAYCALC:C1",
            "Gross pay",
            (
                Claim(
                    "Validates hours, then pays overtime at `1.50` times the rate.",
                    (Span(CALC, line_of(CALC, "VALIDATE-HOURS."), 63),),
                ),
            ),
        ),
        Summary(
            "PAYCALC-R002",
            "Overtime",
            (
                Claim(
                    "Overtime pay uses `WS-OT-RATE`.",
                    (Span(CALC, line_of(CALC, "WS-OT-RATE"), line_of(CALC, "WS-OT-RATE")),),
                ),
            ),
        ),
        Summary(
            PAY_PROCESS,
            "Weekly pay",
            (
                Claim(
                    f"Pays each employee from the master file {XSS}.",
                    (Span(CALC, line_of(CALC, "PROCEDURE DIVISION"), 63),),
                ),
            ),
            source="model",
        ),
        Summary(
            "cobol:PAYRPT",
            "PAYRPT",
            (
                Claim(
                    "Prints the pay register with a page break every 50 lines.", (Span(RPT, 1, 2),)
                ),
            ),
        ),
    )


PAY_PROCESS = "P-pay0000001"  # hand-made ids shaped like the pipeline's
SPLIT = "P-rpt0000002"


def _processes() -> tuple[Process, ...]:
    """STEP010 as one process; STEP020 split in two parts (as a large process would be)."""
    note = "split 2 ways by community detection (1 rules, 2 procedures)"
    report = f"Job PAYJOB STEP020 (PAYRPT) {XSS}"
    split = dict(
        entry="jcl:PAYJOB:STEP020",
        entry_kind="job-step",
        programs=("PAYRPT",),
        datasets=("PAY.GROSS.WEEKLY", "PAY.REGISTER"),
        tables=("PAYROLL.DEPT",),
        screens=("PAYSET.PAYMAP",),
        parent=SPLIT,
        note=note,
    )
    return (
        Process(
            PAY_PROCESS,
            f"Job PAYJOB STEP010 (PAYCALC) {XSS}",
            "jcl:PAYJOB:STEP010",
            "job-step",
            ("PAYCALC",),
            tuple(p.id for p in _paycalc().procedures),
            ("PAYCALC-R001", "PAYCALC-R002", "PAYCALC-R003"),
            datasets=("PAY.EMPLOYEE.MASTER",),
        ),
        Process(
            f"{SPLIT}-1",
            f"{report} — part 1: PRINT-REGISTER",
            procedures=("cobol:PAYRPT:PRINT-REGISTER",),
            rules=("PAYRPT-R001",),
            part=1,
            **split,
        ),
        Process(
            f"{SPLIT}-2",
            f"{report} — part 2: NEW-PAGE",
            procedures=("cobol:PAYRPT:NEW-PAGE",),
            rules=(),
            part=2,
            **split,
        ),
    )


def _smells() -> tuple[Smell, ...]:
    cap = line_of(CALC, "IF EMP-HOURS > 80")
    full = line_of(RPT, "PAGE-FULL")
    return (
        Smell(
            "repeated-condition",
            "PAYCALC",
            CALC,
            cap,
            cap + 3,
            f"condition `EMP-HOURS > 80` is tested again: {XSS}",
        ),
        Smell("unused-code", "PAYRPT", RPT, full, full, "code `PAGE-FULL` is never produced"),
    )


def _job() -> Job:
    f = JCL

    def dd(name: str, dsn: str, disp: str) -> DDStatement:
        return DDStatement(name, dsn, disp, f, line_of(f, f"//{name} "))

    return Job(
        "PAYJOB",
        f,
        1,
        (
            JobStep(
                "PAYJOB",
                "STEP010",
                "PAYCALC",
                f,
                3,
                dds=(dd("EMPIN", "PAY.EMPLOYEE.MASTER", "SHR"), dd("SYSOUT", "", "")),
            ),
            JobStep(
                "PAYJOB",
                "STEP020",
                "PAYRPT",
                f,
                6,
                dds=(
                    dd("PAYIN", "PAY.GROSS.WEEKLY", "(OLD,KEEP)"),
                    dd("REPORT", "PAY.REGISTER", "(NEW,CATLG,DELETE)"),
                ),
            ),
        ),
    )


def base_graph(estate: Estate) -> nx.MultiDiGraph:
    """Program, paragraph, job, step and dataset nodes as graph.py makes them."""
    g = nx.MultiDiGraph()
    for p in estate.programs:
        g.add_node(
            f"cobol:{p.name}",
            kind="program",
            name=p.name,
            file=p.file,
            line=p.line,
            end_line=p.end_line,
            external=False,
        )
        for proc in p.procedures:
            g.add_node(
                proc.id,
                kind="paragraph",
                name=proc.name,
                program=p.name,
                file=proc.file,
                line=proc.line,
                end_line=proc.end_line,
            )
            g.add_edge(f"cobol:{p.name}", proc.id, kind="contains", file=proc.file, line=proc.line)
    for job in estate.jobs:
        g.add_node(f"jcl:{job.name}", kind="job", name=job.name, file=job.file, line=job.line)
        for step in job.steps:
            sid = f"jcl:{job.name}:{step.name}"
            g.add_node(
                sid,
                kind="step",
                name=step.name,
                job=job.name,
                program=step.program,
                file=step.file,
                line=step.line,
            )
            g.add_edge(f"jcl:{job.name}", sid, kind="contains", file=step.file, line=step.line)
            g.add_edge(sid, f"cobol:{step.program}", kind="runs", file=step.file, line=step.line)
            for dd in step.dds:
                if dd.dsn:
                    g.add_node(f"dataset:{dd.dsn}", kind="dataset", name=dd.dsn)
                    kind = "reads" if dd.disp in ("SHR", "(OLD,KEEP)") else "writes"
                    g.add_edge(sid, f"dataset:{dd.dsn}", kind=kind, file=dd.file, line=dd.line)
    return g


def build_graph(estate: Estate) -> nx.MultiDiGraph:
    """The graph the lead's graph.py would build for the payroll estate (by hand)."""
    g = base_graph(estate)
    g.add_node("cobol:PAYTAX", kind="program", name="PAYTAX", external=True)
    g.add_node("copybook:EMPREC", kind="copybook", name="EMPREC", file=COPY)
    g.add_node("table:PAYROLL.DEPT", kind="table", name="PAYROLL.DEPT")
    g.add_node("screen:PAYSET.PAYMAP", kind="screen", name="PAYSET.PAYMAP", file=BMS)
    calc = "cobol:PAYCALC:"
    for src, dst in (
        ("MAIN-LOGIC", "READ-EMPLOYEE"),
        ("MAIN-LOGIC", "PROCESS-EMPLOYEE"),
        ("PROCESS-EMPLOYEE", "VALIDATE-HOURS"),
        ("PROCESS-EMPLOYEE", "COMPUTE-GROSS"),
        ("PROCESS-EMPLOYEE", "READ-EMPLOYEE"),
    ):
        g.add_edge(
            calc + src, calc + dst, kind="performs", file=CALC, line=line_of(CALC, f"PERFORM {dst}")
        )
    g.add_edge(
        "cobol:PAYRPT:PRINT-REGISTER",
        "cobol:PAYRPT:NEW-PAGE",
        kind="performs",
        file=RPT,
        line=line_of(RPT, "PERFORM NEW-PAGE"),
    )
    g.add_edge(
        calc + "PROCESS-EMPLOYEE",
        "cobol:PAYTAX",
        kind="calls",
        file=CALC,
        line=line_of(CALC, "CALL 'PAYTAX'"),
    )
    g.add_edge(
        "cobol:PAYCALC",
        "copybook:EMPREC",
        kind="includes",
        file=CALC,
        line=line_of(CALC, "COPY EMPREC"),
    )
    g.add_edge(
        "cobol:PAYRPT:PRINT-REGISTER",
        "table:PAYROLL.DEPT",
        kind="reads",
        file=RPT,
        line=line_of(RPT, "EXEC SQL"),
    )
    g.add_edge("cobol:PAYRPT", "screen:PAYSET.PAYMAP", kind="sends", file=RPT, line=3)
    return g


def build() -> tuple[Estate, nx.MultiDiGraph]:
    """The payroll estate and its graph."""
    estate = Estate(
        root=".",
        sources=(
            _source(CALC, "cobol"),
            _source(RPT, "cobol"),
            _source(COPY, "copybook"),
            _source(JCL, "jcl"),
            _source(BMS, "bms"),
        ),
        programs=(_paycalc(), _payrpt()),
        jobs=(_job(),),
        rules=_rules(),
        clusters=(
            Cluster(
                "PAYCALC:C1",
                "PAYCALC",
                "PROCESS-EMPLOYEE",
                ("PROCESS-EMPLOYEE", "VALIDATE-HOURS", "COMPUTE-GROSS"),
                ("PAYCALC-R001", "PAYCALC-R002", "PAYCALC-R003"),
                title=f"Gross pay {XSS}",
            ),
        ),
        summaries=_summaries(),
        processes=_processes(),
        smells=_smells(),
        diagnostics=(
            Diagnostic(
                CALC,
                line_of(CALC, "COPY EMPREC"),
                "warning",
                "copy-missing",
                f"copybook MISSING not found {XSS}",
            ),
            Diagnostic(RPT, 0, "info", "sql-skipped", "EXEC SQL kept as a fact"),
            Diagnostic("cbl/GONE.cbl", 3, "error", "decode", "file could not be decoded"),
        ),
    )
    return estate, build_graph(estate)


# ---------------------------------------------------------------- scaled synthetic estate


def scaled(programs: int, rules: int) -> tuple[Estate, nx.MultiDiGraph, dict[str, str]]:
    """`programs` synthetic programs of `rules` rules each (about 6 source lines per rule)."""
    progs, all_rules, sources, texts = [], [], [], {}
    for n in range(programs):
        name = f"PRG{n:04d}"
        path = f"cbl/{name}.cbl"
        body = [f"       PROGRAM-ID. {name}.", "       PROCEDURE DIVISION."]
        procs, prog_rules = [], []
        for r in range(rules):
            para = f"PARA-{r // 10:03d}"
            if r % 10 == 0:
                body.append(f"       {para}.")
                procs.append(
                    Procedure(
                        f"cobol:{name}:{para}",
                        name,
                        para,
                        "paragraph",
                        path,
                        len(body),
                        len(body) + 60,
                    )
                )
            start = len(body) + 1
            body += [
                f"           IF WS-AMOUNT-{r} > {r}",
                f"               MOVE 'Y' TO WS-FLAG-{r}",
                f"               ADD {r} TO WS-TOTAL",
                "           ELSE",
                f"               MOVE 'N' TO WS-FLAG-{r}",
                "           END-IF",
            ]
            prog_rules.append(
                Rule(
                    f"{name}-R{r:04d}",
                    name,
                    para,
                    "decision",
                    path,
                    start,
                    start + 5,
                    (f"WS-AMOUNT-{r} > {r}",),
                    (f"MOVE 'Y' TO WS-FLAG-{r}",),
                    f"When `WS-AMOUNT-{r}` exceeds `{r}` the flag is set.",
                    cluster=f"{name}:C{r // 50}",
                )
            )
        texts[path] = "\n".join(body) + "\n"
        sources.append(SourceFile(path, "cobol", "utf-8", len(body), "0" * 64, len(texts[path])))
        data = tuple(DataItem(name, 5, f"WS-AMOUNT-{r}", path, 1, pic="9(5)") for r in range(rules))
        progs.append(
            Program(
                name,
                path,
                1,
                len(body),
                procedures=tuple(procs),
                data_items=data,
                fidelity=Fidelity(len(body), len(body)),
            )
        )
        all_rules += prog_rules
    estate = Estate(root=".", sources=tuple(sources), programs=tuple(progs), rules=tuple(all_rules))
    graph = base_graph(estate)
    for n in range(programs - 1):
        graph.add_edge(
            f"cobol:PRG{n:04d}:PARA-000",
            f"cobol:PRG{n + 1:04d}",
            kind="calls",
            file=f"cbl/PRG{n:04d}.cbl",
            line=4,
        )
    return estate, graph, texts
