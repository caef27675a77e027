"""Benchmark: embedded GeoPackage store vs shared PostGIS store on synthetic incidents.

For each backend it measures
  * import rate (rows/s) of ``store.upsert`` in chunks (one transaction per chunk),
  * latency of a typical dashboard query — a 2-week date range + one governorate + one event type —
    in a separate "dashboard" process that only reads (median and 95th percentile over varied queries),
  * the peak resident memory (RSS) of that reading process,
  * for PostGIS also the server-side density aggregations over all rows,
  * what the dashboard process does for a typical view, in another fresh process: the filter options
    (``store.facets()``, once), then per view the filtered read, summary metrics, timeline and density
    (``counts_by_admin1`` + ``grid_counts`` on a server store, else ``geo.query`` on the rows) —
    time per view and peak RSS.
The embedded store is the baseline. Targets (issue 8): < 300 ms filter latency on PostGIS at 1M rows,
dashboard process < 1 GB.

Usage::

    .venv/bin/python bench/store.py                       # 1M rows each, temporary local PostgreSQL
    .venv/bin/python bench/store.py --rows 200000 --embedded-rows 100000
    .venv/bin/python bench/store.py --pg postgresql://user@host/emptydb   # use an existing empty database

Synthetic incidents are random and invented (no real events).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from geo.schema import COLUMNS  # noqa: E402

GOVERNORATES = [("SY-DR", "Daraa", 32.7, 36.2), ("SY-DI", "Damascus", 33.5, 36.3), ("SY-RD", "Rural Damascus", 33.6, 36.6),
                ("SY-HL", "Aleppo", 36.2, 37.4), ("SY-ID", "Idlib", 35.8, 36.6), ("SY-HM", "Hama", 35.2, 36.9),
                ("SY-HI", "Homs", 34.6, 37.8), ("SY-LA", "Latakia", 35.6, 35.9), ("SY-TA", "Tartus", 34.9, 36.0),
                ("SY-SU", "As-Suwayda", 32.6, 36.7), ("SY-QU", "Quneitra", 33.1, 35.85), ("SY-RA", "Ar-Raqqa", 35.9, 38.9),
                ("SY-DY", "Deir ez-Zor", 35.2, 40.3), ("SY-HA", "Al-Hasakah", 36.6, 40.9)]
TYPES = [("Battles", "Armed clash", "clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling"),
         ("Explosions/Remote violence", "Air/drone strike", "air strike"), ("Protests", "Peaceful protest", "protest"),
         ("Strategic developments", "Arrests", "arrest"), ("Violence against civilians", "Attack", "attack"),
         ("Riots", "Mob violence", "mob violence")]
WORDS = ("convoy checkpoint village market road bridge farmland school clinic depot hill river mosque bakery "
         "square station camp border crossing district outskirts night morning patrol raid truce meeting "
         "drone shell rocket gunfire protest arrest curfew").split()
START = np.datetime64("2020-01-01")
DAYS = 5 * 365


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` invented incidents spread over 5 years and 14 governorates (schema columns)."""
    rng = np.random.default_rng(seed)
    gov = rng.integers(0, len(GOVERNORATES), n)
    typ = rng.integers(0, len(TYPES), n)
    actors = np.array([f"Armed Group {i}" for i in range(300)], dtype=object)
    words = np.array(WORDS, dtype=object)
    start = START + rng.integers(0, DAYS, n).astype("timedelta64[D]")
    span = np.where(rng.random(n) < 0.1, rng.integers(1, 10, n), -1)
    lat = np.array([g[2] for g in GOVERNORATES])[gov] + rng.normal(0, 0.25, n)
    lon = np.array([g[3] for g in GOVERNORATES])[gov] + rng.normal(0, 0.25, n)
    notes = (words[rng.integers(0, len(words), n)] + " " + words[rng.integers(0, len(words), n)] + " near "
             + np.char.add("Village ", rng.integers(0, 5000, n).astype(str)).astype(object) + "; "
             + words[rng.integers(0, len(words), n)] + " reported by local monitors.")
    frame = pd.DataFrame({c: None for c in COLUMNS}, index=range(n))
    frame["event_id"] = np.char.add("SYN", np.arange(n).astype(str))
    frame["event_date"] = start.astype("datetime64[ns]")
    frame["date_end"] = pd.Series((start + np.maximum(span, 0).astype("timedelta64[D]")).astype("datetime64[ns]")
                                  ).where(span >= 0)
    frame["time_precision"] = rng.integers(1, 4, n)
    frame["event_type"] = np.array([t[0] for t in TYPES], dtype=object)[typ]
    frame["sub_event_type"] = np.array([t[1] for t in TYPES], dtype=object)[typ]
    frame["kind"] = np.array([t[2] for t in TYPES], dtype=object)[typ]
    frame["actor1"] = actors[rng.integers(0, len(actors), n)]
    frame["actor2"] = pd.Series(actors[rng.integers(0, len(actors), n)]).where(rng.random(n) < 0.6)
    frame["country"] = "SY"
    frame["admin1"] = np.array([g[1] for g in GOVERNORATES], dtype=object)[gov]
    frame["admin1_iso"] = np.array([g[0] for g in GOVERNORATES], dtype=object)[gov]
    frame["location"] = np.char.add("Village ", rng.integers(0, 5000, n).astype(str))
    frame["latitude"], frame["longitude"] = lat.round(5), lon.round(5)
    frame["geo_precision"] = rng.integers(1, 4, n)
    frame["fatalities"] = rng.poisson(0.8, n)
    frame["count"] = 1
    frame["source"] = np.array(["Monitor A", "Monitor B", "Radio C", "Monitor A; Radio C"], dtype=object)[
        rng.integers(0, 4, n)]
    frame["notes"] = notes
    frame["imported_from"] = "bench/store.py"
    return frame


def typical_queries(count: int, seed: int = 2) -> list[dict]:
    """Varied dashboard queries: 2 weeks + one governorate + one type (as JSON-able dicts)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        since = START + np.timedelta64(int(rng.integers(0, DAYS - 14)), "D")
        out.append({"since": str(since), "until": str(since + np.timedelta64(13, "D")),
                    "region": GOVERNORATES[int(rng.integers(0, len(GOVERNORATES)))][1],
                    "type": TYPES[int(rng.integers(0, len(TYPES)))][0]})
    return out


# -- the reading ("dashboard") process ---------------------------------------------------------------------
def reader(db: str, queries: list[dict]) -> dict:
    """Open the store like the dashboard does, run the queries, report latency and peak memory."""
    import datetime as dt

    from geo.filters import Filters
    from geo.store import is_server_url, open_store

    store = open_store(db)
    latencies, rows = [], []
    for number, q in enumerate(queries):
        filters = Filters(since=dt.date.fromisoformat(q["since"]), until=dt.date.fromisoformat(q["until"]),
                          regions=(q["region"],), types=(q["type"],))
        started = time.perf_counter()
        frame = store.read(filters)
        elapsed = time.perf_counter() - started
        if number >= 2:  # the first queries warm caches and imports
            latencies.append(elapsed)
            rows.append(len(frame))
    result = {"median_ms": 1000 * float(np.median(latencies)), "p95_ms": 1000 * float(np.percentile(latencies, 95)),
              "rows_median": float(np.median(rows))}
    if is_server_url(db):  # the embedded store aggregates its rows in Python: only the server's SQL is timed
        started = time.perf_counter()
        store.counts_by_admin1()
        result["admin1_all_ms"] = 1000 * (time.perf_counter() - started)
        started = time.perf_counter()
        store.grid_counts(None, 0.25)
        result["grid_all_ms"] = 1000 * (time.perf_counter() - started)
    store.close()
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def peak_rss_mb() -> float:
    """This process's peak resident memory. (``ru_maxrss`` would be wrong here: Linux keeps the parent's
    high-water mark across fork+exec, while ``VmHWM`` belongs to the new program's address space.)"""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def view_reader(db: str, queries: list[dict]) -> dict:
    """Do what dashboard.py does for a typical view, without Streamlit: facets once, then per view
    the filtered read, metrics, timeline and density. Reports times and this process's peak memory."""
    import datetime as dt

    from geo import query
    from geo.filters import Filters
    from geo.store import is_server_url, open_store

    store = open_store(db)
    started = time.perf_counter()
    facets = store.facets()
    result = {"facets_ms": 1000 * (time.perf_counter() - started), "facet_actors": len(facets["actors"])}
    server = is_server_url(db)  # as dashboard.py: a server store aggregates; the embedded one on the rows
    times = []
    for number, q in enumerate(queries):
        filters = Filters(since=dt.date.fromisoformat(q["since"]), until=dt.date.fromisoformat(q["until"]),
                          regions=(q["region"],), types=(q["type"],))
        started = time.perf_counter()
        frame = store.read(filters)
        query.summarize(frame)
        query.timeline(frame, query.choose_granularity(filters.since, filters.until))
        if server:
            store.counts_by_admin1(filters)
            store.grid_counts(filters, 0.2)
        else:
            query.region_counts(frame)
            query.hex_counts(frame, 0.2)
        if number >= 2:
            times.append(time.perf_counter() - started)
    store.close()
    result.update({"view_median_ms": 1000 * float(np.median(times)),
                   "view_p95_ms": 1000 * float(np.percentile(times, 95)), "view_rss_mb": peak_rss_mb()})
    return result


def full_reader(db: str) -> dict:
    """Load every incident, as a dashboard with no filter would: time and peak memory."""
    from geo.store import open_store

    store = open_store(db)
    started = time.perf_counter()
    frame = store.read()
    result = {"full_read_s": time.perf_counter() - started, "full_rows": len(frame)}
    store.close()
    result["full_read_rss_mb"] = peak_rss_mb()
    return result


def run_reader(db: str, queries: list[dict] | None, mode: str = "--reader") -> dict:
    """Run :func:`reader` (``--view-reader``: :func:`view_reader`; ``queries`` None: :func:`full_reader`)
    in a fresh Python process, so that its memory is the dashboard's, not the importer's."""
    argv = ["--full-reader", db] if queries is None else [mode, db, json.dumps(queries)]
    out = subprocess.run([sys.executable, __file__, *argv], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- importing -------------------------------------------------------------------------------------------
def import_all(db: str, rows: int, chunk: int) -> dict:
    """Generate and upsert ``rows`` incidents in chunks; returns rows/s over the upserts only."""
    from geo.store import open_store

    store = open_store(db)
    spent = 0.0
    for offset in range(0, rows, chunk):
        frame = synthetic(min(chunk, rows - offset), seed=offset + 1)
        frame["event_id"] = np.char.add("SYN", np.arange(offset, offset + len(frame)).astype(str))
        started = time.perf_counter()
        store.upsert(frame)
        spent += time.perf_counter() - started
        print(f"  {offset + len(frame):>9,} rows, {spent:6.1f} s", file=sys.stderr, flush=True)
    count = store.count()
    store.close()
    assert count == rows, (count, rows)
    return {"rows": rows, "import_s": spent, "import_rows_per_s": rows / spent}


def bench(name: str, db: str, rows: int, chunk: int, queries: list[dict], full_read: bool) -> dict:
    """Import then read one backend; prints and returns its numbers."""
    print(f"{name}: importing {rows:,} rows in chunks of {chunk:,}", file=sys.stderr, flush=True)
    result = {"backend": name, **import_all(db, rows, chunk)}
    if name == "postgis":
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            result["table_mb"] = float(conn.execute(
                "SELECT pg_total_relation_size('incidents') / 1048576.0").fetchone()[0])
    result.update(run_reader(db, queries))
    result.update(run_reader(db, queries, "--view-reader"))
    if full_read:
        result.update(run_reader(db, None))
    print(json.dumps(result), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="PostGIS rows (default 1M)")
    parser.add_argument("--embedded-rows", type=int, default=None, help="GeoPackage rows (default: --rows)")
    parser.add_argument("--chunk", type=int, default=100_000, help="rows per upsert (one transaction each)")
    parser.add_argument("--queries", type=int, default=30, help="typical dashboard queries to time")
    parser.add_argument("--pg", default=None, help="an existing EMPTY PostGIS database (default: temporary server)")
    parser.add_argument("--full-read", action="store_true",
                        help="also time loading every row at once (a dashboard with no filter)")
    parser.add_argument("--reader", nargs=2, metavar=("DB", "QUERIES"), help=argparse.SUPPRESS)
    parser.add_argument("--full-reader", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--view-reader", nargs=2, metavar=("DB", "QUERIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        print(json.dumps(reader(args.reader[0], json.loads(args.reader[1]))))
        return 0
    if args.view_reader:
        print(json.dumps(view_reader(args.view_reader[0], json.loads(args.view_reader[1]))))
        return 0
    if args.full_reader:
        print(json.dumps(full_reader(args.full_reader)))
        return 0

    queries = typical_queries(args.queries)
    results = []
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        results.append(bench("gpkg", os.path.join(tmp, "bench.gpkg"), args.embedded_rows or args.rows,
                             args.chunk, queries, args.full_read))
    if args.pg:
        results.append(bench("postgis", args.pg, args.rows, args.chunk, queries, args.full_read))
    else:
        from tests._pg_tempserver import TempPostgres

        # A server tuned like a small production box (durable writes on, unlike the test server).
        with TempPostgres(settings={"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on",
                                    "shared_buffers": "256MB", "max_wal_size": "2GB"}) as server:
            results.append(bench("postgis", server.new_database(), args.rows, args.chunk, queries,
                                 args.full_read))

    base, pg = results
    print(f"\n{'':28}{'embedded (baseline)':>22}{'PostGIS':>14}")
    print(f"{'rows':28}{base['rows']:>22,}{pg['rows']:>14,}")
    print(f"{'import rows/s':28}{base['import_rows_per_s']:>22,.0f}{pg['import_rows_per_s']:>14,.0f}")
    print(f"{'typical query median ms':28}{base['median_ms']:>22.1f}{pg['median_ms']:>14.1f}")
    print(f"{'typical query p95 ms':28}{base['p95_ms']:>22.1f}{pg['p95_ms']:>14.1f}")
    print(f"{'rows per query (median)':28}{base['rows_median']:>22.0f}{pg['rows_median']:>14.0f}")
    print(f"{'reader peak RSS MB':28}{base['peak_rss_mb']:>22.0f}{pg['peak_rss_mb']:>14.0f}")
    print(f"{'density all rows ms':28}{'(in pandas)':>22}{pg['admin1_all_ms']:>8.0f} / {pg['grid_all_ms']:.0f}")
    print(f"{'dashboard: facets ms':28}{base['facets_ms']:>22.0f}{pg['facets_ms']:>14.0f}")
    print(f"{'dashboard: view median ms':28}{base['view_median_ms']:>22.1f}{pg['view_median_ms']:>14.1f}")
    print(f"{'dashboard: view p95 ms':28}{base['view_p95_ms']:>22.1f}{pg['view_p95_ms']:>14.1f}")
    print(f"{'dashboard: peak RSS MB':28}{base['view_rss_mb']:>22.0f}{pg['view_rss_mb']:>14.0f}")
    if args.full_read:
        print(f"{'full read s (no filter)':28}{base['full_read_s']:>22.1f}{pg['full_read_s']:>14.1f}")
        print(f"{'full read peak RSS MB':28}{base['full_read_rss_mb']:>22.0f}{pg['full_read_rss_mb']:>14.0f}")
    ok = pg["median_ms"] < 300 and pg["peak_rss_mb"] < 1024 and pg["view_rss_mb"] < 1024
    print(f"\nPostGIS target (<300 ms, <1 GB at {pg['rows']:,} rows): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
