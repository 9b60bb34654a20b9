"""Facts the source texts give that are not carriers, features or targets (``data/facts.csv``).

Each fact keeps its source and the sentence it comes from: Guangzhou's 2015 provincial
evaluation (6 A of 28, 9 B), about ten demonstration maker spaces, 一区十九园, 黄埔区's four
parks (102.86 km²), and the incubation chain each city names. A ``chain`` value lists carrier
type codes joined by ``>``; ``unit`` is blank for counts or ``km2``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carriermap.i18n import label, t
from carriermap.paths import FACTS_FILE

COLUMNS: tuple[str, ...] = ("city_adcode", "subject", "metric", "value", "unit", "year", "source", "quote")


def load_facts(city_adcode: str | None = None, path: Path = FACTS_FILE) -> pd.DataFrame:
    """The facts (all text; ``year`` may be blank), of one city when ``city_adcode`` is given."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)[list(COLUMNS)]
    if city_adcode is not None:
        frame = frame[frame["city_adcode"] == str(city_adcode)]
    return frame.reset_index(drop=True)


def value_text(metric: str, value: str, unit: str, lang: str = "zh") -> str:
    """A fact's value for people: a chain as type labels joined by arrows, else the number and unit."""
    if metric == "chain":
        return " → ".join(label("type", code, lang) for code in value.split(">"))
    return f"{value} {t(f'facts.unit.{unit}', lang)}" if unit else value


def facts_table(city_adcode: str, lang: str = "zh") -> pd.DataFrame:
    """The city's facts as a table with headers in ``lang``: subject, what, value, year, source, sentence."""
    frame = load_facts(city_adcode)
    table = pd.DataFrame({
        "subject": frame["subject"],
        "metric": [t(f"facts.metric.{m}", lang) for m in frame["metric"]],
        "value": [value_text(m, v, u, lang) for m, v, u in zip(frame["metric"], frame["value"], frame["unit"],
                                                                strict=True)],
        "year": frame["year"],
        "source": frame["source"],
        "quote": frame["quote"],
    })
    return table.rename(columns={c: t(f"facts.col.{c}", lang) for c in table.columns})
