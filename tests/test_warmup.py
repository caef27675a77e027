"""`python -m geo serve` warms a fresh server up: the first visit then finds the index and its map in the
caches the warm-up filled (same keys), and the command starts a working server."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests._dashboard_server import serve_dashboard
from tests.dashboard_fixtures import app_store, sample_frame  # noqa: F401 (app_store is the `store` fixture)
from tests.test_dashboard_apptest import incidents, map_markers

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")


@pytest.fixture(name="counted")
def counted_builds(monkeypatch):
    """Counts index builds and map drawings (small and large view) from empty caches."""
    from geo.map import large_view
    from geo.query import index as index_module
    from geo.ui import data

    st.cache_resource.clear()
    st.cache_data.clear()
    built = {"index": 0, "map": 0, "large map": 0}
    real_init, real_map, real_large = index_module.IncidentIndex.__init__, data.build_incident_map, large_view.large_map

    def init(self, *args, **kwargs):
        built["index"] += 1
        real_init(self, *args, **kwargs)

    def draw(*args, **kwargs):
        built["map"] += 1
        return real_map(*args, **kwargs)

    def draw_large(*args, **kwargs):
        built["large map"] += 1
        return real_large(*args, **kwargs)

    monkeypatch.setattr(index_module.IncidentIndex, "__init__", init)
    monkeypatch.setattr(data, "build_incident_map", draw)
    monkeypatch.setattr(large_view, "large_map", draw_large)
    yield built
    st.cache_resource.clear()
    st.cache_data.clear()


def _visit() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_first_visit_without_warm_up_builds_the_index_and_the_map(store, counted):
    at = _visit()
    assert counted == {"index": 1, "map": 1, "large map": 0}
    assert incidents(at) == 8


def test_the_first_visit_after_the_warm_up_reuses_its_index_and_map(store, counted):
    from geo.ui.warmup import warm_up

    took = warm_up(str(store))
    assert list(took) == ["imports", "map page", "index and facets", "incidents on the map"]
    assert all(seconds >= 0 for seconds in took.values())
    assert counted == {"index": 1, "map": 1, "large map": 0}
    at = _visit()
    assert counted == {"index": 1, "map": 1, "large map": 0}  # same cache keys: nothing computed twice
    assert incidents(at) == 8 and map_markers(at) == 8


def test_the_warm_up_draws_the_large_view_when_the_store_is_large(store, counted, monkeypatch):
    from geo.map import aggregate
    from geo.ui import views
    from geo.ui.warmup import warm_up

    monkeypatch.setattr(aggregate, "LARGE_VIEW_THRESHOLD", 5)  # 8 incidents count as a large store
    monkeypatch.setattr(views, "LARGE_VIEW_THRESHOLD", 5)
    warm_up(str(store))
    assert counted == {"index": 1, "map": 0, "large map": 1}
    at = _visit()
    assert counted == {"index": 1, "map": 0, "large map": 1}
    assert incidents(at) == 8


def test_a_warm_up_that_fails_is_reported_and_leaves_the_dashboard_to_report_it(tmp_path, capfd):
    from geo.ui.warmup import start_warm_up

    bad = tmp_path / "not-a-store.gpkg"
    bad.write_text("this is not a GeoPackage", encoding="utf-8")
    start_warm_up(str(bad)).join(timeout=120)
    err = capfd.readouterr().err
    assert "warm-up stopped:" in err and "warm-up done" not in err


def test_other_commands_still_refuse_unknown_options():
    result = subprocess.run([sys.executable, "-m", "geo", "export", "--out", "x.csv", "--server.port", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "unrecognized arguments: --server.port 1" in result.stderr


def test_serve_starts_the_dashboard_and_reports_its_warm_up(tmp_path):
    from geo.store import open_store

    db = tmp_path / "atlas.gpkg"
    with open_store(str(db)) as s:
        s.upsert(sample_frame())
    for url in serve_dashboard(db, tmp_path):
        import urllib.request

        with urllib.request.urlopen(url, timeout=30) as reply:
            assert reply.status == 200 and b"<html" in reply.read().lower()
        log = tmp_path / "streamlit.log"
        for _ in range(3000):  # waits for the warm-up's report, however slow the machine
            if "warm-up done" in log.read_text(encoding="utf-8", errors="replace"):
                break
            time.sleep(0.1)
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "warm-up done: imports" in text and "index and facets" in text, text[-2000:]
        assert "warm-up stopped" not in text and "External URL" not in text
