"""The dashboard's filter state: the URL query string <-> widget values, and the callbacks of the map and timeline.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo import query
from geo.filters import Filters
from geo.paths import default_db
from geo.ui.data import governorate_shapes, is_server


def init_from_url(facet: dict) -> None:
    """First run of a session: widget values from the query string (unknown values dropped)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    state = query.from_query_params(params)
    f = state.filters
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    first = opening_since(facet) if not (f.since or f.until) else None
    since = min(max(f.since or first or lo, lo), hi)
    until = max(min(f.until or hi, hi), since)
    ss = st.session_state
    ss.f_dates, ss.f_from, ss.f_to = (since, until), since, until
    ss.f_actors = [a for a in f.actors if a in facet["actors"].index]
    allowed_types = set(type_choices(facet))
    ss.f_types = [t for t in f.types if t in allowed_types]
    ss.f_regions = [i for i in dict.fromkeys(query.region_iso(r) for r in f.regions)
                    if i in facet["regions"].index]
    ss.f_districts = [d for d in f.districts if d in facet["districts"].index]
    ss.f_prec = [p for p in f.precisions]
    ss.f_sources = [s for s in f.sources if s in facet["sources"].index]
    ss.f_text = f.text or ""
    ss.f_inview = state.in_view
    ss.view_bbox = f.bbox
    ss.initialised = True


def opening_since(facet: dict) -> dt.date | None:
    """First day the dashboard opens on: the whole period for a file store (its index answers any range);
    a large server store still opens on its last weeks (its rows are read per filter state)."""
    if not is_server(st.session_state.get("db") or default_db()):
        return None
    return query.initial_since(facet["dates"], facet["incidents"])


def reset_filters(facet: dict) -> None:
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    lo = opening_since(facet) or lo
    ss = st.session_state
    ss.f_dates, ss.f_from, ss.f_to = (lo, hi), lo, hi
    ss.f_actors, ss.f_types, ss.f_regions, ss.f_prec, ss.f_sources = [], [], [], [], []
    ss.f_districts = []
    ss.f_text, ss.f_inview, ss.view_bbox = "", False, None
    ss.pop("table", None)


def slider_moved() -> None:
    st.session_state.f_from, st.session_state.f_to = st.session_state.f_dates


def picker_moved() -> None:
    lo, hi = st.session_state.f_from, st.session_state.f_to
    if lo and hi:
        st.session_state.f_dates = (min(lo, hi), max(lo, hi))


def current_state(facet: dict) -> query.ViewState:
    ss = st.session_state
    lo, hi = facet["dates"] or (None, None)
    since, until = ss.f_dates
    filters = Filters(
        since=since if lo is None or since > lo else None,
        until=until if hi is None or until < hi else None,
        actors=tuple(ss.f_actors), types=tuple(ss.f_types), regions=tuple(ss.f_regions),
        districts=tuple(ss.get("f_districts", ())),
        precisions=tuple(sorted(ss.f_prec)), sources=tuple(ss.f_sources),
        text=ss.f_text.strip() or None,
        bbox=ss.get("view_bbox") if ss.f_inview else None,
    )
    return query.ViewState(filters=filters, in_view=bool(ss.f_inview))


def write_url(state: query.ViewState) -> None:
    wanted = query.to_query_params(state)
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if "window" in current:  # the map's playback window (written by the map itself) survives reruns
        wanted = {**wanted, "window": current["window"]}
    if current != wanted:
        st.query_params.from_dict(wanted)


def type_choices(facet: dict) -> list[str]:
    return list(facet["types"].index) + [k for k in facet["kinds"].index if k not in facet["types"].index]


def map_changed(key: str) -> None:
    """Map component callback (runs before the rerun): governorate clicks and map-view bounds."""
    value = st.session_state.get(key) or {}
    iso = query.governorate_from_click(value.get("last_active_drawing"), value.get("last_object_clicked"),
                                       governorate_shapes())
    click_id = repr((value.get("last_active_drawing"), value.get("last_object_clicked")))
    if iso and click_id != st.session_state.get("last_click_id"):
        st.session_state.last_click_id = click_id
        regions = list(st.session_state.get("f_regions", []))
        if iso in regions:
            st.session_state.f_regions = [r for r in regions if r != iso]
        elif iso in st.session_state.get("region_options", ()):
            st.session_state.f_regions = regions + [iso]
        else:
            st.toast(f"No incidents in {query.escape_markdown(iso)} in this store.")
    if st.session_state.get("f_inview"):
        st.session_state.view_bbox = query.bbox_from_bounds(value.get("bounds"))
    if st.session_state.get("large_map"):  # large-view mode: count the new view when it left the counted one
        from geo.map.aggregate import needs_new_view, view_from_map

        now = view_from_map(value.get("bounds"), value.get("zoom"))
        if needs_new_view(st.session_state.get("large_view_shown"), now):
            st.session_state.large_view = now


def timeline_selected(key: str) -> None:
    """Altair interval selection on the timeline -> narrow the date filter."""
    if key != st.session_state.get("timeline_key"):
        return  # a late event from a chart that a previous selection already replaced
    event = st.session_state.get(key) or {}
    span = (event.get("selection") or {}).get("span") or {}
    chosen = query.span_dates(span.get("period"))
    if chosen:
        bounds = st.session_state.get("date_bounds")
        lo, hi = chosen
        if bounds:  # keep inside the slider's range
            lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
        if lo > hi:
            return
        st.session_state.f_dates = (lo, hi)
        st.session_state.f_from, st.session_state.f_to = lo, hi
