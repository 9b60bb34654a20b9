"""Page: districts — compare districts or reporting units, track targets, trend, export.

Thin: widgets in (the map's filters among them), the view's figures, tables and maps
(:mod:`carriermap.ui.districts_view`, built once per data version and shared), drawing out.
"""

from functools import partial

import streamlit as st

from carriermap.districts import table as mt
from carriermap.districts.metrics import GROUPINGS
from carriermap.districts.selection import describe
from carriermap.districts.trend import city_trend, snapshots, unit_trend
from carriermap.safety import markdown_text
from carriermap.ui import chart_specs, quality_panel
from carriermap.ui.as_of import as_of_caption
from carriermap.ui.context import carriers, current, target_progress
from carriermap.ui.districts_view import comparison, districts_view
from carriermap.ui.map_filters import FIGURE_FIELDS, filter_sidebar
from carriermap.ui.static_map import draw_static_map

ctx = current()
lang, city = ctx.lang, ctx.city
data = carriers(ctx)
selection, _ = filter_sidebar(ctx, prefix="districts", fields=FIGURE_FIELDS, with_basemap=False)

st.title(f"{ctx.t('page.districts')} · {city.display_name(lang)}")
as_of_caption(ctx)
st.caption(ctx.t("figures.selection.caption", selection=markdown_text(describe(selection, lang))))
by = st.segmented_control(ctx.t("districts.view"), GROUPINGS, format_func=lambda g: mt.view_name(g, lang),
                          default="reporting_unit", key="districts_by") or "reporting_unit"
view = districts_view(ctx, by, selection)  # shared, read-only: drawn and downloaded, never changed
st.caption(f":material/info: {view.invented}")
total = view.total

# ---- headline figures ---------------------------------------------------------------
for column, name in zip(st.columns(5), ("carriers", "national", "specialized_share", "jobs", "delisted"), strict=True):
    column.metric(mt.column_header(name, lang), mt.format_value(total[name], mt.column_kind(name), lang))

# ---- targets ------------------------------------------------------------------------
st.subheader(ctx.t("districts.targets"))
progress = target_progress(ctx)
targets = mt.target_rows(progress, city, lang)
if targets.empty:
    st.info(ctx.t("districts.no_targets"))
for item in (p for p in progress if p["unit"] is None):
    st.progress(item["progress"], text=mt.target_line(item, lang))
per_unit = targets[targets["scope"] != ctx.t("districts.scope.city")]
if not per_unit.empty:
    with st.expander(ctx.t("districts.targets.units", count=len(per_unit)), expanded=False):
        if per_unit["is_sample"].any():
            st.caption(f":material/warning: {ctx.t('districts.targets.sample')}")
        st.dataframe(
            per_unit.drop(columns=["share", "source"]), hide_index=True, width="stretch",
            column_config={
                **{c: st.column_config.Column(mt.target_header(c, lang))
                   for c in ("metric", "counts", "scope", "deadline", "status", "evidence")},
                **{c: st.column_config.NumberColumn(mt.target_header(c, lang), format="localized")
                   for c in ("target", "current", "current_now", "gap", "sample_records", "counted")},
                "progress": st.column_config.ProgressColumn(mt.target_header("progress", lang), format="percent",
                                                            min_value=0.0, max_value=1.0),
                "is_sample": st.column_config.CheckboxColumn(mt.target_header("is_sample", lang)),
            })

# ---- compare: map and bars ----------------------------------------------------------
st.subheader(ctx.t("districts.compare"))
metric = st.selectbox(ctx.t("districts.metric"), mt.CHART_METRICS, key="districts_metric",
                      format_func=lambda c: mt.column_header(c, lang))
kind, metric_title, unit_title = mt.column_kind(metric), mt.column_header(metric, lang), mt.column_header("unit", lang)
compared = comparison(ctx, by, selection, metric)
left, right = st.columns([3, 2])
with left:
    draw_static_map(compared.map_html, height=460)
    if compared.schematic:
        st.caption(ctx.t("districts.schematic_note"))
with right:
    chart_specs.draw_spec(st, compared.bars_spec)
chart_specs.draw_spec(st, view.mix_spec)

# ---- exports, then the table, data quality and trend as tabs --------------------------
# Only the open tab runs (``on_change="rerun"``): the quality section (a second map, the chase
# list) and the trend are worked out and drawn when an official opens them, not on every visit.
stem = f"districts_{city.adcode}_{by}"
xlsx, csv = st.columns(2)
xlsx.download_button(ctx.t("districts.download.xlsx"), key="districts_xlsx", file_name=f"{stem}.xlsx",
                     data=partial(quality_panel.with_quality,  # built only when clicked
                                  partial(mt.workbook, data, ctx.store.targets(city.adcode), city, lang,
                                          ctx.store.data_version(), selection=selection, progress=progress),
                                  ctx, data, by),
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     icon=":material/download:")
csv.download_button(ctx.t("districts.download.csv"), key="districts_csv", file_name=f"{stem}.csv",
                    data=view.csv, mime="text/csv", icon=":material/download:")  # one row per unit: small

table_tab, quality_tab, trend_tab = st.tabs(
    [ctx.t("districts.tab.table"), ctx.t("quality.header"), ctx.t("districts.trend")],
    key="districts_tab", on_change="rerun")
with table_tab:
    if table_tab.open:
        st.subheader(ctx.t("districts.table", view=mt.view_name(by, lang)))
        for screen in view.screen_tables:  # a static table: selecting and pasting it keeps its cells
            st.table(screen)
        st.caption(ctx.t("districts.table.note"))

with quality_tab:
    if quality_tab.open:
        quality_panel.quality_section(ctx, data, by)

with trend_tab:
    if trend_tab.open:
        st.subheader(ctx.t("districts.trend"))
        snaps = snapshots(ctx.store.engine, city.adcode)
        if not snaps:
            st.info(ctx.t("districts.trend.none"))
        else:
            whole_city = city_trend(snaps, city.adcode, selection)
            trend_metric = metric if metric in whole_city.columns else "carriers"
            city_frame = whole_city[["quarter", trend_metric]].rename(columns={trend_metric: "value"})
            per_unit_trend = unit_trend(snaps, city.adcode, by, metric, selection)
            per_unit_trend["series"] = [mt.unit_label(u, c, city, lang) for u, c
                                        in zip(per_unit_trend["unit"], per_unit_trend["unit_code"], strict=True)]
            a, b = st.columns(2)
            chart_specs.draw(a, "trend_lines", city_frame, mt.column_header(trend_metric, lang),
                             mt.column_kind(trend_metric), quarter_title=ctx.t("districts.quarter"))
            chart_specs.draw(b, "trend_lines", per_unit_trend, metric_title, kind, series_title=unit_title,
                             quarter_title=ctx.t("districts.quarter"))
            st.caption(ctx.t("districts.trend.note", count=len(snaps), last=snaps[-1].quarter))

if not view.delisted.empty:
    with st.expander(ctx.t("districts.delisted", count=len(view.delisted))):
        st.dataframe(view.delisted, hide_index=True, width="stretch",
                     column_config={"name": ctx.t("districts.col.name"), "unit": unit_title,
                                    "type": ctx.t("districts.col.type_name")})

# ---- figures the source texts give that are not carriers ------------------------------
facts = view.facts
if not facts.empty:
    with st.expander(ctx.t("facts.title"), expanded=False):
        st.caption(ctx.t("facts.caption"))
        st.dataframe(facts, hide_index=True, width="stretch")
