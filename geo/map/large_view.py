"""The map of a large filtered set: count bubbles for the view, or its points once few enough.

:func:`large_map` is what the dashboard draws when more than :data:`~geo.map.aggregate.LARGE_VIEW_THRESHOLD`
incidents pass the filters. The payload then grows with what is visible (cells at the view's zoom, or the
incidents inside the view), not with the number of incidents filtered.
"""

from __future__ import annotations

from typing import Sequence

import folium
import pandas as pd

from geo.map.aggregate import LARGE_VIEW_THRESHOLD, View, aggregate, fitting_view, in_view_mask
from geo.map.payload import coordinates, encode_aggregates


def large_map(frame: pd.DataFrame, view: View | None = None, *, highlight_ids: Sequence[str] = (),
              threshold: int = LARGE_VIEW_THRESHOLD, target: str = "streamlit") -> folium.Map:
    """The map of ``frame`` at ``view`` (the whole data when None): per-cell counts when more than
    ``threshold`` incidents lie in the (padded) view, else those incidents as points.

    Attributes set on the returned map besides :func:`geo.map.page.build_map`'s: ``atlas_mode``
    (``"aggregate"`` or ``"points"``), ``atlas_view`` (the :class:`View` drawn) and ``atlas_in_view``.
    """
    from geo.map.page import build_map

    lat, lon = coordinates(frame)
    view = view or fitting_view(lat, lon)
    counted = view.padded()
    inside = in_view_mask(lat, lon, counted)
    n_inside = int(inside.sum())
    types = frame["event_type"] if "event_type" in frame.columns else pd.Series([""] * len(frame))
    center = (*view.center(), view.zoom)
    if n_inside <= threshold:
        agg = aggregate(lat[:0], lon[:0], types.iloc[:0], view.zoom)
        note = encode_aggregates(agg, view)
        note.update(out=int(len(frame) - n_inside - (lat != lat).sum()), nc=int((lat != lat).sum()), pts=n_inside)
        m = build_map(frame[inside], target=target, highlight_ids=highlight_ids, aggregates=note, view=center)
        m.atlas_mode = "points"
    else:
        agg = aggregate(lat, lon, types.to_numpy(), view.zoom, counted)
        m = build_map(frame.iloc[:0], target=target, aggregates=encode_aggregates(agg, view), view=center,
                      legend=False)  # the bubbles' note names their colours
        m.atlas_mode = "aggregate"
    m.atlas_view, m.atlas_in_view = view, n_inside
    return m
