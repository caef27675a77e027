"""The map's time playback inside the real dashboard (issue 16): the window comes from and goes to the
page's address, and the map shows exactly the incidents of the window and its faded trail."""

from __future__ import annotations


import pytest

from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS
from tests.test_dashboard_e2e import sample_server  # noqa: F401 (fixture)

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_url(sample_server):
    """The dashboard on a temporary copy of the bundled sample store (shared with the other e2e tests)."""
    return sample_server["url"]


def _map(page):
    page.wait_for_selector(MAP_IFRAME, timeout=90_000)
    frame = page.query_selector(MAP_IFRAME).content_frame()
    frame.wait_for_function("() => window.__atlasReady === true && !!window.__atlas.playback", timeout=90_000)
    return frame


def test_playback_window_from_the_address_and_back_into_it(sample_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")) else r.abort())
            page.goto(sample_url + "?window=2018-06-15/week", wait_until="load")
            frame = _map(page)
            frame.wait_for_function("() => document.querySelector('.leaflet-container')"
                                    ".getAttribute('data-atlas-window') === '2018-06-15/week'", timeout=60_000)
            shown = frame.evaluate("() => document.querySelectorAll('.leaflet-marker-pane > *').length")
            expected = int(frame.evaluate("() => document.querySelector('.leaflet-container')"
                                          ".getAttribute('data-atlas-window-count')"))
            assert 0 < shown == expected < 263
            frame.click('[data-testid="atlas-playback"] button[title="Next window"]')
            page.wait_for_function("() => location.search.includes('window=2018-06-22')", timeout=30_000)
        finally:
            browser.close()
