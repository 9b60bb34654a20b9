"""How many invented values an aggregate includes (a count, a total, a progress bar, a table).

Every figure the product shows is computed from records; when some of the values it adds up
are invented (:mod:`carriermap.provenance`), the figure says how many. A count of carriers
includes an invented *record* when the carrier's name is invented (the carrier itself is
made up); a sum of areas includes an invented value for each invented ``total_area_m2``.

A record written before provenance was kept counts as wholly invented when it is marked
``is_sample`` (as the flag said), and as sourced otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carriermap import provenance
from carriermap.i18n import t

# The field whose invention makes the whole record invented.
RECORD_FIELD = "name"
# The figures of the districts table that add up a field, and that field.
FIGURE_FIELDS: dict[str, str] = {"invented_records": RECORD_FIELD, "invented_level": "level",
                                 "invented_total_area_m2": "total_area_m2",
                                 "invented_available_m2": "available_m2", "invented_jobs": "jobs"}
_FIELD_LABELS = {"level": "map.field.level", "total_area_m2": "map.field.total_area",
                 "available_m2": "map.field.available", "jobs": "map.field.jobs"}
# The fields whose invention the pages count on every rerun (figures, the list's column):
# :func:`with_flags` works them out once per data version.
FLAGGED_FIELDS: tuple[str, ...] = ("name", "level", "district_adcode", "available_m2", "total_area_m2", "jobs")
FLAG_PREFIX = "invented:"


def flag_column(field: str) -> str:
    """The name of the precomputed column saying whether ``field`` is invented (:func:`with_flags`)."""
    return f"{FLAG_PREFIX}{field}"


def with_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with one boolean column per :data:`FLAGGED_FIELDS` (``invented:<field>``) so
    :func:`invented_mask` is a column read instead of a JSON parse per row (a shared frame is
    flagged once per data version; filtered views keep the columns)."""
    return frame.assign(**{flag_column(field): mask for field, mask in _computed_masks(frame, FLAGGED_FIELDS).items()})


def invented_mask(frame: pd.DataFrame, field: str = RECORD_FIELD) -> pd.Series:
    """True for each row whose value of ``field`` is invented (blank values are never counted)."""
    if frame.empty:
        return pd.Series(False, index=frame.index, dtype=bool)
    if flag_column(field) in frame:
        return frame[flag_column(field)].astype(bool)
    return pd.Series(_computed_masks(frame, (field,))[field], index=frame.index, dtype=bool)


def _computed_masks(frame: pd.DataFrame, fields: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per field, which rows hold an invented value, worked out from the provenance of each row.

    Each distinct provenance text is read once (an import stamps one entry on all its rows, so a
    city has few distinct texts); a row with no provenance falls back on its ``is_sample`` mark.
    """
    rows = len(frame)
    sources = frame["provenance"] if "provenance" in frame else pd.Series(None, index=frame.index, dtype=object)
    codes, texts = pd.factorize(sources.astype(object), use_na_sentinel=True)  # blank → -1
    entries = [provenance.parse(text) for text in texts]
    sourced = np.array([bool(entry) for entry in entries] + [False])  # [-1]: no provenance
    samples = (frame["is_sample"].fillna(False).astype(bool).to_numpy() if "is_sample" in frame
               else np.zeros(rows, dtype=bool))
    by_record = sourced[codes]
    masks = {}
    for field in fields:
        invented = np.array([provenance.is_invented(entry, field) for entry in entries] + [False])
        by_field = np.where(by_record, invented[codes], samples)
        masks[field] = _present(frame[field]) & by_field if field in frame else np.zeros(rows, dtype=bool)
    return masks


def _present(values: pd.Series) -> np.ndarray:
    """True where a value is not blank (:func:`carriermap.provenance._blank`), by column where the type allows."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.notna().to_numpy(dtype=bool)
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values.notna().to_numpy(dtype=bool) & (values.fillna("") != "").to_numpy(dtype=bool)
    return values.map(lambda value: not provenance._blank(value)).to_numpy(dtype=bool)


def invented_count(frame: pd.DataFrame, field: str = RECORD_FIELD) -> int:
    """How many of ``frame``'s values of ``field`` are invented (``name``: how many invented carriers)."""
    return int(invented_mask(frame, field).sum())


def invented_by_unit(carriers: pd.DataFrame, city_adcode: str, by: str = "district") -> pd.DataFrame:
    """Per unit (the grouping of :func:`carriermap.districts.metrics.unit_metrics`, delisted carriers left
    out like there): ``unit``, ``carriers`` and one ``invented_*`` count per :data:`FIGURE_FIELDS`,
    with a last row for the whole city (``unit`` = ``total``)."""
    from carriermap.boundaries import districts
    from carriermap.districts.metrics import TOTAL, _unit_keys

    gdf = districts(city_adcode)
    names = dict(zip(gdf["adcode"], gdf["name"], strict=True))
    frame = carriers[(carriers["city_adcode"].astype(str) == str(city_adcode)) & (carriers["status"] != "delisted")]
    parts = {"unit": _unit_keys(frame, by, names) if len(frame) else pd.Series(dtype=object), "carriers": 1}
    parts.update({column: invented_mask(frame, field).astype(int) for column, field in FIGURE_FIELDS.items()})
    wide = pd.DataFrame(parts, index=frame.index)
    columns = ["carriers", *FIGURE_FIELDS]
    out = wide.groupby("unit", sort=False)[columns].sum().reset_index() if len(wide) else pd.DataFrame(
        columns=["unit", *columns])
    total = {"unit": TOTAL, **{column: int(out[column].sum()) for column in columns}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def localised(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """:func:`invented_by_unit` with headers in ``lang`` (the whole-city row named as on the districts page)."""
    from carriermap.districts.metrics import TOTAL

    frame = table.copy()
    frame["unit"] = frame["unit"].map(lambda u: t(f"districts.{TOTAL}", lang) if u == TOTAL else u)
    return frame.rename(columns={c: t(f"provenance.col.{c}", lang) for c in frame.columns})


def sheet(carriers: pd.DataFrame, city_adcode: str, groupings, lang: str = "zh", *, view_name) -> pd.DataFrame:
    """One table of :func:`invented_by_unit` per grouping, stacked, the view named in the first column."""
    frames = [localised(invented_by_unit(carriers, city_adcode, by), lang).assign(**{"": view_name(by)})
              for by in groupings]
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["", *[c for c in stacked.columns if c != ""]]]


def invented_note(carriers: pd.DataFrame, lang: str = "zh") -> str:
    """One sentence for a caption: how many invented records and values the figures include."""
    details = []
    records = invented_count(carriers[carriers["status"] != "delisted"] if "status" in carriers else carriers)
    if records:
        details.append(t("provenance.invented.records", lang, n=records))
    active = carriers[carriers["status"] != "delisted"] if "status" in carriers else carriers
    real = active[~invented_mask(active)]
    for field in _FIELD_LABELS:
        n = invented_count(real, field)  # invented values of real carriers
        if n:
            details.append(t("provenance.invented.field", lang, field=t(_FIELD_LABELS[field], lang), n=n))
    if not details:
        return t("provenance.invented.none", lang)
    return t("provenance.invented.caption", lang, details=("、" if lang == "zh" else "; ").join(details))
