"""Text search ignores accents, case, the article and the script of gazetteer place names (geo.search)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings, strategies as st

from geo.filters import Filters
from geo.search import fold, fold_arrow, fold_series, query_variants

# Invented rows (not from any report).
FRAME = pd.DataFrame({
    "notes": ["Shelling reported near Aş Şanamayn overnight.", "قصف مدفعي على أطراف مدينة الصنمين.",
              "Clashes at a checkpoint outside al-Sanamayn.", "A market fire in Hama city.", None],
    "location": ["Aş Şanamayn", "الصنمين", "Al-Sanamayn", "Hama", "Nowhere"],
})


def ids(query: str) -> list[int]:
    return list(FRAME.index[Filters(text=query).mask(FRAME)])


def test_accents_article_and_script_find_the_same_rows():
    assert ids("Sanamayn") == ids("Şanamayn") == ids("الصنمين") == ids("As-Sanamayn") == [0, 1, 2]


def test_plain_words_still_match_as_substrings_and_others_do_not():
    assert ids("market") == [3]
    assert ids("CHECKPOINT") == [2]
    assert ids("sanamayn overnight") == [0]
    assert ids("Aleppo") == []


def test_fold_drops_marks_and_articles_in_both_scripts():
    assert fold("Aş-Şanamayn") == " sanamayn "
    assert fold("الصنمين") == " صنمين "
    assert fold("Tell el-Ahmar") == " tell ahmar "
    assert fold("!!!") == ""


def test_query_variants_map_arabic_to_latin_gazetteer_names():
    assert "sanamayn" in query_variants("الصنمين")
    assert "صنمين" in query_variants("Sanamayn")
    assert query_variants("a word no gazetteer place has") == ("a word no gazetteer place has",)


def test_postgis_migration_folds_with_the_same_patterns():
    from pathlib import Path

    from geo.store._pg_search import function_sql

    migration = Path(__file__).resolve().parent.parent / "geo" / "store" / "migrations" / "0003_search_fold.sql"
    assert function_sql() in migration.read_text(encoding="utf-8")


# Pieces the folding rules treat specially: articles (alone, doubled, at the end), marks, case, blanks,
# punctuation, Arabic letters and articles, digits.
_PIECES = ["al", "Al-", "as ", "el", "AL ", "ad-", "ash ", "l", "a", "x", "Tell", "kafr", "Şan", "é", "'",
           "\u2019", "-", ".", ",", "/", " ", "  ", "\t", "\n", "12", "الصنمين", "وال", "ال", "ة", "ß", "!!"]


@given(st.lists(st.one_of(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), st.none(),
                          st.text(max_size=12)), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_the_array_fold_equals_the_per_value_fold(values):
    """The index's search text (fold_arrow, array operations for ASCII) is fold_series's, string for string."""
    series = pd.Series(values, dtype=object)
    assert fold_arrow(series).to_pylist() == fold_series(series).tolist()


def test_the_array_fold_reads_other_objects_as_fold_series_does():
    series = pd.Series(["Al-Bab", 12, None, 3.5, "as Sanamayn"], dtype=object)
    assert fold_arrow(series).to_pylist() == fold_series(series).tolist()
    assert fold_arrow(series).to_pylist()[0] == " bab "


def test_the_array_fold_of_a_slice_starts_at_the_slice():
    series = pd.Series(["first row", "Al-Bab", "Tell el-Ahmar"], dtype="string[pyarrow]").iloc[1:]
    assert fold_arrow(series).to_pylist() == [" bab ", " tell ahmar "]
