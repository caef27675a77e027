"""Benchmark text → incidents against coded ACLED notes (one document per note, published on its event date).

Scores the FIRST incident of each document, as the project is judged: location within 25 km, governorate,
event_type, sub_event_type, event_date, actor1 (exact ACLED name; "actor1 base" also accepts the same
actor without/with a sub-unit), and documents per second on one core. A trivial baseline runs in the same
process for comparison: most frequent type/sub-type/actor, publication date, and the first name after
" in " sent to the same geocoder.

    .venv/bin/python bench/extract.py /work/shared/data/acled_syria_2020-05_notes_dev.csv [--show-misses]

The CSV needs columns text, event_date, event_type, sub_event_type, actor1, lat, lon, admin1.
It is read by path and never copied.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.admin1 import resolve_admin1  # noqa: E402
from geo.extract import Document, extract  # noqa: E402
from geo.geocode import get_geocoder  # noqa: E402

METRICS = ("location<=25km", "governorate", "event_type", "sub_event_type", "event_date", "actor1", "actor1 base")
TARGETS = {"location<=25km": 0.85, "governorate": 0.90, "event_type": 0.85, "sub_event_type": 0.70,
           "event_date": 0.95, "actor1": 0.70}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def parse_day(text: str) -> dt.date:
    """ACLED dates: '9-May-20' (old layout) or ISO."""
    text = text.strip()
    for fmt in ("%d-%b-%y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text!r}")


def score_row(row: dict, pred: dict) -> dict[str, bool]:
    """Which metrics one prediction gets right."""
    truth_iso = (resolve_admin1(row["admin1"]) or resolve_admin1("")) and resolve_admin1(row["admin1"]).iso
    ok: dict[str, bool] = {}
    lat, lon = pred.get("lat"), pred.get("lon")
    ok["location<=25km"] = lat is not None and km(lat, lon, float(row["lat"]), float(row["lon"])) <= 25
    ok["governorate"] = pred.get("admin1_iso") == truth_iso if truth_iso else False
    ok["event_type"] = pred.get("event_type") == row["event_type"]
    ok["sub_event_type"] = pred.get("sub_event_type") == row["sub_event_type"]
    ok["event_date"] = pred.get("event_date") == parse_day(row["event_date"])
    a1, t1 = pred.get("actor1") or "", row["actor1"]
    ok["actor1"] = a1 == t1
    ok["actor1 base"] = bool(a1) and (a1.startswith(t1) or t1.startswith(a1))
    return ok


def run_system(rows: list[dict], geocoder) -> tuple[list[dict], float, float]:
    """First incident of each note, and wall and CPU seconds spent extracting."""
    preds = []
    start, cpu = time.perf_counter(), time.process_time()
    for i, row in enumerate(rows):
        doc = Document(row.get("event_id_cnty") or str(i), row["text"], parse_day(row["event_date"]))
        incidents = extract(doc, geocoder=geocoder)
        if incidents:
            inc = incidents[0]
            loc = inc.location
            preds.append({"lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
                          "admin1_iso": loc.admin1_iso if loc else None, "event_type": inc.event_type,
                          "sub_event_type": inc.sub_event_type, "event_date": inc.event_date,
                          "actor1": inc.actor1, "location": loc.name if loc else inc.location_text,
                          "actor2": inc.actor2})
        else:
            preds.append({})
    return preds, time.perf_counter() - start, time.process_time() - cpu


_IN_NAME = re.compile(r"\bin (?:the )?((?:[A-Z][\w'-]+)(?:[ -](?:al|el|ash|as|ad|ar)?[ -]?[A-Z][\w'-]+)*)")


def run_baseline(rows: list[dict], geocoder) -> tuple[list[dict], float, float]:
    """Majority class for type/sub-type/actor, publication date, first name after ' in ' geocoded."""
    top_type = Counter(r["event_type"] for r in rows).most_common(1)[0][0]
    top_sub = Counter(r["sub_event_type"] for r in rows if r["event_type"] == top_type).most_common(1)[0][0]
    top_actor = Counter(r["actor1"] for r in rows).most_common(1)[0][0]
    preds = []
    start, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        m = _IN_NAME.search(row["text"])
        loc = geocoder.geocode(m.group(1)) if m else None
        preds.append({"lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
                      "admin1_iso": loc.admin1_iso if loc else None, "event_type": top_type,
                      "sub_event_type": top_sub, "event_date": parse_day(row["event_date"]), "actor1": top_actor})
    return preds, time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="ACLED notes CSV (text + coded answer columns)")
    parser.add_argument("--show-misses", action="store_true", help="print every row the system gets wrong")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions (best is reported)")
    args = parser.parse_args(argv)
    with open(args.csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    t0 = time.perf_counter()
    geocoder = get_geocoder()
    geocoder.geocode("Daraa")
    load = time.perf_counter() - t0
    results = {}
    for name, runner in (("system", run_system), ("baseline", run_baseline)):
        best = best_cpu = math.inf
        for _ in range(max(1, args.repeat)):
            # a fresh geocoder cache each time, so repeated names do not make later rounds look faster
            geocoder._cache.clear() if hasattr(geocoder, "_cache") else None
            preds, seconds, cpu = runner(rows, geocoder)
            best, best_cpu = min(best, seconds), min(best_cpu, cpu)
        oks = [score_row(r, p) for r, p in zip(rows, preds)]
        results[name] = ({m: sum(o[m] for o in oks) / len(rows) for m in METRICS}, len(rows) / best, preds, oks,
                         len(rows) / max(best_cpu, 1e-9))
    print(f"rows: {len(rows)}   geocoder load: {load:.2f} s")
    print(f"{'metric':<16}{'target':>8}{'system':>9}{'baseline':>10}")
    for m in METRICS:
        target = f"{TARGETS[m]:.0%}" if m in TARGETS else "-"
        print(f"{m:<16}{target:>8}{results['system'][0][m]:>9.1%}{results['baseline'][0][m]:>10.1%}")
    print(f"{'docs/s (wall)':<16}{'100':>8}{results['system'][1]:>9.0f}{results['baseline'][1]:>10.0f}")
    print(f"{'docs/cpu-s':<16}{'-':>8}{results['system'][4]:>9.0f}{results['baseline'][4]:>10.0f}")
    if args.show_misses:
        _, _, preds, oks, _ = results["system"]
        for i, (row, pred, ok) in enumerate(zip(rows, preds, oks)):
            bad = [m for m in METRICS[:-1] if not ok[m]]
            if bad:
                print(f"\n[{i}] {row['text'][:300]}")
                print(f"  misses: {', '.join(bad)}")
                print(f"  truth: {row['event_type']} / {row['sub_event_type']} | {row['actor1']} | {row['location']} "
                      f"({row['admin1']}) | {row['event_date']}")
                print(f"  pred : {pred.get('event_type')} / {pred.get('sub_event_type')} | {pred.get('actor1')} | "
                      f"{pred.get('location')} ({pred.get('admin1_iso')}) | {pred.get('event_date')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
