"""Large-view mode of the map (geo.map.large_view): bubbles above the threshold, points at or below it,
every incident accounted for; the same from a store that counts by itself."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from geo.filters import Filters
from geo.map.aggregate import View, needs_new_view, view_from_map
from geo.map.large_view import large_map, store_large_map
from geo.store import open_store
from tests.store_contract import make_incidents


def _agg_payload(fmap) -> dict:
    fmap.get_root().render()
    script = fmap.get_root().script.render()
    found = re.search(r'"agg":(\{.*?\}),"', script)
    assert found, "no aggregates in the page"
    return json.loads(found.group(1))  # json_for_script's \uXXXX escapes are plain JSON


def _frame(n: int) -> pd.DataFrame:
    frame = make_incidents(n, seed=2)
    frame.loc[frame.index[:3], ["latitude", "longitude"]] = np.nan  # three without coordinates
    return frame


@pytest.mark.parametrize("threshold, mode", [(50, "aggregate"), (400, "points")])
def test_mode_switches_at_the_threshold_and_counts_add_up(threshold, mode):
    frame = _frame(300)
    m = large_map(frame, threshold=threshold, target="standalone")
    assert m.atlas_mode == mode
    payload = _agg_payload(m)
    shown = payload["n"] if mode == "aggregate" else payload["pts"]
    assert shown + payload["out"] + payload["nc"] == len(frame)
    assert payload["nc"] == 3
    if mode == "aggregate":
        assert sum(payload["k"]) == payload["n"] == m.atlas_in_view and m.atlas_count == 0
    else:
        assert m.atlas_count == payload["pts"] == m.atlas_in_view  # one marker per incident in view


def test_zooming_into_a_small_view_gives_points_of_that_view_only():
    frame = _frame(300)
    lat, lon = float(frame["latitude"].iloc[10]), float(frame["longitude"].iloc[10])
    view = View(13, lat - 0.01, lon - 0.02, lat + 0.01, lon + 0.02)
    m = large_map(frame, view, threshold=50, target="standalone")
    assert m.atlas_mode == "points" and 1 <= m.atlas_count < 300
    payload = _agg_payload(m)
    assert payload["pts"] + payload["out"] + payload["nc"] == 300


def test_view_round_trip_and_when_to_recount():
    bounds = {"_southWest": {"lat": 33.0, "lng": 36.0}, "_northEast": {"lat": 35.0, "lng": 39.0}}
    shown = view_from_map(bounds, 7)
    assert shown == View(7.0, 33.0, 36.0, 35.0, 39.0)
    assert view_from_map({"_southWest": {"lat": None}}, 7) is None
    nudged = View(7.0, 33.2, 36.3, 35.2, 39.3)
    assert not needs_new_view(shown, nudged)  # a small pan stays inside the counted area
    assert needs_new_view(shown, View(8.0, 33.5, 37.0, 34.5, 38.5))  # zoom changed
    assert needs_new_view(shown, View(7.0, 36.0, 36.0, 38.0, 39.0))  # panned out of it
    assert needs_new_view(None, shown) and not needs_new_view(shown, None)


@pytest.mark.parametrize("threshold", [20, 1000])
def test_store_counts_give_the_same_map_as_the_rows(tmp_path, threshold):
    with open_store(str(tmp_path / "s.gpkg")) as store:
        store.upsert(make_incidents(200, seed=4))
        rows = store.read()
        view = View(7, 33.0, 36.0, 35.0, 38.5)
        from_rows = large_map(rows, view, threshold=threshold, target="standalone")
        from_store = store_large_map(store, None, view, total=len(rows), threshold=threshold, target="standalone")
        assert from_store.atlas_mode == from_rows.atlas_mode
        assert from_store.atlas_in_view == from_rows.atlas_in_view
        a, b = _agg_payload(from_rows), _agg_payload(from_store)
        assert (a["n"], a["out"], sorted(a["k"])) == (b["n"], b["out"], sorted(b["k"]))
        narrowed = store_large_map(store, Filters(types=("Battles",)), view, total=len(store.read(
            Filters(types=("Battles",)))), threshold=threshold, target="standalone")
        c = _agg_payload(narrowed)
        assert (c.get("pts", c["n"]) + c["out"]) == len(store.read(Filters(types=("Battles",))))


def test_bubbles_in_chromium_add_up_and_hostile_type_names_stay_text(tmp_path):
    from tests._map_probe import probe_page

    frame = make_incidents(120, seed=6)
    frame["event_type"] = ['<img src=x onerror="window.__pwned=1">', "</script><script>window.__pwned=1</script>",
                           "Battles"] * 40
    page = tmp_path / "bubbles.html"
    page.write_text(large_map(frame, threshold=10, target="standalone").get_root().render(), encoding="utf-8")
    seen = {}

    def read(pg):
        pg.wait_for_function("() => window.__atlasReady === true")
        seen.update(pg.evaluate("""() => ({
            counts: Array.from(document.querySelectorAll('.ia-agg')).map(b => +b.getAttribute('data-count')),
            total: +document.querySelector('.ia-map').getAttribute('data-atlas-aggregate'),
            mode: document.querySelector('.ia-map').getAttribute('data-atlas-mode'),
            note: document.querySelector('.ia-agg-note').textContent})"""))

    report = probe_page(page.as_uri(), before=read)
    assert not report.pwned and not report.errors and not report.external
    assert seen["mode"] == "aggregate" and report.markers == 0  # bubbles live in their own pane
    assert len(seen["counts"]) > 1 and sum(seen["counts"]) == seen["total"] == 120  # whole data in view
    assert "onerror" in seen["note"] or "script" in seen["note"]  # the names are shown as text
