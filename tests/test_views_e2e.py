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
from tests._dashboard_server import serve_incidents
from tests.dashboard_fixtures import sample_frame
from tests.test_dashboard_e2e import (LOCAL, MAP_IFRAME, _wait_idle, browser, click_first_table_row, map_frame, metric, page,  # noqa: F401
                                      settled)

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.__pwned=1">'
EARLIER = "An earlier passage of the same invented report."
# Invented rows: one place written three ways (accents, Arabic script, article), a hostile excerpt.
EXTRA_ROWS = [
    ("S1", "Shelling reported near Aş Şanamayn overnight. Two houses were hit. " + HOSTILE, "Aş Şanamayn",
     "https://example.org/report?id=1&x=2", True),
    ("S2", "قصف مدفعي على أطراف مدينة الصنمين في ريف درعا الشمالي.", "الصنمين",
     "javascript:alert(1)", False),
    ("S3", "A checkpoint outside al-Sanamayn was closed.", "Al-Sanamayn", "", False),
]


def _frame() -> gpd.GeoDataFrame:
    base = sample_frame()
    extra = []
    for i, (eid, notes, place, url, span) in enumerate(EXTRA_ROWS):
        record = base.iloc[0].to_dict()
        record.update(event_id=eid, event_date=dt.date(2026, 3, 25 + i), notes=notes, location=place,
                      admin1="Daraa", admin1_iso="SY-DR", latitude=33.07 + i * 0.01, longitude=36.18,
                      geo_precision=1, source="Test Wire", source_url=url or None,
                      extra=json.dumps({"excerpts": [{"span": "0-31", "text": EARLIER}, {"span": "32-90", "text": notes}]})
                      if span else None,
                      geometry=Point(36.18, 33.07 + i * 0.01))
        extra.append(record)
    frame = pd.concat([base, gpd.GeoDataFrame(extra, geometry="geometry", crs="EPSG:4326")], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


@pytest.fixture()
def server(tmp_path_factory):
    yield from serve_incidents(_frame(), tmp_path_factory.mktemp("views"))


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


def _metric_is(pg, expected: int, timeout: float = 60) -> int:
    """Wait until the app is idle and the incident metric reads ``expected``; returns the last reading."""
    deadline = time.time() + timeout
    shown = -1
    while time.time() < deadline:
        if pg.locator('[data-testid="stStatusWidget"]').count() == 0:
            shown = metric(pg)
            if shown == expected:
                pg.wait_for_timeout(800)  # stable?
                if pg.locator('[data-testid="stStatusWidget"]').count() == 0 and metric(pg) == expected:
                    return shown
        pg.wait_for_timeout(300)
    return shown


def _fresh_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    pg = context.new_page()
    pg.route("**/*", lambda r: r.continue_() if (urlparse(r.request.url).hostname or "") in LOCAL
             else r.abort())
    return context, pg


BOX = "35.9,32.5,36.4,32.9"  # T1, T2, T8 inside; every other incident outside


def test_shared_link_keeps_its_map_box_and_reopens_the_same_incidents(server, browser, page):
    page.goto(server["url"] + f"?inview=1&bbox={BOX}", wait_until="load")
    map_frame(page)
    assert _metric_is(page, 3) == 3, page.url
    assert _query(page)["bbox"] == [BOX]  # not replaced by the map's fitted bounds
    assert _atlas(page, "(api) => api.map.getContainer().getAttribute('data-atlas-fit')") == "shared-box"
    ids_in_box = "(api, b) => api.rows ? [...Array(api.count).keys()].filter(i => { const la = api.rows.lat(i)," \
                 " lo = api.rows.lon(i); return lo >= b[0] && lo <= b[2] && la >= b[1] && la <= b[3]; })" \
                 ".map(i => api.rows.get(i).id).sort() : []"
    box = [float(v) for v in BOX.split(",")]
    first = _atlas(page, ids_in_box, box)
    assert first == ["T1", "T2", "T8"]
    shared = page.url

    context, other = _fresh_page(browser)
    try:
        other.goto(shared, wait_until="load")
        map_frame(other)
        assert _metric_is(other, 3) == 3
        assert _query(other)["bbox"] == [BOX]
        assert _atlas(other, ids_in_box, box) == first
    finally:
        context.close()
    assert page.external == [] and page.errors == []


def test_a_link_names_stores_only_by_name_never_by_path_or_server(server, tmp_path, page):
    other = tmp_path / "other.gpkg"  # a store the server does not offer
    store = open_store(str(other))
    store.upsert(sample_frame().iloc[:2])
    store.close()
    assert _open(page, server["url"] + "?store=configured", 11) == 11
    for crafted in (str(other), "postgresql://127.0.0.1:1/atlas", "../" * 6 + "etc/passwd"):
        page.goto(server["url"] + "?store=" + quote(crafted, safe=""), wait_until="load")
        map_frame(page)
        page.get_by_text("names a store this server does not offer").wait_for(timeout=60000)
        assert settled(page, 11) == (11, 11)  # the default store, not the linked file (2 incidents)
        store_box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Store")
        assert crafted not in store_box.inner_text()
        assert "store" not in _query(page)  # the crafted value is not kept in the address bar
    assert page.external == [] and page.errors == []


def test_named_saved_views_save_open_and_delete(server, page):
    from geo.views import views_path

    views_file = views_path()  # the server shares this test session's user folder ($INCIDENT_ATLAS_HOME)
    views_file.unlink(missing_ok=True)
    assert _open(page, server["url"] + "?region=SY-HM", 1) == 1
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Saved views", exact=True).click()
    sidebar.get_by_label("Name for this view").fill("Hama <b>only</b>")
    sidebar.get_by_label("Name for this view").press("Enter")
    sidebar.get_by_role("button", name="Save this view").click()
    sidebar.get_by_text("Saved “Hama <b>only</b>”.").wait_for(timeout=30000)
    assert json.loads(views_file.read_text())["Hama <b>only</b>"] == {"region": ["SY-HM"]}

    assert _open(page, server["url"], 11) == 11
    sidebar.get_by_text("Saved views", exact=True).click()
    for _attempt in range(3):  # a click landing while the page's map reports its first bounds can be lost
        _wait_idle(page)
        sidebar.get_by_role("button", name="Open view", exact=True).click()
        if settled(page, 1, timeout=20) == (1, 1):
            break
    assert settled(page, 1) == (1, 1)
    assert _wait_url(page, "region", "SY-HM")
    sidebar.get_by_role("button", name="Delete view", exact=True).click()
    sidebar.get_by_text("No saved views yet.").wait_for(timeout=30000)
    assert json.loads(views_file.read_text()) == {}
    assert page.external == [] and page.errors == []


def test_search_ignores_accents_article_and_script(server, page):
    assert _open(page, server["url"], 11) == 11
    found = {}
    for query in ("Sanamayn", "Şanamayn", "الصنمين", "as-Sanamayn"):
        _search(page, query)
        assert _wait_url(page, "q", query), (query, page.url)
        found[query] = settled(page, 3)
        ids = _atlas(page, "(api) => [...Array(api.count).keys()].map(i => api.rows.get(i).id).sort()")
        assert ids == ["S1", "S2", "S3"], (query, ids)
    assert set(found.values()) == {(3, 3)}, found
    assert page.external == [] and page.errors == []


def test_popups_link_the_source_and_mark_the_sentence_escaped_and_rtl(server, page):
    assert _open(page, server["url"], 11) == 11
    popup = """(api, id) => { const i = [...Array(api.count).keys()].find(k => api.rows.get(k).id === id);
        const m = api.markerList[i]; if (!m.getPopup()) { m.fire('click'); } m.openPopup();
        const box = m.getPopup().getElement().querySelector('.ia-popup');
        const link = box.querySelector('a.ia-pop-link'), notes = box.querySelector('.ia-pop-notes');
        const mark = notes.querySelector('mark');
        const place = [...box.querySelectorAll('tr')].find(tr => tr.querySelector('th').textContent === 'Location');
        return {href: link && link.getAttribute('href'), rel: link && link.rel, mark: mark && mark.textContent,
                notesDir: notes.dir, placeDir: place.querySelector('td').dir, imgs: notes.querySelectorAll('img').length,
                notes: notes.textContent, pwned: !!window.__pwned}; }"""
    s1 = _atlas(page, popup, "S1")
    assert s1["href"] == "https://example.org/report?id=1&x=2"
    assert {"noopener", "noreferrer"} <= set(s1["rel"].split())
    assert s1["mark"] == EXTRA_ROWS[0][1]  # the incident's own sentence, marked inside the whole passage
    assert s1["notes"].startswith(EARLIER)
    assert HOSTILE in s1["notes"] and s1["imgs"] == 0 and not s1["pwned"]  # shown as text, never as markup
    s2 = _atlas(page, popup, "S2")
    assert s2["href"] is None  # javascript: is never a link
    assert s2["notesDir"] == "auto" and s2["placeDir"] == "auto"
    assert page.external == [] and page.errors == []


def test_selected_table_row_zooms_the_map_and_governorates_keep_no_focus_ring(server, page):
    assert _open(page, server["url"], 11) == 11
    zoom0 = _atlas(page, "(api) => api.map.getZoom()")
    # a clicked governorate outline gets no focus rectangle
    outline = _atlas(page, """(api) => { let el = null; api.outlines.eachLayer(l => {
        if (!el && l.feature.properties.level === 'admin1' && l.getElement()) el = l.getElement(); });
        el.setAttribute('tabindex', '0'); el.focus({focusVisible: true});
        const s = getComputedStyle(el); return [document.activeElement === el, s.outlineStyle]; }""")
    assert outline == [True, "none"], outline
    click_first_table_row(page)
    deadline = time.time() + 60
    fit = None
    while time.time() < deadline and fit != "selection":
        try:
            fit = _atlas(page, "(api) => api.map.getContainer().getAttribute('data-atlas-fit')")
        except AssertionError:
            fit = None
        page.wait_for_timeout(300)
    assert fit == "selection"
    state = _atlas(page, """(api) => { const hl = [...document.querySelectorAll('.leaflet-marker-pane .ia-highlight')];
        const m = api.markerList.find(x => x.getElement && x.getElement() && x.getElement().classList.contains('ia-highlight'));
        return [hl.length, api.map.getZoom(), !!m && api.map.getBounds().contains(m.getLatLng())]; }""")
    assert state[0] == 1 and state[1] > zoom0 and state[2], (state, zoom0)
    assert page.external == [] and page.errors == []


ARABIC_REPORT = "قصف جوي استهدف مدينة الصنمين في ريف درعا الشمالي يوم الثلاثاء، ما أدى إلى مقتل شخصين. نص تجريبي مخترع."


def test_import_preview_shows_needs_review_and_arabic_right_to_left(server, page):
    from tests.test_dashboard_import_e2e import _paste

    assert _open(page, server["url"], 11) == 11
    page.get_by_role("tab", name="Import").click()
    _paste(page, ARABIC_REPORT)
    page.get_by_text("needs_review:").first.wait_for(timeout=30000)
    passage = page.locator('.st-key-ia_rtl_passages [data-testid="stMarkdownContainer"]').first
    passage.wait_for(timeout=30000)
    assert "الصنمين" in passage.inner_text()
    assert passage.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.external == [] and page.errors == []
