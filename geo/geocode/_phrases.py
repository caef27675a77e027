"""How reports phrase vague places: "near X", "X countryside", "southern X", "X, Daraa", qualifiers.

Pure text patterns used by :mod:`geo.geocode`; no gazetteer knowledge here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

from geo.geocode._normalize import name_key, tokens
from geo.geocode._ranking import CONSTRUCT_STATE

_SIDES = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
# a side or corner, captured: "north", "south-west" ("-" removed by part_of())
_PART = r"(north-?east|north-?west|south-?east|south-?west|north|south|east|west)"

# "near X", "the outskirts of X", "north of X", "the farms of X" → X at precision 2.
NEAR = re.compile(
    r"^(?:(?:in\s+)?the\s+)?(?:near(?:by)?|around|close\s+to|outside(?:\s+of)?|(?:on\s+)?(?:the\s+)?outskirts\s+of|"
    r"(?:in\s+)?(?:the\s+)?vicinity\s+of|(?:the\s+)?surroundings\s+of|(?:the\s+)?" + _SIDES +
    r"(?:ern)?\s+(?:outskirts|edges?|side|entrance)\s+of|(?:\d+\s*km\s+)?" + _SIDES + r"\s+of|"
    r"(?:the\s+)?(?:area|areas|environs|farms|fields|hills|road|highway)\s+(?:of|around|near)|between)\s+(.+)$",
    re.IGNORECASE)
NEAR_SUFFIX = re.compile(r"^(.+?)(?:'s)?\s+(?:outskirts|surroundings|vicinity|environs|area|farms|fields|"
                         r"suburbs?|surrounding\s+area)$", re.IGNORECASE)
# "X countryside", "Daraa's eastern countryside", "X province" → the governorate (or its part).
COUNTRYSIDE_SUFFIX = re.compile(
    r"^(?:the\s+)?(.+?)(?:'s)?\s+(?:" + _PART + r"(?:ern)?\s+)?(?:countryside|province|governorate|"
    r"muhafazah?|region|rural\s+areas?|desert|badia|countryside\s+areas?)$", re.IGNORECASE)
# "rural Daraa", "the western countryside of Daraa", "Rif Idlib".
COUNTRYSIDE_PREFIX = re.compile(
    r"^(?:the\s+)?(?:" + _PART + r"(?:ern)?\s+)?(?:countryside\s+of|rural|rif|reef|province\s+of|"
    r"governorate\s+of|countryside|desert\s+of|region\s+of)\s+(.+)$", re.IGNORECASE)
# "southern Daraa", "the western part of Idlib".
DIRECTION = re.compile(r"^(?:the\s+)?" + _PART + r"(?:ern)?\s+(?:part\s+of\s+|parts\s+of\s+)?(.+)$",
                       re.IGNORECASE)
DIRECTION_OF = re.compile(r"^(?:the\s+)?" + _PART + r"(?:ern)?\s+(?:part|parts|side)\s+of\s+(.+)$",
                          re.IGNORECASE)
# "Nawa in Daraa", "Nawa of Daraa" (the comma form is split separately).
IN_REGION = re.compile(r"^(.+?)\s+(?:in|of|,)\s+(?:the\s+)?(.+)$", re.IGNORECASE)
# ACLED's "Ar-Raqqa - Tishrine": a town and a quarter or facility of it.
DASH = re.compile(r"\s+[-–—]\s+")
# "the town of X", "in X", "at X" → X itself.
TOWN_OF = re.compile(r"^(?:(?:in|at)\s+)?(?:the\s+)?(?:(?:city|town|village|hamlet|locality|district|"
                     r"neighbou?rhood|area)\s+of\s+|(?:in|at)\s+)(.+)$", re.IGNORECASE)
# "Nawa (Daraa)", "Nawa/Daraa" → "Nawa, Daraa".
PARENTHESES = re.compile(r"^(.+?)\s*(?:\((.+)\)|/\s*(.+))$")
# "the Tafas-Daraa road" → near the first town (precision 2).
ROAD = re.compile(r"^(?:the\s+)?(.+?)\s*[-–/]\s*.+?\s+(?:road|highway|motorway|route|railway|axis|front)$",
                  re.IGNORECASE)
# "Jasim and Nawa" → the first place named.
AND = re.compile(r"^(.+?)\s+(?:and|&|or)\s+(.+)$", re.IGNORECASE)
# Arabic: "ريف درعا الشرقي" (Daraa's eastern countryside), "محافظة درعا", "بلدة نوى", "قرب نوى", "جنوب درعا".
_AR_SIDE = r"(?:ال)?(شرقي|غربي|شمالي|جنوبي)"
ARABIC_COUNTRYSIDE = re.compile(r"^(?:ريف|ارياف|أرياف|محافظة|محافظه)\s+(.+?)(?:\s+" + _AR_SIDE + r")?$")
ARABIC_TOWN_OF = re.compile(r"^(?:في\s+)?(?:بلدة|بلده|مدينة|مدينه|قرية|قريه|بلدات|قرى|مخيم|حي|منطقة|منطقه)\s+(.+)$")
ARABIC_NEAR = re.compile(r"^(?:قرب|بالقرب من|محيط|أطراف|اطراف|ضواحي|حول)\s+(.+)$")
ARABIC_DIRECTION = re.compile(r"^(شمال|جنوب|شرق|غرب)(?:ي)?\s+(.+)$")
ARABIC_SIDES = {"شرقي": "east", "غربي": "west", "شمالي": "north", "جنوبي": "south",
                "شرق": "east", "غرب": "west", "شمال": "north", "جنوب": "south"}

# Name keys (see geo.geocode._normalize) of words that qualify a name: "Western X", "X al-Kabira", "Upper X".
DIRECTION_WORDS = frozenset({"gharbi", "sharqi", "shamali", "janubi", "kabir", "saghir"})
QUALIFIERS = DIRECTION_WORDS | {"fawqani", "tahtani", "jadid", "jadida", "qadim", "qadima", "upper", "lower",
                                "new", "old", "wusta", "awsat"}
ARTICLE_WORDS = frozenset({"al", "el", "ash", "as", "ad", "ar", "at", "az", "an"})
# Qualifiers that tell twin villages apart: "Western X" lies beside "Eastern X", "X Kabir" beside "X Saghir".
_TWIN_FAMILIES = ({"gharbi", "sharqi", "shamali", "janubi"}, {"kabir", "saghir"},
                  {"fawqani", "tahtani", "wusta", "awsat", "upper", "lower"},
                  {"jadid", "jadida", "qadim", "qadima", "new", "old"})


def twin_qualifiers(qualifier_key: str) -> list[str]:
    """The other qualifiers of the same family: "gharbi" → ["janubi", "shamali", "sharqi"]."""
    for family in _TWIN_FAMILIES:
        if qualifier_key in family:
            return sorted(family - {qualifier_key})
    return []


def part_of(side: str | None) -> str | None:
    """"South-Western" → "southwest": the part id suffix for a captured side or corner."""
    return side.lower().replace("-", "") if side else None


# English qualifiers whose Arabic word the gazetteer writes after the name ("Upper X" = "X al-Fawqani")
_ARABIC_QUALIFIER = {"upper": "Fawqani", "lower": "Tahtani"}


def word_order_variants(text: str) -> list[str]:
    """"Western Ghariyeh" → ["Ghariyeh Western"]: Arabic puts the qualifier after the name; "Upper Nubl" →
    ["Nubl Fawqani"]."""
    words = text.split()
    if len(words) >= 2 and name_key(words[0]) in DIRECTION_WORDS:
        return [" ".join(words[1:] + words[:1])]
    if len(words) >= 2 and name_key(words[0]) in _ARABIC_QUALIFIER:
        return [" ".join(words[1:] + [_ARABIC_QUALIFIER[name_key(words[0])]])]
    return []


_CONSTRUCT_AT = re.compile(r"^(.{3,}?)(?:at|et|it)$", re.IGNORECASE)
_CONSTRUCT_AH = re.compile(r"^(.{3,}?)(?:ah|eh|a)$", re.IGNORECASE)


def construct_variants(text: str) -> list[str]:
    """The first word of a name of two or more words in the other form of the Arabic feminine ending: a
    construct state is written "-at" or "-ah" ("Maaret al-Naasan" / "Maarah al-Naasan", "Jazirah X" /
    "Jazirat X"). [] for one word or when the first word ends otherwise (or is an article)."""
    words = text.split()
    if len(words) < 2 or words[0].casefold() in ARTICLE_WORDS:
        return []
    match = _CONSTRUCT_AT.match(words[0])
    if match:
        return [" ".join([match.group(1) + "ah", *words[1:]])]
    match = _CONSTRUCT_AH.match(words[0])
    if match:
        return [" ".join([match.group(1) + "at", *words[1:]])]
    return []


def spelling_variants(text: str) -> tuple[str, ...]:
    """Other spellings of the same name to look up: :func:`word_order_variants` and, when
    :data:`~geo.geocode._ranking.CONSTRUCT_STATE` is on, :func:`construct_variants`."""
    return _spelling_variants(text, CONSTRUCT_STATE)


@lru_cache(maxsize=32768)
def _spelling_variants(text: str, construct: bool) -> tuple[str, ...]:
    return tuple(word_order_variants(text) + (construct_variants(text) if construct else []))


# An article written onto its word: "Alsanamayn", "Elbab", "Ras Elain"; assimilated, "Arrastan" and "Assafira"
# (the sun letter doubled, then 3 letters or more: not "Assad"), "Ashsheikh". Not "Albu X" (a clan's village),
# not a short word, not the English words and names below that look the same.
_FUSED = re.compile(r"^(?:(?P<plain>[ae]l)(?=[^\W\d_]{3,}$)|(?P<sun>[ae](?P<letter>sh|th|dh|[tdrzsn]))(?=(?P=letter)"
                    r"[^\W\d_]{3,}$))", re.IGNORECASE)
_NOT_FUSED = frozenset(
    "aleppo alep alexandretta alawite alawites alawi alwan elias alma allah assad asaad essad annan assyria assyrian "
    "assyrians already although almost along alleged allegedly allied allies alliance allow allowed allows alert "
    "elections election eleven elite else elsewhere attack attacks attacked attacker attackers attempt attempted "
    "attention assault assaults assistance assembly assets arrest arrests arrested arrival annual announced "
    "announcement addition additional address essential".split())


def fused_article_reading(text: str) -> str | None:
    """``text`` with an article written onto a word split off ("Alsanamayn" → "Al sanamayn", "Arrastan" → "Ar
    rastan", "Ras Elain" → "Ras El ain"), for a query that named nothing as written; None when no word has one."""
    words = text.split()
    out, changed = [], False
    for word in words:
        match = _FUSED.match(word)
        if match and word.casefold() not in _NOT_FUSED and not word.casefold().startswith("albu"):
            head = match.group("plain") or match.group("sun")
            out.append(f"{head} {word[len(head):]}")
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def only_generic(text: str, stripped: str) -> bool:
    """True when stripping feature words removed nothing but generic words (same word count)."""
    return len(tokens(text)) == len(tokens(stripped))


def km(a, b) -> float:
    """Great-circle distance in km between two objects with ``lat`` and ``lon``."""
    dlat, dlon = radians(b.lat - a.lat), radians(b.lon - a.lon)
    h = sin(dlat / 2) ** 2 + cos(radians(a.lat)) * cos(radians(b.lat)) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))
