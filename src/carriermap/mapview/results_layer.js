/* carriermap: ranked find-space results as numbered badges on one canvas (one light layer).
 *
 * makeResultsLayer(data, dots, options): `data` = {lat:[], lon:[], rank:[], tips:[]} (tips already
 * HTML-escaped by the server). Badges (the nearest results) are placed in rank order; a badge
 * that would overlap one already placed is moved outwards on a spiral until it is free and
 * joined to its true point by a thin line, so no number hides another. Hover shows the result's
 * tooltip. The results beyond the badges are small dots underneath: `dots` = {scale, lat:[], lon:[]},
 * integers (degrees times `scale`) delta-encoded. Every point is projected to web-mercator units
 * once, so a redraw is arithmetic (no Leaflet object per dot).
 */
function cmMercator(lat, lon) {  /* (lat, lon) in degrees -> web-mercator units of a 1 px world */
  var s = Math.sin(lat * Math.PI / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)];
}

function makeResultsLayer(data, dots, options) {
  var n = data.rank.length, R = options.radiusPx || 11, m = dots.lat.length;
  var badgeX = new Float64Array(n), badgeY = new Float64Array(n), dotX = new Float64Array(m), dotY = new Float64Array(m);
  for (var a = 0; a < n; a++) { var w = cmMercator(data.lat[a], data.lon[a]); badgeX[a] = w[0]; badgeY[a] = w[1]; }
  for (var b = 0, lat = 0, lon = 0; b < m; b++) {
    lat += dots.lat[b]; lon += dots.lon[b];
    var v = cmMercator(lat / dots.scale, lon / dots.scale); dotX[b] = v[0]; dotY[b] = v[1];
  }
  var Layer = L.Layer.extend({
    onAdd: function (map) {
      this.map = map;
      this.canvas = L.DomUtil.create('canvas', 'cm-results leaflet-zoom-hide');
      this.canvas.style.pointerEvents = 'none';
      var pane = map.getPane('cmResults');
      if (!pane) { pane = map.createPane('cmResults'); pane.style.zIndex = 460; pane.style.pointerEvents = 'none'; }
      pane.appendChild(this.canvas);
      this.tip = L.DomUtil.create('div', 'cm-result-tip', map.getContainer());
      this.tip.style.cssText = 'position:absolute;z-index:1000;pointer-events:none;display:none;background:#fff;' +
        'border:1px solid #bbb;border-radius:4px;padding:2px 6px;font:12px sans-serif;white-space:nowrap;' +
        'box-shadow:0 1px 4px rgba(0,0,0,.25)';
      map.on('moveend resize zoomend', this.redraw, this);
      map.on('mousemove', this.onMove, this);
      this.redraw();
      window.cmResults = this;
    },
    onRemove: function (map) {
      map.off('moveend resize zoomend', this.redraw, this);
      map.off('mousemove', this.onMove, this);
      L.DomUtil.remove(this.canvas); L.DomUtil.remove(this.tip);
      if (window.cmResults === this) { window.cmResults = null; }
    },
    redraw: function () {
      var map = this.map, size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this.canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + 'px'; canvas.style.height = size.y + 'px';
      var ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var world = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelBounds().min;
      ctx.fillStyle = options.colour; ctx.globalAlpha = 0.55;
      for (var d = 0; d < m; d++) {
        var qx = dotX[d] * world - origin.x, qy = dotY[d] * world - origin.y;
        if (qx < -4 || qy < -4 || qx > size.x + 4 || qy > size.y + 4) { continue; }
        ctx.beginPath(); ctx.arc(qx, qy, 3, 0, 2 * Math.PI); ctx.fill();
      }
      ctx.globalAlpha = 1;
      var placed = [], gap = 2 * R + 2;
      for (var i = 0; i < n; i++) {
        var p = {x: badgeX[i] * world - origin.x, y: badgeY[i] * world - origin.y}, x = p.x, y = p.y, step = 0;
        while (step < 400 && placed.some(function (q) { var dx = q.x - x, dy = q.y - y; return dx * dx + dy * dy < gap * gap; })) {
          step++;  /* Archimedean spiral around the true point */
          var angle = step * 0.9, dist = gap * 0.55 * Math.sqrt(step) + gap * 0.5;
          x = p.x + dist * Math.cos(angle); y = p.y + dist * Math.sin(angle);
        }
        placed.push({x: x, y: y, px: p.x, py: p.y, i: i});
      }
      ctx.lineWidth = 1; ctx.strokeStyle = 'rgba(31,111,178,.8)';
      placed.forEach(function (b) {
        if (b.x !== b.px || b.y !== b.py) {
          ctx.beginPath(); ctx.moveTo(b.px, b.py); ctx.lineTo(b.x, b.y); ctx.stroke();
          ctx.beginPath(); ctx.arc(b.px, b.py, 2.5, 0, 2 * Math.PI); ctx.fillStyle = options.colour; ctx.fill();
        }
      });
      ctx.lineWidth = 1.5; ctx.strokeStyle = '#fff';  /* the font is parsed once, not once per badge */
      ctx.font = 'bold 11px sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      for (var k = placed.length - 1; k >= 0; k--) {  /* rank 1 painted last: on top */
        var b = placed[k];
        ctx.beginPath(); ctx.arc(b.x, b.y, R, 0, 2 * Math.PI);
        ctx.fillStyle = options.colour; ctx.fill(); ctx.stroke();
        ctx.fillStyle = '#fff';
        ctx.fillText(String(data.rank[b.i]), b.x, b.y);
      }
      this.placed = placed; this.radius = R;
      canvas.dataset.count = String(n + m);
    },
    onMove: function (e) {
      var best = null, bestDist = R * R;
      (this.placed || []).forEach(function (b) {
        var dx = b.x - e.containerPoint.x, dy = b.y - e.containerPoint.y, d = dx * dx + dy * dy;
        if (d <= bestDist) { bestDist = d; best = b; }
      });
      if (best) {
        this.tip.innerHTML = data.tips[best.i];
        this.tip.style.left = (e.containerPoint.x + 12) + 'px'; this.tip.style.top = (e.containerPoint.y - 12) + 'px';
        this.tip.style.display = 'block';
      } else { this.tip.style.display = 'none'; }
    }
  });
  return new Layer();
}
