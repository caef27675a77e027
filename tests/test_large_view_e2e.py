"""End to end, large-view mode: a store above the threshold opens on count bubbles whose counts add up to
the incidents metric; zooming far in reruns the app and the map then shows that view's single incidents.
Real `streamlit run dashboard.py` in headless Chromium with every non-local request blocked."""

from __future__ import annotations

import datetime as dt
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.map.aggregate import LARGE_VIEW_THRESHOLD
from geo.schema import COLUMNS
from geo.store import open_store
from tests._dashboard_server import serve_dashboard
from tests.test_dashboard_e2e import MAP_IFRAME, browser, metric, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

N = LARGE_VIEW_THRESHOLD + 1500
TOWN = (33.9, 36.1)  # a few invented incidents far from the crowd, for the zoomed-in view


def large_frame(n: int = N) -> gpd.GeoDataFrame:
    """``n`` invented incidents spread over Syria; 40 of them at one invented town."""
    rng = np.random.default_rng(18)
    lat, lon = rng.uniform(34.6, 37.0, n), rng.uniform(37.0, 41.5, n)
    lat[:40], lon[:40] = TOWN[0] + rng.uniform(-0.01, 0.01, 40), TOWN[1] + rng.uniform(-0.01, 0.01, 40)
    types = rng.choice(["Battles", "Protests", "Riots", "Explosions/Remote violence"], n)
    frame = pd.DataFrame({c: None for c in COLUMNS}, index=range(n))
    frame = frame.assign(event_id=[f"L{i}" for i in range(n)], event_type=types, sub_event_type="Armed clash",
                         kind="clash", actor1="Invented Actor", country="SY", admin1="Homs", admin1_iso="SY-HI",
                         location="Invented place", latitude=lat, longitude=lon, geo_precision=1, fatalities=0,
                         count=1, time_precision=1, source="Test", notes="Invented row", imported_from="fixture",
                         event_date=[dt.date(2020, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 900, n)])
    return gpd.GeoDataFrame(frame, geometry=[Point(x, y) for x, y in zip(lon, lat)], crs="EPSG:4326")


@pytest.fixture()
def large_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("large")
    db = tmp / "large.gpkg"
    with open_store(str(db)) as store:
        store.upsert(large_frame())
    for url in serve_dashboard(db, tmp):
        yield url


STATE_JS = """() => {
  const c = document.querySelector('.ia-map'); const a = window.__atlas;
  if (!c || !a || window.__atlasReady !== true) return null;
  const bubbles = Array.from(document.querySelectorAll('.ia-agg')).map(b => +b.getAttribute('data-count'));
  return {mode: c.getAttribute('data-atlas-mode'), zoom: a.map.getZoom(), markers:
          document.querySelectorAll('.leaflet-marker-pane > *').length, points: a.count,
          bubbles: bubbles.length, bubbleSum: bubbles.reduce((x, y) => x + y, 0),
          total: a.aggregates ? a.aggregates.total : -1, outside: a.aggregates ? a.aggregates.outside : -1,
          missing: a.aggregates ? a.aggregates.missing : -1,
          note: (document.querySelector('.ia-agg-note') || {}).textContent || ''};
}"""


def map_state(pg, want, timeout: float = 120) -> dict:
    """Wait until the map iframe reports a state for which ``want(state)`` holds; returns it."""
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        handle = pg.query_selector(MAP_IFRAME)
        frame = handle.content_frame() if handle else None
        try:
            last = frame.evaluate(STATE_JS) if frame else None
        except Exception:  # the iframe is being replaced by the next map
            last = None
        if last and want(last) and pg.locator('[data-testid="stStatusWidget"]').count() == 0:
            return last
        time.sleep(0.3)
    raise AssertionError(f"map never reached the wanted state; last seen {last}")


def test_large_store_shows_bubbles_that_add_up_then_points_when_zoomed_in(large_server, page):  # noqa: F811
    page.goto(large_server, timeout=120000)
    assert metric(page) == N
    state = map_state(page, lambda s: s["mode"] == "aggregate")
    assert state["bubbles"] > 1 and state["points"] == 0
    assert state["bubbleSum"] == state["total"]
    assert state["total"] + state["outside"] + state["missing"] == N  # every filtered incident accounted for
    assert "counted per area" in state["note"]

    handle = page.query_selector(MAP_IFRAME)
    handle.content_frame().evaluate(f"() => window.__atlas.map.setView([{TOWN[0]}, {TOWN[1]}], 13)")
    zoomed = map_state(page, lambda s: s["mode"] == "points")
    assert zoomed["zoom"] == 13
    assert 40 <= zoomed["points"] < LARGE_VIEW_THRESHOLD
    assert zoomed["markers"] == zoomed["points"]  # single incidents, one marker each
    assert zoomed["points"] + zoomed["outside"] + zoomed["missing"] == metric(page)
    assert not page.errors
