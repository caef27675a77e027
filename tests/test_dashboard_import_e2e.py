"""End to end, in headless Chromium with the network blocked: what a user does in the Import tab.

Each test reproduces the steps of a reported problem: a report dated from today instead of its own date,
fields lost on a tab switch, an alias written although "Remember" was not ticked, a chosen candidate that
kept the old place name, a confusing error for a table without a latitude column, and the Corrections view.
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pytest

from geo.store import open_store
from tests._dashboard_server import serve_incidents
from tests.dashboard_fixtures import sample_frame
from tests.test_dashboard_e2e import MAP_IFRAME, browser, map_frame, page, set_date, settled  # noqa: F401

pytestmark = pytest.mark.browser

HTML_REPORT = ("<html><head><title>Invented report</title></head><body><p>Published 2018-06-21</p>"
               "<p>On Tuesday, warplanes struck the town of Nawa in Daraa governorate, killing two people, local "
               "sources said. Invented test report; no such event is claimed.</p></body></html>")
PASTED = ("On Tuesday, Russian and regime officers held an emergency meeting in Al-Sanamayn, local sources said. "
          "Invented test report; no such event is claimed.")


@pytest.fixture()
def server(tmp_path_factory, monkeypatch):
    """The dashboard on a fresh store, with its own (empty) alias file."""
    tmp = tmp_path_factory.mktemp("imports")
    aliases = tmp / "aliases.csv"
    monkeypatch.setenv("INCIDENT_ATLAS_ALIASES", str(aliases))
    for found in serve_incidents(sample_frame(), tmp):
        yield {**found, "aliases": aliases}


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    map_frame(page)
    settled(page)
    page.get_by_role("tab", name="Import").click()
    page.get_by_text("Source", exact=True).first.wait_for(timeout=30000)


def _idle(page, timeout: float = 60) -> None:
    """Wait until the app has finished its rerun (no running indicator for a moment)."""
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            quiet_since = quiet_since or time.time()
            if time.time() - quiet_since > 0.6:
                return
        else:
            quiet_since = None
        time.sleep(0.2)


def _click_when_enabled(page, name: str) -> None:
    """Click a button once the rerun that enables it has reached the page (a click on a disabled button,
    or one made while the page is being replaced, is lost)."""
    from playwright.sync_api import expect

    button = page.get_by_role("button", name=name)
    expect(button).to_be_enabled(timeout=60000)
    _idle(page)
    button.click()


def _upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.wait_for_selector(f'text="{path.name}"', timeout=30000)
    _click_when_enabled(page, "Preview upload")


def _paste(page, text: str, published: str = "2018-06-20") -> None:
    page.get_by_text("Paste a report", exact=True).click()
    set_date(page, "Publication date", published, where="")  # the invented text states no date
    area = page.locator('[data-testid="stTextArea"] textarea').first
    area.wait_for(timeout=30000)
    area.fill(text)
    area.press("Control+Enter")  # commits the text area's value
    _click_when_enabled(page, "Extract incidents")
    page.wait_for_selector("text=/Preview: \\d+ incident/", state="attached", timeout=60000)


def _commit(page) -> None:
    page.get_by_role("button", name="Commit to store").click()
    page.wait_for_selector("text=/added, \\d+ updated/", timeout=60000)


def _stored(db: Path):
    store = open_store(str(db))
    try:
        return store.read()
    finally:
        store.close()


def _alias_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_an_uploaded_report_keeps_its_own_date_over_the_typed_one(server, page, tmp_path):
    _open(page, server["url"])
    set_date(page, "Publication date", "2026-12-01", where="")  # what a user might leave in the field
    path = tmp_path / "report.html"
    path.write_text(HTML_REPORT, encoding="utf-8")
    _upload(page, path)
    page.wait_for_selector("text=/Preview: \\d+ incident/", state="attached", timeout=60000)
    assert page.get_by_text("Dated from 2018-06-21: the report's own date").count() == 1
    _commit(page)
    stored = _stored(server["db"])
    mine = stored[stored["imported_from"] == "report.html"]
    assert len(mine) >= 1 and {str(d.date()) for d in mine["event_date"]} == {"2018-06-19"}  # that Tuesday


def test_the_import_tab_keeps_its_fields_across_a_tab_switch(server, page):
    _open(page, server["url"])
    page.get_by_text("Paste a report", exact=True).click()
    area = page.locator('[data-testid="stTextArea"] textarea').first
    area.wait_for(timeout=30000)
    area.fill(PASTED)
    area.press("Control+Enter")
    _idle(page)
    page.get_by_role("tab", name="Timeline").click()
    _idle(page)
    page.get_by_role("tab", name="Import").click()
    area = page.locator('[data-testid="stTextArea"] textarea').first
    area.wait_for(timeout=30000)
    assert area.input_value() == PASTED
    assert page.get_by_role("radio", name="Paste a report").is_checked()


def _fix_expander(page):
    page.get_by_text("Fix a geocode").click()
    field = page.get_by_label("Place name as the source wrote it")
    field.wait_for(timeout=30000)
    return field


def _click_fix_map(page) -> None:
    frames = page.locator(MAP_IFRAME)
    deadline = time.time() + 60
    while frames.count() < 2 and time.time() < deadline:
        time.sleep(0.3)
    mini = frames.nth(1)
    mini.scroll_into_view_if_needed()
    mini.content_frame.locator(".leaflet-container").wait_for(timeout=30000)
    button = page.get_by_role("button", name=re.compile(r"^Place .* at "))
    for _attempt in range(3):  # a click landing before the map's click handler is attached is lost
        _idle(page)
        box = mini.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
        try:
            button.wait_for(timeout=20000)
            break
        except Exception:  # noqa: BLE001 - retried; the wait below reports a click never taken
            pass
    button.wait_for(timeout=30000)
    button.click()
    _idle(page)


def test_a_map_click_fix_writes_no_alias_unless_remember_is_ticked(server, page):
    _open(page, server["url"])
    _paste(page, PASTED)
    field = _fix_expander(page)
    assert field.input_value() == "Al-Sanamayn"  # the report's own spelling, not the gazetteer's
    _click_fix_map(page)
    _commit(page)
    assert _alias_rows(server["aliases"]) == []  # "Remember" was not ticked


def test_a_remembered_fix_is_saved_under_the_report_spelling_at_commit(server, page):
    _open(page, server["url"])
    _paste(page, PASTED)
    _fix_expander(page)
    page.get_by_text("Remember “Al-Sanamayn”").click()
    checkbox = page.get_by_role("checkbox", name=re.compile("^Remember “Al"))
    deadline = time.time() + 30
    while not checkbox.is_checked() and time.time() < deadline:
        time.sleep(0.2)
    _idle(page)
    _click_fix_map(page)
    page.get_by_text("Remembered when you commit: “Al-Sanamayn”").wait_for(timeout=30000)
    assert _alias_rows(server["aliases"]) == []  # nothing is written before the commit
    _commit(page)
    rows = _alias_rows(server["aliases"])
    assert [r["alias"] for r in rows] == ["Al-Sanamayn"] and rows[0]["by"] and rows[0]["added"]


def test_choosing_another_candidate_renames_the_place(server, page):
    _open(page, server["url"])
    _paste(page, PASTED)
    field = _fix_expander(page)
    field.fill("Daraa")
    field.press("Enter")
    # the candidate list follows the typed name before "Use this place" means Daraa
    page.locator('[data-testid="stSelectbox"] input[value^="Dar"]').first.wait_for(state="attached", timeout=30000)
    _click_when_enabled(page, "Use this place")
    _idle(page)
    chosen = page.locator('[data-testid="stSelectbox"] input[value^="doc:"]').first  # "Incident": id · place
    deadline = time.time() + 30
    while "anamayn" in (chosen.get_attribute("value") or "") and time.time() < deadline:
        time.sleep(0.3)
    shown = chosen.get_attribute("value") or ""
    assert "Dar" in shown and "anamayn" not in shown, shown  # Dar‘ā replaced the old place name


def test_a_table_without_a_latitude_column_gets_one_clear_error(server, page, tmp_path):
    _open(page, server["url"])
    path = tmp_path / "nolat.csv"
    path.write_text("event_date,longitude,location,notes\n2020-01-01,36.1,Nawa,a\n2020-01-02,36.2,Nawa,b\n"
                    "2020-01-03,36.2,Nawa,c\n", encoding="utf-8")
    _upload(page, path)
    error = page.locator('[data-testid="stAlertContentError"]')
    error.first.wait_for(timeout=60000)
    assert error.count() == 1
    text = error.first.inner_text()
    assert "no latitude column" in text and "--skip-bad" not in text
    assert page.get_by_text("only one of latitude/longitude").count() == 0


def test_the_corrections_view_lists_and_deletes_saved_aliases(server, page):
    server["aliases"].write_text(
        "alias,name,lat,lon,country,admin1,admin1_iso,kind,geo_precision,region_id,added,by\n"
        "Qwerty Hill,Nawa,32.8887,36.0430,SY,Daraa,SY-DR,place,1,,2026-12-01T10:00:00+00:00,tester\n",
        encoding="utf-8")
    _open(page, server["url"])
    page.get_by_text("Corrections: 1 saved place alias(es)").click()
    page.get_by_role("button", name="Delete this alias").click()
    page.get_by_text("Corrections: 0 saved place alias(es)").wait_for(timeout=30000)
    assert _alias_rows(server["aliases"]) == []
