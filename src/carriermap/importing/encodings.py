"""Which text encoding a file is in, and where it stops being that encoding.

Files as Chinese offices save them: UTF-8 (with or without BOM), GBK/GB18030, and Excel's
"Unicode text" (UTF-16 with a BOM, tab separated). Strict UTF-8 is tried before GB18030,
which decodes UTF-8 bytes into mojibake without any error; a file that is UTF-8 on some lines
and something else on others (pasted together from two sources, or one stray Latin-1 byte) is
refused with the first line that does not fit, instead of being read as mojibake or called
unreadable. A web page saved with a spreadsheet's name (``.xls`` exported by many portals) is
recognised and explained.
"""

from __future__ import annotations

import codecs
import re

from carriermap.importing.problems import ImportFileError

_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|table|head|body|meta)\b", re.IGNORECASE)


def is_utf16(data: bytes) -> bool:
    """True for bytes that start with a UTF-16 byte-order mark."""
    return data.startswith(_UTF16_BOMS)


def refuse_html(data: bytes, name: str = "") -> None:
    """Raise ``import.error.html_xls`` when the bytes are a web page (an HTML table), not a sheet."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if is_utf16(data):
        head = data[:8192].decode("utf-16", errors="ignore").lstrip().encode("utf-8", errors="ignore")
    if head.startswith(b"<") and _HTML.search(head):
        raise ImportFileError("import.error.html_xls", path=name)


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """The text of ``data`` and its encoding (``utf-8``, ``utf-16`` or ``gb18030``).

    Raises :class:`ImportFileError`: ``import.error.bad_encoding`` naming the first line that is
    not in the file's encoding, or ``error.not_text`` for bytes that are no text at all.
    """
    if is_utf16(data):
        try:
            return _plausible(data.decode("utf-16"), name), "utf-16"
        except UnicodeDecodeError as error:
            raise _bad_line(data, error.start, "UTF-16", name) from error
    try:
        return _plausible(data.decode("utf-8-sig"), name), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if _has_utf8_text(data):  # some lines are real UTF-8 with Chinese: the rest is a mixed-in encoding
        raise _bad_line(data, utf8_error.start, "UTF-8", name) from utf8_error
    try:
        return _plausible(data.decode("gb18030"), name), "gb18030"
    except UnicodeDecodeError as error:
        raise _bad_line(data, error.start, "GBK/GB18030", name) from error


def _plausible(text: str, name: str) -> str:
    sample = text[:20000]
    if sum(ch in _CONTROL for ch in sample) > max(2, len(sample) // 1000):
        raise ImportFileError("error.not_text", path=name)  # decodes, but is binary junk
    return text


def _has_utf8_text(data: bytes) -> bool:
    """True when at least one line holds non-ASCII text that is valid UTF-8 (multi-byte)."""
    for line in data.split(b"\n"):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _bad_line(data: bytes, offset: int, encoding: str, name: str) -> ImportFileError:
    """The error naming the line (1-based) holding byte ``offset``, and that byte."""
    if sum(byte < 32 and byte not in b"\t\r\n" for byte in data[:4096]) > 8:
        return ImportFileError("error.not_text", path=name)
    line = data.count(b"\n", 0, offset) + 1
    return ImportFileError("import.error.bad_encoding", path=name, line=line, encoding=encoding,
                           byte=f"0x{data[offset]:02X}" if offset < len(data) else "?")
