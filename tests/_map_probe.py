"""Open a map page in headless Chromium with the network off and report what it shows.

Used by the map/snapshot tests and benchmarks: markers (``.leaflet-marker-pane > *``), incident
region shapes (``.leaflet-overlay-pane path``), requests that left the page or failed, script
errors, dialogs, and whether an injected script managed to set ``window.__pwned``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS

COUNT_JS = """() => ({
  markers: document.querySelectorAll('.leaflet-marker-pane > *').length,
  regions: document.querySelectorAll('.leaflet-overlay-pane path').length,
  outlines: document.querySelectorAll('.leaflet-iaOutlines-pane path').length,
  ready: window.__atlasReady === true,
  broken_images: Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).length,
  pwned: !!window.__pwned,
  title: (document.querySelector('.ia-title') || {}).textContent || '',
  legend: (document.querySelector('.ia-legend') || {}).textContent || '',
  north_arrow: !!document.querySelector('.ia-north'),
  scale_bar: !!document.querySelector('.leaflet-control-scale'),
  attribution: (document.querySelector('.leaflet-control-attribution') || {}).textContent || '',
})"""

OPEN_POPUPS_JS = """(limit) => {
  const a = window.__atlas; if (!a) return [];
  const texts = [];
  const markers = a.markers.getLayers();
  for (const m of markers.slice(0, limit)) {
    const content = m.getPopup() && m.getPopup().getContent();
    if (!content) continue;
    const popup = L.popup({autoPan: false}).setLatLng(m.getLatLng()).setContent(content).openOn(a.map);
    const box = popup.getElement().querySelector('.leaflet-popup-content');
    texts.push({text: box ? box.textContent : '', html: box ? box.innerHTML : '',
                links: box ? Array.from(box.querySelectorAll('a')).map(x => x.getAttribute('href')) : []});
  }
  a.map.closePopup();
  return texts;
}"""


@dataclass
class PageReport:
    """What the page showed."""

    markers: int = 0
    regions: int = 0
    outlines: int = 0
    ready: bool = False
    broken_images: int = 0
    title: str = ""
    legend: str = ""
    north_arrow: bool = False
    scale_bar: bool = False
    attribution: str = ""
    pwned: bool = False
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: int = 0
    popups: list[dict] = field(default_factory=list)


def probe_page(url: str, *, routes: dict[str, Callable] | None = None, open_popups: int = 0,
               viewport: tuple[int, int] = (1280, 900), screenshot: Path | None = None,
               before: Callable | None = None, timeout_s: float = 60) -> PageReport:
    """Load ``url`` (file:// or a routed fake origin) with every other request blocked."""
    from playwright.sync_api import sync_playwright

    report = PageReport()
    routes = routes or {}

    def route(r):
        url_ = r.request.url
        if url_.startswith(("file:", "data:", "blob:", "about:")):
            return r.continue_()
        for prefix, handler in routes.items():
            if url_.startswith(prefix):
                return handler(r)
        report.external.append(url_[:160])
        return r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.route("**/*", route)
            page.on("requestfailed", lambda r: report.failed.append(r.url[:160]))
            page.on("pageerror", lambda e: report.errors.append(str(e)[:300]))

            def on_dialog(d):
                report.dialogs += 1
                d.dismiss()

            page.on("dialog", on_dialog)
            page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            if before:
                before(page)
            deadline = time.time() + timeout_s
            while time.time() < deadline:
                counts = page.evaluate(COUNT_JS)
                if counts["ready"]:
                    break
                time.sleep(0.2)
            page.wait_for_timeout(300)
            counts = page.evaluate(COUNT_JS)
            for key, value in counts.items():
                setattr(report, key, value)
            if open_popups:
                report.popups = page.evaluate(OPEN_POPUPS_JS, open_popups)
                page.wait_for_timeout(300)
            report.pwned = bool(page.evaluate("() => !!window.__pwned"))
            if screenshot:
                page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    # blocked requests show up as failed too; keep "failed" for requests we let through
    report.failed = [u for u in report.failed if u not in report.external]
    return report
