"""Importers: format detection, ACLED layouts, UCDP, mapped CSV/XLSX, GeoJSON, GeoPackage, encodings,
geocoder and extractor hooks, and every kind of bad input with its message."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from geo.errors import InputError, MissingColumnsError, RowErrors, UnknownFormatError
from geo.ingest import _geo_hooks, load
from geo.geocode.location import Location


def extra_of(frame: pd.DataFrame, event_id: str) -> dict:
    return json.loads(frame.set_index("event_id").loc[event_id, "extra"])


# -- ACLED ------------------------------------------------------------------------------------------------
def test_acled_old_layout_with_crlf(fixtures_dir):
    raw = (fixtures_dir / "acled_old.csv").read_bytes()
    assert b"\r\n" in raw
    result = load(fixtures_dir / "acled_old.csv")
    frame = result.frame.set_index("event_id")
    assert result.format == "acled-old" and result.encoding == "utf-8" and result.rejected == []
    assert list(frame.index) == ["TST1001", "TST1002", "TST1003", "TST1004"]
    assert frame.loc["TST1001", "event_date"] == pd.Timestamp("2020-05-09")
    assert frame.loc["TST1004", "event_date"] == pd.Timestamp("2020-06-01")
    assert frame.loc["TST1001", "admin1"] == "Daraa" and frame.loc["TST1001", "admin1_iso"] == "SY-DR"
    assert frame.loc["TST1002", "admin1_iso"] == "SY-ID"
    assert frame.loc["TST1003", "admin1_iso"] == "SY-RD" and frame.loc["TST1004", "admin1_iso"] == "SY-SU"
    assert frame.loc["TST1002", "notes"].endswith('"several" craters were seen.')
    assert frame.loc["TST1003", "assoc_actor_2"] == "Farmers (Syria)"
    assert frame.loc["TST1001", "kind"] == "clash"
    assert (frame.loc["TST1001", "latitude"], frame.loc["TST1001", "longitude"]) == (32.5174, 36.4816)
    assert frame.loc["TST1001", "geometry"].equals(Point(36.4816, 32.5174))
    extra = extra_of(result.frame, "TST1001")
    assert extra["data_id"] == "9000001" and extra["iso3"] == "SYR" and extra["inter1"] == "1"
    assert "\r" not in "".join(result.frame["notes"])
    text_columns = ["event_id", "actor1", "assoc_actor_1", "country", "admin1", "notes", "extra"]
    assert all(result.frame[c].dtype == object for c in text_columns)
    assert result.frame.loc[0, "assoc_actor_1"] is None


def test_acled_lf_and_crlf_give_the_same_records(fixtures_dir, tmp_path):
    lf = tmp_path / "acled_lf.csv"
    lf.write_bytes((fixtures_dir / "acled_old.csv").read_bytes().replace(b"\r\n", b"\n"))
    crlf = load(fixtures_dir / "acled_old.csv").frame.drop(columns=["imported_from"])
    pd.testing.assert_frame_equal(crlf, load(lf).frame.drop(columns=["imported_from"]))


def test_acled_current_layout(fixtures_dir):
    result = load(fixtures_dir / "acled_new.csv")
    frame = result.frame.set_index("event_id")
    assert result.format == "acled"
    assert frame.loc["TST2001", "event_date"] == pd.Timestamp("2023-03-14")
    assert frame.loc["TST2002", "admin1_iso"] == "SY-HA" and frame.loc["TST2003", "admin1"] == "Daraa"
    assert frame.loc["TST2003", "time_precision"] == 3 and frame.loc["TST2003", "geo_precision"] == 2
    assert extra_of(result.frame, "TST2002")["tags"] == "crowd size=around 50"
    assert extra_of(result.frame, "TST2001")["civilian_targeting"] == "Civilian targeting"
    assert extra_of(result.frame, "TST2001")["disorder_type"] == "Political violence"


def test_forcing_acled_on_another_table_names_the_missing_columns(fixtures_dir):
    with pytest.raises(MissingColumnsError, match="event_id_cnty") as caught:
        load(fixtures_dir / "generic_mapped.csv", format="acled")
    assert "generic_mapped.csv" in str(caught.value)


def test_acled_unknown_event_type_is_a_row_error(fixtures_dir, tmp_path):
    text = (fixtures_dir / "acled_new.csv").read_text().replace("Peaceful protest", "Peaceful picnic")
    path = tmp_path / "acled_bad_type.csv"
    path.write_text(text)
    with pytest.raises(RowErrors) as caught:
        load(path)
    (error,) = caught.value.errors
    assert (error.file, error.row, error.column) == ("acled_bad_type.csv", 3, "sub_event_type")
    assert "'Peaceful picnic' is not an ACLED sub-event type" in str(error)


# -- UCDP GED ------------------------------------------------------------------------------------------------
def test_ucdp_ged(fixtures_dir):
    result = load(fixtures_dir / "ucdp_ged.csv")
    frame = result.frame.set_index("event_id")
    assert result.format == "ucdp"
    assert list(frame.index) == ["ucdp:501", "ucdp:502", "ucdp:503"]
    assert list(frame["geo_precision"]) == [1, 3, 2]  # where_prec 1, 4, 2
    assert list(frame["time_precision"]) == [1, 3, 2]  # date_prec 1, 4, 2
    assert frame.loc["ucdp:501", "actor1"] == "Government of Syria" and frame.loc["ucdp:501", "actor2"] == "Test Rebels"
    assert list(frame["fatalities"]) == [2, 3, 2]
    assert frame.loc["ucdp:502", "event_type"] == "Violence against civilians"
    assert frame.loc["ucdp:503", "event_type"] == "Battles"
    assert pd.isna(frame.loc["ucdp:501", "date_end"])
    assert frame.loc["ucdp:502", "date_end"] == pd.Timestamp("2020-05-31")
    assert frame.loc["ucdp:501", "admin1_iso"] == "SY-DR"
    assert extra_of(result.frame, "ucdp:501")["conflict_name"] == "Syria: Government"


def test_ucdp_bad_where_prec_names_the_source_column(fixtures_dir, tmp_path):
    lines = (fixtures_dir / "ucdp_ged.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",4,Idlib governorate,", ",9,Idlib governorate,")
    path = tmp_path / "ucdp_bad.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RowErrors) as caught:
        load(path)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (3, "where_prec")


# -- generic tables --------------------------------------------------------------------------------------------
def test_generic_csv_guesses_columns_and_types(fixtures_dir):
    result = load(fixtures_dir / "generic_mapped.csv")
    frame = result.frame
    assert result.format == "csv"
    assert list(frame["event_date"].dt.strftime("%Y-%m-%d")) == ["2021-02-01", "2021-03-02", "2021-04-01",
                                                                   "2021-04-05"]
    assert frame.loc[1, "latitude"] == 32.6189  # decimal comma
    assert frame.loc[0, "sub_event_type"] == "Air/drone strike" and frame.loc[0, "kind"] == "air strike"
    assert frame.loc[1, "event_type"] == "Battles"
    assert frame.loc[2, "event_type"] == "Protests"
    assert frame.loc[3, "event_type"] is None and frame.loc[3, "kind"] == "curfew"
    assert frame.loc[0, "actor1"] == "Local Guard" and frame.loc[0, "fatalities"] == 1
    assert frame.loc[1, "admin1_iso"] == "SY-DR"
    assert extra_of(frame, frame.loc[0, "event_id"])["Ref"] == "A-1"
    assert frame["event_id"].str.startswith("h:").all()


def _unguessable_csv(tmp_path):
    path = tmp_path / "field_log.csv"
    path.write_text("Entry;Logged;N;E;Spot;Who\n"
                    "1;2021-05-01;33,0719;36,1832;Al-Sanamayn;Guards\n"
                    "2;2021-05-02;35.9306;36.6339;Idlib;Guards\n", encoding="utf-8")
    return path


def test_csv_needs_a_mapping_when_names_cannot_be_guessed(tmp_path):
    path = _unguessable_csv(tmp_path)
    with pytest.raises(MissingColumnsError) as caught:
        load(path)
    message = str(caught.value)
    assert "no date column" in message and "--map event_date=COLUMN" in message and "Logged" in message
    assert "no coordinates or place-name column" in message


def test_csv_with_explicit_mapping(tmp_path):
    path = _unguessable_csv(tmp_path)
    result = load(path, mapping={"date": "Logged", "lat": "N", "lon": "E", "place": "Spot", "actor": "Who",
                                 "id": "Entry"})
    frame = result.frame
    assert list(frame["event_id"]) == ["1", "2"]
    assert list(frame["latitude"]) == [33.0719, 35.9306]
    assert list(frame["location"]) == ["Al-Sanamayn", "Idlib"] and list(frame["actor1"]) == ["Guards", "Guards"]


def test_mapping_to_a_column_that_does_not_exist(tmp_path):
    path = _unguessable_csv(tmp_path)
    with pytest.raises(InputError, match="no column 'Datum'"):
        load(path, mapping={"date": "Datum"})


def test_xlsx_with_date_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Latitude", "Longitude", "Town", "Actor", "Type", "Notes"])
    sheet.append([dt.datetime(2022, 1, 5), 32.5174, 36.4816, "Busra al-Sham", "Test Unit", "shelling", "Invented A"])
    sheet.append(["2022-01-06", 35.8137, 36.6096, "Ariha", "Test Unit", "Armed clash", "Invented B"])
    path = tmp_path / "log.xlsx"
    book.save(path)
    result = load(path)
    assert result.format == "xlsx"
    frame = result.frame
    assert list(frame["event_date"]) == [pd.Timestamp("2022-01-05"), pd.Timestamp("2022-01-06")]
    assert list(frame["kind"]) == ["shelling", "clash"]
    assert list(frame["location"]) == ["Busra al-Sham", "Ariha"]


# -- GeoJSON and GeoPackage ----------------------------------------------------------------------------------
def test_geojson_points(fixtures_dir):
    result = load(fixtures_dir / "points.geojson")
    frame = result.frame.set_index("event_id")
    assert result.format == "geojson"
    assert (frame.loc["G-1", "longitude"], frame.loc["G-1", "latitude"]) == (36.1832, 33.0719)
    assert frame.loc["G-1", "kind"] == "meeting" and frame.loc["G-1", "event_type"] == "Strategic developments"
    assert frame.loc["G-2", "admin1_iso"] == "SY-DY" and frame.loc["G-2", "fatalities"] == 2
    assert extra_of(result.frame, "G-1")["colour"] == "red"


def test_geojson_non_point_geometry_is_rejected_by_feature(tmp_path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.1, 32.6]},
         "properties": {"date": "2022-01-01", "notes": "ok"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[36.1, 32.6], [36.2, 32.7]]},
         "properties": {"date": "2022-01-02", "notes": "a road"}}]}
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(data))
    with pytest.raises(RowErrors) as caught:
        load(path)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (2, "geometry") and "LineString" in error.reason
    result = load(path, skip_bad=True)
    assert len(result.frame) == 1 and len(result.rejected) == 1


def test_json_that_is_not_geojson(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]")
    with pytest.raises(UnknownFormatError, match="not a GeoJSON"):
        load(path)


def test_gpkg_point_layer_in_another_crs(tmp_path):
    frame = gpd.GeoDataFrame(
        {"event_date": ["2022-03-01", "2022-03-02"], "place": ["Daraa", "Idlib"], "notes": ["x", "y"]},
        geometry=[Point(36.1021, 32.6189), Point(36.6339, 35.9306)], crs="EPSG:4326").to_crs(3857)
    path = tmp_path / "theirs.gpkg"
    frame.to_file(path, layer="events", driver="GPKG")
    result = load(path)
    assert result.format == "gpkg"
    assert result.frame["latitude"].round(6).tolist() == [32.6189, 35.9306]
    assert result.frame["longitude"].round(6).tolist() == [36.1021, 36.6339]


def test_gpkg_without_point_layer(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["road"]}, geometry=[LineString([(36, 32), (37, 33)])], crs="EPSG:4326")
    path = tmp_path / "roads.gpkg"
    frame.to_file(path, layer="roads", driver="GPKG")
    with pytest.raises(UnknownFormatError, match="no point layer"):
        load(path)


# -- encodings ------------------------------------------------------------------------------------------------
ARABIC_CSV = "date,latitude,longitude,location,notes\n2022-02-02,32.6189,36.1021,درعا,قصف على الأطراف\n"


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("cp1256", "cp1256")])
def test_arabic_text_in_each_encoding(tmp_path, encoding, expected):
    path = tmp_path / f"arabic_{encoding}.csv"
    path.write_bytes(ARABIC_CSV.encode(encoding))
    result = load(path)
    assert result.encoding == expected
    assert result.frame.loc[0, "location"] == "درعا" and result.frame.loc[0, "notes"] == "قصف على الأطراف"
    assert result.frame.loc[0, "admin1_iso"] is None or result.frame.loc[0, "admin1_iso"] == "SY-DR"


def test_latin1_when_nothing_else_fits(tmp_path):
    path = tmp_path / "latin.csv"
    text = "date,latitude,longitude,notes\n2022-02-02,32.6,36.1,caf\xe9 cr\xe8me\n"
    path.write_bytes(text.encode("latin-1"))
    result = load(path)
    assert result.encoding in ("cp1256", "latin-1")  # cp1256 shares these accented letters with latin-1
    assert result.frame.loc[0, "notes"] == "caf\xe9 cr\xe8me"


def test_mixed_encodings_are_refused_with_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("date,latitude,longitude,notes\n2022-02-02,32.6,36.1,درعا\n".encode("utf-8")
                     + "2022-02-03,32.6,36.1,حلب\n".encode("cp1256"))
    with pytest.raises(InputError, match="line 3 is not"):
        load(path)


# -- bad input -------------------------------------------------------------------------------------------------
def test_unknown_format(tmp_path):
    path = tmp_path / "notes.bin"
    path.write_bytes(b"just some words without any structure")
    with pytest.raises(UnknownFormatError, match="unrecognised file type"):
        load(path)
    with pytest.raises(UnknownFormatError, match="unknown format 'shapefile'"):
        load(path, format="shapefile")


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv: the file is empty"):
        load(empty)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(UnknownFormatError, match="binary"):
        load(binary)


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        load("/nonexistent/incidents.csv")


def test_too_many_fields_names_the_line(fixtures_dir, tmp_path):
    lines = (fixtures_dir / "acled_new.csv").read_text().splitlines()
    lines[2] += ",surplus"
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as caught:
        load(path)
    assert caught.value.row == 3 and "malformed CSV" in str(caught.value)


def test_every_bad_row_is_listed_and_nothing_returned(fixtures_dir, tmp_path):
    text = (fixtures_dir / "acled_old.csv").read_bytes().decode("utf-8")
    text = text.replace("9-May-20", "31-Feb-20").replace("35.8137", "135.8137").replace("36.402", "east")
    path = tmp_path / "acled_bad.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(RowErrors) as caught:
        load(path)
    errors = {(e.row, e.column): e.reason for e in caught.value.errors}
    assert errors[(2, "event_date")] == "'31-Feb-20' is not a date"
    assert errors[(3, "latitude")] == "latitude 135.8137 is outside [-90, 90]"
    assert errors[(4, "longitude")] == "'east' is not a number (longitude)"
    assert "acled_bad.csv:2:event_date" in str(caught.value)
    assert "--skip-bad" in str(caught.value)
    good = load(path, skip_bad=True)
    assert list(good.frame["event_id"]) == ["TST1004"] and len(good.rejected) == 3


def test_future_dates_and_reversed_ranges_are_rejected(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    path = tmp_path / "dates.csv"
    path.write_text("date,date_end,latitude,longitude\n"
                    f"{future},,32.6,36.1\n"
                    "2022-05-09,2022-05-01,32.6,36.1\n"
                    "1850-01-01,,32.6,36.1\n"
                    ",,32.6,36.1\n")
    with pytest.raises(RowErrors) as caught:
        load(path)
    reasons = {e.row: e.reason for e in caught.value.errors}
    assert "in the future" in reasons[2]
    assert "before the event date" in reasons[3]
    assert "before 1900" in reasons[4]
    assert reasons[5] == "the date is missing"


# -- geocoder and extractor hooks -----------------------------------------------------------------------------
class FakeGeocoder:
    """Knows one town; records what it was asked."""

    def __init__(self):
        self.asked = []

    def geocode(self, name, *, context=None):
        self.asked.append((name, context))
        if name == "Al-Sanamayn":
            return Location(query=name, name="As-Sanamayn", lat=33.0719, lon=36.1832, country="SY",
                            admin1="Daraa", admin1_iso="SY-DR", kind="place", geo_precision=1, score=1.0)
        return None


def _place_only_csv(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("date,place,governorate,notes\n"
                    "2022-06-01,Al-Sanamayn,Daraa,known town\n"
                    "2022-06-02,Nowhere-on-earth,,unknown town\n")
    return path


def test_place_names_are_geocoded_when_a_geocoder_exists(tmp_path, monkeypatch):
    fake = FakeGeocoder()
    monkeypatch.setattr(_geo_hooks, "_geocoder", lambda: fake)
    path = _place_only_csv(tmp_path)
    with pytest.raises(RowErrors) as caught:
        load(path)
    (error,) = caught.value.errors
    assert (error.row, error.column) == (3, "place") and "'Nowhere-on-earth' was not found" in error.reason
    result = load(path, skip_bad=True)
    row = result.frame.iloc[0]
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == (33.0719, 36.1832, 1)
    assert row["admin1_iso"] == "SY-DR" and row["country"] == "Syria"
    assert ("Al-Sanamayn", "Daraa") in fake.asked


def test_place_names_are_rejected_without_a_geocoder(tmp_path, monkeypatch):
    monkeypatch.setattr(_geo_hooks, "_geocoder", lambda: None)
    with pytest.raises(RowErrors) as caught:
        load(_place_only_csv(tmp_path))
    assert len(caught.value.errors) == 2
    assert all("no geocoder is installed" in e.reason for e in caught.value.errors)


def test_report_text_goes_through_the_extractor_and_the_same_build(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("On Tuesday, Russian and regime officers held an emergency meeting in Al-Sanamayn, "
                    "local sources said. Invented test report; no such event is claimed.\n")
    result = load(path, published="2018-06-21")
    assert result.format == "text"
    row = result.frame.iloc[0]
    assert row["kind"] == "meeting" and row["doc_id"] == "report" and row["event_id"] == "doc:report:1"
    assert row["admin1_iso"] == "SY-DR" and row["country"] == "Syria" and row["imported_from"] == "report.txt"
    assert row["event_date"] == pd.Timestamp("2018-06-19") and "emergency meeting" in row["notes"]


def test_sparse_extra_columns_stay_on_their_rows(tmp_path):
    path = tmp_path / "sparse.csv"
    path.write_text("date,latitude,longitude,colour,shape\n"
                    "2022-01-01,32.6,36.1,,\n"
                    "2022-01-02,32.6,36.1,red,\n"
                    "2022-01-03,32.6,36.1,,\n"
                    "2022-01-04,32.6,36.1,,\"round \"\"ish\"\"\"\n")
    frame = load(path).frame
    assert frame["extra"].tolist()[0] is None and frame["extra"].tolist()[2] is None
    assert json.loads(frame.loc[1, "extra"]) == {"colour": "red"}
    assert json.loads(frame.loc[3, "extra"]) == {"shape": 'round "ish"'}


def test_trailing_delimiters_are_harmless_but_extra_values_are_an_error(tmp_path):
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("date,latitude,longitude\n2020-01-01,32.6,36.1,\n2020-01-02,33.0,36.2,\n")
    frame = load(trailing).frame
    assert list(frame["latitude"]) == [32.6, 33.0] and list(frame["longitude"]) == [36.1, 36.2]
    shifted = tmp_path / "shifted.csv"
    shifted.write_text("date,latitude\n2020-01-01,32.6,36.1\n2020-01-02,33.0,36.2\n")
    with pytest.raises(InputError, match="more fields than the header") as caught:
        load(shifted)
    assert caught.value.row == 2


def test_timestamps_with_time_zones_keep_the_local_date(tmp_path):
    path = tmp_path / "stamps.csv"
    path.write_text("date,latitude,longitude\n"
                    "2020-05-09T01:30:00+03:00,32.6,36.1\n"
                    "2020-05-09T23:30:00-05:00,32.6,36.1\n"
                    "2020-05-09 00:00:00.000,32.6,36.1\n")
    frame = load(path).frame
    assert list(frame["event_date"]) == [pd.Timestamp("2020-05-09")] * 3


def test_geojson_feature_id_is_used_when_properties_have_none(tmp_path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 17, "geometry": {"type": "Point", "coordinates": [36.1, 32.6]},
         "properties": {"date": "2022-01-01"}}]}
    path = tmp_path / "ids.geojson"
    path.write_text(json.dumps(data))
    assert list(load(path).frame["event_id"]) == ["17"]


def test_txt_files_are_tables_only_when_the_header_names_columns(tmp_path, monkeypatch):
    table = tmp_path / "export.txt"
    table.write_text("date\tlatitude\tlongitude\tnotes\n2022-01-01\t32.6\t36.1\tinvented\n")
    assert load(table).format == "csv"
    prose = tmp_path / "report.txt"
    prose.write_text("On Monday, warplanes struck Nawa, Jasim, and Tafas, residents said.\n")
    assert load(prose, published="2022-01-05").format == "text"
