"""Incident Atlas dashboard: `streamlit run dashboard.py`.

Only widgets and layout live here; filtering, aggregation, URL state, ingest and maps are in geo/.
The whole filter state is mirrored in the URL query string, so a link reopens the same view.
Only the incidents of the current filters are loaded (``store.read(filters)``); filter options come from
``store.facets()``, and a store that aggregates on its server (PostGIS) draws the density tab itself.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo import query
from geo.errors import GeoError
from geo.ingest import session as ingest_session
from geo.paths import default_db
from geo.ui import server_view
from geo.ui.data import facets, index_selection, load_incidents, show_error, store_token
from geo.ui.density import density_section
from geo.ui.exports import export_section
from geo.ui.imports import import_section
from geo.ui.sidebar import sidebar, sidebar_after_map
from geo.ui.state import (
    current_state,
    init_from_url,
    store_from_url,
    store_name_of,
    write_url,
)
from geo.ui.views import (
    import_notice,
    map_section,
    metrics,
    table_and_highlight,
    timeline_section,
)

# before any element is drawn (the geo.ui imports above only define functions)
st.set_page_config(page_title="Incident Atlas", page_icon=None, layout="wide")


def main() -> None:
    """Lay out the page."""
    env_db = default_db()
    stores = [env_db]
    user_copy = str(ingest_session.user_store_path())
    if ingest_session.is_sample(env_db) and Path(user_copy).exists():
        stores.append(user_copy)
    ss = st.session_state
    if "pending_db" in ss:  # set by a commit that went to another store (the user copy)
        ss.db = ss.pop("pending_db")
        ss.initialised = False
    if ss.get("db") not in (None, *stores):
        stores.append(ss.db)
    if ss.get("db") is None:  # first run: the store the link names (by name, among these only)
        ss.db = store_from_url(stores) or stores[0]
    db = ss.db
    try:
        token = store_token(db)
        facet = facets(db, token)
    except (GeoError, ImportError, OSError) as exc:
        st.title("Incident Atlas")
        show_error(exc)
        return
    ss.date_bounds = facet["dates"]
    ss.region_options = tuple(facet["regions"].index)
    ss.district_options = tuple(facet["districts"].index)
    if not st.session_state.get("initialised"):
        init_from_url(facet)
    # The filters are read from the session (the widgets' keys) and the sidebar is drawn after the map (on
    # a session's first run only a stand-in): the browser builds the map before the widgets.
    state = current_state(facet)
    write_url(state, store_name_of(db, stores) if db != stores[0] else None)  # the default store goes unnamed
    map_filters = query.without_bbox(state.filters)  # the map-view restriction is applied here, below
    try:
        large = server_view.is_large(db, token, map_filters)  # a big server store: SQL numbers, a table page
        map_frame = (server_view.page if large else load_incidents)(db, token, repr(map_filters), map_filters)
        view = (server_view.page(db, token, repr(state.filters), state.filters) if large and state.filters.bbox
                else state.filters.apply(map_frame) if state.filters.bbox else map_frame)
    except (GeoError, ImportError, OSError) as exc:
        show_error(exc)
        sidebar(facet, stores)  # another store or other filters may still be chosen
        return

    st.title("Incident Atlas")
    notice = st.empty()  # always present, so the layout below never shifts
    if ss.get("store_warning"):  # stays until another store or view is chosen (a rerun must not hide it)
        st.warning(ss.store_warning)
    import_notice(notice, repr(state.filters))
    selection = server_view.selection(db, token, state.filters) if large else index_selection(db, token,
                                                                                               state.filters)
    metrics(selection.summary() if selection is not None else query.summarize(view))
    selected = tuple(st.session_state.get("selected_ids", ()))
    map_section(token, state, map_frame, selected, server=db if large else None)
    sidebar_after_map(facet, stores)
    tabs = st.tabs(["Timeline", "Table", "Density", "Import", "Export"], key="tab", on_change="rerun")
    sections = [lambda: timeline_section(view, state, selection), lambda: table_and_highlight(view, selected),
                lambda: density_section(db, token, state, view, selection), lambda: import_section(db),
                lambda: export_section(view, state, db, len(selection) if large else None)]
    for tab, section in zip(tabs, sections):
        if tab.open:  # only the open tab's content runs
            with tab:
                section()


main()
