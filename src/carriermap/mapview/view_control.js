/* carriermap: the map's basemap and view, kept across streamlit-folium layer updates.
 *
 * streamlit-folium removes and re-evaluates every feature group whenever any layer changes.
 * This layer rides in such a group; when the group is added to the map it calls
 * cmViewControl(map, spec), which remembers its state on the map object itself:
 *  - basemap: the tile layers live on the map (not in the group), so a filter change does not
 *    reload tiles; a new basemap swaps them and keeps the view (shifted by the GCJ-02 offset
 *    when switching between a GCJ-02 and a WGS-84 basemap, so the same streets stay in view).
 *    When no tile loads (an intranet), the tiles are dropped and a notice says so once.
 *  - view: `spec.view` ({key, bounds | center+zoom, maxZoom}) is applied only when its key is
 *    new, so a rerun that changes nothing about the view leaves the user's pan and zoom alone.
 *  - on a narrow map (a phone) the layer switcher is folded to its button, so it does not cover
 *    a third of the map; a tap on the button opens it.
 * Texts arrive as JSON strings and are set with textContent (never as HTML).
 */
function cmViewControl(map, spec) {
  var state = map._cmView;
  if (!state) {
    state = map._cmView = {tiles: [], basemap: null, gcj: null, viewKey: null, failed: {}, notice: null};
    var style = document.createElement('style');
    style.textContent = '.cm-tiles-notice{background:rgba(255,255,255,.95);border:1px solid #d9a400;border-radius:4px;' +
      'padding:4px 8px;font:12px sans-serif;max-width:260px;color:#5a4500}';
    document.head.appendChild(style);
  }
  var container = map.getContainer();
  var viewIsNew = !!(spec.view && spec.view.key !== state.viewKey);
  if (state.basemap !== spec.basemap) {
    var wasGcj = state.gcj;
    state.tiles.forEach(function (layer) { map.removeLayer(layer); });
    state.tiles = [];
    if (state.notice) { map.removeControl(state.notice); state.notice = null; }
    if (wasGcj !== null && wasGcj !== spec.gcj && !viewIsNew) {
      var c = map.getCenter(), sign = spec.gcj ? 1 : -1;
      map.setView([c.lat + sign * spec.offset[0], c.lng + sign * spec.offset[1]], map.getZoom(), {animate: false});
    }
    state.basemap = spec.basemap; state.gcj = spec.gcj;
    container.dataset.tiles = spec.tiles.length ? 'loading' : 'none';
    if (state.failed[spec.basemap]) { cmTilesFailed(map, state, spec, true); }
    else if (spec.tiles.length) { cmAddTiles(map, state, spec); }
  }
  container.dataset.basemap = spec.basemap;
  if (viewIsNew) {
    state.viewKey = spec.view.key;
    var v = spec.view, opts = {animate: false};
    if (v.bounds) {
      map.fitBounds(v.bounds, {padding: [24, 24], maxZoom: v.maxZoom || 16, animate: false});
    } else if (v.center) {
      map.setView(v.center, v.zoom || map.getZoom(), opts);
    }
    container.dataset.viewKey = v.key;
  }
  cmFoldSwitcherOnPhones(map);
}

/* streamlit-folium adds the layer switcher (window.layer_control) after the layers, unfolded:
   on a narrow map, re-add it folded (Leaflet builds the fold and its button when it is added). */
function cmFoldSwitcherOnPhones(map) {
  if (map.getSize().x >= 600) { return; }
  setTimeout(function () {
    var control = window.layer_control;
    if (!control || control.options.collapsed) { return; }
    control.options.collapsed = true;
    control.remove();
    control.addTo(map);
  }, 0);
}

function cmAddTiles(map, state, spec) {
  var loads = 0, errors = 0, done = false;
  function fail() { if (!done && loads === 0) { done = true; cmTilesFailed(map, state, spec, false); } }
  spec.tiles.forEach(function (t) {
    var layer = L.tileLayer(t.url, {attribution: t.attribution, subdomains: t.subdomains, maxZoom: 18});
    layer.on('tileload', function () {
      loads++;
      if (!done) { done = true; map.getContainer().dataset.tiles = 'loaded'; }
    });
    layer.on('tileerror', function () { errors++; if (errors >= 4) { fail(); } });
    layer.addTo(map);
    state.tiles.push(layer);
  });
  setTimeout(fail, spec.timeoutMs || 8000);
}

function cmTilesFailed(map, state, spec, again) {
  if (state.basemap !== spec.basemap) { return; }
  state.failed[spec.basemap] = true;
  state.tiles.forEach(function (layer) { map.removeLayer(layer); });
  state.tiles = [];
  map.getContainer().dataset.tiles = 'failed';
  if (state.notice) { return; }
  var Notice = L.Control.extend({
    options: {position: 'bottomleft'},
    onAdd: function () {
      var div = L.DomUtil.create('div', 'cm-tiles-notice');
      div.textContent = spec.failText;
      L.DomEvent.disableClickPropagation(div);
      return div;
    }
  });
  state.notice = new Notice();
  map.addControl(state.notice);
}

var CmViewLayer = L.Layer.extend({
  initialize: function (spec) { this.spec = spec; },
  onAdd: function (map) { cmViewControl(map, this.spec); },
  onRemove: function () {}
});
