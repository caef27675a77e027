"""The incident map: a folium map that works offline, fast with 100k incidents.

Leaflet and Leaflet.markercluster come from the installed XStatic packages (never a CDN);
the incidents travel once as compact JSON and ``assets/atlas/atlas.js`` creates one marker per
incident in the browser (clustered only above ``cluster_threshold``). The basemap is drawn from
country and governorate outlines, so nothing needs the internet; OpenStreetMap tiles are an
optional layer.

Two targets:

* ``"streamlit"`` — scripts/styles are linked from ``/app/static/vendor/...`` (Streamlit's static
  server, filled by :func:`ensure_static_assets`); use with streamlit-folium's ``st_folium``.
* ``"standalone"`` — everything is inlined; ``m.get_root().render()`` is one HTML file that opens
  offline in any browser.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Literal, Sequence

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from geo import taxonomy
from geo.map._stamp import generated_line
from geo.map.assets import (
    STATIC_URL,
    ensure_static_assets,
    icon_glyphs,
    icon_slug,
    inline_bundle,
    static_links,
)
from geo.map.basemap import outlines, region_shapes
from geo.map.context import context_json
from geo.map.credits import attribution_for
from geo.map.payload import encode_incidents, json_for_script
from geo.paths import ASSETS_DIR

__all__ = ["build_map", "ensure_static_assets", "map_html", "ATTRIBUTION"]

ATTRIBUTION = ("Boundaries: Natural Earth (public domain) | Places: GeoNames (CC BY 4.0) | "
               "Incidents: sources listed per incident")
#: Where the map looks when there is nothing to show (Syria).
DEFAULT_CENTER = (35.0, 38.5)

_NEEDED = ("event_id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "kind",
           "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "location",
           "latitude", "longitude", "geo_precision", "region_id", "fatalities", "count", "source",
           "source_url", "notes", "span", "extra")  # span/extra: the passage and sentence of a popup


class _Raw(Element):
    """Pre-rendered text added to the page as is (never compiled as a template: it holds user data)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class AtlasLayer(MacroElement):
    """Everything the project draws on the map, created client-side by ``IncidentAtlas.render``.

    The ``script`` macro is what streamlit-folium collects; :meth:`render` adds the same text to
    the page without passing megabytes of JSON (and user text) through jinja again.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}{{ this.script_text }}{% endmacro %}
    """)

    def __init__(self, config_json: str, *, header_html: str = "", pre_script: str = "") -> None:
        super().__init__()
        self._name = "IncidentAtlas"
        self.config_json = config_json
        self.header_html = header_html
        self.pre_script = pre_script

    @property
    def script_text(self) -> str:
        """The JavaScript that draws the layer on the parent map."""
        return (f"{self.pre_script}\nvar {self.get_name()} = IncidentAtlas.render("
                f"{self._parent.get_name()}, {self.config_json});\n")

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if self.header_html:
            figure.header.add_child(_Raw(self.header_html), name=self.get_name())
        figure.script.add_child(_Raw(self.script_text), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


@lru_cache(maxsize=1)
def _outlines_json() -> str:
    return json_for_script(outlines())


@lru_cache(maxsize=1)
def _static_json() -> str:
    colors = {t: taxonomy.color_of(t) for t in taxonomy.event_types()}
    return json_for_script({"icons": icon_glyphs(), "colors": colors, "typeOrder": list(taxonomy.event_types())})


def _prepare(incidents: pd.DataFrame) -> pd.DataFrame:
    """Only the columns the map shows, with a default ``kind`` from the sub-event type."""
    frame = pd.DataFrame({c: incidents[c] for c in _NEEDED if c in incidents.columns}, index=incidents.index)
    if "geometry" in incidents.columns:
        frame["geometry"] = incidents["geometry"]
    kind = frame["kind"] if "kind" in frame else pd.Series(None, index=frame.index, dtype="object")
    blank = kind.isna() | (kind.astype("object").astype(str).str.strip() == "")
    if blank.any():
        subs = frame["sub_event_type"] if "sub_event_type" in frame else pd.Series("", index=frame.index)
        defaults = {s: taxonomy.default_kind(s if isinstance(s, str) else None) for s in subs[blank].unique()}
        kind = kind.astype("object").copy()
        kind[blank] = subs[blank].map(defaults)
        frame["kind"] = kind
    return frame


def _day_number(value: str) -> int:
    """Days since 1970-01-01 of an ISO date (how atlas.js counts days)."""
    return (dt.date.fromisoformat(str(value)[:10]) - dt.date(1970, 1, 1)).days


def build_map(incidents: pd.DataFrame, *, target: Literal["streamlit", "standalone"] = "streamlit",
              tiles: bool = False, highlight_ids: Sequence[str] = (), cluster_threshold: int = 500,
              title: str | None = None, subtitle: str | None = None, filters_text: str | None = None,
              generated_at: str | dt.datetime | None = None, snapshot: bool = False,
              legend: bool = True, lazy_popups_above: int = 20_000,
              height: str | int = "100%", context: bool = True, locator: bool = True,
              playback_window: tuple[str, str] | None = None, aggregates: dict | None = None,
              view: tuple[float, float, float] | None = None) -> folium.Map:
    """The folium map of ``incidents`` (a GeoDataFrame/DataFrame with the schema's columns).

    One marker element per incident with coordinates (``.leaflet-marker-pane > *`` equals the
    incident count unless there are more than ``cluster_threshold`` incidents, which are then
    clustered). Region-level incidents (geo_precision 3 with a ``region_id``) also get their area
    drawn hatched with a count; precision 2 markers carry a dashed halo. ``highlight_ids`` are
    event ids drawn emphasised. ``title``/``subtitle``/``filters_text`` appear in a panel (the
    generated-at line too when ``snapshot``). ``tiles`` adds the online OpenStreetMap layer
    switched on. ``snapshot`` drops the interactive controls and animations (for PNG export).
    Above ``lazy_popups_above`` incidents a marker's popup is created on its first click.

    ``context`` adds the offline context layers (rivers, lakes, districts, place names by zoom);
    ``locator`` the Syria inset of snapshots; ``playback_window`` (``("2018-06-01", "week")``) opens
    the map on that time window (the frames of an animation).

    Large-view mode: ``aggregates`` (:func:`geo.map.payload.encode_aggregates`) are drawn as count
    bubbles next to ``incidents`` (then usually empty); ``view`` (lat, lon, zoom) opens the map there
    instead of fitting the data.

    Attributes set on the returned map: ``atlas_count`` (markers), ``atlas_dropped`` (rows with
    no coordinates), ``atlas_payload_bytes``.
    """
    if target not in ("streamlit", "standalone"):
        raise ValueError(f"target must be 'streamlit' or 'standalone', not {target!r}")
    frame = _prepare(incidents)
    encoded = encode_incidents(frame, highlight_ids=highlight_ids, icon_of=icon_slug)
    shapes = region_shapes(encoded.region_ids)
    meta = {"title": title or "", "subtitle": subtitle or "", "filters": filters_text or "",
            "attribution": attribution_for(frame, context=context) + (" | Tiles: OpenStreetMap" if tiles else ""),
            "generated": generated_line(generated_at) if (snapshot or generated_at) else ""}
    if snapshot:
        meta["counts"] = f"{encoded.count} incident{'s' if encoded.count != 1 else ''} shown" + (
            f" ({encoded.dropped} without coordinates not shown)" if encoded.dropped else "")
    options = {"clusterThreshold": int(cluster_threshold), "tiles": bool(tiles), "snapshot": bool(snapshot),
               "legend": bool(legend), "lazyPopupsAbove": int(lazy_popups_above), "locator": bool(locator)}
    if view is not None:
        options["view"] = [float(view[0]), float(view[1]), float(view[2])]
    if playback_window:
        options["playbackState"] = {"start": _day_number(playback_window[0]), "unit": str(playback_window[1])}
    data_part = ('"data":' + json_for_script(encoded.payload) + ',"regions":' + json_for_script(shapes) +
                 ',"options":' + json_for_script(options) + ',"meta":' + json_for_script(meta) +
                 (',"agg":' + json_for_script(aggregates) if aggregates is not None else ''))
    config_json = "{" + data_part + "," + _base_part(context) + "}"

    m = _folium_map(snapshot=snapshot, height=height)
    if target == "streamlit":
        ensure_static_assets()
        js, css = static_links()
        m.default_js, m.default_css = js, css
        layer = AtlasLayer(config_json, pre_script=f"L.Icon.Default.imagePath = {json.dumps(STATIC_URL + '/leaflet/images/')};")
    else:
        m.default_js, m.default_css = [], []
        layer = AtlasLayer(config_json, header_html=inline_bundle())
    m.add_child(layer)
    if snapshot:
        m.get_root().header.add_child(Element('<style>html,body{background:#ffffff}</style>'), name="ia_snapshot_css")
    m.atlas_count = encoded.count
    m.atlas_dropped = encoded.dropped
    m.atlas_payload_bytes = len(config_json.encode("utf-8"))
    m.atlas_data_json = "{" + data_part + "}"  # the incident part alone (geo.map.streamlit_args swaps it in)
    return m


def _folium_map(*, snapshot: bool = False, height: str | int = "100%") -> folium.Map:
    map_options = {"zoom_snap": 0.5}  # half steps let the data fill the frame more closely
    if snapshot:
        map_options.update(zoom_animation=False, fade_animation=False, marker_zoom_animation=False,
                           zoom_snap=0.25)
    m = folium.Map(location=list(DEFAULT_CENTER), zoom_start=7, tiles=None, control_scale=False,
                   zoom_control=not snapshot, height=height, **map_options)
    # markercluster needs a maxZoom without tiles, and builds one cluster level per zoom: 5..16 keeps the
    # whole region reachable and the 100k-incident load about twice as fast as Leaflet's 0..18.
    m.options.update(max_zoom=16, min_zoom=5)
    return m


def _base_part(context: bool) -> str:
    """The configuration that does not depend on the incidents (outlines, context layers, icons, colours),
    as JSON members without braces."""
    return ('"outlines":' + _outlines_json() + (',"context":' + context_json() if context else '') + ',' +
            _static_json()[1:-1])


class _AtlasBase(AtlasLayer):
    """The dashboard map's unchanging part: ``swap.js`` and ``IncidentAtlas.base``; the incidents come
    later through ``IncidentAtlas.swap`` (see :mod:`geo.map.streamlit_args`)."""

    @property
    def script_text(self) -> str:
        return f"{self.pre_script}\nIncidentAtlas.base({self._parent.get_name()}, {self.config_json});\n"


def base_map() -> folium.Map:
    """The dashboard's map without incidents (streamlit target): the map, its basemap and context
    configuration and the swap script; every drawing of incidents on it is an ``IncidentAtlas.swap``."""
    ensure_static_assets()
    m = _folium_map()
    js, css = static_links()
    m.default_js, m.default_css = js, css
    swap_js = (ASSETS_DIR / "atlas" / "swap.js").read_text(encoding="utf-8")
    pre = f"L.Icon.Default.imagePath = {json.dumps(STATIC_URL + '/leaflet/images/')};\n{swap_js}"
    m.add_child(_AtlasBase("{" + _base_part(True) + "}", pre_script=pre))
    return m


def map_html(incidents: pd.DataFrame, **kwargs) -> str:
    """The standalone HTML document of :func:`build_map` (everything inlined)."""
    kwargs["target"] = "standalone"
    return build_map(incidents, **kwargs).get_root().render()
