"""What text a user may put into the product, and how it is normalised on the way in.

One place decides, for every write path (import, quick edit, CLI, URL parameters):

* Unicode normalisation: NFKC for codes and numbers (full-width ``１２３`` and ``，`` become
  ``123`` and ``,``), NFC for names and other free text (their characters kept as typed).
* Characters that do not show or that change how text around them shows are refused with
  their code point named: control characters (NUL and terminal escapes included), bidi
  overrides and isolates, zero-width characters, byte-order marks, soft hyphens, and the
  "filler" letters that render as nothing (Hangul fillers, the blank braille cell). A name
  that differs from another only by such a character could otherwise rename or shadow it.
* Tabs and line breaks are white space: a single-line field reads them as one space.
* Text that is nothing but marks and spaces (``"\\u0301\\u3000"``) is refused, not stored as
  an invisible name.

Whole numbers given as text (ids in URLs, CLI arguments) are parsed by :func:`parse_count`:
ASCII or full-width decimal digits only (not ``²`` or ``1e20``), and never beyond a 64-bit
integer, so no database driver meets a number it cannot bind.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID = 2**63 - 1
# Letters (category Lo/So) that render as blank space; used to fake empty or look-alike names.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x85")
_DIGITS = re.compile(r"[0-9]+")


class TextRefused(ValueError):
    """Why a text was refused: a catalogue key and its parameters (character, position)."""

    def __init__(self, key: str, params: dict):
        super().__init__(f"{key} {params}")
        self.key = key
        self.params = params


def is_hidden(char: str) -> bool:
    """True for a character that shows nothing or reorders text: controls, format characters
    (zero-width, bidi, BOM, soft hyphen), surrogates, unassigned code points, blank letters."""
    if char in _BLANK_LETTERS:
        return True
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in _ALLOWED_CONTROLS
    return category in ("Cf", "Cs", "Cn")


def char_name(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: how a refused character is named to the user."""
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = "CONTROL"
    return f"U+{ord(char):04X} {name}".strip()


def first_hidden(text: str) -> tuple[int, str] | None:
    """The 1-based position and the first hidden character of ``text``, or None."""
    for position, char in enumerate(text, start=1):
        if is_hidden(char):
            return position, char
    return None


def _is_visible(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char) in ("Mn", "Me", "Zs") or is_hidden(char))


def normalise_text(value: str, *, form: str = "NFC", multiline: bool = False) -> str:
    """``value`` normalised (``form``: NFC for free text, NFKC for codes and numbers), line breaks
    and tabs as spaces (kept as ``\\n`` when ``multiline``), trimmed.

    Raises :class:`TextRefused` (``error.hidden_char`` with the character and its position) for
    a hidden character, and ``error.only_invisible`` for text with nothing visible in it.
    """
    text = unicodedata.normalize(form, str(value))
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text).replace("\t", " ")
    found = first_hidden(text)
    if found is not None:
        position, char = found
        raise TextRefused("error.hidden_char", {"char": char_name(char), "position": position})
    text = text.strip()
    if text and not any(_is_visible(char) for char in text):
        raise TextRefused("error.only_invisible", {})
    return text


def printable(value: object) -> str:
    """Text safe to print on a terminal: hidden characters (escape codes, bidi overrides, NUL)
    shown as ``<U+001B>`` instead of acting on the terminal; line breaks kept."""
    text = "" if value is None else str(value)
    return "".join(f"<U+{ord(c):04X}>" if is_hidden(c) and c not in "\n\t" else c for c in text)


def parse_count(text: object, *, maximum: int = MAX_ID) -> int | None:
    """A whole number ``0 … maximum`` written in ASCII or full-width digits, else None.

    ``"42"`` and ``"４２"`` give 42; ``"²"``, ``"٣"``, ``"1e20"``, ``"-1"``, ``"../1"`` and
    numbers above ``maximum`` (a 64-bit integer by default) give None.
    """
    if text is None:
        return None
    raw = str(text).strip()
    if not raw or len(raw) > 40 or not all(unicodedata.category(c) == "Nd" for c in raw):
        return None
    digits = unicodedata.normalize("NFKC", raw)
    if not _DIGITS.fullmatch(digits):
        return None
    number = int(digits)
    return number if number <= maximum else None
