"""Benchmark: importing ACLED CSV exports into the GeoPackage store, and reading the store back.

Generates synthetic ACLED rows (the older 31-column layout with ``9-May-20`` dates and ACLED's admin1
spellings, i.e. the more work-intensive of the two layouts), then for each size measures

- ours:     ``geo.ingest.load`` (parse, validate, resolve governorates) + ``store.upsert`` into a new store
- re-import the same file (every row an update, the count must not change)
- read back ``store.read()`` (typed GeoDataFrame)
- baseline: ``pandas.read_csv`` + ``geopandas`` points + ``GeoDataFrame.to_file(GPKG)`` (no validation,
  no upsert, no transaction guarantees) and ``geopandas.read_file`` for reading back.

Usage::

    .venv/bin/python bench/import.py                       # 10k and 100k synthetic rows
    .venv/bin/python bench/import.py --sizes 10000 --acled ../shared/data/acled_syria_2020-05_dev.csv

``--acled PATH`` also imports a real ACLED export (by path only; never copied) and checks zero rejected
rows and an unchanged count on re-import.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OLD_HEADER = ["data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
              "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
              "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
              "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp", "iso3"]
ADMIN1 = ["Dar'a", "Idleb", "Rural Damascus", "As-Sweida", "Al-Hasakeh", "Deir-ez-Zor", "Ar-Raqqa", "Aleppo",
          "Hama", "Homs", "Lattakia", "Tartous", "Quneitra", "Damascus"]
ACTORS = ["Military Forces of Syria (2000-)", "Military Forces of Russia (2000-)", "Hayat Tahrir al-Sham",
          "QSD: Syrian Democratic Forces", "Islamic State (Syria)", "Unidentified Armed Group (Syria)",
          "Civilians (Syria)", "Protesters (Syria)", "Military Forces of Turkey (2016-)"]
WORDS = ("on the outskirts of the village forces shelled fields near a checkpoint clashes took place between "
         "groups amid artillery fire no injuries were reported several fighters killed in the attack").split()


def _types():
    from geo import taxonomy

    return [(s.event_type, s.sub_event_type) for s in taxonomy.sub_event_types()]


def write_synthetic(path: Path, rows: int, *, seed: int = 1) -> None:
    """``rows`` invented ACLED rows (older layout, CRLF) at ``path``."""
    rng = random.Random(seed)
    types = _types()
    start = dt.date(2017, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(OLD_HEADER)
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(2500))
            event_type, sub_type = rng.choice(types)
            notes = f"On {day:%d %B %Y}, " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))) + "."
            admin1 = rng.choice(ADMIN1)
            writer.writerow([
                7_000_000 + i, 760, f"SYR{i}", i, f"{day.day}-{day:%b-%y}", day.year, rng.choice((1, 1, 1, 2, 3)),
                event_type, sub_type, rng.choice(ACTORS), "", 1, rng.choice(ACTORS + [""]), "", 7, 17,
                "Middle East", "Syria", admin1, admin1, f"Sub {i % 300}", f"Place {i % 5000}",
                f"{rng.uniform(32.3, 37.3):.4f}", f"{rng.uniform(35.7, 42.3):.4f}", rng.choice((1, 2, 3)),
                "Bench Wire", "Other", notes, rng.choice((0, 0, 0, 1, 2, 10)), 1589243119, "SYR"])


def _time(function):
    """(wall seconds, value); the CPU seconds of this process are kept in _time.cpu."""
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    _time.cpu = time.process_time() - cpu
    return time.perf_counter() - start, value


def bench_size(rows: int, workdir: Path) -> dict:
    """Timings (seconds) for one synthetic file of ``rows`` rows."""
    import geopandas as gpd
    import pandas as pd

    from geo.ingest import load
    from geo.store import open_store

    source = workdir / f"acled_{rows}.csv"
    write_synthetic(source, rows)
    db = workdir / f"ours_{rows}.gpkg"
    db.unlink(missing_ok=True)

    def ours_import():
        result = load(source)
        store = open_store(db)
        try:
            return result, store.upsert(result.frame)
        finally:
            store.close()

    t_import, (result, outcome) = _time(ours_import)
    c_import = _time.cpu
    assert outcome.added == rows and not result.rejected, (outcome, len(result.rejected))
    t_reimport, (_, again) = _time(ours_import)
    c_reimport = _time.cpu
    store = open_store(db)
    assert again.updated == rows and store.count() == rows
    t_read, frame = _time(store.read)
    c_read = _time.cpu
    store.close()
    assert len(frame) == rows

    baseline_db = workdir / f"baseline_{rows}.gpkg"
    baseline_db.unlink(missing_ok=True)

    def baseline_import():
        table = pd.read_csv(source)
        gdf = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["longitude"], table["latitude"]),
                               crs="EPSG:4326")
        gdf.to_file(baseline_db, layer="incidents", driver="GPKG", engine="pyogrio")

    t_base_import, _ = _time(baseline_import)
    c_base_import = _time.cpu
    t_base_read, back = _time(lambda: gpd.read_file(baseline_db, engine="pyogrio"))
    c_base_read = _time.cpu
    assert len(back) == rows
    return {"rows": rows, "import": (t_import, c_import), "reimport": (t_reimport, c_reimport),
            "read": (t_read, c_read), "base_import": (t_base_import, c_base_import),
            "base_read": (t_base_read, c_base_read)}


def bench_real(path: Path, workdir: Path) -> dict:
    """Import a real ACLED export twice: rejected rows, counts, timings."""
    from geo.ingest import load
    from geo.store import open_store

    db = workdir / "real.gpkg"
    t_first, result = _time(lambda: load(path))
    store = open_store(db)
    first = store.upsert(result.frame)
    count_first = store.count()
    second = store.upsert(load(path).frame)
    count_second = store.count()
    store.close()
    return {"file": path.name, "rows": len(result.frame), "rejected": len(result.rejected), "format": result.format,
            "load_s": t_first, "added": first.added, "count_after_first": count_first,
            "updated_on_reimport": second.updated, "count_after_reimport": count_second}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--acled", type=Path, help="a real ACLED export CSV to import as well (read by path)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest (wall) is shown")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        workdir = Path(tmp)
        print("Each cell: wall-clock seconds (rows/s) [CPU seconds of this process]; wall time includes waiting "
              "for the CPU when other jobs share the machine.")
        print()
        print("| rows | ours: import (load+upsert) | ours: re-import | ours: read back | "
              "baseline: read_csv+to_file | baseline: read_file |")
        print("|---:|---:|---:|---:|---:|---:|")
        for rows in args.sizes:
            runs = [bench_size(rows, workdir) for _ in range(max(1, args.repeat))]
            best = {key: min((run[key] for run in runs), key=lambda pair: pair[0]) for key in runs[0] if key != "rows"}
            cell = lambda pair: f"{pair[0]:.2f} s ({rows / pair[0]:,.0f} rows/s) [{pair[1]:.2f}]"  # noqa: E731
            print(f"| {rows:,} | {cell(best['import'])} | {cell(best['reimport'])} | {cell(best['read'])} | "
                  f"{cell(best['base_import'])} | {cell(best['base_read'])} |", flush=True)
        if args.acled:
            real = bench_real(args.acled, workdir)
            print()
            print("real ACLED export:", ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                                  for k, v in real.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
