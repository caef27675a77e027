"""geo.query: URL state round trip, facets, timeline, summary and density aggregations."""

import datetime as dt

import pandas as pd
from hypothesis import given, strategies as st

from geo.filters import Filters
from geo.query import (ViewState, actor_counts, choose_granularity, date_bounds, from_query_params,
                       grid_counts, hex_counts, region_counts, summarize, timeline, to_query_params,
                       value_counts)
from tests.dashboard_fixtures import sample_frame


def test_url_round_trip_of_every_filter():
    state = ViewState(Filters(since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 31),
                              actors=("Blue Brigade", "Red Front"), types=("Battles", "air strike"),
                              regions=("SY-DR",), precisions=(1, 2), sources=("Field Notes",),
                              text="market & square", bbox=(35.5, 32.0, 37.25, 33.5)), in_view=True)
    params = to_query_params(state)
    assert params["actor"] == ["Blue Brigade", "Red Front"]
    assert params["since"] == ["2026-03-01"] and params["bbox"] == ["35.5,32,37.25,33.5"]
    assert from_query_params(params) == state


def test_empty_state_has_no_params_and_bad_values_are_ignored():
    assert to_query_params(ViewState()) == {}
    state = from_query_params({"since": "not-a-date", "prec": ["7", "2"], "bbox": "1,2,3", "actor": ["", "X"]})
    assert state.filters.since is None
    assert state.filters.precisions == (2,)
    assert state.filters.actors == ("X",)
    assert state.filters.bbox is None and not state.in_view


def test_bbox_only_kept_when_in_view_is_on():
    assert from_query_params({"bbox": "35,32,37,34"}).filters.bbox is None
    assert from_query_params({"bbox": "35,32,37,34", "inview": "1"}).filters.bbox == (35, 32, 37, 34)


names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20) \
    .map(str.strip).filter(bool)


@given(actors=st.lists(names, max_size=3, unique=True), text=st.one_of(st.none(), names),
       since=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))),
       precisions=st.sets(st.sampled_from([1, 2, 3])))
def test_url_round_trip_property(actors, text, since, precisions):
    state = ViewState(Filters(since=since, actors=tuple(actors), text=text,
                              precisions=tuple(sorted(precisions))))
    assert from_query_params(to_query_params(state)) == state


def test_actor_counts_cover_every_position_once_per_incident():
    frame = sample_frame()
    frame.loc[0, "assoc_actor_1"] = "Blue Brigade; Helpers"  # same actor twice in one incident
    counts = actor_counts(frame)
    assert counts["Blue Brigade"] == 2
    assert counts["Red Front"] == 3
    assert counts["Green Guard"] == 3
    assert counts["Helpers"] == 1
    assert counts["Civilians (Syria)"] == 2
    assert list(counts.index[:3]) == ["Green Guard", "Red Front", "Blue Brigade"]


def test_value_counts_and_filters_agree():
    frame = sample_frame()
    types = value_counts(frame, "event_type")
    for name, count in types.items():
        assert len(Filters(types=(name,)).apply(frame)) == count
    assert types["Battles"] == 3


def test_timeline_week_and_day():
    frame = sample_frame()
    weekly = timeline(frame, "week")
    assert weekly["incidents"].sum() == len(frame)
    assert set(weekly["period"].dt.day_of_week) == {0}
    week_of_march_2 = weekly[weekly["period"] == pd.Timestamp("2026-03-02")]
    assert dict(zip(week_of_march_2["event_type"], week_of_march_2["incidents"])) == {
        "Battles": 1, "Explosions/Remote violence": 1}
    daily = timeline(frame, "day")
    assert len(daily) == len(frame)  # every fixture incident is on its own day
    assert timeline(frame.iloc[:0], "day").empty


def test_granularity_choice():
    assert choose_granularity(dt.date(2026, 1, 1), dt.date(2026, 2, 1)) == "day"
    assert choose_granularity(dt.date(2020, 1, 1), dt.date(2026, 2, 1)) == "week"
    assert choose_granularity(None, None) == "week"


def test_summary_metrics():
    frame = sample_frame()
    summary = summarize(frame)
    assert summary.incidents == 8
    assert summary.fatalities == 15
    assert summary.first_date == dt.date(2026, 3, 2) and summary.last_date == dt.date(2026, 4, 18)
    assert summary.top_regions[0] == ("Daraa", 3)
    assert summarize(frame.iloc[:0]).incidents == 0
    assert date_bounds(frame) == (dt.date(2026, 3, 2), dt.date(2026, 4, 18))


def test_region_counts_per_governorate():
    counts = region_counts(sample_frame()).set_index("admin1_iso")
    assert counts.loc["SY-DR", "incidents"] == 3 and counts.loc["SY-DR", "fatalities"] == 6
    assert counts.loc["SY-HL", "name"] == "Aleppo"
    assert counts["incidents"].sum() == 8


def test_grid_and_hex_aggregation_keep_every_incident():
    frame = sample_frame()
    grid = grid_counts(frame, 0.5)
    assert grid["incidents"].sum() == len(frame)
    # the two Placeholder Town incidents (0.01 degrees apart) share a cell
    assert grid["incidents"].max() >= 2
    hexes = hex_counts(frame, 0.3)
    assert hexes["incidents"].sum() == len(frame)
    for row in hexes.itertuples():
        assert row.geometry.is_valid
    # every incident lies in (or on the edge of) the hexagon it was counted in
    from shapely.geometry import Point
    for lon, lat in zip(frame["longitude"], frame["latitude"]):
        assert hexes.geometry.intersects(Point(lon, lat)).sum() >= 1
