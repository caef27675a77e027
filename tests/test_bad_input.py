"""Bad input files: each gives a clear, specific error (file, row, column) and leaves the store untouched.

Every case goes through the real command line (``python -m geo import FILE --db STORE``, run in-process):
the exit code is 2, stderr names the file (and the row/column where there is one), and the store has the
same bytes and the same incidents as before. See docs/RELIABILITY.md for the table of cases.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from geo import _safety
from geo.cli import main

HEADER = "event_id,event_date,event_type,sub_event_type,actor1,country,admin1,location,latitude,longitude," \
         "geo_precision,fatalities,notes"
GOOD_ROWS = [
    "BAD-1,2021-04-02,Battles,Armed clash,Hill Watch,Syria,Daraa,Tafas,32.7369,35.9981,1,0,Invented: a short exchange of fire.",
    "BAD-2,2021-04-03,Protests,Peaceful protest,Bakers Union,Syria,Homs,Homs,34.7308,36.7094,1,0,Invented: bakers marched.",
    "BAD-3,2021-04-04,Riots,Mob violence,Market Crowd,Syria,Aleppo,Aleppo,36.2021,37.1343,1,2,Invented: stalls overturned.",
]
SEED_ROWS = [
    "SEED-1,2020-01-10,Battles,Armed clash,Ridge Guard,Syria,Idleb,Ariha,35.8126,36.6096,1,1,Invented seed row one.",
    "SEED-2,2020-01-11,Protests,Peaceful protest,Teachers,Syria,Daraa,Bosra,32.5186,36.4817,1,0,Invented seed row two.",
]


def csv_text(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def replace_field(row: str, index: int, value: str) -> str:
    parts = row.split(",")
    parts[index] = value
    return ",".join(parts)


COLUMN = {name: i for i, name in enumerate(HEADER.split(","))}


def good_feature(lon=36.1021, lat=32.6189, **props) -> dict:
    properties = {"event_id": "GJ-1", "event_date": "2021-05-01", "location": "Daraa",
                  "notes": "Invented feature."} | props
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}


def collection(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0)), data,
                             compress_type=compression)
    return buffer.getvalue()


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("link.csv", date_time=(2021, 1, 1, 0, 0, 0))
        info.create_system = 3
        info.external_attr = (0o120777 << 16)
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@dataclass
class Case:
    """One bad file: its name, how to make its bytes, and the text the error must contain."""

    id: str
    name: str
    make: Callable[[Path], bytes | None]
    expect: list[str]
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


def _sparse_huge(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.write((HEADER + "\n").encode())
        handle.truncate(2 * 1024 ** 3 + 17)  # 2 GB: sparse, costs no disk
    return None


def _gpkg_without_points(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    return None


future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
row = GOOD_ROWS[0]
CASES = [
    # -- CSV structure
    Case("truncated_csv_mid_quote", "cut.csv",
         lambda p: (csv_text(GOOD_ROWS[:2]) + GOOD_ROWS[2].replace(",Invented", ',"Invented')[:-8]).encode(),
         ["cut.csv:4", "malformed CSV", "EOF inside string"]),
    Case("unbalanced_quotes", "quotes.csv",
         lambda p: csv_text([GOOD_ROWS[0], replace_field(GOOD_ROWS[1], COLUMN["notes"], '"Invented: a loud march'),
                             GOOD_ROWS[2]]).encode(),
         ["quotes.csv:3", "malformed CSV", "quoted field opened in this row is never closed"]),
    Case("too_many_fields", "ragged.csv",
         lambda p: csv_text([GOOD_ROWS[0], GOOD_ROWS[1] + ",surplus,more", GOOD_ROWS[2]]).encode(),
         ["ragged.csv:3", "Expected 13 fields", "saw 15"]),
    Case("no_date_column", "nodate.csv",
         lambda p: b"id,latitude,longitude\n1,33.5,36.3\n",
         ["nodate.csv", "no date column"]),
    Case("missing_required_acled_column", "acled_cut.csv",
         lambda p: ("event_id_cnty,event_date,sub_event_type,actor1,latitude\n"
                    "X1,2021-01-01,Armed clash,Someone,33.5\n").encode(),
         ["acled_cut.csv", "missing required ACLED column(s): longitude"], args=["--format", "acled"]),
    # -- encodings
    Case("mixed_encodings", "mixed.csv",
         lambda p: (csv_text([replace_field(GOOD_ROWS[0], COLUMN["notes"], "درعا البلد")]).encode("utf-8")
                    + (replace_field(GOOD_ROWS[1], COLUMN["notes"], "حمص") + "\n").encode("cp1256")),
         ["mixed.csv", "mixed text encodings", "line 3 is not"]),
    Case("utf8_bom_then_invalid_bytes", "bom.csv",
         lambda p: b"\xef\xbb\xbf" + csv_text(GOOD_ROWS[:1]).encode() + b"BAD-9,2021-01-01,\xff\xfe\xfa\n",
         ["bom.csv", "byte-order mark", "line 3 is not UTF-8"]),
    Case("utf16_bom_broken", "u16.csv",
         lambda p: b"\xff\xfe" + csv_text(GOOD_ROWS[:1]).encode("utf-16-le") + b"\x00\xd8",
         ["u16.csv", "does not decode as UTF-16"]),
    Case("empty_file", "empty.csv", lambda p: b"", ["empty.csv: the file is empty"]),
    Case("whitespace_only_file", "blank.csv", lambda p: b"  \n\r\n\t\n", ["blank.csv: the file is empty"]),
    Case("binary_png_renamed_csv", "photo.csv",
         lambda p: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, ["photo.csv", "binary file"]),
    Case("binary_without_nul_bytes", "noise.csv",
         lambda p: bytes((i * 37 + 11) % 32 for i in range(2000)).replace(b"\x00", b"\x01")
         .replace(b"\n", b"\x02").replace(b"\r", b"\x03").replace(b"\t", b"\x04"),
         ["noise.csv", "binary file"]),
    Case("over_size_limit_refused_before_reading", "huge.csv", _sparse_huge,
         ["huge.csv", "larger than the import limit"]),
    Case("over_lowered_size_limit", "medium.csv", lambda p: csv_text(GOOD_ROWS * 400).encode(),
         ["medium.csv", "larger than the import limit of 0.01 MB"], env={_safety.SIZE_ENV: "0.01"}),
    # -- values
    Case("latitude_outside_world", "lat.csv",
         lambda p: csv_text([GOOD_ROWS[0], replace_field(GOOD_ROWS[1], COLUMN["latitude"], "95.2"), GOOD_ROWS[2]])
         .encode(), ["lat.csv:3:latitude", "outside [-90, 90]"]),
    Case("longitude_outside_world", "lon.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["longitude"], "-190")]).encode(),
         ["lon.csv:2:longitude", "outside [-180, 180]"]),
    Case("coordinate_not_a_number", "nan.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["latitude"], "inf")]).encode(),
         ["nan.csv:2:latitude", "'inf' is not a number"]),
    Case("only_one_coordinate", "half.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["longitude"], "")]).encode(),
         ["half.csv:2:longitude", "only one of latitude/longitude"]),
    Case("lat_lon_swapped_syria", "swapped.csv",
         lambda p: csv_text([GOOD_ROWS[0], replace_field(replace_field(GOOD_ROWS[1], COLUMN["latitude"], "36.7094"),
                                                         COLUMN["longitude"], "34.7308")]).encode(),
         ["swapped.csv:3:latitude", "swapped", "latitude 34.7308, longitude 36.7094", "Syria"]),
    Case("date_in_future", "future.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["event_date"], future)]).encode(),
         ["future.csv:2:event_date", f"date {future} is before 1900 or in the future"]),
    Case("date_before_1900", "old.csv",
         lambda p: csv_text([GOOD_ROWS[0], replace_field(GOOD_ROWS[2], COLUMN["event_date"], "1850-03-01")]).encode(),
         ["old.csv:3:event_date", "date 1850-03-01 is before 1900"]),
    Case("date_unreadable", "baddate.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["event_date"], "31/31/2021")]).encode(),
         ["baddate.csv:2:event_date", "'31/31/2021' is not a date"]),
    Case("negative_fatalities", "dead.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["fatalities"], "-3")]).encode(),
         ["dead.csv:2:fatalities", "is not a whole number >= 0"]),
    Case("geo_precision_out_of_range", "prec.csv",
         lambda p: csv_text([replace_field(GOOD_ROWS[0], COLUMN["geo_precision"], "7")]).encode(),
         ["prec.csv:2:geo_precision", "is not one of (1, 2, 3)"]),
    Case("acled_unknown_event_type", "acled_type.csv",
         lambda p: ("event_id_cnty,event_date,event_type,sub_event_type,actor1,latitude,longitude\n"
                    "X1,2021-01-01,Picnics,Armed clash,Someone,33.5,36.3\n").encode(),
         ["acled_type.csv:2:event_type", "'Picnics' is not an ACLED event type"]),
    # -- GeoJSON
    Case("geojson_invalid_json", "broken.geojson",
         lambda p: collection(good_feature())[:-5].encode(), ["broken.geojson", "not valid JSON"]),
    Case("geojson_not_a_feature_collection", "list.geojson",
         lambda p: b'[{"lat": 1, "lon": 2}]', ["list.geojson", "not a GeoJSON Feature or FeatureCollection"]),
    Case("geojson_polygon_geometry", "poly.geojson",
         lambda p: collection(good_feature(), {**good_feature(event_id="GJ-2"), "geometry": {
             "type": "Polygon", "coordinates": [[[36, 32], [36.1, 32], [36.1, 32.1], [36, 32]]]}}).encode(),
         ["poly.geojson:2:geometry", "geometry is a Polygon; only points can be imported"]),
    Case("geojson_linestring_geometry", "line.geojson",
         lambda p: collection({**good_feature(), "geometry": {"type": "LineString",
                                                              "coordinates": [[36, 32], [36.2, 32.2]]}}).encode(),
         ["line.geojson:1:geometry", "LineString"]),
    Case("geojson_point_coordinates_not_numbers", "strcoords.geojson",
         lambda p: collection({**good_feature(), "geometry": {"type": "Point", "coordinates": ["36", "x"]}}).encode(),
         ["strcoords.geojson:1:geometry", "are not [lon, lat]"]),
    Case("geojson_point_outside_world", "far.geojson",
         lambda p: collection(good_feature(lon=212.5, lat=33.1)).encode(),
         ["far.geojson:1:longitude", "longitude 212.5 is outside [-180, 180]"]),
    Case("geojson_point_swapped", "swapped.geojson",
         lambda p: collection(good_feature(lon=32.6189, lat=36.1021, country="Syria")).encode(),
         ["swapped.geojson:1:latitude", "swapped", "latitude 32.6189, longitude 36.1021"]),
    # -- archives and containers
    Case("zip_path_traversal", "shapes.zip",
         lambda p: zip_bytes({"ok/readme.txt": b"hello", "../../etc/cron.d/evil.shp": b"x" * 100}),
         ["shapes.zip", "unsafe path", "../../etc/cron.d/evil.shp"]),
    Case("zip_absolute_path", "abs.zip",
         lambda p: zip_bytes({"/tmp/evil.dbf": b"x" * 10}), ["abs.zip", "unsafe path", "/tmp/evil.dbf"]),
    Case("zip_windows_drive_path", "drive.zip",
         lambda p: zip_bytes({"C:\\Windows\\evil.shp": b"x" * 10}), ["drive.zip", "unsafe path"]),
    Case("zip_symlink_member", "link.zip", lambda p: symlink_zip(), ["link.zip", "symbolic link", "link.csv"]),
    Case("zip_bomb_ratio", "bomb.zip",
         lambda p: zip_bytes({"layer.shp": b"\0" * (20 * 1024 * 1024)}), ["bomb.zip", "compression ratio", "layer.shp"]),
    Case("xlsx_bomb_ratio", "bomb.xlsx",
         lambda p: zip_bytes({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b" " * (20 * 1024 * 1024)}),
         ["bomb.xlsx", "compression ratio", "xl/worksheets/sheet1.xml"]),
    Case("zipped_shapefile_not_supported", "roads.zip",
         lambda p: zip_bytes({"roads.shp": b"\0" * 100, "roads.dbf": b"\0" * 100}, compression=zipfile.ZIP_STORED),
         ["roads.zip", "zip archive", "not supported"]),
    Case("xlsx_damaged", "broken.xlsx", lambda p: b"PK\x03\x04" + b"\x01" * 300,
         ["broken.xlsx", "not a readable zip archive"]),
    Case("gpkg_damaged", "broken.gpkg", lambda p: b"SQLite format 3\x00" + b"\x07" * 600,
         ["broken.gpkg", "not a readable GeoPackage"]),
    Case("gpkg_without_point_layer", "tables.gpkg", _gpkg_without_points,
         ["tables.gpkg", "not a readable GeoPackage", "gpkg_contents"]),
    Case("old_excel_xls", "book.xls", lambda p: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
         ["book.xls", ".xls files are not supported"]),
    Case("unrecognised_file_type", "notes.dat", lambda p: b"some words without any structure at all",
         ["notes.dat", "unrecognised file type"]),
    Case("missing_file", "does_not_exist.csv", lambda p: None, ["does_not_exist.csv", "no such file"]),
]


def _store_state(db: Path) -> tuple[bytes, list[tuple]]:
    """The store file's bytes and its incidents (event id, date, lat, lon, notes), read without writing."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT event_id, event_date, latitude, longitude, notes FROM incidents "
                            "ORDER BY event_id").fetchall()
    finally:
        conn.close()
    return db.read_bytes(), rows


@pytest.fixture
def seeded_db(tmp_path) -> Path:
    """A store holding two invented incidents, imported through the CLI."""
    seed = tmp_path / "seed.csv"
    seed.write_text(csv_text(SEED_ROWS), encoding="utf-8")
    db = tmp_path / "store.gpkg"
    assert main(["import", str(seed), "--db", str(db)]) == 0
    return db


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(case: Case, seeded_db, tmp_path, capsys, monkeypatch):
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / case.name
    data = case.make(path)
    if data is not None:
        path.write_bytes(data)
    before = _store_state(seeded_db)
    files_before = sorted(p.name for p in seeded_db.parent.iterdir())
    capsys.readouterr()

    code = main(["import", str(path), "--db", str(seeded_db), *case.args])

    err = capsys.readouterr().err
    assert code == 2, err
    message = err.strip().splitlines()[-1]
    assert message.startswith("error: "), err
    for text in case.expect:
        assert text in message, f"{text!r} not in {message!r}"
    assert sorted(p.name for p in seeded_db.parent.iterdir()) == files_before
    assert _store_state(seeded_db) == before


def test_there_are_at_least_thirty_named_cases():
    assert len({c.id for c in CASES}) == len(CASES) >= 30


# -- inputs that look odd but are good: they must import, decoded correctly --------------------------------------
ARABIC_ROW = "AR-1,2021-06-01,Protests,Peaceful protest,متظاهرون,Syria,Daraa,درعا,32.6189,36.1021,1,0,احتجاج على انقطاع المياه"


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16", "utf-16-le-no-bom", "utf-16-be-no-bom", "utf-8-sig"])
def test_arabic_in_other_encodings_imports_correctly(encoding, seeded_db, tmp_path, capsys):
    text = csv_text([ARABIC_ROW])
    data = {"utf-16-le-no-bom": lambda: text.encode("utf-16-le"),
            "utf-16-be-no-bom": lambda: text.encode("utf-16-be")}.get(encoding, lambda: text.encode(encoding))()
    path = tmp_path / f"arabic_{encoding}.csv"
    path.write_bytes(data)
    assert main(["import", str(path), "--db", str(seeded_db)]) == 0, capsys.readouterr().err
    summary = json.loads(capsys.readouterr().out)
    assert summary["added"] == 1
    _, rows = _store_state(seeded_db)
    stored = {r[0]: r for r in rows}["AR-1"]
    assert stored[4] == "احتجاج على انقطاع المياه"


def test_formula_like_cells_import_as_plain_text(seeded_db, tmp_path, capsys):
    notes = "=HYPERLINK(\"http://example.invalid\",\"click\")"
    path = tmp_path / "formula.csv"
    path.write_text(csv_text([replace_field(GOOD_ROWS[0], COLUMN["notes"], '"' + notes.replace('"', '""') + '"')]),
                    encoding="utf-8")
    assert main(["import", str(path), "--db", str(seeded_db)]) == 0, capsys.readouterr().err
    _, rows = _store_state(seeded_db)
    assert {r[0]: r for r in rows}["BAD-1"][4] == notes


def test_skip_bad_keeps_the_good_rows_and_names_the_bad(seeded_db, tmp_path, capsys):
    path = tmp_path / "some_bad.csv"
    path.write_text(csv_text([GOOD_ROWS[0], replace_field(GOOD_ROWS[1], COLUMN["latitude"], "123"), GOOD_ROWS[2]]))
    assert main(["import", str(path), "--db", str(seeded_db), "--skip-bad"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["added"] == 2
    assert summary["rejected"] == [{"file": "some_bad.csv", "row": 3, "column": "latitude",
                                    "reason": "latitude 123.0 is outside [-90, 90]"}]


def test_zip_inspection_accepts_a_plain_archive(tmp_path):
    path = tmp_path / "fine.zip"
    path.write_bytes(zip_bytes({"a/b.csv": b"x,y\n1,2\n" * 50}))
    info = _safety.inspect_zip(path, file="fine.zip")
    assert info.members == 1 and info.uncompressed == 400


def test_size_limit_is_checked_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    _sparse_huge(path)

    def no_reading(*args, **kwargs):  # pragma: no cover - would mean the file is being read
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", no_reading)
    with pytest.raises(_safety.InputError, match="huge.csv: .*larger than the import limit of 200 MB"):
        _safety.check_input_size(path, file="huge.csv")


def test_dashboard_uploads_get_the_same_guards_and_safe_names():
    """The dashboard's upload path (geo.ingest.session) runs the same checks; a hostile file name is
    reduced to its last part, so nothing is written outside the upload's temporary folder."""
    from geo.errors import InputError
    from geo.ingest.session import preview_upload

    bomb = zip_bytes({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b" " * (20 * 1024 * 1024)})
    with pytest.raises(InputError, match=r"^bomb\.xlsx: .*compression ratio"):
        preview_upload("../../../tmp/bomb.xlsx", bomb)
    with pytest.raises(InputError, match=r"^x\.csv: the file is empty"):
        preview_upload("..\\..\\x.csv", b" \n")
    with pytest.raises(InputError, match=r"^swap\.csv: .*look swapped"):
        preview_upload("/etc/swap.csv", csv_text([replace_field(replace_field(GOOD_ROWS[1], COLUMN["latitude"],
                                                                              "36.7094"), COLUMN["longitude"],
                                                                "34.7308")]).encode())
