"""The arguments streamlit-folium's component receives for a folium map, computed once and cached.

``st_folium`` re-renders the whole map and runs several regular expressions over its script on every
Streamlit rerun (~2 s for 100k incidents), even when the map did not change. :func:`component_args`
does that work once per map (the dashboard caches the result per data/filter state) and
:func:`map_key` names the map by its inputs instead of hashing a multi-megabyte script.
The dashboard keeps one map page per store (and per what the page reports back): :func:`base_args` is that page (no incidents)
and :func:`layer_script` the incidents of one filter state, sent as the component's ``feature_group``
(streamlit-folium evaluates it in the page it already has, so a filter change reloads no scripts).
Written against streamlit-folium 0.27.4 (pinned in requirements.txt), whose ``st_folium`` it mirrors.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any


def map_key(*parts: object) -> str:
    """A short stable component key for a map built from ``parts`` (data token, filters, highlight)."""
    digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:24]
    return f"atlas-map-{digest}"


def component_args(fmap) -> dict[str, Any]:
    """What ``st_folium`` would pass to its component for ``fmap``: script, header, html, id, links,
    and the default return value's bounds/zoom."""
    import streamlit_folium as sf

    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _walk(fmap):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    try:
        (south, west), (north, east) = fmap.get_bounds()
    except (AttributeError, TypeError, ValueError):
        south = west = north = east = None
    bounds = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    return {
        "script": script, "header": header, "html": html, "id": sf.get_full_id(fmap),
        "css_links": list(dict.fromkeys(css_links)), "js_links": list(dict.fromkeys(js_links)),
        "bounds": bounds, "zoom": fmap.options.get("zoom") if hasattr(fmap, "options") else None,
    }


def _walk(element):
    import folium.elements

    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


@lru_cache(maxsize=1)
def base_args() -> dict[str, Any]:
    """Component arguments of the dashboard's map page without incidents (:func:`geo.map.page.base_map`);
    the same for every map of a server process, so built once (callers must not modify it)."""
    from geo.map.page import base_map

    return component_args(base_map())


def layer_script(fmap, *, zoom_to_selection: bool = True) -> str:
    """The script that draws ``fmap``'s incidents (a :func:`geo.map.page.build_map` result) on the page of
    :func:`base_args`, in place of what it showed; ``zoom_to_selection`` zooms to highlighted incidents."""
    flag = "true" if zoom_to_selection else "false"
    return (f"window.__iaZoomToSelection = {flag};\n"
            f"IncidentAtlas.swap(window.map, {fmap.atlas_data_json});\n")
