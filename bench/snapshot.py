"""Benchmark: seconds per snapshot (standalone HTML, PNG via Chromium, static PNG) and file sizes.

Sizes 1k and 100k invented incidents (tests._map_demo) by default. Baseline in the same run, at 1k:
plain folium with one ``folium.Marker`` per incident saved as HTML (``Map.save``) and screenshotted
by the same Chromium — note that offline that page stays blank (its scripts come from CDNs), which
is the problem the project's snapshots solve; its timing shows the cost of the naive route.

Usage: .venv/bin/python bench/snapshot.py [--sizes 1000 100000] [--width 1600 --height 1000]
       .venv/bin/python bench/snapshot.py --gif [--sizes 1000] [--width 1200 --height 800]
``--gif`` times the playback animation (one frame per week over the incidents' period; the same
Chromium renderer as PNG) against one PNG of the same map in the same run: seconds per frame.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium  # noqa: E402

from tests._map_demo import synthetic_incidents  # noqa: E402
from geo.map.popup import popup_html  # noqa: E402
from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS, chromium_available, snapshot_html, snapshot_png  # noqa: E402

FIXED = "Generated (benchmark) by Incident Atlas"


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    path = fn(*args, **kwargs)
    return time.perf_counter() - start, Path(path).stat().st_size


def naive_baseline(frame, out_dir: Path, width: int, height: int) -> tuple[float, int, float]:
    """folium.Marker per incident + Map.save + Chromium screenshot (network blocked)."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    fmap = folium.Map(location=[35, 38.5], zoom_start=7)
    for row in frame.to_dict("records"):
        folium.Marker([row["latitude"], row["longitude"]], popup=folium.Popup(popup_html(row))).add_to(fmap)
    html = out_dir / "naive.html"
    fmap.save(str(html))
    html_seconds = time.perf_counter() - start
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(html.as_uri(), wait_until="load")
        page.screenshot(path=str(out_dir / "naive.png"))
        browser.close()
    return html_seconds, html.stat().st_size, time.perf_counter() - start


def gif_bench(args) -> None:
    """Seconds per GIF frame vs one PNG of the same map (incidents over ~12 weeks)."""
    import datetime as dt

    from geo.map.animate import snapshot_gif

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for size in args.sizes:
            frame = synthetic_incidents(size, seed=1, start=dt.date(2018, 6, 1), days=84)
            png_s, png_b = timed(snapshot_png, frame, out / "one.png", width=args.width, height=args.height,
                                 renderer="chromium", generated_at=FIXED)
            start = time.perf_counter()
            path, frames = snapshot_gif(frame, out / "play.gif", unit="week", width=args.width, height=args.height,
                                        generated_at=FIXED)
            gif_s = time.perf_counter() - start
            print(f"{size:>10} one PNG {png_s:6.2f} s ({png_b / 1e6:.2f} MB) | GIF {frames} frames {gif_s:6.2f} s "
                  f"= {gif_s / frames:.2f} s/frame ({path.stat().st_size / 1e6:.2f} MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--gif", action="store_true", help="time the playback GIF (seconds per frame)")
    args = parser.parse_args()
    if args.gif:
        gif_bench(args)
        return
    snapshot_html(synthetic_incidents(10), Path(tempfile.mkdtemp()) / "warm.html")  # warm caches
    print(f"{'incidents':>10} {'output':<40} {'seconds':>8} {'size MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for size in args.sizes:
            frame = synthetic_incidents(size, seed=1)
            rows = [("standalone HTML", timed(snapshot_html, frame, out / f"{size}.html", generated_at=FIXED))]
            if chromium_available():
                rows.append((f"PNG {args.width}x{args.height} (Chromium)", timed(
                    snapshot_png, frame, out / f"{size}.png", width=args.width, height=args.height,
                    renderer="chromium", generated_at=FIXED)))
            rows.append((f"PNG {args.width}x{args.height} (static, matplotlib)", timed(
                snapshot_png, frame, out / f"{size}-static.png", width=args.width, height=args.height,
                renderer="static", generated_at=FIXED)))
            rows.append(("PDF (static)", timed(snapshot_png, frame, out / f"{size}.pdf", width=args.width,
                                               height=args.height, renderer="static", generated_at=FIXED)))
            for name, (seconds, nbytes) in rows:
                print(f"{size:>10} {name:<40} {seconds:>8.2f} {nbytes / 1e6:>8.2f}", flush=True)
            if size <= 1000 and chromium_available():
                html_s, html_b, total = naive_baseline(frame, out, args.width, args.height)
                print(f"{size:>10} {'baseline: folium.Marker each, HTML':<40} {html_s:>8.2f} {html_b / 1e6:>8.2f}"
                      "   (needs CDNs: blank offline)")
                print(f"{size:>10} {'baseline: + Chromium PNG':<40} {total:>8.2f} {'':>8}   (blank offline)",
                      flush=True)


if __name__ == "__main__":
    main()
