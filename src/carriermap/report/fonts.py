"""The CJK font the report embeds: WenQuanYi Zen Hei (GPL with font exception), from Debian's
``fonts-wqy-zenhei``. ``$CARRIERMAP_CJK_FONT`` may name another TrueType/TTC file."""

from __future__ import annotations

import os
from pathlib import Path

CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
)
FONT_ENV = "CARRIERMAP_CJK_FONT"


class FontMissingError(RuntimeError):
    """No CJK font: the report cannot show Chinese text."""


def cjk_font() -> Path:
    """The path of the CJK font file (a TTC: use face 0)."""
    for candidate in (os.environ.get(FONT_ENV, ""), *CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissingError(
        f"no CJK font found (looked at ${FONT_ENV} and {', '.join(CANDIDATES)}); "
        "install the Debian package fonts-wqy-zenhei")
