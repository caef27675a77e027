"""Data exports: lossless round trips, ACLED column order, formula neutralising, valid and escaped KML,
and the import/export command line."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from geo.cli import main
from geo.errors import InputError
from geo.export import export
from geo.ingest import load
from geo.ingest._columns import ACLED_COLUMNS

KML_NS = "{http://www.opengis.net/kml/2.2}"
KEPT = ["event_id", "event_date", "date_end", "time_precision", "event_type", "sub_event_type", "kind", "actor1",
        "assoc_actor_1", "actor2", "assoc_actor_2", "country", "admin1", "admin1_iso", "admin2", "admin3",
        "location", "latitude", "longitude", "geo_precision", "fatalities", "source", "notes"]


def _same(before: pd.DataFrame, after: pd.DataFrame) -> None:
    left = before.sort_values("event_id").reset_index(drop=True)
    right = after.sort_values("event_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(left[KEPT], right[KEPT])
    assert [json.loads(e) for e in left["extra"]] == [json.loads(e) for e in right["extra"]]


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
@pytest.mark.parametrize("fixture", ["acled_old.csv", "acled_new.csv", "ucdp_ged.csv"])
def test_round_trip_loses_nothing(fixtures_dir, tmp_path, fmt, fixture):
    first = load(fixtures_dir / fixture).frame
    out = export(first, fmt, tmp_path / f"out.{fmt}")
    second = load(out).frame
    _same(first, second)


def test_round_trip_through_the_store_and_cli(fixtures_dir, tmp_path, capsys):
    db = str(tmp_path / "atlas.gpkg")
    assert main(["import", str(fixtures_dir / "acled_old.csv"), "--db", db]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["added"], summary["updated"], summary["rejected"], summary["total"]) == (4, 0, [], 4)
    assert main(["import", str(fixtures_dir / "acled_old.csv"), "--db", db]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["added"], again["updated"], again["total"]) == (0, 4, 4)
    out = tmp_path / "daraa.geojson"
    assert main(["export", "--db", db, "--out", str(out), "--region", "Daraa"]) == 0
    assert json.loads(capsys.readouterr().out) == {"out": str(out), "format": "geojson", "count": 1}
    feature = json.loads(out.read_text())["features"][0]
    assert feature["geometry"]["coordinates"] == [36.4816, 32.5174]
    assert feature["properties"]["event_date"] == "2020-05-09"
    assert feature["properties"]["actor1"] == "Military Forces of Syria (2000-)"


def test_cli_reports_bad_rows_and_writes_nothing(fixtures_dir, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes((fixtures_dir / "acled_old.csv").read_bytes().replace(b"9-May-20", b"someday"))
    db = tmp_path / "atlas.gpkg"
    assert main(["import", str(bad), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["added"] == 0 and summary["rejected"][0] == {
        "file": "bad.csv", "row": 2, "column": "event_date", "reason": "'someday' is not a date"}
    assert "bad.csv:2:event_date" in captured.err
    assert not db.exists()
    assert main(["import", str(bad), "--db", str(db), "--skip-bad"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 3


def test_cli_import_with_mapping(tmp_path, capsys):
    path = tmp_path / "log.csv"
    path.write_text("Logged,N,E\n2021-05-01,33.0719,36.1832\n")
    db = str(tmp_path / "atlas.gpkg")
    assert main(["import", str(path), "--db", db, "--map", "date=Logged", "--map", "lat=N",
                 "--map", "longitude=E"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 1
    assert main(["import", str(path), "--db", db, "--map", "date"]) == 2
    assert "COLUMN=SOURCE_COLUMN" in capsys.readouterr().err


def test_csv_starts_with_acled_columns_in_acled_order(fixtures_dir, tmp_path):
    out = export(load(fixtures_dir / "acled_old.csv").frame, "csv", tmp_path / "out.csv")
    header = next(csv.reader(io.StringIO(out.read_text())))
    assert header[:len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert {"admin1_iso", "kind", "date_end", "data_id", "iso3"} <= set(header[len(ACLED_COLUMNS):])
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["event_date"] == "2020-05-09" and rows[0]["year"] == "2020"
    assert rows[0]["event_id_cnty"] == "TST1001" and rows[0]["admin1_iso"] == "SY-DR"


def test_csv_neutralises_formula_cells_and_import_reverses_it(fixtures_dir, tmp_path):
    frame = load(fixtures_dir / "acled_old.csv").frame.copy()
    frame.loc[0, "actor1"] = "+Plus Group"
    frame.loc[1, "location"] = "@home"
    frame.loc[2, "notes"] = "-1 shell fell"
    frame.loc[2, "source"] = "\tTabbed"
    out = export(frame, "csv", tmp_path / "out.csv")
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(out.read_text(), newline=""))}
    assert rows["TST1004"]["notes"].startswith("'=HYPERLINK(")
    assert rows["TST1001"]["actor1"] == "'+Plus Group" and rows["TST1002"]["location"] == "'@home"
    assert rows["TST1003"]["notes"] == "'-1 shell fell" and rows["TST1003"]["source"] == "'\tTabbed"
    assert rows["TST1001"]["latitude"] == "32.5174"  # numbers are left alone
    back = load(out).frame.set_index("event_id")
    assert back.loc["TST1004", "notes"].startswith("=HYPERLINK(")
    assert back.loc["TST1001", "actor1"] == "+Plus Group" and back.loc["TST1002", "location"] == "@home"
    assert back.loc["TST1003", "notes"] == "-1 shell fell" and back.loc["TST1003", "source"] == "\tTabbed"


def test_kml_is_valid_xml_with_escaped_description(fixtures_dir, tmp_path):
    frame = load(fixtures_dir / "acled_new.csv").frame.copy()
    frame.loc[0, "notes"] = '<script>alert("x")</script> & <img src=x onerror=alert(1)> \x07bell'
    frame.loc[1, "actor1"] = "Group ]]> <b>bold</b>"
    out = export(frame, "kml", tmp_path / "out.kml")
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text and "<b>bold" not in text
    root = ET.parse(out).getroot()
    marks = root.findall(f".//{KML_NS}Placemark")
    assert len(marks) == 3
    by_id = {m.find(f".//{KML_NS}Data[@name='event_id']/{KML_NS}value").text: m for m in marks}
    first = by_id["TST2001"]
    description = first.find(f"{KML_NS}description").text
    # after XML parsing the balloon HTML still has the user's text escaped as HTML
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in description
    assert "\x07" not in description
    assert first.find(f".//{KML_NS}TimeStamp/{KML_NS}when").text == "2023-03-14"
    assert first.find(f".//{KML_NS}coordinates").text == "36.32,35.81"
    assert first.find(f"{KML_NS}name").text == "air strike – Jisr al-Shughur"
    assert "Group ]]&gt; &lt;b&gt;bold&lt;/b&gt;" in by_id["TST2002"].find(f"{KML_NS}description").text


def test_kml_time_span_for_date_ranges(fixtures_dir, tmp_path):
    out = export(load(fixtures_dir / "ucdp_ged.csv").frame, "kml", tmp_path / "ranges.kml")
    root = ET.parse(out).getroot()
    spans = root.findall(f".//{KML_NS}TimeSpan")
    assert [(s.find(f"{KML_NS}begin").text, s.find(f"{KML_NS}end").text) for s in spans] == [
        ("2020-05-01", "2020-05-31"), ("2020-05-18", "2020-05-20")]


def test_export_errors(fixtures_dir, tmp_path, capsys):
    frame = load(fixtures_dir / "acled_new.csv").frame
    with pytest.raises(InputError, match="unknown export format 'shp'"):
        export(frame, "shp", tmp_path / "x.shp")
    with pytest.raises(InputError, match="does not exist"):
        export(frame, "csv", tmp_path / "missing" / "x.csv")
    assert main(["export", "--db", str(tmp_path / "none.gpkg"), "--out", str(tmp_path / "x.csv")]) == 2
    assert "store does not exist" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path / "x.txt")]) == 2
    assert "--format" in capsys.readouterr().err


def test_empty_export_is_still_valid(tmp_store, tmp_path):
    frame = tmp_store.read()
    for fmt in ("csv", "geojson", "gpkg", "kml"):
        out = export(frame, fmt, tmp_path / f"empty.{fmt}")
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "empty.geojson").read_text())["features"] == []
    ET.parse(tmp_path / "empty.kml")
