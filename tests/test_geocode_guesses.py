"""Loose answers without context (issue 14, fourth round), on an invented gazetteer (no registry data): a guess
beaten on spelling by a namesake in another governorate, head words (Tall, Bir, Albu ...) that must agree,
twin villages asked the English way ("Western X", "Upper X"), and numbers that fuzzy matching never changes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import geo.geocode._northern as northern_module
import geo.geocode.geocoder as geocoder_module
from geo.geocode._guess import digits, head_spelling, query_keys
from geo.geocode._normalize import head_word, name_key, sound_key
from geo.geocode._northern import add_kurdish_names, kurmanji_reading
from geo.geocode._phrases import word_order_variants
from tests._invented_gazetteer import answer, build_gazetteer, geonames_row, open_geocoder, write_two_governorates


@pytest.fixture(scope="module")
def geo(tmp_path_factory):
    """Two governorates (Daraa 06, Quneitra 03) and invented places built from a GeoNames-style dump."""
    tmp = tmp_path_factory.mktemp("guesses")
    write_two_governorates(tmp)
    dump = tmp / "SY.txt"
    dump.write_text(
        geonames_row(920001, "Hadinah", 32.60, 36.30, "06", population=6000)      # a small town ...
        + geonames_row(920002, "Haddunah", 33.10, 35.78, "03")                 # ... and a hamlet that sounds the same
        + geonames_row(920003, "Al Buraymah", 32.70, 36.20, "06", alt="Breimma")
        + geonames_row(920004, "Bir Qasab", 32.90, 36.40, "06")
        + geonames_row(920005, "Maqlubiyat al Gharbiyah", 32.80, 36.10, "06")  # the western twin in Daraa ...
        + geonames_row(920006, "Maqlubiyat", 33.20, 35.80, "03")               # ... and a village of the bare name elsewhere
        + geonames_row(920007, "Zarnun al Fawqani", 32.50, 36.50, "06")
        + geonames_row(920008, "Zarnun", 33.00, 35.75, "03")
        + geonames_row(920009, "T7 Pumping Station", 32.45, 36.55, "06")
        + geonames_row(920010, "Jindarun", 32.65, 36.45, "06"),
        encoding="utf-8")
    _, out = build_gazetteer(tmp, geonames_dumps=(str(dump),))
    return open_geocoder(out)




# ---- a guess that won on prominence while a namesake elsewhere is spelt closer

def test_a_closer_spelt_namesake_elsewhere_makes_a_guess_not_found(geo):
    assert answer(geo, "Haddena") is None  # sounds like both; spelt closer to the Quneitra hamlet
    assert answer(geo, "Haddena", context="Quneitra") == ("Haddunah", "SY-QU")
    assert answer(geo, "Haddena", context="Daraa") == ("Hadinah", "SY-DR")


def test_the_vowels_written_choose_between_the_two(geo):
    assert answer(geo, "Hadduna") == ("Haddunah", "SY-QU")  # the hamlet's vowels (letter_key): not the town


def test_the_town_still_answers_when_spelt_closest(geo):
    assert answer(geo, "Hadina") == ("Hadinah", "SY-DR")


def test_the_rival_rule_is_what_refuses(geo, monkeypatch):
    monkeypatch.setattr(geocoder_module, "RIVAL_SPELLING_MARGIN", None)
    assert answer(geo, "Haddena") == ("Hadinah", "SY-DR")  # without the rule, the town wins on prominence


# ---- head words: "Bir X" is a well, "Tall X" a hill, "Albu X" a clan's village

def test_head_word_pure_functions():
    assert head_word("Tell el-Zarqun") == "tal"
    assert head_word("Albu Hamdun") == "albu"
    assert head_word("Bir") is None and head_word("Zarqun") is None
    ratio = lambda a, b: 50.0
    assert head_spelling("Bir Imma", ["buraymah", "breimma"], ratio) == 0.0   # no name begins with Bir
    assert head_spelling("Tall Sibt", ["talsabt"], ratio) == 100.0            # the rests sound alike
    assert head_spelling("Tall Sibt", ["talsufran"], ratio) == 50.0
    assert head_spelling("Zarnun", ["zarnun"], ratio) is None
    assert head_spelling("Ayn Sibt camp (5th Brigade)", ["aynsabt"], ratio) == 100.0  # its first words name it
    assert head_spelling("Zarnun Abu Sibt", ["zarnunabusabt"], ratio) is None  # a later head word is the name's
    assert head_spelling("Jubb Sibt", ["jubsabt"], ratio) == 100.0            # the head's shadda written or not
    assert head_spelling("Jubb Sibt", ["jubbsabt"], ratio) == 100.0
    assert head_spelling("Umm Sibt", ["umran"], ratio) == 0.0                 # "Um" is a spelling of Umm, not a head


def test_a_guess_without_the_query_head_word_is_not_found(geo, monkeypatch):
    assert answer(geo, "Bir Imma") is None  # sounds like Al Buraymah (alias "Breimma"), but is a well's name
    monkeypatch.setattr(geocoder_module, "GUESS_SAME_HEAD", False)
    assert answer(geo, "Bir Imma") == ("Al Buraymah", "SY-DR")


def test_a_head_word_spelt_otherwise_still_matches(geo):
    assert answer(geo, "Bir Qassab") == ("Bir Qasab", "SY-DR")
    assert answer(geo, "Beer Qasab") == ("Bir Qasab", "SY-DR")


# ---- twin villages asked the English way

def test_word_order_variants_put_the_qualifier_after_the_name():
    assert word_order_variants("Western Maqlubiyat") == ["Maqlubiyat Western"]
    assert word_order_variants("Upper Zarnun") == ["Zarnun Fawqani"]
    assert word_order_variants("Zarnun") == []
    assert "zarnunfawqani" in query_keys("Upper Zarnun")


def test_a_western_twin_spelt_otherwise_is_the_twin_not_the_bare_name(geo):
    assert answer(geo, "Western Maqloubiyat") == ("Maqlubiyat al Gharbiyah", "SY-DR")


def test_upper_and_lower_are_fawqani_and_tahtani(geo):
    assert answer(geo, "Upper Zarnun") == ("Zarnun al Fawqani", "SY-DR")
    assert answer(geo, "Upper Zarnoun") == ("Zarnun al Fawqani", "SY-DR")
    found = geo.geocode("Lower Zarnun", context="Daraa")  # its twin, beside it, at precision 2
    assert found is not None and found.name == "Zarnun al Fawqani" and found.geo_precision == 2


# ---- numbers are never matched fuzzily

def test_digits():
    assert digits("t7pumpingstation") == ("7",) and digits("Brigade 135 base 2") == ("135", "2")


def test_a_fuzzy_match_keeps_its_numbers(geo):
    assert answer(geo, "T7 Pumping Sation") == ("T7 Pumping Station", "SY-DR")  # a letter left out: fuzzy
    assert answer(geo, "T8 Pumping Station") is None
    assert answer(geo, "T8 Pumping Station", context="Daraa") is None


# ---- Kurdish and Turkish forms of northern places

def test_kurmanji_letters_are_read_the_english_way(geo):
    assert kurmanji_reading("Cindarûn") == "Jindarun" and kurmanji_reading("Şexlar Çiya") == "Shekhlar Chiya"
    assert kurmanji_reading("Cindarun") is None  # no letter only those alphabets use: "c" stays a c
    assert answer(geo, "Cindarûn") == ("Jindarun", "SY-DR")


def test_a_kurdish_name_points_only_at_its_town(monkeypatch):
    places = [SimpleNamespace(admin1_iso="SY-DR", population=9000), SimpleNamespace(admin1_iso="SY-DR", population=0),
              SimpleNamespace(admin1_iso="SY-QU", population=50000), SimpleNamespace(admin1_iso="SY-QU", population=0)]
    k1 = {"hadinah": [0, 1, 2], "qerezer": [3]}  # an unrelated hamlet already answers to the Kurdish name
    k2: dict = {}
    monkeypatch.setattr(northern_module, "KURDISH_NAMES", {"Qerezêr": ("hadinah", "SY-DR")})
    add_kurdish_names(places, k1, k2, lambda place, _country: place.population)
    assert k1[name_key("Qerezêr")] == [0]  # the most prominent Hadinah of Daraa, not the one in Quneitra
    assert k1[name_key("Qerezer")] == [0] and 0 in k2[sound_key("Qerezer")]
    monkeypatch.setattr(northern_module, "KURDISH_NAMES", {"Şiyar": ("hadinah", "SY-DR")})
    add_kurdish_names(places, k1, k2, lambda place, _country: place.population)
    assert 0 in k2[sound_key("Shiyar")] and 0 not in k2.get(sound_key("Siyar"), [])  # ş is sh, never s
