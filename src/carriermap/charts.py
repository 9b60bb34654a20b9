"""Altair charts of the districts page (interactive, drawn by the browser; no static images).

Functions take plain frames whose text is already in the page language and return
``alt.Chart`` objects; the page passes them to ``st.altair_chart``. Vega renders text as
text (not HTML), so unit names need no escaping here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from carriermap.districts.table import Kind

_FORMATS: dict[str, str] = {"share": ".1%", "density": ",.2f", "km2": ",.1f"}
BAR_COLOUR = "#3182bd"
HIGHLIGHT = "#e6550d"
ROW_HEIGHT = 24
# Every unit name shown (Vega hides "overlapping" labels by default), never cut short.
_UNIT_AXIS = alt.Axis(labelOverlap=False, labelLimit=200, labelFontSize=12)


def value_axis(kind: Kind) -> alt.Axis:
    """The value axis of a metric kind: its number format, and whole-number ticks for counts."""
    whole = kind in ("count", "people", "m2")
    return alt.Axis(format=axis_format(kind), **({"tickMinStep": 1} if whole else {}))


def axis_format(kind: Kind) -> str:
    """The d3 number format of a metric kind (``,.0f`` for counts, ``.1%`` for shares)."""
    return _FORMATS.get(kind, ",.0f")


def comparison_bars(frame: pd.DataFrame, metric: str, unit_title: str, metric_title: str, kind: Kind,
                    title: str = "") -> alt.Chart:
    """Horizontal bars of ``metric`` per unit, largest first; hover highlights, tooltip shows the value.

    ``frame`` has a ``unit`` column (display names) and ``metric``; rows without a value are left out.
    """
    data = frame[["unit", metric]].dropna().rename(columns={metric: "value"})
    hover = alt.selection_point(on="pointerover", fields=["unit"], empty=False)
    fmt = axis_format(kind)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("unit:N", sort="-x", title=None, axis=_UNIT_AXIS),
        x=alt.X("value:Q", title=metric_title, axis=value_axis(kind)),
        color=alt.condition(hover, alt.value(HIGHLIGHT), alt.value(BAR_COLOUR)),
        tooltip=[alt.Tooltip("unit:N", title=unit_title), alt.Tooltip("value:Q", title=metric_title, format=fmt)],
    ).add_params(hover)
    labels = bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("value:Q", format=fmt), color=alt.value("#333"))
    return (bars + labels).properties(height=alt.Step(ROW_HEIGHT), title=title)


def mix_bars(frame: pd.DataFrame, columns: dict[str, str], unit_title: str, count_title: str,
             colours: dict[str, str] | None = None, legend_title: str = "", title: str = "") -> alt.Chart:
    """Stacked bars: per unit, the counts of ``columns`` (``{column: label}``), e.g. carriers by type.

    Clicking a legend entry highlights that part in every bar.
    """
    long = frame.melt(id_vars="unit", value_vars=list(columns), var_name="part", value_name="count")
    long["part"] = long["part"].map(columns)
    long = long[long["count"] > 0]
    pick = alt.selection_point(fields=["part"], bind="legend")
    domain = list(columns.values())
    scale = alt.Scale(domain=domain, range=[colours[c] for c in columns]) if colours else alt.Scale(domain=domain)
    order = {name: i for i, name in enumerate(domain)}
    long["order"] = long["part"].map(order)
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("unit:N", sort="-x", title=None, axis=_UNIT_AXIS),
        x=alt.X("sum(count):Q", title=count_title, axis=value_axis("count")),
        color=alt.Color("part:N", scale=scale, title=legend_title, legend=alt.Legend(orient="bottom", columns=4)),
        order=alt.Order("order:Q"),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("unit:N", title=unit_title), alt.Tooltip("part:N", title=legend_title),
                 alt.Tooltip("count:Q", title=count_title, format=",.0f")],
    ).add_params(pick).properties(height=alt.Step(ROW_HEIGHT), title=title)


def trend_lines(frame: pd.DataFrame, value_title: str, kind: Kind, series_title: str = "",
                quarter_title: str = "") -> alt.Chart:
    """Lines by quarter: ``frame`` has ``quarter``, ``value`` and optionally ``series`` (one line each)."""
    fmt = axis_format(kind)
    encoding = {
        "x": alt.X("quarter:O", title=quarter_title, sort="ascending"),
        "y": alt.Y("value:Q", title=value_title, axis=value_axis(kind)),
        "tooltip": [alt.Tooltip("quarter:O", title=quarter_title),
                    alt.Tooltip("value:Q", title=value_title, format=fmt)],
    }
    if "series" in frame.columns:
        encoding["color"] = alt.Color("series:N", title=series_title)
        encoding["tooltip"].insert(0, alt.Tooltip("series:N", title=series_title))
    return alt.Chart(frame).mark_line(point=True).encode(**encoding).properties(height=280)
