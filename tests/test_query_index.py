"""geo.query.index: the in-memory index answers filters, facets, timeline and summary exactly as the
frame-based functions do on ``Filters.apply`` of the same rows (random filters, invented incidents)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def _state(index: IncidentIndex) -> dict:
    """Everything an index derives from its value codes, as plain Python values."""
    keyed = {"regions": index.regions, "districts": index.districts, "precisions": index.precisions,
             **{f"type{i}": k for i, k in enumerate(index.types)}}
    state = {name: (k.codes.tolist(), list(k.labels), [p.tolist() for p in k._lists]) for name, k in keyed.items()}
    for name, listed in (("actors", index.actors), ("sources", index.sources)):
        state[name] = (listed.codes.tolist(), listed.combos, listed.names, listed.pair_combo.tolist(),
                       listed.pair_name.tolist(), {k: sorted(v) for k, v in listed._combos_of.items()})
    state["shown"] = {c: (codes.tolist(), list(labels)) for c, (codes, labels) in index.shown.items()}
    state["timeline"] = (index.timeline_types[0].tolist(), list(index.timeline_types[1]))
    return state


def test_value_codes_from_the_snapshot_build_the_same_index(stored, tmp_path):
    frame, _ = stored
    path = tmp_path / "coded.gpkg"
    with open_store(path) as store:
        store.upsert(frame.drop(columns="geometry"))
        store.read_frame()  # writes the columnar snapshot
    with open_store(path) as store:
        plain, codes = store.read_frame_codes(IncidentIndex.CODED)
    assert set(codes) == set(IncidentIndex.CODED)  # every indexed text column came with its codes
    assert any((c < 0).any() for c, _ in codes.values())  # and some of them with missing values
    assert _state(IncidentIndex(plain, codes)) == _state(IncidentIndex(plain.copy()))


@given(values=st.lists(st.sampled_from([None, "", "a", "b", " a", "c;d"]), max_size=30),
       missing=st.sampled_from([None, ""]))
def test_factorized_equals_pandas_factorize(values, missing):
    from geo.query import _postings as P

    distinct = list(dict.fromkeys(v for v in values if v is not None))[::-1]  # dictionary order != appearance
    codes = np.array([-1 if v is None else distinct.index(v) for v in values], dtype=np.int32)
    column = pd.Series(values, dtype=object)
    want_codes, want_uniques = pd.factorize(column if missing is None else column.fillna(missing))
    got_codes, got_uniques = P.factorized((codes, np.array(distinct, dtype=object)), missing=missing)
    assert got_codes.tolist() == want_codes.tolist() and list(got_uniques) == list(want_uniques)
