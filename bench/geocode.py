"""Benchmark the geocoder against a naive baseline on an ACLED-style table (by path; never copied).

    .venv/bin/python bench/geocode.py /work/shared/data/acled_syria_2020-05_dev.csv [--show-misses]

Accuracy: share of rows whose ``location`` geocodes within 10 km of (latitude, longitude) with the right
governorate (``admin1``), the wrong-governorate rate and the not-found rate. Speed: warm queries per second
for repeated names and for unique names, and cold start (a fresh interpreter loading the index).
The baseline is an exact, case-insensitive dict lookup on the gazetteer's primary names.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from math import asin, cos, radians, sin, sqrt
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.admin1 import resolve_admin1  # noqa: E402
from geo.geocode import Geocoder  # noqa: E402


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    h = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def score(rows: list[dict], lookup) -> dict:
    """Accuracy counts of ``lookup(name) -> (lat, lon, admin1_iso) | None`` over ``rows``."""
    good = wrong_gov = missing = far = 0
    misses = []
    for row in rows:
        truth_iso = resolve_admin1(row["admin1"]).iso if resolve_admin1(row["admin1"]) else None
        hit = lookup(row["location"], row["admin1"]) if getattr(lookup, "wants_context", False) \
            else lookup(row["location"])
        if hit is None:
            missing += 1
            misses.append((row["location"], "not found", ""))
            continue
        lat, lon, iso = hit
        dist = km(lat, lon, float(row["latitude"]), float(row["longitude"]))
        if iso != truth_iso:
            wrong_gov += 1
            misses.append((row["location"], f"wrong governorate {iso} (truth {truth_iso})", f"{dist:.0f} km"))
        elif dist <= 10:
            good += 1
        else:
            far += 1
            misses.append((row["location"], "right governorate, too far", f"{dist:.0f} km"))
    n = len(rows)
    return {"rows": n, "within_10km_right_gov": good / n, "wrong_governorate": wrong_gov / n,
            "not_found": missing / n, "right_gov_far": far / n, "misses": misses}


# Spelling changes seen in reports (vowels, digraphs, articles, doubled letters, marks), applied at random.
VARIANT_RULES = (("ay", "ei"), ("ei", "ay"), ("ou", "u"), ("u", "ou"), ("i", "ee"), ("a", "e"), ("q", "k"),
                 ("sh", "ch"), ("Al ", "Al-"), ("Al ", "El-"), ("Al ", ""), ("ah", "a"), ("iyah", "iyeh"),
                 ("iyah", "ia"), ("j", "dj"), ("'", ""), ("ss", "s"), ("s", "ss"), ("Tall ", "Tell "),
                 ("Dayr ", "Deir "), ("Kafr ", "Kfar "), ("Shaykh ", "Sheikh "))


def spelling_variant(name: str, rnd) -> str:
    """``name`` without diacritics and with two random report-style spelling changes."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("‘", "'").replace("’", "'")
    for _ in range(2):
        old, new = rnd.choice(VARIANT_RULES)
        spots = [i for i in range(len(text)) if text.startswith(old, i)]
        if spots:
            i = rnd.choice(spots)
            text = text[:i] + new + text[i + len(old):]
    return text


def synthetic(geocoder, baseline, per_place: int = 3) -> None:
    """Accuracy on seeded random spelling variants of every Syrian GeoNames town (not tuned on any table)."""
    import random

    rnd = random.Random(2020)
    towns = [p for p in geocoder.places if p[3] == "SY" and p[8] == "geonames"]
    cases = [(spelling_variant(p[0], rnd), p) for p in towns for _ in range(per_place)]
    print(f"\nsynthetic spelling variants of {len(towns)} Syrian GeoNames towns ({len(cases)} queries):")
    for label, lookup in (("baseline (exact primary name)", baseline), ("geo.geocode", geocoder.geocode)):
        ok = wrong = missing = 0
        for query, place in cases:
            hit = lookup(query)
            if hit is None:
                missing += 1
                continue
            lat, lon = (hit.lat, hit.lon) if hasattr(hit, "lat") else hit[:2]
            if km(lat, lon, place[1], place[2]) <= 10:
                ok += 1
            else:
                wrong += 1
        n = len(cases)
        print(f"{label:32} within 10 km {ok / n:6.1%}   elsewhere {wrong / n:6.1%}   not found {missing / n:6.1%}")


def hidden_places(geocoder, show: bool = False) -> None:
    """Names the gazetteer lacks: hide each Syrian village of the project table in turn and ask its own names.

    A held-out list is full of villages no gazetteer has; the honest answer for them is "not found". This
    counts how often the geocoder answers something else instead (a namesake in another governorate, or a
    place more than 10 km away), next to the answers that stay right because a neighbour or twin is known.
    """
    import re

    from geo.geocode._normalize import sound_key

    index = {}
    for pid, place in enumerate(geocoder.places):
        if place[3] == "SY" and place[8] == "extra" and place[6] == "PPL":
            index.setdefault(place[0], pid)
    rows = list(csv.DictReader(open(Path(__file__).resolve().parent.parent / "data" / "places_extra.csv",
                                    encoding="utf-8")))
    counts = {"right": 0, "wrong governorate": 0, "same governorate, >10 km": 0, "not found": 0}
    for row in rows:
        pid = index.get(row["name"])
        if pid is None:
            continue
        place = geocoder.places[pid]
        hidden = []
        for table in (geocoder._k1, geocoder._k2):
            for key, pids in table.items():
                if pid in pids:
                    hidden.append((table, key, list(pids)))
                    pids.remove(pid)
        geocoder._cache.clear()
        type(geocoder)._places_cached.cache_clear()
        geocoder._fuzzy_keys, geocoder._pid_keys, geocoder._qualified = {}, None, None
        for name in [row["name"], *row["aliases"].split("|")]:
            name = re.sub(r"\s*\(.*\)$", "", name).strip()
            if not name or re.search(r"[\u0600-\u06FF]", name) or len(sound_key(name)) < 3:
                continue
            loc = geocoder.geocode(name)
            if loc is None or loc.lat is None:
                counts["not found"] += 1
            elif loc.admin1_iso != place[4] or km(loc.lat, loc.lon, place[1], place[2]) > 10:
                counts["wrong governorate" if loc.admin1_iso != place[4] else "same governorate, >10 km"] += 1
                if show:
                    print(f"  hidden {place[0]} ({place[4]}): {name!r} -> {loc.name} ({loc.admin1_iso}), "
                          f"score {loc.score}")
            else:
                counts["right"] += 1
        for table, key, pids in hidden:
            table[key] = pids
    geocoder._cache.clear()
    type(geocoder)._places_cached.cache_clear()
    geocoder._fuzzy_keys, geocoder._pid_keys, geocoder._qualified = {}, None, None
    total = sum(counts.values())
    print(f"\nhidden villages: {len(index)} project villages, each hidden in turn, {total} of their spellings asked")
    print("   ".join(f"{label} {n / total:6.1%}" for label, n in counts.items()))


def rate(func, queries: list[str], min_seconds: float = 1.0) -> float:
    """Calls per second of ``func`` over ``queries`` (repeated until ``min_seconds`` have passed)."""
    count, start = 0, time.perf_counter()
    while True:
        for query in queries:
            func(query)
        count += len(queries)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return count / elapsed


def cold_start() -> float:
    """Seconds for a fresh interpreter to import the geocoder, load the index and answer one query."""
    code = ("import time; t=time.perf_counter(); from geo.geocode import get_geocoder; "
            "get_geocoder().geocode('Daraa'); print(time.perf_counter()-t)")
    best = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                    cwd=Path(__file__).resolve().parent.parent).stdout) for _ in range(3))
    return best


def main() -> int:
    """Run the benchmark and print a report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", help="CSV with location, latitude, longitude (or lat, lon), admin1 columns")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    with open(args.table, encoding="utf-8", newline="") as handle:
        rows = [dict(r, latitude=r.get("latitude") or r.get("lat"), longitude=r.get("longitude") or r.get("lon"))
                for r in csv.DictReader(handle)]
    rows = [r for r in rows if r.get("location") and r["latitude"]]
    if not rows:
        parser.error(f"{args.table}: no rows with location and latitude/longitude (or lat/lon)")

    geocoder = Geocoder()
    baseline_index: dict[str, tuple] = {}
    for place in sorted(geocoder.places, key=lambda p: -p[5]):
        baseline_index.setdefault(place[0].casefold(), (place[1], place[2], place[4]))

    def ours(name: str):
        loc = geocoder.geocode(name)
        return (loc.lat, loc.lon, loc.admin1_iso) if loc else None

    def baseline(name: str):
        return baseline_index.get(name.casefold())

    geonames_only = Geocoder()  # the same rules without the project's own table of places
    for index in (geonames_only._k1, geonames_only._k2):
        for key in list(index):
            index[key] = [pid for pid in index[key] if geonames_only.places[pid][8] != "extra"]
            if not index[key]:
                del index[key]

    def rules_only(name: str):
        loc = geonames_only.geocode(name)
        return (loc.lat, loc.lon, loc.admin1_iso) if loc else None

    def ours_in_context(name: str, admin1: str):
        loc = geocoder.geocode(name, context=admin1)
        return (loc.lat, loc.lon, loc.admin1_iso) if loc else None

    ours_in_context.wants_context = True

    print(f"{len(rows)} rows, {len({r['location'] for r in rows})} distinct names from {Path(args.table).name}")
    results = {"baseline (exact primary name)": score(rows, baseline),
               "geo.geocode, GeoNames only": score(rows, rules_only), "geo.geocode": score(rows, ours),
               "geo.geocode, context=admin1": score(rows, ours_in_context)}
    print(f"{'method':32} {'within10km+gov':>15} {'wrong gov':>10} {'not found':>10} {'gov ok,>10km':>13}")
    for label, res in results.items():
        print(f"{label:32} {res['within_10km_right_gov']:>15.1%} {res['wrong_governorate']:>10.1%} "
              f"{res['not_found']:>10.1%} {res['right_gov_far']:>13.1%}")
    if args.show_misses:
        for miss in sorted(set(results["geo.geocode"]["misses"])):
            print("  miss:", *miss)

    synthetic(geocoder, baseline)
    hidden_places(geocoder, args.show_misses)

    repeated = [r["location"] for r in rows]
    unique = sorted({p[0] for p in geocoder.places})
    import random

    rnd = random.Random(1)  # unseen spellings of every gazetteer name: defeat the result cache
    variants = sorted({spelling_variant(name, rnd) for name in unique})
    print(f"\nwarm, repeated names ({len(repeated)} queries, cached): "
          f"{rate(geocoder.geocode, repeated):>10,.0f} q/s   baseline {rate(baseline, repeated):>10,.0f} q/s")
    fresh = Geocoder()
    start = time.perf_counter()
    for query in variants:
        fresh.geocode(query)
    unique_rate = len(variants) / (time.perf_counter() - start)
    print(f"warm, unique names ({len(variants)} distinct, each once): {unique_rate:>10,.0f} q/s   "
          f"baseline {rate(baseline, variants, 0.2):>10,.0f} q/s")
    misses = [f"Qzx{name}" for name in unique[:500]]  # names that are not found (fuzzy path, worst case)
    start = time.perf_counter()
    for query in misses:
        fresh.geocode(query)
    print(f"warm, unknown names ({len(misses)} distinct, fuzzy fallback): "
          f"{len(misses) / (time.perf_counter() - start):>10,.0f} q/s")
    print(f"cold start (fresh interpreter: import + load index + first query): {cold_start() * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
