"""Cached reads for the dashboard: the store, its change token, incidents per filter state, facets, map arguments.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from geo import query
from geo.errors import GeoError, RowErrors
from geo.filters import Filters


def is_server(db: str) -> bool:
    from geo.store.location import is_server_url

    return is_server_url(db)


@st.cache_resource(max_entries=4)
def shared_store(db: str):
    """One open PostGIS store per URL, shared by every session (the store serialises its queries)."""
    from geo.store import open_store

    return open_store(db)


@contextmanager
def opened_store(db: str) -> Iterator:
    """The store at ``db``: the shared connection for a server, a freshly opened file otherwise."""
    if is_server(db):
        yield shared_store(db)
        return
    from geo.store import open_store

    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def store_token(db: str) -> str:
    """Changes whenever the store changes, so cached reads refresh after imports (the store's change marker)."""
    with opened_store(db) as store:
        return f"{db}|{store.change_marker()}"


@st.cache_resource(max_entries=1, show_spinner="Indexing incidents…")
def incident_index(db: str, token: str):
    """A file store's incidents in an in-memory index (geo.query.index), rebuilt when the store changes:
    filter changes then select rows from posting lists instead of reading or rescanning every row.
    One index is kept (a 1M-incident index holds ~1.2 GB); building a new one drops the frames cut
    from the previous one, so the old rows are freed at once."""
    from geo.query.index import IncidentIndex

    _indexed_incidents.clear()
    with opened_store(db) as store:
        # the store's columnar snapshot when it has one (no geometry objects: the map reads coordinates),
        # with the value codes of the indexed text columns
        if hasattr(store, "read_frame_codes"):
            return IncidentIndex(*store.read_frame_codes(IncidentIndex.CODED))
        return IncidentIndex(store.read())


# Frames are cached as resources (shared, never copied: do not mutate them); one entry per filter state.
# A file store's frames come from its index (the whole period and date ranges share the indexed rows;
# other selections are copies, so only the last two are kept).
@st.cache_resource(max_entries=2, show_spinner=False)
def _indexed_incidents(db: str, token: str, filters_key: str, _filters: Filters):
    return incident_index(db, token).select(_filters).frame()


@st.cache_resource(max_entries=6, show_spinner="Loading incidents…")
def _read_incidents(db: str, token: str, filters_key: str, _filters: Filters):
    with opened_store(db) as store:
        return store.read(_filters)


def load_incidents(db: str, token: str, filters_key: str, filters: Filters):
    """The incidents passing ``filters`` (named by ``filters_key``): from the index of a file store,
    read with the filters from a server store."""
    if is_server(db):
        return _read_incidents(db, token, filters_key, filters)
    return _indexed_incidents(db, token, filters_key, filters)


def index_selection(db: str, token: str, filters: Filters):
    """A file store's index selection for ``filters`` (summary, timeline, counts from one pass), or None
    for a server store (which counts on its server)."""
    return None if is_server(db) else incident_index(db, token).select(filters)


@st.cache_resource(max_entries=4, show_spinner="Reading filter options…")
def facets(db: str, token: str) -> dict:
    """Option lists with counts for the sidebar (over the whole store, so options stay stable).

    A server store counts them itself; a file store's index counts them from its value codes.
    """
    if is_server(db):
        with opened_store(db) as store:
            found = dict(store.facets())
    else:
        found = incident_index(db, token).select(Filters()).facets()
    found["regions"] = found["regions"].set_index("admin1_iso")
    return found


@st.cache_data(max_entries=16, show_spinner=False)
def server_density(db: str, token: str, filters_key: str, _filters: Filters, cell_deg: float):
    """(counts per governorate, grid cells) aggregated by the store itself (on its server)."""
    with opened_store(db) as store:
        return store.counts_by_admin1(_filters), store.grid_counts(_filters, cell_deg)


@st.cache_resource(max_entries=8, show_spinner="Drawing the map…")
def cached_map_args(token: str, filters_key: str, highlight: tuple[str, ...], _frame) -> dict:
    """The incidents of a filtered set as the script that draws them on the map page (``"layer"``);
    rebuilt only when the data, filters or highlight change (reruns for anything else reuse it)."""
    from geo.map.streamlit_args import layer_script

    return {"layer": layer_script(build_incident_map(_frame, highlight))}


@st.cache_resource(max_entries=4, show_spinner="Drawing the map…")
def cached_large_map_args(token: str, filters_key: str, highlight: tuple[str, ...], view_key: str, _frame,
                          _view) -> dict:
    """Large-view mode (geo.map.large_view): the drawing of ``_frame`` at ``_view`` (None = whole data)
    as ``"layer"`` (see :func:`cached_map_args`), plus ``"view"`` (the View drawn) and ``"mode"``
    ("aggregate" or "points")."""
    from geo.map.large_view import large_map
    from geo.map.streamlit_args import layer_script

    fmap = large_map(_frame, _view, highlight_ids=highlight)
    return {"layer": layer_script(fmap), "view": fmap.atlas_view, "mode": fmap.atlas_mode}


def build_incident_map(frame, highlight: tuple[str, ...] = ()):
    from geo.map.page import build_map

    return build_map(frame, target="streamlit", tiles=False, highlight_ids=highlight)


@st.cache_resource
def static_assets_ready() -> bool:
    """Copy Leaflet & co. into ./static/vendor once per server (served at /app/static/)."""
    from geo.map.page import ensure_static_assets

    ensure_static_assets()
    return True


@st.cache_resource(max_entries=1)
def governorate_shapes():
    """Governorate polygons (admin1_iso + geometry), or None when the boundary data is unavailable."""
    try:
        from geo.geocode.regions import boundaries

        shapes = boundaries()
        return shapes[shapes["level"] == "admin1"].reset_index(drop=True)
    except (ImportError, GeoError, OSError):
        return None


def show_error(exc: Exception) -> None:
    if isinstance(exc, RowErrors):  # one headline in the dashboard's words, then each bad row once
        st.error(query.escape_markdown(f"{exc.file}: {len(exc.errors)} bad row(s), nothing imported. Tick "
                                       "“Skip bad rows” to import the good rows, or fix the file."))
        for err in exc.errors[:20]:
            st.caption(query.escape_markdown(str(err)))
        if len(exc.errors) > 20:
            st.caption(f"… and {len(exc.errors) - 20} more.")
        return
    st.error(query.escape_markdown(str(exc)))
