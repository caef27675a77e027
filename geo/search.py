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
    import numpy as np
    import pandas as pd
    import pyarrow as pa

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


#: :data:`LATIN_ARTICLE` for text that :data:`OTHER_CLASS` has already reduced to words joined by single spaces
#: (no space at either end): a space after an article is then always followed by a word, so the look-ahead,
#: which Arrow's regular expressions (RE2) lack, can go; matches consume the same characters.
_ARROW_LATIN_ARTICLE = "(^| )(?:" + "|".join(sorted(ARTICLES, key=lambda a: (-len(a), a))) + ") "


def fold_arrow(values: "pd.Series") -> "pa.LargeStringArray":
    """:func:`fold_series` as an Arrow array, the same strings: ASCII strings are folded with array operations
    (no Python loop: a byte table lowers letters and blanks everything else, then Arrow collapses the blanks
    and drops the articles), the others one distinct value at a time as :func:`fold_series` does.
    A million distinct notes fold in about 1.5 CPU seconds instead of 16."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # strings and missing values (the usual columns): no copy through Python strings
        text = pc.fill_null(pa.array(values, type=pa.large_string(), from_pandas=True), "")
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # other objects mixed in: as fold_series reads them
        text = pa.array(values.fillna("").astype(str).to_numpy(dtype=object), type=pa.large_string())
    text = text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text
    ascii_ = pc.string_is_ascii(text).to_numpy(zero_copy_only=False)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset:text.offset + len(text) + 1]
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[:offsets[-1]] if offsets[-1] else np.zeros(0, np.uint8)
    # non-ASCII strings come out blanked here and are replaced below
    words = pa.LargeStringArray.from_buffers(len(text), pa.py_buffer(offsets - offsets[0]),
                                             pa.py_buffer(_byte_fold_table()[data[offsets[0]:]]))
    folded = pc.utf8_trim(pc.replace_substring_regex(words, "  +", " "), " ")
    for _ in range(2):
        folded = pc.replace_substring_regex(folded, _ARROW_LATIN_ARTICLE, "\\1")
    space, nothing = pa.scalar(" ", pa.large_string()), pa.scalar("", pa.large_string())
    padded = pc.binary_join_element_wise(space, folded, space, nothing)
    if ascii_.all():
        return padded
    others = np.flatnonzero(~ascii_)
    merged = padded.to_numpy(zero_copy_only=False).astype(object)
    merged[others] = fold_series(values.iloc[others]).to_numpy(dtype=object)
    return pa.array(merged, type=pa.large_string())


@lru_cache(maxsize=1)
def _byte_fold_table() -> "np.ndarray":
    """Byte -> byte: ASCII letters to lower case, digits kept, every other byte a space (what
    :data:`OTHER_CLASS` leaves of ASCII text)."""
    import numpy as np

    table = np.full(256, ord(" "), dtype=np.uint8)
    for char in b"0123456789abcdefghijklmnopqrstuvwxyz":
        table[char] = char
    for char in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[char] = char + 32
    return table


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
