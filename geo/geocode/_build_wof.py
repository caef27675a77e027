"""Build-time merge of Who's On First into the gazetteer: districts (admin-2) and ~10,000 localities.

* Districts: WOF county polygons → one unit per district with a stable id ``"<admin1 ISO>:<slug>"`` (e.g.
  ``SY-DR:izra``; the two WOF pieces of "Markaz Rif Dimashq" become one), its governorate taken from the
  governorate polygon containing the district's representative point. Written simplified to
  ``data/districts.geojson`` for the web map.
* Localities: joined to GeoNames rows by ``gn:id`` (one place with both sets of names, never two), else added
  as new places; every place gets the district containing it (``admin2``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from geo.geocode._wof import slug

DISTRICT_SIMPLIFY, DISTRICT_ROUND = 0.004, 3
DISTRICT_LEVEL = "admin2"


def district_units(counties: list[dict], admin1_units: list[dict]) -> list[dict]:
    """One dict per district: ``id, name, name_ar, names, admin1_iso, geometry`` (sorted by id)."""
    from shapely import STRtree, union_all

    syria = [u for u in admin1_units if u["country"] == "SY"]
    tree = STRtree([u["geometry"] for u in syria])
    grouped: dict[str, dict] = {}
    for county in counties:
        geom = county["geometry"]
        point = geom.representative_point()
        hits = [i for i in tree.query(point) if syria[i]["geometry"].contains(point)]
        index = hits[0] if hits else tree.nearest(point)
        iso = syria[index]["id"]
        did = f"{iso}:{slug(county['name'])}"
        if did in grouped:  # one district drawn as several WOF records
            grouped[did]["geometry"] = union_all([grouped[did]["geometry"], geom])
            grouped[did]["names"] = list(dict.fromkeys(grouped[did]["names"] + county["names"]))
            continue
        grouped[did] = {"id": did, "name": county["name"], "name_ar": county["name_ar"], "names": county["names"],
                        "admin1_iso": iso, "geometry": geom, "wof_id": county["wof_id"]}
    return [grouped[k] for k in sorted(grouped)]


def districts_geojson(units: list[dict]) -> dict:
    """The web-map file: simplified polygons with ``id, name, name_ar, admin1_iso`` properties."""
    from shapely import set_precision
    from shapely.geometry import mapping

    features = []
    for unit in units:
        geom = unit["geometry"].simplify(DISTRICT_SIMPLIFY, preserve_topology=True)
        geom = set_precision(geom, 10 ** -DISTRICT_ROUND)
        features.append({"type": "Feature", "properties": {
            "id": unit["id"], "name": unit["name"], "name_ar": unit["name_ar"] or None,
            "admin1_iso": unit["admin1_iso"], "wof_id": unit["wof_id"]}, "geometry": mapping(geom)})
    return {"type": "FeatureCollection",
            "metadata": {"source": "Who's On First (whosonfirst.org), whosonfirst-data-admin-sy: county "
                                   "polygons (Mesoshapes); names via GeoNames (geonames.org)",
                         "license": "CC BY 4.0: credit Who's On First and GeoNames"},
            "features": features}


def district_regions(units: list[dict]) -> tuple[dict[str, dict], dict[str, str]]:
    """Region entries for the index (level ``admin2``) and district name keys → district id.

    The keys are the district's names alone ("izra"); the geocoder only reads them after a district word
    ("Izra district", "the Izra area", "منطقة ازرع"), so a bare name still means the town.
    """
    from geo.geocode._normalize import name_key

    regions, keys = {}, {}
    for unit in units:
        point = unit["geometry"].representative_point()
        regions[unit["id"]] = {"name": f"{unit['name']} district", "country": "SY", "admin1_iso": unit["admin1_iso"],
                               "level": DISTRICT_LEVEL, "lat": round(point.y, 5), "lon": round(point.x, 5),
                               "name_ar": unit["name_ar"]}
        for name in [*unit["names"], unit["name_ar"]]:
            if name:
                keys.setdefault(name_key(name), unit["id"])
    return regions, keys


def assign_districts(points: list[tuple[float, float]], units: list[dict]) -> list[str | None]:
    """The district id containing each (lat, lon), or the nearest within ~3 km; None outside all."""
    from shapely import STRtree
    from shapely.geometry import Point

    geoms = [u["geometry"] for u in units]
    if not geoms:
        return [None] * len(points)
    tree = STRtree(geoms)
    out: list[str | None] = []
    for lat, lon in points:
        point = Point(lon, lat)
        inside = [i for i in tree.query(point) if geoms[i].contains(point)]
        index = inside[0] if inside else tree.nearest(point)
        out.append(units[index]["id"] if inside or geoms[index].distance(point) < 0.03 else None)
    return out


def merge_localities(localities: list[dict], places: list[list], names_of: list[set[str]],
                     by_geonameid: dict[int, int], name_ar: dict[int, str]) -> dict[str, int]:
    """Add WOF localities to ``places``/``names_of`` in place: joined by GeoNames id, else new rows.

    Rows use the index layout ``[name, lat, lon, cc, admin1_iso, population, feature, geonameid, source]``;
    ``admin1_iso`` is filled later by polygon. Returns counts (joined, added).
    """
    joined = added = 0
    for loc in sorted(localities, key=lambda r: r["wof_id"]):
        names = set(loc["names"]) | {loc["name"]}
        pid = by_geonameid.get(loc["gn_id"]) if loc["gn_id"] else None
        if pid is not None:
            names_of[pid] |= names
            place = places[pid]
            if place[6] == "PPL" and loc["feature"] not in ("PPL", ""):
                place[6] = loc["feature"]  # GeoNames' finer code (PPLA3, PPLQ, ...)
            place[5] = max(place[5], loc["population"])
            joined += 1
        else:
            pid = len(places)
            places.append([loc["name"], loc["lat"], loc["lon"], "SY", None, loc["population"], loc["feature"],
                           loc["gn_id"], "wof"])
            names_of.append(names)
            if loc["gn_id"]:
                by_geonameid[loc["gn_id"]] = pid
            added += 1
        if loc["name_ar"] and pid not in name_ar:
            name_ar[pid] = loc["name_ar"]
    return {"wof_joined": joined, "wof_added": added}


def write_json(path: Path, data: dict, writer) -> None:
    """Write ``data`` compactly through the atomic ``writer(path, bytes)``."""
    writer(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def group_by(items, key) -> dict:
    """``items`` grouped into lists by ``key(item)``."""
    grouped = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped
