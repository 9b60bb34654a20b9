"""The districts page's charts as Vega-Lite specs, built once per figures and shared.

``st.altair_chart`` turns the chart into a spec on every rerun, and Altair checks it against the
Vega-Lite schema each time (about 0.1–0.25 s a chart here, most of a rerun's chart time). The
spec of the same frame and titles is the same, so it is built once (``st.cache_data``, keyed on
the frame's content) and drawn with ``st.vega_lite_chart``: the same element, the same spec.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from carriermap import charts

BUILDERS = ("comparison_bars", "mix_bars", "trend_lines")


def without_theme(spec: dict[str, Any], theme: dict[str, Any]) -> dict[str, Any]:
    """``spec`` without what ``theme`` added to it (keys holding the theme's own value; emptied dicts dropped).

    Streamlit draws Altair charts with Altair's ``default`` theme off (its 300 px view sizes); a
    spec made by ``to_dict()`` outside Streamlit has them, so they are taken out again.
    """
    out = dict(spec)
    for key, value in theme.items():
        if key not in out:
            continue
        if isinstance(value, dict) and isinstance(out[key], dict):
            rest = without_theme(out[key], value)
            if rest:
                out[key] = rest
            else:
                del out[key]
        elif out[key] == value:
            del out[key]
    return out


def to_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec Streamlit would draw for ``chart`` (data inline, Altair's default theme left out)."""
    spec = chart.to_dict()
    if alt.theme.active == "default":
        spec = without_theme(spec, alt.theme.get()())
    return spec


def build(builder: str, frame: pd.DataFrame, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The spec of ``charts.<builder>(frame, *args, **kwargs)`` (one of :data:`BUILDERS`), not cached:
    for callers that keep it themselves (:mod:`carriermap.ui.districts_view`)."""
    if builder not in BUILDERS:
        raise ValueError(f"not a chart of the districts page: {builder}")
    return to_spec(getattr(charts, builder)(frame, *args, **kwargs))


@st.cache_data(show_spinner=False, max_entries=256)
def chart_spec(builder: str, frame: pd.DataFrame, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """:func:`build`, once per frame content and arguments (figures are the same for every visitor:
    nothing per user here)."""
    return build(builder, frame, *args, **kwargs)


def draw_spec(target: Any, spec: dict[str, Any]) -> None:
    """Draw a built spec full width in ``target`` (``st`` or a column)."""
    target.vega_lite_chart(spec=spec, width="stretch")


def draw(target: Any, builder: str, frame: pd.DataFrame, *args: Any, **kwargs: Any) -> None:
    """Draw the chart ``charts.<builder>(frame, …)`` full width in ``target`` (``st`` or a column)."""
    draw_spec(target, chart_spec(builder, frame, *args, **kwargs))
