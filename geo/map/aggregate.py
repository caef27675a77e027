"""Large-view mode: exact incident counts per grid cell at the map's zoom, instead of one marker each.

Above :data:`LARGE_VIEW_THRESHOLD` incidents in the filtered view the map gets aggregates: the view is cut
into square cells about :data:`CELL_PX` pixels wide at the current zoom, and each cell carries its exact
incident count, the mean position of its incidents and its most frequent event type (the bubble's
colour). Binning is vectorised with numpy (no per-row Python), so 1M incidents take well under a second.

Every incident is accounted for exactly once: ``sum(cells) + outside + missing == len(input)``, where
``outside`` counts incidents beyond the (padded) view and ``missing`` those without coordinates.
Region-level incidents (geo_precision 3) are counted in the cell of their representative point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

#: Filtered incidents above which the map shows cells instead of points (dashboard large-view mode).
LARGE_VIEW_THRESHOLD = 20_000
#: Width of a cell on screen (pixels) at the zoom it was computed for.
CELL_PX = 48
#: The part of the view's size added on every side before counting (so short pans stay covered).
VIEW_PAD = 0.5
#: Zoom range of the dashboard map (matches the map's min/max zoom).
MIN_ZOOM, MAX_ZOOM = 5, 16


@dataclass(frozen=True)
class View:
    """What the map shows: zoom and bounds (degrees)."""

    zoom: float
    south: float
    west: float
    north: float
    east: float

    def padded(self, fraction: float = VIEW_PAD) -> "View":
        """The same view grown by ``fraction`` of its height/width on every side."""
        dy, dx = (self.north - self.south) * fraction, (self.east - self.west) * fraction
        return View(self.zoom, max(-90.0, self.south - dy), max(-180.0, self.west - dx),
                    min(90.0, self.north + dy), min(180.0, self.east + dx))

    def center(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the view."""
        return (self.south + self.north) / 2, (self.west + self.east) / 2


@dataclass
class Aggregates:
    """Counts per cell (parallel arrays, one entry per non-empty cell) and what was left out of them."""

    lat: np.ndarray  # mean latitude of the cell's incidents
    lon: np.ndarray
    count: np.ndarray  # exact incidents per cell (int64, > 0)
    top: np.ndarray  # index into ``types`` of the cell's most frequent event type
    types: list[str]
    outside: int  # incidents with coordinates outside the (padded) view
    missing: int  # incidents without coordinates
    zoom: float
    cell_deg: float

    @property
    def total(self) -> int:
        """Incidents counted in cells."""
        return int(self.count.sum())


def cell_degrees(zoom: float, cell_px: int = CELL_PX) -> float:
    """Cell width in degrees so that a cell is ``cell_px`` pixels wide at ``zoom`` (Web Mercator tiles)."""
    return cell_px * 360.0 / (256.0 * 2.0 ** float(zoom))


def in_view_mask(lat: np.ndarray, lon: np.ndarray, view: View | None) -> np.ndarray:
    """Which points have coordinates and lie inside ``view`` (all points with coordinates if None)."""
    ok = ~(np.isnan(lat) | np.isnan(lon))
    if view is None:
        return ok
    with np.errstate(invalid="ignore"):
        return ok & (lat >= view.south) & (lat <= view.north) & (lon >= view.west) & (lon <= view.east)


def aggregate(lat: np.ndarray, lon: np.ndarray, event_types: Sequence[object] | np.ndarray | pd.Series,
              zoom: float, view: View | None = None) -> Aggregates:
    """Exact counts per grid cell at ``zoom`` of the points inside ``view`` (all points when None).

    ``lat``/``lon`` are float arrays (NaN = no coordinates), ``event_types`` one label per point.
    """
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if not (len(lat) == len(lon) == len(event_types)):
        raise ValueError("lat, lon and event_types must have the same length")
    labels = event_types if isinstance(event_types, pd.Series) else pd.Series(event_types, dtype="object")
    codes, uniques = pd.factorize(labels.fillna("").to_numpy() if labels.dtype == object else labels.fillna(""),
                                  sort=True)  # Arrow strings factorize in Arrow: ~30x faster than objects
    types = [str(u) for u in uniques]
    has_coords = ~(np.isnan(lat) | np.isnan(lon))
    inside = in_view_mask(lat, lon, view)
    missing = int((~has_coords).sum())
    outside = int(has_coords.sum() - inside.sum())
    cell = cell_degrees(zoom)
    la, lo, code = lat[inside], lon[inside], codes[inside]
    if not len(la):
        empty = np.zeros(0)
        return Aggregates(empty, empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), types,
                          outside, missing, float(zoom), cell)
    iy = np.floor(la / cell).astype(np.int64)
    ix = np.floor(lo / cell).astype(np.int64)
    width = int(ix.max() - ix.min()) + 1
    key = (iy - iy.min()) * width + (ix - ix.min())
    cells, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    ncell, ntype = len(cells), max(1, len(types))
    per_type = np.bincount(inverse * ntype + code, minlength=ncell * ntype).reshape(ncell, ntype)
    return Aggregates(lat=np.bincount(inverse, weights=la, minlength=ncell) / counts,
                      lon=np.bincount(inverse, weights=lo, minlength=ncell) / counts,
                      count=counts.astype(np.int64), top=per_type.argmax(axis=1).astype(np.int64),
                      types=types, outside=outside, missing=missing, zoom=float(zoom), cell_deg=cell)


def fitting_view(lat: np.ndarray, lon: np.ndarray, width_px: int = 800, height_px: int = 560) -> View:
    """The whole-data view the map opens on: the points' extent at the largest zoom that shows it all."""
    ok = ~(np.isnan(lat) | np.isnan(lon))
    if not ok.any():
        south, west, north, east = 32.3, 35.6, 37.4, 42.4  # Syria
    else:
        south, north = float(lat[ok].min()), float(lat[ok].max())
        west, east = float(lon[ok].min()), float(lon[ok].max())
    span_lon = max(east - west, 1e-3)
    span_lat = max(north - south, 1e-3) / max(0.2, math.cos(math.radians((south + north) / 2)))
    zoom = math.floor(2 * min(math.log2(width_px * 360.0 / 256.0 / span_lon),
                              math.log2(height_px * 360.0 / 256.0 / span_lat))) / 2
    return View(float(min(max(zoom, MIN_ZOOM), MAX_ZOOM)), south, west, north, east)


def view_from_map(bounds: dict | None, zoom: float | None) -> View | None:
    """A :class:`View` from what streamlit-folium returns (Leaflet bounds dict and zoom), or None."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        south, west, north, east = (float(sw["lat"]), float(sw["lng"]), float(ne["lat"]), float(ne["lng"]))
        z = float(zoom)
    except (TypeError, KeyError, ValueError):
        return None
    if any(math.isnan(v) for v in (south, west, north, east, z)) or south >= north or west >= east:
        return None
    return View(z, south, west, north, east)


def needs_new_view(shown: View | None, now: View | None) -> bool:
    """Whether the map moved enough to need new aggregates: another zoom, or bounds leaving the padded
    area that was counted for ``shown`` (small pans stay inside it and cause no new map)."""
    if now is None:
        return False
    if shown is None or abs(now.zoom - shown.zoom) >= 0.5:
        return True
    area = shown.padded()
    return now.south < area.south or now.west < area.west or now.north > area.north or now.east > area.east


def from_cell_counts(cells: pd.DataFrame, zoom: float, *, total: int, missing: int = 0) -> Aggregates:
    """:class:`Aggregates` from a store's per-(cell, type) table (``store.cell_type_counts(filters,
    cell_degrees(zoom))``, filters narrowed to the padded view) for a filtered set of ``total``
    incidents, ``missing`` of them without coordinates; the rest not in a cell is ``outside``."""
    types = sorted(str(t) for t in cells["event_type"].unique()) if len(cells) else []
    if not len(cells):
        empty = np.zeros(0)
        return Aggregates(empty, empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), types,
                          int(total) - int(missing), int(missing), float(zoom), cell_degrees(zoom))
    code = pd.Categorical(cells["event_type"].astype(str), categories=types).codes
    cell = cells.groupby(["ix", "iy"], sort=True).ngroup().to_numpy()
    n = int(cell.max()) + 1
    k = cells["incidents"].to_numpy(dtype=np.int64)
    count = np.bincount(cell, weights=k, minlength=n).astype(np.int64)
    per_type = np.zeros((n, len(types)), dtype=np.int64)
    np.add.at(per_type, (cell, code), k)
    lat = np.bincount(cell, weights=cells["lat_sum"].to_numpy(dtype=float), minlength=n) / count
    lon = np.bincount(cell, weights=cells["lon_sum"].to_numpy(dtype=float), minlength=n) / count
    outside = int(total) - int(missing) - int(count.sum())
    if outside < 0:
        raise ValueError("cell counts exceed the filtered total")
    return Aggregates(lat, lon, count, per_type.argmax(axis=1).astype(np.int64), types, outside, int(missing),
                      float(zoom), cell_degrees(zoom))
