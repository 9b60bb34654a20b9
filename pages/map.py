"""Page: the public innovation map (default page ``/``).

Filters in the sidebar (mirrored in the URL), the map with districts, corridors and every
carrier, a details panel beside it, and the sortable list with a CSV download below.
"""

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from carriermap import carrier_view, filters
from carriermap.export import write_export
from carriermap.invented import invented_note
from carriermap.mapview.city_map import city_base_map, city_layers, district_counts, layer_control, map_point
from carriermap.store.errors import NotFoundError
from carriermap.ui import map_selection
from carriermap.ui.context import carriers, current
from carriermap.ui.map_filters import filter_sidebar

ctx = current()
all_carriers = carriers(ctx)
state, basemap = filter_sidebar(ctx, all_carriers)
shown = filters.apply(all_carriers, state)

st.title(ctx.t("map.title", city=ctx.city.display_name(ctx.lang)))
st.caption(ctx.t("map.subtitle"))
st.markdown(carrier_view.legend_html(carrier_view.type_counts(shown), ctx.lang), unsafe_allow_html=True)

map_selection.follow_link()
focus = all_carriers[all_carriers["id"] == map_selection.take_focus()]
map_column, panel = st.columns([3, 1], gap="medium")
with map_column:
    returned = st_folium(
        city_base_map(ctx.city, basemap), key=f"city_map_{ctx.city.adcode}_{basemap}", height=580,
        use_container_width=True, returned_objects=["last_object_clicked_tooltip"],
        center=map_point(focus.iloc[0], basemap) if len(focus) else None, zoom=16 if len(focus) else None,
        feature_group_to_add=city_layers(ctx.city, shown, ctx.store.features(ctx.city.adcode), ctx.lang, basemap),
        layer_control=layer_control(),
    )
    counts = ctx.t("map.count", shown=f"{len(shown):,}", total=f"{len(all_carriers):,}")
    st.markdown(f"{counts} · {ctx.t('map.count.districts', n=len(district_counts(shown)))}")
    st.caption(invented_note(shown, ctx.lang))

with panel:
    st.subheader(ctx.t("map.details"))
    map_selection.note_map_click(returned)
    map_selection.publish_selection()
    selected = map_selection.selected()
    if selected is None or selected not in set(all_carriers["id"]):
        st.info(ctx.t("map.details.hint"))
    else:
        try:
            record = ctx.store.carrier(selected)
        except NotFoundError:
            st.warning(ctx.t("map.details.missing"))
        else:
            st.markdown(carrier_view.details_html(record, ctx.lang), unsafe_allow_html=True)

st.subheader(ctx.t("map.list"))
if shown.empty:
    st.info(ctx.t("map.empty"))
else:
    st.caption(ctx.t("map.list.caption"))
    st.dataframe(carrier_view.list_frame(shown, ctx.lang), width="stretch", height=360, key=map_selection.LIST_KEY,
                 on_select=partial(map_selection.pick_from_list, shown["id"].tolist()), selection_mode="single-row")
    st.download_button(ctx.t("map.download", n=len(shown)), partial(write_export, shown, "csv", None, ctx.lang),
                       file_name=f"carriers_{ctx.city.adcode}.csv", mime="text/csv", icon=":material/download:")
