"""The dashboard's numbers on a large PostGIS store come from SQL and equal what geo.query computes from
the same rows (and what ``Filters.mask`` selects from the frame that was imported): metrics, timeline,
extent, the map's cells per view, the table page; the dashboard then opens on the whole period without
reading every row."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

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


@pytest.fixture(scope="module")
def pg(postgis_server):
    frame = make_incidents(400, seed=21)
    frame.loc[4, "event_type"] = None  # timeline "Unknown"
    with open_store(postgis_server.new_database()) as store:
        store.upsert(frame)
        yield store, typed_frame(frame)


@pytest.mark.parametrize("filters", FILTERS)
def test_summary_timeline_and_stats_equal_geo_query_of_the_rows(pg, filters):
    store, _frame = pg
    rows = store.read(filters)
    assert store.summary(filters) == query.summarize(rows)
    for granularity in ("day", "week"):
        got, want = store.timeline(filters, granularity), query.timeline(rows, granularity)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert got["incidents"].dtype == np.int64
    stats = store.view_stats(filters)
    assert stats.incidents == len(rows)
    if len(rows):
        assert stats.extent == (rows["latitude"].min(), rows["longitude"].min(), rows["latitude"].max(),
                                rows["longitude"].max())
    else:
        assert stats.extent is None and stats.first_date is None


@pytest.mark.parametrize("zoom", [6, 8, 10])
@pytest.mark.parametrize("filters", FILTERS)
def test_map_cells_equal_the_mask_counts_of_the_imported_rows(pg, filters, zoom):
    """Per cell and in total, the SQL counts are those of Filters.mask on the frame that was imported."""
    from geo.map.large_view import store_large_map

    store, frame = pg
    chosen = frame[(filters or Filters()).mask(frame)] if filters is not None else frame
    got = store.cell_type_counts(filters, cell_degrees(zoom))
    want = cell_type_counts(chosen, cell_degrees(zoom))
    key = ["ix", "iy", "event_type"]
    pd.testing.assert_frame_equal(got[key + ["incidents"]].reset_index(drop=True),
                                  want[key + ["incidents"]].reset_index(drop=True), check_dtype=False)
    assert int(got["incidents"].sum()) == len(chosen)
    # the map of a view: bubbles counted in SQL, everything accounted for
    view = View(zoom, 33.5, 36.0, 35.5, 38.0)
    fmap = store_large_map(store, filters, view, total=len(chosen), threshold=5, target="standalone")
    fmap.get_root().render()
    payload = json.loads(re.search(r'"agg":(\{.*?\}),"', fmap.get_root().script.render()).group(1))
    inside = view.padded()
    in_view = chosen["latitude"].between(inside.south, inside.north) & \
        chosen["longitude"].between(inside.west, inside.east)
    if fmap.atlas_mode == "aggregate":
        assert sum(payload["k"]) == payload["n"] == int(in_view.sum())
    else:
        assert payload["pts"] == int(in_view.sum()) <= 5
    assert (payload["n"] or payload["pts"]) + payload["out"] + payload["nc"] == len(chosen)


def test_recent_page_is_the_newest_rows(pg):
    store, _frame = pg
    page = store.read_recent(Filters(types=("Battles",)), 25)
    want = store.read(Filters(types=("Battles",))).sort_values(["event_date", "event_id"], ascending=False)
    assert page["event_id"].tolist() == want["event_id"].head(25).tolist()


def _map_payload(at: AppTest) -> dict:
    maps = [c for c in at.get("component_instance") if "IncidentAtlas" in c.proto.json_args]
    script = json.loads(maps[0].proto.json_args)["feature_group"]  # the incidents (the page has none)
    found = re.search(r'"agg":(\{[^{}]*\})', script)  # the counts object (arrays, no nested objects)
    return json.loads(found.group(1)) if found else {}


def test_dashboard_on_a_large_postgis_store_reads_no_rows(postgis_db, tmp_path, monkeypatch):
    """With the threshold lowered to 50, 400 incidents make a "large" store: the page opens on the whole
    period, metrics and map bubbles come from SQL and ``store.read`` is never called; a narrow filter
    (few incidents) brings the rows back."""
    from geo.store.postgis import PostgisStore
    from geo.ui import server_view

    frame = make_incidents(400, seed=21)
    with open_store(postgis_db) as store:
        store.upsert(frame)
    reads: list = []
    real_read = PostgisStore.read
    monkeypatch.setattr(PostgisStore, "read", lambda self, filters=None: reads.append(filters) or real_read(
        self, filters))
    monkeypatch.setattr(server_view, "LARGE_VIEW_THRESHOLD", 50)
    monkeypatch.setattr(server_view, "TABLE_PAGE", 100)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", postgis_db)
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    from tests.test_dashboard_apptest import APP, incidents, widget

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.run()  # as in a browser, where the map's first report reruns the app (the filters come then)
    assert not at.exception, at.exception
    typed = typed_frame(frame)
    lo, hi = typed["event_date"].min().date(), max(typed["event_date"].max(), typed["date_end"].max()).date()
    assert widget(at, "slider", "Date range").value == (lo, hi)  # whole period, no 30-day window
    assert incidents(at) == 400 and reads == []
    payload = _map_payload(at)
    assert payload and sum(payload["k"]) + payload["out"] + payload["nc"] == 400
    for tab in ("Timeline", "Table", "Density"):
        at.session_state["tab"] = tab
        at.run()
        assert not at.exception, at.exception
        if tab == "Table":
            assert any(c.value == "Showing the 100 most recent of 400 incidents." for c in at.caption)
            table = next(d.value for d in at.dataframe if "event_id" in d.value.columns)
            newest = typed.sort_values(["event_date", "event_id"], ascending=False)["event_id"].head(100)
            assert sorted(table["event_id"]) == sorted(newest)
    assert reads == []
    at.session_state["tab"] = "Export"  # streamed from the store with a progress bar, then offered
    at.run()
    at.button(key="write_csv").click().run()
    assert not at.exception, at.exception
    made = at.session_state["export_file"]
    assert made["count"] == 400 and reads == []
    from geo.export import export

    with open_store(postgis_db) as store:
        want = export(store.read(), "csv", tmp_path / "one.csv").read_bytes()
    with open(made["path"], "rb") as handle:
        assert handle.read() == want
    reads.clear()
    widget(at, "multiselect", "Event type").set_value(["Battles"]).run()
    battles = int(Filters(types=("Battles",)).mask(typed).sum())
    assert incidents(at) == battles and reads == []
    widget(at, "multiselect", "Governorates").set_value(["SY-DR"]).run()  # few: rows travel again
    few = int(Filters(types=("Battles",), regions=("SY-DR",)).mask(typed).sum())
    assert few <= 50 and incidents(at) == few and reads
