/* Incident Atlas: redraw the dashboard's map with new incident data without reloading its page.
 *
 * The dashboard's map component keeps one page (Leaflet, the scripts, the map object) while its key
 * stays the same; on a filter change only the incident data arrives (streamlit-folium evaluates its
 * ``feature_group`` argument). ``IncidentAtlas.base(map, cfg)`` keeps the parts that never change
 * (outlines, context layers, icons and colours); ``IncidentAtlas.swap(map, dataCfg)`` removes everything
 * the previous drawing added (layers, controls, event handlers, panes' content) and draws the new data
 * with ``IncidentAtlas.render`` on the same map, fitting the view as on first paint.
 * Loaded by the dashboard's map only; standalone pages and snapshots never use it. */
(function () {
  'use strict';
  if (!window.IncidentAtlas || window.IncidentAtlas.swap) return;

  // Controls added to a map being tracked are remembered so that the next swap removes them
  // (the map's own zoom/attribution controls are added before tracking starts and stay).
  var addControl = L.Control.prototype.addTo;
  L.Control.prototype.addTo = function (map) {
    if (map && map.__iaOwned) map.__iaOwned.controls.push(this);
    return addControl.call(this, map);
  };

  function own(map) {
    if (map.__iaOwned) return map.__iaOwned;
    var createPane = map.createPane;
    map.createPane = function (name, container) {  // a second drawing reuses the panes of the first
      return this.getPane(name) || createPane.call(this, name, container);
    };
    map.__iaOwned = {controls: [], handlers: [], renders: 0};
    return map.__iaOwned;
  }

  function clear(map) {
    var owned = own(map), container = map.getContainer();
    map.closePopup();
    owned.controls.forEach(function (c) { try { c.remove(); } catch (e) { /* already gone */ } });
    owned.controls = [];
    owned.handlers.forEach(function (h) { map.off(h[0], h[1], h[2]); });
    owned.handlers = [];
    var layers = [];
    map.eachLayer(function (l) { layers.push(l); });
    layers.forEach(function (l) { map.removeLayer(l); });
    Array.prototype.slice.call(container.querySelectorAll('svg.ia-defs')).forEach(function (n) { n.remove(); });
    ['data-atlas-ready', 'data-atlas-aggregate', 'data-atlas-mode', 'data-atlas-fit'].forEach(function (a) {
      container.removeAttribute(a);
    });
    window.__atlasReady = false;
    window.__atlasHidden = null;
  }

  /** Keep the unchanging part of the configuration (outlines, context, icons, colours, type order). */
  function base(map, cfg) {
    own(map);
    map.__iaBase = cfg;
    // streamlit-folium runs initComponent right after this script: it hooks clicks/moves on the layers
    // present and reports the map's bounds at once. Hold it back until the first swap has drawn (and
    // fitted) the incidents, as it ran after the drawing when the incidents were part of the page.
    var init = window.initComponent;
    if (typeof init === 'function' && !init.__iaHeld) {
      var held = function (m, hover) { m.__iaInit = function () { init(m, hover); }; };
      held.__iaHeld = true;
      window.initComponent = held;
    }
    return map;
  }

  /** Draw ``dataCfg`` (data, regions, options, meta, agg) on ``map`` in place of the previous drawing. */
  function swap(map, dataCfg) {
    var owned = own(map), cfg = {}, k, t0 = Date.now();
    var baseCfg = map.__iaBase || {};
    for (k in baseCfg) cfg[k] = baseCfg[k];
    for (k in dataCfg) cfg[k] = dataCfg[k];
    clear(map);
    var on = map.on;
    map.on = function (types, fn, ctx) {  // handlers added while drawing go with the drawing
      owned.handlers.push([types, fn, ctx]);
      return on.apply(this, arguments);
    };
    try {
      var api = window.IncidentAtlas.render(map, cfg);
    } finally {
      delete map.on;
    }
    if (map.__iaInit) {  // the component's own set-up, held back by base() until the first drawing is in
      var init = map.__iaInit;
      map.__iaInit = null;
      init();
    }
    owned.renders += 1;
    map.getContainer().setAttribute('data-atlas-renders', String(owned.renders));
    map.getContainer().setAttribute('data-atlas-swap-ms', String(Date.now() - t0));  // clear + draw, for benchmarks
    if (window.performance && performance.mark) performance.mark('atlas-drawn-' + owned.renders);  // for benchmarks
    return api;
  }

  window.IncidentAtlas.base = base;
  window.IncidentAtlas.swap = swap;
})();
