"""Text search that ignores accents, the Arabic/Latin article and the script a place name is written in.

The text filter (``geo.filters.FIELD["text"]``) folds both the query and the searched text with
:func:`fold` / :func:`fold_series` and looks for the folded query as a substring. Folding reuses the
geocoder's rules (:mod:`geo.geocode._normalize`): no diacritics or apostrophe-like marks, lower case,
the article dropped (``al-``, ``as-``, ``el`` …, and Arabic ``ال``/``وال`` before a word), Arabic
hamza/alef/ta-marbuta variants unified, and every run of other characters one space.

:func:`query_variants` adds the other script: a query that is the name of gazetteer places also
searches for those places' names in the other script ("الصنمين" also finds "Aş Şanamayn", and
"Sanamayn" also finds "الصنمين").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from geo.geocode._normalize import ARTICLES, name_key

if TYPE_CHECKING:
    import pandas as pd

_MARKS = "\u0027\u0060\u00b4\u2018\u2019\u02bb\u02bc\u02be\u02bf\u02c8\u2032\u02b9\u02ca"
# Patterns hold the characters themselves (no \\u escapes) so PostgreSQL reads them the same way.
#: Characters dropped after NFKD (combining marks, Arabic diacritics and tatweel, apostrophe-like marks).
DROPPED_CLASS = ("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
                 + _MARKS + "]")
_COMBINING = re.compile(DROPPED_CLASS)
#: Single-character replacements after case folding (``TRANSLATE_FROM[i]`` -> ``TRANSLATE_TO[i]``; the hamza,
#: last, is dropped), then ``ß`` -> ``ss`` and ``þ`` -> ``th``.
TRANSLATE_FROM, TRANSLATE_TO = "أإآٱةىؤئگکیıøðء", "ااااهيويككيiod"
_ARABIC_LETTERS = str.maketrans({**dict(zip(TRANSLATE_FROM, TRANSLATE_TO)), "ء": None, "ß": "ss", "þ": "th"})
OTHER_CLASS = "[^0-9a-z\u0621-\u064a]+"
_OTHER = re.compile(OTHER_CLASS)
# An article before a word ("al-Sanamayn", "As Suwayda"); a lone trailing article stays. Written without
# look-behind and applied twice (for "as al-…") so that PostgreSQL runs the very same patterns
# (geo.store._pg_search): both backends fold text identically.
LATIN_ARTICLE = "(^| )(?:" + "|".join(sorted(ARTICLES, key=lambda a: (-len(a), a))) + ") (?=[0-9a-z])"
ARABIC_ARTICLE = "(^| )\u0648?\u0627\u0644(?=[\u0621-\u064a]{2})"
_LATIN_ARTICLE = re.compile(LATIN_ARTICLE)
_ARABIC_ARTICLE = re.compile(ARABIC_ARTICLE)


def _clean(text: str) -> str:
    """Spaces around the folded words (so a search for a whole word can use the padding)."""
    return " " + text.strip() + " "


def _fold_words(text: str) -> str:
    """The folded words of ``text`` without the padding spaces (see :func:`fold`)."""
    if not text.isascii():  # ASCII text has no marks, no Arabic and nothing to decompose
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold().translate(_ARABIC_LETTERS)
    else:
        text = text.lower()
    text = _OTHER.sub(" ", text).strip()
    for _ in range(2):
        text = _LATIN_ARTICLE.sub(r"\1", text)
    return _ARABIC_ARTICLE.sub(r"\1", text)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` folded for searching: ``"Aş-Şanamayn"`` → ``" sanamayn "``, ``"الصنمين"`` → ``" صنمين "``."""
    words = _fold_words(text)
    return _clean(words) if words else ""


#: Folded texts kept between searches (a new query over the same incidents folds nothing again).
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 500_000


def fold_series(values: "pd.Series") -> "pd.Series":
    """:func:`fold` for every string of a pandas Series, padded with one space either side even when empty
    (missing values fold to two spaces). Each distinct value is folded once."""
    import pandas as pd

    text = values.fillna("").astype(str)
    if len(_FOLDED) > _FOLDED_MAX:
        _FOLDED.clear()
    for value in pd.unique(text.to_numpy()):
        if value not in _FOLDED:
            _FOLDED[value] = " " + _fold_words(value) + " "
    return text.map(_FOLDED)


@lru_cache(maxsize=1)
def _gazetteer():
    from geo.geocode._index import load_index

    return load_index()


@lru_cache(maxsize=512)
def query_variants(query: str) -> tuple[str, ...]:
    """The folded forms to look for: the query itself and, when the whole query names gazetteer places,
    those places' names in the other script. Empty when the query has no letters or digits."""
    own = fold(query).strip()
    if not own:
        return ()
    found = [own]
    try:
        index = _gazetteer()
    except Exception:  # no gazetteer (a trimmed install): search the query as written
        return tuple(found)
    for i in index.k1.get(name_key(query), [])[:20]:
        place = index.places[i]
        for name in (place.name, place.name_ar):
            folded = fold(name or "").strip()
            if folded and folded not in found:
                found.append(folded)
    return tuple(found)


def matches(query: str, haystack: "pd.Series") -> "pd.Series":
    """Which rows of a Series of (already folded, see :func:`fold_series`) text contain any variant of ``query``."""
    import pandas as pd

    hit = pd.Series(False, index=haystack.index)
    for variant in query_variants(query):
        hit |= haystack.str.contains(variant, regex=False)
    return hit
