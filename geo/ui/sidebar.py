"""The sidebar: store choice and every filter.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo import query
from geo.filters import FIELD
from geo.ui.datekeys import date_keys
from geo.ui.saved_views import saved_views_section
from geo.ui.state import picker_moved, reset_filters, slider_moved, type_choices

PRECISION_LABELS = {1: "1 · town", 2: "2 · near town / part of region", 3: "3 · region only"}


def sidebar_after_map(facet: dict, stores: list[str]) -> None:
    """The filters; on a session's first run a stand-in instead, and the filters on the next run, which the
    map's first report triggers. The browser then builds the map without loading and drawing the
    widgets' code (~40 files) at the same time (measured in bench/RESULTS.md, issue 18, session 6)."""
    ss = st.session_state
    if ss.get("filters_ready"):
        sidebar(facet, stores)
        return
    ss.filters_ready = True
    st.sidebar.header("Filters")
    st.sidebar.caption("The filters are drawn once the map is in.")
    st.sidebar.button("Show the filters", key="show_filters")  # any rerun draws them, should the map not report


def sidebar(facet: dict, stores: list[str]) -> str:
    """Store choice and filters; returns the chosen store."""
    sb = st.sidebar
    sb.header("Filters")
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    if lo < hi:
        sb.slider("Date range", min_value=lo, max_value=hi, key="f_dates", on_change=slider_moved,
                  format="YYYY-MM-DD")
    # one per row: side by side, a narrow sidebar cut the dates ("2018/06/0")
    sb.date_input("From", min_value=lo, max_value=hi, key="f_from", on_change=picker_moved, format="YYYY-MM-DD")
    sb.date_input("To", min_value=lo, max_value=hi, key="f_to", on_change=picker_moved, format="YYYY-MM-DD")
    with sb:
        date_keys()  # Enter / Tab apply a typed date
    actors = facet["actors"]
    sb.multiselect("Actors (any position)", list(actors.index), key="f_actors",
                   format_func=lambda a: query.label_with_count(a, actors), placeholder="All actors")
    counts = {**facet["kinds"].to_dict(), **facet["types"].to_dict()}
    sb.multiselect("Event type / kind", type_choices(facet), key="f_types",
                   format_func=lambda t: query.label_with_count(t, counts), placeholder="All types")
    regions = facet["regions"]
    sb.multiselect("Governorates (or click one on the map)", list(regions.index), key="f_regions",
                   format_func=lambda i: f"{regions.at[i, 'name']} ({int(regions.at[i, 'incidents'])})",
                   placeholder="All governorates")
    districts = facet["districts"]
    if len(districts) or _chosen_districts():
        sb.multiselect(FIELD["districts"].label, list(districts.index), key="f_districts",
                       format_func=lambda d: query.label_with_count(d, districts), placeholder="All districts")
    prec = facet["precisions"]
    sb.multiselect("Location precision", [1, 2, 3], key="f_prec",
                   format_func=lambda p: f"{PRECISION_LABELS[p]} ({int(prec.get(str(p), 0))})",
                   placeholder="Any precision")
    sources = facet["sources"]
    sb.multiselect("Source", list(sources.index), key="f_sources",
                   format_func=lambda s: query.label_with_count(s, sources), placeholder="All sources")
    sb.text_input("Search notes and places", key="f_text", placeholder="e.g. checkpoint")
    sb.checkbox("Only what is in the current map view", key="f_inview",
                help="Metrics, timeline and table follow the map as you pan and zoom.")
    sb.button("Reset filters", on_click=reset_filters, args=(facet,), width="stretch")
    sb.caption("The address bar holds these filters: copy it to share this view.")
    saved_views_section(stores)
    sb.divider()
    sb.selectbox("Store", stores, key="db", on_change=_store_changed,
                 help="Set $INCIDENT_ATLAS_DB to open another store. Imports into the bundled "
                      "sample go to your own copy instead.")
    return st.session_state.db


def _chosen_districts() -> list[str]:
    """Districts chosen in this session (kept as a widget even when the store has none)."""
    return list(st.session_state.get("f_districts", ()))


def _store_changed() -> None:
    st.session_state.pop("store_warning", None)  # the store is now the user's own choice
    st.session_state.initialised = False  # options differ per store: re-read the filters from the URL
