"""One number, time and text style for everything people read: pages, exports and the report.

* Numbers as a person writes them: ``999,999`` (never ``999999.0``), the same grouping in zh
  and en; areas of ten thousand m² and more in 万 in Chinese sentences (``12.3万``).
* Percentages as percentages with one precision everywhere (one decimal: ``39.3%``); in
  spreadsheets percent columns hold the percentage number (39.3), their header says "%".
* Times in the city's time zone (Asia/Shanghai), written ``2026-11-30 04:47``.
* Chinese sentences use full-width punctuation (U+FF1A colon, U+FF0C comma, U+FF1B semicolon,
  U+FF08/U+FF09 brackets); the zh catalogue is normalised this way when it is loaded.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

CITY_TIME_ZONE = ZoneInfo("Asia/Shanghai")
PERCENT_DECIMALS = 1
WAN = 10_000
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA raises
    except (TypeError, ValueError):
        return True


def number(value: Any, decimals: int | None = None) -> str:
    """``9234.0`` → ``9,234``; ``12.5`` → ``12.5``; None/NaN → ``—``. ``decimals`` fixes the precision."""
    if _missing(value):
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float) and not hasattr(value, "__float__"):
        return str(value)
    number_ = float(value)
    if math.isinf(number_):
        return str(value)
    if decimals is not None:
        return f"{number_:,.{decimals}f}"
    if number_.is_integer():
        return f"{int(number_):,}"
    return f"{number_:,.2f}".rstrip("0").rstrip(".")


def display_value(value: Any) -> str:
    """A cell or message value as a person writes it: ``999999.0`` → ``999,999``, ``113.26440`` →
    ``113.2644``; integers (row numbers, years) and text as they are."""
    if _missing(value):
        return ""
    if isinstance(value, float):
        if math.isinf(value):
            return str(value)
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    return str(value)


def area(value: Any, lang: str) -> str:
    """An area in m² for a sentence: ``12.3万`` in Chinese from 10,000 up, ``123,456`` otherwise."""
    if _missing(value):
        return "—"
    if lang == "zh" and abs(float(value)) >= WAN:
        return f"{float(value) / WAN:,.1f}".rstrip("0").rstrip(".") + "万"
    return number(round(float(value)))


def percent_value(fraction: Any) -> float | None:
    """A fraction (0.3929) as the percentage number a spreadsheet holds (39.3)."""
    if _missing(fraction):
        return None
    return round(float(fraction) * 100, PERCENT_DECIMALS)


def percent(fraction: Any) -> str:
    """A fraction (0.3929) as text: ``39.3%``; ``70%`` is written ``70.0%`` so a column reads alike."""
    value = percent_value(fraction)
    return "—" if value is None else f"{value:.{PERCENT_DECIMALS}f}%"


def local_time(moment: Any, with_zone: bool = False) -> str:
    """A UTC time (ISO text or datetime) in the city's time zone: ``2026-11-30 04:47``."""
    if _missing(moment) or moment == "":
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        except ValueError:
            return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(CITY_TIME_ZONE).strftime(TIME_FORMAT)
    return f"{text} (UTC+8)" if with_zone else text


def now_local() -> str:
    """The current time in the city's time zone (for "exported at")."""
    return local_time(datetime.now(UTC))


_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_PUNCT = {":": "\uff1a", ",": "\uff0c", ";": "\uff1b", "(": "\uff08", ")": "\uff09", "!": "\uff01", "?": "\uff1f"}


def zh_punctuation(text: str) -> str:
    """Full-width ``: , ; ! ?`` wherever they touch Chinese text, and full-width brackets around or
    beside Chinese (both of a pair); numbers like ``9,234`` keep their comma."""
    if not text:
        return text

    def bracket(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        only_fields = re.fullmatch(r"(\s*\{[^{}]*\}\s*)+", match.group(1)) and re.search(_CJK, text)
        chinese = (re.search(_CJK, match.group(1)) or re.match(_CJK, before) or re.match(_CJK, after)
                   or only_fields)
        return f"\uff08{match.group(1)}\uff09" if chinese else match.group(0)

    text = re.sub(r"\(([^()]*)\)", bracket, text)
    if re.search(_CJK, text):  # "{field}:{value}" inside a Chinese sentence
        text = re.sub(r"\}:\s*\{", "}\uff1a{", text)
    for ascii_mark, wide in _PUNCT.items():
        if ascii_mark in "()":
            continue
        mark = re.escape(ascii_mark)
        text = re.sub(rf"(?<={_CJK}){mark}\s*", wide, text)
        text = re.sub(rf"\s*{mark}(?={_CJK})", wide, text)
    return text


def sentence(text: str, lang: str) -> str:
    """A sentence in the page's style: full-width punctuation in Chinese, unchanged in English."""
    return zh_punctuation(text) if lang == "zh" else text


_SEED_TAG = re.compile(r"\bseed\s+\d+\s*", re.IGNORECASE)


def source_text(source: Any, is_sample: bool, lang: str) -> str:
    """A target's source as an official reads it: the document, no internal tags or English in zh.

    ``seed 001 穗科创函〔2017〕830号: 到2018年…`` → ``穗科创函〔2017〕830号`` + full-width colon + ``到2018年…``; a sample
    target's note becomes the catalogue's plain "sample" sentence.
    """
    from carriermap.i18n import t

    if is_sample or re.match(r"\s*(示例|sample\b)", str(source or ""), re.IGNORECASE):
        return t("finish.targets.sample_source", lang)
    text = re.sub(r"^[:\uff1a\s]+", "", _SEED_TAG.sub("", str(source or "")).strip())
    return sentence(text, lang)


def percent_columns(frame, columns) -> Any:
    """A copy of ``frame`` whose fraction ``columns`` hold percentages (0.3929 → 39.3) for exports."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(percent_value).astype(float)
    return out


_ZH_QUARTERS = ("一", "二", "三", "四")


def quarter_name(quarter: Any, lang: str) -> str:
    """``2026Q3`` as officials write it: ``2026年第三季度`` in Chinese, ``Q3 2026`` in English."""
    text = str(quarter)
    match = re.fullmatch(r"(\d{4})Q([1-4])", text)
    if not match:
        return text
    year, number_ = match.group(1), int(match.group(2))
    return f"{year}年第{_ZH_QUARTERS[number_ - 1]}季度" if lang == "zh" else f"Q{number_} {year}"
