"""Large-view mode: exact counts per grid cell (geo.map.aggregate) and their payload."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd
from hypothesis import given, settings, strategies as st

from geo.map.aggregate import (LARGE_VIEW_THRESHOLD, View, aggregate, cell_degrees, fitting_view,
                               in_view_mask)
from geo.map.payload import encode_aggregates


def _frame(seed: int, n: int):
    rng = np.random.default_rng(seed)
    lat = rng.uniform(32.0, 37.5, n)
    lon = rng.uniform(35.5, 42.5, n)
    lat[rng.random(n) < 0.05] = np.nan  # some rows without coordinates
    types = rng.choice(["Battles", "Protests", "Riots", "Explosions/Remote violence"], n)
    return lat, lon, types


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 3000), zoom=st.sampled_from([5, 5.5, 6, 7, 8.5, 10, 13, 16]),
       with_view=st.booleans())
def test_counts_are_exact_and_add_up(seed, n, zoom, with_view):
    lat, lon, types = _frame(seed, n)
    view = View(zoom, 33.0, 36.0, 35.5, 39.0) if with_view else None
    agg = aggregate(lat, lon, types, zoom, view)
    assert agg.total + agg.outside + agg.missing == n
    assert agg.missing == int(np.isnan(lat).sum())
    assert (agg.count > 0).all()
    # each cell's count equals the points that fall in that cell (recount one by one)
    inside = in_view_mask(lat, lon, view)
    cell = cell_degrees(zoom)
    keys = pd.Series(list(zip(np.floor(lat[inside] / cell).astype(int), np.floor(lon[inside] / cell).astype(int))))
    expected = keys.value_counts()
    got = {(int(np.floor(a / cell)), int(np.floor(b / cell))): int(k) for a, b, k in zip(agg.lat, agg.lon, agg.count)}
    assert got == {k: int(v) for k, v in expected.items()}


def test_dominant_type_is_the_most_frequent_in_the_cell():
    lat = np.array([35.01, 35.02, 35.03, 35.04, 36.5])
    lon = np.array([38.01, 38.02, 38.03, 38.04, 40.0])
    types = ["Riots", "Battles", "Battles", "Protests", "Riots"]
    agg = aggregate(lat, lon, types, 7)
    by_count = {int(k): agg.types[t] for k, t in zip(agg.count, agg.top)}
    assert by_count == {4: "Battles", 1: "Riots"}


def test_cells_shrink_with_zoom_and_are_about_fifty_pixels():
    assert cell_degrees(8) == cell_degrees(7) / 2
    assert 40 <= cell_degrees(7) / (360 / (256 * 2 ** 7)) <= 60
    lat, lon, types = _frame(1, 5000)
    coarse, fine = aggregate(lat, lon, types, 6), aggregate(lat, lon, types, 9)
    assert len(fine.count) > len(coarse.count)
    assert fine.total == coarse.total


def test_outside_the_view_is_counted_not_lost():
    lat = np.array([34.0, 34.1, 20.0, np.nan])
    lon = np.array([37.0, 37.1, 10.0, 37.0])
    agg = aggregate(lat, lon, ["A", "B", "A", "A"], 8, View(8, 33.0, 36.0, 35.0, 38.0))
    assert (agg.total, agg.outside, agg.missing) == (2, 1, 1)


def test_padded_view_and_fitting_view():
    v = View(7, 34.0, 37.0, 36.0, 39.0).padded(0.5)
    assert (v.south, v.west, v.north, v.east) == (33.0, 36.0, 37.0, 40.0)
    lat, lon, _ = _frame(2, 1000)
    fit = fitting_view(lat, lon)
    assert 5 <= fit.zoom <= 8
    assert fit.south <= np.nanmin(lat) and fit.north >= np.nanmax(lat)


def test_payload_is_columnar_and_counts_survive():
    lat, lon, types = _frame(3, LARGE_VIEW_THRESHOLD + 1)
    agg = aggregate(lat, lon, types, 7)
    payload = encode_aggregates(agg, fitting_view(lat, lon))
    assert payload["n"] == sum(payload["k"]) == agg.total
    assert len(payload["la"]) == len(payload["lo"]) == len(payload["k"]) == len(payload["t"])
    assert payload["nc"] == agg.missing and len(payload["view"]) == 4
    assert max(payload["t"]) < len(payload["T"])


def test_mismatched_lengths_are_an_error():
    import pytest

    with pytest.raises(ValueError):
        aggregate(np.zeros(2), np.zeros(2), ["A"], 7)


def _incidents(seed: int, n: int) -> pd.DataFrame:
    lat, lon, types = _frame(seed, n)
    types = pd.Series(types, dtype="object")
    types[::17] = None  # some without a type
    return pd.DataFrame({"latitude": lat, "longitude": lon, "event_type": types})


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 2000), zoom=st.sampled_from([5, 6.5, 8, 11]))
def test_store_cell_table_gives_the_same_aggregates_as_the_points(seed, n, zoom):
    from geo.map.aggregate import from_cell_counts
    from geo.query.cells import cell_type_counts

    frame = _incidents(seed, n)
    lat, lon = frame["latitude"].to_numpy(), frame["longitude"].to_numpy()
    direct = aggregate(lat, lon, frame["event_type"].fillna(""), zoom)
    cells = cell_type_counts(frame, cell_degrees(zoom))
    assert int(cells["incidents"].sum()) == n - direct.missing
    merged = from_cell_counts(cells, zoom, total=n, missing=direct.missing)
    assert (merged.total, merged.outside, merged.missing) == (direct.total, 0, direct.missing)
    order_d = np.lexsort((direct.lon, direct.lat))
    order_m = np.lexsort((merged.lon, merged.lat))
    assert merged.count[order_m].tolist() == direct.count[order_d].tolist()
    assert np.allclose(merged.lat[order_m], direct.lat[order_d])
    assert [merged.types[t] for t in merged.top[order_m]] == [direct.types[t] for t in direct.top[order_d]]


def test_cell_counts_with_a_view_count_the_rest_as_outside():
    from geo.map.aggregate import from_cell_counts
    from geo.query.cells import cell_type_counts

    frame = pd.DataFrame({"latitude": [34.0, 34.01, 30.0, np.nan], "longitude": [37.0, 37.01, 30.0, 37.0],
                          "event_type": ["Riots", "Riots", "Battles", "Riots"]})
    inside = frame.iloc[:2]  # what a store returns for filters narrowed to the view
    agg = from_cell_counts(cell_type_counts(inside, cell_degrees(9)), 9, total=4, missing=1)
    assert (agg.total, agg.outside, agg.missing) == (2, 1, 1)
    assert agg.types[agg.top[0]] == "Riots"
    with pytest.raises(ValueError):
        from_cell_counts(cell_type_counts(frame, 1.0), 9, total=1)
