"""Density aggregations of an incident frame: per governorate, square grid cells and hexagons.

The PostGIS store computes :func:`region_counts` and :func:`grid_counts` in SQL with the same result.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from geo.admin1 import all_admin1, resolve_admin1


def region_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents and fatalities per governorate: columns ``admin1_iso``, ``name``, ``incidents``,
    ``fatalities``, largest first. Rows without a governorate are counted under ``""`` / "Unknown"."""
    cols = ["admin1_iso", "name", "incidents", "fatalities"]
    if not len(frame):
        return pd.DataFrame(columns=cols)
    iso = frame["admin1_iso"].fillna("").astype(str).str.upper() if "admin1_iso" in frame \
        else pd.Series("", index=frame.index)
    fat = pd.to_numeric(frame["fatalities"], errors="coerce").fillna(0) if "fatalities" in frame \
        else pd.Series(0, index=frame.index)
    grouped = pd.DataFrame({"admin1_iso": iso, "f": fat}).groupby("admin1_iso")
    out = pd.DataFrame({"incidents": grouped.size(), "fatalities": grouped["f"].sum()}).reset_index()
    names = {u.iso: u.name for u in all_admin1()}
    fallback = {}
    if "admin1" in frame:
        fallback = (pd.DataFrame({"iso": iso, "n": frame["admin1"]}).dropna()
                    .drop_duplicates("iso").set_index("iso")["n"].to_dict())
    out["name"] = [names.get(i) or fallback.get(i) or (i or "Unknown") for i in out["admin1_iso"]]
    out["incidents"] = out["incidents"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    out = out.sort_values(["incidents", "name"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True)


def region_iso(name_or_code: str) -> str:
    """ISO 3166-2 code of a governorate given by any spelling (unknown input returned upper-cased)."""
    unit = resolve_admin1(name_or_code)
    return unit.iso if unit else name_or_code.strip().upper()


def _lonlat(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    return lon[ok], lat[ok]


def grid_counts(frame: pd.DataFrame, cell_deg: float = 0.25):
    """Square-grid aggregation: a GeoDataFrame of cells (``cell_deg`` degrees on a side, aligned to
    multiples of ``cell_deg``) with ``incidents`` > 0 and the cell polygon as geometry."""
    import geopandas as gpd
    from shapely import box

    if cell_deg <= 0:
        raise ValueError("cell_deg must be positive")
    lon, lat = _lonlat(frame)
    ix, iy = np.floor(lon / cell_deg).astype(np.int64), np.floor(lat / cell_deg).astype(np.int64)
    cells = pd.DataFrame({"ix": ix, "iy": iy}).value_counts().rename("incidents").reset_index()
    geoms = [box(x * cell_deg, y * cell_deg, (x + 1) * cell_deg, (y + 1) * cell_deg)
             for x, y in zip(cells["ix"], cells["iy"])]
    cells["incidents"] = cells["incidents"].astype("int64")
    return gpd.GeoDataFrame(cells[["incidents"]], geometry=geoms, crs="EPSG:4326")


def hex_counts(frame: pd.DataFrame, size_deg: float = 0.2):
    """Hexagon aggregation: a GeoDataFrame of pointy-top hexagons (circumradius ``size_deg`` degrees,
    in plain lon/lat) with ``incidents`` > 0, the hexagon polygon and its centre (``lon``, ``lat``)."""
    import geopandas as gpd
    from shapely import Polygon

    if size_deg <= 0:
        raise ValueError("size_deg must be positive")
    lon, lat = _lonlat(frame)
    # axial coordinates of pointy-top hexagons, then cube rounding
    q = (math.sqrt(3) / 3 * lon - lat / 3) / size_deg
    r = (2 / 3 * lat) / size_deg
    x, z = q, r
    y = -x - z
    rx, ry, rz = np.round(x), np.round(y), np.round(z)
    dx, dy, dz = np.abs(rx - x), np.abs(ry - y), np.abs(rz - z)
    fix_x = (dx > dy) & (dx > dz)
    fix_y = ~fix_x & (dy > dz)
    rx = np.where(fix_x, -ry - rz, rx)
    ry = np.where(fix_y, -rx - rz, ry)
    rz = np.where(~fix_x & ~fix_y, -rx - ry, rz)
    cells = pd.DataFrame({"q": rx.astype(np.int64), "r": rz.astype(np.int64)}).value_counts() \
        .rename("incidents").reset_index()
    cx = size_deg * math.sqrt(3) * (cells["q"] + cells["r"] / 2)
    cy = size_deg * 1.5 * cells["r"]
    angles = np.radians(np.arange(6) * 60 + 30)
    geoms = [Polygon(zip(x0 + size_deg * np.cos(angles), y0 + size_deg * np.sin(angles)))
             for x0, y0 in zip(cx, cy)]
    out = pd.DataFrame({"incidents": cells["incidents"].astype("int64"), "lon": cx, "lat": cy})
    return gpd.GeoDataFrame(out, geometry=geoms, crs="EPSG:4326")
