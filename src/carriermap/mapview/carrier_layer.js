/* carriermap: every carrier of a city on one canvas, clustered per zoom in the browser.
 *
 * makeCarrierLayer(data, options) returns a Leaflet layer. `data` (or, when null, the JSON file
 * at `options.src`, fetched once per page; `options.mask` then picks the carriers shown) is columnar and compact:
 * ids, lon and lat (integers, coordinates times `scale`) are delta-encoded, `t` holds an index
 * into `types` ([colour, label] pairs), `names` (optional) the HTML-escaped names for hover.
 * Points are binned on a pixel grid at each zoom (one pass over the points in view) and drawn
 * on a canvas: no DOM element per carrier. A click on a single carrier fires the layer's
 * `click` event whose tooltip reads "carrier:<id>" (what streamlit-folium reports back); a
 * click on a cluster zooms in. Overlapping bubbles are merged so none sits on another; the
 * selected carrier (`options.selected` or a click) gets a ring whether or not it is clustered,
 * and while the pointer is on a carrier other tooltips (the district's) are hidden.
 * Text reaches innerHTML only already escaped by the server.
 */
function cmDecode(data) {  /* the delta-encoded payload -> typed arrays and web-mercator units */
  var n = data.t.length;
  var ids = new Float64Array(n), lon = new Float64Array(n), lat = new Float64Array(n);
  var wx = new Float64Array(n), wy = new Float64Array(n);
  var acc = [0, 0, 0];
  for (var i = 0; i < n; i++) {
    acc[0] += data.ids[i]; acc[1] += data.lon[i]; acc[2] += data.lat[i];
    ids[i] = acc[0]; lon[i] = acc[1] / data.scale; lat[i] = acc[2] / data.scale;
    var s = Math.sin(lat[i] * Math.PI / 180);
    wx[i] = (lon[i] + 180) / 360;
    wy[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  return {n: n, ids: ids, lon: lon, lat: lat, wx: wx, wy: wy, t: data.t, types: data.types, names: data.names};
}

function cmSubset(full, mask) {  /* the carriers whose bit is set in `mask` (base64, payload order) */
  if (!mask) { return full; }
  var bytes = atob(mask), keep = [];
  for (var i = 0; i < full.n; i++) { if (bytes.charCodeAt(i >> 3) & (128 >> (i & 7))) { keep.push(i); } }
  var m = keep.length, out = {n: m, types: full.types, t: new Array(m), names: full.names ? new Array(m) : null};
  ['ids', 'lon', 'lat', 'wx', 'wy'].forEach(function (k) { out[k] = new Float64Array(m); });
  for (var j = 0; j < m; j++) {
    var k = keep[j];
    out.ids[j] = full.ids[k]; out.lon[j] = full.lon[k]; out.lat[j] = full.lat[k];
    out.wx[j] = full.wx[k]; out.wy[j] = full.wy[k]; out.t[j] = full.t[k];
    if (out.names) { out.names[j] = full.names[k]; }
  }
  return out;
}

/* The whole city's payload, fetched once per page from `src` and kept decoded: a filter change
   only sends a new mask. */
function cmPayload(src, callback) {
  var cache = window.cmPayloads = window.cmPayloads || {};
  if (cache[src] && cache[src].decoded) { callback(cache[src].decoded); return; }
  if (!cache[src]) {
    cache[src] = {waiting: []};
    fetch(src).then(function (r) { return r.json(); }).then(function (data) {
      var entry = cache[src];
      entry.decoded = cmDecode(data);
      entry.waiting.forEach(function (f) { f(entry.decoded); });
      entry.waiting = [];
    });
  }
  cache[src].waiting.push(callback);
}

/* The carriers of `mask` in the decoded file and their id index, kept for the last mask: streamlit-folium
   re-evaluates every layer on each rerun, and at 100,000 carriers the subset and its index cost ~20 ms. */
function cmShown(decoded, mask) {
  var last = window.cmShownLast;
  if (last && last.decoded === decoded && last.mask === mask) { return last; }
  var d = cmSubset(decoded, mask), index = {};
  for (var i = 0; i < d.n; i++) { index[d.ids[i]] = i; }
  window.cmShownLast = {decoded: decoded, mask: mask, d: d, index: index};
  return window.cmShownLast;
}

function makeCarrierLayer(data, options) {
  var n = 0, ids, lon, lat, wx, wy, index = {}, ready = false;
  function use(decoded) {
    var shown = cmShown(decoded, options.mask), d = shown.d;
    n = d.n; ids = d.ids; lon = d.lon; lat = d.lat; wx = d.wx; wy = d.wy;
    data = {t: d.t, types: d.types, names: d.names};
    index = shown.index;
    ready = true;
  }
  if (data) { use(cmDecode(data)); }
  var cell = options.cellPx || 60, singleZoom = options.singleZoom || 16;
  if (!document.getElementById('cm-carrier-style')) {  /* one tooltip at a time: a carrier's hides the district's */
    var style = document.createElement('style');
    style.id = 'cm-carrier-style';
    style.textContent = '.cm-over-carrier .leaflet-tooltip-pane{display:none}';
    document.head.appendChild(style);
  }
  function readableOn(hex) {  /* dark text on light type colours, white on dark ones */
    var r = parseInt(hex.slice(1, 3), 16), g = parseInt(hex.slice(3, 5), 16), b = parseInt(hex.slice(5, 7), 16);
    return (0.299 * r + 0.587 * g + 0.114 * b) > 170 ? '#1f2d3d' : '#fff';
  }

  function radiusOf(count) { return count === 1 ? 6 : Math.min(cell / 2 - 5, 10 + 2 * Math.log(count)) + 3; }
  /* Grid cells next to each other can hold bubbles whose circles touch ("40" on "45"): merge
     any two that overlap (biggest first, position weighted by count) until none do. */
  function apart(groups) {
    var merged = true;
    while (merged) {
      merged = false;
      groups.sort(function (a, b) { return b.count - a.count; });
      for (var a = 0; a < groups.length; a++) {
        var g = groups[a];
        if (!g) { continue; }
        for (var b = a + 1; b < groups.length; b++) {
          var h = groups[b];
          if (!h) { continue; }
          var gap = radiusOf(g.count) + radiusOf(h.count) + 2, dx = g.x - h.x, dy = g.y - h.y;
          if (dx * dx + dy * dy < gap * gap) {
            var total = g.count + h.count;
            g.x = (g.x * g.count + h.x * h.count) / total; g.y = (g.y * g.count + h.y * h.count) / total;
            for (var key in h.types) { g.types[key] = (g.types[key] || 0) + h.types[key]; }
            g.count = total; groups[b] = null; merged = true;
          }
        }
      }
      groups = groups.filter(function (x) { return x; });
    }
    return groups;
  }

  var Layer = L.Layer.extend({
    onAdd: function (map) {
      this.map = map;
      this.canvas = L.DomUtil.create('canvas', 'cm-carriers leaflet-zoom-hide');
      this.canvas.style.pointerEvents = 'none';
      if (options.interactive === false) { this.canvas.style.opacity = '0.5'; }  /* orientation only: subdued */
      this.canvas.dataset.total = ready ? String(n) : '';
      var pane = map.getPane('cmCarriers');
      if (!pane) {  /* above districts and corridors (400), below markers and tooltips */
        pane = map.createPane('cmCarriers');
        pane.style.zIndex = 450; pane.style.pointerEvents = 'none';
      }
      pane.appendChild(this.canvas);
      this.tip = L.DomUtil.create('div', 'cm-carrier-tip', map.getContainer());
      this.tip.style.cssText = 'position:absolute;z-index:1000;pointer-events:none;display:none;' +
        'background:#fff;border:1px solid #bbb;border-radius:4px;padding:2px 6px;font:12px sans-serif;' +
        'box-shadow:0 1px 4px rgba(0,0,0,.25);white-space:nowrap';
      map.on('moveend resize', this.redraw, this);
      map.on('click', this.onClick, this);
      map.on('mousemove', this.onMove, this);
      if (options.selected !== undefined && options.selected !== null) { this.selected = options.selected; }
      window.cmCarriers = this;
      if (ready) { this.redraw(); return; }
      var self = this;
      cmPayload(options.src, function (decoded) {
        use(decoded);
        if (self.map) { self.canvas.dataset.total = String(n); self.redraw(); }
      });
    },
    onRemove: function (map) {
      map.off('moveend resize', this.redraw, this);
      map.off('click', this.onClick, this);
      map.off('mousemove', this.onMove, this);
      L.DomUtil.remove(this.canvas);
      L.DomUtil.remove(this.tip);
      this.map = null;
      if (window.cmCarriers === this) { window.cmCarriers = null; }
    },
    redraw: function () {
      if (!ready || !this.map) { return; }
      var map = this.map, size = map.getSize(), z = map.getZoom();
      var ratio = window.devicePixelRatio || 1, canvas = this.canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + 'px'; canvas.style.height = size.y + 'px';
      var ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var world = 256 * Math.pow(2, z), origin = map.getPixelBounds().min;
      var pad = cell, cells = new Map(), drawn = [];
      for (var i = 0; i < n; i++) {
        var x = wx[i] * world - origin.x, y = wy[i] * world - origin.y;
        if (x < -pad || y < -pad || x > size.x + pad || y > size.y + pad) { continue; }
        if (z >= singleZoom) { drawn.push({x: x, y: y, count: 1, i: i}); continue; }
        var key = Math.floor((x + origin.x) / cell) * 1e7 + Math.floor((y + origin.y) / cell);
        var c = cells.get(key);
        if (!c) { c = {sx: 0, sy: 0, count: 0, i: i, types: {}}; cells.set(key, c); }
        c.sx += x; c.sy += y; c.count += 1; c.types[data.t[i]] = (c.types[data.t[i]] || 0) + 1;
      }
      var groups = [];
      cells.forEach(function (c) {
        groups.push({x: c.sx / c.count, y: c.sy / c.count, count: c.count, i: c.i, types: c.types});
      });
      drawn = drawn.concat(apart(groups));
      var clusters = 0, singles = 0;
      for (var k = 0; k < drawn.length; k++) {
        var d = drawn[k];
        if (d.count === 1) { singles++; this.dot(ctx, d); } else { clusters++; this.bubble(ctx, d); }
      }
      this.ring = null;
      if (this.selected !== undefined && this.selected !== null && index[this.selected] !== undefined) {
        var s = index[this.selected], rx = wx[s] * world - origin.x, ry = wy[s] * world - origin.y;
        if (rx >= 0 && ry >= 0 && rx <= size.x && ry <= size.y) {
          ctx.beginPath(); ctx.arc(rx, ry, 14, 0, 2 * Math.PI);
          ctx.lineWidth = 6; ctx.strokeStyle = '#fff'; ctx.stroke();
          ctx.lineWidth = 3; ctx.strokeStyle = '#e6007e'; ctx.stroke();
          this.ring = {x: rx, y: ry, id: this.selected};
        }
      }
      canvas.dataset.selected = this.ring ? String(this.ring.id) : '';
      this.drawn = drawn;
      this.counts = {singles: singles, clusters: clusters, shown: n};
      canvas.dataset.singles = String(singles);
      canvas.dataset.clusters = String(clusters);
    },
    dot: function (ctx, d) {
      d.r = 6;
      ctx.beginPath(); ctx.arc(d.x, d.y, d.r, 0, 2 * Math.PI);
      ctx.fillStyle = data.types[data.t[d.i]][0]; ctx.fill();
      ctx.lineWidth = ids[d.i] === this.selected ? 3 : 1.5;
      ctx.strokeStyle = ids[d.i] === this.selected ? '#111' : '#fff'; ctx.stroke();
    },
    bubble: function (ctx, d) {
      var best = 0, most = -1;
      for (var t in d.types) { if (d.types[t] > most) { most = d.types[t]; best = t; } }
      d.r = radiusOf(d.count) - 3;
      ctx.beginPath(); ctx.arc(d.x, d.y, d.r + 3, 0, 2 * Math.PI);
      ctx.fillStyle = 'rgba(255,255,255,0.75)'; ctx.fill();
      ctx.beginPath(); ctx.arc(d.x, d.y, d.r, 0, 2 * Math.PI);
      ctx.fillStyle = data.types[best][0]; ctx.globalAlpha = 0.9; ctx.fill(); ctx.globalAlpha = 1;
      ctx.fillStyle = readableOn(data.types[best][0]); ctx.font = 'bold 12px sans-serif';
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      var label = d.count >= 10000 ? Math.round(d.count / 1000) + 'k'
        : d.count >= 1000 ? (d.count / 1000).toFixed(1) + 'k' : String(d.count);
      ctx.fillText(label, d.x, d.y);
    },
    hit: function (point) {
      var found = null, best = Infinity;
      for (var k = 0; k < (this.drawn || []).length; k++) {
        var d = this.drawn[k], dx = d.x - point.x, dy = d.y - point.y, dist = dx * dx + dy * dy;
        if (dist <= (d.r + 3) * (d.r + 3) && dist < best) { best = dist; found = d; }
      }
      return found;
    },
    onMove: function (e) {
      var d = this.hit(e.containerPoint);
      var box = this.map.getContainer();
      box.style.cursor = d ? 'pointer' : '';
      if (d) { L.DomUtil.addClass(box, 'cm-over-carrier'); } else { L.DomUtil.removeClass(box, 'cm-over-carrier'); }
      if (d && (d.count > 1 || data.names)) {
        this.tip.innerHTML = d.count > 1 ? options.clusterText.replace('{n}', String(d.count)) : data.names[d.i];
        this.tip.style.left = (e.containerPoint.x + 12) + 'px';
        this.tip.style.top = (e.containerPoint.y - 12) + 'px';
        this.tip.style.display = 'block';
      } else { this.tip.style.display = 'none'; }
    },
    onClick: function (e) {
      if (options.interactive === false) { return; }
      var d = this.hit(e.containerPoint);
      if (!d) { return; }
      if (d.count > 1) {
        var target = this.map.containerPointToLatLng([d.x, d.y]);
        this.map.setView(target, Math.min(this.map.getZoom() + 2, this.map.getMaxZoom()));
        return;
      }
      this.select(ids[d.i]);
    },
    select: function (id) {
      var i = index[id];
      if (i === undefined) { return; }
      this.selected = id;
      this.redraw();
      var text = 'carrier:' + id;
      var holder = {getTooltip: function () { return {getContent: function () { return text; }}; },
                    _tooltip: {_content: text}};
      this.fire('click', {latlng: L.latLng(lat[i], lon[i]), sourceTarget: holder});
    },
    /* For tests and the page: where a carrier is drawn. */
    latLngOf: function (id) {
      var i = index[id];
      return i === undefined ? null : [lat[i], lon[i]];
    },
    pointOf: function (id) {
      var ll = this.latLngOf(id);
      if (!ll) { return null; }
      var p = this.map.latLngToContainerPoint(ll);
      return [p.x, p.y];
    },
    focus: function (id, zoom) {
      var ll = this.latLngOf(id), self = this;
      if (!ll) { return; }
      if (this.map._animatingZoom) {  /* let a running zoom animation end first */
        this.map.once('zoomend', function () { self.focus(id, zoom); });
        return;
      }
      this.map.setView(ll, zoom || singleZoom, {animate: false});
    }
  });
  return new Layer();
}
