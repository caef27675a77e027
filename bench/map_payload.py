"""Benchmark: filters -> map HTML ready, and map payload size, for 10k and 100k incidents.

Ours: geo.map.page.build_map (compact JSON, markers created in the browser) + what streamlit-folium
does with it (render, extract the script). Baseline in the same run: plain folium, one
``folium.Marker`` with an escaped popup per incident (server-side), same rendering path.
The baseline runs at 10k only by default (at 100k it takes minutes); --baseline-100k runs it too.

Usage: .venv/bin/python bench/map_payload.py [--sizes 10000 100000] [--acled CSV] [--baseline-100k]
       .venv/bin/python bench/map_payload.py --context [--sizes 0 5000] [--runs 5]   (size 0 = the bundled sample)
``--context`` measures what the offline context layers (rivers, lakes, districts, place names) add:
payload bytes and the time until the page is painted in Chromium, with vs without them (same run,
alternating, median of ``--runs``), at the fitted view and after a zoom to 11 over Daraa.
Incidents are invented (tests._map_demo) unless --acled names an ACLED CSV export, whose rows are
then repeated to reach each size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import folium  # noqa: E402
import pandas as pd  # noqa: E402
from streamlit_folium import _get_header, _get_html, _get_map_string  # noqa: E402

from tests._map_demo import synthetic_incidents  # noqa: E402
from geo.map.popup import popup_html  # noqa: E402
from geo.filters import Filters  # noqa: E402
from geo.map.page import build_map  # noqa: E402


def st_folium_payload(fmap: folium.Map) -> int:
    """Bytes streamlit-folium sends to the browser for this map (script + header + html)."""
    fmap.get_root().render()
    fmap.render()
    html, header = _get_html(fmap), _get_header(fmap)
    script = _get_map_string(fmap)
    return len(script.encode()) + len(header.encode()) + len(html.encode())


def ours(frame: pd.DataFrame, filters: Filters) -> tuple[float, int, int, float]:
    start, cpu = time.perf_counter(), time.process_time()
    shown = filters.apply(frame)
    fmap = build_map(shown, target="streamlit")
    payload = st_folium_payload(fmap)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    standalone = len(build_map(shown, target="standalone").get_root().render().encode())
    return elapsed, payload, standalone, cpu


def browser_ready(frame: pd.DataFrame) -> float:
    """Seconds from opening the standalone page in headless Chromium until every marker is placed."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(build_map(frame, target="standalone").get_root().render(), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            start = time.perf_counter()
            page.goto(page_file.as_uri())
            page.wait_for_function("() => window.__atlasReady === true", timeout=120_000)
            seconds = time.perf_counter() - start
            browser.close()
    return seconds


def paint_times(frame: pd.DataFrame, *, context: bool, page) -> tuple[float, float]:
    """(seconds to ready + painted, seconds to re-place labels after a zoom to 11 over Daraa) in ``page``."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "map.html"
        page_file.write_text(build_map(frame, target="standalone", context=context).get_root().render(),
                             encoding="utf-8")
        start = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_function("() => window.__atlasReady === true", timeout=120_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        first = time.perf_counter() - start
        start = time.perf_counter()
        page.evaluate("() => { __atlas.map.setView([32.62, 36.10], 11, {animate: false}); "
                      "return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))); }")
        return first, time.perf_counter() - start


def context_cost(frame: pd.DataFrame, runs: int) -> None:
    """Print the payload and paint-time cost of the context layers for ``frame``."""
    import statistics

    from playwright.sync_api import sync_playwright

    from geo.map.snapshot import CHROMIUM, CHROMIUM_ARGS

    sizes = {c: len(build_map(frame, target="streamlit", context=c).get_root().render().encode()) for c in (False, True)}
    times: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        paint_times(frame, context=True, page=page)  # warm-up
        for _ in range(runs):
            for c in (False, True):  # alternate: load changes hit both variants alike
                times[c].append(paint_times(frame, context=c, page=page))
        browser.close()
    for c in (False, True):
        first = statistics.median(t[0] for t in times[c])
        zoom = statistics.median(t[1] for t in times[c])
        print(f"{len(frame):>10} {'with context' if c else 'without context':<18} payload {sizes[c] / 1e6:6.3f} MB"
              f"   painted {first:6.3f} s   zoom 11 over Daraa {zoom:6.3f} s", flush=True)
    extra = statistics.median(t[0] for t in times[True]) - statistics.median(t[0] for t in times[False])
    print(f"{'':>10} {'context adds':<18} payload {(sizes[True] - sizes[False]) / 1e6:6.3f} MB   painted {extra:+6.3f} s",
          flush=True)


def baseline(frame: pd.DataFrame, filters: Filters) -> tuple[float, int]:
    start = time.perf_counter()  # wall clock: the baseline is 100x slower, load noise does not matter
    shown = filters.apply(frame)
    fmap = folium.Map(location=[35, 38.5], zoom_start=7)
    for row in shown.to_dict("records"):
        folium.Marker([row["latitude"], row["longitude"]], popup=folium.Popup(popup_html(row))).add_to(fmap)
    payload = st_folium_payload(fmap)
    return time.perf_counter() - start, payload


def frame_of(size: int, acled: str | None) -> pd.DataFrame:
    if not acled:
        return synthetic_incidents(size, seed=1)
    from geo.ingest import load  # the importer's reader (ACLED column mapping)

    base = load(acled).frame
    reps = -(-size // len(base))
    frame = pd.concat([base] * reps, ignore_index=True).iloc[:size].copy()
    frame["event_id"] = [f"{e}-{i}" for i, e in enumerate(frame["event_id"])]
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--acled", help="ACLED CSV export to repeat instead of invented incidents")
    parser.add_argument("--baseline-100k", action="store_true", help="also run the slow baseline above 10k")
    parser.add_argument("--browser", action="store_true",
                        help="also time the page in headless Chromium until all markers/clusters are placed")
    parser.add_argument("--context", action="store_true",
                        help="measure the offline context layers (payload and paint time, with vs without)")
    parser.add_argument("--runs", type=int, default=5, help="runs per variant for --context (median)")
    args = parser.parse_args()
    if args.context:
        for size in args.sizes:
            if size <= 0:
                from geo.paths import SAMPLE_DB
                from geo.store import open_store

                store = open_store(SAMPLE_DB)
                frame = store.read()
                store.close()
            else:
                frame = frame_of(size, args.acled)
            context_cost(frame, args.runs)
        return
    build_map(synthetic_incidents(10), target="streamlit")  # warm caches (outlines, icons, assets)
    filters = Filters(since=dt.date(2000, 1, 1))  # a real filter pass that keeps every incident
    print(f"{'incidents':>10} {'variant':<34} {'seconds':>8} {'payload MB':>11} {'standalone MB':>14}")
    for size in args.sizes:
        frame = frame_of(size, args.acled)
        cold, payload, standalone, _ = ours(frame, filters)  # first map of this data (shapes cached after)
        runs = [ours(frame, filters) for _ in range(2)]
        seconds, cpu = min(r[0] for r in runs), min(r[3] for r in runs)
        print(f"{size:>10} {'ours (JSON + client-side markers)':<34} {seconds:>8.2f} {payload / 1e6:>11.2f} "
              f"{standalone / 1e6:>14.2f}   (CPU {cpu:.2f} s; first call {cold:.2f} s)", flush=True)
        if args.browser:
            print(f"{size:>10} {'  in Chromium: markers placed after':<34} {browser_ready(frame):>8.2f}", flush=True)
        if size <= 10_000 or args.baseline_100k:
            seconds_b, payload_b = baseline(frame, filters)
            print(f"{size:>10} {'baseline (folium.Marker each)':<34} {seconds_b:>8.2f} {payload_b / 1e6:>11.2f} "
                  f"{'':>14}   -> ours is {seconds_b / seconds:.0f}x faster, {payload_b / payload:.1f}x smaller",
                  flush=True)
        else:
            print(f"{size:>10} {'baseline (folium.Marker each)':<34} {'skipped (minutes at this size; --baseline-100k)':>8}")


if __name__ == "__main__":
    main()
