"""Invented incidents for the dashboard and query tests (no real events; written for these tests)."""

from __future__ import annotations

import pytest

import datetime as dt

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.schema import COLUMNS

# event_id, date, event_type, sub_event_type, kind, actor1, actor2, admin1_iso, admin1, location, lat, lon,
# precision, fatalities, source, notes
ROWS = [
    ("T1", "2026-03-02", "Battles", "Armed clash", "clash", "Blue Brigade", "Red Front", "SY-DR", "Daraa",
     "Testville", 32.62, 36.10, 1, 2, "Field Notes", "Clash near the old mill of Testville."),
    ("T2", "2026-03-03", "Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling",
     "Red Front", "", "SY-DR", "Daraa", "Samplehill", 32.75, 36.00, 2, 0, "Field Notes",
     "Shells fell on farmland east of Samplehill."),
    ("T3", "2026-03-10", "Explosions/Remote violence", "Air/drone strike", "air strike", "Sky Wing",
     "Civilians (Syria)", "SY-ID", "Idlib", "Mockabad", 35.93, 36.63, 1, 5, "Daily Ledger",
     "Drone strike on a market in Mockabad."),
    ("T4", "2026-03-12", "Protests", "Peaceful protest", "protest", "Protesters (Syria)", "", "SY-SU",
     "As-Suwayda", "Fictopolis", 32.71, 36.57, 1, 0, "Daily Ledger", "Crowd gathered at the square of Fictopolis."),
    ("T5", "2026-03-20", "Battles", "Armed clash", "clash", "Blue Brigade", "Green Guard", "SY-HL", "Aleppo",
     "Placeholder Town", 36.20, 37.15, 1, 1, "Field Notes", "Exchange of fire on the ring road."),
    ("T6", "2026-04-02", "Strategic developments", "Headquarters or base established", "meeting",
     "Green Guard", "", "SY-HL", "Aleppo", "Placeholder Town", 36.21, 37.16, 2, 0, "Radio Digest",
     "Commanders met to agree on a truce."),
    ("T7", "2026-04-05", "Violence against civilians", "Attack", "attack", "Unidentified Armed Group (Syria)",
     "Civilians (Syria)", "SY-HM", "Hama", "Examplekoy", 35.13, 36.75, 1, 3, "Radio Digest",
     "Gunmen attacked a minibus."),
    ("T8", "2026-04-18", "Battles", "Armed clash", "clash", "Red Front", "Green Guard", "SY-DR", "Daraa",
     "Daraa region", 32.80, 36.20, 3, 4, "Field Notes", "Fighting reported across the region."),
]


def sample_frame() -> gpd.GeoDataFrame:
    """The invented incidents as a store-shaped GeoDataFrame (geo.schema.COLUMNS + geometry)."""
    records = []
    for (eid, date, etype, sub, kind, a1, a2, iso, adm, loc, lat, lon, prec, fat, src, notes) in ROWS:
        record = {c: None for c in COLUMNS}
        record.update(event_id=eid, event_date=dt.date.fromisoformat(date), date_end=None, time_precision=1,
                      event_type=etype, sub_event_type=sub, kind=kind, actor1=a1, actor2=a2 or None,
                      country="SY", admin1=adm, admin1_iso=iso, location=loc, latitude=lat, longitude=lon,
                      geo_precision=prec, fatalities=fat, count=1, source=src, notes=notes,
                      imported_from="fixture")
        records.append(record)
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    return gpd.GeoDataFrame(frame, geometry=[Point(r[11], r[10]) for r in ROWS], crs="EPSG:4326")


@pytest.fixture(name="store")
def app_store(tmp_path, monkeypatch):
    """A temporary store holding the invented incidents; the dashboard opens it via $INCIDENT_ATLAS_DB
    (and imports into it go to a temporary user copy)."""
    from geo.store import open_store

    db = tmp_path / "atlas.gpkg"
    with open_store(str(db)) as s:
        s.upsert(sample_frame())
    monkeypatch.setenv("INCIDENT_ATLAS_DB", str(db))
    monkeypatch.setenv("INCIDENT_ATLAS_USER_DB", str(tmp_path / "user.gpkg"))
    return db
