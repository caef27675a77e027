"""Incident Atlas dashboard: `streamlit run dashboard.py`.

Only widgets and layout live here; filtering, aggregation, URL state, ingest and maps are in geo/.
The whole filter state is mirrored in the URL query string, so a link reopens the same view.
Only the incidents of the current filters are loaded (``store.read(filters)``); filter options come from
``store.facets()``, and a store that aggregates on its server (PostGIS) draws the density tab itself.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import query
from geo.ingest import session as ingest_session
from geo.errors import GeoError, RowErrors
from geo.filters import FIELD, Filters
from geo.paths import default_db

st.set_page_config(page_title="Incident Atlas", page_icon=None, layout="wide")

PRECISION_LABELS = {1: "1 · town", 2: "2 · near town / part of region", 3: "3 · region only"}
TABLE_COLUMNS = ["event_id", "event_date", "date_end", "kind", "event_type", "sub_event_type", "actor1",
                 "actor2", "admin1", "location", "geo_precision", "fatalities", "source", "notes"]
TABLE_LIMIT = 20_000


# --- cached data --------------------------------------------------------------------------------

def _is_server(db: str) -> bool:
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
    if _is_server(db):
        yield shared_store(db)
        return
    from geo.store import open_store

    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def _store_token(db: str) -> str:
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
    if _is_server(db):
        return _read_incidents(db, token, filters_key, filters)
    return _indexed_incidents(db, token, filters_key, filters)


@st.cache_resource(max_entries=4, show_spinner="Reading filter options…")
def facets(db: str, token: str) -> dict:
    """Option lists with counts for the sidebar (over the whole store, so options stay stable).

    A server store counts them itself; a file store's index counts them from its value codes.
    """
    if _is_server(db):
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
    """The map of a filtered set, rendered to streamlit-folium's component arguments; rebuilt only
    when the data, filters or highlight change (reruns for anything else reuse it)."""
    from geo.map.streamlit_args import component_args

    return component_args(_build_map(_frame, highlight))


def _build_map(frame, highlight: tuple[str, ...] = ()):
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


# --- state <-> URL ------------------------------------------------------------------------------

def _init_from_url(facet: dict) -> None:
    """First run of a session: widget values from the query string (unknown values dropped)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    state = query.from_query_params(params)
    f = state.filters
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    first = _opening_since(facet) if not (f.since or f.until) else None
    since = min(max(f.since or first or lo, lo), hi)
    until = max(min(f.until or hi, hi), since)
    ss = st.session_state
    ss.f_dates, ss.f_from, ss.f_to = (since, until), since, until
    ss.f_actors = [a for a in f.actors if a in facet["actors"].index]
    type_options = set(_type_options(facet))
    ss.f_types = [t for t in f.types if t in type_options]
    ss.f_regions = [i for i in dict.fromkeys(query.region_iso(r) for r in f.regions)
                    if i in facet["regions"].index]
    ss.f_districts = [d for d in f.districts if d in facet["districts"].index]
    ss.f_prec = [p for p in f.precisions]
    ss.f_sources = [s for s in f.sources if s in facet["sources"].index]
    ss.f_text = f.text or ""
    ss.f_inview = state.in_view
    ss.view_bbox = f.bbox
    ss.initialised = True


def _opening_since(facet: dict) -> dt.date | None:
    """First day the dashboard opens on: the whole period for a file store (its index answers any range);
    a large server store still opens on its last weeks (its rows are read per filter state)."""
    if not _is_server(st.session_state.get("db") or default_db()):
        return None
    return query.initial_since(facet["dates"], facet["incidents"])


def _reset(facet: dict) -> None:
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    lo = _opening_since(facet) or lo
    ss = st.session_state
    ss.f_dates, ss.f_from, ss.f_to = (lo, hi), lo, hi
    ss.f_actors, ss.f_types, ss.f_regions, ss.f_prec, ss.f_sources = [], [], [], [], []
    ss.f_districts = []
    ss.f_text, ss.f_inview, ss.view_bbox = "", False, None
    ss.pop("table", None)


def _slider_moved() -> None:
    st.session_state.f_from, st.session_state.f_to = st.session_state.f_dates


def _picker_moved() -> None:
    lo, hi = st.session_state.f_from, st.session_state.f_to
    if lo and hi:
        st.session_state.f_dates = (min(lo, hi), max(lo, hi))


def _current_state(facet: dict) -> query.ViewState:
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


def _write_url(state: query.ViewState) -> None:
    wanted = query.to_query_params(state)
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def _type_options(facet: dict) -> list[str]:
    return list(facet["types"].index) + [k for k in facet["kinds"].index if k not in facet["types"].index]


# --- map events ---------------------------------------------------------------------------------

def _map_changed(key: str) -> None:
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


def _timeline_selected(key: str) -> None:
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


# --- page sections ------------------------------------------------------------------------------

def sidebar(facet: dict, stores: list[str]) -> str:
    """Store choice and filters; returns the chosen store."""
    sb = st.sidebar
    sb.header("Filters")
    lo, hi = facet["dates"] or (dt.date.today(), dt.date.today())
    if lo < hi:
        sb.slider("Date range", min_value=lo, max_value=hi, key="f_dates", on_change=_slider_moved,
                  format="YYYY-MM-DD")
    c1, c2 = sb.columns(2)
    c1.date_input("From", min_value=lo, max_value=hi, key="f_from", on_change=_picker_moved)
    c2.date_input("To", min_value=lo, max_value=hi, key="f_to", on_change=_picker_moved)
    actors = facet["actors"]
    sb.multiselect("Actors (any position)", list(actors.index), key="f_actors",
                   format_func=lambda a: query.label_with_count(a, actors), placeholder="All actors")
    counts = {**facet["kinds"].to_dict(), **facet["types"].to_dict()}
    sb.multiselect("Event type / kind", _type_options(facet), key="f_types",
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
    sb.button("Reset filters", on_click=_reset, args=(facet,), width="stretch")
    sb.caption("The address bar holds these filters: copy it to share this view.")
    sb.divider()
    sb.selectbox("Store", stores, key="db", on_change=_store_changed,
                 help="Set $INCIDENT_ATLAS_DB to open another store. Imports into the bundled "
                      "sample go to your own copy instead.")
    return st.session_state.db


def _chosen_districts() -> list[str]:
    """Districts chosen in this session (kept as a widget even when the store has none)."""
    return list(st.session_state.get("f_districts", ()))


def _store_changed() -> None:
    st.session_state.initialised = False  # options differ per store: re-read the filters from the URL


def metrics(summary: query.Summary) -> None:
    """Headline numbers of the filtered set."""
    c1, c2, c3, c4 = st.columns([1, 1, 2, 2])
    c1.metric("Incidents", f"{summary.incidents:,}")
    c2.metric("Fatalities", f"{summary.fatalities:,}")
    with c3:
        st.markdown("**Top actors**")
        st.markdown("  \n".join(f"{query.escape_markdown(n)} — {c}" for n, c in summary.top_actors) or "—")
    with c4:
        st.markdown("**Top governorates**")
        st.markdown("  \n".join(f"{query.escape_markdown(n)} — {c}" for n, c in summary.top_regions) or "—")


def map_section(token: str, state: query.ViewState, frame, highlight: tuple[str, ...]) -> None:
    """The incident map (filtered set without the map-view restriction, so panning never redraws it).

    Only clicks (and the bounds, when "only what is in the map view" is on) come back from the
    browser, so panning and zooming cause no reruns.
    """
    from streamlit_folium import _component_func

    from geo.map.streamlit_args import map_key

    static_assets_ready()
    filters_key = repr(query.without_bbox(state.filters))
    args = cached_map_args(token, filters_key, highlight, frame)
    key = map_key(token, filters_key, highlight, state.in_view)  # remount when what comes back changes
    wanted = ["last_active_drawing", "last_object_clicked"] + (["bounds"] if state.in_view else [])
    defaults = {"last_active_drawing": None, "last_object_clicked": None, "bounds": args["bounds"]}
    _component_func(script=args["script"], header=args["header"], html=args["html"], id=args["id"], key=key,
                    height=560, width=None, returned_objects=wanted,
                    default={k: v for k, v in defaults.items() if k in wanted}, zoom=None, center=None,
                    feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
                    css_links=args["css_links"], js_links=args["js_links"], wrap_longitude=False,
                    on_change=lambda: _map_changed(key))


def timeline_section(frame, state: query.ViewState, selection=None) -> None:
    """Incidents per day/week stacked by type; dragging a span narrows the date filter.

    The x axis always spans the whole store (not the filtered dates) and the chart keeps one key per
    store, so a drag is read in absolute dates: selection events that arrive while the app reruns
    repeat the same span instead of narrowing an already narrowed chart a second time. ``selection``
    (a file store's index selection of the same rows) counts the periods without regrouping the frame.
    """
    from geo import taxonomy

    bounds = st.session_state.get("date_bounds") or query.date_bounds(frame)
    granularity = query.choose_granularity(*(bounds or (None, None)))
    data = selection.timeline(granularity) if selection is not None else query.timeline(frame, granularity)
    if data.empty:
        st.info("No incidents match the filters.")
        return
    types = list(dict.fromkeys([*taxonomy.event_types(), *data["event_type"]]))
    colors = [taxonomy.color_of(t) for t in types]
    span = alt.selection_interval(name="span", encodings=["x"])
    periods = max(1, (bounds[1] - bounds[0]).days // (1 if granularity == "day" else 7) + 1) if bounds else 1
    domain = [pd.Timestamp(bounds[0]).isoformat(), (pd.Timestamp(bounds[1]) + pd.Timedelta(days=1)).isoformat()] \
        if bounds else alt.Undefined
    chart = (alt.Chart(data).mark_bar(size=max(2, min(40, 700 // periods)))
             .encode(x=alt.X("period:T", title=f"{granularity.capitalize()} starting",
                             scale=alt.Scale(domain=domain),
                             axis=alt.Axis(format="%Y-%m-%d", labelOverlap=True)),
                     y=alt.Y("sum(incidents):Q", title="Incidents", axis=alt.Axis(tickMinStep=1, format="d")),
                     color=alt.Color("event_type:N", title="Event type",
                                     scale=alt.Scale(domain=types, range=colors)),
                     tooltip=[alt.Tooltip("period:T", title=granularity, format="%Y-%m-%d"),
                              "event_type:N", "incidents:Q"])
             .add_params(span).properties(height=220))
    key = f"timeline-{abs(hash(st.session_state.get('db')))}-{granularity}"
    st.session_state.timeline_key = key
    st.altair_chart(chart, width="stretch", key=key, on_select=lambda: _timeline_selected(key),
                    selection_mode="span")
    st.caption("Drag across the chart to choose the date range (the axis shows the whole store).")


def table_section(frame) -> tuple[str, ...]:
    """Sortable, searchable table; returns the event_ids of selected rows."""
    shown = frame[[c for c in TABLE_COLUMNS if c in frame]]
    if len(shown) > TABLE_LIMIT:
        st.caption(f"Showing the {TABLE_LIMIT:,} most recent of {len(shown):,} incidents.")
        shown = shown.sort_values("event_date", ascending=False).head(TABLE_LIMIT)
    shown = pd.DataFrame(shown).reset_index(drop=True)
    for column in ("event_date", "date_end"):
        if column in shown:
            shown[column] = pd.to_datetime(shown[column], errors="coerce").dt.date
    event = st.dataframe(shown, hide_index=True, width="stretch", height=360, key="table",
                         on_select="rerun", selection_mode="multi-row")
    rows = list(event.selection.rows) if event and event.selection else []
    ids = tuple(str(shown.iloc[r]["event_id"]) for r in rows if r < len(shown))
    if ids:
        st.caption(f"{len(ids)} selected incident(s) highlighted on the map.")
    return ids


def _geo_data(gdf) -> alt.Data:
    """A GeoDataFrame as inline GeoJSON features for Altair (Streamlit cannot send geometries as Arrow).

    Vega draws with d3-geo, which reads counter-clockwise rings as "everything but this polygon", so the
    outer rings are turned clockwise first.
    """
    import json

    from shapely import orient_polygons

    gdf = gdf.set_geometry(orient_polygons(gdf.geometry.values, exterior_cw=True))
    return alt.Data(values=json.loads(gdf.to_json())["features"])


def _countries_of(counts: pd.DataFrame) -> set[str]:
    """ISO alpha-2 codes of the governorates counted (Syria when none is known)."""
    found = {str(i).split("-")[0] for i in counts.get("admin1_iso", []) if i and "-" in str(i)}
    return found or {"SY"}


def density_section(db: str, token: str, state: query.ViewState, frame, selection=None) -> None:
    """Choropleth of incidents per governorate and a grid/hexagon aggregation of the filtered set.

    A store that aggregates on its server (PostGIS) counts per governorate and per grid cell itself;
    otherwise the loaded rows are aggregated here (hexagons; governorate counts from the file store's index).
    """
    size = st.session_state.get("hex", 0.2)
    aggregated = server_density(db, token, repr(state.filters), state.filters, size) if _is_server(db) else None
    counts = aggregated[0] if aggregated else (
        selection.region_counts() if selection is not None else query.region_counts(frame))
    shapes = governorate_shapes()
    left, right = st.columns(2)
    with left:
        st.markdown("**Incidents per governorate**")
        if shapes is not None and len(counts):
            shown = shapes[shapes["country"].isin(_countries_of(counts))]
            merged = shown[["admin1_iso", "geometry"]].merge(counts, on="admin1_iso", how="left")
            merged["incidents"] = merged["incidents"].fillna(0).astype(int)
            merged["name"] = merged["name"].fillna(merged["admin1_iso"])
            merged["fatalities"] = merged["fatalities"].fillna(0).astype(int)
            chart = (alt.Chart(_geo_data(merged)).mark_geoshape(stroke="#555", strokeWidth=0.5)
                     .encode(color=alt.Color("properties.incidents:Q", scale=alt.Scale(scheme="orangered"),
                                             title="Incidents"),
                             tooltip=[alt.Tooltip("properties.name:N", title="Governorate"),
                                      alt.Tooltip("properties.incidents:Q", title="Incidents"),
                                      alt.Tooltip("properties.fatalities:Q", title="Fatalities")])
                     .project("mercator").properties(height=380))
            st.altair_chart(chart, width="stretch")
        st.dataframe(counts, hide_index=True, width="stretch", height=200)
    with right:
        shape = "Grid cell" if aggregated else "Hexagon"
        st.markdown(f"**{shape} density**")
        st.select_slider(f"{shape} size (degrees)", [0.05, 0.1, 0.2, 0.3, 0.5], value=0.2, key="hex")
        hexes = aggregated[1] if aggregated else query.hex_counts(frame, size)
        if len(hexes):
            layers = []
            if shapes is not None:
                outline = shapes[shapes["country"].isin(_countries_of(counts))]
                layers.append(alt.Chart(_geo_data(outline[["geometry"]])).mark_geoshape(fill="#f4f4f4", stroke="#999",
                                                                            strokeWidth=0.4))
            layers.append(alt.Chart(_geo_data(hexes[["incidents", "geometry"]])).mark_geoshape(
                stroke="white", strokeWidth=0.3).encode(
                color=alt.Color("properties.incidents:Q", scale=alt.Scale(scheme="viridis", type="log"),
                                title="Incidents"),
                tooltip=[alt.Tooltip("properties.incidents:Q", title="Incidents")]))
            st.altair_chart(alt.layer(*layers).project("mercator").properties(height=380),
                            width="stretch")
        else:
            st.info("No incidents to aggregate.")


def _show_error(exc: Exception) -> None:
    st.error(query.escape_markdown(str(exc)))
    if isinstance(exc, RowErrors):
        for err in exc.errors[:20]:
            st.caption(query.escape_markdown(str(err)))


def import_section(db: str) -> None:
    """Upload or paste → preview with geocodes → fix → commit."""
    ss = st.session_state
    target = ingest_session.writable_store(db) if not ingest_session.is_sample(db) else None
    note = (f"Imports go to {ingest_session.user_store_path()} (your copy of the sample; the bundled "
            "sample stays unchanged)." if target is None else f"Imports go to {db}.")
    st.caption(query.escape_markdown(note))
    src = st.radio("Source", ["Upload a file", "Paste a report"], horizontal=True, key="imp_mode")
    published = st.date_input("Publication date (for reports)", value=dt.date.today(), key="imp_published")
    if src == "Upload a file":
        upload = st.file_uploader("ACLED / UCDP / CSV / GeoJSON / GeoPackage table, or a text report",
                                  type=["csv", "tsv", "xlsx", "json", "geojson", "gpkg", "txt", "md", "html"],
                                  key="imp_file")
        skip_bad = st.checkbox("Skip bad rows (import the good ones, list the rest)", key="imp_skip")
        if st.button("Preview upload", disabled=upload is None, key="imp_preview_file"):
            try:
                ss.preview = ingest_session.preview_upload(upload.name, upload.getvalue(), published=published,
                                                           skip_bad=skip_bad)
            except (GeoError, ImportError) as exc:
                ss.pop("preview", None)
                _show_error(exc)
    else:
        text = st.text_area("Report text", height=160, key="imp_text")
        if st.button("Extract incidents", disabled=not text.strip(), key="imp_preview_text"):
            try:
                ss.preview = ingest_session.preview_text(text, published=published)
            except (GeoError, ImportError) as exc:
                ss.pop("preview", None)
                _show_error(exc)
    preview = ss.get("preview")
    if preview is None:
        return
    st.markdown(f"**Preview: {len(preview.frame)} incident(s) from {query.escape_markdown(preview.source_name)}**")
    for msg in preview.rejected[:20]:
        st.warning(query.escape_markdown(msg))
    cols = [c for c in ["event_id", "event_date", "kind", "event_type", "actor1", "actor2", "location",
                        "admin1", "latitude", "longitude", "geo_precision", "fatalities", "notes"]
            if c in preview.frame]
    st.dataframe(pd.DataFrame(preview.frame[cols]), hide_index=True, width="stretch",
                 key="imp_table")
    missing = preview.missing_location()
    if missing:
        st.warning(f"{len(missing)} incident(s) have no location yet; fix them below before committing.")
    _fix_geocode(preview)
    c1, c2 = st.columns(2)
    if c1.button("Commit to store", type="primary", disabled=bool(missing), key="imp_commit"):
        try:
            stored, result = ingest_session.commit(preview, db)
        except (GeoError, ImportError) as exc:
            _show_error(exc)
        else:
            ss.pop("preview", None)
            ss.pending_db = stored
            ss.import_message = f"Imported into {stored}: {result.added} added, {result.updated} updated."
            ss.pop("import_message_view", None)
            st.rerun()
    if c2.button("Discard preview", key="imp_discard"):
        ss.pop("preview", None)
        st.rerun()


def _fix_geocode(preview) -> None:
    """Choose another gazetteer candidate, or a clicked point, for one incident; save it as an alias."""
    with st.expander("Fix a geocode"):
        ids = [str(e) for e in preview.frame["event_id"]]
        labels = {str(r.event_id): f"{r.event_id} · {r.location or '(no place)'}"
                  for r in preview.frame.itertuples()}
        event_id = st.selectbox("Incident", ids, format_func=lambda e: labels[e], key="fix_id")
        row = preview.frame[preview.frame["event_id"].astype(str) == event_id].iloc[0]
        name = st.text_input("Place name to look up", value=str(row["location"] or ""), key=f"fix_name_{event_id}")
        try:
            admin1 = row.get("admin1")
            found = ingest_session.candidates_for(name, context=admin1 if isinstance(admin1, str) and admin1 else None)
        except (GeoError, ImportError) as exc:
            found = []
            _show_error(exc)
        if found:
            pick = st.selectbox("Candidates", range(len(found)),
                                format_func=lambda i: ingest_session.location_label(found[i]), key="fix_pick")
            remember = st.checkbox(f"Remember “{query.escape_markdown(name)}” as this place for next time",
                                   value=True, key="fix_rem")
            if st.button("Use this place", key="fix_apply"):
                ingest_session.apply_location(preview, event_id, found[pick])
                if remember:
                    try:
                        ingest_session.remember_fix(name, found[pick])
                    except (GeoError, ImportError) as exc:
                        _show_error(exc)
                st.rerun()
        else:
            st.caption("No gazetteer candidates for this name.")
        st.caption("Or click the right spot on this map:")
        try:
            mini = _build_map(preview.frame, (event_id,))
            clicked = st_folium(mini, key="fix_map", height=320, use_container_width=True,
                                returned_objects=["last_clicked"])
        except (ImportError, GeoError):
            clicked = None
        point = (clicked or {}).get("last_clicked")
        if point and st.button(
                f"Place {query.escape_markdown(event_id)} at {point['lat']:.4f}, {point['lng']:.4f}", key="fix_click"):
            loc = ingest_session.apply_point(preview, event_id, float(point["lat"]), float(point["lng"]))
            if name.strip():
                try:
                    ingest_session.remember_fix(name, loc)
                except (GeoError, ImportError) as exc:
                    _show_error(exc)
            st.rerun()


def export_section(frame, state: query.ViewState, highlight: tuple[str, ...] = ()) -> None:
    """Download buttons for the filtered view (files are generated when clicked)."""
    from geo import view_export as export_buttons

    st.caption(query.escape_markdown(f"{len(frame):,} incidents in the current view "
                                     f"({query.describe_filters(state.filters)}). Files are made when clicked; "
                                     "the PNG takes a few seconds."))
    cols = st.columns(6)
    for col, spec in zip(cols, export_buttons.SPECS):
        col.download_button(spec.label, data=lambda s=spec: export_buttons.render(
                                s.key, frame, state.filters, highlight_ids=highlight),
                            file_name=spec.file_name, mime=spec.mime, on_click="ignore",
                            key=f"dl_{spec.key}", width="stretch")


# --- page ---------------------------------------------------------------------------------------

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
    if ss.get("db") is None:
        ss.db = stores[0]
    db = ss.db
    try:
        token = _store_token(db)
        facet = facets(db, token)
    except (GeoError, ImportError, OSError) as exc:
        st.title("Incident Atlas")
        _show_error(exc)
        return
    ss.date_bounds = facet["dates"]
    ss.region_options = tuple(facet["regions"].index)
    if not st.session_state.get("initialised"):
        _init_from_url(facet)
    db = sidebar(facet, stores)
    state = _current_state(facet)
    _write_url(state)
    map_filters = query.without_bbox(state.filters)  # the map-view restriction is applied here, below
    try:
        map_frame = load_incidents(db, token, repr(map_filters), map_filters)
    except (GeoError, ImportError, OSError) as exc:
        _show_error(exc)
        return
    view = state.filters.apply(map_frame) if state.filters.bbox else map_frame

    st.title("Incident Atlas")
    notice = st.empty()  # always present, so the layout below never shifts
    _import_notice(notice, repr(state.filters))
    selection = None if _is_server(db) else incident_index(db, token).select(state.filters)
    metrics(selection.summary() if selection is not None else query.summarize(view))
    selected = tuple(st.session_state.get("selected_ids", ()))
    map_section(token, state, map_frame, selected)
    tabs = st.tabs(["Timeline", "Table", "Density", "Import", "Export"], key="tab", on_change="rerun")
    sections = [lambda: timeline_section(view, state, selection), lambda: _table_and_highlight(view, selected),
                lambda: density_section(db, token, state, view, selection), lambda: import_section(db),
                lambda: export_section(view, state, selected)]
    for tab, section in zip(tabs, sections):
        if tab.open:  # only the open tab's content runs
            with tab:
                section()


def _import_notice(notice, view_key: str) -> None:
    """Show the last import's result until the view changes: a rerun alone (e.g. the new map mounting)
    must not hide it before the user has seen it."""
    ss = st.session_state
    msg = ss.get("import_message")
    if not msg:
        return
    if ss.setdefault("import_message_view", view_key) != view_key:
        ss.pop("import_message", None)
        ss.pop("import_message_view", None)
        return
    notice.success(query.escape_markdown(msg))


def _table_and_highlight(view, selected: tuple[str, ...]) -> None:
    ids = table_section(view)
    if ids != selected:
        st.session_state.selected_ids = ids
        st.rerun()


main()
