/* Incident Atlas offline context: rivers and lakes, district outlines, place labels by zoom, and the
 * locator inset of snapshots. Data comes from geo/map/context.py. Labels are placed greedily, most
 * important first, in screen space: a label that would overlap another label or an incident marker is
 * left out. Every name reaches the page through textContent. */
(function () {
  'use strict';

  var CHAR_W = 6.8, LINE_H = 15, DOT = 5, MAX_LABELS = 450;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  /* A grid of occupied screen boxes for fast overlap tests. */
  function Occupancy(cell) {
    var grid = {};
    function keys(b) {
      var out = [];
      for (var x = Math.floor(b[0] / cell); x <= Math.floor(b[2] / cell); x++) {
        for (var y = Math.floor(b[1] / cell); y <= Math.floor(b[3] / cell); y++) out.push(x + ':' + y);
      }
      return out;
    }
    this.hits = function (b) {
      var ks = keys(b);
      for (var i = 0; i < ks.length; i++) {
        var list = grid[ks[i]];
        if (!list) continue;
        for (var j = 0; j < list.length; j++) {
          var o = list[j];
          if (b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]) return true;
        }
      }
      return false;
    };
    this.add = function (b) {
      keys(b).forEach(function (k) { (grid[k] || (grid[k] = [])).push(b); });
    };
  }

  function textMarker(latlng, text, cls, pane, anchor, width) {
    var span = el('span', null, text);
    if (width) span.style.width = width.toFixed(0) + 'px';
    return L.marker(latlng, {pane: pane, interactive: false, keyboard: false,
                             icon: L.divIcon({className: 'ia-ctx ' + cls, html: span, iconSize: null,
                                              iconAnchor: anchor || null})});
  }

  /* Build the context layers on ``map``; ``markerPoints()`` gives the incident marker positions to avoid. */
  function add(map, ctx, opts, markerPoints) {
    opts = opts || {};
    var layers = {};
    map.createPane('iaWater').style.zIndex = 240;
    var placePane = map.createPane('iaPlaces');
    placePane.style.zIndex = 440; placePane.style.pointerEvents = 'none';

    // water: lakes filled, rivers as lines (thicker when named)
    function shapesOnly(f) { return f.geometry && f.geometry.type !== 'Point' && f.geometry.type !== 'MultiPoint'; }
    var water = L.geoJSON(ctx.water || {type: 'FeatureCollection', features: []}, {
      pane: 'iaWater', interactive: false, filter: shapesOnly,
      style: function (f) {
        return f.properties.kind === 'lake'
          ? {color: '#7fb3d5', weight: 0.8, fillColor: '#b9d8ee', fillOpacity: 1}
          : {color: '#6fa8dc', weight: f.properties.name ? 2 : 1.2, opacity: 0.9};
      }
    });
    water.addTo(map);
    layers.water = water;

    // districts: solid thin lines from zoom 8 (governorates stay dashed, drawn by atlas.js)
    var districtLines = L.geoJSON(ctx.districts || {type: 'FeatureCollection', features: []}, {
      pane: 'iaOutlines', interactive: false, filter: shapesOnly,
      style: function () { return {color: '#6e5a45', weight: 1.6, opacity: 0.85, fill: false}; }
    });
    layers.districts = districtLines;
    var districtMinZoom = opts.districtMinZoom || 8;

    // label candidates: places by rank, then district and water names
    var P = ctx.places || {name: [], x: [], y: [], t: [], cs: 1, minZoom: []};
    var candidates = [];
    (ctx.districts && ctx.districts.features || []).forEach(function (f) {
      if (f.properties.name && f.properties.lp) {
        candidates.push({name: f.properties.name, lat: f.properties.lp[0], lon: f.properties.lp[1],
                         minZoom: districtMinZoom, kind: 'district', order: 1.5});
      }
    });
    var riverNamed = {};
    (ctx.water && ctx.water.features || []).forEach(function (f) {
      var name = f.properties.name;
      if (!name) return;
      var c = f.geometry.coordinates, pt;
      if (f.geometry.type === 'LineString') {
        if (riverNamed[name] && riverNamed[name] >= c.length) return;
        riverNamed[name] = c.length;
        pt = c[Math.floor(c.length / 2)];
      } else {
        var ring = c[0], sx = 0, sy = 0;
        ring.forEach(function (p) { sx += p[0]; sy += p[1]; });
        pt = [sx / ring.length, sy / ring.length];
      }
      candidates = candidates.filter(function (k) { return !(k.kind === 'water' && k.name === name); });
      candidates.push({name: name, lat: pt[1], lon: pt[0], minZoom: f.properties.kind === 'lake' ? 8 : 7,
                       kind: 'water', order: 1.2});
    });
    for (var i = 0; i < P.name.length; i++) {
      var tier = P.t[i];
      candidates.push({name: P.name[i], lat: P.y[i] / P.cs, lon: P.x[i] / P.cs, minZoom: P.minZoom[tier] || 10,
                       kind: 'place t' + tier, order: tier < 2 ? tier : tier + 1, dot: true});
    }
    candidates.sort(function (a, b) { return a.order - b.order; });  // stable: places keep their rank

    var labels = L.layerGroup([], {pane: 'iaPlaces'});
    labels.addTo(map);
    layers.labels = labels;
    var shown = [];

    function place() {
      labels.clearLayers();
      shown = [];
      var z = map.getZoom(), size = map.getSize(), occ = new Occupancy(64);
      if (z >= districtMinZoom) { if (!map.hasLayer(districtLines)) districtLines.addTo(map); }
      else if (map.hasLayer(districtLines)) map.removeLayer(districtLines);
      if (opts.labels === false) return;
      var pad = 4;
      (markerPoints ? markerPoints() : []).forEach(function (p) {
        var q = map.latLngToContainerPoint(p.latlng).add([p.dx || 0, p.dy || 0]), r = p.radius || 13;
        occ.add([q.x - r, q.y - r, q.x + r, q.y + r]);
      });
      (opts.avoidBoxes ? opts.avoidBoxes() : []).forEach(function (b) { occ.add(b); });
      var frame = map.getContainer().getBoundingClientRect();  // never under a control (legend, inset, ...)
      Array.prototype.forEach.call(map.getContainer().querySelectorAll('.leaflet-control'), function (c) {
        var r = c.getBoundingClientRect();
        if (r.width && r.height) occ.add([r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top]);
      });
      (opts.captions ? opts.captions() : []).forEach(function (c) {  // names under fanned-out stacks
        var q = map.latLngToContainerPoint(c.latlng), w = c.name.length * 7.2 + 4;
        if (q.x < -50 || q.y < -20 || q.x > size.x + 50 || q.y > size.y + 20) return;
        var box = [q.x - w / 2, q.y + c.dy, q.x + w / 2, q.y + c.dy + LINE_H];
        if (occ.hits(box)) return;
        occ.add(box);
        textMarker(c.latlng, c.name, 'ia-ctx-caption', 'iaPlaces', [w / 2, -c.dy], w).addTo(labels);
      });
      for (var k = 0; k < candidates.length && shown.length < MAX_LABELS; k++) {
        var c = candidates[k];
        if (c.minZoom > z) continue;
        var q = map.latLngToContainerPoint([c.lat, c.lon]);
        if (q.x < -50 || q.y < -20 || q.x > size.x + 50 || q.y > size.y + 20) continue;
        var w = c.name.length * (c.kind.indexOf('t0') > 0 ? 8.6 : c.kind.indexOf('t1') > 0 ? 7.8 : CHAR_W) + 4, hgt = LINE_H;
        var dotBox = c.dot ? [q.x - DOT, q.y - DOT, q.x + DOT, q.y + DOT] : null;
        if (dotBox && occ.hits(dotBox)) continue;
        // try right of the dot, then left, then above (centred names for districts and water)
        var options = c.dot
          ? [[q.x + DOT + 1, q.y - hgt / 2, 'r'], [q.x - DOT - 1 - w, q.y - hgt / 2, 'l'], [q.x - w / 2, q.y - DOT - hgt, 't']]
          : [[q.x - w / 2, q.y - hgt / 2, 'c']];
        var chosen = null;
        for (var o = 0; o < options.length; o++) {
          var box = [options[o][0] - pad, options[o][1], options[o][0] + w + pad, options[o][1] + hgt];
          if (!occ.hits(box)) { chosen = [box, options[o][2]]; break; }
        }
        if (!chosen) continue;
        occ.add(chosen[0]);
        if (dotBox) occ.add(dotBox);
        var b = chosen[0];
        // anchor the divIcon so that its top-left lands on the box (container point -> icon anchor)
        var anchor = [q.x - (b[0] + pad), q.y - b[1]];
        var cls = 'ia-ctx-' + c.kind.split(' ')[0] + ' ' + c.kind.split(' ').slice(1).map(function (t) { return 'ia-ctx-' + t; }).join(' ');
        textMarker([c.lat, c.lon], c.name, cls + (c.dot ? ' ia-ctx-dot-' + chosen[1] : ''), 'iaPlaces', anchor, w).addTo(labels);
        shown.push(c.name);
      }
      map.getContainer().setAttribute('data-atlas-labels', String(shown.length));
    }
    // Labels are placed once the incident markers are in (``place()`` from atlas.js), then after every
    // move, at most once per frame.
    var armed = false, pending = false;
    function schedule() {
      if (!armed || pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; place(); });
    }
    map.on('moveend resize', schedule);
    layers.place = function () { armed = true; place(); };
    layers.shownLabels = function () { return shown.slice(); };
    return layers;
  }

  /* Locator inset (snapshots): Syria's outline with the map's frame drawn on it. */
  function locator(map, outlines) {
    var C = L.Control.extend({options: {position: 'bottomleft'}, onAdd: function () {
      var box = el('div', 'ia-locator');
      var sy = null;
      (outlines.features || []).forEach(function (f) { if (f.properties.level === 'country' && f.properties.id === 'SY') sy = f; });
      if (!sy) return box;
      var W = 150, H = 130, b = L.geoJSON(sy).getBounds().pad(0.05);
      var x0 = b.getWest(), x1 = b.getEast(), y0 = b.getSouth(), y1 = b.getNorth();
      var s = Math.min(W / (x1 - x0), H / (y1 - y0));
      function px(lon, lat) { return [(lon - x0) * s, (y1 - lat) * s]; }
      var rings = sy.geometry.type === 'Polygon' ? [sy.geometry.coordinates] : sy.geometry.coordinates;
      var d = '';
      rings.forEach(function (poly) {
        poly.forEach(function (ring) {
          ring.forEach(function (p, k) { var q = px(p[0], p[1]); d += (k ? 'L' : 'M') + q[0].toFixed(1) + ' ' + q[1].toFixed(1); });
          d += 'Z';
        });
      });
      var v = map.getBounds(), a = px(v.getWest(), v.getNorth()), c = px(v.getEast(), v.getSouth());
      var fx = Math.max(0, a[0]), fy = Math.max(0, a[1]);
      var fw = Math.max(3, Math.min((x1 - x0) * s, c[0]) - fx), fh = Math.max(3, Math.min((y1 - y0) * s, c[1]) - fy);
      box.innerHTML = '<svg width="' + ((x1 - x0) * s).toFixed(0) + '" height="' + ((y1 - y0) * s).toFixed(0) +
        '" aria-label="locator map of Syria"><path d="' + d + '" fill="#f3f1ea" stroke="#666" stroke-width="0.8"/>' +
        '<rect x="' + fx.toFixed(1) + '" y="' + fy.toFixed(1) + '" width="' + fw.toFixed(1) + '" height="' + fh.toFixed(1) +
        '" fill="#d62728" fill-opacity="0.15" stroke="#d62728" stroke-width="1.6"/></svg>';
      return box;
    }});
    return new C();
  }

  window.IncidentAtlasContext = {add: add, locator: locator};
})();
