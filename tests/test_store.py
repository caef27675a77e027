"""The embedded GeoPackage store: layout, types, upsert by stable key, transactions, filters."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pyogrio
import pytest

import geo.store.gpkg as embedded
from geo.errors import StoreError
from geo.filters import Filters
from geo.keys import content_hash
from geo.schema import COLUMNS, CRS
from geo.store import GeoPackageStore, UpsertResult, open_store


def incidents(n: int, *, prefix: str = "E", notes: str = "invented") -> pd.DataFrame:
    """``n`` invented incidents in a handful of schema columns (the rest are left out on purpose)."""
    places = [("Daraa", "SY-DR", 32.62, 36.10), ("Idlib", "SY-ID", 35.93, 36.63), ("Aleppo", "SY-HL", 36.2, 37.16)]
    rows = []
    for i in range(n):
        name, iso, lat, lon = places[i % 3]
        rows.append({
            "event_id": f"{prefix}{i:04d}", "event_date": dt.date(2020, 5, 1) + dt.timedelta(days=i % 20),
            "event_type": "Battles", "sub_event_type": "Armed clash", "kind": "clash",
            "actor1": "Blue Brigade", "actor2": "Red Front" if i % 2 else None,
            "admin1": name, "admin1_iso": iso, "location": f"Village {i}",
            "latitude": lat + i * 1e-4, "longitude": lon - i * 1e-4, "geo_precision": 1 + i % 3,
            "fatalities": i % 4, "notes": f"{notes} {i}",
        })
    return pd.DataFrame(rows)


def test_new_store_is_a_geopackage_that_gdal_reads(tmp_path):
    path = tmp_path / "new.gpkg"
    store = open_store(path)
    store.upsert(incidents(5))
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert conn.execute("SELECT data_type, srs_id FROM gpkg_contents WHERE table_name='incidents'").fetchone() == (
        "features", 4326)
    conn.close()
    info = pyogrio.read_info(path)
    assert info["driver"] == "GPKG" and info["geometry_type"] == "Point" and info["crs"] == "EPSG:4326"
    assert info["features"] == 5
    gdal = pyogrio.read_dataframe(path)
    first = gdal.sort_values("event_id").iloc[0]
    assert (first.geometry.x, first.geometry.y) == (36.10, 32.62)
    assert pd.Timestamp(first["event_date"]) == pd.Timestamp("2020-05-01")


def test_read_types_and_crs(tmp_store):
    tmp_store.upsert(incidents(6))
    frame = tmp_store.read()
    assert list(frame.columns) == [*COLUMNS, "geometry"]
    assert frame.crs == CRS
    assert str(frame["event_date"].dtype).startswith("datetime64") and frame["event_date"].dt.tz is None
    assert (frame["event_date"] == frame["event_date"].dt.normalize()).all()
    assert pd.api.types.is_numeric_dtype(frame["latitude"]) and pd.api.types.is_numeric_dtype(frame["fatalities"])
    assert pd.api.types.is_numeric_dtype(frame["geo_precision"])
    assert frame.loc[frame["event_id"] == "E0000", "actor2"].iloc[0] is None  # missing text is None
    assert frame["updated_at"].notna().all()
    assert (frame.geometry.x == frame["longitude"]).all() and (frame.geometry.y == frame["latitude"]).all()


def test_empty_store_reads_empty_typed_frame(tmp_store):
    frame = tmp_store.read()
    assert len(frame) == 0 and tmp_store.count() == 0
    assert list(frame.columns) == [*COLUMNS, "geometry"] and frame.crs == CRS


def test_upsert_is_idempotent(tmp_store):
    assert tmp_store.upsert(incidents(30)) == UpsertResult(added=30, updated=0)
    assert tmp_store.upsert(incidents(30)) == UpsertResult(added=0, updated=30)
    assert tmp_store.count() == 30


def test_upsert_updates_by_event_id_and_adds_new(tmp_store):
    tmp_store.upsert(incidents(10))
    changed = incidents(12, notes="corrected")
    assert tmp_store.upsert(changed) == UpsertResult(added=2, updated=10)
    frame = tmp_store.read()
    assert len(frame) == 12
    assert frame.set_index("event_id").loc["E0003", "notes"] == "corrected 3"


def test_rows_without_id_get_a_stable_content_hash(tmp_store):
    rows = incidents(3).drop(columns="event_id")
    tmp_store.upsert(rows)
    tmp_store.upsert(rows)
    frame = tmp_store.read()
    assert tmp_store.count() == 3
    assert all(e.startswith("h:") for e in frame["event_id"])
    record = rows.iloc[0].to_dict()
    record["event_date"] = pd.Timestamp(record["event_date"])
    assert content_hash(record) in set(frame["event_id"])


def test_failure_mid_import_leaves_store_unchanged(tmp_store, monkeypatch):
    tmp_store.upsert(incidents(20))
    before = tmp_store.read()
    original = embedded._row_tuples
    seen = {}

    def failing(frame):
        for number, row in enumerate(original(frame)):
            if number == 37:
                # another connection must not see the half-written import
                other = GeoPackageStore(tmp_store.path)
                seen["count"] = other.count()
                other.close()
                raise RuntimeError("injected failure")
            yield row

    monkeypatch.setattr(embedded, "BATCH_ROWS", 5)
    monkeypatch.setattr(embedded, "_row_tuples", failing)
    with pytest.raises(RuntimeError, match="injected"):
        tmp_store.upsert(incidents(60, notes="changed"))
    assert seen["count"] == 20
    after = tmp_store.read()
    assert tmp_store.count() == 20
    pd.testing.assert_frame_equal(before.drop(columns="geometry"), after.drop(columns="geometry"))
    monkeypatch.undo()
    assert tmp_store.upsert(incidents(60)) == UpsertResult(added=40, updated=20)  # still writable


def test_invalid_rows_write_nothing(tmp_store):
    tmp_store.upsert(incidents(3))
    bad = incidents(5, prefix="B")
    bad.loc[3, "latitude"] = 123.0
    with pytest.raises(StoreError, match="nothing was written"):
        tmp_store.upsert(bad)
    assert tmp_store.count() == 3


def test_sql_filters_agree_with_filters_apply(tmp_store):
    tmp_store.upsert(incidents(40))
    everything = tmp_store.read()
    cases = [Filters(since=dt.date(2020, 5, 5), until=dt.date(2020, 5, 9)), Filters(regions=("Dar'a", "Idleb")),
             Filters(types=("CLASH",)), Filters(precisions=(2,)), Filters(bbox=(36.0, 32.0, 36.2, 33.0)),
             Filters(actors=("Red Front",), regions=("SY-HL",))]
    for filters in cases:
        expected = sorted(filters.apply(everything)["event_id"])
        assert sorted(tmp_store.read(filters)["event_id"]) == expected, filters
        assert expected, filters  # every case selects something, so the comparison means something


def test_store_survives_reopen_and_uses_wal_after_writing(tmp_path):
    path = tmp_path / "reopen.gpkg"
    store = open_store(path)
    store.upsert(incidents(4))
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = open_store(path)
    assert again.count() == 4
    again.close()


def test_not_a_geopackage_is_a_store_error(tmp_path):
    path = tmp_path / "junk.gpkg"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable GeoPackage"):
        open_store(path)


def test_arrow_and_sqlite_reads_agree(tmp_store):
    tmp_store.upsert(incidents(25))
    for filters in (None, Filters(regions=("O'Brien's Land", "Daraa")), Filters(types=("x'); DROP TABLE incidents; --",)),
                    Filters(since=dt.date(2020, 5, 10))):
        tmp_store.fast_read = True
        fast = tmp_store.read(filters)
        tmp_store.fast_read = False
        plain = tmp_store.read(filters)
        pd.testing.assert_frame_equal(fast.drop(columns="geometry"), plain.drop(columns="geometry"))
        assert list(fast.geometry.x) == list(plain.geometry.x)
    assert tmp_store.count() == 25
    dates = list(plain["event_date"])
    assert dates == sorted(dates)  # oldest first


def test_read_only_file_is_read_but_never_written(tmp_path, monkeypatch):
    path = tmp_path / "odd #name?.gpkg"
    store = open_store(path)
    store.upsert(incidents(3))
    store.close()
    monkeypatch.setattr(embedded.os, "access", lambda *args, **kwargs: False)
    readonly = open_store(path)
    assert readonly.count() == 3 and len(readonly.read()) == 3
    with pytest.raises(StoreError, match="read-only"):
        readonly.upsert(incidents(1, prefix="N"))
    readonly.close()


def test_writes_keep_a_spatial_index_added_by_gis_software_current(tmp_path):
    """QGIS/GDAL may add a GeoPackage R-tree whose triggers call ST_* functions: upserts still work."""
    path = tmp_path / "indexed.gpkg"
    store = open_store(path)
    store.upsert(incidents(4))
    store.close()
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE VIRTUAL TABLE rtree_incidents_geom USING rtree(id, minx, maxx, miny, maxy);
        CREATE TRIGGER rtree_incidents_geom_insert AFTER INSERT ON incidents
          WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
        BEGIN INSERT OR REPLACE INTO rtree_incidents_geom VALUES (NEW.fid,
          ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
        CREATE TRIGGER rtree_incidents_geom_update1 AFTER UPDATE OF geom ON incidents
          WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
        BEGIN INSERT OR REPLACE INTO rtree_incidents_geom VALUES (NEW.fid,
          ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;
    """)
    conn.close()
    store = open_store(path)
    moved = incidents(6)
    moved.loc[0, "latitude"] = 34.5
    assert store.upsert(moved) == UpsertResult(added=2, updated=4)
    rows = dict((fid, (minx, miny)) for fid, minx, miny in
                store._conn.execute("SELECT id, minx, miny FROM rtree_incidents_geom"))
    store.close()
    assert len(rows) == 6
    assert any(abs(miny - 34.5) < 1e-4 and abs(minx - 36.10) < 1e-4 for minx, miny in rows.values())


def test_change_marker_moves_with_imports_only(tmp_path):
    """Opening, reading and closing the file (which creates and removes an empty write-ahead log) must
    not move the marker, or every dashboard rerun would rebuild its caches; an import must move it."""
    from geo.store import open_store
    from tests.store_contract import make_incidents

    db = tmp_path / "marker.gpkg"
    with open_store(db) as store:
        store.upsert(make_incidents(5))
    with open_store(db) as store:
        before = store.change_marker()
        store.read()
    with open_store(db) as store:
        assert store.change_marker() == before
        store.upsert(make_incidents(2, seed=3, prefix="N"))
        after = store.change_marker()
    assert after != before
    with open_store(db) as store:
        store.upsert(make_incidents(2, seed=3, prefix="N"))  # same rows again: still a write
        assert store.change_marker() != after


def test_one_place_tells_a_server_url_from_a_file_and_reading_never_creates_a_file(tmp_path):
    import pytest

    from geo.errors import InputError
    from geo.store import backend_of, is_server_url, open_store

    assert is_server_url("postgresql://u@h/db") and is_server_url("postgres://h/db")
    assert not is_server_url(tmp_path / "postgresql.gpkg") and backend_of("x.gpkg") == "gpkg"
    assert backend_of("postgresql://u@h/db") == "postgis"
    missing = tmp_path / "nowhere" / "atlas.gpkg"
    with pytest.raises(InputError, match="atlas.gpkg: store does not exist"):
        open_store(missing, create=False)
    assert not missing.exists() and not missing.parent.exists()
