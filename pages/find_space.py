"""Page: find space — carriers with free space near a point, ranked by geodesic distance.

UI only: the point comes from :mod:`carriermap.pointinput` / :mod:`carriermap.places`, the
search from :mod:`carriermap.space.search`, the table from :mod:`carriermap.space.results` and the
map from :mod:`carriermap.mapview.nearby_map`.
"""

from functools import partial

import streamlit as st

from carriermap import codes
from carriermap.coords import CRS_CODES
from carriermap.export import to_csv_bytes, to_xlsx_bytes
from carriermap.freshness.age import rank_by_freshness, utc_now
from carriermap.freshness.settings import city_settings
from carriermap.geocoding import SHARED_CACHE, AmapGeocoder, amap_key
from carriermap.i18n import label, labels
from carriermap.mapview.basemaps import available_basemaps, needs_gcj02, tianditu_key
from carriermap.mapview.nearby_map import circle_bounds, nearby_layer
from carriermap.mapview.picking_map import pick_point
from carriermap.mapview.view_control import fit_view
from carriermap.places import place_name, places
from carriermap.pointinput import PointInputError, check_point, parse_point
from carriermap.safety import md_text
from carriermap.space.address import level_label, locate_address
from carriermap.space.link import MAX_RADIUS_KM, SearchQuery
from carriermap.space.results import MORE_COLUMNS, download_frame, result_table, suggestion_text
from carriermap.space.search import Needs
from carriermap.ui import confirm_panel, search_url
from carriermap.ui.context import carrier_payload, current, district_shapes, industry_options, nearby_search
from carriermap.ui.copy_link import copy_link_button
from carriermap.ui.results_grid import result_columns

ctx = current()
RESULTS_SHOWN = 200  # nearest results in the grid and numbered on the map (all of them in the downloads)
geocoder_key = amap_key(st.secrets)
MODES = ("place", "address", "coordinates", "map") if geocoder_key else ("place", "coordinates", "map")
lang, city = ctx.lang, ctx.city
st.title(ctx.t("page.find_space"))
st.caption(ctx.t("find_space.intro"))

search = nearby_search(ctx)
frame = search.carriers
city_places = places(city.adcode)
industries = sorted(industry_options(ctx))
clicks = st.session_state.setdefault("fs_clicks", {})

if st.session_state.pop("fs_pending_map_mode", False):
    st.session_state["fs_mode"] = "map"
search_url.load_from_url(industries, address_ok=bool(geocoder_key))

left, right = st.columns([2, 3], gap="medium")
point, origin_name, address = None, "", ""
with left:
    st.subheader(ctx.t("find_space.point.header"))
    mode = st.radio(ctx.t("find_space.point.mode"), MODES, key="fs_mode", horizontal=True,
                    format_func=lambda m: ctx.t(f"find_space.point.mode.{m}"))
    try:
        if mode == "place":
            choice = st.selectbox(ctx.t("find_space.point.place"), city_places.index, key=f"fs_place_{city.adcode}",
                                  format_func=lambda i: f"{place_name(city_places.loc[i], lang)} · "
                                                        f"{ctx.t('find_space.point.kind.' + city_places.loc[i, 'kind'])}")
            row = city_places.loc[choice]
            origin_name = place_name(row, lang)
            point = check_point(float(row["lon"]), float(row["lat"]), "wgs84", city.adcode)
        elif mode == "address":
            address = st.text_input(ctx.t("find_space.address.text"), key="fs_address", max_chars=120,
                                    placeholder="科韵路16号", help=ctx.t("find_space.address.help")).strip()
            if address:
                found = locate_address(address, city.adcode, AmapGeocoder(geocoder_key, cache=SHARED_CACHE))
                point, origin_name = found.point, found.formatted or address
                level = level_label(found.level, lang)
                st.caption(md_text(ctx.t("find_space.address.found", formatted=origin_name, level=level)))
                if not found.precise:
                    st.warning(md_text(ctx.t("find_space.address.vague", level=level)))
        elif mode == "coordinates":
            text = st.text_input(ctx.t("find_space.point.text"), key="fs_text", placeholder="113.3245,23.1190",
                                 help=ctx.t("find_space.point.text_help"))
            crs = st.selectbox(ctx.t("find_space.point.crs"), CRS_CODES, key="fs_crs",
                               format_func=lambda c: ctx.t(f"find_space.point.crs.{c}"))
            if text.strip():
                point = parse_point(text, crs, city.adcode)
                if point.swapped:
                    st.info(ctx.t("find_space.point.swapped_note", lon=point.input_lon, lat=point.input_lat))
                if point.crs != "wgs84":
                    st.caption(ctx.t("find_space.point.converted_note", crs=point.crs.upper(),
                                     lon=f"{point.lon:.6f}", lat=f"{point.lat:.6f}"))
        else:
            st.caption(ctx.t("find_space.point.click_hint"))
            if city.adcode in clicks:
                point = check_point(*clicks[city.adcode], "wgs84", city.adcode)
    except PointInputError as error:
        st.error(md_text(error.message(lang)))
        point = None
    if point is None:
        st.caption(ctx.t("find_space.point.none"))
    else:
        st.caption(ctx.t("find_space.point.chosen", lon=f"{point.lon:.6f}", lat=f"{point.lat:.6f}"))
    if mode == "place":
        st.caption(ctx.t("public.places.more"))
        if not geocoder_key:
            st.caption(ctx.t("find_space.address.offline"))

    st.subheader(ctx.t("find_space.needs.header"))
    radius_km = st.number_input(ctx.t("find_space.needs.radius_km"), min_value=0.1, max_value=MAX_RADIUS_KM,
                                step=0.5, key="fs_radius")
    min_area = st.number_input(ctx.t("find_space.needs.min_area"), min_value=0, step=50, key="fs_area")
    max_rent = st.number_input(ctx.t("find_space.needs.max_rent"), min_value=0, step=5, key="fs_rent")
    types = st.multiselect(ctx.t("find_space.needs.types"), codes.CARRIER_TYPES, key="fs_types",
                           format_func=lambda c: label("type", c, lang), placeholder=ctx.t("find_space.needs.any"))
    chosen_industries = st.multiselect(ctx.t("find_space.needs.industries"), industries, key="fs_industries",
                                       placeholder=ctx.t("find_space.needs.any"))
    levels = st.multiselect(ctx.t("find_space.needs.levels"), codes.LEVELS, key="fs_levels",
                            format_func=labels("level", codes.LEVELS, lang).get,
                            placeholder=ctx.t("find_space.needs.any"))
    include_stale = confirm_panel.include_stale_checkbox(ctx)
    tianditu = tianditu_key(st.secrets)
    basemap = st.radio(ctx.t("find_space.basemap"), available_basemaps(tianditu), key="fs_basemap", horizontal=True,
                       format_func=lambda b: ctx.t(f"find_space.basemap.{b}"))

needs = Needs(radius_m=float(radius_km) * 1000.0, min_area_m2=float(min_area),
              max_rent=float(max_rent) if max_rent else None, types=tuple(types),
              industries=tuple(chosen_industries), levels=tuple(levels))
where = (point.lon, point.lat) if point else None
search_url.write_to_url(SearchQuery(where, float(radius_km), float(min_area), float(max_rent), tuple(types),
                                    tuple(chosen_industries), tuple(levels),
                                    address if point is not None else ""))
found = search.search(*where, needs) if where else search.no_results()
results = rank_by_freshness(found, city_settings(city.adcode), utc_now(), include_stale=include_stale)
nearest = result_table(results.head(RESULTS_SHOWN), where, lang, origin_name)  # the grid and the numbered badges

with right:
    view = (fit_view(f"search:{where[0]:.6f},{where[1]:.6f},{needs.radius_m:g}",
                     circle_bounds(*where, needs.radius_m), basemap, max_zoom=16) if where else None)
    click = pick_point("fs_pick", city, frame, lang, basemap=basemap, view=view, height=560, tianditu_key=tianditu,
                       layers=[nearby_layer(nearest, where, needs.radius_m, basemap, lang, everything=results)],
                       payload=carrier_payload(ctx, needs_gcj02(basemap)),
                       shapes_url=district_shapes(ctx, needs_gcj02(basemap)))
    if click is not None:
        clicks[city.adcode] = click
        if mode != "map":
            st.session_state["fs_pending_map_mode"] = True
        st.rerun()
    copy_link_button(ctx.t("public.copy_link"), ctx.t("public.copy_link.done"), ctx.t("public.copy_link.manual"))

st.subheader(ctx.t("find_space.results.header"))
if where is None:
    st.info(ctx.t("find_space.point.none"))
elif results.empty:
    st.warning(ctx.t("find_space.results.none", km=f"{radius_km:g}"))
    confirm_panel.freshness_note(ctx, len(found) - len(results))
    suggestions = search.suggestions(*where, needs)
    if suggestions:
        st.markdown(ctx.t("find_space.results.suggest_header"))
        st.markdown("\n".join(f"- {suggestion_text(s, lang, markdown=True)}" for s in suggestions))
    else:
        st.info(ctx.t("find_space.results.nothing_near"))
else:
    st.success(ctx.t("find_space.results.count", count=len(results), km=f"{radius_km:g}"))
    confirm_panel.freshness_note(ctx, len(found) - len(results))
    if len(results) > RESULTS_SHOWN:  # thousands of rows help nobody on screen; the downloads have them all
        st.caption(ctx.t("find_space.results.first", shown=RESULTS_SHOWN, count=f"{len(results):,}"))
    first, config = result_columns(nearest, lang)
    st.dataframe(nearest[first], column_config=config, hide_index=True, width="stretch")
    with st.expander(ctx.t("public.results.more")):
        rest = [c for c in MORE_COLUMNS if c in nearest]
        st.dataframe(nearest[["rank", "name", *rest]], column_config=config, hide_index=True, width="stretch")
    if results["is_sample"].any():
        st.caption(ctx.t("find_space.results.sample_note"))
    file_stem = ctx.t("find_space.download.file")
    every = partial(download_frame, results, where, lang, origin_name)  # built when a button is clicked
    one, two = st.columns(2)
    one.download_button(ctx.t("find_space.download.csv"), lambda: to_csv_bytes(every()), f"{file_stem}.csv",
                        "text/csv")
    two.download_button(ctx.t("find_space.download.xlsx"), lambda: to_xlsx_bytes({file_stem: every()}),
                        f"{file_stem}.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
