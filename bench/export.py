"""Benchmark: streamed exports vs the one-shot export, and the PostGIS dashboard view (SQL vs rows).

Part 1 — exports. For each backend (embedded GeoPackage, PostGIS) and format, in a fresh process each:
  * one-shot (before): ``geo.export.export(store.read(), fmt, out)`` — every row in memory;
  * streamed (now): ``geo.export.export_store(store, fmt, out)`` — 50k-row chunks from the store.
  Wall time, CPU time of the exporting process (the PostgreSQL server's own CPU is not included),
  peak RSS (VmHWM) and the output size; both modes run side by side in the same run.

Part 2 — the dashboard's work for a view of a PostGIS store, without Streamlit, in a fresh process each:
  * rows (before): ``store.read(filters)`` then ``geo.query`` summary + timeline and the large-view map
    of the frame (what the dashboard did when a user chose the whole period);
  * rows, last 30 days (before: what the dashboard opened on above 200k incidents);
  * SQL (now, geo.ui.server_view): ``view_numbers`` (stats, actors, governorates, timeline and, once
    the map has a view, that view's cells: one statement), then above 20,000 incidents the map via
    ``store_large_map`` (a cells query only on the first open) and a 5k-row table page
    (``read_recent``); at or below it the rows path as before.
  * SQL of a baseline checkout (``--baseline-root DIR``, e.g. ``git archive main``): the same child of
    that checkout's own bench/export.py, on the same database in the same run.
  Each process opens the whole period, then changes the filter (event type "Battles", then + one
  governorate); wall time and client CPU per step, peak RSS, and the PostgreSQL server's CPU for the
  whole process (CPU of its exited backends, read from the postmaster's ``cutime``/``cstime``; needs
  read access to the server's data directory and /proc, so the same machine).

Usage::

    .venv/bin/python bench/export.py --rows 200000
    .venv/bin/python bench/export.py --rows 1000000 --oneshot-formats csv geojson gpkg
    # part 2 only, on a loaded store, side by side with main:
    git archive main | tar -x -C /tmp/atlas_main
    .venv/bin/python bench/export.py --pg-loaded postgresql://…/db --baseline-root /tmp/atlas_main

Synthetic incidents are random and invented (bench/store.py's generator; no real events).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("csv", "geojson", "gpkg", "kml")


def _bench_store():
    spec = importlib.util.spec_from_file_location("bench_store", ROOT / "bench" / "store.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def _child_export(mode: str, db: str, fmt: str, out: str) -> dict:
    from geo.export import export, export_store
    from geo.store import open_store

    started, cpu = time.perf_counter(), _cpu()
    calls = []
    with open_store(db) as store:
        if mode == "oneshot":
            frame = store.read()
            count = len(frame)
            export(frame, fmt, out)
        else:
            _, count = export_store(store, fmt, out, progress=lambda done, total: calls.append(done))
    return {"s": time.perf_counter() - started, "cpu_s": _cpu() - cpu, "rows": count,
            "peak_rss_mb": _bench_store().peak_rss_mb(), "mb": os.path.getsize(out) / 1e6,
            "progress_calls": len(calls)}


def _child_view(mode: str, db: str) -> dict:
    import dataclasses
    import datetime as dt

    import numpy as np

    from geo import query
    from geo.filters import Filters
    from geo.map.aggregate import LARGE_VIEW_THRESHOLD, fitting_view
    from geo.map.large_view import large_map, store_large_map
    from geo.map.streamlit_args import component_args
    from geo.store import open_store
    from geo.ui.server_view import TABLE_PAGE, _cells_request, _KnownCells

    store = open_store(db)
    bounds = store.facets()["dates"]  # the sidebar's options (cached by the dashboard; not timed here)
    first = Filters(since=bounds[1] - dt.timedelta(days=29)) if mode == "rows30" else Filters()
    steps = [("open", first), ("type", dataclasses.replace(first, types=("Battles",))),
             ("type+region", dataclasses.replace(first, types=("Battles",), regions=("SY-HL",)))]
    out: dict = {}
    shown = None  # the map's view once drawn (what the page reports back)
    for name, filters in steps:
        started, cpu = time.perf_counter(), _cpu()
        # as geo.ui.server_view: after the first map, the page reports its view and a filter change gets
        # that view's cells in the same statement as the numbers
        # and a filter the planner expects to match few incidents gets a plain count first
        wanted = _cells_request(filters, shown) if mode == "sql" else None
        stats = numbers = None
        if mode == "sql" and store.estimate_matching(filters) <= LARGE_VIEW_THRESHOLD // 2:
            stats = store.view_stats(filters)
        if mode == "sql" and (stats is None or stats.incidents > LARGE_VIEW_THRESHOLD):
            numbers = store.view_numbers(filters, wanted)
            stats = numbers.stats
        if stats is not None and stats.incidents > LARGE_VIEW_THRESHOLD:  # as dashboard.py: few rows travel
            summary = numbers.summary()
            numbers.timeline(query.choose_granularity(*bounds))
            south, west, north, east = stats.extent
            view = shown or fitting_view(np.array([south, north]), np.array([west, east]))
            fmap = store_large_map(_KnownCells(store, filters, numbers), filters, view, total=stats.incidents)
            shown = fmap.atlas_view
            args = component_args(fmap)
            page = store.read_recent(filters, TABLE_PAGE)
            rows_moved = len(page)
        else:
            frame = store.read(filters)
            summary = query.summarize(frame)
            query.timeline(frame, query.choose_granularity(*bounds))
            fmap = large_map(frame)
            args = component_args(fmap)
            rows_moved = len(frame)
        out[name] = {"s": time.perf_counter() - started, "cpu_s": _cpu() - cpu, "incidents": summary.incidents,
                     "rows_read": rows_moved, "map_mode": fmap.atlas_mode,
                     "payload_mb": len(json.dumps(args, default=str)) / 1e6}
    out["peak_rss_mb"] = _bench_store().peak_rss_mb()
    store.close()
    return out


def _run_child(*argv: str, root: Path = ROOT, postmaster: int | None = None) -> dict:
    server_cpu = _children_cpu(postmaster)
    done = subprocess.run([sys.executable, str(root / "bench" / "export.py"), *argv], capture_output=True,
                          text=True, check=False, cwd=root)
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if postmaster is not None:
        out["server_cpu_s"] = round(_children_cpu(postmaster) - server_cpu, 2)
    return out


def _postmaster_pid(db: str) -> int | None:
    """The PostgreSQL server's main process (its exited backends' CPU adds up in its cutime), if readable."""
    import psycopg

    try:
        with psycopg.connect(db, autocommit=True) as conn:
            data_dir = conn.execute("SHOW data_directory").fetchone()[0]
        return int(Path(data_dir, "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError, psycopg.Error):
        return None


def _children_cpu(pid: int | None) -> float:
    """CPU seconds of the reaped children of ``pid`` (utime + stime of exited PostgreSQL backends)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


def _load(db: str, rows: int, chunk: int = 100_000) -> float:
    from geo.store import open_store

    synthetic = _bench_store().synthetic
    started = time.perf_counter()
    with open_store(db) as store:
        for start in range(0, rows, chunk):
            frame = synthetic(min(chunk, rows - start), seed=start + 1)
            frame["event_id"] = [f"SYN{start + i}" for i in range(len(frame))]
            store.upsert(frame)
    return time.perf_counter() - started


def _views(db: str, modes: list[str], baseline: Path | None) -> None:
    """Part 2: each path in a fresh process; with a baseline checkout, its SQL path right after ours."""
    postmaster = _postmaster_pid(db)
    runs = [(mode, ROOT) for mode in modes]
    if baseline is not None:
        runs += [("sql", baseline.resolve())]
    for mode, root in runs:
        label = mode if root == ROOT else f"{mode} ({root})"
        print(json.dumps({"view": label, "load": os.getloadavg()[0],
                          **_run_child("--child-view", mode, db, root=root, postmaster=postmaster)}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--oneshot-formats", nargs="*", default=None, choices=FORMATS,
                        help="formats also exported one-shot (default: all of --formats)")
    parser.add_argument("--pg", default=None, help="an existing EMPTY PostGIS database (default: temporary server)")
    parser.add_argument("--skip-view", action="store_true", help="skip part 2 (the dashboard view)")
    parser.add_argument("--skip-exports", action="store_true", help="skip part 1 (the exports)")
    parser.add_argument("--pg-loaded", default=None,
                        help="an already LOADED PostGIS database: run part 2 only, on it (no loading)")
    parser.add_argument("--baseline-root", type=Path, default=None,
                        help="a checkout (e.g. git archive main) whose SQL view path runs side by side")
    parser.add_argument("--modes", nargs="+", default=["rows30", "rows", "sql"], choices=["rows30", "rows", "sql"],
                        help="part 2 paths to run (default: all)")
    parser.add_argument("--child-export", nargs=4, metavar=("MODE", "DB", "FMT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-view", nargs=2, metavar=("MODE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        print(json.dumps(_child_export(*args.child_export)))
        return 0
    if args.child_view:
        print(json.dumps(_child_view(*args.child_view)))
        return 0

    oneshot = args.formats if args.oneshot_formats is None else args.oneshot_formats
    if args.pg_loaded:
        _views(args.pg_loaded, args.modes, args.baseline_root)
        return 0
    server = None
    with tempfile.TemporaryDirectory(prefix="atlas-bench-export-") as tmp:
        gpkg = str(Path(tmp) / "bench.gpkg")
        pg = args.pg
        if pg is None:
            sys.path.insert(0, str(ROOT / "tests"))
            from _pg_tempserver import TempPostgres

            server = TempPostgres().start()
            pg = server.new_database()
        try:
            print(json.dumps({"load_s": {"gpkg": round(_load(gpkg, args.rows), 1) if not args.skip_exports else None,
                                         "postgis": round(_load(pg, args.rows), 1)},
                              "rows": args.rows, "uptime": os.getloadavg()}), flush=True)
            for name, db in (("gpkg", gpkg), ("postgis", pg)) if not args.skip_exports else ():
                for fmt in args.formats:
                    for mode in ("oneshot", "streamed"):
                        if mode == "oneshot" and fmt not in oneshot:
                            continue
                        out = str(Path(tmp) / f"out-{name}-{mode}.{fmt}")
                        result = _run_child("--child-export", mode, db, fmt, out)
                        if os.path.exists(out):
                            os.unlink(out)
                        print(json.dumps({"store": name, "format": fmt, "mode": mode, **result,
                                          "load": os.getloadavg()[0]}), flush=True)
            if not args.skip_view:
                _views(pg, args.modes, args.baseline_root)
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
