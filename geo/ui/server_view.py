"""The dashboard on a large PostGIS store: every number from SQL, rows only a page or a few.

Above :data:`~geo.map.aggregate.LARGE_VIEW_THRESHOLD` filtered incidents a server store is never asked
for all of its rows: the metrics, the timeline and the density come from SQL aggregations, the map's
counts per cell from ``store.cell_type_counts`` for the current view (``geo.map.large_view.
store_large_map``, the same cells and colours as the embedded store's bubbles), and the table gets the
newest :data:`TABLE_PAGE` incidents. Below the threshold the usual path (rows read per filter state)
is kept. Streamlit code, imported only by ``dashboard.py`` and ``geo.ui.views``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from geo.filters import Filters
from geo.map.aggregate import LARGE_VIEW_THRESHOLD
from geo.ui.data import is_server, opened_store

#: Rows the table gets when the filtered set is large (newest first).
TABLE_PAGE = 5_000


@st.cache_data(max_entries=32, show_spinner=False)
def _numbers(db: str, token: str, filters_key: str, _filters: Filters, _cells=None):
    """Stats, actors, governorates and daily timeline of a filter state: one SQL statement, one read of
    the matching rows (``PostgisStore.view_numbers``); the metrics, timeline, density and map share it.
    ``_cells`` (not part of the cache key): the map's cells wanted with them, see :func:`_cells_request`."""
    with opened_store(db) as store:
        return store.view_numbers(_filters, _cells)


def _cells_request(filters: Filters, view):
    """The ``cells`` argument of ``view_numbers`` that answers ``store_large_map``'s count for ``view``
    (its padded box, its zoom's cell size), or None without a view or with a map-view filter."""
    if view is None or filters.bbox:
        return None
    from geo.map.aggregate import cell_degrees

    box = view.padded()
    return cell_degrees(view.zoom), (box.west, box.south, box.east, box.north)


@st.cache_data(max_entries=32, show_spinner=False)
def _small_stats(db: str, token: str, filters_key: str, _filters: Filters):
    """``view_stats`` when the planner expects few incidents (a plain count is cheaper than the numbers,
    which only a large view needs), else None."""
    with opened_store(db) as store:
        if store.estimate_matching(_filters) > LARGE_VIEW_THRESHOLD // 2:
            return None
        return store.view_stats(_filters)


def _stats(db: str, token: str, filters_key: str, _filters: Filters):
    small = _small_stats(db, token, filters_key, _filters)
    if small is not None and small.incidents <= LARGE_VIEW_THRESHOLD:
        return small
    # After a first large map the page reports its view: the cells of a filter change then come with
    # the numbers, in the same read of the rows.
    wanted = _cells_request(_filters, st.session_state.get("large_view"))
    return _numbers(db, token, filters_key, _filters, wanted).stats


class _KnownCells:
    """A store whose ``cell_type_counts`` answers the request already counted with the numbers."""

    def __init__(self, store, filters: Filters, numbers) -> None:
        self.store, self.filters, self.numbers = store, filters, numbers

    def cell_type_counts(self, filters: Filters, cell_deg: float):
        import dataclasses

        known = self.numbers.cells_for
        if known is not None and self.numbers.cells is not None and cell_deg == known[0] \
                and filters.bbox == known[1] and dataclasses.replace(filters, bbox=None) == self.filters:
            return self.numbers.cells.copy()
        return self.store.cell_type_counts(filters, cell_deg)

    def read(self, filters: Filters):
        return self.store.read(filters)


def is_large(db: str, token: str, filters: Filters) -> bool:
    """True for a server store with more than the large-view threshold of incidents passing ``filters``."""
    return is_server(db) and _stats(db, token, repr(filters), filters).incidents > LARGE_VIEW_THRESHOLD


@st.cache_resource(max_entries=4, show_spinner="Loading the newest incidents…")
def page(db: str, token: str, filters_key: str, _filters: Filters):
    """The newest :data:`TABLE_PAGE` incidents passing the filters, oldest first like a full read;
    ``attrs["incidents"]`` holds how many pass them in all."""
    with opened_store(db) as store:
        rows = store.read_recent(_filters, TABLE_PAGE).iloc[::-1].reset_index(drop=True)
    rows.attrs["incidents"] = _stats(db, token, filters_key, _filters).incidents  # the table says "of N"
    return rows


class ServerSelection:
    """What the dashboard asks of a filter state (like a file store's index selection), answered in SQL
    (one statement for all of it, :func:`_numbers`) and cached per store change and filter state."""

    def __init__(self, db: str, token: str, filters: Filters) -> None:
        self.db, self.token, self.filters, self.key = db, token, filters, repr(filters)

    def __len__(self) -> int:
        return _stats(self.db, self.token, self.key, self.filters).incidents

    def summary(self, top: int = 3):
        return _summary(self.db, self.token, self.key, self.filters, top)

    def timeline(self, granularity: str = "week"):
        return _timeline(self.db, self.token, self.key, self.filters, granularity)

    def region_counts(self):
        return _regions(self.db, self.token, self.key, self.filters)


def selection(db: str, token: str, filters: Filters) -> ServerSelection:
    """The SQL-answered selection of ``filters`` on the server store ``db``."""
    return ServerSelection(db, token, filters)


def _summary(db: str, token: str, filters_key: str, _filters: Filters, top: int):
    return _numbers(db, token, filters_key, _filters).summary(top)


def _timeline(db: str, token: str, filters_key: str, _filters: Filters, granularity: str):
    return _numbers(db, token, filters_key, _filters).timeline(granularity)


def _regions(db: str, token: str, filters_key: str, _filters: Filters):
    return _numbers(db, token, filters_key, _filters).regions


@st.cache_resource(max_entries=4, show_spinner="Counting the map…")
def large_map_args(db: str, token: str, filters_key: str, highlight: tuple[str, ...], view_key: str,
                   _filters: Filters, _view) -> dict:
    """Like ``geo.ui.data.cached_large_map_args`` with the counting done by the server store: the incidents
    of the map at ``_view`` (None = the filtered set's extent) as ``"layer"``, plus ``"view"`` and ``"mode"``."""
    from geo.map.aggregate import fitting_view
    from geo.map.large_view import store_large_map
    from geo.map.streamlit_args import layer_script

    numbers = _numbers(db, token, filters_key, _filters)  # cached by is_large (with the cells of the view)
    stats = numbers.stats
    if _view is None and stats.extent is not None:
        south, west, north, east = stats.extent
        _view = fitting_view(np.array([south, north]), np.array([west, east]))
    with opened_store(db) as store:
        fmap = store_large_map(_KnownCells(store, _filters, numbers), _filters, _view, total=stats.incidents,
                               highlight_ids=highlight, threshold=LARGE_VIEW_THRESHOLD)
    return {"layer": layer_script(fmap), "view": fmap.atlas_view, "mode": fmap.atlas_mode}
