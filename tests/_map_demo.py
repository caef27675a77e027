"""Invented incidents for map tests and benchmarks (deterministic, no real events).

The places are real towns (coordinates are facts); actors, dates, notes and ids are made up.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import taxonomy
from geo.schema import COLUMNS, CRS

#: (location, admin1, admin1_iso, lat, lon)
PLACES = (
    ("Daraa", "Daraa", "SY-DR", 32.6189, 36.1021),
    ("Nawa", "Daraa", "SY-DR", 32.8906, 36.0431),
    ("Tafas", "Daraa", "SY-DR", 32.7356, 35.9986),
    ("Quneitra", "Quneitra", "SY-QU", 33.1257, 35.8243),
    ("As-Suwayda", "As-Sweida", "SY-SU", 32.7089, 36.5695),
    ("Damascus", "Damascus", "SY-DI", 33.5102, 36.2913),
    ("Douma", "Rural Damascus", "SY-RD", 33.5711, 36.4019),
    ("Homs", "Homs", "SY-HI", 34.7308, 36.7094),
    ("Palmyra", "Homs", "SY-HI", 34.5600, 38.2800),
    ("Hama", "Hama", "SY-HM", 35.1318, 36.7578),
    ("Idlib", "Idleb", "SY-ID", 35.9306, 36.6339),
    ("Maarat al-Numan", "Idleb", "SY-ID", 35.6437, 36.6721),
    ("Aleppo", "Aleppo", "SY-HL", 36.2021, 37.1343),
    ("Afrin", "Aleppo", "SY-HL", 36.5119, 36.8695),
    ("Raqqa", "Ar-Raqqa", "SY-RA", 35.9528, 39.0079),
    ("Deir ez-Zor", "Deir-ez-Zor", "SY-DY", 35.3359, 40.1408),
    ("Al-Bukamal", "Deir-ez-Zor", "SY-DY", 34.4536, 40.9367),
    ("Al-Hasakah", "Al-Hasakeh", "SY-HA", 36.5024, 40.7477),
    ("Qamishli", "Al-Hasakeh", "SY-HA", 37.0522, 41.2317),
    ("Latakia", "Lattakia", "SY-LA", 35.5317, 35.7901),
    ("Tartus", "Tartous", "SY-TA", 34.8890, 35.8866),
)
ACTORS = ("Government forces (invented)", "Opposition group A (invented)", "Opposition group B (invented)",
          "Civilians (invented)", "Local militia (invented)", "Unidentified armed group", "")
NOTE_WORDS = ("reported", "town", "shelling", "fighters", "road", "checkpoint", "residents", "market",
              "convoy", "clashes", "village", "meeting", "delegation", "agreement", "injured", "killed")


def synthetic_incidents(n: int, *, seed: int = 7, start: dt.date = dt.date(2021, 1, 1), days: int = 365,
                        notes_words: int = 40, region_share: float = 0.05) -> gpd.GeoDataFrame:
    """``n`` invented incidents in the schema's columns (about 10% precision 2, ``region_share`` precision 3)."""
    rng = np.random.default_rng(seed)
    subs = taxonomy.sub_event_types()
    place = rng.integers(0, len(PLACES), n)
    sub = rng.integers(0, len(subs), n)
    prec = np.where(rng.random(n) < region_share, 3, np.where(rng.random(n) < 0.1, 2, 1))
    jitter = rng.normal(0, 0.03, (n, 2)) * (prec != 3)[:, None]
    lat = np.array([PLACES[i][3] for i in place]) + jitter[:, 0]
    lon = np.array([PLACES[i][4] for i in place]) + jitter[:, 1]
    words = np.array(NOTE_WORDS)
    note_len = rng.integers(max(1, notes_words // 4), notes_words + 1, n)
    notes = [" ".join(words[rng.integers(0, len(words), k)]).capitalize() + "." for k in note_len]
    date = [start + dt.timedelta(days=int(d)) for d in rng.integers(0, days, n)]
    frame = pd.DataFrame({c: [None] * n for c in COLUMNS})
    frame["event_id"] = [f"T{seed}-{i:06d}" for i in range(n)]
    frame["event_date"] = date
    frame["time_precision"] = 1
    frame["event_type"] = [subs[i].event_type for i in sub]
    frame["sub_event_type"] = [subs[i].sub_event_type for i in sub]
    frame["kind"] = [subs[i].kind for i in sub]
    frame["actor1"] = [ACTORS[i] for i in rng.integers(0, len(ACTORS) - 1, n)]
    frame["actor2"] = [ACTORS[i] for i in rng.integers(0, len(ACTORS), n)]
    frame["country"] = "Syria"
    frame["admin1"] = [PLACES[i][1] for i in place]
    frame["admin1_iso"] = [PLACES[i][2] for i in place]
    frame["location"] = [PLACES[i][0] for i in place]
    frame["latitude"] = lat.round(5)
    frame["longitude"] = lon.round(5)
    frame["geo_precision"] = prec
    frame["region_id"] = [PLACES[i][2] if p == 3 else None for i, p in zip(place, prec)]
    frame["fatalities"] = rng.poisson(0.8, n)
    frame["count"] = 1
    frame["source"] = [("Invented Monitor", "Example Wire", "Local reporter (invented)")[i]
                       for i in rng.integers(0, 3, n)]
    frame["source_url"] = [f"https://example.org/report/{i}" if i % 3 == 0 else None for i in range(n)]
    frame["notes"] = notes
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=CRS)
