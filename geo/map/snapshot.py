"""Map snapshots: one standalone offline HTML file, or a PNG/SVG/PDF picture of the map.

* :func:`snapshot_html` — the interactive map in one file: every script, style and icon inlined,
  so it opens offline in any browser (no request leaves the file).
* :func:`snapshot_png` — the same map rendered by a headless Chromium (Debian ``/usr/bin/chromium``
  driven by Playwright, network blocked), with title, dates/filters, legend, scale bar, north arrow,
  attribution and a generated-at line. Without Chromium (or with ``renderer="static"``) a
  matplotlib rendering of the same content is written instead (PNG, SVG or PDF).

Same data + same options (and a fixed ``generated_at``) give the same picture.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Literal, Sequence

import pandas as pd

from geo.errors import GeoError, InputError
from geo.map._stamp import generated_line

CHROMIUM = os.environ.get("INCIDENT_ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--font-render-hinting=none", "--force-color-profile=srgb"]
Renderer = Literal["auto", "chromium", "static"]
STATIC_FORMATS = (".png", ".svg", ".pdf")
#: A file sent to a colleague shows every incident as its own marker up to this many (then clusters).
HTML_CLUSTER_THRESHOLD = 5000


def _atomic_write(out_path: Path, write) -> Path:
    """Call ``write(tmp_path)`` then move the result into place (never a half-written file)."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.stem}-", suffix=out_path.suffix, dir=out_path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path


def date_range_text(incidents: pd.DataFrame) -> str:
    """"2020-05-01 to 2020-05-31" for the incidents' dates ("" when there are none)."""
    if len(incidents) == 0 or "event_date" not in incidents:
        return ""
    start = pd.to_datetime(incidents["event_date"], errors="coerce")
    end = pd.to_datetime(incidents["date_end"], errors="coerce").fillna(start) if "date_end" in incidents else start
    if start.notna().sum() == 0:
        return ""
    first, last = start.min().date().isoformat(), end.max().date().isoformat()
    return first if first == last else f"{first} to {last}"


def _texts(incidents: pd.DataFrame, title: str | None, subtitle: str | None) -> tuple[str, str]:
    title = title or "Incident Atlas"
    dates = date_range_text(incidents)
    if subtitle is None:
        subtitle = f"Incidents {dates}" if dates else "No incidents"
    return title, subtitle


def snapshot_html(incidents: pd.DataFrame, out_path: str | os.PathLike, *, title: str | None = None,
                  subtitle: str | None = None, filters_text: str | None = None, tiles: bool = False,
                  highlight_ids: Sequence[str] = (), cluster_threshold: int = HTML_CLUSTER_THRESHOLD,
                  generated_at: str | dt.datetime | None = None) -> Path:
    """Write the interactive map of ``incidents`` as one offline HTML file; returns its path.

    Up to ``cluster_threshold`` incidents every incident is its own marker element (a reader can
    count them); above it markers are clustered.
    """
    from geo.map.page import build_map

    title, subtitle = _texts(incidents, title, subtitle)
    fmap = build_map(incidents, target="standalone", tiles=tiles, highlight_ids=highlight_ids,
                     cluster_threshold=cluster_threshold, title=title, subtitle=subtitle,
                     filters_text=filters_text, generated_at=generated_line(generated_at))
    html = fmap.get_root().render()
    html = html.replace("<head>", f"<head>\n<title>{_escape(title)}</title>", 1)
    return _atomic_write(Path(out_path), lambda tmp: tmp.write_text(html, encoding="utf-8"))


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def chromium_available() -> bool:
    """True when the Debian Chromium and Playwright for Python are both installed."""
    if not (Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK)):
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_renderer(renderer: str, suffix: str) -> str:
    """The renderer actually used for an output file type (``auto`` -> Chromium for PNG and PDF when present:
    those pictures carry the place names, districts, rivers and the locator inset)."""
    if renderer not in ("auto", "chromium", "static"):
        raise InputError(f"unknown renderer {renderer!r} (use auto, chromium or static)")
    if suffix == ".svg":
        if renderer == "chromium":
            raise InputError("SVG snapshots come from the static renderer: use --renderer static or auto")
        return "static"
    if renderer == "auto":
        return "chromium" if suffix in (".png", ".pdf") and chromium_available() else "static"
    if renderer == "chromium" and not chromium_available():
        raise GeoError(f"Chromium not found at {CHROMIUM} (or Playwright missing): use --renderer static")
    return renderer


def snapshot_png(incidents: pd.DataFrame, out_path: str | os.PathLike, *, width: int = 1600,
                 height: int = 1000, scale: float = 1.0, renderer: Renderer = "auto",
                 title: str | None = None, subtitle: str | None = None, filters_text: str | None = None,
                 tiles: bool = False, highlight_ids: Sequence[str] = (), cluster_threshold: int = 500,
                 generated_at: str | dt.datetime | None = None, legend: bool = True,
                 timeout_s: float = 120.0) -> Path:
    """Write a picture of the map: PNG (Chromium or static), SVG or PDF (static; PDF also Chromium).

    ``width``/``height`` are CSS pixels of the map page; ``scale`` multiplies the pixel density
    (e.g. A4 at 300 dpi: width=1170, height=827, scale=3.0 -> 3510x2481 px). With ``renderer="auto"``
    a PNG comes from Chromium when it is installed and starts, else from the static renderer.
    """
    return snapshot_picture(incidents, out_path, width=width, height=height, scale=scale, renderer=renderer,
                            title=title, subtitle=subtitle, filters_text=filters_text, tiles=tiles,
                            highlight_ids=highlight_ids, cluster_threshold=cluster_threshold,
                            generated_at=generated_at, legend=legend, timeout_s=timeout_s)[0]


def snapshot_picture(incidents: pd.DataFrame, out_path: str | os.PathLike, *, width: int = 1600,
                     height: int = 1000, scale: float = 1.0, renderer: Renderer = "auto",
                     title: str | None = None, subtitle: str | None = None, filters_text: str | None = None,
                     tiles: bool = False, highlight_ids: Sequence[str] = (), cluster_threshold: int = 500,
                     generated_at: str | dt.datetime | None = None, legend: bool = True,
                     timeout_s: float = 120.0) -> tuple[Path, str]:
    """:func:`snapshot_png`, also returning the renderer that drew it (``"chromium"`` or ``"static"``)."""
    out_path = Path(out_path)
    suffix = out_path.suffix.lower()
    if suffix not in STATIC_FORMATS:
        raise InputError(f"picture snapshots are .png, .svg or .pdf, not {suffix or 'no extension'!r}",
                         file=str(out_path))
    if not (100 <= int(width) <= 10000 and 100 <= int(height) <= 10000):
        raise InputError(f"size {width}x{height} is outside 100..10000 pixels")
    if not 0.25 <= float(scale) <= 8:
        raise InputError(f"scale {scale} is outside 0.25..8")
    title, subtitle = _texts(incidents, title, subtitle)
    generated = generated_line(generated_at)
    chosen = resolve_renderer(renderer, suffix)

    def static() -> Path:
        from geo.map.static_render import render_static

        return _atomic_write(out_path, lambda tmp: render_static(
            incidents, tmp, width=int(width), height=int(height), scale=float(scale), title=title,
            subtitle=subtitle, filters_text=filters_text, generated=generated,
            highlight_ids=highlight_ids, tiles_note=tiles, legend=legend))

    if chosen == "static":
        return static(), "static"
    from geo.map.page import build_map

    fmap = build_map(incidents, target="standalone", tiles=tiles, highlight_ids=highlight_ids,
                     cluster_threshold=cluster_threshold, title=title, subtitle=subtitle,
                     filters_text=filters_text, generated_at=generated, snapshot=True, legend=legend)
    html = fmap.get_root().render()
    try:
        path = _atomic_write(out_path, lambda tmp: _chromium_shot(
            html, tmp, width=int(width), height=int(height), scale=float(scale), allow_tiles=tiles,
            timeout_s=timeout_s, pdf=suffix == ".pdf"))
    except Exception as exc:  # e.g. the browser cannot start here: auto mode still delivers a picture
        if renderer != "auto":
            if isinstance(exc, GeoError):
                raise
            raise GeoError(f"Chromium could not draw the map ({type(exc).__name__}: {str(exc)[:200]}); "
                           "try --renderer static") from exc
        print(f"warning: Chromium failed ({type(exc).__name__}: {str(exc)[:200]}); "
              "drawing the picture with the static renderer", file=sys.stderr)
        return static(), "static"
    return path, "chromium"


def _chromium_shot(html: str, out: Path, *, width: int, height: int, scale: float, allow_tiles: bool,
                   timeout_s: float, pdf: bool) -> None:
    """Open the standalone page from a local file in headless Chromium and screenshot it."""
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="atlas-snap-"))
    try:
        page_file = workdir / "map.html"
        page_file.write_text(html, encoding="utf-8")

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                return r.continue_()
            if allow_tiles and (urlparse(url).hostname or "").endswith("tile.openstreetmap.org"):
                return r.continue_()
            return r.abort()

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=scale, locale="en-US",
                                              timezone_id="UTC", reduced_motion="reduce")
                page = context.new_page()
                page.route("**/*", route)
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(page_file.as_uri(), wait_until="load", timeout=timeout_s * 1000)
                try:
                    page.wait_for_function("() => window.__atlasReady === true", timeout=timeout_s * 1000)
                except Exception as exc:
                    raise GeoError("the map did not finish drawing in Chromium"
                                   + (f": {errors[0]}" if errors else "")) from exc
                # every marker/legend image decoded, then two frames so the last layout is painted
                page.wait_for_function(
                    "() => Array.from(document.images).every(i => i.complete)", timeout=timeout_s * 1000)
                if allow_tiles:
                    page.wait_for_timeout(1500)
                page.evaluate("() => document.fonts.ready.then(() => true)")  # the inlined font is in use
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                if os.environ.get("INCIDENT_ATLAS_DEBUG_TIMINGS"):
                    print("atlas timings (ms):", page.evaluate("() => window.__atlasTimings"), file=sys.stderr)
                if pdf:
                    page.pdf(path=str(out), width=f"{width}px", height=f"{height}px", print_background=True,
                             page_ranges="1")
                else:
                    page.screenshot(path=str(out), full_page=False, animations="disabled", type="png")
            finally:
                browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
