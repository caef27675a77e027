"""Spelling bridges and build rules of issue 14's second round, on an invented gazetteer (no registry data):
vowel-elided spellings, "A/B" names, feature words, and project points moved onto a nearby namesake."""

from __future__ import annotations

import json

import pytest

import geo.geocode.gazetteer_build as build_module
from geo.geocode import Geocoder
from geo.geocode._normalize import elides, skeleton, sound_key, strip_feature_words


def _square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _unit(iso: str, name: str, gn: str, geometry: dict) -> dict:
    return {"type": "Feature", "geometry": geometry,
            "properties": {"iso_a2": "SY", "iso_3166_2": iso, "name": name, "name_en": name, "gn_a1_code": gn,
                           "name_ar": "", "name_alt": None, "gn_name": name, "woe_name": name}}


def _village(gid: int, name: str, lat: float, lon: float, admin1: str) -> str:
    cols = [str(gid), name, name, "", str(lat), str(lon), "P", "PPL", "SY", "", admin1, "", "", "", "0", "",
            "450", "Asia/Damascus", "2024-01-01"]
    return "\t".join(cols) + "\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two governorates (Daraa 06, Quneitra 03), invented hamlets from a GeoNames-style dump, an extra table."""
    tmp = tmp_path_factory.mktemp("bridges")
    admin1 = {"type": "FeatureCollection", "features": [
        _unit("SY-DR", "Daraa", "SY.06", _square(35.9, 32.4, 36.6, 33.2)),
        _unit("SY-QU", "Quneitra", "SY.03", _square(35.7, 32.9, 35.85, 33.3)),
    ]}
    (tmp / "admin1.json").write_text(json.dumps(admin1), encoding="utf-8")
    (tmp / "cities.json").write_text("{}", encoding="utf-8")
    dump = tmp / "SY.txt"
    dump.write_text(
        _village(910001, "Fatirqun", 32.60, 36.20, "06")
        + _village(910002, "Zuqlat", 32.70, 36.40, "06")            # two hamlets of one name ...
        + _village(910003, "Zuqlat", 33.10, 35.78, "03")            # ... in two governorates
        + _village(910004, "Khirbat Mansurun", 32.72, 36.41, "06")  # 2.4 km from the Daraa Zuqlat
        + _village(910005, "Zaytunat", 32.50, 36.50, "06")
        + _village(910006, "Qarmudun", 32.95, 36.16, "06")          # the extra row below lies 5.6 km west
        + _village(910007, "Tarbisun", 33.00, 35.80, "03")          # same name as an extra row, other governorate
        + _village(910008, "Hawrun", 32.50, 36.06, "06")            # two namesakes near one extra row
        + _village(910009, "Hawrun", 32.50, 35.94, "06"),
        encoding="utf-8")
    extra = tmp / "extra.csv"
    extra.write_text(
        "name,aliases,lat,lon,country,admin1_iso,feature,population,source\n"
        "Qarmudun,Qarmoudoun,32.95,36.10,SY,SY-DR,PPL,0,invented: approximate point\n"
        "Tarbisun,,33.00,35.95,SY,SY-DR,PPL,0,invented: its namesake is in another governorate\n"
        "Hawrun,,32.55,36.00,SY,SY-DR,PPL,0,invented: two namesakes nearby\n", encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(build_module, "_geonames_path", lambda: tmp / "cities.json")
    patch.setattr(build_module, "EXTRA_PATH", extra)
    out = tmp / "out"
    counts = build_module.build(("SY",), str(tmp / "admin1.json"), out, (str(dump),))
    patch.undo()
    return counts, Geocoder(index_path=out / "gazetteer.json.gz", aliases_path=out / "aliases.csv")


# ---- vowel elision (pure functions)

def test_elides_only_leaves_vowels_out():
    assert skeleton("fatarkan") == "ftrkn"
    assert elides(sound_key("Ftirqun"), sound_key("Fatirqun"))      # the first vowel left out
    assert elides(sound_key("Fatrqun"), sound_key("Fatirqun"))      # a medial one
    assert not elides(sound_key("Fatirqun"), sound_key("Ftirqun"))  # the longer spelling is never the "short" one
    assert not elides(sound_key("Ftirgun"), sound_key("Fatirqun"))  # a consonant changed
    assert not elides("ftra", "fatar")                              # vowels moved, not only left out
    assert not elides("frkn", "fatarakan", most=2)                  # too many vowels missing
    assert not elides("fatarkan", "fatarkan")                       # the same key is not an elision


def test_leading_elision_without_context(built):
    _, geo = built
    found = geo.geocode("Ftirqun")
    assert found is not None and found.name == "Fatirqun" and found.score < 0.97


def test_medial_elision_needs_context(built):
    _, geo = built
    assert geo.geocode("Fatrqun") is None  # a vowel missing inside the word: too often another village
    found = geo.geocode("Fatrqun", context="Daraa")
    assert found is not None and found.name == "Fatirqun"


def test_a_changed_consonant_stays_not_found(built):
    _, geo = built
    assert geo.geocode("Ftirgun") is None
    assert geo.geocode("Ftirgun", context="Daraa") is None


# ---- "A/B" and "A (B)": two names of one place

def test_second_name_settles_namesakes(built):
    _, geo = built
    assert geo.geocode("Zuqlat") is None  # two hamlets, nothing to choose
    for query in ("Zuqlat/Khirbat Mansurun", "Zuqlat (Khirbat Mansurun)"):
        found = geo.geocode(query)
        assert found is not None and found.name == "Zuqlat" and found.admin1_iso == "SY-DR", query


def test_one_known_name_of_two_is_enough(built):
    _, geo = built
    found = geo.geocode("Qwxyzt/Zaytunat")
    assert found is not None and found.name == "Zaytunat"


def test_two_names_of_distant_places_are_not_paired(built):
    _, geo = built
    # Fatirqun lies 21 km from the Daraa Zuqlat: nothing confirms either namesake, so still not found
    assert geo.geocode("Zuqlat/Fatirqun") is None


def test_a_region_in_parentheses_is_still_context(built):
    _, geo = built
    found = geo.geocode("Zuqlat (Quneitra)")
    assert found is not None and found.admin1_iso == "SY-QU"


# ---- feature words

@pytest.mark.parametrize("query", ["Zaytunat IDP camp", "Zaytunat refugee camp", "Zaytunat hill",
                                   "Zaytunat pumping station", "Zaytunat farm"])
def test_feature_words_are_dropped(built, query):
    _, geo = built
    found = geo.geocode(query)
    assert found is not None and found.name == "Zaytunat"


def test_strip_feature_words_keeps_names():
    assert strip_feature_words("Ubin IDP") == "Ubin"
    assert strip_feature_words("Jabal Invented mountain") == "Jabal Invented"
    assert strip_feature_words("Zaytunat") is None


def test_a_feature_word_alone_is_not_a_place(built):
    _, geo = built
    assert geo.geocode("IDP camp") is None


# ---- build: a project point moved onto the only namesake nearby in its governorate

def _extra(geo: Geocoder, name: str):
    return [p for p in geo.places if p.source == "extra" and p.name == name]


def test_project_point_moves_to_the_only_nearby_namesake(built):
    counts, geo = built
    assert counts["moved"] == 1
    (qarmudun,) = _extra(geo, "Qarmudun")
    assert (qarmudun.lat, qarmudun.lon) == (32.95, 36.16)
    assert geo.geocode("Qarmoudoun").lon == 36.16  # the project's spelling answers at the moved point


def test_project_point_stays_when_the_namesake_is_elsewhere_or_not_alone(built):
    _, geo = built
    (tarbisun,) = _extra(geo, "Tarbisun")
    assert (tarbisun.lat, tarbisun.lon) == (33.0, 35.95)  # the namesake is in Quneitra
    (hawrun,) = _extra(geo, "Hawrun")
    assert (hawrun.lat, hawrun.lon) == (32.55, 36.0)      # two namesakes within 15 km: which one is unknown
