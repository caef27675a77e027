"""The page's main views: metrics, the map, the timeline, the table.

Streamlit code, imported only by ``dashboard.py`` (everything else in ``geo`` works without Streamlit).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import query
from geo.map.aggregate import LARGE_VIEW_THRESHOLD
from geo.ui.data import cached_large_map_args, cached_map_args, static_assets_ready
from geo.ui.state import map_changed, timeline_selected

TABLE_COLUMNS = ["event_id", "event_date", "date_end", "kind", "event_type", "sub_event_type", "actor1",
                 "actor2", "admin1", "location", "geo_precision", "fatalities", "source", "notes"]


TABLE_LIMIT = 20_000


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


def map_section(token: str, state: query.ViewState, frame, highlight: tuple[str, ...],
                server: str | None = None) -> None:
    """The incident map (filtered set without the map-view restriction, so panning never redraws it).

    The map page stays across filter changes (its key names the store and what comes back only); each
    change sends the new incidents, drawn in place by ``assets/atlas/swap.js``.

    Only clicks (and the bounds, when "only what is in the map view" is on) come back from the
    browser, so panning and zooming cause no reruns; except above ``LARGE_VIEW_THRESHOLD`` incidents,
    where the map shows counts per cell and bounds/zoom come back so the next run counts the new view.
    ``server``: the URL of a large server store, which counts the cells in SQL (``frame`` is a page then).
    """
    from geo.map.streamlit_args import base_args, folium_component, map_key

    static_assets_ready()
    base = base_args()  # the page without incidents, built once (and kept on disk for the next start)
    filters_key = repr(query.without_bbox(state.filters))
    large = server is not None or len(frame) > LARGE_VIEW_THRESHOLD  # counts per cell, new ones on pan/zoom
    st.session_state.large_map = large
    if large:
        view = st.session_state.get("large_view")
        if server is not None:
            from geo.ui.server_view import large_map_args

            args = large_map_args(server, token, filters_key, highlight, repr(view),
                                  query.without_bbox(state.filters), view)
        else:
            args = cached_large_map_args(token, filters_key, highlight, repr(view), frame, view)
        st.session_state.large_view_shown = args["view"]
    else:
        args = cached_map_args(token, filters_key, highlight, frame)
    # One map page per store and per what comes back: a filter change, a table selection or a new large
    # view only sends the incidents' script (``feature_group``), which the page draws in place. Once this
    # store has shown a large view, the page keeps reporting bounds/zoom, so that narrowing the filters to
    # points (and back) keeps the page too (a pan then reruns the app, which redraws nothing).
    tracks_view = large or st.session_state.get("map_tracks_view") == token
    if large:
        st.session_state.map_tracks_view = token
    key = map_key(token, tracks_view, state.in_view)
    wanted = ["last_active_drawing", "last_object_clicked"] + (["bounds"] if state.in_view or tracks_view else [])
    wanted += ["zoom"] if tracks_view else []
    defaults = {"last_active_drawing": None, "last_object_clicked": None, "bounds": base["bounds"], "zoom": None}
    component = folium_component()  # streamlit-folium's, without importing streamlit_folium
    component(script=base["script"], header=base["header"], html=base["html"], id=base["id"], key=key,
              height=560, width=None, returned_objects=wanted,
              default={k: v for k, v in defaults.items() if k in wanted}, zoom=None, center=None,
              feature_group=args["layer"], return_on_hover=False, layer_control=None, pixelated=False,
              css_links=base["css_links"], js_links=base["js_links"], wrap_longitude=False,
              on_change=lambda: map_changed(key))


#: Pixels the timeline takes (chart, axis and caption), kept by its stand-in so nothing below moves.
TIMELINE_HEIGHT = 300


def timeline_section(frame, state: query.ViewState, selection=None) -> None:
    """Incidents per day/week stacked by type; dragging a span narrows the date filter.

    The x axis always spans the whole store (not the filtered dates) and the chart keeps one key per
    store, so a drag is read in absolute dates: selection events that arrive while the app reruns
    repeat the same span instead of narrowing an already narrowed chart a second time.
    """
    from geo import taxonomy

    if not st.session_state.get("timeline_ready"):
        # A session's first run leaves the chart to the next one (the map reports itself once drawn, which
        # reruns the app): the browser builds the map first instead of loading the chart library with it.
        st.session_state.timeline_ready = True
        with st.container(height=TIMELINE_HEIGHT, border=False):
            st.caption("The timeline is drawn once the map is in.")
        return
    bounds = st.session_state.get("date_bounds") or query.date_bounds(frame)
    granularity = query.choose_granularity(*(bounds or (None, None)))
    # a file store's index selection counts the periods without regrouping the frame
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
    st.altair_chart(chart, width="stretch", key=key, on_select=lambda: timeline_selected(key),
                    selection_mode="span")
    st.caption("Drag across the chart to choose the date range (the axis shows the whole store).")


def table_section(frame) -> tuple[str, ...]:
    """Sortable, searchable table; returns the event_ids of selected rows."""
    shown = frame[[c for c in TABLE_COLUMNS if c in frame]]
    total = max(len(shown), int(frame.attrs.get("incidents", 0)))  # a server store's page knows its total
    if total > min(len(shown), TABLE_LIMIT):
        st.caption(f"Showing the {min(len(shown), TABLE_LIMIT):,} most recent of {total:,} incidents.")
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


def import_notice(notice, view_key: str) -> None:
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


def table_and_highlight(view, selected: tuple[str, ...]) -> None:
    ids = table_section(view)
    if ids != selected:
        st.session_state.selected_ids = ids
        st.rerun()
