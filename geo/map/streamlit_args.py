"""The arguments streamlit-folium's component receives for a folium map, computed once and cached.

``st_folium`` re-renders the whole map and runs several regular expressions over its script on every
Streamlit rerun (~2 s for 100k incidents), even when the map did not change. :func:`component_args`
does that work once per map (the dashboard caches the result per data/filter state) and
:func:`map_key` names the map by its inputs instead of hashing a multi-megabyte script.
The dashboard keeps one map page per store (and per what the page reports back): :func:`base_args` is that page (no incidents)
and :func:`layer_script` the incidents of one filter state, sent as the component's ``feature_group``
(streamlit-folium evaluates it in the page it already has, so a filter change reloads no scripts).
Written against streamlit-folium 0.27.4 (pinned in requirements.txt), whose ``st_folium`` it mirrors;
:func:`folium_component` is its component, declared without importing streamlit_folium, and the page's
arguments are kept on disk between server starts (``geo.map._disk_cache``): a fresh server's first
visitor waits for neither.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
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
    the same for every map of a server process, so built once (callers must not modify it), and kept in
    the map's disk cache (``geo.map._disk_cache``) for the next server start until any of its inputs
    changes: the assets, the map code, the data files it draws and the libraries' versions."""
    from geo.map._disk_cache import cached_text

    return json.loads(cached_text("base_args", _base_inputs(), lambda: json.dumps(_built_base_args()),
                                  packages=_BASE_PACKAGES))


_BASE_PACKAGES = ("folium", "streamlit-folium", "branca", "jinja2", "shapely", "geopandas")


def _base_inputs() -> list[Path]:
    """The files the map page is made from (their sizes and modification times key its cached arguments)."""
    from geo.map.assets import VENDOR_DIR, vendor_assets
    from geo.paths import ASSETS_DIR, DATA_DIR, PROJECT_ROOT

    geo_dir = PROJECT_ROOT / "geo"
    return sorted([*(p for p in ASSETS_DIR.rglob("*") if p.is_file()), *(geo_dir / "map").glob("*.py"),
                   *(geo_dir / "geocode").glob("*.py"), geo_dir / "taxonomy.py", geo_dir / "paths.py",
                   *DATA_DIR.glob("*.csv"), *DATA_DIR.glob("*.geojson"), *DATA_DIR.glob("*.json.gz"),
                   VENDOR_DIR / "fonts" / "atlas-fonts.css", *(a.source for a in vendor_assets())])


def _built_base_args() -> dict[str, Any]:
    from geo.map.page import base_map

    return component_args(base_map())


def folium_component():
    """streamlit-folium's component (the ``_component_func`` that ``st_folium`` calls), declared here as
    streamlit-folium declares it but without importing streamlit_folium, which imports folium.plugins and
    looks itself up among all loaded modules (~0.4 s of a fresh server's first run). It is registered
    with the running Streamlit server on every call (idempotent: the same component replaces itself), so
    whichever script run comes first finds it; importing streamlit_folium later registers the same one."""
    from streamlit.runtime import get_instance
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    component = _folium_component()
    if get_script_run_ctx() is not None:
        get_instance().component_registry.register_component(component)
    return component


@lru_cache(maxsize=1)
def _folium_component():
    from importlib.util import find_spec

    from streamlit.components.v1.custom_component import CustomComponent

    spec = find_spec("streamlit_folium")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("streamlit-folium is not installed")
    build_dir = os.path.join(os.path.abspath(list(spec.submodule_search_locations)[0]), "frontend/build")
    return CustomComponent(name="streamlit_folium.st_folium", path=build_dir, url=None,
                           module_name="streamlit_folium")


def layer_script(fmap, *, zoom_to_selection: bool = True) -> str:
    """The script that draws ``fmap``'s incidents (a :func:`geo.map.page.build_map` result) on the page of
    :func:`base_args`, in place of what it showed; ``zoom_to_selection`` zooms to highlighted incidents."""
    flag = "true" if zoom_to_selection else "false"
    return (f"window.__iaZoomToSelection = {flag};\n"
            f"IncidentAtlas.swap(window.map, {fmap.atlas_data_json});\n")
