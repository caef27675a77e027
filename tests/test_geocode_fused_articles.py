"""An article written onto its word ("Alsanamayn", "Arrastan", "Ras Elain"), as some local media spell towns, on an
invented gazetteer (no registry data): the reading that splits it off, and when the geocoder prefers it."""

from __future__ import annotations

import pytest

from geo.geocode._phrases import fused_article_reading
from tests._invented_gazetteer import answer, build_gazetteer, geonames_row, open_geocoder, write_two_governorates


@pytest.fixture(scope="module")
def geo(tmp_path_factory):
    """Two governorates (Daraa 06, Quneitra 03) and invented places built from a GeoNames-style dump."""
    tmp = tmp_path_factory.mktemp("fused")
    write_two_governorates(tmp)
    dump = tmp / "SY.txt"
    dump.write_text(
        geonames_row(930001, "Ar Rastun", 32.60, 36.30, "06", population=9000)
        + geonames_row(930002, "Al Babun", 32.70, 36.20, "06", population=4000)
        + geonames_row(930003, "An Nakhlun", 32.80, 36.40, "06")
        + geonames_row(930004, "Anakhlun", 33.10, 35.78, "03")   # sounds like "Annakhlun" written as one word
        + geonames_row(930005, "Ras al `Aynun", 32.50, 36.50, "06")
        + geonames_row(930006, "Albu Fadun", 32.55, 36.25, "06"),
        encoding="utf-8")
    _, out = build_gazetteer(tmp, geonames_dumps=(str(dump),))
    return open_geocoder(out)


def test_the_reading_splits_a_fused_article_off():
    assert fused_article_reading("Alsanamayn") == "Al sanamayn"
    assert fused_article_reading("Elbab") == "El bab"
    assert fused_article_reading("Arrastan") == "Ar rastan"          # the sun letter doubled: assimilated
    assert fused_article_reading("Ashsheikh Maskin") == "Ash sheikh Maskin"
    assert fused_article_reading("Ras Elain") == "Ras El ain"        # on a later word too


def test_the_reading_leaves_other_words_alone():
    assert fused_article_reading("Al Bab") is None                   # already apart
    assert fused_article_reading("Albu Kamal") is None               # a clan's village, not an article
    assert fused_article_reading("Aleppo") is None
    assert fused_article_reading("Adana") is None                    # no doubled sun letter: no article
    assert fused_article_reading("Alma") is None                     # too short to hold one
    assert fused_article_reading("Assad") is None                    # a name: an assimilated article needs 3+ letters
    assert fused_article_reading("Attacks") is None                  # an English word


def test_fused_spellings_of_towns_are_found(geo):
    assert answer(geo, "Arrastun") == ("Ar Rastun", "SY-DR")
    assert answer(geo, "Albabun") == ("Al Babun", "SY-DR")
    assert answer(geo, "Elbabun") == ("Al Babun", "SY-DR")
    assert answer(geo, "Ras Elaynun") == ("Ras al `Aynun", "SY-DR")


def test_an_exact_reading_beats_a_sound_alike_of_the_fused_word(geo):
    assert answer(geo, "Annakhlun") == ("An Nakhlun", "SY-DR")       # not the Quneitra sound-alike
    assert answer(geo, "Anakhlun") == ("Anakhlun", "SY-QU")          # which answers when written so


def test_a_clan_prefix_is_not_split(geo):
    assert answer(geo, "Albu Fadun") == ("Albu Fadun", "SY-DR")
