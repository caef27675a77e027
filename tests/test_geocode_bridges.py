"""Spelling bridges and build rules of issue 14's second round, on an invented gazetteer (no registry data):
vowel-elided spellings, "A/B" names, feature words, and project points moved onto a nearby namesake."""

from __future__ import annotations

import pytest

import geo.geocode.gazetteer_build as build_module
from geo.geocode import Geocoder
from geo.geocode._normalize import elides, skeleton, sound_key, strip_feature_words
from tests._invented_gazetteer import geonames_row, write_two_governorates


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two governorates (Daraa 06, Quneitra 03), invented hamlets from a GeoNames-style dump, an extra table."""
    tmp = tmp_path_factory.mktemp("bridges")
    write_two_governorates(tmp)
    dump = tmp / "SY.txt"
    dump.write_text(
        geonames_row(910001, "Fatirqun", 32.60, 36.20, "06")
        + geonames_row(910002, "Zuqlat", 32.70, 36.40, "06")            # two hamlets of one name ...
        + geonames_row(910003, "Zuqlat", 33.10, 35.78, "03")            # ... in two governorates
        + geonames_row(910004, "Khirbat Mansurun", 32.72, 36.41, "06")  # 2.4 km from the Daraa Zuqlat
        + geonames_row(910005, "Zaytunat", 32.50, 36.50, "06")
        + geonames_row(910006, "Qarmudun", 32.95, 36.16, "06")          # the extra row below lies 5.6 km west
        + geonames_row(910007, "Tarbisun", 33.00, 35.80, "03")          # same name as an extra row, other governorate
        + geonames_row(910008, "Hawrun", 32.50, 36.06, "06")            # two namesakes near one extra row
        + geonames_row(910009, "Hawrun", 32.50, 35.94, "06")
        + geonames_row(910010, "Kafr Zabudan", 32.80, 36.45, "06")
        + geonames_row(910011, "Da`il", 32.75, 36.13, "06"),             # a name too short to match by sound
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


def test_an_ayn_written_as_a_doubled_vowel(built):
    _, geo = built
    assert geo.geocode("Daail").name == "Da`il"  # "aa" for the ayn: the place's key has one a
    assert geo.geocode("Daiil") is None          # only a doubled a is read so


def test_leading_elision_without_context(built):
    _, geo = built
    found = geo.geocode("Ftirqun")
    assert found is not None and found.name == "Fatirqun" and found.score < 0.97


def test_leading_elision_of_a_later_word(built):
    _, geo = built
    found = geo.geocode("Kafr Zbudan")  # "Kafr Nbudeh" style: the second word's first vowel left out
    assert found is not None and found.name == "Kafr Zabudan"


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
    # a region phrase in the second part is never read as a second name: no Zuqlat outside Quneitra
    for query in ("Zuqlat (Quneitra countryside)", "Zuqlat/southern Quneitra"):
        found = geo.geocode(query)
        assert found is None or found.admin1_iso == "SY-QU", query
        assert geo._either_name("Zuqlat", query.split("(")[-1].split("/")[-1].rstrip(")"), None, 0) == []


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


# ---- UCDP GED exact places as a name source (geo.geocode._ucdp)

_GED_HEADER = "id,year,where_prec,where_coordinates,adm_1,latitude,longitude,country\n"


def _ged(tmp_path, rows: list[str]):
    path = tmp_path / "ged.csv"
    path.write_text(_GED_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_ucdp_reader_keeps_exact_named_places(tmp_path):
    from geo.geocode._ucdp import read_places

    path = _ged(tmp_path, [
        "1,2016,1,Qwarbun town,Daraa governorate,32.600,36.200,Syria",
        "2,2017,1,Qwarbun village,Daraa governorate,32.602,36.202,Syria",  # same spot: one place, points averaged
        "3,2017,1,Qwarbun,Hama governorate,35.100,36.700,Syria",           # a namesake far away: its own spot
        "4,2016,2,Zimlat town,Daraa governorate,32.700,36.300,Syria",      # not an exact place
        "5,2019,1,Late Hamlet village,Daraa governorate,32.800,36.300,Syria",
        "6,2016,1,Southern Daraa Governorate,Daraa governorate,32.600,36.100,Syria",  # an area, not a name
        "7,2016,1,Silos east of Zimlat,Daraa governorate,32.600,36.100,Syria",
        "8,2016,1,Tall Ubar/Ubarun,Daraa governorate,32.650,36.250,Syria",  # two names of one spot
        "9,2016,1,Irbid town,,32.55,35.85,Jordan",
    ])
    places = read_places(path, until=2018)
    names = [p[0] for p in places]
    assert names == ["Qwarbun", "Qwarbun", "Tall Ubar", "Ubarun"]
    first = places[0] if places[0][1] < 33 else places[1]
    assert first == ("Qwarbun", 32.601, 36.201, 2)
    assert "Late Hamlet" in [p[0] for p in read_places(path)]  # every year when no limit


def test_ucdp_reader_names_a_bad_table(tmp_path):
    from geo.errors import GeocodeError
    from geo.geocode._ucdp import read_places

    bad = tmp_path / "bad.csv"
    bad.write_text("id,year,where_coordinates\n1,2016,Qwarbun\n", encoding="utf-8")
    with pytest.raises(GeocodeError, match="bad.csv.*where_prec"):
        read_places(bad)
    rows = _ged(tmp_path, ["1,2016,1,Qwarbun,Daraa governorate,north,36.2,Syria"])
    with pytest.raises(GeocodeError, match=r"ged.csv:2:latitude"):
        read_places(rows)


def test_ucdp_names_join_nearby_places_or_become_hamlets():
    from geo.geocode._normalize import name_key
    from geo.geocode._ucdp import merge

    places = [["Fatirqun", 32.60, 36.20, "SY", "SY-DR", 0, "PPL", 1, "geonames"]]
    names_of = [{"Fatirqun"}]
    counts = merge([("Fatiirqoun", 32.61, 36.21, 3),   # same sound, 1.4 km: one more name of Fatirqun
                    ("Fatirqun", 33.10, 36.40, 1),     # same name 57 km away: another village
                    ("Zimlat", 32.60, 36.20, 1)],      # another name at the same spot: its own place
                   places, names_of, name_key, sound_key)
    assert counts == {"ucdp_aliases": 1, "ucdp_added": 2}
    assert names_of[0] == {"Fatirqun", "Fatiirqoun"}
    assert [p[0] for p in places[1:]] == ["Fatirqun", "Zimlat"] and places[1][8] == "ucdp"
