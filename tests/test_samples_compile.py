"""The bundled COBOL sample estate is real COBOL: GnuCOBOL (cobc) accepts every program.

Programs without EXEC blocks are compiled as written. Programs with EXEC CICS / EXEC SQL are
compiled after a small stand-in for the CICS translator and the DB2 precompiler: EXEC blocks become
CONTINUE (procedure division) or disappear (data division), `EXEC SQL INCLUDE x` becomes `COPY x`,
`DFHRESP(x)` becomes its number, the EIB is added to the linkage section, and the IBM-supplied
members (DFHAID, DFHBMSCA, DFHEIBLK, SQLCA) come from minimal stubs. Line numbers are preserved so
cobc's messages point at the sample's own lines.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "cobol"
PROGRAMS = SAMPLES / "programs"
COPYBOOKS = SAMPLES / "copybooks"

# Exact cobc flags per program (cobc 3.1.2, default dialect). The default dialect accepts every
# IBM-ism the samples use (NOT=, abbreviated conditions, ENTRY, COMP-3, CURRENT-DATE(1:8)).
# LOANDLQ needs -free: cobc 3.1 in fixed mode only honours `>>SOURCE FORMAT FREE` from column 8.
BASE_FLAGS = ("-fsyntax-only",)
PROGRAM_FLAGS: dict[str, tuple[str, ...]] = {
    "ACCTVAL.cbl": (),
    "DATEUTIL.cbl": (),
    "FEECALC.cbl": (),
    "INTCALC.cbl": (),
    "LOANDLQ.cbl": ("-free",),
    "RPTGEN.cbl": (),
    "SLINQ.cbl": (),
    "SLMENU.cbl": (),
    "TXNPOST.cbl": (),
}

EXEC_RE = re.compile(
    r"\bEXEC\s+(CICS|SQL|DLI)\b(.*?)\bEND-EXEC\b(?P<period>[ \t]*\.)?", re.DOTALL | re.IGNORECASE
)
INCLUDE_RE = re.compile(r"^\s*INCLUDE\s+([A-Z0-9@#$-]+)\s*$", re.IGNORECASE)
DFHRESP_RE = re.compile(r"DFHRESP\s*\(\s*([A-Z]+)\s*\)", re.IGNORECASE)
PROC_DIV_RE = re.compile(r"\bPROCEDURE\s+DIVISION\b", re.IGNORECASE)
LINKAGE_RE = re.compile(r"^(.*\bLINKAGE\s+SECTION\s*\.)", re.IGNORECASE | re.MULTILINE)

# Values the CICS translator substitutes for DFHRESP(condition).
DFHRESP_CODES = {"NORMAL": 0, "NOTFND": 13, "DUPREC": 14, "MAPFAIL": 36, "PGMIDERR": 27}

# Minimal stand-ins for IBM-supplied members: just the names the samples use.
STUB_COPYBOOKS = {
    "DFHEIBLK": """\
       01  DFHEIBLK.
           05  EIBTIME                 PIC S9(7) COMP-3.
           05  EIBDATE                 PIC S9(7) COMP-3.
           05  EIBTRNID                PIC X(4).
           05  EIBTASKN                PIC S9(7) COMP-3.
           05  EIBTRMID                PIC X(4).
           05  EIBCPOSN                PIC S9(4) COMP.
           05  EIBCALEN                PIC S9(4) COMP.
           05  EIBAID                  PIC X(1).
           05  EIBRESP                 PIC S9(8) COMP.
""",
    "DFHAID": """\
       01  DFHAID.
           05  DFHENTER                PIC X VALUE QUOTE.
           05  DFHCLEAR                PIC X VALUE '_'.
           05  DFHPF3                  PIC X VALUE '3'.
""",
    "DFHBMSCA": """\
       01  DFHBMSCA.
           05  DFHBMPRO                PIC X VALUE '-'.
           05  DFHBMBRY                PIC X VALUE 'H'.
""",
    "SQLCA": """\
       01  SQLCA.
           05  SQLCAID                 PIC X(8).
           05  SQLCABC                 PIC S9(9) COMP.
           05  SQLCODE                 PIC S9(9) COMP.
           05  SQLERRM.
               49  SQLERRML            PIC S9(4) COMP.
               49  SQLERRMC            PIC X(70).
""",
}


def cobc_path() -> str:
    """The cobc executable, or a test failure saying how to install it."""
    path = shutil.which("cobc")
    if path is None:
        pytest.fail("cobc not found: install gnucobol3 (apt-get install -y gnucobol3)")
    return path


def is_free_format(text: str) -> bool:
    """True when the source declares free format on its first line."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return bool(re.match(r">>\s*SOURCE\s+(FORMAT\s+)?(IS\s+)?FREE", first, re.IGNORECASE))


def blank_comments(text: str) -> str:
    """Comment lines emptied (line count kept), so EXEC in a comment is not code."""
    free = is_free_format(text)
    out = []
    for line in text.split("\n"):
        fixed_comment = not free and len(line) > 6 and line[6] in "*/"
        free_comment = line.lstrip().startswith("*>")
        out.append("" if fixed_comment or free_comment else line)
    return "\n".join(out)


def has_exec(text: str) -> bool:
    """True when the program's code (not its comments) holds an EXEC block."""
    return EXEC_RE.search(blank_comments(text)) is not None


def overlay(span: str, replacement: str) -> str:
    """`replacement` written over `span` with every other character blanked, newlines kept."""
    blanked = re.sub(r"[^\n]", " ", span)
    return replacement + blanked[len(replacement) :]


def mask_exec(text: str) -> tuple[str, int]:
    """EXEC blocks replaced as the translators would leave them; returns (text, blocks masked)."""
    code = blank_comments(text)
    proc = PROC_DIV_RE.search(code)
    proc_start = proc.start() if proc else len(code)
    pieces, last, count = [], 0, 0
    for match in EXEC_RE.finditer(code):
        include = INCLUDE_RE.match(" ".join(match.group(2).split()))
        # A data-division block goes with its period; a statement keeps it (it may end a sentence).
        period = match.group("period") or ""
        if include:
            replacement = f"COPY {include.group(1).upper()}"
        elif match.start() > proc_start:
            replacement = "CONTINUE"
        else:
            replacement, period = "", ""
        block = match.group(0)[: len(match.group(0)) - len(period)]
        pieces += [code[last : match.start()], overlay(block, replacement) + period]
        last, count = match.end(), count + 1
    masked = "".join(pieces) + code[last:]
    masked = DFHRESP_RE.sub(lambda m: str(DFHRESP_CODES[m.group(1).upper()]), masked)
    if re.search(r"\bEXEC\s+CICS\b", code, re.IGNORECASE):
        masked = LINKAGE_RE.sub(r"\1 COPY DFHEIBLK.", masked, count=1)
    return masked, count


def masked_copybook_dir(tmp_path: Path) -> Path:
    """The sample copybooks (EXEC blocks masked) plus the IBM stubs, in a scratch folder."""
    target = tmp_path / "copybooks"
    target.mkdir()
    for member in COPYBOOKS.glob("*.cpy"):
        text = member.read_text(encoding="utf-8")
        (target / member.name).write_text(mask_exec(text)[0], encoding="utf-8")
    for name, body in STUB_COPYBOOKS.items():
        (target / f"{name}.cpy").write_text(body, encoding="utf-8")
    return target


def run_cobc(source: Path, copybooks: Path) -> subprocess.CompletedProcess[str]:
    """cobc with the flags recorded for this program."""
    flags = BASE_FLAGS + PROGRAM_FLAGS[source.name]
    command = [cobc_path(), *flags, "-I", str(copybooks), str(source)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def program_files() -> list[Path]:
    """Every program of the sample estate, sorted."""
    return sorted(PROGRAMS.glob("*.cbl"))


def plain_programs() -> list[Path]:
    """Programs without EXEC blocks."""
    return [p for p in program_files() if not has_exec(p.read_text(encoding="utf-8"))]


def exec_programs() -> list[Path]:
    """Programs with EXEC blocks."""
    return [p for p in program_files() if has_exec(p.read_text(encoding="utf-8"))]


def test_every_program_has_recorded_cobc_flags() -> None:
    assert sorted(p.name for p in program_files()) == sorted(PROGRAM_FLAGS)


def test_estate_has_both_kinds_of_program() -> None:
    assert len(plain_programs()) >= 5
    assert {p.name for p in exec_programs()} >= {"SLMENU.cbl", "SLINQ.cbl", "TXNPOST.cbl"}


@pytest.mark.parametrize("program", plain_programs(), ids=lambda p: p.name)
def test_program_without_exec_compiles(program: Path) -> None:
    result = run_cobc(program, COPYBOOKS)
    assert result.returncode == 0, f"cobc rejected {program.name}:\n{result.stderr}"


@pytest.mark.parametrize("program", exec_programs(), ids=lambda p: p.name)
def test_program_with_exec_compiles_once_masked(program: Path, tmp_path: Path) -> None:
    masked, count = mask_exec(program.read_text(encoding="utf-8"))
    assert count > 0
    source = tmp_path / program.name
    source.write_text(masked, encoding="utf-8")
    result = run_cobc(source, masked_copybook_dir(tmp_path))
    assert result.returncode == 0, f"cobc rejected masked {program.name}:\n{result.stderr}"


def test_unmasked_exec_program_is_rejected(tmp_path: Path) -> None:
    """The masking is what makes the EXEC programs compile (the check has teeth)."""
    program = PROGRAMS / "SLINQ.cbl"
    result = run_cobc(program, masked_copybook_dir(tmp_path))
    assert result.returncode != 0


def test_mask_keeps_lines_and_maps_blocks() -> None:
    source = (
        "       WORKING-STORAGE SECTION.\n"
        "           EXEC SQL INCLUDE SQLCA END-EXEC.\n"
        "           EXEC SQL DECLARE T TABLE\n"
        "           ( C CHAR(1) ) END-EXEC.\n"
        "      * EXEC CICS RETURN END-EXEC IN A COMMENT\n"
        "       LINKAGE SECTION.\n"
        "       PROCEDURE DIVISION.\n"
        "           IF WS-RESP = DFHRESP(NOTFND)\n"
        "               EXEC CICS RETURN\n"
        "               END-EXEC\n"
        "           END-IF.\n"
    )
    masked, count = mask_exec(source)
    lines = masked.split("\n")
    assert count == 3
    assert len(lines) == len(source.split("\n"))
    assert lines[1].split() == ["COPY", "SQLCA", "."]
    assert lines[2].strip() == "" and lines[3].strip() == ""
    assert lines[5].split() == ["LINKAGE", "SECTION.", "COPY", "DFHEIBLK."]
    assert "= 13" in lines[7]
    assert lines[8].strip() == "CONTINUE" and lines[9].strip() == ""


def test_fixed_format_sources_stay_inside_column_72() -> None:
    """cobc silently ignores columns 73-80, so code there would vanish unnoticed."""
    for path in sorted([*PROGRAMS.glob("*.cbl"), *COPYBOOKS.glob("*.cpy")]):
        text = path.read_text(encoding="utf-8")
        if is_free_format(text):
            continue
        lines = text.rstrip("\n").split("\n")
        card_image = all(len(line) == 80 and line[:6].isdigit() for line in lines)
        limit = 80 if card_image else 72
        long_lines = [i for i, line in enumerate(lines, 1) if len(line) > limit]
        assert long_lines == [], f"{path.name}: lines past column {limit}: {long_lines}"


# ---------------------------------------------------------------- the hand-written expectations

EXPECTED = REPO / "tests" / "data" / "samples_expected.json"
HEADER_RE = re.compile(r"^([A-Z0-9][A-Z0-9-]*)(\s+SECTION)?\s*\.\s*$")
PERFORM_RE = re.compile(
    r"(?<![A-Z0-9-])PERFORM\s+([A-Z0-9][A-Z0-9-]*)"  # not END-PERFORM
    r"(?:\s+(?:THRU|THROUGH)\s+([A-Z0-9-]+))?"
)
NOT_TARGETS = {"VARYING", "UNTIL", "WITH", "TEST", "FOREVER"}


def expected() -> dict:
    """tests/data/samples_expected.json."""
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def procedure_lines(text: str) -> list[str]:
    """Code lines of the procedure division, area A at column 0, comments dropped."""
    free = is_free_format(text)
    lines = []
    for line in text.split("\n"):
        if free:
            if not line.lstrip().startswith("*>"):
                lines.append(line.split("*>")[0].rstrip())
        elif len(line) > 6 and line[6] not in "*/D":
            lines.append(line[7:72].rstrip())
    start = next(i for i, line in enumerate(lines) if PROC_DIV_RE.search(line))
    return lines[start + 1 :]


def test_expected_programs_match_their_files() -> None:
    entries = expected()["programs"]
    assert sorted(e["file"].rsplit("/", 1)[1] for e in entries) == sorted(PROGRAM_FLAGS)
    for entry in entries:
        text = (REPO / entry["file"]).read_text(encoding="utf-8")
        assert re.search(rf"PROGRAM-ID\.\s+{entry['program_id']}\.", text), entry["file"]


def test_expected_paragraphs_and_sections_follow_the_source() -> None:
    for entry in expected()["programs"]:
        lines = procedure_lines((REPO / entry["file"]).read_text(encoding="utf-8"))
        headers = [m for m in (HEADER_RE.match(line) for line in lines) if m]
        paragraphs = [m.group(1) for m in headers if not m.group(2)]
        sections = [m.group(1) for m in headers if m.group(2)]
        assert paragraphs == entry["paragraphs"], entry["program_id"]
        assert sections == entry["sections"], entry["program_id"]


def test_expected_perform_targets_follow_the_source() -> None:
    for entry in expected()["programs"]:
        code = " ".join(procedure_lines((REPO / entry["file"]).read_text(encoding="utf-8")))
        targets = set()
        for match in PERFORM_RE.finditer(code):
            targets |= {t for t in match.groups() if t and t not in NOT_TARGETS}
        assert sorted(targets) == entry["performs"], entry["program_id"]


def test_expected_copybooks_exist_unless_marked_missing() -> None:
    present = {p.stem for p in COPYBOOKS.glob("*.cpy")}
    for entry in expected()["programs"]:
        missing = set(entry["copybooks_missing"])
        assert set(entry["copybooks"]) - missing <= present, entry["program_id"]
        assert not missing & present, entry["program_id"]


def test_expected_jobs_match_their_job_cards() -> None:
    for job in expected()["jobs"]:
        text = (REPO / job["file"]).read_text(encoding="utf-8")
        assert text.startswith(f"//{job['name']} ") and " JOB " in text.split("\n")[0]
        for step in job["steps"]:
            step_name = step["name"].split(".")[0]
            assert re.search(rf"^//{step_name}\s+EXEC\s", text, re.MULTILINE), step["name"]
