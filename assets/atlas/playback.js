/* Incident Atlas time playback: a day or week window moves through the period of the incidents on the
 * map; the map shows the incidents of that window (an incident with a date range for its whole range)
 * and, faded, those of the previous window. The window is kept in the address (``#window=DATE/unit``
 * in a standalone file, ``?window=DATE/unit`` on the dashboard page). Snapshots drive it through
 * ``window.__atlas.playback.show(day, unit)`` to draw the frames of an animation. */
(function () {
  'use strict';

  var UNITS = {day: 1, week: 7};

  function iso(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }
  function dayOf(text) {
    var t = Date.parse(String(text || '') + 'T00:00:00Z');
    return isNaN(t) ? null : Math.floor(t / 86400000);
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  /* "2018-06-01/week" from the address bar (own hash first, then the embedding page's query). */
  function readAddress() {
    var found = null;
    try {
      var m = /(?:^|[#&])window=([0-9-]{10})(?:\/|%2F)(day|week)/.exec(window.location.hash);
      if (m) found = m;
      if (!found && window.top !== window) {
        var q = /[?&]window=([0-9-]{10})(?:\/|%2F)(day|week)/.exec(window.top.location.search);
        if (q) found = q;
      }
    } catch (e) { /* a foreign embedding page: no address to read */ }
    return found ? {start: dayOf(found[1]), unit: found[2]} : null;
  }

  function writeAddress(state) {
    var value = state ? iso(state.start) + '/' + state.unit : null;
    try {
      if (window.top === window) {
        var hash = value ? '#window=' + value : ' ';
        history.replaceState(null, '', window.location.pathname + window.location.search + hash);
      } else {
        var top = window.top, url = new URL(top.location.href);
        if (value) url.searchParams.set('window', value); else url.searchParams.delete('window');
        top.history.replaceState(top.history.state, '', url.toString());
      }
    } catch (e) { /* cross-origin parent: the window is not shared */ }
  }

  function add(map, atlas, initial, snapshot) {
    var rows = atlas.rows, markers = atlas.markerList, group = atlas.markers, n = rows.n;
    var first = null, last = null;
    for (var i = 0; i < n; i++) {
      var d = rows.startDay(i);
      if (d === null) continue;
      var e = d + rows.spanDays(i);
      if (first === null || d < first) first = d;
      if (last === null || e > last) last = e;
    }
    if (first === null) return null;
    var state = null, timer = null;
    var label = null, playButton = null, unitSelect = null;

    function windowOf(start, unit) { return [start, start + UNITS[unit]]; }
    function overlaps(i, w) {
      var d = rows.startDay(i);
      return d !== null && d < w[1] && d + rows.spanDays(i) >= w[0];
    }

    var narrowed = false;  // markers were changed by a window (the full map needs no work)
    function apply() {
      var shown = [], hidden = {}, counts = {now: 0, trail: 0};
      if (!state && !narrowed) { updateText(null, counts); return counts; }
      narrowed = !!state;
      var w = state ? windowOf(state.start, state.unit) : null;
      var trail = state ? [w[0] - UNITS[state.unit], w[0]] : null;
      for (var k = 0; k < n; k++) {
        var m = markers[k], on = !w || overlaps(k, w), faded = !on && w && overlaps(k, trail);
        if (on || faded) {
          shown.push(m);
          m.setOpacity(faded ? 0.35 : 1);
          if (faded) counts.trail++; else counts.now++;
        } else {
          hidden[k] = true;
        }
      }
      window.__atlasHidden = state ? hidden : null;
      if (atlas.clustered) {
        group.clearLayers();
        group.addLayers(shown, true);
      } else {
        markers.forEach(function (m, k) {
          if (hidden[k]) { if (group.hasLayer(m)) group.removeLayer(m); }
          else if (!group.hasLayer(m)) group.addLayer(m);
        });
      }
      [atlas.stackRings, atlas.areas].forEach(function (layer) {  // whole-period rings and hatched areas
        if (!layer) return;
        if (state && map.hasLayer(layer)) map.removeLayer(layer);
        if (!state && !map.hasLayer(layer)) layer.addTo(map);
      });
      if (atlas.context) atlas.context.place();
      updateText(w, counts);
      return counts;
    }
    function updateText(w, counts) {
      var text = state
        ? (state.unit === 'day' ? iso(w[0]) : iso(w[0]) + ' \u2013 ' + iso(w[1] - 1)) + ': ' + counts.now +
          ' incident' + (counts.now === 1 ? '' : 's') + (counts.trail ? ' (+' + counts.trail + ' previous ' + state.unit + ', faded)' : '')
        : 'All ' + n + ' incidents, ' + iso(first) + ' \u2013 ' + iso(last);
      if (label) label.textContent = text;
      map.getContainer().setAttribute('data-atlas-window', state ? iso(state.start) + '/' + state.unit : '');
      map.getContainer().setAttribute('data-atlas-window-count', String(counts.now + counts.trail));
      if (playButton) playButton.textContent = timer ? '\u275A\u275A' : '\u25B6';
    }

    function show(start, unit) {
      unit = UNITS[unit] ? unit : 'week';
      state = {start: Math.max(first, Math.min(start, last)), unit: unit};
      if (!snapshot) writeAddress(state);
      return apply();
    }
    function clear() {
      stop();
      state = null;
      if (!snapshot) writeAddress(null);
      return apply();
    }
    function step(sign) {
      var unit = state ? state.unit : (unitSelect ? unitSelect.value : 'week');
      var start = state ? state.start + sign * UNITS[unit] : first;
      if (start > last) start = first;
      if (start < first) start = first;
      return show(start, unit);
    }
    function stop() { if (timer) { clearInterval(timer); timer = null; } if (playButton) apply(); }
    function play() {
      if (timer) { stop(); return; }
      if (!state) show(first, unitSelect ? unitSelect.value : 'week');
      timer = setInterval(function () {
        if (state.start + UNITS[state.unit] > last) { stop(); return; }
        step(1);
      }, 900);
      apply();
    }
    /* Start days of the frames of an animation over the whole period. */
    function frames(unit) {
      var out = [];
      for (var d = first; d <= last; d += UNITS[unit]) out.push(d);
      return out;
    }

    var C = L.Control.extend({options: {position: 'bottomleft'}, onAdd: function () {
      var box = el('div', 'ia-play');
      if (!snapshot) {
        var back = el('button', null, '\u25C0'); back.title = 'Previous window';
        playButton = el('button', null, '\u25B6'); playButton.title = 'Play / pause';
        var fwd = el('button', null, '\u25B6\u2759'); fwd.title = 'Next window';
        var all = el('button', null, 'All'); all.title = 'Show every incident';
        unitSelect = el('select');
        ['day', 'week'].forEach(function (u) { var o = el('option', null, u); o.value = u; unitSelect.appendChild(o); });
        unitSelect.value = 'week';
        L.DomEvent.on(back, 'click', function () { stop(); step(-1); });
        L.DomEvent.on(fwd, 'click', function () { stop(); step(1); });
        L.DomEvent.on(playButton, 'click', play);
        L.DomEvent.on(all, 'click', clear);
        L.DomEvent.on(unitSelect, 'change', function () { if (state) show(state.start, unitSelect.value); });
        [back, playButton, fwd, unitSelect, all].forEach(function (b) { box.appendChild(b); });
        box.setAttribute('data-testid', 'atlas-playback');
      }
      label = el('span', 'ia-play-date');
      box.appendChild(label);
      L.DomEvent.disableClickPropagation(box);
      return box;
    }});
    var ctl = new C();
    if (!snapshot || initial) ctl.addTo(map);
    var start = initial || (snapshot ? null : readAddress());
    if (start && start.start !== null) {
      if (unitSelect) unitSelect.value = start.unit;
      show(start.start, start.unit);
    } else {
      apply();
    }
    return {show: show, clear: clear, step: step, play: play, stop: stop, frames: frames,
            period: function () { return [iso(first), iso(last)]; },
            state: function () { return state ? {start: iso(state.start), unit: state.unit} : null; }};
  }

  window.IncidentAtlasPlayback = {add: add, dayOf: dayOf};
})();
