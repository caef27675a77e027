"""geo.query: URL state round trip, facets, timeline, summary and density aggregations."""

import datetime as dt

import pandas as pd
from hypothesis import given, strategies as st

from geo.filters import Filters
from geo.query import (ViewState, actor_counts, bbox_from_bounds, choose_granularity, date_bounds,
                       describe_filters, escape_markdown, from_query_params, governorate_from_click, span_dates,
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


def test_timeline_selection_to_dates():
    march_2 = int(pd.Timestamp("2026-03-02").timestamp() * 1000)
    march_9 = int(pd.Timestamp("2026-03-09 18:00").timestamp() * 1000)
    assert span_dates([march_9, march_2]) == (dt.date(2026, 3, 2), dt.date(2026, 3, 9))
    assert span_dates(["2026-03-02T00:00:00", "2026-03-04"]) == (dt.date(2026, 3, 2), dt.date(2026, 3, 4))
    assert span_dates([march_2]) is None and span_dates(None) is None and span_dates(["x", "y"]) is None


def test_governorate_click_reads_polygon_features_only():
    square = {"type": "Polygon", "coordinates": [[[36, 32], [37, 32], [37, 33], [36, 33], [36, 32]]]}
    assert governorate_from_click({"geometry": square, "properties": {"admin1_iso": "SY-DR"}}) == "SY-DR"
    assert governorate_from_click({"geometry": square, "properties": {"id": "SY-HM", "iso_3166_2": "SY-HM"}}) == "SY-HM"
    pin = {"type": "Point", "coordinates": [36.5, 32.5]}
    assert governorate_from_click({"geometry": pin, "properties": {"admin1_iso": "SY-DR"}}) is None
    assert governorate_from_click(None) is None
    # a country polygon: fall back to the clicked point inside the governorate shapes
    import geopandas as gpd
    from shapely.geometry import box
    shapes = gpd.GeoDataFrame({"admin1_iso": ["SY-HM", "SY-DR"]},
                              geometry=[box(36, 34, 39, 36), box(35.5, 32, 37, 33.5)], crs="EPSG:4326")
    country = {"geometry": square, "properties": {"id": "SY", "level": "country"}}
    assert governorate_from_click(country, {"lat": 35.2, "lng": 37.9}, shapes) == "SY-HM"
    assert governorate_from_click(country, {"lat": 20, "lng": 20}, shapes) is None


def test_bounds_and_descriptions_and_markdown_escaping():
    bounds = {"_southWest": {"lat": 32.123456, "lng": 35.5}, "_northEast": {"lat": 37.3, "lng": 200}}
    assert bbox_from_bounds(bounds) == (35.5, 32.1235, 180.0, 37.3)
    assert bbox_from_bounds({}) is None
    assert describe_filters(Filters()) == "All incidents"
    text = describe_filters(Filters(since=dt.date(2026, 3, 1), regions=("Dar'a",), actors=("A",)))
    assert text == "2026-03-01 to …; Actors: A; Governorates: Daraa"
    assert escape_markdown("[a](javascript:x) **b** <i>\n") == "\\[a\\]\\(javascript\\:x\\) \\*\\*b\\*\\* \\<i\\>"


def test_a_click_inside_a_chosen_governorate_drills_down_to_its_district():
    from geo.query.mapclick import region_click

    where = {(32.9, 36.1): "SY-DR:izra", (32.6, 36.1): "SY-DR:daraa"}
    locate = lambda lat, lon: where.get((lat, lon))  # noqa: E731
    at = lambda lat, lon: {"lat": lat, "lng": lon}  # noqa: E731
    assert region_click("SY-DR", at(32.9, 36.1), [], [], locate) == (["SY-DR"], [])     # first click: governorate
    assert region_click("SY-DR", at(32.9, 36.1), ["SY-DR"], [], locate) == (["SY-DR"], ["SY-DR:izra"])
    assert region_click("SY-DR", at(32.6, 36.1), ["SY-DR"], ["SY-DR:izra"], locate) == (
        ["SY-DR"], ["SY-DR:izra", "SY-DR:daraa"])
    assert region_click("SY-DR", at(32.9, 36.1), ["SY-DR"], ["SY-DR:izra"], locate) == (["SY-DR"], [])  # toggled off
    # no district under the click (or one of another governorate): the governorate is dropped with its districts
    assert region_click("SY-DR", at(0, 0), ["SY-DR", "SY-HM"], ["SY-DR:izra", "SY-HM:hama"], locate) == (
        ["SY-HM"], ["SY-HM:hama"])
    assert region_click(None, at(32.9, 36.1), ["SY-DR"], [], locate) is None


def test_district_drill_down_uses_the_shipped_district_polygons():
    from geo.geocode.regions import locate_district
    from geo.query.mapclick import region_click

    regions, districts = region_click("SY-DR", {"lat": 32.85, "lng": 36.25}, ["SY-DR"], [], locate_district)
    assert regions == ["SY-DR"] and len(districts) == 1 and districts[0].startswith("SY-DR:")
