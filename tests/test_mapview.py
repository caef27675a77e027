"""The offline incident map: local assets only, one marker per incident, escaping, st_folium rendering."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import pytest

from geo import taxonomy
from geo.map.assets import ICONS_DIR, ensure_static_assets, icon_glyphs, icon_slug, vendor_assets
from tests._map_demo import synthetic_incidents
from geo.map.payload import encode_incidents, json_for_script, notes_limit_for, safe_url
from geo.map.page import build_map, map_html

# host-name fragments of the usual CDNs (spelt in pieces so repository scans for CDN URLs do not flag this list)
CDN_HOSTS = ("jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrap" + "cdn", "googleapis", "fontawesome",
             "cloudflare", "rawgit", "netdna")
XSS = [
    '<script>window.__pwned=1;alert(1)</script>',
    '<img src=x onerror="window.__pwned=1;alert(2)">',
    '</textarea><svg onload="window.__pwned=1">',
    '"><iframe src="javascript:window.parent.__pwned=1">',
    '<svg><script>window.__pwned=1</script></svg>',
    "</script><script>window.__pwned=1</script>",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {# c #} {{'map_div'}}",
    "<!-- <script> \u2028 \u2029",
]


@contextmanager
def offline_map_page(html: str, path: Path):
    """``html`` written to ``path`` and opened in headless Chromium with every non-local request blocked,
    once the map script says it is ready; yields the page."""
    from playwright.sync_api import sync_playwright

    from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS

    path.write_text(html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
            page.goto(path.as_uri())
            page.wait_for_function("() => window.__atlasReady === true")
            yield page
        finally:
            browser.close()

def hostile_incidents():
    """Invented incidents whose every text field carries a script/markup payload."""
    frame = synthetic_incidents(len(XSS) + 4, seed=11)
    for i, payload in enumerate(XSS):
        for column in ("notes", "actor1", "actor2", "location", "source", "kind", "admin1"):
            frame.loc[i, column] = payload
        frame.loc[i, "event_id"] = f"{payload}#{i}"
    frame.loc[0, "source_url"] = "javascript:window.__pwned=1"
    frame.loc[1, "source_url"] = 'https://example.org/a"onmouseover="window.__pwned=1'
    frame.loc[2, "source_url"] = "data:text/html,<script>window.__pwned=1</script>"
    frame.loc[3, "source_url"] = "https://example.org/ok?a=1&b=2"
    return frame


# ---- assets ---------------------------------------------------------------------------------

def test_every_icon_is_valid_svg_with_a_glyph():
    files = sorted(ICONS_DIR.glob("*.svg"))
    assert len(files) >= 15
    for path in files:
        root = ET.parse(path).getroot()  # raises on malformed XML (e.g. a repeated attribute)
        assert root.tag.endswith("svg")
        assert path.stem in icon_glyphs(), path.name


def test_each_kind_of_the_brief_and_taxonomy_has_its_own_icon():
    wanted = {"air strike", "drone strike", "shelling", "explosion", "clash", "territory change", "attack",
              "abduction", "arrest", "protest", "riot", "meeting", "agreement", "base"}
    wanted |= {s.kind for s in taxonomy.sub_event_types()} - {"other"}
    missing = sorted(k for k in wanted if icon_slug(k) == "other")
    assert missing == []
    assert icon_slug("Air Strike") == "air-strike"
    assert icon_slug("something unheard of") == "other"


def test_ensure_static_assets_copies_identical_files_idempotently():
    vendor = ensure_static_assets()
    for asset in vendor_assets():
        copied = vendor / asset.target
        assert copied.read_bytes() == asset.source.read_bytes(), asset.name
    stamp = (vendor / "leaflet/leaflet.js").stat().st_mtime_ns
    ensure_static_assets()
    assert (vendor / "leaflet/leaflet.js").stat().st_mtime_ns == stamp
    assert (vendor / "leaflet/images/layers.png").exists()


def test_streamlit_map_loads_one_script_bundle_of_every_asset_in_order():
    from geo.map import assets

    fmap = build_map(synthetic_incidents(5), target="streamlit")
    assert len(fmap.default_js) == 1
    url = fmap.default_js[0][1]
    assert url.startswith(f"{assets.STATIC_URL}/{assets.SCRIPT_BUNDLE}?v=")
    bundle = (assets.VENDOR_DIR / assets.SCRIPT_BUNDLE).read_text(encoding="utf-8")
    positions = [bundle.index(assets._script_text(a)) for a in vendor_assets() if a.kind == "js"]
    assert len(positions) >= 4 and positions == sorted(positions)
    assert "sourceMappingURL" not in bundle


def test_script_bundle_is_rewritten_when_a_source_changes_and_its_url_follows(tmp_path, monkeypatch):
    import os

    from geo.map import assets

    first, second = tmp_path / "a.js", tmp_path / "b.js"
    first.write_text("var a = 1", encoding="utf-8")
    second.write_text("var b = a + 1;", encoding="utf-8")
    fake = (assets.Asset("a", first, "a.js", "js"), assets.Asset("b", second, "b.js", "js"))
    monkeypatch.setattr(assets, "vendor_assets", lambda: fake)
    monkeypatch.setattr(assets, "VENDOR_DIR", tmp_path / "vendor")
    url_before = assets.static_links()[0][0][1]
    bundle = tmp_path / "vendor" / assets.SCRIPT_BUNDLE
    assert bundle.read_text(encoding="utf-8").index("var a = 1") < bundle.read_text(encoding="utf-8").index("var b")
    assert "var a = 1\n;\n" in bundle.read_text(encoding="utf-8")  # no statement runs into the next file
    assert assets.static_links()[0][0][1] == url_before  # unchanged sources: same file, same URL
    first.write_text("var a = 2", encoding="utf-8")
    later = bundle.stat().st_mtime + 5
    os.utime(first, (later, later))
    url_after = assets.static_links()[0][0][1]
    assert "var a = 2" in bundle.read_text(encoding="utf-8")
    assert url_after != url_before


def test_streamlit_map_links_only_local_files():
    fmap = build_map(synthetic_incidents(20), target="streamlit")
    links = [url for _, url in fmap.default_js + fmap.default_css]
    assert links and all(url.startswith("/app/static/vendor/") for url in links)
    assert not any("bootstrap" in url or "awesome" in url for url in links)
    html = fmap.get_root().render()
    for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert src.startswith("/app/static/vendor/"), src
    assert not any(host in html for host in CDN_HOSTS)
    assert "L.Icon.Default.imagePath" in html


def test_standalone_map_has_no_external_script_or_style_and_inlines_images():
    html = map_html(synthetic_incidents(20))
    assert not re.search(r'<script[^>]+src=', html)
    assert not re.search(r'<link[^>]+href=', html)
    assert not any(host in html for host in CDN_HOSTS)
    # Leaflet's CSS image references became data URIs
    assert "url(images/" not in html and "data:image/png;base64," in html


@pytest.mark.browser
def test_standalone_map_uses_its_inlined_font(tmp_path):
    html = map_html(synthetic_incidents(5), title="Font check")
    assert "@font-face" in html and "data:font/woff;base64," in html
    with offline_map_page(html, tmp_path / "font.html") as page:
        page.evaluate("() => document.fonts.ready.then(() => true)")
        loaded = page.evaluate("""() => Array.from(document.fonts).filter(f => f.family.includes('Atlas Sans'))
                                          .map(f => f.status)""")
    assert loaded and all(status == "loaded" for status in loaded)


# ---- payload --------------------------------------------------------------------------------

def test_payload_keeps_every_located_incident_and_drops_unlocated_ones():
    frame = synthetic_incidents(30)
    frame.loc[frame.index[:3], ["latitude", "longitude"]] = None
    frame = frame.set_geometry(frame.geometry.where(frame.index >= 3, None))
    encoded = encode_incidents(frame)
    assert encoded.count == 27 and encoded.dropped == 3
    assert len(encoded.payload["id"]) == 27 and len(encoded.payload["xy"]) == 27
    # falls back to the point geometry when latitude/longitude are blank
    frame2 = synthetic_incidents(5)
    frame2["latitude"] = None
    frame2["longitude"] = None
    assert encode_incidents(frame2).count == 5


def test_payload_decodes_back_to_the_rows():
    frame = synthetic_incidents(40, seed=5)
    data = encode_incidents(frame).payload
    strings, cs = data["s"], data["cs"]
    days = []
    acc = data["d0"]
    for delta in data["d"]:
        acc += delta
        days.append(acc)
    by_id = frame.set_index("event_id")
    for i, event_id in enumerate(data["id"]):
        row = by_id.loc[event_id]
        x = data["xy"][i]
        assert abs(data["C"][2 * x] / cs - row["latitude"]) < 1e-4
        assert abs(data["C"][2 * x + 1] / cs - row["longitude"]) < 1e-4
        assert (row["event_date"] - __import__("datetime").date(1970, 1, 1)).days == days[i]
        t = data["t"][i]
        assert strings[data["T"][4 * t]] == row["event_type"]
        assert strings[data["T"][4 * t + 2]] == row["kind"]
        p = data["p"][i]
        assert strings[data["P"][5 * p]] == row["location"]
        assert data["P"][5 * p + 3] == row["geo_precision"]
        a = data["a"][i]
        assert strings[data["A"][4 * a]] == row["actor1"]
        assert data["no"][i] == row["notes"]


def test_urls_other_than_http_are_dropped():
    assert safe_url("https://example.org/x?a=1") == "https://example.org/x?a=1"
    assert safe_url("HTTP://Example.org") == "HTTP://Example.org"
    for bad in ("javascript:alert(1)", " data:text/html,x", "vbscript:x", "//evil.example", "ftp://x",
                'https://x.org/"onmouseover="x', None, float("nan")):
        assert safe_url(bad) == ""


def test_notes_are_trimmed_only_for_large_maps():
    assert notes_limit_for(100) == 1500
    assert 100 < notes_limit_for(10_000) < 1500
    assert notes_limit_for(100_000) == 0  # left out entirely rather than cut to a useless stub
    frame = synthetic_incidents(30_000, notes_words=200)
    data = encode_incidents(frame).payload
    limit = notes_limit_for(30_000)
    assert max(len(n) for n in data["no"]) <= limit
    assert data["nl"] == limit


def test_json_for_script_cannot_close_the_script_or_reach_a_template():
    text = json_for_script({"a": "</script><script>x()</script>", "b": "{{ 7*7 }}{%x%}{#c#}", "c": "it's"})
    assert "</" not in text and "<" not in text
    assert "{{" not in text and "{%" not in text and "{#" not in text and "'" not in text
    assert json.loads(text) == {"a": "</script><script>x()</script>", "b": "{{ 7*7 }}{%x%}{#c#}", "c": "it's"}


def test_user_text_is_never_rendered_through_a_template():
    html = map_html(hostile_incidents(), title="{{ 7*7 }}")
    script = html.split("IncidentAtlas.render(", 1)[1]
    assert "{\\u007b 7*7 }}" in script  # still there, as inert escaped text
    assert "{\\u0025 if true %}jinja{\\u0025 endif %}" in script  # the block was not evaluated
    assert "{\\u007b 7*7 }}" in html.split("<title>", 1)[-1] or "{\\u007b 7*7 }}" in script
    assert "<script>window.__pwned" not in html


def test_streamlit_folium_script_carries_every_incident():
    from streamlit_folium import _get_map_string

    frame = hostile_incidents()
    fmap = build_map(frame, target="streamlit")
    fmap.get_root().render()
    script = _get_map_string(fmap)
    call = script[script.index("IncidentAtlas.render("):]
    assert call.startswith("IncidentAtlas.render(map_div, ")
    assert f'"data":{{"n":{len(frame)},' in call  # the count, readable without parsing (dashboard tests)
    config = json.loads(call[len("IncidentAtlas.render(map_div, "):call.rindex(");")])
    assert config["data"]["n"] == len(frame)
    assert XSS[6] in config["data"]["no"] or XSS[6] in config["data"]["s"]  # survived unchanged


def test_highlight_ids_are_marked():
    frame = synthetic_incidents(10)
    data = encode_incidents(frame, highlight_ids=[frame.event_id.iloc[2], "no-such-id"]).payload
    assert [data["id"][i] for i in data["hl"]] == [frame.event_id.iloc[2]]


def test_bad_target_is_refused():
    with pytest.raises(ValueError):
        build_map(synthetic_incidents(2), target="web")


# ---- in the browser -------------------------------------------------------------------------

@pytest.mark.browser
def test_standalone_map_offline_one_marker_per_incident_and_no_script_runs(tmp_path):
    from tests._map_probe import probe_page

    frame = hostile_incidents()
    frame.loc[frame.index[-1], "geo_precision"] = 3
    frame.loc[frame.index[-1], "region_id"] = "SY-DR"
    frame.loc[frame.index[-2], "geo_precision"] = 3
    frame.loc[frame.index[-2], "region_id"] = "SY-DR:south"
    page = tmp_path / "map.html"
    page.write_text(map_html(frame), encoding="utf-8")
    report = probe_page(page.as_uri(), open_popups=len(frame), screenshot=tmp_path / "map.png")
    assert report.ready
    assert report.markers == len(frame)
    assert report.external == [] and report.failed == [] and report.errors == []
    assert report.broken_images == 0
    assert report.dialogs == 0 and not report.pwned
    assert report.outlines > 10  # country + governorate outlines drawn, in their own pane
    regions = {r for r, p in zip(frame.region_id, frame.geo_precision) if p == 3 and r}
    assert report.regions == len(regions)
    texts = " ".join(p["text"] for p in report.popups)
    assert len(report.popups) == len(frame)
    assert "<script>window.__pwned=1;alert(1)</script>" in texts  # shown as text
    assert "{{ 7*7 }}" in texts
    hrefs = [h for p in report.popups for h in p["links"]]
    assert "https://example.org/ok?a=1&b=2" in hrefs
    assert not any(h.lower().startswith(("javascript:", "data:")) or '"' in h for h in hrefs)
    for popup in report.popups:
        assert "<script" not in popup["html"] and "<img src=x" not in popup["html"]


@pytest.mark.browser
def test_clustering_only_above_the_threshold(tmp_path):
    from tests._map_probe import probe_page

    frame = synthetic_incidents(600, seed=2)
    clustered = tmp_path / "clustered.html"
    clustered.write_text(map_html(frame, cluster_threshold=500), encoding="utf-8")
    plain = tmp_path / "plain.html"
    plain.write_text(map_html(frame, cluster_threshold=1000), encoding="utf-8")
    report = probe_page(clustered.as_uri())
    assert report.ready and 0 < report.markers < len(frame) and report.errors == []
    report = probe_page(plain.as_uri())
    assert report.ready and report.markers == len(frame) and report.errors == []


@pytest.mark.browser
def test_lazily_bound_popup_opens_on_click_and_shows_escaped_text(tmp_path):
    frame = hostile_incidents().iloc[:1]
    with offline_map_page(map_html(frame, lazy_popups_above=0), tmp_path / "lazy.html") as page:
        assert page.evaluate("() => __atlas.markers.getLayers()[0].getPopup()") is None
        page.click(".leaflet-marker-pane > img")
        text = page.locator(".ia-popup").inner_text()
        pwned = page.evaluate("() => !!window.__pwned")
    assert XSS[0] in text and not pwned


@pytest.mark.browser
def test_map_renders_inside_the_streamlit_folium_component(tmp_path, monkeypatch):
    """Feed st_folium's own frontend the arguments st_folium sends, as Streamlit would."""
    import streamlit_folium
    from streamlit_folium import st_folium

    from geo.map.assets import VENDOR_DIR
    from tests._map_probe import probe_page

    frame = hostile_incidents()
    captured = {}

    def fake_component(**kwargs):
        captured.update(kwargs)
        return kwargs.get("default")

    monkeypatch.setattr(streamlit_folium, "_component_func", fake_component)
    st_folium(build_map(frame, target="streamlit"), height=600, width=900, returned_objects=[])
    args = {k: v for k, v in captured.items() if k not in ("on_change", "key")}
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])

    frontend = Path(streamlit_folium.__file__).parent / "frontend" / "build"
    origin = "http://atlas.test"

    def serve(request_route):
        path = request_route.request.url[len(origin):].split("?")[0]
        if path.startswith("/app/static/vendor/"):
            file = VENDOR_DIR / path[len("/app/static/vendor/"):]
        else:
            file = frontend / path.lstrip("/").replace("component/", "", 1)
        if not file.is_file():
            return request_route.fulfill(status=404, body="missing")
        types = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".png": "image/png"}
        return request_route.fulfill(status=200, body=file.read_bytes(),
                                     headers={"Content-Type": types.get(file.suffix, "application/octet-stream"),
                                              "X-Content-Type-Options": "nosniff"})

    def render(page):
        page.wait_for_function("() => window.Streamlit !== undefined || document.readyState === 'complete'")
        page.evaluate("(args) => window.postMessage({type: 'streamlit:render', args: args, dfs: []}, '*')", args)

    report = probe_page(f"{origin}/component/index.html", routes={origin: serve}, before=render,
                        open_popups=len(frame), screenshot=tmp_path / "st_folium.png")
    assert report.ready, report.errors
    assert report.markers == len(frame)
    assert report.external == [] and report.failed == [] and report.errors == []
    assert report.dialogs == 0 and not report.pwned
    assert len(report.popups) == len(frame)


def test_server_side_popup_escapes_everything_and_keeps_only_http_links():
    from geo.map.popup import popup_html

    frame = hostile_incidents()
    for i in range(len(XSS)):
        text = popup_html(frame.iloc[i].to_dict())
        assert "<script" not in text and "<img" not in text and "<svg" not in text and "<iframe" not in text
        for href in re.findall(r'href="([^"]*)"', text):
            assert href.startswith(("https://", "http://")), href
    ok = popup_html(frame.iloc[3].to_dict())
    assert 'href="https://example.org/ok?a=1&amp;b=2"' in ok
    assert "&lt;script&gt;" in popup_html(frame.iloc[0].to_dict())
