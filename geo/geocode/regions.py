"""Region polygons: governorates ("SY-DR"), their parts ("SY-DR:south"), countries ("SY") and named areas
("area:southern-syria"), from the simplified Natural Earth file ``data/regions.geojson``; districts
(admin-2, "SY-DR:izra") from Who's On First's county polygons in ``data/districts.geojson``.

Parts are the governorate clipped to the half of its bounding box on that side; areas are unions of
governorates listed in :mod:`geo.geocode._regions_def`. This module reads only those files (never the
geocoder), so the geocoder may import it without a circle.
"""

from __future__ import annotations

import json
from functools import lru_cache

from geo.errors import GeocodeError
from geo.geocode._regions_def import AREAS, PARTS, part_box
from geo.paths import DATA_DIR

REGIONS_PATH = DATA_DIR / "regions.geojson"
DISTRICTS_PATH = DATA_DIR / "districts.geojson"


def _read_features(path, *, required: bool) -> dict[str, tuple[dict, object]]:
    """Region id -> (properties, shapely geometry) of a GeoJSON file of the project's ``data/``."""
    from shapely.geometry import shape

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        if required:
            raise GeocodeError(f"{path}: missing; run: python -m geo gazetteer build") from None
        return {}
    return {f["properties"]["id"]: (f["properties"], shape(f["geometry"])) for f in data["features"]}


@lru_cache(maxsize=1)
def _features() -> dict[str, tuple[dict, object]]:
    return _read_features(REGIONS_PATH, required=True)


@lru_cache(maxsize=1)
def _district_features() -> dict[str, tuple[dict, object]]:
    return _read_features(DISTRICTS_PATH, required=False)


def districts():
    """The districts (admin-2) of Syria as a GeoDataFrame: ``id`` ("SY-DR:izra"), ``name``, ``name_ar``,
    ``admin1_iso``, geometry (simplified; EPSG:4326). Empty when ``data/districts.geojson`` is missing."""
    import geopandas as gpd

    features = _district_features()
    rows = [{k: props.get(k) for k in ("id", "name", "name_ar", "admin1_iso")} for props, _ in features.values()]
    return gpd.GeoDataFrame(rows, geometry=[geom for _, geom in features.values()], crs="EPSG:4326")


def district_name(district_id: str) -> str | None:
    """English name of a district ("Izra'") from its id ("SY-DR:izra"); None if unknown."""
    found = _district_features().get(district_id)
    return found[0]["name"] if found else None


def districts_of(admin1_iso: str) -> list[tuple[str, str]]:
    """(district id, English name) of every district of governorate ``admin1_iso`` ("SY-DR"), by name."""
    found = [(did, props["name"]) for did, (props, _) in _district_features().items()
             if props.get("admin1_iso") == admin1_iso]
    return sorted(found, key=lambda item: item[1])


@lru_cache(maxsize=256)
def region_geometry(region_id: str):
    """The shapely geometry of ``region_id`` (EPSG:4326), or None for an unknown id."""
    from shapely import union_all

    if not region_id:
        return None
    features = _features()
    if region_id in features:
        return features[region_id][1]
    if region_id in _district_features():
        return _district_features()[region_id][1]
    if region_id.startswith("area:"):
        area = AREAS.get(region_id[5:])
        if not area or any(m not in features for m in area["members"]):
            return None
        return union_all([features[m][1] for m in area["members"]])
    base, _, part = region_id.partition(":")
    if part in PARTS and base in features:
        geom = features[base][1]
        return geom.intersection(part_box(geom.bounds, part))
    return None


def region_label(region_id: str) -> str:
    """A human label for ``region_id`` ("Daraa", "Southern Daraa", "Southern Syria (Daraa, …)",
    "Izra' district"); the id itself if unknown."""
    if not region_id:
        return region_id
    features = _features()
    if region_id in features:
        return features[region_id][0]["name"]
    if region_id in _district_features():
        return f"{_district_features()[region_id][0]['name']} district"
    if region_id.startswith("area:") and region_id[5:] in AREAS:
        return AREAS[region_id[5:]]["label"]
    base, _, part = region_id.partition(":")
    if part in PARTS and base in features:
        return f"{PARTS[part]} {features[base][0]['name']}"
    return region_id


def boundaries():
    """The offline basemap: governorates of Syria and the neighbours plus country outlines (GeoDataFrame).

    Columns: ``id``, ``name``, ``name_ar``, ``admin1_iso``, ``country``, ``level`` ("admin1" or "country").
    """
    import geopandas as gpd

    features = _features()
    rows = [dict(props) for props, _ in features.values()]
    return gpd.GeoDataFrame(rows, geometry=[geom for _, geom in features.values()], crs="EPSG:4326")


@lru_cache(maxsize=1)
def _admin1_tree():
    from shapely import STRtree
    from shapely.prepared import prep

    units = [(rid, props, geom) for rid, (props, geom) in _features().items() if props["level"] == "admin1"]
    return STRtree([g for _, _, g in units]), units, [prep(g) for _, _, g in units]


def locate_point(lat: float, lon: float, tolerance_deg: float = 0.05) -> tuple[str | None, str | None]:
    """(admin1 ISO, country ISO2) containing the point; the nearest unit within ``tolerance_deg`` (coasts,
    simplified borders) when it falls in none; (None, None) far from every unit."""
    from shapely.geometry import Point

    tree, units, prepared = _admin1_tree()
    point = Point(lon, lat)
    for i in tree.query(point):
        if prepared[i].contains(point):
            return units[i][0], units[i][1]["country"]
    nearest = tree.nearest(point)
    if nearest is not None and units[nearest][2].distance(point) <= tolerance_deg:
        return units[nearest][0], units[nearest][1]["country"]
    return None, None


@lru_cache(maxsize=1)
def _district_tree():
    from shapely import STRtree
    from shapely.prepared import prep

    units = list(_district_features().items())
    return STRtree([geom for _, (_, geom) in units]), units, [prep(geom) for _, (_, geom) in units]


def locate_district(lat: float, lon: float, tolerance_deg: float = 0.03) -> str | None:
    """The district id (``"SY-DR:izra"``) containing the point, or the nearest within ``tolerance_deg``
    (≈3 km: simplified borders); None outside Syria's districts or when no district file is installed."""
    from shapely.geometry import Point

    if lat is None or lon is None:
        return None
    tree, units, prepared = _district_tree()
    if not units:
        return None
    point = Point(lon, lat)
    for i in tree.query(point):
        if prepared[i].contains(point):
            return units[i][0]
    nearest = tree.nearest(point)
    if nearest is not None and units[nearest][1][1].distance(point) <= tolerance_deg:
        return units[nearest][0]
    return None


def locate_districts(lats, lons, tolerance_deg: float = 0.03) -> list[str | None]:
    """:func:`locate_district` for many points at once (vectorised; points on no district get None)."""
    import shapely

    tree, units, _ = _district_tree()
    out: list[str | None] = [None] * len(lats)
    if not units or not len(lats):
        return out
    points = shapely.points([float(x) for x in lons], [float(y) for y in lats])
    inputs, hits = tree.query(points, predicate="within")
    for i, j in zip(inputs.tolist(), hits.tolist()):
        out[i] = out[i] or units[j][0]
    missing = [i for i, found in enumerate(out) if found is None]  # coasts, simplified borders
    if missing:
        near_in, near_hit = tree.query_nearest(points[missing], max_distance=tolerance_deg)
        for i, j in zip(near_in.tolist(), near_hit.tolist()):
            out[missing[i]] = out[missing[i]] or units[j][0]
    return out
