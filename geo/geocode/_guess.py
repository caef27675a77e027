"""Judging a loose answer ("a guess": sound, feature words dropped, vowel elision, fuzzy) given without context.

Pure helpers of :class:`geo.geocode.Geocoder`: which spellings of the query to compare with a place's names,
and the structural checks that make a guess "not found" rather than a village in the wrong governorate
(thresholds and their measurements in :mod:`geo.geocode._ranking`).
"""

from __future__ import annotations

import re

from geo.geocode._normalize import head_word, is_word_form, name_key, sound_key, strip_feature_words
from geo.geocode._phrases import QUALIFIERS, spelling_variants
from geo.geocode._ranking import CONSTRUCT_STATE

_DIGITS = re.compile(r"\d+")
_DOUBLED = re.compile(r"(.)\1")


def query_keys(query: str) -> set[str]:
    """Name keys of the parts of ``query`` that may name the place: any run of its words ("near X", "X
    countryside", "City - Quarter"), the words without feature words ("Kafr Shams town"), a leading qualifier
    moved to the end ("Western X" = "X Gharbi")."""
    words = " ".join(query.split()).split(" ")
    keys = {name_key(" ".join(words[i:j])) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    keys.add(name_key(strip_feature_words(query) or query))
    keys |= {k[len(q):] + q for k in keys for q in QUALIFIERS if k.startswith(q)}
    keys |= {name_key(v) for v in spelling_variants(query)}
    keys.discard("")
    return keys


def head_spelling(query: str, place_keys, ratio) -> float | None:
    """For a query with a name that begins with a head word: how close (``ratio``, 0-100) the rest of that name
    is to the rest of a place name beginning with the same head word: 100 when the two rests sound alike
    (``sound_key``), 0 when no name of the place begins with that word ("Bir Issa" is not "Buraysah", "Albu
    Badran" not "Ali Badran"). The query's first two, three ... words are tried ("Ein Issa military base (93rd
    Brigade)"), the best counts; None when its first word is not a head word (a later one, as in "Ali Abu X",
    belongs to the name)."""
    words = (strip_feature_words(query) or query).split()
    best: float | None = None
    for end in range(2, len(words) + 1):
        name = " ".join(words[:end])
        head, rest = head_word(name), name_key(name)
        if head is None or not rest.startswith(head):
            break
        rest = rest[len(head):]
        best = best or 0.0
        # the head word in either construct form: "Maaret X" is the place "Maarah X" (CONSTRUCT_STATE)
        forms = {head, head[:-1] + "h"} if CONSTRUCT_STATE and head.endswith("at") else {head}
        single = _DOUBLED.sub(r"\1", head)
        if not is_word_form(single):  # "Jubb X" is the place "Jub X" (a shadda written or not); "Um" is "Umm"
            forms.add(single)
        for key in place_keys:
            for form in forms:
                if key.startswith(form) and len(key) > len(form):
                    other = key[len(form):]
                    best = max(best, 100.0 if sound_key(rest) == sound_key(other) else ratio(rest, other))
    return best


def digits(text: str) -> tuple[str, ...]:
    """The numbers written in ``text`` ("T2 Pumping Station" → ("2",))."""
    return tuple(_DIGITS.findall(text))
