"""The map of a large filtered set: count bubbles for the view, or its points once few enough.

:func:`large_map` is what the dashboard draws when more than :data:`~geo.map.aggregate.LARGE_VIEW_THRESHOLD`
incidents pass the filters (from the rows it already holds); :func:`store_large_map` does the same with
the counting left to the store (``store.cell_type_counts``: one SQL GROUP BY on PostGIS), reading rows
only for a view that holds few enough. Either way the payload grows with what is visible (cells at the
view's zoom, or the incidents inside the view), not with the number of incidents filtered.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import folium
import numpy as np
import pandas as pd

from geo.filters import Filters
from geo.map.aggregate import (
    LARGE_VIEW_THRESHOLD,
    Aggregates,
    View,
    aggregate,
    cell_degrees,
    fitting_view,
    from_cell_counts,
    in_view_mask,
)
from geo.map.payload import coordinates, encode_aggregates


def _points_map(rows: pd.DataFrame, view: View, *, outside: int, missing: int, highlight_ids: Sequence[str],
                target: str) -> folium.Map:
    from geo.map.page import build_map

    empty = aggregate(np.zeros(0), np.zeros(0), [], view.zoom)
    note = encode_aggregates(empty, view)
    note.update(out=int(outside), nc=int(missing), pts=int(len(rows)))
    m = build_map(rows, target=target, highlight_ids=highlight_ids, aggregates=note,
                  view=(*view.center(), view.zoom))
    m.atlas_mode = "points"
    return m


def _bubbles_map(template: pd.DataFrame, agg: Aggregates, view: View, target: str) -> folium.Map:
    from geo.map.page import build_map

    m = build_map(template.iloc[:0], target=target, aggregates=encode_aggregates(agg, view),
                  view=(*view.center(), view.zoom), legend=False)  # the bubbles' note names their colours
    m.atlas_mode = "aggregate"
    return m


def large_map(frame: pd.DataFrame, view: View | None = None, *, highlight_ids: Sequence[str] = (),
              threshold: int = LARGE_VIEW_THRESHOLD, target: str = "streamlit") -> folium.Map:
    """The map of ``frame`` at ``view`` (the whole data when None): per-cell counts when more than
    ``threshold`` incidents lie in the (padded) view, else those incidents as points.

    Attributes set on the returned map besides :func:`geo.map.page.build_map`'s: ``atlas_mode``
    (``"aggregate"`` or ``"points"``), ``atlas_view`` (the :class:`View` drawn) and ``atlas_in_view``.
    """
    lat, lon = coordinates(frame)
    view = view or fitting_view(lat, lon)
    counted = view.padded()
    inside = in_view_mask(lat, lon, counted)
    n_inside, missing = int(inside.sum()), int((np.isnan(lat) | np.isnan(lon)).sum())
    if n_inside <= threshold:
        m = _points_map(frame[inside], view, outside=len(frame) - n_inside - missing, missing=missing,
                        highlight_ids=highlight_ids, target=target)
    else:
        types = frame["event_type"] if "event_type" in frame.columns else pd.Series([""] * len(frame))
        m = _bubbles_map(frame, aggregate(lat, lon, types, view.zoom, counted), view, target)
    m.atlas_view, m.atlas_in_view = view, n_inside
    return m


def _narrowed(filters: Filters, view: View) -> Filters:
    """``filters`` with the map-view box cut down to ``view`` (west, south, east, north)."""
    west, south, east, north = view.west, view.south, view.east, view.north
    if filters.bbox:
        w, s, e, n = filters.bbox
        west, south, east, north = max(west, w), max(south, s), min(east, e), min(north, n)
        if west > east or south > north:  # no overlap: an empty box
            west, south, east, north = w, s, w, s
    return dataclasses.replace(filters, bbox=(west, south, east, north))


def store_large_map(store, filters: Filters | None, view: View | None, *, total: int, missing: int = 0,
                    highlight_ids: Sequence[str] = (), threshold: int = LARGE_VIEW_THRESHOLD,
                    target: str = "streamlit") -> folium.Map:
    """:func:`large_map` for a store that counts by itself: the cells of the (padded) view come from
    ``store.cell_type_counts`` (PostGIS: one GROUP BY), rows are read only when the view holds at most
    ``threshold`` incidents. ``total`` is the number of incidents passing ``filters`` (the metric),
    ``missing`` how many of them have no coordinates; the rest not in the view is reported as outside."""
    filters = filters or Filters()
    view = view or fitting_view(np.zeros(0), np.zeros(0))
    narrowed = _narrowed(filters, view.padded())
    cells = store.cell_type_counts(narrowed, cell_degrees(view.zoom))
    n_inside = int(cells["incidents"].sum())
    if n_inside <= threshold:
        rows = store.read(narrowed)
        m = _points_map(rows, view, outside=total - missing - len(rows), missing=missing,
                        highlight_ids=highlight_ids, target=target)
    else:
        agg = from_cell_counts(cells, view.zoom, total=total, missing=missing)
        m = _bubbles_map(pd.DataFrame({"event_id": []}), agg, view, target)
    m.atlas_view, m.atlas_in_view = view, n_inside
    return m
