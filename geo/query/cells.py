"""Incidents per grid cell and event type: the counts behind the map's large-view bubbles.

One row per (cell, event type) with the incidents and the sums of their coordinates (so a cell's mean
position can be formed after merging types). Cells are ``cell_deg`` degrees on a side, aligned to its
multiples exactly as :func:`geo.query.density.grid_counts`; rows without coordinates are left out.
A server store computes the same table in SQL (``PostgisStore.cell_type_counts``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of :func:`cell_type_counts` (and of every store's ``cell_type_counts``).
CELL_COLUMNS = ("ix", "iy", "event_type", "incidents", "lat_sum", "lon_sum")


def empty_cells() -> pd.DataFrame:
    """A typed empty cell table."""
    return pd.DataFrame({"ix": pd.Series(dtype="int64"), "iy": pd.Series(dtype="int64"),
                         "event_type": pd.Series(dtype="object"), "incidents": pd.Series(dtype="int64"),
                         "lat_sum": pd.Series(dtype="float64"), "lon_sum": pd.Series(dtype="float64")})


def cell_type_counts(frame: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    """Incidents of ``frame`` per (cell, event_type), vectorised; columns :data:`CELL_COLUMNS`,
    sorted by ix, iy, event_type (a missing event type is the empty string)."""
    if not cell_deg > 0:
        raise ValueError("cell_deg must be positive")
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return empty_cells()
    types = frame["event_type"] if "event_type" in frame.columns else pd.Series("", index=frame.index)
    table = pd.DataFrame({
        "ix": np.floor(lon[ok] / cell_deg).astype(np.int64), "iy": np.floor(lat[ok] / cell_deg).astype(np.int64),
        "event_type": types.astype("object").where(types.notna(), "").to_numpy()[ok].astype(str),
        "lat": lat[ok], "lon": lon[ok]})
    grouped = table.groupby(["ix", "iy", "event_type"], sort=True)
    out = grouped.agg(incidents=("lat", "size"), lat_sum=("lat", "sum"), lon_sum=("lon", "sum")).reset_index()
    out["incidents"] = out["incidents"].astype("int64")
    return out[list(CELL_COLUMNS)]
