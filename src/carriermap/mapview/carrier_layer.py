"""Carriers on a map at any scale: one compact payload and a small canvas layer.

One ``folium.Marker`` per carrier costs a Python object, an HTML/JS block and a DOM element
each (100k: minutes and tens of MB). :class:`CarrierLayer` instead sends the carriers as a
few delta-encoded integer arrays (ids, coordinates to 1e-5 degrees ≈ 1 m, a type index) and
draws them with ``carrier_layer.js``: points are clustered on a pixel grid per zoom in the
browser and painted on one canvas. Details are not embedded: a click reports the carrier's id
back (``carrier:<id>`` as streamlit-folium's ``last_object_clicked_tooltip``), and the page
fetches that one record. Names ride along for hover only up to :data:`NAME_LIMIT` carriers,
HTML-escaped by :func:`carriermap.safety.html_text`.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Template

from carriermap import codes
from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.raw_render import RawRender
from carriermap.safety import html_text

SCALE = 100_000  # coordinates sent as integers of 1e-5 degree (about 1 m)
NAME_LIMIT = 20_000  # above this many carriers, hover names are left out of the payload
CLICK_PREFIX = "carrier:"
_CLICK = re.compile(rf"^{CLICK_PREFIX}(\d+)$")


@cache
def _script() -> str:
    return (Path(__file__).with_name("carrier_layer.js")).read_text(encoding="utf-8")


def deltas(values: np.ndarray) -> str:
    """Comma-separated differences of an integer array (first value as is)."""
    if len(values) == 0:
        return ""
    return ",".join(map(str, np.diff(values, prepend=0).tolist()))


def _js_json(value: object) -> str:
    """JSON safe inside a ``<script>`` and through streamlit-folium's variable renaming.

    Underscores are written ``\\u005f``: streamlit-folium rewrites ``_<id>`` tokens in the
    script, which would otherwise change names that contain them.
    """
    return json.dumps(value, ensure_ascii=False).replace("_", "\\u005f").replace("</", "<\\/")


def encode(carriers: pd.DataFrame, type_labels: dict[str, str], *, gcj02: bool = False,
           names: bool | None = None) -> str:
    """The layer's payload as a JavaScript object literal.

    ``carriers`` needs ``id``, ``lon``, ``lat`` (WGS-84), ``type`` and, for hover names,
    ``name``. With ``gcj02`` the coordinates are shifted for a GCJ-02 basemap. Rows are
    sent sorted by id so the id deltas stay small.
    """
    frame = carriers.sort_values("id", kind="stable")
    lon = frame["lon"].to_numpy(dtype="float64")
    lat = frame["lat"].to_numpy(dtype="float64")
    if gcj02:
        lon, lat = wgs84_to_gcj02(lon, lat)
    type_codes = list(codes.CARRIER_TYPES)
    type_index = pd.Categorical(frame["type"].astype(object), categories=type_codes).codes
    type_index = np.where(type_index < 0, 0, type_index)
    types = [[codes.TYPE_COLOURS[code], html_text(type_labels.get(code, code))] for code in type_codes]
    if names is None:
        names = len(frame) <= NAME_LIMIT
    name_list = [html_text(v) for v in frame["name"].tolist()] if names else None
    return (
        "{" + f'"scale":{SCALE},'
        f'"ids":[{deltas(frame["id"].to_numpy(dtype="int64"))}],'
        f'"lon":[{deltas(np.round(lon * SCALE).astype("int64"))}],'
        f'"lat":[{deltas(np.round(lat * SCALE).astype("int64"))}],'
        f'"t":[{",".join(map(str, type_index.tolist()))}],'
        f'"types":{_js_json(types)},"names":{_js_json(name_list)}' + "}"
    )


def write_payload(carriers: pd.DataFrame, type_labels: dict[str, str], directory: Path, *,
                  gcj02: bool = False) -> tuple[str, np.ndarray]:
    """Write every carrier's payload (:func:`encode`, JSON) under ``directory``, named by its content.

    Returns the file name and the ids in payload order (sorted), for :func:`mask_of`. The page
    sends this file once per data version; a filter change then sends only a mask (a few KB at
    100,000 carriers instead of megabytes), and the browser keeps the decoded payload.
    """
    from carriermap.location import placed_mask
    from carriermap.mapview.static_files import write_named_by_content

    carriers = carriers[placed_mask(carriers)]  # an unplaced carrier has no point to draw (listed apart)
    name = write_named_by_content(directory, "carriers", encode(carriers, type_labels, gcj02=gcj02))
    return name, np.sort(carriers["id"].to_numpy(dtype="int64"))


def mask_of(payload_ids: np.ndarray, shown_ids) -> str:
    """Base64 bitset over ``payload_ids`` (payload order): bit set = carrier shown."""
    import base64

    shown = (shown_ids.to_numpy(dtype="int64") if isinstance(shown_ids, (pd.Series, pd.Index))
             else np.asarray(list(shown_ids), dtype="int64"))
    keep = np.isin(payload_ids, shown)
    return base64.b64encode(np.packbits(keep).tobytes()).decode("ascii")


_MASKS: dict[tuple[int, int], tuple[weakref.ref, weakref.ref, str]] = {}
_MASKS_LOCK = threading.Lock()


def frame_mask(payload_ids: np.ndarray, carriers: pd.DataFrame) -> str:
    """:func:`mask_of` the carriers of ``carriers``, remembered while both objects live.

    A page that passes the same (shared, read-only) frame on every rerun, like find space's
    orientation layer, gets the mask worked out once: at 100,000 carriers it costs ~25 ms.
    The entry goes when either object is garbage collected; identity is checked on every hit.
    """
    key = (id(payload_ids), id(carriers))
    with _MASKS_LOCK:
        entry = _MASKS.get(key)
    if entry is not None and entry[0]() is payload_ids and entry[1]() is carriers:
        return entry[2]
    mask = mask_of(payload_ids, carriers["id"])

    def forget(_ref: weakref.ref) -> None:
        with _MASKS_LOCK:
            _MASKS.pop(key, None)

    with _MASKS_LOCK:
        _MASKS[key] = (weakref.ref(payload_ids, forget), weakref.ref(carriers, forget), mask)
    return mask


class CarrierLayer(RawRender):
    """A folium element drawing ``carriers`` with the clustered canvas layer.

    Add it to a ``folium.FeatureGroup`` (or a map). ``cluster_text`` is the hover text of a
    cluster with ``{n}`` for its size (already in the page's language); ``selected`` is the id
    of the carrier to ring (a picked carrier); ``interactive=False`` leaves clicks to the map
    (a picking map: hover still names carriers, a click picks the point).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.script }}
var {{ this.get_name() }} = makeCarrierLayer({{ this.payload }}, {{ this.options }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, carriers: pd.DataFrame, type_labels: dict[str, str], *, gcj02: bool = False,
                 cluster_text: str = "{n}", names: bool | None = None, single_zoom: int = 16,
                 selected: int | None = None, interactive: bool = True, src: str | None = None,
                 mask: str | None = None):
        super().__init__()
        self._name = "CarrierLayer"
        self.payload = "null" if src else encode(carriers, type_labels, gcj02=gcj02, names=names)
        self.options = _js_json({"clusterText": html_text(cluster_text), "singleZoom": single_zoom,
                                 "cellPx": 60, "selected": None if selected is None else int(selected),
                                 "interactive": bool(interactive), "src": src, "mask": mask})
        self.script = _script()


def clicked_carrier_id(returned: dict | None) -> int | None:
    """The carrier id a ``st_folium`` return value reports as clicked, or None."""
    if not returned:
        return None
    match = _CLICK.match(str(returned.get("last_object_clicked_tooltip") or "").strip())
    return int(match.group(1)) if match else None
