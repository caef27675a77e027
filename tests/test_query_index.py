"""geo.query.index: the in-memory index answers filters, facets, timeline and summary exactly as the
frame-based functions do on ``Filters.apply`` of the same rows (random filters, invented incidents)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from geo import query
from geo.filters import Filters
from geo.query.index import IncidentIndex
from geo.store import open_store
from tests.store_contract import FILTER_CASES, EMPTY_CASES, _filters, assert_same_facets, make_incidents


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """400 invented incidents as the embedded store returns them, a few with odd values, and their index."""
    incidents = make_incidents(400, seed=11)
    incidents.loc[0, ["actor1", "assoc_actor_1", "source", "kind"]] = [" Blue Brigade ", "Red Front;  ; Red Front",
                                                                      "Field Notes;;Daily Ledger", "   "]
    incidents.loc[1, ["date_end", "event_type", "admin2"]] = [dt.date(2025, 12, 31), None, " District 1 "]
    incidents.loc[2, ["admin1_iso", "admin1"]] = ["SY-XX", "Somewhere New"]
    incidents.loc[3, ["geo_precision", "fatalities"]] = [None, None]
    path = tmp_path_factory.mktemp("index") / "incidents.gpkg"
    with open_store(path) as store:
        store.upsert(incidents)
        frame = store.read()
    return frame, IncidentIndex(frame)


def _check(frame: pd.DataFrame, index: IncidentIndex, filters: Filters) -> None:
    want = filters.apply(frame)
    got = index.select(filters)
    assert got.frame()["event_id"].tolist() == want["event_id"].tolist(), filters
    assert_same_facets(got.facets(), query.facets(want))
    for granularity in ("day", "week"):
        pd.testing.assert_frame_equal(got.timeline(granularity), query.timeline(want, granularity))
    assert got.summary() == query.summarize(want)
    pd.testing.assert_frame_equal(got.region_counts(), query.region_counts(want), check_dtype=len(want) > 0)


def test_listed_filters_equal_filters_apply(stored):
    frame, index = stored
    for filters in [*FILTER_CASES, *EMPTY_CASES, Filters(since=dt.date(2025, 6, 1)),
                    Filters(types=("Battles", "",)), Filters(regions=("SY-XX",)),
                    Filters(districts=("district 1",), precisions=(3,))]:
        _check(frame, index, filters)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=_filters)
def test_random_filters_equal_filters_apply(stored, filters: Filters):
    frame, index = stored
    _check(frame, index, filters)


def test_unsorted_frame_is_put_in_date_order():
    frame = make_incidents(50, seed=4)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    shuffled = frame.sample(frac=1, random_state=1)
    index = IncidentIndex(shuffled)
    got = index.select(Filters(since=dt.date(2025, 2, 1))).frame()
    assert got["event_date"].is_monotonic_increasing
    assert sorted(got["event_id"]) == sorted(Filters(since=dt.date(2025, 2, 1)).apply(frame)["event_id"])


def test_empty_index():
    from geo.store import empty_frame

    index = IncidentIndex(empty_frame())
    selection = index.select(Filters(types=("Battles",), since=dt.date(2025, 1, 1)))
    assert len(selection) == 0 and len(selection.frame()) == 0
    assert selection.facets()["incidents"] == 0 and selection.facets()["dates"] is None
    assert selection.timeline().empty and selection.summary().incidents == 0
