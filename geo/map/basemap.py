"""The offline basemap (country + governorate outlines with labels) and region shapes for area incidents.

Shapes come from :mod:`geo.geocode.regions` (Natural Earth, public domain); they are simplified and rounded
once and cached, so adding them to every map costs little.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from geo.map._disk_cache import cached_text
from geo.paths import DATA_DIR

SIMPLIFY_DEG = 0.004  # ~400 m: invisible at country zoom, keeps the outline layer ~100 KB
BASEMAP_COUNTRIES_WITH_ADMIN1 = ("SY",)
SLIVER_DEG2 = 0.01  # holes smaller than this (~100 km2) are seams, not real enclaves


def _round_coords(obj: Any, digits: int = 4) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), digits) for v in obj]
        return [_round_coords(v, digits) for v in obj]
    return obj


def _without_slivers(geom):
    """Drop tiny holes (seams left where provinces were merged into a country) from polygons."""
    from shapely.geometry import MultiPolygon, Polygon

    def clean(poly: Polygon) -> Polygon:
        keep = [ring for ring in poly.interiors if Polygon(ring).area > SLIVER_DEG2]
        return Polygon(poly.exterior, keep)

    if geom.geom_type == "Polygon":
        return clean(geom)
    if geom.geom_type == "MultiPolygon":
        return MultiPolygon([clean(p) for p in geom.geoms])
    return geom


def _geojson_geometry(geom) -> dict | None:
    from shapely.geometry import mapping

    if geom is None or geom.is_empty:
        return None
    simple = _without_slivers(geom).simplify(SIMPLIFY_DEG, preserve_topology=True)
    if simple.is_empty:
        simple = geom
    data = mapping(simple)
    return {"type": data["type"], "coordinates": _round_coords(data["coordinates"])}


def _boundaries():
    """GeoDataFrame of outlines: from geo.geocode.regions when present, else the bundled file."""
    try:
        from geo.geocode import regions

        frame = regions.boundaries()
    except (ImportError, AttributeError):
        import geopandas as gpd

        frame = gpd.read_file(DATA_DIR / "regions.geojson")
    return frame


@lru_cache(maxsize=1)
def outlines() -> dict:
    """GeoJSON FeatureCollection: country outlines and Syrian governorates, each with a label point
    (built once, then read from the map's disk cache until its inputs change: ``geo.map._disk_cache``)."""
    here = Path(__file__).resolve().parent
    inputs = [DATA_DIR / "regions.geojson", Path(__file__), here / "payload.py",
              here.parent / "geocode" / "regions.py", here.parent / "geocode" / "_regions_def.py"]
    return json.loads(cached_text("outlines", inputs, lambda: json.dumps(_built_outlines()),
                                  packages=("shapely", "geopandas")))


def _built_outlines() -> dict:
    try:
        frame = _boundaries()
    except Exception:  # a missing/broken boundary file must not break the map
        return {"type": "FeatureCollection", "features": []}
    features = []
    for row in frame.itertuples(index=False):
        level = getattr(row, "level", None) or "admin1"
        country = getattr(row, "country", None) or ""
        if level == "admin1" and country not in BASEMAP_COUNTRIES_WITH_ADMIN1:
            continue
        if level not in ("country", "admin1"):
            continue
        geometry = _geojson_geometry(row.geometry)
        if geometry is None:
            continue
        point = row.geometry.representative_point()
        features.append({
            "type": "Feature",
            "properties": {"id": str(getattr(row, "id", "") or ""), "name": str(getattr(row, "name", "") or ""),
                           "level": level, "lp": [round(point.y, 3), round(point.x, 3)]},
            "geometry": geometry,
        })
    # countries first so governorate lines draw on top of them
    features.sort(key=lambda f: f["properties"]["level"] != "country")
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=256)
def _region_shape(region_id: str) -> dict | None:
    geom = None
    try:
        from geo.geocode import regions

        geom = regions.region_geometry(region_id)
    except (ImportError, AttributeError):
        geom = None
    except Exception:  # unknown id or bad definition: draw the incident as a pin only
        geom = None
    if geom is None:
        for feature in outlines()["features"]:
            if feature["properties"]["id"] == region_id:
                return feature["geometry"]
        return None
    return _geojson_geometry(geom)


def region_shapes(region_ids: Iterable[str]) -> dict[str, dict]:
    """region id -> simplified GeoJSON geometry, for the ids that have a known shape."""
    shapes = {}
    for region_id in region_ids:
        shape = _region_shape(region_id)
        if shape is not None:
            shapes[region_id] = shape
    return shapes
