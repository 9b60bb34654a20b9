"""What ``/districts`` shows, worked out once per data version and shared by every visitor.

The page's figures depend only on the database, the city, its data version, the view (district
or reporting unit), the filters, the "hide samples" switch and the language: nothing per user.
So the tables (as the text a person reads), the CSV, the invented-values caption, the delisted
list, the type-mix chart, the sources' other figures and, per compared metric, the choropleth's HTML and the bar chart are
built once per key (``st.cache_resource``: one object for the process) and a visit only sends
them. Before, every run rebuilt them (about 0.2 s of a 0.3 s run at 100,000 carriers), and a
styler formatted each table cell by cell.

Shared objects: the page must only read them (draw, download), never assign into them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from carriermap import codes, filters
from carriermap.cities import City, city_or_default
from carriermap.districts import table as mt
from carriermap.districts.metrics import GroupBy, delisted, selected
from carriermap.facts import facts_table
from carriermap.i18n import label, t
from carriermap.invented import invented_note
from carriermap.mapview.choropleth import breaks, choropleth, unit_shapes
from carriermap.store.engine import default_url
from carriermap.ui import chart_specs
from carriermap.ui.context import PageContext, _carriers, _store, _unit_metrics
from carriermap.ui.static_map import map_html
from carriermap.ui.unit_shapes import unit_shapes_url


@dataclass(frozen=True)
class DistrictsView:
    """The figures of one view of ``/districts`` and what is drawn from them (read-only, shared)."""

    rows: pd.DataFrame  # :func:`carriermap.districts.metrics.unit_metrics` under the filters
    shown: pd.DataFrame  # :func:`carriermap.districts.table.table`: the units, then the total row
    screen_tables: tuple[pd.DataFrame, ...]  # overview and composition, as text (:func:`~mt.screen_table`)
    csv: bytes  # the table as the CSV download
    invented: str  # how many invented records and values the figures include
    delisted: pd.DataFrame  # the delisted carriers the counts leave out (name, unit, type)
    mix_spec: dict[str, Any]  # the type-mix bars
    facts: pd.DataFrame  # figures the source texts give that are not carriers (:mod:`carriermap.facts`)

    @property
    def total(self) -> pd.Series:
        """The whole city's row."""
        return self.shown.iloc[-1]

    @property
    def units(self) -> pd.DataFrame:
        """One row per unit (no total)."""
        return self.shown.iloc[:-1]


@dataclass(frozen=True)
class Comparison:
    """The comparison of one metric: the choropleth's HTML, whether it has schematic outlines, the bars."""

    map_html: str
    schematic: bool
    bars_spec: dict[str, Any]


@st.cache_resource(show_spinner=False, max_entries=32)
def _view(url: str, city_adcode: str, data_version: int, by: GroupBy, selection: filters.MapFilters | None,
          lang: str, hide_samples: bool) -> DistrictsView:
    city = city_or_default(city_adcode)
    rows = _unit_metrics(url, city_adcode, by, data_version, selection)
    shown = mt.table(rows, city, lang)
    units = shown.iloc[:-1]
    carriers = _carriers(url, city_adcode, data_version, hide_samples)
    tables = tuple(mt.screen_table(mt.table(rows, city, lang, hide_empty=True, columns=columns), lang)
                   for columns in (mt.OVERVIEW, mt.COMPOSITION))
    type_columns = {c: label("type", c[len("type_"):], lang) for c in mt.TYPE_COLUMNS if units[c].any()}
    unit_title = mt.column_header("unit", lang)
    mix = chart_specs.build("mix_bars", units, type_columns, unit_title, mt.column_header("carriers", lang),
                            colours={c: codes.TYPE_COLOURS[c[len("type_"):]] for c in type_columns},
                            legend_title=t("districts.type_mix", lang), title=t("districts.chart.mix", lang))
    return DistrictsView(rows=rows, shown=shown, screen_tables=tables, csv=mt.csv(rows, city, lang),
                         invented=invented_note(selected(carriers, selection), lang),
                         delisted=mt.delisted_rows(delisted(carriers, city_adcode, by, selection), city, lang),
                         mix_spec=mix, facts=facts_table(city_adcode, lang))


def districts_view(ctx: PageContext, by: GroupBy, selection: filters.MapFilters | None) -> DistrictsView:
    """The figures of ``by`` under ``selection`` for the context's city and language (shared, read-only)."""
    return _view(default_url(), ctx.city.adcode, ctx.store.data_version(), by, selection, ctx.lang,
                 ctx.hide_samples)


def choropleth_html(rows: pd.DataFrame, names: Sequence[str], metric: str, kind: mt.Kind, title: str,
                    unit_title: str, city: City, lang: str, features: Sequence[dict],
                    shapes_url: str) -> tuple[str, bool]:
    """The HTML of a choropleth of ``metric`` over the units of ``rows`` (named ``names``, one per row),
    values formatted as ``kind``, with its legend; and whether it draws a zone's schematic outline.
    ``title`` and ``unit_title`` are plain text (escaped for HTML here, so not Markdown-escaped)."""
    shapes = unit_shapes(rows, city.adcode, features, metric, names=names)
    bounds = breaks(shapes["value"].tolist())
    fmap = choropleth(shapes, title=title, bounds=bounds,
                      value_texts=[mt.format_value(v, kind, lang) for v in shapes["value"]],
                      legend_labels=mt.class_labels(bounds, kind, lang), no_data_label=t("districts.no_data", lang),
                      center=city.center, zoom=city.zoom - 1, basemap="none", name_alias=unit_title,
                      value_alias=title, shapes_url=shapes_url)
    return map_html(fmap), bool(shapes["schematic"].any())


@st.cache_resource(show_spinner=False, max_entries=64)
def _comparison(url: str, city_adcode: str, data_version: int, by: GroupBy, selection: filters.MapFilters | None,
                lang: str, hide_samples: bool, metric: str, shapes_url: str) -> Comparison:
    city = city_or_default(city_adcode)
    view = _view(url, city_adcode, data_version, by, selection, lang, hide_samples)
    kind, metric_title, unit_title = mt.column_kind(metric), mt.column_header(metric, lang), mt.column_header("unit", lang)
    html, schematic = choropleth_html(view.rows, view.units["unit"], metric, kind, metric_title, unit_title, city,
                                      lang, _store(url).features(city_adcode), shapes_url)
    bars = chart_specs.build("comparison_bars", view.units, metric, unit_title, metric_title, kind,
                             title=t("districts.chart.compare", lang, metric=metric_title))
    return Comparison(map_html=html, schematic=schematic, bars_spec=bars)


def comparison(ctx: PageContext, by: GroupBy, selection: filters.MapFilters | None, metric: str) -> Comparison:
    """The choropleth and bar chart of ``metric`` for :func:`districts_view` (shared, read-only)."""
    return _comparison(default_url(), ctx.city.adcode, ctx.store.data_version(), by, selection, ctx.lang,
                       ctx.hide_samples, metric, unit_shapes_url(ctx))
