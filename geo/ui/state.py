"""The dashboard's filter state: the URL query string <-> widget values, and the callbacks of the map and timeline.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from geo import query
from geo.filters import Filters
from geo.ingest import session as ingest_session
from geo.ui.data import governorate_shapes

#: URL key of the store, by *name* (see :func:`store_names`): a link never carries a path or database URL.
STORE_KEY = "store"


def store_names(stores: list[str]) -> dict[str, str]:
    """The stores this server offers, by the short name a URL may use: ``sample`` (the bundled sample),
    ``my-copy`` (the user's own copy that imports go to), ``configured`` ($INCIDENT_ATLAS_DB), ``store-N``."""
    names: dict[str, str] = {}
    user_copy = ingest_session.user_store_path()
    for i, path in enumerate(stores):
        if ingest_session.is_sample(path):
            name = "sample"
        elif _same_file(path, user_copy):
            name = "my-copy"
        elif i == 0:
            name = "configured"
        else:
            name = f"store-{i + 1}"
        names.setdefault(name, path)
    return names


def _same_file(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, TypeError, ValueError):
        return False


def store_name_of(db: str, stores: list[str]) -> str | None:
    """The URL name of the store ``db`` (None when the server does not offer it under a name)."""
    return next((name for name, path in store_names(stores).items() if path == db), None)


def store_from_url(stores: list[str]) -> str | None:
    """The store the address bar names, looked up among ``stores`` only; None when it names none of them.

    Whatever else the link says (a file path, a ``postgresql://`` URL) is ignored, never opened."""
    wanted = st.query_params.get(STORE_KEY)
    if wanted is None:
        return None
    found = store_names(stores).get(str(wanted).strip())
    if found is None:
        st.session_state.store_warning = "The link names a store this server does not offer; showing the default store."
    return found


def init_from_url(facet: dict) -> None:
    """First run of a session: widget values from the query string (unknown values dropped)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    state = query.from_query_params(params)
    f = state.filters
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    since = min(max(f.since or lo, lo), hi)  # every store opens on its whole period
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
    ss.url_box = f.bbox if state.in_view else None  # kept until the user moves the map (see map_changed)
    ss.url_box_area = None
    ss.initialised = True


def reset_filters(facet: dict) -> None:
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
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


def write_url(state: query.ViewState, store: str | None = None) -> None:
    """Mirror the view in the address bar: filters, map box, the store's name and the playback window."""
    wanted = query.to_query_params(state)
    if store:
        wanted = {STORE_KEY: [store], **wanted}
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if "window" in current:  # the map's playback window (written by the map itself) survives reruns
        wanted = {**wanted, "window": current["window"]}
    if current != wanted:
        st.query_params.from_dict(wanted)


def type_choices(facet: dict) -> list[str]:
    return list(facet["types"].index) + [k for k in facet["kinds"].index if k not in facet["types"].index]


def _region_clicked(iso: str, clicked) -> None:
    """A governorate click: choose it, or drill down to the district under the click inside a chosen one."""
    from geo.geocode.regions import district_name, locate_district
    from geo.query.mapclick import region_click

    ss = st.session_state
    regions, districts = region_click(iso, clicked, ss.get("f_regions", []), ss.get("f_districts", []),
                                      locate_district)
    if iso not in ss.get("region_options", ()) and iso in regions:
        st.toast(f"No incidents in {query.escape_markdown(iso)} in this store.")
        return
    added = [d for d in districts if d not in ss.get("f_districts", [])]
    if added and added[0] not in ss.get("district_options", ()):
        name = district_name(added[0]) or added[0]
        st.toast(f"No incidents in {query.escape_markdown(name)} district with these filters.")
        return
    ss.f_regions, ss.f_districts = regions, districts


def map_changed(key: str) -> None:
    """Map component callback (runs before the rerun): governorate clicks and map-view bounds."""
    value = st.session_state.get(key) or {}
    iso = query.governorate_from_click(value.get("last_active_drawing"), value.get("last_object_clicked"),
                                       governorate_shapes())
    click_id = repr((value.get("last_active_drawing"), value.get("last_object_clicked")))
    if iso and click_id != st.session_state.get("last_click_id"):
        st.session_state.last_click_id = click_id
        _region_clicked(iso, value.get("last_object_clicked"))
    if st.session_state.get("f_inview"):
        box = query.bbox_from_bounds(value.get("bounds"))
        if not _opened_on_url_box(box):
            st.session_state.url_box = None
            st.session_state.view_bbox = box
    if st.session_state.get("large_map"):  # large-view mode: count the new view when it left the counted one
        from geo.map.aggregate import needs_new_view, view_from_map

        now = view_from_map(value.get("bounds"), value.get("zoom"))
        if needs_new_view(st.session_state.get("large_view_shown"), now):
            st.session_state.large_view = now


def _opened_on_url_box(box) -> bool:
    """True while the map still shows the box of the link it was opened with (the map reports a view a
    little larger than that box, centred on it): the link's box then stays the filter, so the link gives
    the same incidents. Once the user pans or zooms, the map's own bounds take over."""
    ss = st.session_state
    url_box = ss.get("url_box")
    if not url_box or not box:
        return False
    w, s, e, n = url_box
    bw, bs, be, bn = box
    contains = bw <= w + 1e-6 and bs <= s + 1e-6 and be >= e - 1e-6 and bn >= n - 1e-6
    centred = (abs((bw + be) - (w + e)) <= 0.02 * max(e - w, 1e-6) + 1e-6
               and abs((bs + bn) - (s + n)) <= 0.02 * max(n - s, 1e-6) + 1e-6)
    area = (be - bw) * (bn - bs)
    first = ss.get("url_box_area") or area
    if contains and centred and area <= first * 1.05:
        ss.url_box_area = first
        return True
    return False


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
