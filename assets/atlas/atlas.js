/* Incident Atlas map layer: offline outlines, one marker per incident (clustered only when many),
 * region-level incidents drawn as hatched areas, popups, legend, north arrow and title panel.
 * Data comes from geo/_map_payload.py (compact column JSON). Every user string reaches the page
 * through textContent or a checked attribute, never through innerHTML. */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PRECISION_TEXT = {1: 'exact place', 2: 'approximate (near a place / part of a region)', 3: 'region only'};
  var TIME_TEXT = {1: '', 2: 'approximate: week or span', 3: 'approximate: month'};

  function h(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null && text !== '') node.textContent = String(text);
    return node;
  }

  function isoDay(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  function safeHref(url) {
    return /^https?:\/\/[^\s"'<>`]+$/i.test(url || '') ? url : '';
  }

  function escapeXml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  /* Row access over the column payload. */
  function Rows(data) {
    var n = data.n, days = new Int32Array(n), d = data.d, acc = data.d0, undated = {};
    for (var i = 0; i < n; i++) { acc += d[i]; days[i] = acc; }
    (data.nd || []).forEach(function (k) { undated[k] = true; });
    function dense(pairs, fill) {  // [row, value, row, value...] -> full column
      var out = new Int32Array(n);
      if (fill) out.fill(fill);
      for (var k = 0; k + 1 < pairs.length; k += 2) out[pairs[k]] = pairs[k + 1];
      return out;
    }
    var span = dense(data.de, 0), tp = dense(data.tp, 1), fat = dense(data.f, 0), cnt = dense(data.c, 1), url = dense(data.u, 0);
    // the stored passage ('' = the notes) and the sentence in it the incident was read from (sparse triples)
    var passage = {}, sentence = {};
    for (var q = 0; q + 2 < (data.sp || []).length; q += 3) { passage[data.sp[q]] = data.sp[q + 1]; sentence[data.sp[q]] = data.sp[q + 2]; }
    var S = data.s, P = data.P, T = data.T, A = data.A, C = data.C, xy = data.xy, cs = data.cs;
    this.n = n;
    this.lat = function (i) { return C[xy[i] * 2] / cs; };
    this.lon = function (i) { return C[xy[i] * 2 + 1] / cs; };
    this.precision = function (i) { return P[data.p[i] * 5 + 3] || 1; };
    this.region = function (i) { return S[P[data.p[i] * 5 + 4]]; };
    this.typeIndex = function (i) { return data.t[i]; };
    this.place = function (i) { return S[P[data.p[i] * 5]] || S[P[data.p[i] * 5 + 1]] || ''; };
    this.day = function (i) { return undated[i] ? 'date unknown' : isoDay(days[i]); };
    this.startDay = function (i) { return undated[i] ? null : days[i]; };
    this.spanDays = function (i) { return span[i]; };
    this.type = function (k) {
      return {eventType: S[T[k * 4]], subType: S[T[k * 4 + 1]], kind: S[T[k * 4 + 2]], icon: S[T[k * 4 + 3]]};
    };
    this.get = function (i) {
      var p = data.p[i] * 5, a = data.a[i] * 4, ty = this.type(data.t[i]);
      return {
        id: data.id[i], start: undated[i] ? null : days[i], span: span[i], timePrecision: tp[i],
        eventType: ty.eventType, subType: ty.subType, kind: ty.kind, icon: ty.icon,
        actor1: S[A[a]], assoc1: S[A[a + 1]], actor2: S[A[a + 2]], assoc2: S[A[a + 3]],
        lat: this.lat(i), lon: this.lon(i), location: S[P[p]], admin1: S[P[p + 1]],
        country: S[P[p + 2]], precision: P[p + 3] || 1, region: S[P[p + 4]],
        fatalities: fat[i], count: cnt[i], source: S[data.src[i]], url: S[url[i]],
        notes: data.no.length ? data.no[i] : '', passage: passage[i] || '', sentence: sentence[i] || ''
      };
    };
  }

  /* ---- icons ---------------------------------------------------------------------------- */
  function IconMaker(cfg) {
    var cache = {};
    var glyphs = cfg.icons, colors = cfg.colors;
    function colorOf(eventType) { return colors[eventType] || '#555555'; }
    this.colorOf = colorOf;
    this.svg = function (stem, eventType, precision, highlighted) {
      var color = colorOf(eventType), glyph = glyphs[stem] || glyphs.other || '';
      var size = precision === 2 ? 36 : 28, c = size / 2, r = 11, parts = [];
      parts.push('<svg xmlns="' + SVG_NS + '" width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + ' ' + size + '">');
      if (highlighted) {
        parts.push('<circle cx="' + c + '" cy="' + c + '" r="' + (c - 0.5) + '" fill="#ffd400" fill-opacity="0.85" stroke="#111" stroke-width="1"/>');
      }
      if (precision === 2) {  // dashed halo: the place is only approximately known
        parts.push('<circle cx="' + c + '" cy="' + c + '" r="' + (c - 2) + '" fill="' + color + '" fill-opacity="0.18" stroke="' + color +
          '" stroke-width="2" stroke-dasharray="4 3"/>');
      }
      if (precision === 3) {  // rounded square with a dotted edge: stands for a whole area
        parts.push('<rect x="' + (c - r) + '" y="' + (c - r) + '" width="' + 2 * r + '" height="' + 2 * r + '" rx="4" fill="' + color +
          '" stroke="#ffffff" stroke-width="2" stroke-dasharray="2 2"/>');
      } else {
        parts.push('<circle cx="' + c + '" cy="' + c + '" r="' + r + '" fill="' + color + '" stroke="#ffffff" stroke-width="1.5"/>');
      }
      var scale = (2 * r - 2) / 29;
      parts.push('<g transform="translate(' + c + ' ' + c + ') scale(' + scale.toFixed(3) + ') translate(-16 -16)">' + glyph + '</g></svg>');
      return parts.join('');
    };
    this.url = function (stem, eventType, precision, highlighted) {
      return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(this.svg(stem, eventType, precision, highlighted));
    };
    this.icon = function (typeKey, ty, precision, highlighted, offset) {
      var dx = offset ? offset[0] : 0, dy = offset ? offset[1] : 0;
      var key = typeKey + '|' + precision + '|' + (highlighted ? 1 : 0) + '|' + dx + '|' + dy;
      if (!cache[key]) {
        var size = precision === 2 ? 36 : 28;
        cache[key] = L.icon({
          iconUrl: this.url(ty.icon, ty.eventType, precision, highlighted),
          iconSize: [size, size], iconAnchor: [size / 2 - dx, size / 2 - dy], popupAnchor: [dx, dy - size / 2 + 4],
          className: 'ia-marker ia-p' + precision + (highlighted ? ' ia-highlight' : '')
        });
      }
      return cache[key];
    };
  }

  /* ---- popup ---------------------------------------------------------------------------- */
  function popupNode(r, icons, notesLimit) {
    var box = h('div', 'ia-popup');
    var head = h('div', 'ia-pop-head');
    var img = h('img', 'ia-pop-icon');
    img.src = icons.url(r.icon, r.eventType, 1, false);
    img.alt = '';
    head.appendChild(img);
    head.appendChild(h('span', 'ia-pop-kind', r.kind || r.subType || 'incident'));
    box.appendChild(head);
    var typeLine = [r.eventType, r.subType].filter(Boolean).join(' \u2014 ');
    if (typeLine) box.appendChild(h('div', 'ia-pop-type', typeLine));
    var table = h('table', 'ia-pop-table');
    function row(label, value) {
      if (value === undefined || value === null || value === '') return null;
      var tr = h('tr'), th = h('th', null, label), td = h('td');
      td.dir = 'auto';  // an Arabic place or actor reads right-to-left
      if (value instanceof Node) td.appendChild(value); else td.textContent = String(value);
      tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
      return tr;
    }
    var date = r.start === null ? 'unknown' : isoDay(r.start);
    if (r.start !== null && r.span > 0) date += ' \u2013 ' + isoDay(r.start + r.span);
    if (TIME_TEXT[r.timePrecision]) date += ' (' + TIME_TEXT[r.timePrecision] + ')';
    row('Date', date);
    var side1 = [r.actor1, r.assoc1].filter(Boolean).join('; '), side2 = [r.actor2, r.assoc2].filter(Boolean).join('; ');
    row('Actors', side2 ? side1 + '  vs  ' + side2 : side1);
    var where = [r.location, r.admin1, r.country].filter(Boolean).join(', ');
    row('Location', where || (r.region || ''));
    row('Precision', (PRECISION_TEXT[r.precision] || String(r.precision)) + (r.region ? ' \u00b7 area ' + r.region : ''));
    row('Coordinates', r.lat.toFixed(4) + ', ' + r.lon.toFixed(4));
    row('Fatalities', r.fatalities >= 0 ? r.fatalities : 'unknown');
    if (r.count > 1) row('Count', r.count);
    row('Source', r.source);
    var href = safeHref(r.url);
    if (href) {
      var a = h('a', null, href.length > 60 ? href.slice(0, 57) + '\u2026' : href);
      a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer nofollow'; a.className = 'ia-pop-link';
      row('Link', a);
    }
    row('Event id', r.id);
    box.appendChild(table);
    if (r.notes) {
      box.appendChild(passageNode(r.passage || r.notes, r.sentence));
      if (notesLimit && r.notes.length >= notesLimit) {
        box.appendChild(h('div', 'ia-pop-trim', 'Notes shortened on this large map; filter to fewer incidents for the full text.'));
      }
    } else if (notesLimit === 0) {
      box.appendChild(h('div', 'ia-pop-trim', 'Notes are left out of maps this large; filter to fewer incidents to read them.'));
    }
    return box;
  }

  /* The stored passage (notes) as text, its extracted sentence in a <mark>; right-to-left when Arabic. */
  function passageNode(notes, sentence) {
    var box = h('div', 'ia-pop-notes');
    box.dir = 'auto';
    var at = sentence ? notes.indexOf(sentence) : -1;
    if (at < 0) { box.textContent = notes; return box; }
    box.appendChild(document.createTextNode(notes.slice(0, at)));
    var mark = h('mark', 'ia-pop-sentence', sentence);
    mark.title = 'The sentence this incident was read from';
    box.appendChild(mark);
    box.appendChild(document.createTextNode(notes.slice(at + sentence.length)));
    return box;
  }

  /* The dashboard's shared map-view box (?inview=1&bbox=W,S,E,N on the page holding this map), or null. */
  function sharedViewBox() {
    try {
      if (window.top === window) return null;
      var params = new URL(window.top.location.href).searchParams;
      if (['1', 'true', 'yes', 'on'].indexOf((params.get('inview') || '').toLowerCase()) < 0) return null;
      var v = (params.get('bbox') || '').split(',').map(Number);
      if (v.length !== 4 || v.some(function (x) { return !isFinite(x); }) || v[0] > v[2] || v[1] > v[3]) return null;
      return L.latLngBounds([v[1], v[0]], [v[3], v[2]]);
    } catch (e) { return null; }  // cross-origin parent
  }

  /* ---- controls ------------------------------------------------------------------------- */
  function control(position, build) {
    var C = L.Control.extend({options: {position: position}, onAdd: function () {
      var node = build();
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      return node;
    }});
    return new C();
  }

  function northArrow() {
    return control('topright', function () {
      var box = h('div', 'ia-north leaflet-bar');
      box.title = 'North';
      box.innerHTML = '<svg width="30" height="40" viewBox="0 0 30 40" aria-label="north arrow">' +
        '<path d="M15 3 L23 27 L15 22 L7 27 Z" fill="#222"/><path d="M15 3 L15 22 L7 27 Z" fill="#777"/>' +
        '<text x="15" y="38" text-anchor="middle" font-family="Atlas Sans, DejaVu Sans, Arial, sans-serif" font-size="11" font-weight="bold" fill="#222">N</text></svg>';
      return box;
    });
  }

  function legend(map, rows, icons, cfg, usedTypes, usedKinds, usedPrecisions, areaCount) {
    return control('bottomright', function () {
      var box = h('div', 'ia-legend');
      var head = h('div', 'ia-legend-title', 'Legend');
      box.appendChild(head);
      if (!cfg.options.snapshot) {
        head.classList.add('ia-toggle');
        head.title = 'Show or hide the legend';
        L.DomEvent.on(head, 'click', function () { box.classList.toggle('ia-collapsed'); });
        if (map.getContainer().clientHeight < 700) box.classList.add('ia-collapsed');
      }
      var types = cfg.typeOrder.filter(function (t) { return usedTypes[t]; });
      Object.keys(usedTypes).forEach(function (t) { if (types.indexOf(t) < 0) types.push(t); });
      types.forEach(function (t) {
        var item = h('div', 'ia-legend-item'), sw = h('span', 'ia-swatch');
        sw.style.background = icons.colorOf(t);
        item.appendChild(sw); item.appendChild(h('span', null, t || 'Unknown type'));
        box.appendChild(item);
      });
      var kinds = Object.keys(usedKinds).sort();
      if (kinds.length) box.appendChild(h('div', 'ia-legend-sub', 'Kind'));
      var grid = h('div', 'ia-legend-kinds');
      kinds.forEach(function (k) {
        var item = h('div', 'ia-legend-item'), img = h('img', 'ia-legend-icon');
        img.src = icons.url(usedKinds[k], '', 1, false); img.alt = '';
        item.appendChild(img); item.appendChild(h('span', null, k || 'other'));
        grid.appendChild(item);
      });
      box.appendChild(grid);
      if (!rows.n) {
        box.appendChild(h('div', 'ia-legend-item', 'No incidents match.'));
        return box;
      }
      box.appendChild(h('div', 'ia-legend-sub', 'Location precision'));
      [[1, 'exact place'], [2, 'approximate (dashed halo)'], [3, 'region only (hatched area)']].forEach(function (p) {
        if (!usedPrecisions[p[0]] && !(p[0] === 3 && areaCount)) return;
        var item = h('div', 'ia-legend-item'), img = h('img', 'ia-legend-icon');
        img.src = icons.url('other', '', p[0], false); img.alt = '';
        item.appendChild(img); item.appendChild(h('span', null, p[1]));
        box.appendChild(item);
      });
      return box;
    });
  }

  function titlePanel(meta) {
    return control('topleft', function () {
      var box = h('div', 'ia-title');
      if (meta.title) box.appendChild(h('div', 'ia-title-main', meta.title));
      if (meta.subtitle) box.appendChild(h('div', 'ia-title-sub', meta.subtitle));
      if (meta.filters) box.appendChild(h('div', 'ia-title-filters', meta.filters));
      if (meta.counts) box.appendChild(h('div', 'ia-title-filters', meta.counts));
      if (meta.generated) box.appendChild(h('div', 'ia-title-gen', meta.generated));
      return box;
    });
  }

  /* A text label in the label pane (not the marker pane, so it never counts as an incident marker).
   * Centred by CSS, so it needs no measuring (styles may load after this script in an iframe). */
  function textLabel(latlng, text, cls, title, pane) {
    var span = h('span', null, text);
    if (title) span.title = title;
    return L.marker(latlng, {pane: pane || 'iaLabels', interactive: false, keyboard: false,
                             icon: L.divIcon({className: 'ia-text ' + cls, html: span, iconSize: null})});
  }

  /* ---- hatch patterns for region-level incidents --------------------------------------- */
  function hatchDefs(map, colors) {
    var holder = document.createElementNS(SVG_NS, 'svg');
    holder.setAttribute('class', 'ia-defs');
    holder.setAttribute('width', '0'); holder.setAttribute('height', '0');
    holder.style.position = 'absolute';
    var defs = document.createElementNS(SVG_NS, 'defs');
    colors.forEach(function (color, k) {
      var pat = document.createElementNS(SVG_NS, 'pattern');
      pat.setAttribute('id', 'ia-hatch-' + k);
      pat.setAttribute('patternUnits', 'userSpaceOnUse');
      pat.setAttribute('width', '8'); pat.setAttribute('height', '8');
      pat.setAttribute('patternTransform', 'rotate(45)');
      var bg = document.createElementNS(SVG_NS, 'rect');
      bg.setAttribute('width', '8'); bg.setAttribute('height', '8');
      bg.setAttribute('fill', color); bg.setAttribute('fill-opacity', '0.08');
      var line = document.createElementNS(SVG_NS, 'rect');
      line.setAttribute('width', '2.5'); line.setAttribute('height', '8');
      line.setAttribute('fill', color); line.setAttribute('fill-opacity', '0.45');
      pat.appendChild(bg); pat.appendChild(line); defs.appendChild(pat);
    });
    holder.appendChild(defs);
    map.getContainer().appendChild(holder);
  }

  /* ---- main ----------------------------------------------------------------------------- */
  /* ---- large-view mode: exact counts per grid cell as bubbles (cfg.agg from geo/map/payload.py) ---- */
  function aggregateLayer(map, cfg, icons) {
    var agg = cfg.agg, layer = L.featureGroup(), cs = agg.cs || 10000, total = 0, used = {};
    map.createPane('iaAgg').style.zIndex = 620;
    function short(k) { return k >= 1e6 ? (k / 1e6).toFixed(1) + 'M' : k >= 1e4 ? Math.round(k / 1e3) + 'k' : String(k); }
    for (var i = 0; i < agg.k.length; i++) {
      var k = agg.k[i], type = agg.T[agg.t[i]] || '', color = icons.colorOf(type);
      var size = Math.round(24 + 9 * Math.log(k) / Math.LN10), ll = [agg.la[i] / cs, agg.lo[i] / cs];
      var bubble = h('div', 'ia-agg', short(k));
      bubble.setAttribute('data-count', String(k));
      bubble.title = k + (k === 1 ? ' incident' : ' incidents') + ' \u00b7 mostly ' + type + ' \u00b7 click to zoom in';
      bubble.style.cssText = 'width:' + size + 'px;height:' + size + 'px;border-radius:50%;font:600 11px sans-serif;' +
        'line-height:' + size + 'px;background:' + color + ';opacity:0.85;color:#fff;text-align:center;' +
        'box-shadow:0 0 0 2px rgba(255,255,255,0.8);cursor:pointer';
      var m = L.marker(ll, {pane: 'iaAgg', keyboard: false,
                            icon: L.divIcon({className: 'ia-agg-icon', html: bubble, iconSize: [size, size]})});
      m.on('click', (function (at) {
        return function () { map.setView(at, Math.min(map.getZoom() + 2, map.getMaxZoom())); };
      })(ll));
      m.addTo(layer);
      total += k; used[type] = true;
    }
    var note = control('bottomleft', function () {
      var box = h('div', 'ia-agg-note');
      box.style.cssText = 'background:rgba(255,255,255,0.92);padding:4px 8px;font:12px sans-serif;max-width:320px';
      box.appendChild(h('div', null, agg.pts !== undefined
        ? agg.pts.toLocaleString('en') + ' incidents in view, shown one by one.'
        : total.toLocaleString('en') + ' incidents in view, counted per area (zoom in for single incidents).'));
      if (agg.out) box.appendChild(h('div', 'ia-agg-outside', agg.out.toLocaleString('en') + ' outside the view.'));
      if (agg.nc) box.appendChild(h('div', null, agg.nc.toLocaleString('en') + ' without coordinates (not on the map).'));
      Object.keys(used).sort().forEach(function (t) {
        var row = h('div'), sw = h('span');
        sw.style.cssText = 'display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px;background:' + icons.colorOf(t);
        row.appendChild(sw); row.appendChild(document.createTextNode('mostly ' + t));
        box.appendChild(row);
      });
      if (agg.pts === undefined) box.appendChild(h('div', null, 'Region-level incidents are counted at their region\u2019s representative point.'));
      return box;
    });
    note.addTo(map);
    layer.addTo(map);
    map.getContainer().setAttribute('data-atlas-aggregate', String(total));
    map.getContainer().setAttribute('data-atlas-mode', agg.pts !== undefined ? 'points' : 'aggregate');
    return {layer: layer, total: total, outside: agg.out || 0, missing: agg.nc || 0};
  }

  function render(map, cfg) {
    var opts = cfg.options || {}, data = cfg.data, meta = cfg.meta || {};
    var t0 = Date.now(), timings = {};
    var rows = new Rows(data), icons = new IconMaker(cfg);
    var container = map.getContainer();
    var gen = map.__iaGen = (map.__iaGen || 0) + 1;  // a later drawing on the same map (swap.js) supersedes this one
    container.classList.add('ia-map');
    if (opts.snapshot) container.classList.add('ia-snapshot');

    map.createPane('iaOutlines').style.zIndex = 250;
    var labelPane = map.createPane('iaLabels');
    labelPane.style.zIndex = 450; labelPane.style.pointerEvents = 'none';
    var countPane = map.createPane('iaCounts');  // area counts stay readable above the markers
    countPane.style.zIndex = 650; countPane.style.pointerEvents = 'none';

    var attribution = meta.attribution || '';
    // Offline basemap: outlines in their own pane so they never count as incident shapes.
    var outlines = L.geoJSON(cfg.outlines, {
      pane: 'iaOutlines', attribution: attribution,
      style: function (f) {
        var country = f.properties.level === 'country';
        return country
          ? {color: '#6b6b6b', weight: 1.4, fill: true, fillColor: f.properties.id === 'SY' ? '#fbfaf6' : '#efede6', fillOpacity: 1}
          : {color: '#9a948a', weight: 0.8, dashArray: '4 3', fill: true, fillColor: '#ffffff', fillOpacity: 0};
      },
      onEachFeature: function (f, layer) {
        if (f.properties.level === 'admin1') {
          layer.bindTooltip(escapeXml(f.properties.name) + ' (' + escapeXml(f.properties.id) + ')', {sticky: true, className: 'ia-hover'});
        }
      }
    });
    outlines.addTo(map);
    var labels = L.layerGroup();
    cfg.outlines.features.forEach(function (f) {
      var p = f.properties;
      if (!p.lp || !p.name) return;
      if (p.level === 'country' && p.id === 'SY') return;  // the governorates already say where Syria is
      textLabel(p.lp, p.name, 'ia-label ia-label-' + p.level).addTo(labels);
    });
    labels.addTo(map);

    var tiles = L.tileLayer(opts.tileUrl || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 19, attribution: '\u00a9 OpenStreetMap contributors'});
    if (opts.tiles) tiles.addTo(map);

    // Region-level incidents: one hatched area per region id with its count.
    var byRegion = {}, usedTypes = {}, usedKinds = {}, usedPrecisions = {};
    var highlighted = {};
    (data.hl || []).forEach(function (i) { highlighted[i] = true; });
    var markers = new Array(rows.n);
    // Binding 100k popups up front costs ~0.5 s: above this size a marker gets its popup on first click.
    var hoverTitles = rows.n <= 20000 && !opts.snapshot;  // "kind · place · date" on hover (set as text)
    var lazyPopups = rows.n > (opts.lazyPopupsAbove === undefined ? 20000 : opts.lazyPopupsAbove);
    var typeCache = {};
    // Incidents at the same point fan out around it (one marker each, at every zoom); clustered maps
    // leave stacks to the cluster, which counts them and spiderfies them on click.
    var fanOut = rows.n <= (opts.clusterThreshold === undefined ? 500 : opts.clusterThreshold);
    var stacks = {}, stackOf = new Int32Array(rows.n), fanPos = new Int32Array(rows.n);
    for (var s0 = 0; s0 < rows.n; s0++) {
      var key = data.xy[s0];
      var st = stacks[key] || (stacks[key] = {n: 0, first: s0});
      stackOf[s0] = key; fanPos[s0] = st.n++;
    }
    function fanOffset(k, n) {  // pixel offset of the k-th of n markers around their shared point
      if (n <= 1 || !fanOut) return [0, 0];
      if (n <= 8) {
        var radius = Math.max(18, n * 30 / (2 * Math.PI)), a = -Math.PI / 2 + 2 * Math.PI * k / n;
        return [Math.round(radius * Math.cos(a)), Math.round(radius * Math.sin(a))];
      }
      var t = 1.2 + 0.55 * k, r = 14 + 5.2 * t;  // a spiral keeps many markers apart
      return [Math.round(r * Math.cos(t * 1.1)), Math.round(r * Math.sin(t * 1.1))];
    }
    function stackRadius(n) {
      if (n <= 8) return Math.max(18, n * 30 / (2 * Math.PI)) + 16;
      var t = 1.2 + 0.55 * (n - 1);
      return 14 + 5.2 * t + 16;
    }
    for (var i = 0; i < rows.n; i++) {
      var tk = rows.typeIndex(i), ty = typeCache[tk] || (typeCache[tk] = rows.type(tk));
      var prec = rows.precision(i);
      usedTypes[ty.eventType] = true; usedKinds[ty.kind] = ty.icon; usedPrecisions[prec] = true;
      var label = ty.kind || ty.subType || 'incident';
      var off = fanOffset(fanPos[i], stacks[stackOf[i]].n);
      var m = L.marker([rows.lat(i), rows.lon(i)], {
        icon: icons.icon(tk, ty, prec, highlighted[i], off), keyboard: false, riseOnHover: true,
        zIndexOffset: highlighted[i] ? 1000 : 0, alt: label,
        title: hoverTitles ? label + ' \u00b7 ' + rows.place(i) + ' \u00b7 ' + rows.day(i) : ''});
      m.iaIndex = i;
      if (!opts.snapshot && !lazyPopups) bindPopup(m, i);
      markers[i] = m;
      if (prec === 3) {
        var rid = rows.region(i);
        if (rid && cfg.regions[rid]) {
          var entry = byRegion[rid] || (byRegion[rid] = {count: 0, types: {}});
          entry.count++; entry.types[ty.eventType] = (entry.types[ty.eventType] || 0) + 1;
        }
      }
    }
    function bindPopup(m, i) {
      m.bindPopup(popupFor(i), {maxWidth: 360, minWidth: 220, className: 'ia-popup-wrap'});
    }
    function popupFor(i) {
      return function (source) {
        var node = popupNode(rows.get(i), icons, data.nl);
        if (source && source._popup && source.iaIndex === i) source._popup._content = node;  // readable by st_folium
        return node;
      };
    }

    var hatchColors = [], areas = L.featureGroup(), areaCount = 0;
    Object.keys(byRegion).sort().forEach(function (rid) {
      var entry = byRegion[rid], top = null;
      Object.keys(entry.types).forEach(function (t) { if (top === null || entry.types[t] > entry.types[top]) top = t; });
      var color = icons.colorOf(top), k = hatchColors.indexOf(color);
      if (k < 0) { k = hatchColors.length; hatchColors.push(color); }
      var shape = L.geoJSON({type: 'Feature', properties: {}, geometry: cfg.regions[rid]}, {
        style: {color: color, weight: 2, dashArray: '6 4', fillColor: 'url(#ia-hatch-' + k + ')', fillOpacity: 1},
        interactive: true
      });
      var label = h('span', null, entry.count + (entry.count === 1 ? ' incident' : ' incidents') + ' \u00b7 region-level');
      shape.bindTooltip(label, {sticky: true, className: 'ia-hover'});
      shape.addTo(areas);
      var center = shape.getBounds().getCenter();
      textLabel(center, '\u25A8 ' + entry.count, 'ia-area-count', rid + ': ' + entry.count + ' region-level incident(s)',
                'iaCounts').addTo(areas);
      areaCount++;
    });
    if (areaCount) hatchDefs(map, hatchColors);
    areas.addTo(map);

    // the dashed ring behind each fanned-out stack (its own pane: never counted as a marker)
    var stackRings = L.layerGroup();
    if (fanOut) {
      map.createPane('iaStacks').style.zIndex = 580;
      Object.keys(stacks).forEach(function (key) {
        var st = stacks[key];
        if (st.n < 2) return;
        var r = stackRadius(st.n), ring = h('div');
        ring.title = st.n + ' incidents at this point';
        // a large fan covers its town's own name: the incidents' place name is offered as a caption under it
        st.caption = st.n >= 3 ? rows.place(st.first) : '';
        st.radius = r;
        L.marker([rows.lat(st.first), rows.lon(st.first)], {pane: 'iaStacks', interactive: false, keyboard: false,
          icon: L.divIcon({className: 'ia-stack', html: ring, iconSize: [2 * r, 2 * r]})}).addTo(stackRings);
      });
    }
    stackRings.addTo(map);

    // offline context: water, districts, place names (kept clear of the incident markers)
    var context = null;
    function markerPoints() {
      if (clustered) return [];
      var out = [], hidden = window.__atlasHidden || null;
      for (var q = 0; q < rows.n; q++) {
        if (hidden && hidden[q]) continue;
        var o = fanOffset(fanPos[q], stacks[stackOf[q]].n);
        out.push({latlng: [rows.lat(q), rows.lon(q)], radius: 14, dx: o[0], dy: o[1]});
      }
      return out;
    }
    if (cfg.context && window.IncidentAtlasContext) {
      context = window.IncidentAtlasContext.add(map, cfg.context, {
        labels: opts.placeLabels !== false,
        captions: function () {  // placed first, under their fan, wherever they fit
          if (!fanOut || window.__atlasHidden) return [];
          var out = [];
          Object.keys(stacks).forEach(function (key) {
            var st = stacks[key];
            if (st.caption) out.push({name: st.caption, latlng: [rows.lat(st.first), rows.lon(st.first)], dy: st.radius + 2});
          });
          return out;
        },
        avoidBoxes: function () {  // the governorate names drawn by this file
          var out = [];
          cfg.outlines.features.forEach(function (f) {
            var p = f.properties;
            if (!p.lp || !p.name || p.level !== 'admin1') return;
            var q = map.latLngToContainerPoint(p.lp), w = p.name.length * 3.6 + 4;
            out.push([q.x - w, q.y - 8, q.x + w, q.y + 8]);
          });
          return out;
        }}, markerPoints);
    }

    timings.markers = Date.now() - t0;
    var threshold = opts.clusterThreshold === undefined ? 500 : opts.clusterThreshold;
    var clustered = rows.n > threshold && typeof L.markerClusterGroup === 'function';
    // Cluster bubble: the count inside a ring whose arcs show the mix of event types.
    function clusterIcon(cluster) {
      var children = cluster.getAllChildMarkers(), tally = {}, n = children.length;
      for (var c = 0; c < n; c++) {
        var t = typeCache[rows.typeIndex(children[c].iaIndex)].eventType;
        tally[t] = (tally[t] || 0) + 1;
      }
      var stops = [], acc = 0;
      cfg.typeOrder.concat(Object.keys(tally).filter(function (t) { return cfg.typeOrder.indexOf(t) < 0; }))
        .forEach(function (t) {
          if (!tally[t]) return;
          var from = acc; acc += tally[t] / n * 360;
          stops.push(icons.colorOf(t) + ' ' + from.toFixed(1) + 'deg ' + acc.toFixed(1) + 'deg');
        });
      var size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 46 : 54;
      var ring = h('div', 'ia-cluster');
      ring.style.background = 'conic-gradient(' + stops.join(',') + ')';
      ring.style.width = ring.style.height = size + 'px';
      ring.appendChild(h('span', null, n >= 10000 ? Math.round(n / 1000) + 'k' : String(n)));
      return L.divIcon({html: ring, className: 'ia-cluster-icon', iconSize: [size, size]});
    }
    var group, loading = false;  // markercluster also reports progress (0 of 0) when it is added to the map
    var beforeReady = null;
    function ready() {
      if (map.__iaGen !== gen) return;  // replaced while its clusters were still loading
      if (beforeReady) { var hook = beforeReady; beforeReady = null; hook(); }
      timings.ready = Date.now() - t0;
      window.__atlasTimings = timings;
      window.__atlasReady = true;
      container.setAttribute('data-atlas-ready', String(rows.n));
    }
    if (clustered) {
      group = L.markerClusterGroup({iconCreateFunction: clusterIcon, chunkedLoading: !opts.snapshot, chunkInterval: 400, chunkDelay: 15, showCoverageOnHover: false,
                                    maxClusterRadius: 45, spiderfyOnMaxZoom: true, removeOutsideVisibleBounds: true,
                                    animate: !opts.snapshot,
                                    chunkProgress: function (done, total) { if (loading && done >= total) ready(); }});
    } else {
      group = L.featureGroup();
    }
    container.setAttribute('data-atlas-incidents', String(rows.n));
    container.setAttribute('data-atlas-clustered', clustered ? '1' : '0');

    var overlays = {'Incidents': group, 'Region-level areas': areas, 'Outlines': outlines, 'Place labels': labels};
    if (context) {
      overlays['Place names'] = context.labels;
      overlays['Rivers and lakes'] = context.water;
    }
    overlays['OpenStreetMap tiles (online only)'] = tiles;
    if (!opts.snapshot) L.control.layers(null, overlays, {collapsed: true, position: 'topright'}).addTo(map);
    L.control.scale({position: 'bottomleft', maxWidth: opts.snapshot ? 220 : 140}).addTo(map);
    if (!opts.snapshot || opts.northArrow !== false) northArrow().addTo(map);
    if (meta.title || meta.subtitle || meta.filters || meta.generated) titlePanel(meta).addTo(map);
    if (opts.legend !== false) legend(map, rows, icons, cfg, usedTypes, usedKinds, usedPrecisions, areaCount).addTo(map);
    map.attributionControl && map.attributionControl.setPrefix('Leaflet');

    // Fit the view before adding markers so the cluster computes only what is visible.
    var bounds = L.latLngBounds([]);
    if (rows.n) {
      var minLat = 90, maxLat = -90, minLon = 180, maxLon = -180;
      for (var j = 0; j < rows.n; j++) {
        var la = rows.lat(j), lo = rows.lon(j);
        if (la < minLat) minLat = la; if (la > maxLat) maxLat = la;
        if (lo < minLon) minLon = lo; if (lo > maxLon) maxLon = lo;
      }
      bounds = L.latLngBounds([minLat, minLon], [maxLat, maxLon]);
      if (areaCount) bounds.extend(areas.getBounds());
    } else {
      outlines.eachLayer(function (l) {
        var f = l.feature;
        if (f && f.properties.level === 'country' && f.properties.id === 'SY') bounds.extend(l.getBounds());
      });
    }
    // A selected table row zooms the map to it; otherwise a shared link's map-view box is kept as is.
    var chosen = L.latLngBounds([]);
    if (!opts.snapshot && window.__iaZoomToSelection) {  // set by the dashboard's main map only
      (data.hl || []).forEach(function (i) { chosen.extend([rows.lat(i), rows.lon(i)]); });
    }
    var sharedBox = opts.snapshot || chosen.isValid() ? null : sharedViewBox();
    function fit() {
      if (opts.view) { map.setView([opts.view[0], opts.view[1]], opts.view[2], {animate: false}); return; }
      if (opts.fit === false) return;
      if (chosen.isValid()) {
        map.fitBounds(chosen.pad(0.1), {animate: false, maxZoom: 11, padding: [40, 40]});
      } else if (sharedBox) {
        map.fitBounds(sharedBox, {animate: false, padding: [0, 0]});
      } else if (bounds.isValid()) {
        map.fitBounds(bounds.pad(0.04), {animate: false, maxZoom: opts.maxFitZoom || 11, padding: [12, 12]});
      }
      container.setAttribute('data-atlas-fit', chosen.isValid() ? 'selection' : sharedBox ? 'shared-box' : 'data');
    }
    fit();
    // Inside an iframe the container often gets its final size after the script ran: follow it
    // (and keep the data in view) until the user moves the map.
    var touched = false;
    ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function (ev) {
      container.addEventListener(ev, function () { touched = true; }, {passive: true});
    });
    if (typeof ResizeObserver === 'function') {
      var lastSize = container.clientWidth + 'x' + container.clientHeight;
      if (container.__iaResize) container.__iaResize.disconnect();
      container.__iaResize = new ResizeObserver(function () {
        var size = container.clientWidth + 'x' + container.clientHeight;
        if (size === lastSize || !container.clientWidth || !container.clientHeight) return;
        lastSize = size;
        map.invalidateSize({pan: false});
        if (!touched) fit();
      });
      container.__iaResize.observe(container);
    }

    if (clustered && opts.snapshot) {
      // A picture never zooms: clustering only the frozen zoom level is the same image, much faster.
      var z = map.getZoom();
      map.setMinZoom(Math.floor(z)); map.setMaxZoom(Math.ceil(z));  // whole zooms: markercluster walks its levels by integer zoom
    }
    if (lazyPopups && !opts.snapshot) {
      group.on('click', function (e) {
        var m = e.layer;
        if (m && m.iaIndex !== undefined && !m.getPopup()) { bindPopup(m, m.iaIndex); m.openPopup(); }
      });
    }
    group.addTo(map);
    if (opts.snapshot && opts.locator !== false && window.IncidentAtlasContext) {
      window.IncidentAtlasContext.locator(map, cfg.outlines).addTo(map);
    }
    var aggregates = cfg.agg ? aggregateLayer(map, cfg, icons) : null;
    var api = {aggregates: aggregates, map: map, markers: group, areas: areas, outlines: outlines, count: rows.n, clustered: clustered,
               context: context, rows: rows, markerList: markers, stackRings: stackRings};
    window.__atlas = api;
    beforeReady = function () {  // once every marker is in: playback (may narrow to a window), then labels
      if (window.IncidentAtlasPlayback && opts.playback !== false && rows.n) {
        api.playback = window.IncidentAtlasPlayback.add(map, api, opts.playbackState || null, !!opts.snapshot);
      }
      if (context) context.place();
    };
    if (clustered) {
      loading = true;
      group.addLayers(markers, true);  // true: no 'layeradd' event per marker (nobody listens; 100k events cost)
      if (opts.snapshot) ready();
    } else {
      for (var k2 = 0; k2 < markers.length; k2++) group.addLayer(markers[k2]);
      ready();
    }
    window.__atlas = api;
    return window.__atlas;
  }

  window.IncidentAtlas = {render: render, version: 1};
})();
