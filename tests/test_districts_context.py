"""Who's On First build (invented WOF tree), districts (admin-2), namesakes chosen by the document's context."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

import geo.geocode.gazetteer_build as build_module
from geo.geocode import Geocoder, Place, get_geocoder, iter_places
from geo.geocode.regions import (district_name, districts, districts_of, locate_district, locate_districts,
                                 region_geometry, region_label)

ROOT = Path(__file__).resolve().parent.parent


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def wof_record(folder: Path, wid: int, props: dict, geometry: dict) -> None:
    path = folder / "data" / str(wid)[:3] / f"{wid}.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "Feature", "properties": {"wof:id": wid, "wof:country": "SY", **props},
                                "geometry": geometry}), encoding="utf-8")


@pytest.fixture(scope="module")
def wof_built(tmp_path_factory):
    """An invented Who's On First tree: two districts, villages (one deprecated, one abandoned, one joined to
    a GeoNames town by gn:id) and an ``-alt-`` file that must be ignored."""
    tmp = tmp_path_factory.mktemp("wof")
    admin1 = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square(35.9, 32.4, 36.6, 33.2), "properties": {
            "iso_a2": "SY", "iso_3166_2": "SY-DR", "name": "Daraa", "name_en": "Daraa", "gn_a1_code": "SY.06",
            "name_ar": "درعا", "name_alt": None, "gn_name": "Daraa", "woe_name": "Daraa"}}]}
    (tmp / "admin1.json").write_text(json.dumps(admin1), encoding="utf-8")
    cities = {"1": {"geonameid": 1, "name": "Nawá", "latitude": 32.886, "longitude": 36.039, "countrycode": "SY",
                    "population": 47066, "admin1code": "06", "alternatenames": ["Nawa"]}}
    (tmp / "cities.json").write_text(json.dumps(cities), encoding="utf-8")
    extra = tmp / "extra.csv"
    extra.write_text("name,aliases,lat,lon,country,admin1_iso,feature,population,source\n", encoding="utf-8")
    wof = tmp / "wof"
    wof_record(wof, 901, {"wof:placetype": "county", "wof:name": "Westdist", "name:eng_x_preferred": ["Westdist"],
                          "name:ara_x_preferred": ["منطقة غربية"]}, square(35.9, 32.4, 36.25, 33.2))
    wof_record(wof, 902, {"wof:placetype": "county", "wof:name": "Eastdist", "name:eng_x_preferred": ["Markaz Eastdist"]},
               square(36.25, 32.4, 36.6, 33.2))
    village = {"wof:placetype": "locality", "gn:feature_code": "PPL", "mz:is_current": -1}
    wof_record(wof, 1001, {**village, "wof:name": "Qaryat Zayt", "geom:latitude": 32.7, "geom:longitude": 36.1,
                           "name:ara_x_preferred": ["قرية الزيت"], "name:und_x_variant": ["Qaryet ez-Zeit"]},
               {"type": "Point", "coordinates": [36.1, 32.7]})
    wof_record(wof, 1002, {**village, "wof:name": "Qaryat Zayt", "geom:latitude": 32.9, "geom:longitude": 36.5},
               {"type": "Point", "coordinates": [36.5, 32.9]})
    wof_record(wof, 1003, {**village, "wof:name": "Gone Village", "edtf:deprecated": "2020-01-01",
                           "geom:latitude": 32.8, "geom:longitude": 36.3}, {"type": "Point", "coordinates": [36.3, 32.8]})
    wof_record(wof, 1004, {**village, "wof:name": "Old Khirbat", "gn:feature_code": "PPLQ", "mz:is_current": 0,
                           "geom:latitude": 32.6, "geom:longitude": 36.4}, {"type": "Point", "coordinates": [36.4, 32.6]})
    wof_record(wof, 1005, {**village, "wof:name": "Nawa", "gn:id": 1, "gn:feature_code": "PPLA3",
                           "name:und_x_variant": ["Nawa al-Balad"], "geom:latitude": 32.887, "geom:longitude": 36.04},
               {"type": "Point", "coordinates": [36.04, 32.887]})
    (wof / "data" / "100" / "1001-alt-osm.geojson").write_text("not json", encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(build_module, "_geonames_path", lambda: tmp / "cities.json")
    patch.setattr(build_module, "EXTRA_PATH", extra)
    out = tmp / "out"
    counts = build_module.build(("SY",), str(tmp / "admin1.json"), out, wof=str(wof))
    patch.undo()
    return counts, out


def test_wof_build_joins_by_geonames_id_and_skips_deprecated(wof_built):
    counts, out = wof_built
    assert counts["wof_joined"] == 1 and counts["wof_added"] == 3  # Nawa joined; the deprecated one skipped
    assert counts["districts"] == 2
    index = json.loads(gzip.decompress((out / "gazetteer.json.gz").read_bytes()))
    places = [Place(*row) for row in index["places"]]
    assert [p.name for p in places].count("Nawá") == 1 and "Gone Village" not in [p.name for p in places]
    nawa = next(p for p in places if p.name == "Nawá")
    assert nawa.feature_code == "PPLA3" and nawa.admin2 == "SY-DR:westdist"
    assert {p.admin2 for p in places if p.name == "Qaryat Zayt"} == {"SY-DR:westdist", "SY-DR:eastdist"}
    assert "Who's On First" in index["credit"] and "GeoNames" in index["credit"]


def test_wof_districts_file(wof_built):
    _, out = wof_built
    data = json.loads((out / "districts.geojson").read_text(encoding="utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in data["features"]}
    assert props["SY-DR:eastdist"]["name"] == "Eastdist"  # "Markaz " dropped
    assert props["SY-DR:westdist"]["name_ar"] == "غربية" and props["SY-DR:westdist"]["admin1_iso"] == "SY-DR"
    assert "Who's On First" in data["metadata"]["license"]


def test_wof_namesakes_need_context(wof_built):
    _, out = wof_built
    geo = Geocoder(index_path=out / "gazetteer.json.gz", aliases_path=out / "aliases.csv")
    # two equal hamlets in two districts of one governorate: not a coin flip between them (never a hamlet at
    # precision 1), but the governorate they share, with both offered for the user to choose
    both = geo.geocode("Qaryat Zayt")
    assert both.kind == "region" and both.region_id == "SY-DR" and both.geo_precision == 3
    assert both.reason.startswith("2 places named Qaryat Zayt in Daraa")
    assert [a.name for a in both.alternatives] == ["Qaryat Zayt", "Qaryat Zayt"]
    assert len(geo.candidates("Qaryat Zayt")) == 2
    east = geo.geocode("Qaryet ez-Zeit", context="Eastdist district")
    assert east is None or east.admin2 == "SY-DR:eastdist"
    west = geo.geocode("Qaryat Zayt", context="SY-DR:westdist")
    assert west.admin2 == "SY-DR:westdist" and "context" in west.reason
    near = geo.geocode("Qaryat Zayt", near=[("Somewhere", 32.88, 36.45)])
    assert near.lon == 36.5 and "report" in near.reason and near.alternatives
    assert geo.geocode("Nawa").name == "Nawá"  # the town, not merged twice
    abandoned = geo.geocode("Old Khirbat")
    assert abandoned is not None and abandoned.feature_code == "PPLQ"


# ----------------------------------------------------------------------------- the committed data
def test_districts_cover_syria_with_stable_ids():
    frame = districts()
    assert len(frame) >= 60
    assert frame["id"].is_unique and frame["admin1_iso"].str.match(r"^SY-[A-Z]{2}$").all()
    assert (ROOT / "data" / "districts.geojson").stat().st_size < 400_000
    assert ("SY-DR:izra", "Izra'") in districts_of("SY-DR")


@pytest.mark.parametrize("lat,lon,district", [
    (32.857, 36.249, "SY-DR:izra"),          # Izra'
    (35.830, 36.317, "SY-ID:jisr-ash-shughur"),  # Jisr al-Shughur
    (36.585, 37.046, "SY-HL:azaz"),           # A'zaz
])
def test_reverse_geocoding_to_a_district(lat, lon, district):
    assert locate_district(lat, lon) == district
    assert locate_districts([lat, 10.0], [lon, 10.0]) == [district, None]
    assert region_geometry(district).contains(Point(lon, lat))
    assert district_name(district) and region_label(district).endswith("district")


def test_every_syrian_place_has_its_district():
    syrian = [p for p in iter_places() if p.country == "SY"]
    assert len(syrian) > 10_000
    assert sum(1 for p in syrian if p.admin2) / len(syrian) > 0.98
    sample = syrian[::500]
    assert all(p.admin2 is None or p.admin2.startswith(p.admin1_iso or "?") or locate_district(p.lat, p.lon)
               for p in sample)


@pytest.mark.parametrize("query,district", [
    ("Izra district", "SY-DR:izra"), ("the district of Izra", "SY-DR:izra"), ("منطقة ازرع", "SY-DR:izra"),
    ("Jisr al-Shughur district", "SY-ID:jisr-ash-shughur"),
])
def test_district_phrases(query, district):
    loc = get_geocoder().geocode(query)
    assert loc is not None and loc.kind == "region" and loc.region_id == district and loc.admin2 == district


def test_countryside_of_a_district_town_offers_the_district_next():
    found = get_geocoder().candidates("the Jisr al-Shughur countryside")
    assert found[0].kind == "place" and found[0].geo_precision == 2
    assert any(f.region_id == "SY-ID:jisr-ash-shughur" for f in found)


@pytest.mark.parametrize("query,written", [
    ("Saraqab", "Saraqib"), ("Quamishli", "Al Qamishli"), ("Ein Issa", "Ayn Isa"), ("Tal Tamer", "Tall Tamr"),
    ("Mzeireb", "Al Muzayrib"), ("Kafr Nassij", "Kafr Nasij"), ("Ras Al Ain", "Ra's al Ayn"),
])
def test_report_spellings_bridge_to_the_gazetteer_spelling(query, written):
    geo = get_geocoder()
    a, b = geo.geocode(query), geo.geocode(written)
    assert a is not None and b is not None
    assert a.admin1_iso == b.admin1_iso and abs(a.lat - b.lat) < 0.05 and abs(a.lon - b.lon) < 0.05


def test_ucdp_style_suffixes_and_the_report_context():
    geo = get_geocoder()
    town = geo.geocode("Kafr Shams town")
    assert town is not None and town.admin1_iso == "SY-DR"
    # a namesake is chosen by another place of the same report (Tayyibah: Daraa and Homs both have one)
    daraa = geo.geocode("Daraa")
    assert daraa.kind == "place"
    near_daraa = geo.geocode("At Tayyibah", near=[daraa])
    assert near_daraa is None or near_daraa.admin1_iso == "SY-DR"
    homs = geo.geocode("Homs")
    near_homs = geo.geocode("At Tayyibah", near=[homs])
    assert near_homs is None or near_homs.admin1_iso == "SY-HI"


def test_cli_keeps_the_contract_and_adds_the_district():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "geo", "geocode", "Izra"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=True)
    data = json.loads(proc.stdout)
    for key in ("query", "name", "lat", "lon", "country", "admin1", "admin1_iso", "kind", "geo_precision", "score"):
        assert key in data
    assert data["admin2"] == "SY-DR:izra"
    assert shape(json.loads((ROOT / "data" / "districts.geojson").read_text())["features"][0]["geometry"]).is_valid
