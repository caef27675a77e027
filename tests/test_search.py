"""Text search ignores accents, case, the article and the script of gazetteer place names (geo.search)."""

from __future__ import annotations

import pandas as pd

from geo.filters import Filters
from geo.search import fold, query_variants

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
