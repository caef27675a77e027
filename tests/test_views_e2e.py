"""End to end (headless Chromium, network blocked): shared and saved views, the store named in a link,
search across spellings and scripts, popups with provenance, selection zoom, date pickers on Enter/Tab.

Uses the dashboard fixtures of tests/test_dashboard_e2e.py on a store of invented incidents (no real events).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from urllib.parse import parse_qs, quote, urlparse

import pandas as pd
import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.store import open_store
from tests._dashboard_server import serve_dashboard
from tests.dashboard_fixtures import sample_frame
from tests.test_dashboard_e2e import (LOCAL, MAP_IFRAME, browser, map_frame, metric, page,  # noqa: F401
                                      settled)

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">'
# Invented rows: one place written three ways (accents, Arabic script, article), a hostile excerpt.
EXTRA_ROWS = [
    ("S1", "Shelling reported near Aş Şanamayn overnight. Two houses were hit. " + HOSTILE, "Aş Şanamayn",
     "https://example.org/report?id=1&x=2", "Two houses were hit."),
    ("S2", "قصف مدفعي على أطراف مدينة الصنمين في ريف درعا الشمالي.", "الصنمين",
     "javascript:alert(1)", ""),
    ("S3", "A checkpoint outside al-Sanamayn was closed.", "Al-Sanamayn", "", ""),
]


def _frame() -> gpd.GeoDataFrame:
    base = sample_frame()
    extra = []
    for i, (eid, notes, place, url, span) in enumerate(EXTRA_ROWS):
        record = base.iloc[0].to_dict()
        record.update(event_id=eid, event_date=dt.date(2026, 3, 25 + i), notes=notes, location=place,
                      admin1="Daraa", admin1_iso="SY-DR", latitude=33.07 + i * 0.01, longitude=36.18,
                      geo_precision=1, source="Test Wire", source_url=url or None,
                      extra=json.dumps({"span": span}) if span else None,
                      geometry=Point(36.18, 33.07 + i * 0.01))
        extra.append(record)
    frame = pd.concat([base, gpd.GeoDataFrame(extra, geometry="geometry", crs="EPSG:4326")], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


@pytest.fixture()
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("views")
    db = tmp / "atlas.gpkg"
    store = open_store(str(db))
    store.upsert(_frame())
    store.close()
    for url in serve_dashboard(db, tmp):
        yield {"url": url, "db": db, "home": tmp}


def _open(pg, url: str, expected: int | None = None) -> int:
    pg.goto(url, wait_until="load")
    map_frame(pg)
    shown, markers = settled(pg, expected)
    return shown


def _atlas(pg, script: str, arg=None):
    """Evaluate ``script`` (a function of the map api and ``arg``) inside the map iframe, once it is drawn."""
    deadline = time.time() + 60
    while time.time() < deadline:
        handle = pg.query_selector(MAP_IFRAME)
        frame = handle.content_frame() if handle else None
        try:
            if frame and frame.evaluate("() => !!(window.__atlas && window.__atlas.map)"):
                return frame.evaluate(f"(arg) => {{ const api = window.__atlas; return ({script})(api, arg); }}", arg)
        except Exception:  # the iframe was replaced by a rerun
            pass
        time.sleep(0.3)
    raise AssertionError("the map never rendered")


def _query(pg) -> dict:
    return parse_qs(urlparse(pg.url).query)


def _search(pg, text: str) -> None:
    box = pg.locator('[data-testid="stSidebar"] [data-testid="stTextInput"]').filter(
        has_text="Search notes").locator("input")
    box.fill(text)
    box.press("Enter")


def _type_date(pg, label: str, value: str) -> None:
    """Type an ISO date into the sidebar date field ``label`` segment by segment (no click elsewhere)."""
    box = pg.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').filter(has_text=label)
    year, month, day = value.split("-")
    for part, digits in (("year", year), ("month", month), ("day", day)):
        box.locator(f'[data-type="{part}"]').click()
        pg.keyboard.type(digits)
    # the field holds the typed date before any key is pressed
    pg.wait_for_function("([sel, label, want]) => { const f = [...document.querySelectorAll(sel)]"
                         ".find(e => e.innerText.includes(label)); return f && f.querySelector("
                         "'[aria-label^=\"day\"]').getAttribute('aria-valuenow') === want; }",
                         arg=['[data-testid="stSidebar"] [data-testid="stDateInput"]', label, str(int(day))],
                         timeout=10000)


def _wait_url(pg, key: str, value: str, timeout: float = 30) -> bool:
    """Wait until the address bar has ``key=value`` (checked in the page, so events keep flowing)."""
    try:
        pg.wait_for_function("([k, v]) => new URLSearchParams(location.search).getAll(k).join('|') === v",
                             arg=[key, value], timeout=timeout * 1000)
    except Exception:
        return False
    return True


def test_date_pickers_apply_on_enter_and_on_tab(server, page):
    assert _open(page, server["url"], 11) == 11
    _type_date(page, "To", "2026-03-31")
    page.keyboard.press("Enter")  # no click elsewhere: Enter alone applies the date
    assert _wait_url(page, "until", "2026-03-31"), page.url
    assert settled(page, 8) == (8, 8)  # T1-T5 and S1-S3
    # Tab from the last segment of a date applies it too (and moves on to the next control)
    _type_date(page, "From", "2026-03-05")
    page.keyboard.press("Tab")
    assert _wait_url(page, "since", "2026-03-05"), page.url
    assert settled(page, 6) == (6, 6)  # T3-T5 and S1-S3
    assert page.external == [] and page.errors == []
