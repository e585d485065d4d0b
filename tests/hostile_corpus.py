"""A hostile estate written by the tests: broken, huge, oddly named and malicious inputs.

`write_corpus(root)` lays the estate out under `root` and returns what a build must show: the
good programs (each must get a page) and the bad cases (each must be named in the
diagnostics with its reason, or documented despite its size or shape). Every byte here is
generated; nothing comes from a real estate.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

XSS = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
BIG_BYTES = 10 * 1024 * 1024
NEST_DEPTH = 200
LONG_LINE = 100_000


@dataclass(frozen=True)
class Case:
    """One bad input: where it is and what a build must say (or do) about it."""

    name: str
    path: str  # repo-relative POSIX path the diagnostics name
    codes: tuple[str, ...] = ()  # one of these diagnostic codes must name `path`
    reason: str = ""  # ... with this text in its message
    program: str = ""  # or: this program must be documented despite the input's shape
    line: bool = False  # the diagnostic must carry a line number


@dataclass
class Corpus:
    """What was written and what the build must show."""

    root: Path
    good: dict[str, str] = field(default_factory=dict)  # program name -> path
    cases: list[Case] = field(default_factory=list)
    hostile_names: list[str] = field(default_factory=list)  # file paths with hostile names


def card(code: str = "", indicator: str = " ", seq: str = "000000") -> str:
    """One fixed-format line: sequence area, indicator, program text."""
    return (seq[:6].ljust(6) + indicator + code).rstrip()


def program(name: str, procedure: list[str], data: list[str] = (), comments: list[str] = ()) -> str:
    """A small fixed-format program; procedure lines are indented into area B."""
    lines = [
        card("IDENTIFICATION DIVISION."),
        card(f"PROGRAM-ID. {name}."),
        *(card(c, "*") for c in comments),
        card("DATA DIVISION."),
        card("WORKING-STORAGE SECTION."),
        card("01  WS-A                PIC X(10)."),
        card("01  WS-B                PIC 9(4)."),
        card("01  WS-STATUS           PIC X(1)."),
        card("    88  WS-OK           VALUE 'Y'."),
        *(card(line) for line in data),
        card("PROCEDURE DIVISION."),
        card("MAIN-PARA."),
        *(card("    " + line) for line in procedure),
        card("    STOP RUN."),
    ]
    return "\n".join(lines) + "\n"


def _write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# ---------------------------------------------------------------- good programs


def _good(corpus: Corpus) -> None:
    root = corpus.root
    _write(root, "cpy/CUSTREC.cpy", "\n".join([
        card("01  CUST-REC."),
        card("    05  CUST-ID         PIC 9(6)."),
        card("    05  CUST-LIMIT      PIC 9(7)V99."),
    ]) + "\n")
    _write(root, "good/CUSTCHK.cbl", program("CUSTCHK", [
        "IF CUST-LIMIT > 5000",
        "    MOVE 'HIGH' TO WS-A",
        "ELSE",
        "    MOVE 'LOW' TO WS-A",
        "END-IF",
        "PERFORM CHECK-PARA",
        "CALL 'RATEPGM' USING CUST-REC.",
        "CHECK-PARA.",
        "    IF WS-B = 0 MOVE 'Y' TO WS-STATUS END-IF.",
    ], data=["COPY CUSTREC."]))
    _write(root, "good/RATEPGM.cbl", program("RATEPGM", [
        "EVALUATE TRUE",
        "    WHEN WS-OK MOVE 1 TO WS-B",
        "    WHEN OTHER MOVE 2 TO WS-B",
        "END-EVALUATE.",
    ]))
    _write(root, "jcl/GOODJOB.jcl", "\n".join([
        "//GOODJOB  JOB (ACCT),'GOOD',CLASS=A",
        "//STEP1    EXEC PGM=CUSTCHK",
        "//INFILE   DD DSN=PROD.CUST.MASTER,DISP=SHR",
    ]) + "\n")
    corpus.good.update(CUSTCHK="good/CUSTCHK.cbl", RATEPGM="good/RATEPGM.cbl")


# ---------------------------------------------------------------- broken files


def _broken_files(corpus: Corpus) -> None:
    root = corpus.root
    _write(root, "bad/binary.cbl", bytes(range(256)) * 40)
    corpus.cases.append(Case("binary", "bad/binary.cbl", ("binary-skipped",), "binary"))
    _write(root, "bad/empty.cbl", b"")
    corpus.cases.append(Case("empty", "bad/empty.cbl", ("empty-file",), "empty"))
    text = program("BADUTF8", ["MOVE 'CAF\u00c9' TO WS-A."]).encode("utf-8")
    _write(root, "bad/BADUTF8.cbl", text.replace("CAF\u00c9".encode(), b"CAF\xc9\xff"))
    corpus.cases.append(Case("invalid-utf8", "bad/BADUTF8.cbl", ("encoding-fallback",),
                             "not valid UTF-8", program="BADUTF8", line=True))
    ebcdic = program("EBCDPGM", ["MOVE 'EBCDIC' TO WS-A."]).replace("\n", "\x85")
    _write(root, "bad/EBCDPGM.cbl", ebcdic.encode("cp037"))
    corpus.cases.append(Case("ebcdic", "bad/EBCDPGM.cbl", ("encoding-ebcdic",), "cp037",
                             program="EBCDPGM"))


def _unreadable(corpus: Corpus) -> None:
    root = corpus.root
    (root / "bad").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "bad" / "pipe.cbl")
    corpus.cases.append(Case("fifo", "bad/pipe.cbl", ("unreadable",), "not a regular file"))
    os.symlink("no-such-target.cbl", root / "bad" / "dangling.cbl")
    corpus.cases.append(Case("broken-symlink", "bad/dangling.cbl", ("unreadable",),
                             "broken link"))
    os.symlink("loop-b.cbl", root / "bad" / "loop-a.cbl")
    os.symlink("loop-a.cbl", root / "bad" / "loop-b.cbl")
    corpus.cases.append(Case("symlink-loop-file", "bad/loop-a.cbl", ("symlink-loop",), "itself"))
    os.symlink("..", root / "bad" / "up")
    corpus.cases.append(Case("symlink-loop-dir", "bad/up", ("symlink-loop",), "leads back"))
    os.symlink("../..", root / "bad" / "escape")
    corpus.cases.append(Case("symlink-outside", "bad/escape", ("symlink-outside",), "'../..'"))
    # A folder named like a source file is walked as a folder, never opened as a file.
    _write(root, "bad/folder.cbl/INFOLDER.cbl", program("INFOLDER", ["MOVE 1 TO WS-B."]))
    corpus.good["INFOLDER"] = "bad/folder.cbl/INFOLDER.cbl"


# ---------------------------------------------------------------- shapes


FIELDS = 1000


def _big_paragraph(n: int) -> list[str]:
    """One paragraph of a large batch program: nested decisions, a table lookup, arithmetic."""
    f = [f"WS-F{(n * 7 + i) % FIELDS:04d}" for i in range(6)]
    lines = [
        f"P{n:05d}.",
        f"    IF {f[0]} > {n % 997} AND {f[1]} NOT = ZERO",
        f"        IF {f[2]} < {f[3]}",
        f"            COMPUTE {f[4]} = {f[2]} * {n % 13 + 2} + {f[3]}",
        "        ELSE",
        f"            SUBTRACT {f[3]} FROM {f[4]}",
        "        END-IF",
        "    ELSE",
        f"        MOVE {n % 9999} TO {f[5]}",
        "    END-IF",
        f"    EVALUATE {f[1]}",
        f"        WHEN 1 THRU {n % 50 + 1}",
        f"            ADD 1 TO {f[2]}",
        "        WHEN 99",
        f"            MOVE ZERO TO {f[2]}",
        "            PERFORM U-LOG",
        "        WHEN OTHER",
        f"            MOVE {f[1]} TO {f[3]}",
        "    END-EVALUATE",
    ]
    for i in range(6):  # straight-line moves, as generated code has them by the screenful
        lines.append(f"    MOVE {f[i]} TO WS-F{(n * 11 + i) % FIELDS:04d}")
    lines += [f"    ADD {f[0]} {f[1]} GIVING {f[4]} ROUNDED",
              "    PERFORM U-LOG", "    ."]
    return lines


def _big_program(corpus: Corpus) -> None:
    """About 10 MB of ordinary batch code: a driver performing thousands of paragraphs."""
    head = [
        card("IDENTIFICATION DIVISION."),
        card("PROGRAM-ID. BIGPGM."),
        card("DATA DIVISION."),
        card("WORKING-STORAGE SECTION."),
        *(card(f"01  WS-F{i:04d}            PIC S9(7)V99 COMP-3 VALUE ZERO.")
          for i in range(FIELDS)),
        card("01  WS-LOG-COUNT        PIC 9(9) VALUE ZERO."),
        card("PROCEDURE DIVISION."),
    ]
    per_paragraph = sum(len(card(line)) + 1 for line in _big_paragraph(0)) + 21
    count = (BIG_BYTES - sum(len(line) + 1 for line in head)) // per_paragraph + 1
    driver = [card("MAIN-PARA.")] + [card(f"    PERFORM P{n:05d}") for n in range(count)]
    body = [card(line) for n in range(count) for line in _big_paragraph(n)]
    tail = [card("U-LOG."), card("    ADD 1 TO WS-LOG-COUNT.")]
    text = "\n".join(head + driver + [card("    STOP RUN.")] + body + tail) + "\n"
    _write(corpus.root, "shape/BIGPGM.cbl", text)
    corpus.cases.append(Case("10MB-program", "shape/BIGPGM.cbl", program="BIGPGM"))


def _deep_and_long(corpus: Corpus) -> None:
    root = corpus.root
    opens = [f"{'  ' * (i % 20)}IF WS-B = {i}" for i in range(NEST_DEPTH)]
    closes = [f"{'  ' * (i % 20)}END-IF" for i in reversed(range(NEST_DEPTH))]
    _write(root, "shape/DEEPIF.cbl", program("DEEPIF", [*opens, "MOVE 'DEEP' TO WS-A",
                                                       *closes, "CONTINUE."]))
    corpus.cases.append(Case("if-200-deep", "shape/DEEPIF.cbl", program="DEEPIF"))
    statements = "MOVE 1 TO WS-B " * (LONG_LINE // 15)
    free = "\n".join([
        ">>SOURCE FORMAT FREE",
        "IDENTIFICATION DIVISION.",
        "PROGRAM-ID. LONGLINE.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01 WS-B PIC 9(4).",
        "PROCEDURE DIVISION.",
        "MAIN-PARA.",
        statements + ".",
        "*> " + "X" * LONG_LINE,
        "    STOP RUN.",
    ]) + "\n"
    _write(root, "shape/LONGLINE.cbl", free)
    corpus.cases.append(Case("100k-line", "shape/LONGLINE.cbl", program="LONGLINE"))
    fixed = program("LONGFIX", ["MOVE 2 TO WS-B."], comments=["X" * LONG_LINE])
    _write(root, "shape/LONGFIX.cbl", fixed)
    corpus.cases.append(Case("100k-line-fixed", "shape/LONGFIX.cbl", program="LONGFIX"))


# ---------------------------------------------------------------- copybooks and JCL


def _copybooks(corpus: Corpus) -> None:
    root = corpus.root
    for this, other in (("A", "B"), ("B", "A")):
        lines = [card(f"    05  CYC-{this}  PIC X."), card(f"COPY CYCLE{other}.")]
        _write(root, f"cpy/CYCLE{this}.cpy", "\n".join(lines) + "\n")
    _write(root, "copy/CYCLER.cbl", program("CYCLER", ["MOVE 'A' TO CYC-A."],
                                            data=["01  CYC-GROUP.", "COPY CYCLEA."]))
    corpus.cases.append(Case("copy-cycle", "cpy/CYCLEB.cpy", ("copy-cycle",), "COPY cycle",
                             program="CYCLER", line=True))
    _write(root, "copy/MISSER.cbl", program("MISSER", ["MOVE 'A' TO WS-A."],
                                            data=["COPY NOSUCHMEM."]))
    corpus.cases.append(Case("missing-copybook", "copy/MISSER.cbl", ("copy-missing",),
                             "NOSUCHMEM", program="MISSER", line=True))


def _broken_jcl(corpus: Corpus) -> None:
    deck = "\n".join([
        "//BROKEN   JOB (ACCT),'BROKEN',",
        "//STEP1    EXEC PGM=CUSTCHK,",
        "THIS LINE SHOULD HAVE CONTINUED THE EXEC",
        "//IN       DD DSN=PROD.DATA,",
        "//                                  DISP=SHR",
        "//OUT      DD DSN='UNCLOSED.QUOTE,DISP=SHR",
        "//STEP2    EXEC PGM=RATEPGM",
    ]) + "\n"
    _write(corpus.root, "jcl/BROKEN.jcl", deck)
    corpus.cases.append(Case("jcl-continuation", "jcl/BROKEN.jcl", ("jcl-continuation",),
                             "continue", line=True))


# ---------------------------------------------------------------- names


HOSTILE_FILE_NAMES = (
    "names/with space/MY PROG.cbl",
    "names/ünïcödé/prögrâm€.cbl",
    "names/a..b/..dots...cbl",
    "names/" + XSS + "-file.cbl",  # a folder "<script>alert(1)<" holding "script>-file.cbl"
    "names/" + XSS_ATTR + ".cbl",
)


def _hostile_names(corpus: Corpus) -> None:
    for index, rel in enumerate(HOSTILE_FILE_NAMES):
        name = f"NAMED{index}"
        _write(corpus.root, rel, program(name, ["MOVE 'N' TO WS-A."]))
        corpus.good[name] = rel
        corpus.hostile_names.append(rel)


def _malicious_text(corpus: Corpus) -> None:
    """Script and attribute breakers in comments, literals, names, JCL and copybook names."""
    root = corpus.root
    text = program("XSSPGM", [
        f"MOVE '{XSS}' TO WS-A",
        f"MOVE '{XSS_ATTR.replace(chr(39), chr(39) * 2)}' TO WS-A",
        f'DISPLAY "{XSS_ATTR.replace(chr(34), chr(34) * 2)}"',
        "IF WS-A = '<b>' PERFORM <SCRIPT>-PARA END-IF",
        "EVALUATE WS-A",  # WHEN objects that a spreadsheet would run as formulas
        '    WHEN =HYPERLINK("http://x")',
        "        MOVE 1 TO WS-B",
        "    WHEN -WS-B",
        "        MOVE @X TO WS-B",
        "    WHEN OTHER",
        "        MOVE 3 TO WS-B",
        "END-EVALUATE",
        "PERFORM X-ONERROR=ALERT.",
        "<SCRIPT>-PARA.",
        f"    MOVE '{XSS}' TO WS-<SCRIPT>.",
        "X-ONERROR=ALERT.",
        "    DISPLAY 'X'.",
    ], data=[f"01  WS-<SCRIPT>  PIC X(30) VALUE '{XSS}'.",
             f"COPY '{XSS}'.",
             f"COPY '{XSS_ATTR.replace(chr(39), '')}'."],
       comments=[XSS, XSS_ATTR])
    _write(root, "xss/XSSPGM.cbl", text)
    corpus.good["XSSPGM"] = "xss/XSSPGM.cbl"
    deck = "\n".join([
        f"//{XSS} JOB (ACCT),'{XSS}'",
        f"//* {XSS_ATTR}",
        f"//STEP1 EXEC PGM=XSSPGM,PARM='{XSS}'",
        f"//IN DD DSN={XSS_ATTR},DISP=SHR",
    ]) + "\n"
    _write(root, "xss/XSSJOB.jcl", deck)


# The bad cases write_corpus() lays out (the 10 MB program only with big=True).
CASE_NAMES = (
    "binary", "empty", "invalid-utf8", "ebcdic", "fifo", "broken-symlink", "symlink-loop-file",
    "symlink-loop-dir", "symlink-outside", "if-200-deep", "100k-line", "100k-line-fixed",
    "copy-cycle", "missing-copybook", "jcl-continuation",
)


def write_corpus(root: Path, *, big: bool = False) -> Corpus:
    """Write the hostile estate under `root` (which must not exist yet)."""
    root.mkdir(parents=True)
    corpus = Corpus(root)
    steps = [_good, _broken_files, _unreadable, _deep_and_long, _copybooks, _broken_jcl,
             _hostile_names, _malicious_text]
    for step in steps + ([_big_program] if big else []):
        step(corpus)
    return corpus
