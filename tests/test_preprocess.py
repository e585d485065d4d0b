"""COBOL preprocessor: columns, COPY/REPLACING, EXEC masking, grammar rewrites, source map.

Every input here is written for these tests. Card-image lines are built with `card()`, so the
columns are explicit: sequence area 1-6, indicator 7, program text 8-72, identification 73-80.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logicmine.lang.cobol.preprocess import (
    CopybookResolver,
    Preprocessed,
    build_copybook_index,
    preprocess,
)
from logicmine.model import Origin


def card(code: str = "", indicator: str = " ", seq: str = "000000", ident: str = "") -> str:
    """A card-image line: sequence area, indicator, program text (to column 72), ident area."""
    text = seq[:6].ljust(6) + indicator + code
    return text.ljust(72) + ident if ident else text


def cards(*codes: str) -> str:
    """A fixed-format source whose lines all have a blank indicator."""
    return "".join(card(code) + "\n" for code in codes)


def resolver(files: dict[str, str], search_paths: tuple[str, ...] = ()) -> CopybookResolver:
    """A resolver over an in-memory estate."""
    index = build_copybook_index(files, search_paths)
    return CopybookResolver(index, search_paths, loader=files.__getitem__, files=files)


def run(
    text: str, files: dict[str, str] | None = None, path: str = "src/PROG.cbl", **kw
) -> Preprocessed:
    return preprocess(text, path, resolver(files or {}), **kw)


def lines(pre: Preprocessed) -> list[str]:
    """Output lines (the text ends with a newline)."""
    assert pre.text.endswith("\n")
    result = pre.text.split("\n")[:-1]
    assert len(result) == len(pre.origins)
    return result


def code(pre: Preprocessed, number: int) -> str:
    """Program text of output line `number` (1-based), without the 7-column prefix."""
    line = lines(pre)[number - 1]
    assert line == "" or line.startswith(" " * 7)
    return line[7:]


def find(pre: Preprocessed, needle: str) -> int:
    """1-based output line holding `needle` (exactly one)."""
    found = [i + 1 for i, line in enumerate(lines(pre)) if needle in line]
    assert len(found) == 1, (needle, found, pre.text)
    return found[0]


HEADER = (
    "IDENTIFICATION DIVISION.",
    "PROGRAM-ID. TESTPGM.",
    "DATA DIVISION.",
    "WORKING-STORAGE SECTION.",
    "01 WS-A PIC X(10).",
    "01 WS-B PIC 9(4).",
)


def program(*procedure: str, data: tuple[str, ...] = ()) -> str:
    """A small fixed-format program around some procedure division lines."""
    return cards(
        *HEADER,
        *data,
        "PROCEDURE DIVISION.",
        "MAIN-PARA.",
        *("    " + line for line in procedure),
        "    STOP RUN.",
    )


# ---------------------------------------------------------------- columns and comments


def test_fixed_columns_drop_sequence_and_identification_areas():
    text = card("IDENTIFICATION DIVISION.", seq="000100", ident="PROG0001") + "\n"
    text += card("PROGRAM-ID. COLS.", seq="ABCDEF") + "\n"
    text += card("    MOVE 'A' TO WS-A" + " " * 40 + "WS-B", ident="XX") + "\n"
    pre = run(text)
    assert lines(pre)[0] == "       IDENTIFICATION DIVISION."
    assert code(pre, 2) == "PROGRAM-ID. COLS."
    # Program text ends at column 72 even when code runs into 73-80, as compilers do.
    assert code(pre, 3) == ("    MOVE 'A' TO WS-A" + " " * 40 + "WS-B")[:65].rstrip()
    assert pre.source_format == "fixed"
    assert pre.origins == tuple(Origin("src/PROG.cbl", n) for n in (1, 2, 3))


def test_comment_blank_and_short_lines_stay_as_empty_lines():
    text = (
        "\n".join(
            [
                card("IDENTIFICATION DIVISION."),
                card(" FIRST COMMENT", "*"),
                "",
                "123",
                card("PAGE EJECT COMMENT", "/"),
                card("PROGRAM-ID. CMT."),
            ]
        )
        + "\n"
    )
    pre = run(text)
    assert lines(pre) == [
        "       IDENTIFICATION DIVISION.",
        "",
        "",
        "",
        "",
        "       PROGRAM-ID. CMT.",
    ]
    assert pre.comments == ((2, "FIRST COMMENT"), (5, "PAGE EJECT COMMENT"))
    assert [o.line for o in pre.origins] == [1, 2, 3, 4, 5, 6]


def test_debugging_lines_are_comments_unless_debugging_mode():
    body = [
        card("IDENTIFICATION DIVISION."),
        card("PROGRAM-ID. DBG."),
        card("ENVIRONMENT DIVISION."),
        card("CONFIGURATION SECTION."),
        "SOURCE-COMPUTER-LINE",
        card("PROCEDURE DIVISION."),
        card("    DISPLAY 'TRACE'", "D"),
        card("    STOP RUN."),
    ]
    plain = body.copy()
    plain[4] = card("SOURCE-COMPUTER. IBM-370.")
    debug = body.copy()
    debug[4] = card("SOURCE-COMPUTER. IBM-370 WITH DEBUGGING MODE.")
    off = run("\n".join(plain) + "\n")
    on = run("\n".join(debug) + "\n")
    assert code(off, 7) == "" and (7, "DISPLAY 'TRACE'") in off.comments
    assert code(on, 7) == "    DISPLAY 'TRACE'"


def test_tabs_expand_to_stops_of_eight():
    text = card("IDENTIFICATION DIVISION.") + "\n" + "\t    MOVE 1 TO WS-B.\n"
    pre = run(text)
    # The tab fills columns 1-8, so the statement starts in column 13.
    assert lines(pre)[1] == " " * 12 + "MOVE 1 TO WS-B."


def test_floating_comments_are_cut_outside_literals_only():
    pre = run(program("DISPLAY 'A *> B' *> trailing note", "MOVE 1 TO WS-B *>x"))
    first = find(pre, "DISPLAY")
    assert code(pre, first).strip() == "DISPLAY 'A *> B'"
    assert code(pre, first + 1).strip() == "MOVE 1 TO WS-B"
    assert (first, "trailing note") in pre.comments


def test_free_format_is_detected_and_keeps_whole_lines():
    text = (
        "\n".join(
            [
                "IDENTIFICATION DIVISION.",
                "PROGRAM-ID. FREEPGM.",
                "*> a full-line comment",
                "PROCEDURE DIVISION.",
                "    DISPLAY 'A LONG FREE FORMAT LINE THAT GOES BEYOND COLUMN SEVENTY TWO' WS-A",
                "    STOP RUN.",
            ]
        )
        + "\n"
    )
    pre = run(text)
    assert pre.source_format == "free"
    assert code(pre, 1) == "IDENTIFICATION DIVISION."
    assert code(pre, 3) == "" and (3, "a full-line comment") in pre.comments
    assert "WS-A" in pre.text and "'A LONG FREE FORMAT LINE" in pre.text


def test_source_format_directives_switch_mid_file():
    text = (
        "\n".join(
            [
                card("IDENTIFICATION DIVISION."),
                "       >>SOURCE FORMAT FREE",
                "PROGRAM-ID. SWITCH.",
                "PROCEDURE DIVISION. *> free now",
                ">>SOURCE FORMAT IS FIXED",
                card("    STOP RUN."),
                '      $SET SOURCEFORMAT"FREE"',
                "END PROGRAM SWITCH.",
            ]
        )
        + "\n"
    )
    pre = run(text)
    assert [code(pre, n) for n in range(1, 9)] == [
        "IDENTIFICATION DIVISION.",
        "",
        "PROGRAM-ID. SWITCH.",
        "PROCEDURE DIVISION.",
        "",
        "    STOP RUN.",
        "",
        "END PROGRAM SWITCH.",
    ]
    assert pre.source_format == "fixed"


def test_card_images_with_one_stray_header_stay_fixed():
    text = "\n".join(
        [
            "     IDENTIFICATION DIVISION.",  # starts in column 6, as in a sloppy upload
            card("*" * 40, "*"),
            card("PROGRAM-ID. STRAY."),
            card("*" * 40, "*"),
            card("PROCEDURE DIVISION."),
            card(" done", "*"),
        ]
    )
    assert run(text).source_format == "fixed"
    free = "\n".join(["identification division.", "program-id. f.", "procedure division."])
    assert run(free).source_format == "free"


def test_explicit_source_format_wins_over_detection():
    text = "       01 WS-X PIC X.\n"
    assert code(run(text, source_format="free"), 1) == "       01 WS-X PIC X."
    assert code(run(text, source_format="fixed"), 1) == "01 WS-X PIC X."
    with pytest.raises(ValueError):
        run(text, source_format="variable-width")


def test_compiler_option_and_listing_lines_become_empty():
    text = (
        "\n".join(
            [
                "       CBL APOST,LIB",
                "       PROCESS NOSEQ",
                card("IDENTIFICATION DIVISION."),
                card("PROGRAM-ID. OPTS."),
                card("PROCEDURE DIVISION."),
                card("    EJECT"),
                card("    SKIP2."),
                card("    TITLE 'MAIN LOGIC'"),
                card("    PERFORM PROCESS-RECORD."),
            ]
        )
        + "\n"
    )
    pre = run(text)
    assert [code(pre, n) for n in (1, 2, 6, 7, 8)] == [""] * 5
    assert code(pre, 9) == "    PERFORM PROCESS-RECORD."


# ---------------------------------------------------------------- continuation


def test_continued_literal_merges_onto_first_line_padded_to_column_72():
    first = "    MOVE 'FIRST PART"
    text = cards(*HEADER, "PROCEDURE DIVISION.") + card(first) + "\n"
    text += card("        'SECOND PART' TO WS-A.", "-") + "\n"
    pre = run(text)
    merged = code(pre, 8)
    literal = "'FIRST PART" + " " * (65 - len(first)) + "SECOND PART'"
    assert merged == "MOVE " + literal
    # The merged line is longer than the grammar reads (column 72), so the words after the
    # literal move to the next line, which is the (otherwise empty) continuation line.
    assert code(pre, 9) == "TO WS-A."
    assert pre.origins[7:9] == (Origin("src/PROG.cbl", 8), Origin("src/PROG.cbl", 9))


def test_continued_double_quoted_literal_and_word_and_comment_between():
    text = cards(*HEADER, "PROCEDURE DIVISION.")
    text += card('    DISPLAY "AB') + "\n" + card(" a comment between", "*") + "\n"
    text += card('    "CD" WS-TOT', "-") + "\n"
    text += card("    AL", "-") + "\n"
    pre = run(text)
    assert code(pre, 8) == 'DISPLAY "AB' + " " * 50 + 'CD"'  # spaces outside literals folded
    # WS-TOT + AL is one word; it starts past column 72, so it moves to the next line.
    assert code(pre, 9) == "WS-TOTAL" and code(pre, 10) == "" and code(pre, 11) == ""
    assert (9, "a comment between") in pre.comments


# ---------------------------------------------------------------- COPY


def test_copy_inserts_member_with_origins_in_the_copybook():
    files = {"copy/CUSTREC.cpy": cards("01 CUST-REC.", "   05 CUST-ID PIC 9(5).")}
    text = cards(*HEADER[:4], "COPY CUSTREC.", "01 WS-LAST PIC X.")
    pre = run(text, files)
    assert code(pre, 5) == ""
    assert pre.origins[4] == Origin("src/PROG.cbl", 5)
    assert code(pre, 6) == "01 CUST-REC." and pre.origins[5] == Origin("copy/CUSTREC.cpy", 1)
    assert pre.origins[6] == Origin("copy/CUSTREC.cpy", 2)
    assert code(pre, 8) == "01 WS-LAST PIC X." and pre.origins[7] == Origin("src/PROG.cbl", 6)
    assert pre.copybooks[0].member == "CUSTREC"
    assert pre.copybooks[0].resolved == "copy/CUSTREC.cpy"
    assert (pre.copybooks[0].file, pre.copybooks[0].line) == ("src/PROG.cbl", 5)


def test_copy_after_code_spanning_lines_and_code_after_period():
    files = {
        "cpy/PARTA.cpy": cards("   05 PART-A PIC X."),
        "cpy/PARTB.cpy": cards("   05 PART-B PIC X."),
    }
    text = cards(*HEADER[:4], "01 GRP.  COPY", "      PARTA", "   .  COPY PARTB. 01 AFTER PIC X.")
    pre = run(text, files)
    out = [code(pre, n) for n in range(5, len(lines(pre)) + 1)]
    assert out[0] == "01 GRP."
    assert out[1:3] == ["", ""]
    assert out[3] == "   05 PART-A PIC X."
    assert out[4] == "   05 PART-B PIC X."
    assert out[5].strip() == "01 AFTER PIC X."
    assert pre.origins[-1] == Origin("src/PROG.cbl", 7)  # the rest of the line keeps its origin
    assert [c.member for c in pre.copybooks] == ["PARTA", "PARTB"]


def test_two_copies_on_one_line_and_suppress():
    files = {"c/A.cpy": cards("01 A-REC PIC X."), "c/B.cpy": cards("01 B-REC PIC X.")}
    pre = run(cards("COPY A SUPPRESS. COPY B."), files)
    assert [code(pre, n).strip() for n in range(1, 4)] == ["", "01 A-REC PIC X.", "01 B-REC PIC X."]
    assert [o.file for o in pre.origins] == ["src/PROG.cbl", "c/A.cpy", "c/B.cpy"]


def test_copy_without_period_is_reported_and_still_expanded():
    files = {"c/A.cpy": cards("01 A-REC PIC X.")}
    pre = run(cards("COPY A", "01 NEXT-ITEM PIC X."), files)
    assert [d.code for d in pre.diagnostics] == ["copy-syntax"]
    assert [code(pre, n) for n in range(1, 4)] == ["", "01 A-REC PIC X.", "01 NEXT-ITEM PIC X."]


def test_copy_literal_names_library_and_extensions():
    files = {
        "lib1/DATES.cpy": cards("01 FROM-LIB1 PIC X."),
        "copy/DATES.CPY": cards("01 FROM-DEFAULT PIC X."),
        "shared/Money": cards("01 MONEY PIC X."),
    }
    text = cards(
        *HEADER[:4],
        "COPY 'dates'.",
        "COPY DATES OF LIB1.",
        'COPY "money".',
        "COPY dates IN OTHERLIB.",
    )
    pre = run(text, files)
    resolved = [c.resolved for c in pre.copybooks]
    assert resolved == ["copy/DATES.CPY", "lib1/DATES.cpy", "shared/Money", "copy/DATES.CPY"]
    assert pre.copybooks[1].library == "LIB1"


def test_search_paths_come_before_the_index():
    files = {"a/CONST.cpy": cards("01 FROM-A PIC X."), "b/CONST.cpy": cards("01 FROM-B PIC X.")}
    assert build_copybook_index(files) == {"CONST": "a/CONST.cpy"}
    assert build_copybook_index(files, ("b",)) == {"CONST": "b/CONST.cpy"}
    res = CopybookResolver({"CONST": "a/CONST.cpy"}, ("b",), loader=files.__getitem__, files=files)
    assert res.resolve("const") == "b/CONST.cpy"
    assert res.resolve("CONST.cpy") == "b/CONST.cpy"
    assert res.resolve("NOTHERE") is None


def test_index_prefers_shorter_then_lexical_path():
    paths = ["z/deep/er/X.cpy", "m/X.cpy", "a/X.CPY", "q/Y.cpy"]
    assert build_copybook_index(paths) == {"X": "a/X.CPY", "Y": "q/Y.cpy"}
    assert build_copybook_index(reversed(paths)) == build_copybook_index(paths)


def test_resolver_without_file_list_probes_the_loader():
    seen: list[str] = []
    files = {"inc/ABC.cpy": "x"}

    def loader(path: str) -> str:
        seen.append(path)
        return files[path]

    res = CopybookResolver({}, ("inc",), loader=loader)
    assert res.resolve("abc") == "inc/ABC.cpy"
    assert res.load("inc/ABC.cpy") == "x"
    assert seen.count("inc/ABC.cpy") == 1  # loaded once, cached


def test_missing_copybook_warns_and_blanks_the_statement():
    text = cards(*HEADER[:4], "COPY NOSUCH.", "01 KEEP PIC X.")
    pre = run(text)
    assert code(pre, 5) == "" and code(pre, 6) == "01 KEEP PIC X."
    [diag] = pre.diagnostics
    assert (diag.code, diag.severity, diag.file, diag.line) == (
        "copy-missing",
        "warning",
        "src/PROG.cbl",
        5,
    )
    assert "NOSUCH" in diag.message and "src/PROG.cbl:5" in diag.message
    assert pre.copybooks[0].resolved is None


def test_nested_copy_origins_and_cycle_detection():
    files = {
        "cpy/OUTER.cpy": cards("01 OUTER-REC.", "   COPY INNER.", "   05 OUTER-END PIC X."),
        "cpy/INNER.cpy": cards("   05 INNER-A PIC X.", "   COPY OUTER."),
    }
    pre = run(cards(*HEADER[:4], "COPY OUTER."), files)
    inner = find(pre, "INNER-A")
    assert pre.origins[inner - 1] == Origin("cpy/INNER.cpy", 1)
    assert pre.origins[find(pre, "OUTER-END") - 1] == Origin("cpy/OUTER.cpy", 3)
    [diag] = pre.diagnostics
    assert diag.code == "copy-cycle" and (diag.file, diag.line) == ("cpy/INNER.cpy", 2)
    assert "cpy/OUTER.cpy -> cpy/INNER.cpy -> cpy/OUTER.cpy" in diag.message
    assert len(lines(pre)) == 5 + 3 + 2


def test_copy_depth_limit():
    files = {f"c/L{i}.cpy": cards(f"01 LEVEL-{i} PIC X.", f"COPY L{i + 1}.") for i in range(6)}
    pre = run(cards("COPY L0."), files, max_copy_depth=3)
    assert "LEVEL-2" in pre.text and "LEVEL-3" not in pre.text
    assert [d.code for d in pre.diagnostics] == ["copy-depth"]


def test_unreadable_copybook_is_a_diagnostic():
    def loader(path: str) -> str:
        raise OSError("permission denied")

    res = CopybookResolver({"BAD": "c/BAD.cpy"}, loader=loader, files=["c/BAD.cpy"])
    pre = preprocess(cards("COPY BAD."), "p.cbl", res)
    assert [d.code for d in pre.diagnostics] == ["copy-unreadable"]
    assert lines(pre) == [""]


def test_exec_sql_include_is_a_copy_and_sqlca_is_builtin():
    files = {"dclgen/CUSTTAB.cpy": cards("01 DCL-CUST.", "   05 CUST-NO PIC S9(9) COMP.")}
    text = cards(
        *HEADER[:4],
        "    EXEC SQL INCLUDE SQLCA END-EXEC.",
        "    EXEC SQL",
        "      INCLUDE CUSTTAB",
        "    END-EXEC.",
    )
    pre = run(text, files)
    assert pre.diagnostics == ()
    assert [(c.member, c.resolved, c.library) for c in pre.copybooks] == [
        ("SQLCA", None, "builtin"),
        ("CUSTTAB", "dclgen/CUSTTAB.cpy", ""),
    ]
    # the INCLUDE statements stay facts (EXEC SQL blocks) as well as being expanded like COPY
    assert [(b.kind, b.text, b.line, b.end_line) for b in pre.exec_blocks] == [
        ("SQL", "EXEC SQL INCLUDE SQLCA END-EXEC", 5, 5),
        ("SQL", "EXEC SQL INCLUDE CUSTTAB END-EXEC", 6, 8),
    ]
    assert code(pre, 5) == "" and code(pre, 6) == "" and code(pre, 8) == ""
    assert pre.origins[find(pre, "CUST-NO") - 1] == Origin("dclgen/CUSTTAB.cpy", 2)


# ---------------------------------------------------------------- REPLACING and REPLACE


def test_replacing_pseudo_text_word_and_literal_forms():
    member = cards(
        "01 :PFX:-REC.",
        "   05 :PFX:-NAME PIC X(10) VALUE 'OLD :PFX: TEXT'.",
        "   05 AMOUNT PIC 9(5) VALUE ZERO.",
        "   05 RATE-X PIC X VALUE 'OLD'.",
        "   05 DROP ME PIC X.",
    )
    files = {"c/REC.cpy": member}
    text = cards(
        *HEADER[:4],
        "COPY REC REPLACING ==:PFX:== BY ==WS-CUST==",
        "   AMOUNT BY TOTAL-AMT",
        "   'OLD' BY 'NEW'",
        "   ==DROP ME== BY ==KEPT-ITEM==.",
    )
    pre = run(text, files)
    body = pre.text
    assert "01 WS-CUST-REC." in body and "05 WS-CUST-NAME PIC X(10) VALUE 'OLD :PFX: TEXT'." in body
    assert "05 TOTAL-AMT PIC 9(5)" in body
    assert "05 RATE-X PIC X VALUE 'NEW'." in body  # literal operand replaces the literal
    assert "05 KEPT-ITEM PIC X." in body
    # Lines keep their origins after replacement.
    assert pre.origins[find(pre, "TOTAL-AMT") - 1] == Origin("c/REC.cpy", 3)


def test_replacing_is_case_insensitive_on_whole_words_only():
    files = {
        "c/W.cpy": cards(
            "   05 CNT PIC 9.", "   05 CNT-MAX PIC 9.", "   05 XCNT PIC 9.", "   MOVE cnt TO CNT(1)"
        )
    }
    pre = run(cards("COPY W REPLACING ==CNT== BY ==COUNTER==."), files)
    assert [code(pre, n).strip() for n in range(2, 6)] == [
        "05 COUNTER PIC 9.",
        "05 CNT-MAX PIC 9.",
        "05 XCNT PIC 9.",
        "MOVE COUNTER TO COUNTER(1)",
    ]


def test_replacing_multi_word_empty_and_partial_parenthesised_tags():
    files = {
        "c/SET.cpy": cards(
            "    IF FLG-(TAG)-OK",
            "       MOVE (TAG) TO OUT-(TAG)",
            "       DISPLAY 'X' UPON CONSOLE",
            "    END-IF",
        )
    }
    text = cards("COPY SET REPLACING ==(TAG)== BY ==ACCT==", "  ==UPON CONSOLE== BY ====.")
    pre = run(text, files)
    assert code(pre, 3).strip() == "IF FLG-ACCT-OK"
    assert code(pre, 4).strip() == "MOVE ACCT TO OUT-ACCT"
    assert code(pre, 5).strip() == "DISPLAY 'X'"


def test_replacing_leading_and_trailing():
    files = {
        "c/LT.cpy": cards(
            "01 XX-REC.",
            "   05 XX-ID PIC 9.",
            "   05 ID-XX PIC 9.",
            "   05 :T:-NAME PIC X VALUE 'XX-ID'.",
            "   05 AMT-IN PIC 9.",
        )
    }
    text = cards(
        "COPY LT REPLACING LEADING ==XX-== BY ==CUST-==",
        "  LEADING ==:T:== BY ==ACCT==",
        "  TRAILING ==-IN== BY ==-OUT==.",
    )
    pre = run(text, files)
    assert [code(pre, n).strip() for n in range(4, 9)] == [
        "01 CUST-REC.",
        "05 CUST-ID PIC 9.",
        "05 ID-XX PIC 9.",
        "05 ACCT-NAME PIC X VALUE 'XX-ID'.",
        "05 AMT-OUT PIC 9.",
    ]


def test_pseudo_text_matches_across_copybook_lines():
    files = {
        "c/SPAN.cpy": cards("    MOVE OLD-", "    NAME TO X", "    PERFORM OLD-", "      NAME-EXIT")
    }
    files["c/TWO.cpy"] = cards("    PERFORM CHECK", "       THRU CHECK-EXIT")
    pre = run(cards("COPY TWO REPLACING ==CHECK THRU CHECK-EXIT== BY ==VALIDATE==."), files)
    assert code(pre, 2).strip() == "PERFORM VALIDATE"
    assert code(pre, 3) == ""
    assert pre.origins[1:] == (Origin("c/TWO.cpy", 1), Origin("c/TWO.cpy", 2))


def test_replace_statement_and_replace_off():
    text = program(
        "REPLACE ==WORK-AREA== BY ==WS-A==.",
        "MOVE SPACES TO WORK-AREA",
        "REPLACE OFF.",
        "MOVE SPACES TO WORK-AREA",
    )
    pre = run(text)
    first = find(pre, "MOVE SPACES TO WS-A")
    assert code(pre, first - 1) == ""
    assert "MOVE SPACES TO WORK-AREA" in code(pre, first + 2)
    assert code(pre, first + 1) == ""


def test_replace_with_pseudo_text_spanning_statement_lines():
    text = program(
        "REPLACE ==MOVE 1 TO WS-B.",
        "          DISPLAY WS-A== BY",
        "        ==DISPLAY 'REPLACED'==.",
        "MOVE 1",
        "  TO WS-B. DISPLAY WS-A",
    )
    pre = run(text)
    assert pre.diagnostics == ()
    first = find(pre, "'REPLACED'")
    assert code(pre, first).strip() == "DISPLAY 'REPLACED'"
    assert code(pre, first + 1) == ""
    assert [code(pre, n) for n in (first - 3, first - 2, first - 1)] == ["", "", ""]


def test_replace_applies_to_copybook_text_and_keeps_literals():
    files = {"c/P.cpy": cards("    DISPLAY 'TMP-VAL' TMP-VAL")}
    text = program("REPLACE ==TMP-VAL== BY ==WS-B==.", "COPY P.")
    pre = run(text, files)
    assert code(pre, find(pre, "DISPLAY")).strip() == "DISPLAY 'TMP-VAL' WS-B"


# ---------------------------------------------------------------- EXEC masking


def test_exec_blocks_masked_in_procedure_division_keep_lines():
    text = program(
        "EXEC CICS SEND MAP('MENU')",
        "          MAPSET('MENUSET')",
        "          ERASE",
        "END-EXEC.",
        "IF WS-B = 1 EXEC CICS RETURN END-EXEC END-IF",
        "EXEC SQL DELETE FROM T WHERE C = 'END-EXEC' END-EXEC",
        "MOVE 'EXEC CICS' TO WS-A",
    )
    pre = run(text)
    out = lines(pre)
    first = [i for i, line in enumerate(out) if "CONTINUE" in line]
    assert len(first) == 3
    block_line = first[0]
    assert out[block_line] == "           CONTINUE"
    assert out[block_line + 1] == "" and out[block_line + 2] == ""
    assert out[block_line + 3].strip() == "." and out[block_line + 3].index(".") == 7 + 4 + 8
    assert out[block_line + 4].strip().startswith("IF WS-B = 1 CONTINUE")
    assert out[block_line + 4].rstrip().endswith("END-IF")
    assert out[block_line + 6].strip() == "MOVE 'EXEC CICS' TO WS-A"
    kinds = [b.kind for b in pre.exec_blocks]
    assert kinds == ["CICS", "CICS", "SQL"]
    send = pre.exec_blocks[0]
    assert send.text == "EXEC CICS SEND MAP('MENU') MAPSET('MENUSET') ERASE END-EXEC"
    assert (send.file, send.line, send.end_line, send.out_line) == ("src/PROG.cbl", 9, 12, 9)
    assert pre.exec_blocks[2].text.endswith("C = 'END-EXEC' END-EXEC")
    assert len(out) == len(text.splitlines())


def test_exec_outside_procedure_division_is_blanked_with_its_period():
    text = cards(
        *HEADER[:4],
        "    EXEC SQL DECLARE C1 CURSOR FOR",
        "      SELECT A FROM B",
        "    END-EXEC.",
        "01 AFTER PIC X.",
        "PROCEDURE DIVISION.",
        "    EXEC DLI GU USING PCB(1) END-EXEC",
        "    EXEC ADABAS FIND END-EXEC.",
    )
    pre = run(text)
    assert [code(pre, n) for n in (5, 6, 7)] == ["", "", ""]
    assert code(pre, 10).strip() == "CONTINUE"
    assert code(pre, 11).strip() == "CONTINUE".ljust(len("EXEC ADABAS FIND END-EXEC")) + "."
    assert [b.kind for b in pre.exec_blocks] == ["SQL", "DLI", "OTHER"]
    assert pre.exec_blocks[0].end_line == 7


def test_sql_comment_inside_exec_sql_does_not_open_a_literal():
    text = program(
        "EXEC SQL", "  DELETE FROM T -- the customer's rows", "END-EXEC", "MOVE 1 TO WS-B"
    )
    pre = run(text)
    [block] = pre.exec_blocks
    assert (block.line, block.end_line) == (9, 11)
    assert code(pre, 12).strip() == "MOVE 1 TO WS-B"


def test_exec_in_comment_is_ignored_and_unterminated_is_reported():
    text = cards(*HEADER[:4], "PROCEDURE DIVISION.") + card("EXEC CICS RETURN", "*") + "\n"
    text += cards("    EXEC CICS RETURN", "    STOP RUN.")
    pre = run(text)
    assert [d.code for d in pre.diagnostics] == ["exec-unterminated"]
    assert pre.exec_blocks == ()


# ---------------------------------------------------------------- grammar rewrites


def test_relational_rewrites_outside_literals():
    pre = run(
        program(
            "IF WS-A NOT= 'NOT=' AND WS-B NOT<1 OR WS-B NOT>2",
            "IF WS-B<>3 OR WS-B>=4 OR WS-B<=5 DISPLAY 'A<>B' END-IF",
        )
    )
    first = find(pre, "IF WS-A")
    assert code(pre, first).strip() == "IF WS-A NOT = 'NOT=' AND WS-B NOT <1 OR WS-B NOT >2"
    assert code(pre, first + 1).strip() == (
        "IF WS-B NOT = 3 OR WS-B >= 4 OR WS-B <= 5 DISPLAY 'A<>B' END-IF"
    )


def test_literal_prefixes_upper_cased_and_lower_case_text_kept():
    pre = run(
        program(
            "move x'00' to ws-a",
            'move "a""b" to ws-a',
            "display 'x' n'y'",
            "move 'it''s' to ws-a",
            'move "it\'s ""q""" to ws-a',
        )
    )
    first = find(pre, "move X'00'")
    assert code(pre, first).strip() == "move X'00' to ws-a"
    # A "-literal with a doubled quote is rewritten with apostrophes (same value): the grammar
    # splits "-literals at each doubled quote.
    assert code(pre, first + 1).strip() == "move 'a\"b' to ws-a"
    assert code(pre, first + 2).strip() == "display 'x' N'y'"
    assert code(pre, first + 3).strip() == "move 'it''s' to ws-a"
    assert code(pre, first + 4).strip() == "move 'it''s \"q\"' to ws-a"
    assert parse_errors(pre.text) == []


def test_function_reference_modification_is_blanked_in_place():
    pre = run(
        program(
            "MOVE FUNCTION CURRENT-DATE(1:8) TO WS-A",
            "MOVE FUNCTION UPPER-CASE(WS-A(1:2))(1:8) TO WS-A",
            "COMPUTE WS-B = FUNCTION MOD(WS-B, 7)",
        )
    )
    first = find(pre, "CURRENT-DATE")
    blank = " " * len("(1:8)")
    assert code(pre, first) == f"    MOVE FUNCTION CURRENT-DATE{blank} TO WS-A"
    assert code(pre, first + 1) == f"    MOVE FUNCTION UPPER-CASE(WS-A(1:2)){blank} TO WS-A"
    assert code(pre, first + 2) == "    COMPUTE WS-B = FUNCTION MOD(WS-B, 7)"


def test_header_leniency():
    text = cards(
        "ID DIVISION.",
        "PROGRAM-ID HDR IS INITIAL PROGRAM",
        "AUTHOR.",
        "REMARKS. FIRST LINE",
        "    SECOND LINE.",
        "DATE-COMPILED.",
        "ENVIRONMENT DIVISION.",
        "DATA DIVISION.",
        "WORKING-STORAGE SECTION.",
        "01 REMARKS-X PIC X.",
        "LINKAGE SECTION.",
        "PROCEDURE DIVISION.",
        "REMARKS.",
        "    STOP RUN.",
    )
    pre = run(text)
    assert code(pre, 1) == "IDENTIFICATION DIVISION."
    assert code(pre, 2).rstrip() == "PROGRAM-ID. HDR."
    assert [code(pre, n) for n in (3, 4, 5, 6)] == ["", "", "", ""]
    assert code(pre, 10) == "01 REMARKS-X PIC X."
    assert code(pre, 11) == ""
    assert code(pre, 13) == "REMARKS."  # a paragraph name in the procedure division is left alone
    assert (4, "REMARKS. FIRST LINE") in pre.comments


def test_long_lines_move_their_tail_within_column_72():
    text = cards(*HEADER[:4])
    text += (
        card("01 WS-MSG PIC X(80) VALUE 'THE FIRST PART OF A MESSAGE THAT RUNS TO THE END") + "\n"
    )
    text += card("    'OF THE CARD'.", "-") + "\n"
    pre = run(text)
    out = lines(pre)
    assert out[4].endswith("OF THE CARD'") and out[5] == "       ."
    assert len(out) == 6


# ---------------------------------------------------------------- the grammar itself

_PARSE = r"""
import json, sys
from tree_sitter_language_pack import get_parser
tree = get_parser("cobol").parse(sys.stdin.buffer.read())
bad, stack = [], [tree.root_node]
while stack:
    node = stack.pop()
    if node.type == "ERROR" or node.is_missing:
        bad.append([node.start_point[0] + 1, node.end_point[0] + 1])
    elif node.has_error:
        stack.extend(node.children)
print(json.dumps(sorted(bad)))
"""


def parse_errors(text: str, timeout: float = 60.0) -> list[list[int]]:
    """ERROR/MISSING line ranges; the parse runs in a child process because the grammar can hang."""
    done = subprocess.run(
        [sys.executable, "-c", _PARSE],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(done.stdout)


TRICKY = "\n".join(
    [
        card("IDENTIFICATION DIVISION."),
        card("PROGRAM-ID. TRICKY"),
        card("AUTHOR."),
        card("DATE-COMPILED."),
        card("ENVIRONMENT DIVISION."),
        card("DATA DIVISION."),
        card("WORKING-STORAGE SECTION."),
        card("01 WS-A PIC X(8) VALUE x'00'."),
        card("01 WS-B PIC 9(4) VALUE 0."),
        card("    EXEC SQL INCLUDE SQLCA END-EXEC."),
        card("    EXEC SQL DECLARE C1 CURSOR FOR SELECT A FROM T END-EXEC."),
        card("LINKAGE SECTION."),
        card("PROCEDURE DIVISION."),
        card("MAIN-PARA."),
        card("    IF WS-A NOT= SPACES AND WS-B<>1"),
        card("       EXEC CICS SEND MAP('M1') MAPSET('S1')"),
        card("            ERASE END-EXEC"),
        card("    END-IF"),
        card("    MOVE FUNCTION CURRENT-DATE(1:8) TO WS-A"),
        card("    MOVE FUNCTION UPPER-CASE(WS-A)(1:4) TO WS-A"),
        card("    EXEC CICS RETURN END-EXEC."),
        "AB12",  # a short last line with text in columns 1-6 and no newline: hangs the raw parse
    ]
)


def test_canonical_text_of_tricky_source_parses_cleanly_without_hanging():
    pre = run(TRICKY)
    assert parse_errors(pre.text) == []
    assert len(pre.exec_blocks) == 4  # three masked blocks and one EXEC SQL INCLUDE


def test_canonical_text_parses_where_raw_text_breaks():
    raw = cards(
        *HEADER,
        "PROCEDURE DIVISION.",
        "MAIN-PARA.",
        "    IF WS-A NOT= SPACES",
        "       EXEC CICS RETURN END-EXEC",
        "    END-IF",
        "    STOP RUN.",
    )
    assert parse_errors(raw) != []
    assert parse_errors(run(raw).text) == []


# ---------------------------------------------------------------- source map property

_WORDS = st.sampled_from(["MOVE", "ADD", "DISPLAY", "PERFORM"])


@st.composite
def estate(draw):
    """A random card-image program and copybooks; each code line carries a unique tag."""
    counter = iter(range(1, 10_000))
    members = [f"MEM{i}" for i in range(draw(st.integers(0, 3)))]

    def body(allow_copy: list[str]) -> list[str]:
        result = []
        for _ in range(draw(st.integers(0, 12))):
            kind = draw(
                st.sampled_from(["code", "code", "comment", "blank", "short", "copy", "exec"])
            )
            if kind == "code":
                tag = f"T{next(counter)}"
                result.append(
                    card(
                        f"    {draw(_WORDS)} {tag} TO WS-A",
                        seq=draw(st.text("0123456789", max_size=6)),
                        ident=draw(st.sampled_from(["", "ID000001"])),
                    )
                )
            elif kind == "comment":
                result.append(card(f"COMMENT {next(counter)}", draw(st.sampled_from("*/"))))
            elif kind == "blank":
                result.append("")
            elif kind == "short":
                result.append(draw(st.text("0123456789ABC ", max_size=6)))
            elif kind == "copy" and allow_copy:
                result.append(card(f"    COPY {draw(st.sampled_from(allow_copy + ['GHOST']))}."))
            elif kind == "exec":
                tag = f"T{next(counter)}"
                result += [card(f"    EXEC CICS LINK PROGRAM('{tag}')"), card("         END-EXEC")]
        return result

    files = {}
    for position, name in enumerate(members):
        files[f"cpy/{name}.cpy"] = "\n".join(body(members[position + 1 :])) + "\n"
    main = "\n".join([card("PROCEDURE DIVISION."), *body(members)])
    return main, files


def _expanded_count(text: str, files: dict[str, str]) -> int:
    total = len(text.split("\n")) - (1 if text.endswith("\n") else 0)
    for line in text.split("\n"):
        if "COPY " in line[6:7] + line[7:72] and line[6:7] == " ":
            name = line[7:72].split("COPY ")[1].rstrip(". ")
            path = f"cpy/{name}.cpy"
            if path in files:
                total += _expanded_count(files[path], files)
    return total


@settings(max_examples=120, deadline=None)
@given(estate())
def test_source_map_points_at_real_lines(sample):
    main, files = sample
    pre = run(main, files, path="src/MAIN.cbl")
    physical = {"src/MAIN.cbl": main.split("\n"), **{p: t.split("\n") for p, t in files.items()}}
    out = lines(pre)
    assert len(out) == _expanded_count(main, files)
    for line, origin in zip(out, pre.origins, strict=True):
        assert origin.file in physical and 1 <= origin.line <= len(physical[origin.file])
        source = physical[origin.file][origin.line - 1]
        for word in line.split():
            if word.startswith("T") and word[1:].isdigit():
                assert word in source, (line, origin, source)
        assert line == "" or (line.startswith(" " * 7) and not line.endswith(" "))
    for block in pre.exec_blocks:
        tag = block.text.split("'")[1]
        assert tag in physical[block.file][block.line - 1]


def test_source_format_directive_in_column_one_switches_to_free():
    text = (">>SOURCE FORMAT FREE\n*> a comment\nIDENTIFICATION DIVISION.\nPROGRAM-ID. FREE1.\n"
            "PROCEDURE DIVISION.\nMAIN-PARA.\n    DISPLAY 'HELLO'.\n")
    pre = preprocess(text, "free.cbl", CopybookResolver({}), source_format="fixed")
    lines = pre.text.split("\n")
    assert lines[2] == "       IDENTIFICATION DIVISION."
    assert lines[6] == "           DISPLAY 'HELLO'."


def test_not_at_a_line_end_joins_its_operator_on_the_next_line():
    text = ("       IDENTIFICATION DIVISION.\n       PROGRAM-ID. NOTSPLIT.\n"
            "       PROCEDURE DIVISION.\n       1000-ONE.\n"
            "           IF WS-A = 'ABCD' AND WS-B NOT\n"
            "               = SPACES\n"
            "               MOVE 'X' TO WS-A\n           END-IF.\n"
            "       2000-TWO.\n           MOVE 'Y' TO WS-B.\n")
    pre = preprocess(text, "p.cbl", CopybookResolver({}))
    lines = pre.text.split("\n")
    assert lines[4].rstrip().endswith("WS-B")
    assert lines[5].strip() == "NOT = SPACES"
    assert parse_errors(pre.text) == []
