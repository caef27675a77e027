"""Benchmark: dashboard work per filter change with the in-memory index (geo.query.index) vs pandas.

For each size, on the same synthetic incidents (bench/dashboard.py's generator, invented) and in the same
process:
  * baseline: ``Filters.apply`` on the loaded frame + ``query.summarize`` + weekly ``query.timeline``
    (what dashboard.py did per filter change before the index), plus ``query.facets`` of the rows;
  * index: ``IncidentIndex.select`` + ``summary()`` + ``timeline("week")`` + ``facets()`` of the selection,
    and separately the frame of the selected rows (``Selection.frame()``, what the map and table get).
Reports the index build time and the memory the index holds besides the frame (its arrays' bytes), and per filter change the
median / max seconds of each pipeline. Filter changes: bench/dashboard.py's six plus a date-range window,
one governorate, one district-sized type + actor, and the whole period again.

With ``--store PATH`` it measures instead what a dashboard on that GeoPackage holds: the whole-store
read, the index build and the whole period's facets + summary + timeline, with this process's resident
memory after each step and its peak (VmHWM).

Usage: .venv/bin/python bench/query_index.py --sizes 100000 1000000
       .venv/bin/python bench/query_index.py --store /path/to/incidents.gpkg
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dashboard import filter_changes, synthetic  # noqa: E402

from geo import query  # noqa: E402
from geo.filters import Filters  # noqa: E402
from geo.query.index import IncidentIndex  # noqa: E402


def rss_mb() -> float:
    """Current resident memory of this process."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def changes(frame) -> list[Filters]:
    """The filter states timed: bench/dashboard.py's six and four more an analyst would click."""
    actors = query.actor_counts(frame).index
    return [*filter_changes(frame),
            Filters(since=dt.date(2024, 6, 1), until=dt.date(2024, 6, 14)),
            Filters(regions=("SY-HL",)),
            Filters(types=("Protests",), actors=(actors[1],), since=dt.date(2025, 6, 1)),
            Filters()]


def baseline(frame, filters: Filters) -> float:
    started = time.perf_counter()
    view = filters.apply(frame)
    query.summarize(view)
    query.timeline(view, "week")
    query.facets(view)
    return time.perf_counter() - started


def indexed(index: IncidentIndex, filters: Filters) -> tuple[float, float, int]:
    started = time.perf_counter()
    selection = index.select(filters)
    selection.summary()
    selection.timeline("week")
    selection.facets()
    counted = time.perf_counter() - started
    started = time.perf_counter()
    selection.frame()
    return counted, time.perf_counter() - started, len(selection)


def _status(key: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return float("nan")


def store_memory(path: str) -> None:
    """Read a whole store, index it, count the whole period: seconds and memory after each step."""
    from geo.store import open_store

    def report(step: str, started: float) -> None:
        print(f"{step}: {time.perf_counter() - started:.2f} s, RSS {_status('VmRSS:'):.0f} MB, "
              f"peak {_status('VmHWM:'):.0f} MB", flush=True)

    started = time.perf_counter()
    with open_store(path, create=False) as store:
        frame = store.read()
    report(f"read {len(frame)} incidents", started)
    started = time.perf_counter()
    index = IncidentIndex(frame)
    report("index build", started)
    started = time.perf_counter()
    selection = index.select(Filters())
    selection.facets(), selection.summary(), selection.timeline("week")
    report("whole-period facets + summary + timeline", started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--store", metavar="PATH", help="measure a dashboard's memory on this GeoPackage instead")
    args = parser.parse_args()
    if args.store:
        store_memory(args.store)
        return
    print(f"process RSS before: {rss_mb():.0f} MB", flush=True)
    print("size | build s | index MB | pipeline | median s / change | max s / change | rows (max)")
    for n in args.sizes:
        frame = synthetic(n)
        frame = frame.sort_values(["event_date", "event_id"], kind="stable").reset_index(drop=True)
        todo = changes(frame)
        started = time.perf_counter()
        index = IncidentIndex(frame)
        build = time.perf_counter() - started
        indexed(index, Filters(text="warm"))  # imports, and the folded text built on the first search
        grown = index.nbytes() / 2 ** 20
        base = [baseline(frame, f) for f in todo]
        runs = [indexed(index, f) for f in todo]
        counted = [r[0] for r in runs]
        with_frame = [r[0] + r[1] for r in runs]
        rows = max(r[2] for r in runs)
        for name, times in (("pandas baseline (apply+summary+timeline+facets)", base),
                            ("index (select+summary+timeline+facets)", counted),
                            ("index + frame of the selected rows", with_frame)):
            print(f"{n} | {build:.2f} | {grown:.0f} | {name} | {np.median(times):.3f} | {max(times):.3f} | {rows}",
                  flush=True)
        print(f"process RSS after {n}: {rss_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
