"""Turn raw source bytes into text: UTF-8, Windows code pages, or EBCDIC from a mainframe."""

from __future__ import annotations

import codecs
import logging

from logicmine.model import Diagnostic

log = logging.getLogger("logicmine.discover")

SAMPLE_BYTES = 8192
RECORD_LENGTH = 80  # card-image members (COBOL, JCL, copybooks) are LRECL 80

# Bytes that make up readable cp037 text: space, punctuation, letters, digits and the
# record separators a transfer may leave (NEL 0x15, LF 0x25, CR 0x0D, HT 0x05, FF 0x0C).
_EBCDIC_LOWER = [*range(0x81, 0x8A), *range(0x91, 0x9A), *range(0xA2, 0xAA)]
_EBCDIC_UPPER = [*range(0xC1, 0xCA), *range(0xD1, 0xDA), *range(0xE2, 0xEA)]
_EBCDIC_LETTERS = _EBCDIC_LOWER + _EBCDIC_UPPER
_EBCDIC_DIGITS = list(range(0xF0, 0xFA))
_EBCDIC_PUNCT = [
    *range(0x4A, 0x51),
    *range(0x5A, 0x62),
    *range(0x6A, 0x70),
    *range(0x79, 0x80),
    0xA1,
    0xC0,
    0xD0,
    0xE0,
]
_EBCDIC_CONTROLS = [0x05, 0x0C, 0x0D, 0x15, 0x25]
_EBCDIC_TEXT = bytes(
    sorted([0x40, *_EBCDIC_LETTERS, *_EBCDIC_DIGITS, *_EBCDIC_PUNCT, *_EBCDIC_CONTROLS])
)
_EBCDIC_ALNUM = bytes(sorted([*_EBCDIC_LETTERS, *_EBCDIC_DIGITS]))

# ASCII control bytes that ordinary text does not contain (tab, LF, VT, FF, CR, ESC allowed).
_ASCII_CONTROLS = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B} | {0x7F}))

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def looks_like_ebcdic(data: bytes) -> bool:
    """True when the bytes read as cp037 text: EBCDIC spaces, letters and digits throughout."""
    sample = data[:SAMPLE_BYTES]
    if len(sample) < 8 or _is_utf8(sample):
        # EBCDIC letters and digits (0xC1.., 0xF0..) never form valid UTF-8, so any UTF-8
        # text, including plain ASCII, is ruled out here.
        return False
    size = len(sample)
    if _count_in(sample, _EBCDIC_TEXT) < 0.95 * size:
        return False
    alnum = _count_in(sample, _EBCDIC_ALNUM)
    # Source has EBCDIC spaces between words; space-less records must be mostly letters/digits.
    return (alnum >= 0.03 * size and sample.count(0x40) >= 0.05 * size) or alnum >= 0.6 * size


def is_binary(data: bytes) -> bool:
    """True for content that is not text: NUL bytes or many control bytes in the first 8 KiB."""
    sample = data[:SAMPLE_BYTES]
    if sample.startswith(_UTF16_BOMS) or looks_like_ebcdic(sample):
        return False
    if b"\x00" in sample:
        return True
    return _count_in(sample, _ASCII_CONTROLS) > 0.1 * len(sample)


def decode_source(data: bytes, path: str) -> tuple[str, str, list[Diagnostic]]:
    """Decode source bytes; returns (text with '\\n' line ends, encoding name, diagnostics)."""
    if data.startswith(_UTF16_BOMS):
        return _normalise(data.decode("utf-16", errors="replace")), "utf-16", []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return _normalise(data.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError as exc:
        bad = exc.start
    if looks_like_ebcdic(data):
        return _decode_ebcdic(data, path)
    return _decode_single_byte(data, path, bad)


def line_count(text: str) -> int:
    """Number of lines in normalised text (a last line without '\\n' still counts)."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _decode_ebcdic(data: bytes, path: str) -> tuple[str, str, list[Diagnostic]]:
    """cp037 with NEL as line end; newline-less members are cut into 80-column records."""
    # NEL (0x15) is the EBCDIC line end; an ASCII LF (0x0A, U+008E in cp037) left by a
    # transfer tool between records is one too.
    text = data.decode("cp037").replace("\x85", "\n").replace("\x8e", "\n")
    text = _normalise(text)
    how = "NEL line ends"
    if "\n" not in text:
        if len(text) % RECORD_LENGTH == 0:
            text = _split_records(text, RECORD_LENGTH)
            how = f"fixed {RECORD_LENGTH}-byte records"
        else:
            how = f"no line ends and a length that is not a multiple of {RECORD_LENGTH}"
    message = f"EBCDIC (cp037) content detected, {how}; decoded as cp037"
    log.debug("%s: %s", path, message)
    return text, "cp037", [Diagnostic(path, 0, "info", "encoding-ebcdic", message)]


def _decode_single_byte(data: bytes, path: str, bad: int) -> tuple[str, str, list[Diagnostic]]:
    """cp1252 when every byte is defined there, latin-1 (never fails) otherwise."""
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    line = _line_of(data, bad)
    message = f"not valid UTF-8 (byte 0x{data[bad]:02X} on line {line}); decoded as {encoding}"
    diagnostic = Diagnostic(path, line, "warning", "encoding-fallback", message)
    return _normalise(text), encoding, [diagnostic]


def _normalise(text: str) -> str:
    """CRLF and lone CR become '\\n'."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_records(text: str, length: int) -> str:
    """Fixed-length records joined by '\\n', with a final '\\n'."""
    records = [text[i : i + length] for i in range(0, len(text), length)]
    return "\n".join(records) + "\n"


def _line_of(data: bytes, offset: int) -> int:
    """1-based line of a byte offset, counting LF (or CR when the file has no LF)."""
    separator = b"\n" if b"\n" in data else b"\r"
    return data.count(separator, 0, offset) + 1


def _is_utf8(sample: bytes) -> bool:
    """True when the sample is UTF-8, allowing a character cut at the sample's end."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _count_in(sample: bytes, members: bytes) -> int:
    """How many bytes of the sample belong to `members` (counted in C by translate)."""
    return len(sample) - len(sample.translate(None, members))
