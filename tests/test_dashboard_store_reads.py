"""The dashboard asks its store only for what the current view needs.

A recording store stands in for a shared (PostGIS-like) store: it answers from a real GeoPackage of
invented incidents but notes every call. The dashboard must read with the current filters (never the
whole store once a filter is set), take its sidebar options from ``facets()``, and let the store
aggregate the density tab. Large stores open on their whole period too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo import query
from geo.filters import Filters
from geo.store import open_store
from tests.dashboard_fixtures import sample_frame
from tests.test_dashboard_apptest import APP, incidents, map_markers, widget


class RecordingStore:
    """A store backed by a GeoPackage file that records what it is asked (shared by all sessions)."""

    def __init__(self, path: str, *, pretend_total: int | None = None) -> None:
        self.inner = open_store(path)
        self.reads: list[Filters | None] = []
        self.facet_calls: list[Filters | None] = []
        self.density_calls: list[tuple[str, Filters | None]] = []
        self.stats_calls: list[Filters | None] = []
        self.pretend_total = pretend_total

    def read(self, filters: Filters | None = None):
        self.reads.append(filters)
        return self.inner.read(filters)

    def facets(self, filters: Filters | None = None) -> dict:
        self.facet_calls.append(filters)
        found = query.facets(self.inner.read(filters))
        if self.pretend_total is not None:
            found["incidents"] = self.pretend_total
        return found

    def counts_by_admin1(self, filters: Filters | None = None):
        self.density_calls.append(("admin1", filters))
        return query.region_counts(self.inner.read(filters))

    def grid_counts(self, filters: Filters | None = None, cell_deg: float = 0.25):
        self.density_calls.append(("grid", filters))
        return query.grid_counts(self.inner.read(filters), cell_deg)

    def view_stats(self, filters: Filters | None = None):
        from geo.store._pg_view import Stats

        rows = self.inner.read(filters)
        self.stats_calls.append(filters)
        extent = (rows["latitude"].min(), rows["longitude"].min(), rows["latitude"].max(),
                  rows["longitude"].max()) if len(rows) else None
        summary = query.summarize(rows)
        return Stats(len(rows), summary.fatalities, summary.first_date, summary.last_date, extent)

    def estimate_matching(self, filters: Filters | None = None) -> int:
        return len(self.inner.read(filters))  # exact: the planner's estimate of a real server

    def view_numbers(self, filters: Filters | None = None, cells=None):
        from geo.query.counts import actor_counts
        from geo.store._pg_view import ViewNumbers

        rows = self.inner.read(filters)
        return ViewNumbers(self.view_stats(filters), actor_counts(rows), query.region_counts(rows),
                           query.timeline(rows, "day"))

    def change_marker(self) -> str:
        return "1"

    def count(self) -> int:
        return self.inner.count()

    def close(self) -> None:  # shared by the dashboard: never really closed during the test
        pass


@pytest.fixture()
def recording(tmp_path, monkeypatch):
    """(url, store): a fake server URL that the dashboard opens as the recording store."""
    path = tmp_path / "atlas.gpkg"
    s = open_store(str(path))
    s.upsert(sample_frame())
    s.close()
    url = f"postgresql://viewer@fake-host/{tmp_path.name}"  # unique per test: Streamlit caches per URL
    fake = RecordingStore(str(path))
    real_open = open_store

    def fake_open(db, *args, **kwargs):
        return fake if str(db) == url else real_open(db, *args, **kwargs)

    monkeypatch.setattr("geo.store.open_store", fake_open)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", url)
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    yield url, fake
    fake.inner.close()


def run(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if query_params:
        at.query_params.update(query_params)
    at.run()
    at.run()  # as in a browser, where the map's first report reruns the app (the filters come then)
    assert not at.exception, at.exception
    return at


def test_dashboard_reads_only_the_filtered_incidents(recording):
    _url, fake = recording
    at = run()
    assert incidents(at) == 8 and fake.facet_calls == [None]
    widget(at, "multiselect", "Event type").set_value(["Battles"]).run()
    assert incidents(at) == 3 and map_markers(at) == 3
    assert fake.reads[-1] == Filters(types=("Battles",))
    widget(at, "multiselect", "Governorates").set_value(["SY-DR"]).run()
    assert incidents(at) == 2  # T1 and T8
    assert fake.reads[-1] == Filters(types=("Battles",), regions=("SY-DR",))
    assert len(fake.facet_calls) == 1  # options are read once per store state, not per filter change
    unfiltered = sum(1 for f in fake.reads if f is None or f.is_empty())
    assert unfiltered == 1  # only the first, unfiltered view
    at2 = run({"type": ["Protests"]})  # a shared link: the first read already carries the filter
    assert incidents(at2) == 1 and fake.reads[-1] == Filters(types=("Protests",))
    assert sum(1 for f in fake.reads if f is None or f.is_empty()) == unfiltered


def test_filter_states_are_cached(recording):
    _url, fake = recording
    at = run({"actor": ["Blue Brigade"]})
    assert incidents(at) == 2
    reads = len(fake.reads)
    widget(at, "text_input", "Search").set_value("mill").run()
    widget(at, "text_input", "Search").set_value("").run()  # back to a state seen before
    assert incidents(at) == 2
    assert len(fake.reads) == reads + 1


def test_density_tab_is_aggregated_by_the_store(recording):
    _url, fake = recording
    at = run({"region": ["Aleppo"]})
    at.session_state["tab"] = "Density"
    at.run()
    assert not at.exception, at.exception
    assert ("admin1", Filters(regions=("SY-HL",))) in fake.density_calls
    assert ("grid", Filters(regions=("SY-HL",))) in fake.density_calls
    assert any("Grid cell density" in m.value for m in at.markdown)


def test_large_store_opens_on_its_whole_period(recording):
    """No 30-day opening window any more: a store counted as large still opens on everything (a large
    server store is answered by SQL aggregations, see tests/test_server_view.py)."""
    _url, fake = recording
    fake.pretend_total = 1_000_000
    at = run()
    assert widget(at, "slider", "Date range").value == (dt.date(2026, 3, 2), dt.date(2026, 4, 18))
    assert incidents(at) == 8 and "since" not in at.query_params
    assert fake.stats_calls and fake.stats_calls[0] in (None, Filters())


@pytest.mark.postgis
def test_dashboard_on_a_real_postgis_store(postgis_db, tmp_path, monkeypatch):
    """The same page on the real PostGIS store: options, filtered reads, server density, and a refresh
    after someone else's import (the store's change marker moves)."""
    store = open_store(postgis_db)
    store.upsert(sample_frame())
    monkeypatch.setenv("INCIDENT_ATLAS_DB", postgis_db)
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    try:
        at = run()
        assert incidents(at) == 8 and map_markers(at) == 8
        widget(at, "multiselect", "Actors").set_value(["Blue Brigade"]).run()
        assert incidents(at) == 2 and map_markers(at) == 2
        assert "Blue Brigade (2)" in widget(at, "multiselect", "Actors").options  # counts from store.facets()
        at.session_state["tab"] = "Density"
        at.run()
        assert not at.exception, at.exception
        assert any("Grid cell density" in m.value for m in at.markdown)
        extra = sample_frame().iloc[:1].copy()
        extra["event_id"] = "T-NEW"
        store.upsert(extra)  # another editor imports a Blue Brigade incident
        at.run()
        assert incidents(at) == 3
    finally:
        store.close()


def test_district_filter_from_the_sidebar_and_the_url(tmp_path, monkeypatch):
    """The districts field of the filter declaration reaches the sidebar, the URL and the store read."""
    frame = sample_frame()
    frame["admin2"] = ["Izra", "Izra", None, "Jisr al-Shughur", "Izra", None, None, "Daraa"]
    db = tmp_path / "districts.gpkg"
    with open_store(str(db)) as s:
        s.upsert(frame)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    at = run()
    assert incidents(at) == 8
    districts = widget(at, "multiselect", "Districts")
    assert "Izra (3)" in districts.options
    districts.set_value(["Izra"]).run()
    assert incidents(at) == 3 and map_markers(at) == 3
    assert at.query_params["district"] in ("Izra", ["Izra"])
    shared = run({"district": ["Daraa", "Nowhere"]})  # a shared link; unknown districts are dropped
    assert incidents(shared) == 1
    assert widget(shared, "multiselect", "Districts").value == ["Daraa"]


def test_a_file_store_opens_on_its_whole_period_however_large(tmp_path, monkeypatch):
    """A file store opens on its whole period (there is no opening window for any store any more)."""
    db = tmp_path / "atlas.gpkg"
    with open_store(str(db)) as s:
        s.upsert(sample_frame())
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    at = run()
    assert widget(at, "slider", "Date range").value == (dt.date(2026, 3, 2), dt.date(2026, 4, 18))
    assert incidents(at) == 8 and "since" not in at.query_params


def test_density_tab_of_a_file_store(tmp_path, monkeypatch):
    """A file store's Density tab: governorate counts of the filtered rows (from its index), hexagons."""
    frame = sample_frame()
    db = tmp_path / "atlas.gpkg"
    with open_store(str(db)) as s:
        s.upsert(frame)
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    at = run({"type": ["Battles"]})
    at.session_state["tab"] = "Density"
    at.run()
    assert not at.exception, at.exception
    assert any("Hexagon density" in m.value for m in at.markdown)
    counts = next(d.value for d in at.dataframe if "admin1_iso" in d.value.columns)
    want = query.region_counts(Filters(types=("Battles",)).apply(frame))
    assert counts["admin1_iso"].tolist() == want["admin1_iso"].tolist()
    assert counts["incidents"].tolist() == want["incidents"].tolist() and sum(want["incidents"]) == 3
