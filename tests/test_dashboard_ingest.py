"""geo.ingest.session (the dashboard's import flow) and geo.view_export (its download buttons)."""

from __future__ import annotations

import datetime as dt
import json
import re

import geopandas as gpd
import pytest

from geo.ingest import session
from geo import view_export
from geo.errors import InputError, RowErrors
from geo.filters import Filters
from geo.geocode import Geocoder
from geo.geocode.location import Location
from geo.store import open_store
from tests.dashboard_fixtures import sample_frame

CSV = (b"event_id,event_date,event_type,sub_event_type,actor1,admin1,location,latitude,longitude,geo_precision,"
       b"fatalities,source,notes\n"
       b"N1,2026-03-05,Battles,Armed clash,Blue Brigade,Daraa,Newtown,32.70,36.20,1,1,Test,Invented row one\n"
       b"N2,2026-03-06,Protests,Peaceful protest,Protesters (Syria),Hama,Othertown,35.10,36.70,1,0,Test,Invented two\n")
BAD_CSV = CSV + b"N3,not-a-date,Battles,Armed clash,Blue Brigade,Daraa,X,32.7,36.2,1,0,Test,Bad date row\n"
REPORT = ("On Monday, an air strike hit the outskirts of Busra al-Harir in Daraa governorate, killing two "
          "people, local sources said. This report is invented for a test.")


@pytest.fixture()
def store(tmp_path):
    db = tmp_path / "atlas.gpkg"
    s = open_store(str(db))
    s.upsert(sample_frame())
    s.close()
    return str(db)


def rows(db: str) -> gpd.GeoDataFrame:
    s = open_store(db)
    try:
        return s.read()
    finally:
        s.close()


def test_csv_upload_preview_then_commit(store):
    preview = session.preview_upload("new.csv", CSV)
    assert preview.kind == "table" and list(preview.frame["event_id"]) == ["N1", "N2"]
    assert list(preview.frame["admin1_iso"]) == ["SY-DR", "SY-HM"]
    assert len(rows(store)) == 8  # previewing writes nothing
    target, result = session.commit(preview, store)
    assert target == store and (result.added, result.updated) == (2, 0)
    assert len(rows(store)) == 10
    _, again = session.commit(session.preview_upload("new.csv", CSV), store)
    assert (again.added, again.updated) == (0, 2)


def test_bad_rows_name_the_row_and_nothing_is_written(store):
    with pytest.raises(RowErrors) as info:
        session.preview_upload("bad.csv", BAD_CSV)
    assert "bad.csv" in str(info.value) and ":4:" in str(info.value)
    skipped = session.preview_upload("bad.csv", BAD_CSV, skip_bad=True)
    assert len(skipped.frame) == 2 and len(skipped.rejected) == 1 and "event_date" in skipped.rejected[0]
    assert len(rows(store)) == 8


def test_empty_binary_and_undated_report_uploads_are_refused():
    with pytest.raises(InputError, match="empty"):
        session.preview_upload("x.csv", b"")
    with pytest.raises(InputError, match="publication date"):
        session.preview_upload("report.txt", REPORT.encode())
    with pytest.raises(InputError):
        session.preview_upload("photo.csv", bytes(range(256)) * 40)


def test_commit_refuses_an_invalid_preview_without_writing(store):
    preview = session.preview_upload("new.csv", CSV)
    preview.frame.loc[1, "latitude"] = 123.0  # broken after preview
    with pytest.raises(RowErrors) as info:
        session.commit(preview, store)
    assert ":2:latitude" in str(info.value)
    assert len(rows(store)) == 8


def test_report_extraction_fix_geocode_and_alias(store, tmp_path, monkeypatch):
    geocoder = Geocoder(aliases_path=tmp_path / "aliases.csv")
    monkeypatch.setattr("geo.geocode.get_geocoder", lambda: geocoder)
    preview = session.preview_text(REPORT, published=dt.date(2026, 3, 11), source_name="pasted")
    assert preview.kind == "report" and len(preview.frame) >= 1
    first = preview.frame.iloc[0]
    assert first["admin1_iso"] == "SY-DR"
    event_id = str(first["event_id"])
    # choose another place for it: the first candidate for Daraa city
    candidates = session.candidates_for("Daraa")
    assert candidates and all(isinstance(c, Location) for c in candidates)
    chosen = candidates[0]
    session.apply_location(preview, event_id, chosen)
    row = preview.frame[preview.frame["event_id"] == event_id].iloc[0]
    assert (row["latitude"], row["longitude"]) == (chosen.lat, chosen.lon)
    assert row.geometry.x == chosen.lon
    session.remember_fix("Old Mill Junction", chosen)
    assert geocoder.candidates("Old Mill Junction")[0].name == chosen.name
    assert "Old Mill Junction" in (tmp_path / "aliases.csv").read_text(encoding="utf-8")
    # or click the map
    placed = session.apply_point(preview, event_id, 35.13, 36.75)
    assert placed.admin1_iso == "SY-HM" and placed.geo_precision == 1
    _, result = session.commit(preview, store)
    assert result.added == len(preview.frame)


def test_sample_store_is_never_written_user_copy_is(tmp_path, monkeypatch):
    from geo.paths import SAMPLE_DB

    monkeypatch.setenv(session.USER_DB_ENV_VAR, str(tmp_path / "mine" / "atlas.gpkg"))
    before = SAMPLE_DB.read_bytes()
    target, result = session.commit(session.preview_upload("new.csv", CSV), str(SAMPLE_DB))
    assert target == str(tmp_path / "mine" / "atlas.gpkg") and result.added == 2
    assert SAMPLE_DB.read_bytes() == before
    assert {"N1", "N2"} <= set(rows(target)["event_id"])
    assert len(rows(target)) == len(rows(str(SAMPLE_DB))) + 2


@pytest.mark.parametrize("key", ["csv", "geojson", "gpkg", "kml", "html"])
def test_exports_of_the_filtered_view_hold_its_incidents(key, tmp_path):
    frame = Filters(regions=("SY-DR",)).apply(sample_frame())
    data = view_export.render(key, frame, Filters(regions=("SY-DR",)))
    if key == "csv":
        assert data.decode("utf-8-sig").count("\n") == 1 + 3
    elif key == "geojson":
        assert len(json.loads(data)["features"]) == 3
    elif key == "gpkg":
        path = tmp_path / "x.gpkg"
        path.write_bytes(data)
        assert len(gpd.read_file(path)) == 3
    elif key == "kml":
        assert data.count(b"<Placemark") == 3
    else:
        text = data.decode()
        assert '"data":{"n":3' in text and "Governorates: Daraa" in text
        assert not re.search(r'<(script|img)[^>]+src="http|<link[^>]+href="http', text)  # no CDN loads


@pytest.mark.browser
def test_png_export_is_a_picture():
    data = view_export.render("png", sample_frame(), Filters())
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
