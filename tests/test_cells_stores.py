"""Per-(cell, event type) counts for the map's large-view mode, computed by each store: PostGIS groups in
SQL and must give exactly the table geo.query.cells computes from the same rows; so must GeoPackage."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.filters import Filters
from geo.map.aggregate import cell_degrees, from_cell_counts
from geo.query.cells import CELL_COLUMNS, cell_type_counts
from geo.store import open_store
from tests.store_contract import make_incidents

FILTERS = [None, Filters(types=("Battles",)), Filters(since=dt.date(2024, 1, 1)),
           Filters(bbox=(35.5, 33.0, 38.5, 36.0)), Filters(types=("No such type",))]


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(CELL_COLUMNS)
    key = ["ix", "iy", "event_type"]
    got, want = got.sort_values(key).reset_index(drop=True), want.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[key + ["incidents"]], want[key + ["incidents"]], check_dtype=False)
    assert (got["lat_sum"] - want["lat_sum"]).abs().max() < 1e-6 if len(got) else True
    assert (got["lon_sum"] - want["lon_sum"]).abs().max() < 1e-6 if len(got) else True


@pytest.mark.parametrize("zoom", [6, 9])
@pytest.mark.parametrize("filters", FILTERS)
def test_postgis_groups_cells_in_sql_like_the_frame_function(postgis_db: str, filters, zoom) -> None:
    with open_store(postgis_db) as store:
        store.upsert(make_incidents(300, seed=5))
        got = store.cell_type_counts(filters, cell_degrees(zoom))
        want = cell_type_counts(store.read(filters), cell_degrees(zoom))
        _same(got, want)
        total = len(store.read(filters))
        if filters is None:
            assert int(got["incidents"].sum()) == total == 300
        agg = from_cell_counts(got, zoom, total=total)
        assert agg.total + agg.outside == total


def test_geopackage_cells_and_the_empty_table(tmp_path) -> None:
    with open_store(str(tmp_path / "cells.gpkg")) as store:
        assert list(store.cell_type_counts(None, 0.5).columns) == list(CELL_COLUMNS)
        store.upsert(make_incidents(120, seed=3))
        got = store.cell_type_counts(None, 0.5)
        assert int(got["incidents"].sum()) == 120
        _same(got, cell_type_counts(store.read(), 0.5))
        with pytest.raises(ValueError):
            store.cell_type_counts(None, 0)


@pytest.mark.parametrize("threshold, mode", [(20, "aggregate"), (1000, "points")])
def test_postgis_large_view_map_counts_in_sql(postgis_db: str, threshold: int, mode: str) -> None:
    from geo.map.aggregate import View
    from geo.map.large_view import large_map, store_large_map

    with open_store(postgis_db) as store:
        store.upsert(make_incidents(200, seed=9))
        rows = store.read()
        view = View(7, 33.0, 36.0, 35.0, 38.5)
        got = store_large_map(store, None, view, total=len(rows), threshold=threshold, target="standalone")
        want = large_map(rows, view, threshold=threshold, target="standalone")
        assert got.atlas_mode == want.atlas_mode == mode
        assert got.atlas_in_view == want.atlas_in_view
        assert got.atlas_count == want.atlas_count
