"""Time playback as an animated GIF: the map's day or week window stepped through the period.

Each frame is the same picture as a PNG snapshot (:mod:`geo.map.snapshot`: standalone page, headless
Chromium, network blocked), drawn with the playback window set through ``window.__atlas.playback``;
Pillow joins the frames into a GIF. Nothing leaves the machine.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo.errors import GeoError, InputError

UNITS = ("day", "week")
MAX_FRAMES = 400


def _frames_html(incidents: pd.DataFrame, *, title: str | None, subtitle: str | None,
                 filters_text: str | None, highlight_ids: Sequence[str], generated_at, unit: str,
                 first: str) -> str:
    from geo.map._stamp import generated_line
    from geo.map.page import build_map
    from geo.map.snapshot import _texts

    title, subtitle = _texts(incidents, title, subtitle)
    fmap = build_map(incidents, target="standalone", highlight_ids=highlight_ids, cluster_threshold=500,
                     title=title, subtitle=subtitle, filters_text=filters_text,
                     generated_at=generated_line(generated_at), snapshot=True, legend=True,
                     playback_window=(first, unit))
    return fmap.get_root().render()


def snapshot_gif(incidents: pd.DataFrame, out_path: str | os.PathLike, *, unit: str = "week",
                 width: int = 1200, height: int = 800, frame_ms: int = 700, title: str | None = None,
                 subtitle: str | None = None, filters_text: str | None = None,
                 highlight_ids: Sequence[str] = (), generated_at: str | dt.datetime | None = None,
                 timeout_s: float = 120.0) -> tuple[Path, int]:
    """Write the playback of ``incidents`` (one frame per ``unit`` window) as an animated GIF.

    Returns the path and the number of frames. Needs the local Chromium (see
    :func:`geo.map.snapshot.chromium_available`).
    """
    from geo.map.snapshot import (
        CHROMIUM,
        _atomic_write,
        chromium_available,
        date_range_text,
    )

    if unit not in UNITS:
        raise InputError(f"playback window must be one of {', '.join(UNITS)}, not {unit!r}")
    if not (100 <= int(width) <= 4000 and 100 <= int(height) <= 4000):
        raise InputError(f"size {width}x{height} is outside 100..4000 pixels")
    if not len(incidents):
        raise InputError("no incidents to animate: the filters leave nothing")
    if not chromium_available():
        raise GeoError(f"an animation needs Chromium at {CHROMIUM} and Playwright")
    first = date_range_text(incidents)[:10]
    if not first:
        raise InputError("no incident has a date: nothing to play back")
    html = _frames_html(incidents, title=title, subtitle=subtitle, filters_text=filters_text,
                        highlight_ids=highlight_ids, generated_at=generated_at, unit=unit, first=first)
    frames = _render_frames(html, width=int(width), height=int(height), unit=unit, timeout_s=timeout_s)
    if not frames:
        raise GeoError("the map drew no animation frame")

    def write(tmp: Path) -> None:
        frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:], duration=int(frame_ms),
                       loop=0, optimize=False, disposal=1)

    return _atomic_write(Path(out_path), write), len(frames)


def _render_frames(html: str, *, width: int, height: int, unit: str, timeout_s: float) -> list:
    """Screenshots of every playback window, as palette images ready for a GIF."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS

    workdir = Path(tempfile.mkdtemp(prefix="atlas-gif-"))
    images = []
    try:
        page_file = workdir / "map.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": width, "height": height}, locale="en-US",
                                           timezone_id="UTC", reduced_motion="reduce").new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    ("file:", "data:", "blob:", "about:")) else r.abort())
                page.goto(page_file.as_uri(), wait_until="load", timeout=timeout_s * 1000)
                page.wait_for_function("() => window.__atlasReady === true", timeout=timeout_s * 1000)
                starts = page.evaluate(f"() => window.__atlas.playback ? window.__atlas.playback.frames({unit!r}) : []")
                palette = None
                for day in starts[:MAX_FRAMES]:
                    page.evaluate(f"() => window.__atlas.playback.show({int(day)}, {unit!r})")
                    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)",
                                           timeout=timeout_s * 1000)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    shot = Image.open(io.BytesIO(page.screenshot(type="png", animations="disabled"))).convert("RGB")
                    if palette is None:  # one palette for all frames: colours do not flicker
                        palette = shot.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
                    images.append(shot.quantize(palette=palette, dither=Image.Dither.NONE))
            finally:
                browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return images
