"""End to end: `streamlit run dashboard.py` on a temporary store, driven by the Debian Chromium through
Playwright with every non-local request blocked. Checks the map, marker counts after filter changes,
a governorate click, a shared URL, uploads of a CSV and of a report, and saves a screenshot."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geo.store import open_store
from tests._dashboard_server import serve_dashboard, serve_incidents
from tests.dashboard_fixtures import sample_frame

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = {"127.0.0.1", "localhost"}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

UPLOAD_CSV = """event_id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,geo_precision,fatalities,source,notes
UP1,2026-03-05,Battles,Armed clash,Blue Brigade,Red Front,Daraa,Newtown,32.70,36.20,1,1,Upload Test,Invented upload row one
UP2,2026-03-06,Protests,Peaceful protest,Protesters (Syria),,Hama,Othertown,35.10,36.70,1,0,Upload Test,Invented upload row two
"""
REPORT = ("Local sources said that on Tuesday an air strike hit the outskirts of Busra al-Harir in Daraa "
          "governorate, killing two people. Invented test report; no such event is claimed.\n")


@pytest.fixture()
def server(tmp_path_factory):
    """The dashboard on a free port, on a new temporary store of the invented incidents (one per test, so
    one test's imports or clicks never change what the next one sees)."""
    yield from serve_incidents(sample_frame(), tmp_path_factory.mktemp("dash"))


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    """The dashboard on a temporary copy of the bundled sample store."""
    from geo.paths import SAMPLE_DB

    tmp = tmp_path_factory.mktemp("sample")
    db = tmp / "sample.gpkg"
    shutil.copyfile(SAMPLE_DB, db)
    for url in serve_dashboard(db, tmp):
        yield {"url": url, "db": db}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A page that blocks and records every non-local request and records failed local ones."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    pg = context.new_page()
    pg.external, pg.failed, pg.errors = [], [], []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if host in LOCAL or r.request.url.startswith(("data:", "blob:", "about:")):
            return r.continue_()
        pg.external.append(r.request.url)
        return r.abort()

    pg.route("**/*", route)
    # a local request that fails at the network level, other than one aborted because its page or the
    # map iframe was replaced by a rerun, or one answered with an HTTP error (e.g. a missing static file)
    pg.on("requestfailed", lambda r: (urlparse(r.url).hostname or "") in LOCAL
          and "_stcore/stream" not in r.url and "ERR_ABORTED" not in (r.failure or "")
          and pg.failed.append(r.url))
    pg.on("response", lambda r: (urlparse(r.url).hostname or "") in LOCAL and r.status >= 400
          and pg.failed.append(f"{r.status} {r.url}"))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def metric(pg) -> int:
    pg.wait_for_selector('[data-testid="stMetricValue"]', timeout=60000)
    return int(pg.locator('[data-testid="stMetricValue"]').first.inner_text().replace(",", ""))


def map_frame(pg):
    pg.wait_for_selector(MAP_IFRAME, state="attached", timeout=60000)
    return pg.frame_locator(MAP_IFRAME)


def marker_count(pg) -> int:
    handle = pg.query_selector(MAP_IFRAME)
    frame = handle.content_frame() if handle else None
    if frame is None:
        return -1
    try:
        return frame.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length")
    except Exception:  # the iframe is being replaced by a new map
        return -1


def settled(pg, expected: int | None = None, timeout: float = 60) -> tuple[int, int]:
    """Wait until the app is idle and the map shows as many markers as the metric says (or ``expected``)."""
    deadline = time.time() + timeout
    last = (-1, -2)
    while time.time() < deadline:
        if pg.locator('[data-testid="stStatusWidget"]').count() == 0:
            shown, markers = metric(pg), marker_count(pg)
            last = (shown, markers)
            if shown == markers and (expected is None or shown == expected):
                time.sleep(0.8)  # stable?
                if (metric(pg), marker_count(pg)) == last:
                    return last
        time.sleep(0.4)
    return last


def pick(pg, label: str, option: str) -> None:
    """Choose ``option`` in the sidebar multiselect labelled ``label``."""
    box = pg.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)
    box.locator("input").click()
    box.locator("input").fill(option)
    pg.locator('[role="option"]').filter(has_text=option).first.click()
    pg.keyboard.press("Escape")


def set_date(pg, label: str, value: str, *, where: str = '[data-testid="stSidebar"] ') -> None:
    """Type an ISO date into the date field labelled ``label`` (segment by segment; leaving the field
    commits it)."""
    box = pg.locator(where + '[data-testid="stDateInput"]').filter(has_text=label)
    year, month, day = value.split("-")
    for part, digits in (("year", year), ("month", month), ("day", day)):
        segment = box.locator(f'[data-type="{part}"]')
        segment.click()
        pg.keyboard.type(digits)
    pg.locator("h1").first.click()



def click_first_table_row(page) -> None:
    """Open the Table tab and tick the first row's selection box, once the grid (a canvas) has stopped moving."""
    page.get_by_role("tab", name="Table").click()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30000)
    grid.scroll_into_view_if_needed()
    gbox, deadline = None, time.time() + 15
    while time.time() < deadline:
        box = grid.bounding_box()
        if box == gbox and page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        gbox = box
        page.wait_for_timeout(500)
    page.mouse.click(gbox["x"] + 18, gbox["y"] + 35 + 18)

def test_sample_store_incidents_all_on_the_map_offline(sample_server, page):
    store = open_store(str(sample_server["db"]))
    try:
        expected = len(store.read())
    finally:
        store.close()
    page.goto(sample_server["url"], wait_until="load")
    map_frame(page)
    assert settled(page, expected) == (expected, expected)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-sample.png"), full_page=True)
    assert page.external == [] and page.failed == [] and page.errors == []


def test_map_shows_incidents_and_filters_keep_markers_equal_to_metric(server, page):
    page.goto(server["url"], wait_until="load")
    map_frame(page)
    assert settled(page, 8) == (8, 8)

    pick(page, "Actors", "Red Front")  # T2, T8, T1 (actor2)
    assert settled(page, 3) == (3, 3)
    assert "actor=Red+Front" in page.url or "actor=Red%20Front" in page.url

    pick(page, "Event type", "Battles")  # T1, T8
    assert settled(page, 2) == (2, 2)

    set_date(page, "To", "2026-03-31")  # T1 only
    assert settled(page, 1) == (1, 1)
    assert "until=2026-03-31" in page.url

    page.locator('[data-testid="stSidebar"] button').filter(has_text="Reset filters").click()
    assert settled(page, 8) == (8, 8)
    pick(page, "Governorates", "Aleppo")  # T5, T6
    assert settled(page, 2) == (2, 2)
    assert "region=SY-HL" in page.url
    assert page.external == [] and page.failed == [] and page.errors == []


def test_filter_change_keeps_the_map_page_and_redraws_only_the_incidents(server, page):
    """A filter change sends only the incidents: the map iframe, its window and its Leaflet map stay
    (a property set on them survives), and the markers still equal the filtered count."""
    page.goto(server["url"], wait_until="load")
    map_frame(page)
    assert settled(page, 8) == (8, 8)
    handle = page.query_selector(MAP_IFRAME)
    handle.evaluate("e => { e.__testMark = 'kept'; }")
    frame = handle.content_frame()
    frame.evaluate("() => { window.__testMark = 'kept'; window.__atlas.map.__testMark = 'kept'; }")
    renders = int(frame.evaluate("() => document.querySelector('.ia-map').getAttribute('data-atlas-renders')"))

    pick(page, "Event type", "Battles")  # T1, T5, T8
    assert settled(page, 3) == (3, 3)
    pick(page, "Actors", "Red Front")  # T1, T8
    assert settled(page, 2) == (2, 2)

    iframes = page.query_selector_all(MAP_IFRAME)
    assert len(iframes) == 1 and iframes[0].evaluate("e => e.__testMark") == "kept"
    frame = iframes[0].content_frame()
    assert frame.evaluate("() => window.__testMark") == "kept"  # the same page: never reloaded
    state = frame.evaluate("""() => ({map: window.__atlas.map.__testMark, ready: window.__atlasReady,
        renders: +document.querySelector('.ia-map').getAttribute('data-atlas-renders'),
        legends: document.querySelectorAll('.leaflet-control-layers').length})""")
    assert state["map"] == "kept" and state["ready"] is True  # the same Leaflet map, redrawn
    assert state["renders"] >= renders + 2, state  # once per filter change
    assert state["legends"] == 1  # the previous drawing's controls were removed, not stacked
    assert page.external == [] and page.failed == [] and page.errors == []


def _click_latlon(pg, lat: float, lon: float) -> None:
    handle = pg.query_selector(MAP_IFRAME)
    handle.scroll_into_view_if_needed()
    frame = handle.content_frame()
    point = frame.evaluate("([la, lo]) => { const p = window.__atlas.map.latLngToContainerPoint([la, lo]);"
                           " return [p.x, p.y]; }", [lat, lon])
    inner = frame.evaluate("() => { const r = document.querySelector('.leaflet-container')"
                           ".getBoundingClientRect(); return [r.left, r.top]; }")
    box = handle.bounding_box()
    pg.mouse.click(box["x"] + inner[0] + point[0], box["y"] + inner[1] + point[1])


def test_clicking_a_governorate_filters_to_it_and_shared_url_restores(server, browser, page):
    page.goto(server["url"], wait_until="load")
    map_frame(page)
    assert settled(page, 8) == (8, 8)
    # a point inside Hama governorate, away from any incident marker
    _click_latlon(page, 35.25, 37.9)
    assert settled(page, 1) == (1, 1)  # T7 in Hama
    assert "region=SY-HM" in page.url
    governorates = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Governorates")
    assert "Hama" in governorates.inner_text()
    shared = page.url

    other = browser.new_page(viewport={"width": 1400, "height": 1100})
    try:
        other.route("**/*", lambda r: r.continue_() if (urlparse(r.request.url).hostname or "") in LOCAL
                    else r.abort())
        other.goto(shared, wait_until="load")
        map_frame(other)
        assert settled(other, 1) == (1, 1)
        other.goto(server["url"] + "?type=Battles&region=SY-DR", wait_until="load")
        map_frame(other)
        assert settled(other, 2) == (2, 2)  # T1, T8
        ARTIFACTS.mkdir(exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / "dashboard-shared-url.png"), full_page=True)
    finally:
        other.close()
    assert page.external == [] and page.failed == []


def _open_import(pg):
    pg.get_by_role("tab", name="Import").click()
    pg.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=30000)


def _wait_idle(pg, timeout_s: float = 30) -> None:
    """Until the app shows no "Running…" status (a rerun in progress may drop a click)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline and pg.locator('[data-testid="stStatusWidget"]').count():
        pg.wait_for_timeout(200)


def _upload(pg, tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    pg.wait_for_selector(f'text="{name}"', timeout=30000)
    button = pg.get_by_role("button", name="Preview upload")
    for attempt in range(3):  # a click landing while the app reruns (the upload's own rerun) can be lost
        button.wait_for(timeout=30000)
        _wait_idle(pg)
        button.click()
        try:
            pg.wait_for_selector("text=/Preview: \\d+ incident/", state="attached", timeout=40000)
            break
        except Exception:
            if attempt == 2:
                raise
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"dashboard-preview-{name}.png"), full_page=True)


def test_upload_csv_and_report_then_commit(server, page, tmp_path):
    page.goto(server["url"], wait_until="load")
    map_frame(page)
    before = settled(page)[0]
    _open_import(page)
    _upload(page, tmp_path, "new_rows.csv", UPLOAD_CSV)
    assert page.locator("text=/Preview: 2 incident/").count() == 1
    _wait_idle(page)
    page.get_by_role("button", name="Commit to store").click()
    page.wait_for_selector("text=/2 added, 0 updated/", timeout=60000)
    assert settled(page, before + 2) == (before + 2, before + 2)

    _open_import(page)
    set_date(page, "Publication date", "2026-03-12", where="")
    _upload(page, tmp_path, "report.txt", REPORT)
    text = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="Preview:").first.inner_text()
    found = int(re.search(r"Preview: (\d+) incident", text).group(1))
    assert found >= 1
    _wait_idle(page)
    page.get_by_role("button", name="Commit to store").click()
    page.wait_for_selector(f"text=/{found} added/", timeout=60000)
    assert settled(page, before + 2 + found)[0] == before + 2 + found

    store = open_store(str(server["db"]))
    try:
        ids = set(store.read()["event_id"])
    finally:
        store.close()
    assert {"UP1", "UP2"} <= ids
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_role("tab", name="Table").click()
    time.sleep(1)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert page.external == [] and page.failed == [] and page.errors == []


# Records every address the app writes into the address bar (Streamlit keeps the URL with history.*State).
RECORD_URLS = """(() => {
  window.__urls = [];
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name].bind(history);
    history[name] = (state, title, url) => {
      if (url !== undefined && url !== null) window.__urls.push(String(new URL(url, location.href)));
      return original(state, title, url);
    };
  }
})();"""


def test_timeline_span_narrows_dates_and_table_rows_highlight_markers(server, page):
    page.add_init_script(RECORD_URLS)
    page.goto(server["url"], wait_until="load")
    map_frame(page)
    total = settled(page)[0]
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("svg.marks, canvas.marks").first.wait_for(timeout=30000)
    chart.scroll_into_view_if_needed()
    spans = []
    deadline = time.time() + 60
    while not spans and time.time() < deadline:
        # one drag; drag again only if the first never reached the app (the chart may still be wiring
        # its handlers). The axis is in absolute dates, so a repeated drag gives the same span.
        box = chart.bounding_box()
        y = box["y"] + box["height"] * 0.4
        page.mouse.move(box["x"] + box["width"] * 0.08, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=12)
        page.mouse.up()
        try:
            page.wait_for_function("() => window.__urls.some(u => u.includes('until='))", timeout=20000)
        except Exception:
            continue
        spans = page.evaluate("() => window.__urls.filter(u => u.includes('until='))")
    assert spans, page.url
    shown, markers = settled(page)
    # whatever reruns happened during and after the drag, exactly one date span was applied
    spans = page.evaluate("() => [...new Set(window.__urls.filter(u => u.includes('until=')))]")
    assert len(spans) == 1 and page.url == spans[0], spans
    assert shown == markers and 0 < shown < total, (shown, markers, total, page.url)

    click_first_table_row(page)
    deadline = time.time() + 30
    highlighted = 0
    while time.time() < deadline and not highlighted:
        handle = page.query_selector(MAP_IFRAME)
        try:
            highlighted = handle.content_frame().evaluate(
                "() => document.querySelectorAll('.leaflet-marker-pane .ia-highlight').length")
        except Exception:
            highlighted = 0
        time.sleep(0.3)
    assert highlighted == 1, page.url
    assert settled(page, shown) == (shown, shown), page.url
    assert page.external == [] and page.failed == [] and page.errors == []


@pytest.fixture()
def district_server(tmp_path_factory):
    """The dashboard on the invented incidents with their districts filled (as an import fills them)."""
    from geo.geocode.regions import locate_districts

    frame = sample_frame()
    frame["admin2"] = locate_districts(frame["latitude"].tolist(), frame["longitude"].tolist())
    yield from serve_incidents(frame, tmp_path_factory.mktemp("districts"))


def test_a_click_inside_a_chosen_governorate_filters_its_district(district_server, page):
    page.goto(district_server["url"], wait_until="load")
    map_frame(page)
    assert settled(page, 8) == (8, 8)
    _click_latlon(page, 35.25, 37.9)  # Hama governorate, away from every marker
    assert settled(page, 1) == (1, 1) and "region=SY-HM" in page.url
    _click_latlon(page, 35.10, 36.78)  # inside Hama again, a few km from the one marker: its district
    page.wait_for_function("() => location.search.includes('district=')", timeout=30000)
    assert settled(page, 1) == (1, 1)
    assert "district=SY-HM%3Ahamah" in page.url or "district=SY-HM:hamah" in page.url, page.url
    districts = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Districts")
    assert "hamah" in districts.inner_text().lower()
    assert page.external == [] and page.errors == []
