"""Discovery, classification and decoding on small estates written into tmp_path."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logicmine import discover as discover_module
from logicmine.config import Config
from logicmine.discover import Inventory, classify, discover, glob_match, read_source
from logicmine.encoding import decode_source, is_binary, line_count, looks_like_ebcdic
from logicmine.errors import ConfigError, InputError

PROGRAM_LINES = [
    "      * INTEREST POSTING, WRITTEN FOR THE TESTS",
    "       IDENTIFICATION DIVISION.",
    "       PROGRAM-ID. INTPOST.",
    "       DATA DIVISION.",
    "       WORKING-STORAGE SECTION.",
    "       01  WS-RATE            PIC 9V999 VALUE 0.125.",
    "       PROCEDURE DIVISION.",
    "           IF WS-RATE > 0.1",
    "               DISPLAY 'HIGH RATE'",
    "           END-IF.",
    "           GOBACK.",
]
PROGRAM = "\n".join(PROGRAM_LINES) + "\n"
JOB = (
    "//NIGHTLY  JOB (ACCT),'RUN',CLASS=A\n"
    "//STEP1    EXEC PGM=INTPOST\n"
    "//IN       DD DSN=A.B,DISP=SHR\n"
)


def write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def run(root: Path, **settings: object) -> Inventory:
    return discover(Config(root=root, **settings))  # type: ignore[arg-type]


def paths(inventory: Inventory) -> list[str]:
    return [f.path for f in inventory.files]


def codes(inventory: Inventory) -> dict[str, str]:
    return {d.file: d.code for d in inventory.diagnostics}


def by_path(inventory: Inventory, path: str):  # noqa: ANN201 - test helper
    return next(f for f in inventory.files if f.path == path)


# ------------------------------------------------------------------ classify


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("A.CBL", "cobol"),
        ("b.cob", "cobol"),
        ("c.Cobol", "cobol"),
        ("d.pco", "cobol"),
        ("e.cpy", "copybook"),
        ("f.COPY", "copybook"),
        ("g.cpb", "copybook"),
        ("h.jcl", "jcl"),
        ("i.PRC", "jcl"),
        ("j.proc", "jcl"),
        ("k.bms", "bms"),
        ("L.java", "java"),
        ("m.txt", "other"),
        ("n.sqb", "other"),
    ],
)
def test_classify_by_extension_any_case(name: str, kind: str) -> None:
    assert classify(f"dir/{name}", "") == kind


def test_classify_extensionless_cobol_with_sequence_numbers_and_comments() -> None:
    head = "000100* HEADER COMMENT\n000200/ PAGE\n\n000300 IDENTIFICATION DIVISION.\n"
    assert classify("members/PAYROLL", head) == "cobol"


def test_classify_free_format_and_directives_before_id_division() -> None:
    assert classify("X", "       CBL APOST\n*> note\nID DIVISION.\nPROGRAM-ID. X.\n") == "cobol"
    assert classify("Y", ">>SOURCE FORMAT FREE\nIDENTIFICATION DIVISION.\n") == "cobol"


def test_classify_rejects_id_division_after_other_text() -> None:
    markdown = "# How to\n\n```\n       IDENTIFICATION DIVISION.\n```\n"
    assert classify("README", markdown) == "other"
    assert classify("notes.txt", "#!/bin/sh\necho IDENTIFICATION DIVISION\n") == "other"
    assert classify("notes", "Identification division notes\nmore\n") == "other"


def test_classify_extensionless_jcl() -> None:
    assert classify("NIGHTLY", "//* NIGHTLY RUN\n" + JOB) == "jcl"
    assert classify("PROCLIB", "//MYPROC   PROC\n//S1 EXEC PGM=X\n") == "jcl"
    assert classify("code.js", "// a comment\nconst x = 1;\n") == "other"
    assert classify("build.js", "// exec the build\nrun();\n") == "other"


def test_classify_extensionless_bms() -> None:
    bms = "* MENU MAP\n         PRINT NOGEN\nMENUSET  DFHMSD TYPE=&SYSPARM,LANG=COBOL\n"
    assert classify("MENUMAP", bms) == "bms"
    assert classify("doc", "The DFHMSD TYPE=MAP macro is described here\n") == "other"


# ------------------------------------------------------------------ globs


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**/*.cbl", "a.cbl", True),
        ("**/*.cbl", "x/y/a.cbl", True),
        ("**/*.cbl", "x/y/a.cpy", False),
        ("*.cbl", "deep/dir/a.cbl", True),  # bare name: any depth
        ("src/*.cbl", "src/a.cbl", True),
        ("src/*.cbl", "src/sub/a.cbl", False),  # '*' stays in one folder
        ("src/**/*.cbl", "src/a.cbl", True),  # '**' matches zero folders
        ("src/**/*.cbl", "src/p/q/a.cbl", True),
        ("legacy/**", "legacy/a.cbl", True),
        ("legacy/**", "legacy/x/a.cbl", True),
        ("legacy/**", "legacyx/a.cbl", False),
        ("legacy/", "legacy/x/a.cbl", True),
        ("/top.cbl", "top.cbl", True),
        ("a?.cbl", "ab.cbl", True),
        ("a?.cbl", "a/.cbl", False),
        ("[ab]*.cpy", "b1.cpy", True),
        ("[!ab]*.cpy", "b1.cpy", False),
        ("[!ab]*.cpy", "c1.cpy", True),
        ("my dir/*.cbl", "my dir/x.cbl", True),
        ("a+b(1).cbl", "a+b(1).cbl", True),
        ("**", "any/thing", True),
    ],
)
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_include_and_exclude(tmp_path: Path) -> None:
    write(tmp_path, "app/A.cbl", PROGRAM)
    write(tmp_path, "app/B.cpy", "       01 B PIC X.\n")
    write(tmp_path, "legacy/C.cbl", PROGRAM)
    write(tmp_path, "test/D.cbl", PROGRAM)
    write(tmp_path, "x/test/E.cbl", PROGRAM)
    inventory = run(tmp_path, include=("**/*.cbl",), exclude=("legacy/**", "test"))
    assert paths(inventory) == ["app/A.cbl"]  # 'test' as a bare name excludes at any depth
    assert paths(run(tmp_path, include=("app",))) == ["app/A.cbl", "app/B.cpy"]


def test_missing_root_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a directory"):
        run(tmp_path / "absent")


def test_bad_glob_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="z-a"):
        run(tmp_path, include=("[z-a].cbl",))


# ------------------------------------------------------------------ discovery


def test_files_are_listed_sorted_with_hash_lines_and_encoding(tmp_path: Path) -> None:
    write(tmp_path, "b/Z.cbl", PROGRAM)
    write(tmp_path, "a/JOB1.jcl", JOB)
    write(tmp_path, "a/MAP1.bms", "MAP1 DFHMSD TYPE=MAP\n")
    write(tmp_path, "src/Main.java", "class Main {}\n")
    write(tmp_path, "README.md", "# not source\n")
    write(tmp_path, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    inventory = run(tmp_path)
    assert paths(inventory) == ["a/JOB1.jcl", "a/MAP1.bms", "b/Z.cbl", "src/Main.java"]
    assert inventory.diagnostics == ()  # unknown files are ignored silently
    program = by_path(inventory, "b/Z.cbl")
    assert program.kind == "cobol"
    assert program.sha256 == hashlib.sha256(PROGRAM.encode()).hexdigest()
    assert program.line_count == len(PROGRAM_LINES)
    assert program.encoding == "utf-8"
    assert program.size == len(PROGRAM.encode())
    assert inventory.count_by_kind() == {"bms": 1, "cobol": 1, "java": 1, "jcl": 1}


def test_discovery_is_deterministic(tmp_path: Path) -> None:
    for name in ["z.cbl", "A.cbl", "m/q.cpy", "m/b.cpy", "é.cbl", "a b.cbl"]:
        write(tmp_path, name, PROGRAM)
    assert run(tmp_path) == run(tmp_path)
    assert paths(run(tmp_path)) == sorted(paths(run(tmp_path)))


def test_extensionless_members_classified_by_content(tmp_path: Path) -> None:
    write(
        tmp_path,
        "members/INTPOST",
        "\n".join(f"{i * 100:06d}" + line[6:] for i, line in enumerate(PROGRAM_LINES)),
    )
    write(tmp_path, "members/NIGHTLY", JOB)
    write(tmp_path, "members/NOTES", "Some notes about INTPOST.\n")
    write(tmp_path, "LICENSE", "Licensed under the terms...\n")
    write(tmp_path, "run.cbl.template", PROGRAM)
    inventory = run(tmp_path)
    kinds = {f.path: f.kind for f in inventory.files}
    assert kinds == {
        "members/INTPOST": "cobol",
        "members/NIGHTLY": "jcl",
        "run.cbl.template": "cobol",
    }
    assert inventory.diagnostics == ()


def test_names_with_spaces_and_unicode(tmp_path: Path) -> None:
    write(tmp_path, "my programs/Zinsberechnung ü ñ (v2).cbl", PROGRAM)
    write(tmp_path, "日本/帳票.cpy", "       01 REC PIC X.\n")
    inventory = run(tmp_path)
    assert paths(inventory) == ["my programs/Zinsberechnung ü ñ (v2).cbl", "日本/帳票.cpy"]
    text, diagnostics = read_source(inventory_config(tmp_path), inventory.files[0])
    assert text == PROGRAM and diagnostics == []


def inventory_config(root: Path) -> Config:
    return Config(root=root)


def test_undecodable_file_name_is_reported_and_skipped(tmp_path: Path) -> None:
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.cbl"), "wb") as handle:
        handle.write(PROGRAM.encode())
    write(tmp_path, "good.cbl", PROGRAM)
    inventory = run(tmp_path)
    assert paths(inventory) == ["good.cbl"]
    [diagnostic] = inventory.diagnostics
    assert diagnostic.code == "undecodable-name" and diagnostic.severity == "warning"
    assert diagnostic.file == "bad\\xff.cbl"
    diagnostic.file.encode("utf-8")  # printable in any report


def test_binary_with_known_extension_is_skipped_with_warning(tmp_path: Path) -> None:
    write(tmp_path, "OBJ.cbl", b"\x00\x01\x02MZ\x00" * 50)
    write(tmp_path, "blob.bin", b"\x00" * 100)
    inventory = run(tmp_path)
    assert paths(inventory) == []
    assert codes(inventory) == {"OBJ.cbl": "binary-skipped"}


def test_empty_file_is_kept_with_warning(tmp_path: Path) -> None:
    write(tmp_path, "EMPTY.cpy", b"")
    write(tmp_path, "EMPTYNOEXT", b"")
    inventory = run(tmp_path)
    assert paths(inventory) == ["EMPTY.cpy"]
    assert by_path(inventory, "EMPTY.cpy").line_count == 0
    assert codes(inventory) == {"EMPTY.cpy": "empty-file"}


def test_too_large_file_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "BIG.cbl", PROGRAM * 10)
    write(tmp_path, "SMALL.cbl", "       01 X PIC X.\n")
    inventory = run(tmp_path, max_file_bytes=100)
    assert paths(inventory) == ["SMALL.cbl"]
    assert codes(inventory) == {"BIG.cbl": "too-large"}
    assert "over the limit of 100" in inventory.diagnostics[0].message


def test_fifo_with_known_extension_is_unreadable_and_does_not_block(tmp_path: Path) -> None:
    # Tests run as root, where chmod 000 does not stop reads; a FIFO cannot be read as a
    # file (opening it would block), so it stands in for an unreadable entry.
    os.mkfifo(tmp_path / "PIPE.cbl")
    inventory = run(tmp_path)
    assert paths(inventory) == []
    [diagnostic] = inventory.diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("unreadable", "error")
    assert "not a regular file" in diagnostic.message


def test_broken_link_is_unreadable_with_os_reason(tmp_path: Path) -> None:
    (tmp_path / "GONE.cpy").symlink_to(tmp_path / "nowhere.cpy")
    inventory = run(tmp_path)
    [diagnostic] = inventory.diagnostics
    assert (diagnostic.file, diagnostic.code, diagnostic.severity) == (
        "GONE.cpy",
        "unreadable",
        "error",
    )
    assert "No such file or directory" in diagnostic.message


def test_permission_denied_reports_os_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores file modes, so the denial is simulated at the open() the walker uses.
    write(tmp_path, "SECRET.cbl", PROGRAM)
    write(tmp_path, "OPEN.cbl", PROGRAM)

    def deny(path: str, mode: str = "r"):  # noqa: ANN202
        if path.endswith("SECRET.cbl"):
            raise PermissionError(13, "Permission denied", path)
        return open(path, mode)

    monkeypatch.setattr(discover_module, "open", deny, raising=False)
    inventory = run(tmp_path)
    assert paths(inventory) == ["OPEN.cbl"]
    [diagnostic] = inventory.diagnostics
    assert diagnostic.code == "unreadable" and "Permission denied" in diagnostic.message


def test_symlinked_file_inside_root_is_followed(tmp_path: Path) -> None:
    write(tmp_path, "real/INTPOST", PROGRAM)
    (tmp_path / "INTPOST.cbl").symlink_to("real/INTPOST")
    inventory = run(tmp_path)
    assert paths(inventory) == ["INTPOST.cbl", "real/INTPOST"]
    assert inventory.files[0].sha256 == inventory.files[1].sha256


def test_symlinks_outside_root_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(tmp_path, "outside/X.cbl", PROGRAM)
    write(root, "IN.cbl", PROGRAM)
    (root / "EXT.cbl").symlink_to(tmp_path / "outside" / "X.cbl")
    (root / "extdir").symlink_to(tmp_path / "outside")
    inventory = run(root)
    assert paths(inventory) == ["IN.cbl"]
    assert codes(inventory) == {"EXT.cbl": "symlink-outside", "extdir": "symlink-outside"}


def test_symlink_loops_are_detected(tmp_path: Path) -> None:
    write(tmp_path, "a/A.cbl", PROGRAM)
    (tmp_path / "a" / "up").symlink_to("..")
    (tmp_path / "a" / "self").symlink_to(".")
    (tmp_path / "ring1.cbl").symlink_to("ring2.cbl")
    (tmp_path / "ring2.cbl").symlink_to("ring1.cbl")
    inventory = run(tmp_path)
    assert paths(inventory) == ["a/A.cbl"]
    assert codes(inventory) == {
        "a/self": "symlink-loop",
        "a/up": "symlink-loop",
        "ring1.cbl": "symlink-loop",
        "ring2.cbl": "symlink-loop",
    }


def test_folder_link_inside_root_is_not_listed_twice(tmp_path: Path) -> None:
    write(tmp_path, "cbl/A.cbl", PROGRAM)
    (tmp_path / "alias").symlink_to("cbl")
    (tmp_path / "aaa").symlink_to("cbl")  # sorts before the real folder
    inventory = run(tmp_path)
    assert paths(inventory) == ["cbl/A.cbl"]
    assert inventory.diagnostics == ()


def test_vcs_folders_and_output_folder_are_skipped(tmp_path: Path) -> None:
    for folder in [".git", ".svn", "node_modules", "site-out", "src"]:
        write(tmp_path, f"{folder}/P.cbl", PROGRAM)
    inventory = discover(Config(root=tmp_path), exclude_dirs=[tmp_path / "site-out"])
    assert paths(inventory) == ["src/P.cbl"]


def test_progress_reports_each_selected_file(tmp_path: Path) -> None:
    write(tmp_path, "A.cbl", PROGRAM)
    write(tmp_path, "B.jcl", JOB)
    write(tmp_path, "skip/C.cbl", PROGRAM)
    seen: list[str] = []
    discover(Config(root=tmp_path, exclude=("skip",)), progress=seen.append)
    assert seen == ["A.cbl", "B.jcl"]


def test_encodings_recorded_and_diagnosed(tmp_path: Path) -> None:
    write(tmp_path, "UTF.cbl", codecs.BOM_UTF8 + PROGRAM.encode())
    write(tmp_path, "WIN.cbl", ("      * Prüfung – Beträge\n" + PROGRAM).encode("cp1252"))
    write(tmp_path, "EBC.cbl", "\x85".join(PROGRAM_LINES).encode("cp037"))
    inventory = run(tmp_path)
    encodings = {f.path: f.encoding for f in inventory.files}
    assert encodings == {"EBC.cbl": "cp037", "UTF.cbl": "utf-8", "WIN.cbl": "cp1252"}
    assert codes(inventory) == {"EBC.cbl": "encoding-ebcdic", "WIN.cbl": "encoding-fallback"}
    assert by_path(inventory, "EBC.cbl").line_count == len(PROGRAM_LINES)


def test_read_source_decodes_again_and_notices_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "E.cbl", "\r\n".join(PROGRAM_LINES).encode("cp037"))
    config = Config(root=tmp_path)
    [source] = run(tmp_path).files
    text, diagnostics = read_source(config, source)
    assert text.split("\n") == PROGRAM_LINES
    assert [d.code for d in diagnostics] == ["encoding-ebcdic"]
    path.write_text(PROGRAM, encoding="utf-8")
    text, diagnostics = read_source(config, source)
    assert text == PROGRAM and [d.code for d in diagnostics] == ["changed-on-disk"]
    path.unlink()
    text, diagnostics = read_source(config, source)
    assert text == "" and [d.code for d in diagnostics] == ["unreadable"]


# ------------------------------------------------------------------ decoding


def test_utf8_bom_is_stripped_and_line_ends_normalised() -> None:
    text, encoding, diagnostics = decode_source(codecs.BOM_UTF8 + b"A\r\nB\rC\n", "x.cbl")
    assert (text, encoding, diagnostics) == ("A\nB\nC\n", "utf-8", [])


def test_utf16_with_bom_is_decoded() -> None:
    data = "A\r\nÄ\n".encode("utf-16")
    assert not is_binary(data)
    assert decode_source(data, "x.cbl")[:2] == ("A\nÄ\n", "utf-16")


def test_cp1252_fallback_names_line_of_first_bad_byte() -> None:
    data = "       01 A PIC X.\n      * Größe\n      * “quoted”\n".encode("cp1252")
    text, encoding, [diagnostic] = decode_source(data, "dir/W.cpy")
    assert encoding == "cp1252" and "Größe" in text and "“quoted”" in text
    assert (diagnostic.file, diagnostic.line, diagnostic.code) == (
        "dir/W.cpy",
        2,
        "encoding-fallback",
    )
    assert diagnostic.severity == "warning" and "0xF6" in diagnostic.message


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    text, encoding, [diagnostic] = decode_source(b"OK\nBAD \x81 BYTE\n", "L.cbl")
    assert encoding == "latin-1" and text == "OK\nBAD \x81 BYTE\n"
    assert diagnostic.line == 2 and "latin-1" in diagnostic.message


def test_ebcdic_with_nel_line_ends() -> None:
    data = "\x85".join(PROGRAM_LINES).encode("cp037") + b"\x15"
    assert looks_like_ebcdic(data) and not is_binary(data)
    text, encoding, [diagnostic] = decode_source(data, "E.cbl")
    assert encoding == "cp037" and text == PROGRAM
    assert (diagnostic.code, diagnostic.severity) == ("encoding-ebcdic", "info")


def test_ebcdic_fixed_80_byte_records() -> None:
    records = [line.ljust(72) + f"{n * 10:08d}" for n, line in enumerate(PROGRAM_LINES)]
    data = "".join(records).encode("cp037")
    assert len(data) == 80 * len(PROGRAM_LINES)
    text, encoding, [diagnostic] = decode_source(data, "F.cbl")
    assert encoding == "cp037" and text.split("\n")[:-1] == records
    assert line_count(text) == len(PROGRAM_LINES)
    assert "80-byte records" in diagnostic.message


def test_ebcdic_without_line_ends_and_odd_length_stays_one_line() -> None:
    data = (" ".join(PROGRAM_LINES) + " X").encode("cp037")
    text, encoding, [diagnostic] = decode_source(data, "G.cbl")
    assert encoding == "cp037" and line_count(text) == 1
    assert "not a multiple of 80" in diagnostic.message


def test_ebcdic_mostly_blank_records_are_detected() -> None:
    lines = ["*", "MAP1     DFHMSD TYPE=MAP", "         DFHMDF POS=(1,1)", "", "", "         END"]
    data = "".join(line.ljust(80) for line in lines).encode("cp037")
    text, encoding, _ = decode_source(data, "M.bms")
    assert encoding == "cp037" and [r.rstrip() for r in text.split("\n")[:-1]] == lines


def test_ebcdic_records_separated_by_ascii_lf() -> None:
    data = b"\n".join(line.encode("cp037") for line in PROGRAM_LINES) + b"\n"
    assert decode_source(data, "H.cbl")[:2] == (PROGRAM, "cp037")


def test_ebcdic_jcl_is_detected() -> None:
    data = "\x85".join(JOB.splitlines()).encode("cp037")
    assert decode_source(data, "J.jcl")[1] == "cp037"


def test_ascii_and_cp1252_sources_are_not_ebcdic() -> None:
    for data in [
        PROGRAM.encode(),
        JOB.encode(),
        ("      * Prüfung – Beträge\n" + PROGRAM).encode("cp1252"),
        b"@@@@ @@@@ ----" * 20,
    ]:
        assert not looks_like_ebcdic(data)


@given(st.text(min_size=1))
def test_utf8_text_is_never_ebcdic(text: str) -> None:
    data = text.encode("utf-8")
    assert not looks_like_ebcdic(data)
    assert decode_source(data, "t.cbl")[1] == "utf-8"


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=20))
def test_printable_ascii_never_binary_nor_ebcdic(text: str) -> None:
    data = (text + "\n").encode("ascii")
    assert not is_binary(data) and not looks_like_ebcdic(data)


def test_binary_detection() -> None:
    assert is_binary(b"abc\x00def")
    assert is_binary(bytes(range(1, 32)) * 10)
    assert not is_binary(PROGRAM.encode())
    assert not is_binary(b"")
    assert not is_binary(b"\t tabs\fform feed\x1b[0m\r\n")
