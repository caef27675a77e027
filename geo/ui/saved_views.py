"""The sidebar's "Saved views": save the current URL state under a name, open or delete a saved one.

Streamlit code, imported only by the dashboard (the storage itself is :mod:`geo.views`).
"""

from __future__ import annotations

import streamlit as st

from geo import views
from geo.errors import GeoError
from geo.ui.state import STORE_KEY, store_names


def saved_views_section(stores: list[str]) -> None:
    """An expander listing the user's saved views, with save / open / delete."""
    box = st.sidebar.expander("Saved views")
    try:
        saved = views.list_views()
    except GeoError as exc:
        box.error(str(exc))
        return
    box.text_input("Name for this view", key="view_name", placeholder="e.g. Daraa spring 2024")
    box.button("Save this view", key="view_save", on_click=_save, width="stretch")
    if saved:
        box.selectbox("Saved", list(saved), key="view_pick")
        left, right = box.columns(2)
        left.button("Open view", key="view_open", on_click=_open, args=(stores,), width="stretch")
        right.button("Delete view", key="view_delete", on_click=_delete, width="stretch")
    else:
        box.caption("No saved views yet.")
    message = st.session_state.pop("view_message", None)
    if message:
        box.caption(message)


def _current_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def _save() -> None:
    ss = st.session_state
    try:
        name = views.save_view(ss.get("view_name", ""), _current_params())
    except GeoError as exc:
        ss.view_message = str(exc)
        return
    ss.view_message = f"Saved “{name}”."
    ss.view_pick = name


def _open(stores: list[str]) -> None:
    ss = st.session_state
    params = views.list_views().get(ss.get("view_pick") or "")
    if params is None:
        ss.view_message = "That view is no longer saved."
        return
    st.query_params.from_dict(params)
    wanted = (params.get(STORE_KEY) or [None])[0]
    db = store_names(stores).get(wanted or "")
    if wanted and db is None:
        ss.store_warning = "The saved view names a store this server does not offer; showing the current store."
    else:
        ss.pop("store_warning", None)
    if db:
        ss.db = db
    ss.pop("table", None)
    ss.initialised = False  # the next run reads the filters from the URL just set


def _delete() -> None:
    ss = st.session_state
    name = ss.get("view_pick")
    if name and views.delete_view(name):
        ss.view_message = f"Deleted “{name}”."
        ss.pop("view_pick", None)
