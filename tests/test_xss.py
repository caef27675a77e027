"""Hostile text in incidents stays text: map popups, tooltips, legend, title panel, standalone HTML,
KML balloons, CSV cells and the dashboard's own markup.

The incidents come in through the real importer (a CSV holding classic XSS payloads in the notes, actor,
place, source and link fields), then go out through the real exporters. The browser tests open the
results in the Debian Chromium with every network request blocked and check that no script ran (no
dialog, no ``window.__pwned``, no console marker) and that the payloads are visible as text.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from geo.cli import main
from geo.export import export
from geo.ingest import load
from geo.map.snapshot import snapshot_html
from geo.store import open_store
from tests._dashboard_server import serve_dashboard

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
KML_NS = "{http://www.opengis.net/kml/2.2}"

PAYLOADS = {
    "script": "<script>window.__pwned='script';console.log('PWNED-script')</script>",
    "img": "<img src=x onerror=\"window.__pwned='img';alert('img')\">",
    "svg": "<svg/onload=window.__pwned='svg'><circle r=9 /></svg>",
    "textarea": "</textarea><script>window.__pwned='textarea'</script><textarea>",
    "javascript": "javascript:window.__pwned='link';alert('link')",
    "iframe": "\"><iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "style": "<style>body{display:none}</style><b onmouseover=alert(1)>bold?</b>",
    "template": "{{ 7*7 }} {% if 1 %}jinja{% endif %} ${7*7} {{'name'}}",
    "entity": "&lt;script&gt;stays escaped&lt;/script&gt; &amp;",
    "comment": "--><!-- <![CDATA[ ]]> '\"` \u2028line\u2029sep",
}
HOSTILE_URL = "javascript:window.__pwned='href'"


def hostile_csv() -> str:
    """One incident per payload, the payload in notes, actor1, location and source; a hostile link too."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["event_id", "event_date", "event_type", "sub_event_type", "kind", "actor1", "actor2",
                     "country", "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities",
                     "source", "source_url", "notes"])
    for n, (name, payload) in enumerate(PAYLOADS.items()):
        writer.writerow([f"XSS-{name}", f"2022-03-{n + 1:02d}", "Battles", "Armed clash",
                         f"clash {payload}" if name == "img" else "", payload, f"Other side {payload}", "Syria",
                         "Daraa", f"Place {payload}", f"{32.5 + n * 0.05:.4f}", f"{36.0 + n * 0.05:.4f}", 1, 0,
                         f"Source {payload}", HOSTILE_URL if n % 2 else "https://example.org/report?a=1&b=2",
                         f"Notes: {payload}"])
    return buffer.getvalue()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """A store holding the hostile incidents, imported through the CLI."""
    folder = tmp_path_factory.mktemp("xss")
    source = folder / "hostile.csv"
    source.write_text(hostile_csv(), encoding="utf-8")
    db = folder / "store.gpkg"
    assert main(["import", str(source), "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="module")
def hostile(hostile_db) -> pd.DataFrame:
    """The hostile incidents as the store gives them back."""
    store = open_store(hostile_db)
    try:
        frame = store.read()
    finally:
        store.close()
    assert len(frame) == len(PAYLOADS)
    return frame


@pytest.fixture(scope="module")
def snapshot_file(hostile, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "hostile.html"
    return snapshot_html(hostile, out, title=f"Title {PAYLOADS['script']}", subtitle=f"Sub {PAYLOADS['img']}",
                         filters_text=f"Filters {PAYLOADS['textarea']}", generated_at="Generated for the test")


def test_import_keeps_payloads_verbatim(hostile):
    by_id = hostile.set_index("event_id")
    for name, payload in PAYLOADS.items():
        assert by_id.at[f"XSS-{name}", "actor1"] == payload.strip()
        assert by_id.at[f"XSS-{name}", "notes"] == f"Notes: {payload}"


def test_standalone_html_never_contains_raw_payload_markup(snapshot_file):
    text = snapshot_file.read_text(encoding="utf-8")
    for name, payload in PAYLOADS.items():
        if "<" in payload or "{" in payload:
            assert payload not in text, f"the {name} payload appears raw in the HTML"
    for piece in ("<script>window.__pwned", "<img src=x", "<svg/onload", "</textarea><script>", "<iframe", "<style>body",
                  "{{ 7*7 }}", "{% if 1 %}", "49 jinja"):
        assert piece not in text, f"{piece!r} appears raw in the HTML"
    assert "<title>Title &lt;script&gt;" in text


def test_kml_descriptions_are_escaped_html_and_names_are_plain_text(hostile, tmp_path):
    out = export(hostile, "kml", tmp_path / "hostile.kml")
    raw = out.read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw and "<svg" not in raw and "<iframe" not in raw
    root = ET.parse(out).getroot()
    marks = {m.find(f".//{KML_NS}Data[@name='event_id']/{KML_NS}value").text: m
             for m in root.iter(f"{KML_NS}Placemark")}
    for name, payload in PAYLOADS.items():
        mark = marks[f"XSS-{name}"]
        description = mark.find(f"{KML_NS}description").text
        # the balloon is HTML: every user character in it is escaped exactly once
        assert html.escape(f"Notes: {payload}".replace("\u2028", "").replace("\u2029", "")) in \
            description.replace("\u2028", "").replace("\u2029", "")
        assert f"Place {payload.strip()}" in mark.find(f"{KML_NS}name").text
        assert mark.find(f".//{KML_NS}Data[@name='actor1']/{KML_NS}value").text == payload.strip()


def test_csv_export_neutralises_formulas_and_import_restores_them(tmp_path):
    formulas = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "'=already quoted",
                "plain", "''=two quotes"]
    frame = load_csv_rows(tmp_path, [{"notes": f, "actor1": f, "source": f} for f in formulas])
    out = export(frame, "csv", tmp_path / "out.csv")
    with open(out, newline="", encoding="utf-8") as handle:
        cells = list(csv.DictReader(handle))
    for row, formula in zip(cells, formulas):
        for column in ("notes", "actor1", "source"):
            cell = row[column]
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
            if formula == "plain":
                assert cell == "plain"
    again = load(out).frame.set_index("event_id")
    for i, formula in enumerate(formulas):
        for column in ("notes", "actor1", "source"):
            assert again.at[f"F-{i}", column] == frame.set_index("event_id").at[f"F-{i}", column]


def load_csv_rows(tmp_path: Path, rows: list[dict]) -> pd.DataFrame:
    """Records with the given text fields built through the importer (so they are typed like real ones)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["event_id", "event_date", "latitude", "longitude", "country",
                                                "notes", "actor1", "source"], lineterminator="\n",
                            quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for i, fields in enumerate(rows):
        writer.writerow({"event_id": f"F-{i}", "event_date": "2022-01-01", "latitude": 33.5, "longitude": 36.3,
                         "country": "Syria", **fields})
    path = tmp_path / "formulas.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    frame = load(path).frame
    assert frame.set_index("event_id").at["F-1", "notes"] == "+SUM(1,2)"
    return frame


def _calls_with_unsafe_html(path: Path) -> list[tuple[int, str]]:
    """(line, source) of every call passing ``unsafe_allow_html=True`` or using st.html / components.html."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        unsafe = any(k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                     for k in node.keywords)
        if unsafe or name.endswith(("st.html", "components.html", "components.v1.html")):
            if not all(isinstance(a, ast.Constant) for a in node.args):
                found.append((node.lineno, ast.unparse(node)[:120]))
    return found


def test_no_user_data_reaches_unsafe_html_in_the_dashboard_or_geo():
    files = [ROOT / "dashboard.py", *sorted((ROOT / "geo").rglob("*.py"))]
    offenders = {str(f.relative_to(ROOT)): _calls_with_unsafe_html(f) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_map_script_never_uses_inner_html_with_data():
    script = (ROOT / "assets" / "atlas" / "atlas.js").read_text(encoding="utf-8")
    uses = [line.strip() for line in script.splitlines()
            if ("innerHTML" in line or "insertAdjacentHTML" in line) and not line.strip().startswith(("*", "/"))]
    # the one use is the fixed north-arrow drawing, which holds no data
    assert all("'<svg width=\"30\"" in line for line in uses), uses


# ----------------------------------------------------------------------------------------------- in the browser
@pytest.fixture(scope="module")
def browser():
    import playwright.sync_api as sync_api
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


class Watch:
    """A page with every network request blocked and every dialog and console message recorded."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda msg: self.console.append(msg.text))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_nothing_ran(self) -> None:
        assert self.dialogs == []
        assert self.page.evaluate("() => window.__pwned === undefined")
        assert not [m for m in self.console if "PWNED" in m]
        # the only page markup that could run code is absent from the DOM
        assert self.page.evaluate("""() => document.querySelectorAll(
            '[onerror],[onload],[onmouseover],iframe,textarea,svg[onload],a[href^="javascript"]').length""") == 0


@pytest.mark.browser
def test_standalone_snapshot_in_chromium_runs_no_payload_and_shows_text(browser, snapshot_file):
    watch = Watch(browser)
    page = watch.page
    try:
        page.goto(snapshot_file.as_uri(), wait_until="load")
        page.wait_for_function("() => window.__atlasReady === true", timeout=30_000)
        assert page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length") == len(PAYLOADS)
        popups = page.evaluate("""() => {
            const out = [];
            window.__atlas.markers.eachLayer(m => {
                m.openPopup();
                const box = m.getPopup().getElement().querySelector('.leaflet-popup-content');
                out.push({text: box.textContent, links: Array.from(box.querySelectorAll('a')).map(a => a.href)});
                m.closePopup();
            });
            return out;
        }""")
        assert len(popups) == len(PAYLOADS)
        text = "\n".join(p["text"] for p in popups)
        for payload in PAYLOADS.values():
            assert f"Notes: {payload}" in text
            assert payload.strip() in text  # actor
            assert f"Place {payload.strip()}" in text
        links = [href for p in popups for href in p["links"]]
        assert links and all(href.startswith("https://example.org/") for href in links)
        legend = page.text_content(".ia-legend")
        assert f"clash {PAYLOADS['img']}" in legend
        panel = page.text_content(".ia-title")
        assert f"Title {PAYLOADS['script']}" in panel and f"Filters {PAYLOADS['textarea']}" in panel
        # hover tooltips of the outlines, and a click on every marker (the path a user takes)
        for marker in page.query_selector_all(".leaflet-marker-pane > *"):
            marker.dispatch_event("click")
        page.wait_for_timeout(200)
        watch.assert_nothing_ran()
        assert watch.requests == []
    finally:
        watch.context.close()


@pytest.mark.browser
def test_kml_balloons_in_chromium_run_no_payload(browser, hostile, tmp_path):
    out = export(hostile, "kml", tmp_path / "hostile.kml")
    root = ET.parse(out).getroot()
    descriptions = [m.find(f"{KML_NS}description").text for m in root.iter(f"{KML_NS}Placemark")]
    watch = Watch(browser)
    try:
        # a KML viewer shows each description as HTML in the placemark's balloon
        body = "".join(f"<div class='balloon'>{d}</div>" for d in descriptions)
        watch.page.set_content(f"<!doctype html><html><body>{body}</body></html>")
        watch.page.wait_for_timeout(200)
        shown = watch.page.text_content("body")
        for payload in PAYLOADS.values():
            visible = f"Notes: {payload}".replace("\u2028", "").replace("\u2029", "")
            assert visible in shown.replace("\u2028", "").replace("\u2029", "")
        watch.assert_nothing_ran()
    finally:
        watch.context.close()


@pytest.fixture(scope="module")
def dashboard_url(hostile_db, tmp_path_factory):
    """``streamlit run dashboard.py`` on the hostile store (local port, stopped afterwards)."""
    home = tmp_path_factory.mktemp("home")
    yield from serve_dashboard(hostile_db, home)


@pytest.mark.browser
def test_dashboard_in_chromium_shows_hostile_text_inert(browser, dashboard_url):
    """The running dashboard: summary lists, the map's popups (inside st_folium's iframe) and the incident
    table show the payloads as text, and nothing runs, on the page or in the map frame."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    dialogs, external = [], []

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            return r.continue_()
        external.append(url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(dashboard_url, wait_until="domcontentloaded")
        page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', state="attached", timeout=90_000)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        frame.locator(".leaflet-marker-pane > *").first.wait_for(state="attached", timeout=90_000)
        inner = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
        inner.wait_for_function("() => window.__atlas && window.__atlas.count > 0", timeout=60_000)
        texts = inner.evaluate("""() => {
            const out = [];
            window.__atlas.markers.eachLayer(m => {
                m.openPopup();
                out.push(m.getPopup().getElement().querySelector('.leaflet-popup-content').textContent);
                m.closePopup();
            });
            return out;
        }""")
        shown = "\n".join(texts)
        for payload in PAYLOADS.values():
            assert f"Notes: {payload}" in shown and f"Place {payload.strip()}" in shown
        body = page.inner_text("body")
        # the top-actors list shows actor names (payloads) as plain text
        assert any(payload.strip() in body for payload in PAYLOADS.values() if "<" in payload)
        for marker in inner.query_selector_all(".leaflet-marker-pane > *"):
            marker.dispatch_event("click")
        # the incident table (a canvas grid with an accessible table behind it) holds the payloads as text
        page.get_by_role("tab", name="Table").click()
        page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] table'))
            .some(t => t.textContent.includes('XSS-comment'))""", timeout=60_000)
        grid = page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] table'))
            .map(t => t.textContent).join('\\n')""")
        for payload in PAYLOADS.values():
            assert payload.strip()[:30] in grid
        page.wait_for_timeout(500)
        assert dialogs == []
        for scope in (page, inner):
            assert scope.evaluate("() => window.__pwned === undefined")
            assert scope.evaluate("""() => document.querySelectorAll(
                '[onerror],[onload],[onmouseover],iframe[srcdoc],a[href^="javascript"]').length""") == 0
        assert external == []
    finally:
        context.close()
