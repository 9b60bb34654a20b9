"""Page: the public innovation map (default page ``/``).

Filters in the sidebar (mirrored in the URL), the map with labelled districts, corridors and
every carrier, a details panel beside it (below it on a phone), and the list (one page at a time)
with a CSV download. Embedded (``?embed=true``): the map alone, filters taken from the URL.
"""

import streamlit as st
from streamlit_folium import st_folium

from carriermap import carrier_view, filters
from carriermap.invented import invented_note
from carriermap.location import placed_mask
from carriermap.mapview.basemaps import available_basemaps, needs_gcj02, tianditu_key
from carriermap.mapview.city_map import city_base_map, city_layers, district_counts, layer_control
from carriermap.store.errors import NotFoundError
from carriermap.ui import changes_panel, map_selection, unplaced_list
from carriermap.ui.carrier_list import carrier_list
from carriermap.ui.context import carrier_payload, carriers, current, district_shapes, is_embedded
from carriermap.ui.copy_link import copy_link_button
from carriermap.ui.map_filters import filter_sidebar, url_filters
from carriermap.ui.map_view import page_view

ctx = current()
embedded = is_embedded()
tianditu = tianditu_key(st.secrets)
all_carriers = carriers(ctx)
if embedded:
    state, basemap = url_filters(ctx, available_basemaps(tianditu))
else:
    state, basemap = filter_sidebar(ctx, tianditu_key=tianditu)
shown = filters.apply(all_carriers, state)

if not embedded:
    st.title(ctx.t("map.title", city=ctx.city.display_name(ctx.lang)))
    st.caption(ctx.t("map.subtitle"))
    st.markdown(carrier_view.legend_html(carrier_view.type_counts(shown), ctx.lang), unsafe_allow_html=True)

map_key = f"city_map_{ctx.city.adcode}"
map_selection.follow_link()
map_selection.note_map_click(st.session_state.get(map_key))  # before the layers: the ring follows the click
map_selection.publish_selection()
focus = all_carriers[(all_carriers["id"] == map_selection.take_focus()) & placed_mask(all_carriers)]
selected = map_selection.selected()
layers = city_layers(ctx.city, shown, ctx.store.features(ctx.city.adcode), ctx.lang, basemap,
                     chosen_districts=state.districts, selected=selected, tianditu_key=tianditu,
                     view=page_view(ctx.city.adcode, state, shown, focus, basemap),
                     payload=carrier_payload(ctx, needs_gcj02(basemap)),
                     shapes_url=district_shapes(ctx, needs_gcj02(basemap)))
map_column, panel = st.columns([3, 1], gap="medium") if not embedded else (st.container(), st.container())
with map_column:
    returned = st_folium(
        city_base_map(ctx.city), key=map_key, height=600 if embedded else 560,
        width=None, returned_objects=["last_object_clicked_tooltip"],
        feature_group_to_add=layers, layer_control=layer_control(),
    )
    counts = ctx.t("map.count", shown=f"{len(shown):,}", total=f"{len(all_carriers):,}")
    st.markdown(f"{counts} · {ctx.t('map.count.districts', n=len(district_counts(shown)))}")
    if not embedded:
        st.caption(invented_note(shown, ctx.lang))
        copy_link_button(ctx.t("public.copy_link"), ctx.t("public.copy_link.done"), ctx.t("public.copy_link.manual"))
        unplaced_list.unplaced_list(ctx, shown)

with panel:
    if map_selection.note_map_click(returned):  # a click the session state had not seen yet
        map_selection.publish_selection()
        selected = map_selection.selected()
    if not embedded:
        st.subheader(ctx.t("map.details"))
    if selected is None or selected not in set(all_carriers["id"]):
        if not embedded:
            st.info(ctx.t("map.details.hint"))
    else:
        try:
            record = ctx.store.carrier(selected)
        except NotFoundError:
            st.warning(ctx.t("map.details.missing"))
        else:
            st.markdown(carrier_view.details_html(record, ctx.lang), unsafe_allow_html=True)
    changes_panel.changes_panel(ctx)

if not embedded:
    carrier_list(ctx, shown, state)
