"""One statement for a PostGIS dashboard view (``PostgisStore.view_numbers``): its stats, metrics,
timeline, governorates and map cells equal what geo.query computes from the rows ``Filters.mask`` selects
in the imported frame; it writes nothing (no change marker move, works in a read-only session), and the
dashboard's map takes the cells counted with the numbers instead of asking again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pandas as pd
import pytest

from geo import query
from geo.filters import Filters
from geo.map.aggregate import View, cell_degrees
from geo.query.cells import cell_type_counts
from geo.store import open_store, typed_frame
from tests.store_contract import make_incidents

pytestmark = pytest.mark.postgis

FILTERS = [None, Filters(types=("Battles",)), Filters(since=dt.date(2025, 2, 1), until=dt.date(2025, 3, 15)),
           Filters(actors=("Red Front",), regions=("SY-DR", "SY-HL")), Filters(text="square"),
           Filters(bbox=(35.5, 33.0, 38.5, 36.0)), Filters(types=("No such type",))]
VIEWS = [View(6, 32.0, 35.0, 37.5, 42.5), View(9, 33.3, 36.0, 33.8, 36.6)]


def _tricky(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that make the per-name and per-governorate counting earn its keep."""
    frame = frame.copy()
    frame.loc[0, ["actor1", "assoc_actor_1", "actor2"]] = ["Red Front; Blue Line", " Red Front ", "Blue Line\u00a0"]
    frame.loc[1, ["actor1", "actor2"]] = [";  ;", ""]  # no name at all
    frame.loc[2, ["admin1_iso", "admin1"]] = ["xx-new", "Second name"]  # not in data/admin1.csv: first row's name
    frame.loc[3, ["admin1_iso", "admin1", "event_date"]] = ["XX-NEW", "First name", dt.date(2024, 12, 1)]
    frame.loc[4, "event_type"] = None  # timeline "Unknown", cells ""
    frame.loc[5, "event_type"] = ""
    return frame


@pytest.fixture(scope="module")
def pg(postgis_server):
    frame = _tricky(make_incidents(400, seed=33))
    with open_store(postgis_server.new_database()) as store:
        store.upsert(frame)
        yield store, typed_frame(frame)


def _chosen(frame: pd.DataFrame, filters: Filters | None) -> pd.DataFrame:
    return frame[filters.mask(frame)] if filters is not None else frame


@pytest.mark.parametrize("filters", FILTERS)
def test_numbers_equal_geo_query_of_the_masked_rows(pg, filters):
    store, frame = pg
    rows = _chosen(frame, filters).sort_values(["event_date", "event_id"], kind="stable")
    numbers = store.view_numbers(filters)
    assert numbers.summary() == query.summarize(rows)
    assert numbers.summary(top=50) == query.summarize(rows, top=50)
    for granularity in ("day", "week"):
        pd.testing.assert_frame_equal(numbers.timeline(granularity), query.timeline(rows, granularity),
                                      check_dtype=False)
    pd.testing.assert_frame_equal(numbers.regions, query.region_counts(rows), check_dtype=False)
    assert numbers.stats == store.view_stats(filters)
    assert numbers.stats.incidents == len(rows) and numbers.cells is None


def test_tricky_names_are_counted_once_per_incident(pg):
    store, frame = pg
    numbers = store.view_numbers(None)
    want = query.summarize(frame, top=100)
    assert numbers.summary(top=100).top_actors == want.top_actors
    assert "" not in numbers.actors.index
    regions = numbers.regions.set_index("admin1_iso")
    assert regions.loc["XX-NEW", "name"] == "First name" and regions.loc["XX-NEW", "incidents"] == 2


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("filters", [f for f in FILTERS if f is None or not f.bbox])
def test_cells_with_the_numbers_equal_the_cells_of_the_narrowed_rows(pg, filters, view):
    store, frame = pg
    box = view.padded()
    request = (cell_degrees(view.zoom), (box.west, box.south, box.east, box.north))
    numbers = store.view_numbers(filters, request)
    narrowed = dataclasses.replace(filters or Filters(), bbox=request[1])
    want = cell_type_counts(_chosen(frame, narrowed), request[0])
    key = ["ix", "iy", "event_type", "incidents"]
    pd.testing.assert_frame_equal(numbers.cells[key], want[key].reset_index(drop=True), check_dtype=False)
    pd.testing.assert_frame_equal(numbers.cells[["lat_sum", "lon_sum"]], want[["lat_sum", "lon_sum"]]
                                  .reset_index(drop=True), check_dtype=False, atol=1e-9)
    pd.testing.assert_frame_equal(numbers.cells, store.cell_type_counts(narrowed, request[0]), check_dtype=False,
                                  atol=1e-9)
    plain = store.view_numbers(filters)  # the cells change nothing else
    assert numbers.stats == plain.stats and numbers.summary() == plain.summary()
    pd.testing.assert_frame_equal(numbers.days, plain.days)
    assert numbers.cells_for == request


def test_numbers_write_nothing_and_run_in_a_read_only_session(pg):
    """The view's statement takes no transaction id (a temporary table would: the change marker would
    move and every cached view be dropped) and works for a read-only viewer."""
    store, frame = pg
    marker = store.change_marker()
    store._conn.execute("SET default_transaction_read_only = on")
    try:
        numbers = store.view_numbers(Filters(types=("Battles",)), (0.5, (30.0, 30.0, 45.0, 40.0)))
        assert store.estimate_matching(Filters(types=("Battles",))) > 0
    finally:
        store._conn.execute("SET default_transaction_read_only = off")
    assert numbers.stats.incidents == int(Filters(types=("Battles",)).mask(frame).sum())
    assert store.change_marker() == marker


def test_concurrent_views_on_one_store_do_not_mix(pg):
    """Dashboard sessions share one store (one connection): views asked at once from threads each get
    their own numbers."""
    from concurrent.futures import ThreadPoolExecutor

    store, frame = pg
    asked = [f for f in FILTERS if f is not None] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(lambda f: store.view_numbers(f).stats.incidents, asked))
    assert got == [int(f.mask(frame).sum()) for f in asked]


def test_the_map_uses_the_cells_counted_with_the_numbers(pg, monkeypatch):
    from geo.map.large_view import store_large_map
    from geo.store.postgis import PostgisStore
    from geo.ui.server_view import _cells_request, _KnownCells

    store, frame = pg
    filters, view = Filters(types=("Battles",)), VIEWS[0]
    numbers = store.view_numbers(filters, _cells_request(filters, view))
    calls: list = []
    real = PostgisStore.cell_type_counts
    monkeypatch.setattr(PostgisStore, "cell_type_counts",
                        lambda self, f=None, d=0.25: calls.append((f, d)) or real(self, f, d))

    def payload(fmap) -> dict:
        fmap.get_root().render()
        return json.loads(re.search(r'"agg":(\{.*?\}),"', fmap.get_root().script.render()).group(1))

    total = int(filters.mask(frame).sum())
    known = store_large_map(_KnownCells(store, filters, numbers), filters, view, total=total, threshold=5,
                            target="standalone")
    assert calls == []
    asked = store_large_map(store, filters, view, total=total, threshold=5, target="standalone")
    assert len(calls) == 1 and payload(known) == payload(asked)
    # another view (a pan): the cells are asked for again
    store_large_map(_KnownCells(store, filters, numbers), filters, VIEWS[1], total=total, threshold=5,
                    target="standalone")
    assert len(calls) == 2
