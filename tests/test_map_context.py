"""Issue 16: offline context layers, stacked incidents, time playback, print/animation exports, real sample.

Browser tests open standalone maps offline in headless Chromium and wait for states (never for time).
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from geo.map import context as ctx
from geo.map.page import map_html
from tests._map_demo import synthetic_incidents

DARAA = (32.6189, 36.1021)


@contextmanager
def page_for(html: str, path: Path, *, width: int = 1400, height: int = 900, url_suffix: str = ""):
    """``html`` opened offline (non-local requests aborted and recorded) once the map is ready."""
    from playwright.sync_api import sync_playwright

    from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS

    path.write_text(html, encoding="utf-8")
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", route)
            page.goto(path.as_uri() + url_suffix)
            page.wait_for_function("() => window.__atlasReady === true")
            page.blocked, page.errors = blocked, errors
            yield page
        finally:
            browser.close()


def at_points(points: list[tuple[float, float]], dates: list[str] | None = None, spans: list[int] | None = None):
    """Invented incidents placed exactly at ``points`` (precision 1), one per point, with given dates."""
    frame = synthetic_incidents(len(points), seed=3, region_share=0.0).reset_index(drop=True)
    frame["latitude"] = [p[0] for p in points]
    frame["longitude"] = [p[1] for p in points]
    frame["geo_precision"] = 1
    frame["region_id"] = None
    from shapely.geometry import Point

    frame = frame.set_geometry([Point(lon, lat) for lat, lon in points])
    if dates:
        frame["event_date"] = [dt.date.fromisoformat(d) for d in dates]
        frame["date_end"] = [dt.date.fromisoformat(d) + dt.timedelta(days=s) if s else None
                             for d, s in zip(dates, spans or [0] * len(dates))]
    return frame


def _settle(page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


# ---- data and ranking --------------------------------------------------------------------------

def test_place_ranking_puts_capitals_and_big_towns_before_villages():
    places = [ctx.Place("Village", 32.6, 36.1, "PPL", 0), ctx.Place("Capital", 33.5, 36.3, "PPLC", 0),
              ctx.Place("Town", 32.7, 36.0, "PPL", 20_000), ctx.Place("Ruin", 32.8, 36.0, "PPLQ", 0),
              ctx.Place("Seat", 32.9, 36.2, "PPLA2", 0), ctx.Place("Far away", 10.0, 10.0, "PPLC", 10**6),
              ctx.Place("Hill", 32.6, 36.2, "HLL", 0)]
    ranked = [p.name for p in ctx.rank_places(places)]
    assert ranked == ["Capital", "Seat", "Town", "Village", "Ruin"]  # no hill, nothing outside the area
    assert ctx.tier_of(places[0]) > ctx.tier_of(places[2]) > ctx.tier_of(places[1])


def test_label_places_come_from_the_gazetteer_and_cover_the_daraa_countryside():
    payload = ctx.places_payload()
    assert len(payload["name"]) > 1000
    near = [n for n, y, x in zip(payload["name"], payload["y"], payload["x"])
            if abs(y / payload["cs"] - DARAA[0]) < 0.2 and abs(x / payload["cs"] - DARAA[1]) < 0.3]
    assert len(near) >= 15


def test_district_payload_keeps_polygons_with_a_label_point_and_skips_points(tmp_path):
    path = tmp_path / "districts.geojson"
    square = [[[36.0, 32.5], [36.2, 32.5], [36.2, 32.7], [36.0, 32.7], [36.0, 32.5]]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "1", "name": "Test District", "name_ar": "", "admin1_iso": "SY-DR"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"id": "2", "name": "Point Only"},
         "geometry": {"type": "Point", "coordinates": [36.1, 32.6]}}]}), encoding="utf-8")
    payload = ctx.districts_payload(path)
    assert [f["properties"]["name"] for f in payload["features"]] == ["Test District"]
    lat, lon = payload["features"][0]["properties"]["lp"]
    assert 32.5 < lat < 32.7 and 36.0 < lon < 36.2
    assert ctx.districts_payload(tmp_path / "missing.geojson") == {"type": "FeatureCollection", "features": []}


def test_water_layer_has_the_named_rivers_and_lake_assad():
    names = {(f["properties"]["kind"], f["properties"]["name"]) for f in ctx.water_payload()["features"]}
    for river in ("Euphrates", "Orontes", "Yarmouk", "Khabur"):
        assert ("river", river) in names
    assert ("lake", "Lake Assad") in names


def test_context_payload_stays_within_the_size_budget():
    assert len(ctx.context_json().encode("utf-8")) < 1_500_000


# ---- browser: labels, districts, stacks ---------------------------------------------------------

@pytest.fixture()
def synthetic_districts(tmp_path, monkeypatch):
    """A districts file with two districts around Daraa (the real one comes from Who's On First)."""
    path = tmp_path / "districts.geojson"
    west = [[[35.7, 32.4], [36.1, 32.4], [36.1, 32.9], [35.7, 32.9], [35.7, 32.4]]]
    east = [[[36.1, 32.4], [36.5, 32.4], [36.5, 32.9], [36.1, 32.9], [36.1, 32.4]]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "w", "name": "West Test", "name_ar": "", "admin1_iso": "SY-DR"},
         "geometry": {"type": "Polygon", "coordinates": west}},
        {"type": "Feature", "properties": {"id": "e", "name": "East Test", "name_ar": "", "admin1_iso": "SY-DR"},
         "geometry": {"type": "Polygon", "coordinates": east}}]}), encoding="utf-8")
    monkeypatch.setattr(ctx, "DISTRICTS_FILE", path)
    yield path


BOXES = """() => Array.from(document.querySelectorAll(SEL)).map(e => {
  const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


def _boxes(page, selector: str) -> list[list[float]]:
    return page.evaluate(BOXES.replace("SEL", json.dumps(selector)))


def _overlap(a, b, margin: float = 1.0) -> bool:
    return a[0] + margin < b[2] and b[0] + margin < a[2] and a[1] + margin < b[3] and b[1] + margin < a[3]


@pytest.mark.browser
def test_village_zoom_over_daraa_shows_names_districts_and_rivers_offline(tmp_path, synthetic_districts):
    frame = at_points([DARAA, (32.74, 35.99), (32.89, 36.04)])
    with page_for(map_html(frame), tmp_path / "ctx.html") as page:
        page.evaluate(f"() => __atlas.map.setView([{DARAA[0]}, {DARAA[1]}], 11, {{animate: false}})")
        page.wait_for_function("() => document.querySelectorAll('.ia-ctx-place').length >= 10")
        _settle(page)
        labels = _boxes(page, ".ia-ctx-place > span")
        markers = _boxes(page, ".leaflet-marker-pane > *")
        districts = page.evaluate("() => document.querySelectorAll('.leaflet-iaOutlines-pane path').length")
        names = page.evaluate("() => Array.from(document.querySelectorAll('.ia-ctx-district')).map(e => e.textContent)")
        inside = [b for b in labels if b[2] > 0 and b[0] < 1400 and b[3] > 0 and b[1] < 900]
        assert len(inside) >= 10
        assert not any(_overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1:])
        assert not any(_overlap(a, m, 3) for a in labels for m in markers)
        assert "West Test" in names or "East Test" in names
        assert districts >= 2 + 14  # the two districts plus the governorate outlines
        assert len(markers) == 3
        page.evaluate("() => __atlas.map.setView([33.5, 38.5], 7, {animate: false})")
        _settle(page)
        assert page.evaluate("() => document.querySelectorAll('.ia-ctx-district').length") == 0
        assert page.errors == [] and page.blocked == []


@pytest.mark.browser
def test_stacked_incidents_fan_out_one_marker_each(tmp_path):
    points = [DARAA] * 6 + [(32.89, 36.04)] * 2 + [(33.51, 36.29)]
    frame = at_points(points)
    frame["location"] = ["<b>Daraa</b> city"] * 6 + ["Nawa"] * 2 + ["Damascus"]
    with page_for(map_html(frame), tmp_path / "stack.html") as page:
        boxes = _boxes(page, ".leaflet-marker-pane > *")
        rings = page.evaluate("() => Array.from(document.querySelectorAll('.ia-stack > div')).map(e => e.title)")
        page.evaluate(f"() => __atlas.map.setView([{DARAA[0]}, {DARAA[1]}], 12, {{animate: false}})")
        page.wait_for_function("() => document.querySelectorAll('.ia-ctx-caption').length >= 1")
        captions = page.evaluate("() => Array.from(document.querySelectorAll('.ia-ctx-caption')).map(e => e.textContent)")
        assert captions == ["<b>Daraa</b> city"]  # the stack of 6 is named as text; a pair needs no caption
        assert page.evaluate("() => document.querySelectorAll('.ia-ctx b').length") == 0
        for zoom in (9, 11, 13):
            page.evaluate(f"() => __atlas.map.setView([{DARAA[0]}, {DARAA[1]}], {zoom}, {{animate: false}})")
            _settle(page)
            centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in _boxes(page, ".leaflet-marker-pane > *")]
            assert len(centres) == 9
            assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) > 12 for i, a in enumerate(centres) for b in centres[i + 1:])
    assert len(boxes) == len(points)
    assert sorted(rings) == ["2 incidents at this point", "6 incidents at this point"]


@pytest.mark.browser
def test_clustered_map_counts_add_up_to_the_incidents(tmp_path):
    frame = at_points([DARAA] * 30 + [(32.89, 36.04)] * 5 + [(35.0, 38.0)])
    with page_for(map_html(frame, cluster_threshold=10, snapshot=True), tmp_path / "cl.html") as page:
        _settle(page)
        counts = page.evaluate("() => Array.from(document.querySelectorAll('.ia-cluster span')).map(e => +e.textContent)")
        singles = page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > .ia-marker').length")
    assert sum(counts) + singles == 36


# ---- playback ----------------------------------------------------------------------------------

PLAY_DATES = ["2018-06-01", "2018-06-02", "2018-06-09", "2018-06-10", "2018-06-20", "2018-06-03"]
PLAY_SPANS = [0, 0, 0, 0, 0, 14]  # the last one lasts from 3 to 17 June


@pytest.mark.browser
def test_playback_shows_the_window_with_a_faded_trail_and_keeps_it_in_the_address(tmp_path):
    frame = at_points([(32.6 + i * 0.05, 36.1) for i in range(6)], PLAY_DATES, PLAY_SPANS)
    with page_for(map_html(frame), tmp_path / "play.html") as page:
        assert page.locator('[data-testid="atlas-playback"]').count() == 1
        page.evaluate("() => __atlas.playback.show(Math.floor(Date.parse('2018-06-08') / 864e5), 'week')")
        shown = page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length")
        faded = page.evaluate("() => Array.from(document.querySelectorAll('.leaflet-marker-pane > *'))"
                              ".filter(e => +getComputedStyle(e).opacity < 0.9).length")
        hash_ = page.evaluate("() => location.hash")
        # 8-14 June: the 9th, 10th and the long one; trail 1-7 June: 1st, 2nd
        assert (shown, faded) == (5, 2)
        assert hash_ == "#window=2018-06-08/week"
        page.evaluate("() => __atlas.playback.step(1)")  # 15-21 June: the 20th and the long one; trail 9th, 10th
        assert page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length") == 2 + 2
        page.evaluate("() => __atlas.playback.clear()")
        assert page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length") == 6
    with page_for(map_html(frame), tmp_path / "play2.html", url_suffix="#window=2018-06-20/day") as page:
        assert page.evaluate("() => __atlas.playback.state()") == {"start": "2018-06-20", "unit": "day"}
        assert page.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length") == 1


@pytest.mark.browser
def test_playback_exports_an_animated_gif_one_frame_per_window(tmp_path):
    from PIL import Image

    from geo.map.animate import snapshot_gif

    frame = at_points([(32.6 + i * 0.05, 36.1) for i in range(6)], PLAY_DATES, PLAY_SPANS)
    path, frames = snapshot_gif(frame, tmp_path / "play.gif", unit="week", width=500, height=400,
                                generated_at="Generated (test)")
    image = Image.open(path)
    assert image.format == "GIF" and image.n_frames == frames == 3  # weeks from 1, 8 and 15 June
    pictures = []
    for k in range(image.n_frames):
        image.seek(k)
        pictures.append(image.convert("RGB").tobytes())
    assert len(set(pictures)) == 3


# ---- exports: names, attribution, sample ------------------------------------------------------

def test_export_file_names_say_dates_and_regions():
    from geo.filters import Filters
    from geo.view_export import file_name_for

    frame = pd.DataFrame({"event_date": pd.to_datetime(["2018-06-01", "2018-07-31"]), "date_end": [None, None]})
    assert file_name_for("png", frame, Filters(regions=("SY-DR", "SY-QU"))) == \
        "incidents_2018-06-01_to_2018-07-31_SY-DR-SY-QU.png"
    assert file_name_for("pdf", frame, Filters()) == "incidents_2018-06-01_to_2018-07-31_Syria.pdf"


def test_ucdp_incidents_are_credited_in_html_and_static_pictures(tmp_path):
    from geo.map.snapshot import snapshot_html

    frame = at_points([DARAA, (32.89, 36.04)])
    frame["event_id"] = ["ucdp:1", "h:2"]
    html = snapshot_html(frame, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "UCDP GED" in html and "CC BY 4.0" in html
    from geo.map.static_render import attribution_for

    assert "Incidents: UCDP GED" in attribution_for(frame) and "Incidents: UCDP" not in attribution_for(frame.iloc[1:])
    plain = at_points([DARAA])
    assert "Incidents: UCDP" not in map_html(plain).split('"attribution":', 1)[1][:400]


def test_bundled_sample_is_real_ucdp_and_seed_report_incidents():
    import sqlite3

    from geo.paths import SAMPLE_DB
    from geo.store import open_store

    store = open_store(SAMPLE_DB)
    try:
        frame = store.read()
    finally:
        store.close()
    ids = frame["event_id"].astype(str)
    assert ids.str.startswith(("ucdp:", "doc:")).all()
    assert not frame["notes"].fillna("").str.startswith("SAMPLE").any()
    assert 200 <= len(frame) <= 500  # every incident its own marker on the default map
    assert ids.str.startswith("ucdp:").sum() >= 200
    seed = frame[ids.str.startswith("doc:")]
    meeting = seed[seed["kind"] == "meeting"].iloc[0]
    assert meeting["geo_precision"] == 1 and abs(meeting["latitude"] - 33.07) < 0.02
    raids = seed[seed["region_id"] == "SY-DR"].iloc[0]
    assert raids["geo_precision"] == 3 and raids["kind"] == "air strike"
    con = sqlite3.connect(SAMPLE_DB)
    try:
        description = con.execute("SELECT description FROM gpkg_contents WHERE table_name = 'incidents'").fetchone()[0]
    finally:
        con.close()
    assert "UCDP" in description and "CC BY 4.0" in description


def test_data_exports_of_ucdp_incidents_carry_the_credit_in_their_metadata(tmp_path):
    import sqlite3

    from geo.view_export import render

    frame = at_points([DARAA, (32.89, 36.04)])
    frame["event_id"] = ["ucdp:1", "h:2"]
    assert "UCDP GED" in json.loads(render("geojson", frame))["attribution"]
    kml = render("kml", frame).decode("utf-8")
    assert kml.index("</name>") < kml.index("<description>Incidents: UCDP GED")
    (tmp_path / "x.gpkg").write_bytes(render("gpkg", frame))
    con = sqlite3.connect(tmp_path / "x.gpkg")
    try:
        assert "UCDP GED" in con.execute("SELECT description FROM gpkg_contents").fetchone()[0]
    finally:
        con.close()
    frame["event_id"] = ["h:1", "h:2"]
    assert "attribution" not in json.loads(render("geojson", frame))


@pytest.mark.browser
def test_context_names_reach_the_page_as_text(tmp_path, monkeypatch):
    payload = '<img src=x onerror="window.__pwned=1">'
    path = tmp_path / "districts.geojson"
    square = [[[37.6, 33.0], [38.0, 33.0], [38.0, 33.3], [37.6, 33.3], [37.6, 33.0]]]  # desert: no town names
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "x", "name": payload, "name_ar": "", "admin1_iso": "SY-DR"},
         "geometry": {"type": "Polygon", "coordinates": square}}]}), encoding="utf-8")
    monkeypatch.setattr(ctx, "DISTRICTS_FILE", path)
    with page_for(map_html(at_points([(33.5, 36.29)])), tmp_path / "x.html") as page:
        page.evaluate("() => __atlas.map.setView([33.15, 37.8], 9, {animate: false})")
        page.wait_for_function("() => document.querySelectorAll('.ia-ctx-district').length >= 1")
        texts = page.evaluate("() => Array.from(document.querySelectorAll('.ia-ctx-district')).map(e => e.textContent)")
        assert payload in texts
        assert page.evaluate("() => !!window.__pwned") is False
        assert page.evaluate("() => document.querySelectorAll('.ia-ctx img').length") == 0


def test_fan_offsets_separate_stacked_points_and_leave_lone_points():
    import numpy as np

    from geo.map._fan import fan_offsets

    xs = np.array([0.0, 0.0, 0.0, 500.0] + [1000.0] * 12)
    ys = np.zeros(len(xs))
    dx, dy = fan_offsets(xs, ys)
    assert dx[3] == 0 and dy[3] == 0
    spots = {(round(x + a), round(y + b)) for x, y, a, b in zip(xs, ys, dx, dy)}
    assert len(spots) == len(xs)
    big = [(a, b) for x, a, b in zip(xs, dx, dy) if x == 1000.0]
    assert min(abs(p[0] - q[0]) + abs(p[1] - q[1]) for i, p in enumerate(big) for q in big[i + 1:]) > 10
