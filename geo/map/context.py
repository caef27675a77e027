"""Offline context layers for the map: place labels, district (admin-2) outlines, rivers and lakes.

Everything comes from files the project ships (no tiles): places from the gazetteer (GeoNames via the
geocoder; Who's On First when ``geo.geocode.iter_places`` exists), districts from
``data/districts.geojson`` (Who's On First), water from ``data/context_water.geojson`` (GSHHG/WDBII and
OpenStreetMap, built by :mod:`geo.map.context_build`). The browser decides which labels fit
(``assets/atlas/context.js``): cities first, then towns, then villages from zoom ~10, never on top of
each other or of an incident marker.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from geo.map._disk_cache import cached_text
from geo.map.payload import json_for_script
from geo.paths import DATA_DIR

DISTRICTS_FILE = DATA_DIR / "districts.geojson"
WATER_FILE = DATA_DIR / "context_water.geojson"
#: Countries whose places are labelled (Syria and its neighbours, for the border areas).
LABEL_BBOX = (34.9, 31.9, 42.9, 37.7)  # lon/lat
COORD_SCALE = 10_000
#: Feature code -> rank (lower draws first and survives collisions).
FEATURE_RANK = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPL": 4, "PPLX": 5, "STLMT": 5,
                "PPLL": 6, "PPLQ": 7}
#: A label's tier decides the first zoom it may appear at (tier -> zoom in assets/atlas/context.js).
TIER_MIN_ZOOM = (5, 7, 8, 9, 10, 11)
SIMPLIFY_DEG = 0.002

class Place(NamedTuple):
    """One labelled place: the fields the map needs from a gazetteer record."""

    name: str
    lat: float
    lon: float
    feature_code: str
    population: int


def iter_label_places() -> Iterable[Place]:
    """Every populated place the gazetteer knows (the ONE access point to the gazetteer for labels).

    Uses ``geo.geocode.iter_places()`` when it exists (typed records with ``name, lat, lon,
    feature_code, population``), else the geocoder's loaded index rows.
    """
    try:
        from geo.geocode import iter_places  # type: ignore[attr-defined]
    except ImportError:
        iter_places = None
    if iter_places is not None:
        for rec in iter_places():
            yield Place(str(rec.name), float(rec.lat), float(rec.lon), str(rec.feature_code or "PPL"),
                        int(rec.population or 0))
        return
    from geo.geocode.geocoder import get_geocoder

    for row in get_geocoder().places:  # [name, lat, lon, country, admin1_iso, population, feature_code, ...]
        yield Place(str(row[0]), float(row[1]), float(row[2]), str(row[6] or "PPL"), int(row[5] or 0))


def tier_of(place: Place) -> int:
    """0 (capital, big city) .. 5 (abandoned place): the label's importance, by feature code and population."""
    code = place.feature_code.upper()
    pop = place.population
    if code == "PPLC" or pop >= 200_000:
        return 0
    if code == "PPLA" or pop >= 50_000:
        return 1
    if code == "PPLA2" or pop >= 15_000:
        return 2
    if code == "PPLA3" or pop >= 3_000:
        return 3
    if code in ("PPLL", "PPLQ"):
        return 5
    return 4


def rank_places(places: Iterable[Place]) -> list[Place]:
    """Populated places inside :data:`LABEL_BBOX`, most important first, one per name and spot."""
    west, south, east, north = LABEL_BBOX
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for place in places:
        if place.feature_code.upper() not in FEATURE_RANK or not place.name.strip():
            continue
        if not (south <= place.lat <= north and west <= place.lon <= east):
            continue
        key = (place.name.casefold(), round(place.lat * 50), round(place.lon * 50))  # ~2 km
        if key in seen:
            continue
        seen.add(key)
        kept.append(place)
    kept.sort(key=lambda p: (tier_of(p), FEATURE_RANK[p.feature_code.upper()], -p.population, p.name))
    return kept


@lru_cache(maxsize=1)
def places_payload() -> dict:
    """Column payload of the ranked places: names, scaled coordinates, tiers."""
    try:
        ranked = rank_places(iter_label_places())
    except Exception:  # a broken gazetteer must not break the map: no labels then
        ranked = []
    return {"name": [p.name for p in ranked],
            "y": [round(p.lat * COORD_SCALE) for p in ranked],
            "x": [round(p.lon * COORD_SCALE) for p in ranked],
            "t": [tier_of(p) for p in ranked], "cs": COORD_SCALE, "minZoom": list(TIER_MIN_ZOOM)}


def _read_features(path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("features", [])
    except (OSError, ValueError):
        return []


@lru_cache(maxsize=2)
def districts_payload(path=DISTRICTS_FILE) -> dict:
    """District outlines (simplified, rounded) with their name and a label point, from ``districts.geojson``."""
    from shapely.errors import ShapelyError
    from shapely.geometry import mapping, shape

    features = []
    for feature in _read_features(path):
        props = feature.get("properties") or {}
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, ShapelyError):
            continue  # a feature without a readable geometry is skipped: the map still opens
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue  # a district known only by a point has no outline to draw
        simple = geom.simplify(SIMPLIFY_DEG, preserve_topology=True)
        point = geom.representative_point()
        data = mapping(simple)
        features.append({"type": "Feature",
                         "properties": {"id": str(props.get("id", "")), "name": str(props.get("name") or ""),
                                        "lp": [round(point.y, 4), round(point.x, 4)]},
                         "geometry": {"type": data["type"], "coordinates": _round(data["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}


def _round(obj, digits: int = 4):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), digits) for v in obj]
        return [_round(v, digits) for v in obj]
    return obj


@lru_cache(maxsize=2)
def water_payload(path=WATER_FILE) -> dict:
    """Rivers (lines) and lakes (polygons) with names, as shipped in ``context_water.geojson``."""
    return {"type": "FeatureCollection", "features": _read_features(path)}


def context_json() -> str:
    """The context layers as one JSON text for the page script (the same for every map: cached)."""
    return _context_json(DISTRICTS_FILE, WATER_FILE)


@lru_cache(maxsize=2)
def _context_json(districts_path, water_path) -> str:
    # built once, then read from the map's disk cache until an input or this code changes
    here = Path(__file__).resolve().parent
    geocode = here.parent / "geocode"
    inputs = [Path(districts_path), Path(water_path), DATA_DIR / "gazetteer.json.gz", Path(__file__),
              here / "payload.py", *(geocode / f for f in ("_index.py", "_normalize.py", "places.py", "geocoder.py"))]
    return cached_text("context", inputs, lambda: json_for_script({
        "places": places_payload(), "districts": districts_payload(districts_path),
        "water": water_payload(water_path)}), packages=("shapely",))
