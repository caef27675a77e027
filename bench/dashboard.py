"""Dashboard benchmark: server time per filter change, map payload, first paint in Chromium.

For 10k and 100k synthetic incidents (invented, random over Syria's bounding box):
* server time per filter change = the rows, summary metrics and timeline from the in-memory index
  (geo.query.index, as dashboard.py does for a file store) + build_map + the incidents' script the
  dashboard sends on a filter change (geo.map.streamlit_args.layer_script, cached per filter state)
  — what happens between a widget change and the map being ready to send; the previous release's
  pipeline (Filters.apply on every loaded row + metrics + timeline + the same map) runs side by side;
* payload = bytes sent per filter change: ours, the incidents' script (the map page itself, ~0.5 MB of
  basemap and context, is sent once per store); the previous pipeline's, the whole st_folium arguments;
* baseline in the same run: a plain folium.Map with one folium.Marker (with popup) per incident,
  rendered as st_folium does;
* first paint: the dashboard started as the checkout's README does (``python -m geo serve``, which warms
  the caches up while the server starts; ``streamlit run dashboard.py`` before that command existed) on a
  store of N incidents, navigating as soon as the server answers its health check, headless Chromium (network
  blocked except localhost) from navigation until the map shows markers/clusters/count bubbles, then
  (second visit) from picking "Battles" in the event-type filter until the new map shows them, and the
  Streamlit server's peak resident memory (VmHWM) after both visits and the page's JS heap; then one more
  cold visit on a fresh server of each checkout (the first one, right after the import, also wrote the
  store's columnar snapshot; this one reads it), with the server's CPU seconds for the cold visit;
  ``--previous`` measures a checkout of the previous release on the same store in the same run;
  ``--cold-repeats N`` (with ``--stores``) measures only fresh-server cold visits, alternating checkouts;
  ``--warm-repeats N`` only warm visits (N rounds: a fresh server per checkout, one uncounted cold visit,
  then 4 warm visits each in a new browser profile, then 4 in one profile that keeps its HTTP cache, as a
  returning visitor's browser does), alternating checkouts;
  ``--script-runs N`` only the CPU seconds of the first script run of a fresh process (Streamlit's AppTest).
* our payload above 20,000 incidents is the large-view map (geo.map.large_view: bubbles per cell).

Usage: .venv/bin/python bench/dashboard.py [--sizes 10000 100000] [--baseline-max 100000] [--no-browser]
                                          [--stores DIR_WITH_SIZE_SUBDIRS] [--no-server]
                                          [--previous /path/to/checkout-of-the-previous-release]
                                          [--cold-repeats N] [--warm-repeats N] [--script-runs N]
                                          (the last three with --stores: only those measures)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import query, taxonomy  # noqa: E402
from geo.admin1 import all_admin1  # noqa: E402
from geo.filters import Filters  # noqa: E402
from geo.schema import COLUMNS  # noqa: E402

ACTORS = [f"Synthetic Group {i:02d}" for i in range(60)]


def synthetic(n: int, seed: int = 7):
    """``n`` invented incidents (schema columns + geometry), deterministic for a seed."""
    import geopandas as gpd

    rng = np.random.default_rng(seed)
    subs = taxonomy.sub_event_types()
    pick = rng.integers(0, len(subs), n)
    units = [u for u in all_admin1() if u.country == "SY"]
    unit = rng.integers(0, len(units), n)
    lat = rng.uniform(32.4, 37.2, n)
    lon = rng.uniform(35.8, 42.2, n)
    start = np.datetime64("2024-01-01")
    dates = start + rng.integers(0, 730, n).astype("timedelta64[D]")
    frame = pd.DataFrame({c: None for c in COLUMNS}, index=range(n))
    frame["event_id"] = [f"SYN{i}" for i in range(n)]
    frame["event_date"] = pd.to_datetime(dates)
    frame["time_precision"] = 1
    frame["event_type"] = [subs[i].event_type for i in pick]
    frame["sub_event_type"] = [subs[i].sub_event_type for i in pick]
    frame["kind"] = [subs[i].kind for i in pick]
    frame["actor1"] = np.array(ACTORS)[rng.integers(0, len(ACTORS), n)]
    frame["actor2"] = np.where(rng.random(n) < 0.5, np.array(ACTORS)[rng.integers(0, len(ACTORS), n)], None)
    frame["country"] = "SY"
    frame["admin1"] = [units[i].name for i in unit]
    frame["admin1_iso"] = [units[i].iso for i in unit]
    frame["location"] = [f"Place {i % 900}" for i in range(n)]
    frame["latitude"], frame["longitude"] = lat, lon
    frame["geo_precision"] = rng.choice([1, 1, 1, 2, 2, 3], n)
    frame["region_id"] = np.where(frame["geo_precision"] == 3, frame["admin1_iso"], None)
    frame["fatalities"] = rng.poisson(0.8, n)
    frame["count"] = 1
    frame["source"] = np.array(["Synthetic Wire", "Synthetic Monitor", "Synthetic Daily"])[rng.integers(0, 3, n)]
    frame["notes"] = [f"Synthetic incident number {i} for the benchmark; no real event." for i in range(n)]
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def filter_changes(frame) -> list[Filters]:
    """A sequence of filter states like an analyst's clicks."""
    actors = query.actor_counts(frame).index
    return [
        Filters(),
        Filters(since=dt.date(2025, 1, 1)),
        Filters(since=dt.date(2025, 1, 1), types=("Battles",)),
        Filters(since=dt.date(2025, 1, 1), types=("Battles",), actors=(actors[0],)),
        Filters(regions=("SY-DR", "SY-ID")),
        Filters(text="number 12"),
    ]


def st_folium_args(fmap) -> int:
    """Render the map as st_folium does and return the size (bytes) of what it sends to the browser."""
    import streamlit_folium as sf

    fmap.get_root().render()
    fmap.render()
    html, header = sf._get_html(fmap), sf._get_header(fmap)
    script = sf._get_map_string(fmap)
    return len(script.encode()) + len(header.encode()) + len(html.encode())


def _map_bytes(view) -> int:
    from geo.map.page import build_map
    from geo.map.streamlit_args import component_args

    args = component_args(build_map(view, target="streamlit", tiles=False))
    return sum(len(args[k].encode()) for k in ("script", "header", "html"))


def _our_map_bytes(view) -> int:
    """What this dashboard sends on a filter change: the script of the incidents only (count bubbles for
    the opening view above the large-view threshold, every incident below it), drawn in the map page the
    browser already has (geo.map.streamlit_args.layer_script; that page is sent once per store)."""
    from geo.map.aggregate import LARGE_VIEW_THRESHOLD
    from geo.map.large_view import large_map
    from geo.map.page import build_map
    from geo.map.streamlit_args import layer_script

    fmap = build_map(view, target="streamlit", tiles=False) if len(view) <= LARGE_VIEW_THRESHOLD else large_map(view)
    return len(layer_script(fmap).encode())


def ours(index, filters: Filters) -> tuple[float, int, int]:
    """Server work for one filter change with the dashboard's pipeline on a file store: the rows, metrics
    and timeline from the in-memory index (geo.query.index), then the map: (seconds, payload bytes, shown)."""
    t0 = time.perf_counter()
    selection = index.select(filters)
    view = selection.frame()
    selection.summary()
    selection.timeline("week")
    size = _our_map_bytes(view)
    return time.perf_counter() - t0, size, len(view)


def previous(frame, filters: Filters) -> tuple[float, int, int]:
    """The same filter change as the previous release did it: ``Filters.apply`` on every loaded row, then
    metrics and timeline of the rows, then the same map."""
    t0 = time.perf_counter()
    view = filters.apply(frame)
    query.summarize(view)
    query.timeline(view, "week")
    size = _map_bytes(view)
    return time.perf_counter() - t0, size, len(view)


def baseline(frame, filters: Filters) -> tuple[float, int, int]:
    """The same filter change with one plain folium.Marker (with popup) per incident."""
    import folium

    t0 = time.perf_counter()
    view = filters.apply(frame)
    query.summarize(view)
    query.timeline(view, "week")
    fmap = folium.Map(location=[35, 38.5], zoom_start=7, tiles=None)
    for row in view[["latitude", "longitude", "event_date", "kind", "actor1", "notes"]].itertuples():
        folium.Marker([row.latitude, row.longitude],
                      popup=folium.Popup(f"{row.event_date:%Y-%m-%d} {row.kind} {row.actor1}: {row.notes}")
                      ).add_to(fmap)
    size = st_folium_args(fmap)
    return time.perf_counter() - t0, size, len(view)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# markers, clusters or (large-view mode) count bubbles on the map
PAINTED_JS = "() => document.querySelectorAll('.leaflet-marker-pane > *, .ia-agg').length"


# a map page that redraws in place (assets/atlas/swap.js) counts its drawings; a remounted one starts anew
RENDERS_JS = "() => +((document.querySelector('.ia-map') || {getAttribute: () => 0}).getAttribute('data-atlas-renders') || 0)"
DRAWN_JS = "(n) => +((document.querySelector('.ia-map') || {getAttribute: () => 0}).getAttribute('data-atlas-renders') || 0) > n"


def _wait_painted(page, t0: float, skip_marked: bool = False) -> float:
    """Seconds since ``t0`` until a map iframe (not one marked old, if ``skip_marked``) shows markers,
    or a marked one has drawn again in place (its ``data-atlas-renders`` went up)."""
    while time.perf_counter() - t0 < 120:
        for handle in page.query_selector_all(MAP_IFRAME):
            try:
                frame_ = handle.content_frame()
                if skip_marked and handle.evaluate("e => e.__benchOld === true"):
                    seen = handle.evaluate("e => e.__benchRenders")
                    if frame_ and frame_.evaluate(DRAWN_JS, seen) and frame_.evaluate(PAINTED_JS) > 0:
                        return time.perf_counter() - t0
                    continue
                if frame_ and frame_.evaluate(PAINTED_JS) > 0:
                    return time.perf_counter() - t0
            except Exception:  # the iframe is still loading or was just replaced
                pass
        time.sleep(0.05)
    return float("nan")


def _paint(browser, url: str, change: bool = False, context=None) -> tuple[float, float]:
    """(seconds from navigation to a painted map, seconds from a filter change — one event type picked
    in the sidebar — to the new map painted; NaN unless ``change``). Each visit is a new browser profile
    (nothing cached, requests outside this machine refused), or with ``context`` a new tab of that profile,
    which keeps its HTTP cache like a returning visitor's browser (interception would disable the cache, so
    there the browser's host rules refuse other hosts: see :func:`_chromium`)."""
    if context is not None:
        page = context.new_page()
    else:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda r: r.continue_() if (urlparse(r.request.url).hostname or "")
                   in {"127.0.0.1", "localhost"} else r.abort())
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    elapsed = _wait_painted(page, t0)
    global _last_drawn_s
    _last_drawn_s = _drawn_in_page(page)
    changed = float("nan")
    if change and elapsed == elapsed:
        try:
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=60000)
            for handle in page.query_selector_all(MAP_IFRAME):
                renders = handle.content_frame().evaluate(RENDERS_JS)
                handle.evaluate("(e, n) => { e.__benchOld = true; e.__benchRenders = n; }", renders)
            box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
                has_text="Event type")
            box.locator("input").click()
            box.locator("input").fill("Battles")
            option = page.locator('[role="option"]').filter(has_text="Battles").first
            option.wait_for(timeout=30000)
            t1 = time.perf_counter()
            option.click()
            changed = _wait_painted(page, t1, skip_marked=True)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            print(f"  (filter change not measured: {exc.__class__.__name__}: {str(exc)[:120]})", flush=True)
    global _browser_heap_mb
    try:  # the page's JS heap (the map iframe is same-origin, so it is counted in it)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        _browser_heap_mb = max(_browser_heap_mb, metrics.get("JSHeapUsedSize", 0) / 2 ** 20)
    except Exception:  # noqa: BLE001 - a benchmark reports, it does not stop
        pass
    page.close()
    return elapsed, changed


_browser_heap_mb = 0.0
_last_drawn_s = float("nan")

# The moment the map page's first drawing of the incidents was in its document, by the page's own clock
# (a User Timing mark of assets/atlas/swap.js), in seconds from the main page's navigation start; NaN for a
# checkout without the mark. Polling from outside sees it later whenever the page is busy (it waits for the
# renderer's main thread), so both are reported.
_DRAWN_JS = ("() => { const m = performance.getEntriesByName('atlas-drawn-1')[0];"
             " return m ? performance.timeOrigin + m.startTime : 0; }")


def _drawn_in_page(page) -> float:
    try:
        origin = page.evaluate("performance.timeOrigin")
        for handle in page.query_selector_all(MAP_IFRAME):
            drawn = handle.content_frame().evaluate(_DRAWN_JS)
            if drawn:
                return (drawn - origin) / 1000
    except Exception:  # noqa: BLE001 - a benchmark reports, it does not stop
        pass
    return float("nan")


def _peak_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def import_store(frame, folder: Path) -> tuple[Path, float, float]:
    """Import ``frame`` into a new GeoPackage in ``folder``: (path, seconds, file size in MB)."""
    from geo.store import open_store

    db = folder / "bench.gpkg"
    started = time.perf_counter()
    with open_store(str(db)) as store:
        store.upsert(frame)
    return db, time.perf_counter() - started, db.stat().st_size / 1e6


def store_steps(db: Path) -> str:
    """CPU seconds of what a dashboard's first visitor waits for on a file store: the full read that writes
    the columnar snapshot (first read after an import), a read from the snapshot, the index build."""
    from geo.query.index import IncidentIndex
    from geo.store import open_store

    out = []
    for label in ("read, writing the snapshot", "read from the snapshot"):
        with open_store(str(db)) as store:
            started = time.process_time()
            frame = store.read_frame()
            out.append(f"{label} {time.process_time() - started:.2f} s")
    started = time.process_time()
    IncidentIndex(frame)
    out.append(f"index build {time.process_time() - started:.2f} s (CPU)")
    from geo.store._columnar import snapshot_path

    size_mb = snapshot_path(db).stat().st_size / 1e6
    snapshot_path(db).unlink()  # the first cold paint below starts, as after an import, without one
    return ", ".join(out) + f"; snapshot {size_mb:.0f} MB"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` (and its waited-for children)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


_server_cpu_s = float("nan")
_server_ready_s = float("nan")


def _server_command(root: Path) -> list[str]:
    """How the checkout ``root``'s README starts the dashboard: ``python -m geo serve`` (the caches are warmed
    up while the server starts) where that command exists, ``streamlit run dashboard.py`` before it."""
    if (root / "geo" / "commands" / "serve.py").exists():
        return [sys.executable, "-m", "geo", "serve"]
    return [str(Path(sys.executable).with_name("streamlit")), "run", "dashboard.py"]


@contextlib.contextmanager
def _dashboard(db: Path, root: Path):
    """A freshly started dashboard of checkout ``root`` on store ``db``: yields (base URL, server process) as
    soon as it answers its health check (the seconds that took are left in ``_server_ready_s``)."""
    global _server_ready_s
    with tempfile.TemporaryDirectory(prefix="atlas-bench-user-") as tmp:
        port = _free_port()
        env = dict(os.environ, INCIDENT_ATLAS_DB=str(db), INCIDENT_ATLAS_USER_DB=str(Path(tmp) / "u.gpkg"))
        launched = time.perf_counter()
        proc = subprocess.Popen([*_server_command(root), "--server.headless", "true", "--server.port", str(port),
                                 "--server.address", "127.0.0.1"], cwd=root, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            for _ in range(2400):
                try:
                    urllib.request.urlopen(url + "_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.05)
            _server_ready_s = time.perf_counter() - launched
            yield url, proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _chromium(p):
    """Headless Debian Chromium that resolves no host name but this machine's."""
    return p.chromium.launch(executable_path="/usr/bin/chromium",
                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                   "--disable-component-update", "--disable-sync", "--no-first-run",
                                   "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"])


def first_paint(db: Path, root: Path = ROOT, warm: bool = True) -> tuple[float, float, float, float, float]:
    """Seconds from navigation to a map with markers in headless Chromium, for the dashboard.py of ``root``
    (this checkout, or a checkout of the previous release) on the store ``db``: (cold, warm, filter change
    to map painted, server peak RSS MB, browser page JS heap MB); with ``warm`` False only the cold visit.

    Cold: the first visitor of a freshly started server (store read, index, facets, map all computed).
    Warm: a second visitor (new browser page) while the server's caches hold the data and the map.
    The server's CPU seconds from navigation to the cold paint are left in ``_server_cpu_s`` (less noisy
    than wall-clock seconds on a shared machine).
    """
    global _browser_heap_mb, _server_cpu_s
    _browser_heap_mb = 0.0
    from playwright.sync_api import sync_playwright

    with _dashboard(db, root) as (url, proc), sync_playwright() as p:
        b = _chromium(p)
        cpu0 = _cpu_seconds(proc.pid)
        cold, _ = _paint(b, url)
        _server_cpu_s = _cpu_seconds(proc.pid) - cpu0
        warm_s, change = _paint(b, url, change=True) if warm else (float("nan"), float("nan"))
        b.close()
        return cold, warm_s, change, _peak_rss_mb(proc.pid), _browser_heap_mb


def warm_rows(n: int, db: Path, previous_root: Path | None, rounds: int, visits: int = 4) -> None:
    """Warm first paints, alternating checkouts: per round and checkout a fresh server, one cold visit (not
    counted), then ``visits`` visits each in a new browser profile (also timed by the page's own mark where the
    checkout sets it), then ``visits`` in one profile that keeps its cache; the median and minimum of each."""
    from playwright.sync_api import sync_playwright

    roots = [("this checkout", ROOT)] + ([(f"previous ({previous_root})", previous_root)] if previous_root else [])
    seen: dict[str, list[float]] = {}
    with sync_playwright() as p:
        b = _chromium(p)
        for rep in range(rounds):
            for label, root in roots if rep % 2 == 0 else roots[::-1]:
                with _dashboard(db, root) as (url, _):
                    _paint(b, url)
                    fresh, drawn = [], []
                    for _ in range(visits):
                        fresh.append(_paint(b, url)[0])
                        drawn.append(_last_drawn_s)
                    returning = b.new_context(viewport={"width": 1400, "height": 1000})
                    _paint(b, url, context=returning)  # fills this profile's cache
                    again = [_paint(b, url, context=returning)[0] for _ in range(visits)]
                    returning.close()
                kinds = [("new browser profile", fresh), ("returning browser", again)]
                if not any(np.isnan(drawn)):
                    kinds.append(("new browser profile, drawn by the page's own clock", drawn))
                for kind, runs in kinds:
                    seen.setdefault(f"{label}, {kind}", []).extend(runs)
                    print(f"{n} | warm first paint, {label}, {kind} | {' '.join(f'{r:.2f}' for r in runs)} s | "
                          f"load average {os.getloadavg()[0]:.1f}", flush=True)
        b.close()
    for label, runs in seen.items():
        print(f"{n} | warm first paint, {label}, median of {len(runs)} | {np.median(runs):.2f} s "
              f"(min {min(runs):.2f})", flush=True)


# One script run of a checkout's dashboard.py in a fresh process (Streamlit's AppTest, the server's modules
# imported first): CPU and wall seconds of the run and how many modules it imported. argv: root, store.
_SCRIPT_RUN = """
import os, sys, time
root, db = sys.argv[1], sys.argv[2]
os.chdir(root); sys.path.insert(0, root)
os.environ.update(INCIDENT_ATLAS_DB=db, INCIDENT_ATLAS_USER_DB=os.path.join(sys.argv[3], "u.gpkg"))
import streamlit.web.bootstrap, streamlit.web.server  # what a started server holds before its first run
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(os.path.join(root, "dashboard.py"), default_timeout=900)
before = len(sys.modules)
wall, cpu = time.perf_counter(), time.process_time()
at.run()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
assert not at.exception, [e.value for e in at.exception]
print(f"{cpu:.3f} {wall:.3f} {len(sys.modules) - before}")
"""


def script_rows(n: int, db: Path, previous_root: Path | None, repeats: int) -> None:
    """CPU seconds of the first script run of a fresh process (what a fresh server's first visitor waits
    for on the server), ``repeats`` times per checkout, alternating; one unmeasured run each first (it
    writes the disk caches)."""
    roots = [("this checkout", ROOT)] + ([(f"previous ({previous_root})", previous_root)] if previous_root else [])
    seen: dict[str, list[float]] = {label: [] for label, _ in roots}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-user-") as tmp:
        for rep in range(-1, repeats):
            for label, root in roots if rep % 2 == 0 else roots[::-1]:
                out = subprocess.run([sys.executable, "-c", _SCRIPT_RUN, str(root), str(db), tmp], check=True,
                                     capture_output=True, text=True).stdout.split()
                cpu, wall, modules = float(out[-3]), float(out[-2]), int(out[-1])
                if rep < 0:
                    continue
                seen[label].append(cpu)
                print(f"{n} | first script run, fresh process, {label} | CPU {cpu:.2f} s | wall {wall:.2f} s | "
                      f"{modules} modules imported | load average {os.getloadavg()[0]:.1f}", flush=True)
    for label, runs in seen.items():
        print(f"{n} | first script run, {label}, median of {len(runs)} | CPU {np.median(runs):.2f} s", flush=True)


def cold_rows(n: int, db: Path, previous_root: Path | None, repeats: int) -> None:
    """Fresh-server cold visits only (store snapshot and the checkouts' disk caches already written by one
    unmeasured visit each), alternating between this checkout and the previous one ``repeats`` times:
    each visit's seconds to the painted map and the server's CPU seconds for it, then the medians."""
    roots = [("this checkout", ROOT)] + ([(f"previous ({previous_root})", previous_root)] if previous_root else [])
    for _, root in roots:
        first_paint(db, root, warm=False)
    seen: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in roots}
    for rep in range(repeats):
        for label, root in roots if rep % 2 == 0 else roots[::-1]:
            cold, *_ = first_paint(db, root, warm=False)
            seen[label].append((cold, _server_cpu_s, _server_ready_s + cold))
            print(f"{n} | cold, fresh server, {label} | navigation -> painted {cold:.2f} s | server CPU "
                  f"{_server_cpu_s:.2f} s | server start -> ready {_server_ready_s:.2f} s, -> painted "
                  f"{_server_ready_s + cold:.2f} s | load average {os.getloadavg()[0]:.1f}", flush=True)
    for label, runs in seen.items():
        print(f"{n} | cold, fresh server, {label}, median of {len(runs)} | navigation -> painted "
              f"{np.median([r[0] for r in runs]):.2f} s | server CPU {np.median([r[1] for r in runs]):.2f} s | "
              f"server start -> painted {np.median([r[2] for r in runs]):.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--baseline-max", type=int, default=100_000,
                        help="skip the plain-marker baseline above this many incidents")
    parser.add_argument("--baseline-changes", type=int, default=2,
                        help="above 20k incidents the (slow) baseline runs only this many filter changes")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium first-paint measurement")
    parser.add_argument("--stores", metavar="DIR", type=Path,
                        help="reuse DIR/<size>/bench.gpkg (a store this script imported before) instead of importing")
    parser.add_argument("--no-server", action="store_true",
                        help="skip the server-side filter-change pipelines (browser measurements only)")
    parser.add_argument("--previous", metavar="DIR", type=Path,
                        help="a checkout of the previous release: its dashboard's first paint is measured on the "
                             "same store in the same run")
    parser.add_argument("--cold-repeats", metavar="N", type=int, default=0,
                        help="with --stores: only fresh-server cold visits, N per checkout, alternating")
    parser.add_argument("--warm-repeats", metavar="N", type=int, default=0,
                        help="with --stores: only warm first paints, N rounds of 4 visits per checkout, alternating")
    parser.add_argument("--script-runs", metavar="N", type=int, default=0,
                        help="with --stores: only the CPU of a fresh process's first script run, N per checkout")
    args = parser.parse_args()
    if args.cold_repeats or args.script_runs or args.warm_repeats:
        if not args.stores:
            parser.error("--cold-repeats, --warm-repeats and --script-runs need --stores")
        for n in args.sizes:
            db = args.stores / str(n) / "bench.gpkg"
            if args.script_runs:
                script_rows(n, db, args.previous, args.script_runs)
            if args.cold_repeats:
                cold_rows(n, db, args.previous, args.cold_repeats)
            if args.warm_repeats:
                warm_rows(n, db, args.previous, args.warm_repeats)
        return
    print("size | pipeline | filter changes | median s | max s | max payload MB | first paint s")
    from geo.query.index import IncidentIndex

    for n in args.sizes:
        if args.no_server and args.stores:
            _browser_rows(n, args.stores / str(n) / "bench.gpkg", args.previous)
            continue
        frame = synthetic(n).sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
        changes = filter_changes(frame)
        started = time.perf_counter()
        index = IncidentIndex(frame)
        print(f"{n}: index built in {time.perf_counter() - started:.2f} s "
              f"({index.nbytes() / 2 ** 20:.0f} MB besides the frame)", flush=True)
        ours(index, Filters())  # warm imports and caches of static data
        rows = [("incident-atlas (index)", ours, index), ("previous release (Filters.apply)", previous, frame)]
        if n <= args.baseline_max:
            rows.append(("folium.Marker baseline", baseline, frame))
        for name, fn, data in rows:
            times, sizes = [], []
            todo = changes if (fn is not baseline or n <= 20_000) else changes[:args.baseline_changes]
            for f in todo:
                seconds, size, _ = fn(data, f)
                times.append(seconds)
                sizes.append(size)
            print(f"{n} | {name} | {len(todo)} | {np.median(times):.3f} | {max(times):.3f} | "
                  f"{max(sizes) / 1e6:.2f} | | load average {os.getloadavg()[0]:.1f}", flush=True)
        if args.no_browser:
            continue
        if args.stores:
            _browser_rows(n, args.stores / str(n) / "bench.gpkg", args.previous)
            continue
        with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
            db, seconds, size_mb = import_store(frame, Path(tmp))
            print(f"{n}: import {seconds:.1f} s ({n / seconds:,.0f} rows/s), store {size_mb:.0f} MB", flush=True)
            print(f"{n}: {store_steps(db)}", flush=True)
            _browser_rows(n, db, args.previous)


def _browser_rows(n: int, db: Path, previous_root: Path | None) -> None:
    """First paint (cold/warm), filter change -> map painted and memory for this checkout and the previous."""
    for label, root in [("this checkout", ROOT)] + ([(f"previous ({previous_root})", previous_root)]
                                                     if previous_root else []):
        cold, warm, change, rss, heap = first_paint(db, root)
        print(f"{n} | first paint, {label} | cold {cold:.2f} s (server CPU {_server_cpu_s:.2f} s) / "
              f"warm {warm:.2f} s | filter change -> map painted {change:.2f} s | server peak RSS {rss:.0f} MB | "
              f"browser JS heap {heap:.0f} MB | load average {os.getloadavg()[0]:.1f}", flush=True)
        # again on a fresh server: the store's columnar snapshot (and this checkout's map disk cache) on disk
        cold2, *_ = first_paint(db, root, warm=False)
        print(f"{n} | first paint, {label}, fresh server, snapshot on disk | cold {cold2:.2f} s "
              f"(server CPU {_server_cpu_s:.2f} s; server start -> painted {_server_ready_s + cold2:.2f} s) | "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
