"""Toponyms in a sentence and how to ask the geocoder about them.

A candidate is a capitalised name (or an Arabic word run) standing where places stand: after a locative
preposition ("in", "near", "the outskirts of", "rural"), or before a place noun ("city", "countryside",
"front"). Each carries the queries to try, in order, with the precision the phrase implies (the town
itself 1, near/around/part of 2, region 3), the governorate named next to it as context, and whether it
is only where a source, office or person comes from (then it is never the event's location).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from geo.admin1 import resolve_admin1
from geo.geocode.location import Location

_TOKEN = r"(?:[A-Z][\w'-]*[\w]|[A-Z]\d*)"
_ART = r"(?:al|el|as|ash|ad|ar|an|at|az|ed|es|esh|ez|en|er|e|um|umm|bin|ibn|abu|wa|de|la|du)"
PLACE_RE = re.compile(r"(?<![\w'-])(?:" + _ART + r"[- ])?" + _TOKEN + r"(?:[ -](?:" + _ART + r"[ -])*" + _TOKEN
                      + r")*|[\u0600-\u06FF][\u0600-\u06FF ]*[\u0600-\u06FF]")
_DIR = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|central)"
_DIR_RE = re.compile(r"\b(" + _DIR + r")(?:ern)?\b", re.I)
_SPATIAL = (r"(?:town|city|village|villages|hamlet|area|areas|outskirts|vicinity|countryside|suburbs?|"
            r"neighbou?rhoods?|district|province|governorate|region|camp|entrance|edge|cent(?:er|re)|market|road|"
            r"surroundings|parts?|environs|desert|plains?|mountains?|heights|axis|front|frontline|outposts?|"
            r"positions?|base|airport|prison|field|fields|crossing|border|administrative border|highway)")
_LEFT = re.compile(
    r"(?:\b(?:in|near|at|outside|around|on|into|onto|to|toward|towards|from|via|through|across|along|inside|"
    r"within|between|targeting|targeted|shelled|shelling|struck|bombed|bombing|hit|stormed|captured|entered|"
    r"reached|besieged|surrounding|rocked|rattled|pounded|raided|of)\s+)"
    r"(?:the\s+)?(?:[\w-]+'s\s+)?(?:[\w'-]+-(?:held|controlled|backed|led|run|dominated)\s+)?"
    r"(?:(?:[\w-]+\s+){0,2}?" + _SPATIAL + r"\s+(?:of\s+|in\s+|near\s+)?(?:the\s+)?)?"
    r"(?:" + _DIR + r"(?:ern)?\s+)?(?:rural\s+)?$|"
    r"\b(?:rural|outskirts of|vicinity of|countryside of)\s+$|\b(?:of|west|east|north|south)\s+of\s+$", re.I)
_RIGHT = re.compile(
    r"^(?:'s)?\s*(?:-\s*)?(?:(?:" + _DIR + r")(?:ern)?\s+)?(?P<noun>city|town|village|camp|area|countryside|"
    r"front|frontline|axis|plain|desert|road|highway|district|neighbou?rhood|governorates|provinces|governorate|province|"
    r"air ?base|airport|base|border crossing|crossing|gas field|oil fields?|field|dam|military prison|"
    r"central prison|prison|outskirts|"
    r"suburbs?|township|junction|roundabout|region|mountains?|countryside)\b", re.I)
# "near"-words only count when they govern the name ("near Tafas", "the outskirts of the town of Nawa").
_NEAR = re.compile(r"\b(?:outskirts|vicinity|near|nearby|around|outside|km|kilometers|kilometres|miles|north|south|"
                   r"east|west|between|rural|countryside|surroundings|environs|edge|road)\b(?:\s+(?:of|from|to))?\s+"
                   r"(?:the\s+)?(?:[\w-]+'s\s+)?(?:(?:town|city|village|area|camp)\s+of\s+(?:the\s+)?)?$", re.I)
_NEAR_RIGHT = re.compile(r"^(?:'s)?\s*(?:-\s*)?(?:(?:" + _DIR + r")(?:ern)?\s+)?(?:countryside|front|frontline|axis|"
                         r"area|road|highway|desert|plain|outskirts|junction|suburbs?|region|surroundings)\b", re.I)
_POINT_RIGHT = re.compile(r"^\s*(?:city|town|village|camp)\b", re.I)
_SOURCE_LEFT = re.compile(
    r"(?:\b(?:man|woman|civilian|resident|residents|native|natives|people|fighters?|members?|displaced|IDPs?|child|"
    r"family|families|person|man's|youth|young men|young man|one)\s+(?:originally\s+)?from\s+(?:the\s+)?"
    r"(?:(?:town|city|village)\s+of\s+)?$|\b(?:are|is|was|were|hails?|originally)\s+from\s+(?:the\s+)?$|"
    r"\b(?:branch|office|bureau|based|sources|source|correspondent|activists?|officials?|spokes(?:man|person)|"
    r"capital|agency|court|authorities|committee|monitoring cent(?:er|re)|residing|living|displaced)\s+(?:in|at|of)\s+"
    r"(?:the\s+)?$|"
    # where a speaker is or a report was filed, and where casualties were taken afterwards
    r"\b(?:(?:tele)?phone|speaking|spoke|talking|writing|reporting|interviewed|interview|conference|briefing|"
    r"statement|told\s+(?:[\w-]+\s+){1,2}|said|says)\s+(?:(?:by\s+)?(?:tele)?phone\s+)?(?:from|in)\s+(?:the\s+)?$|"
    # (a hospital "in X" is where a raid or strike happened unless someone was taken or treated there)
    r"\b(?:taken|transferred|evacuated|rushed|fled|displaced|moved|sent|treated|admitted|brought|died)\s+"
    r"(?:to\s+)?(?:in|at|to)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?$|"
    r"(?:\b(?:taken|transferred|evacuated|rushed|moved|sent|treated|admitted|brought|died|route|way)\s+"
    r"(?:[\w'-]+\s+){0,3}?|\bto\s+(?:a\s+|the\s+)?(?:[\w'-]+\s+){0,2}?)"
    r"(?:hospitals?|clinic|morgue|medical (?:center|centre|point))\s+(?:in|at)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?$)", re.I)
_SOURCE_RIGHT = re.compile(r"^(?:'s)?\s+(?:branch|office|bureau|-based)\b|^-based\b|"
                           # a capital standing for its government: "Ankara announced", "Damascus has denied"
                           r"^\s+(?:has\s+|had\s+|have\s+)?(?:also\s+)?(?:announced|announces|said|says|stated|claimed|claims|"
                           r"accused|accuses|warned|warns|denied|denies|confirmed|declared|insisted|urged|demanded|"
                           r"condemned|threatened|rejected|welcomed|responded|agreed|signed)\b", re.I)
_STOP = {
    "on", "the", "a", "an", "in", "at", "neither", "no", "sources", "source", "meanwhile", "however", "this",
    "that", "these", "those", "it", "he", "she", "they", "we", "as", "around", "security", "movement", "looting",
    "arrests", "other", "detonation", "headquarters", "unknown", "several", "members", "regime", "gen", "col",
    "total", "among", "both", "shrapnel", "when", "while", "after", "before", "according", "there", "reports",
    "reported", "local", "syrian", "russian", "turkish", "israeli", "iranian", "jordanian", "american", "us",
    "un", "iraq", "lebanon", "i", "m4", "m5", "size", "its", "their", "his", "her", "more", "some", "two",
    "coalition", "global", "opposition", "kurdish", "arab", "syriatel", "telecom", "sheikh", "brigade",
    "ramadan", "eid", "islam", "god", "allah",
    # peoples and communities, not places
    "syrians", "kurds", "russians", "iranians", "turks", "americans", "israelis", "iraqis", "lebanese", "druze",
    "bedouin", "bedouins", "alawite", "alawites", "alawis", "sunni", "sunnis", "shiite", "shiites", "shia",
    "christians", "christian", "arabs", "turkmen", "assyrians", "armenians", "circassians", "jordanians",
}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_STRIP_SUFFIX = re.compile(r"(?:[\s-]+(?:City|Town|Village|Province|Governorate|Countryside|Camp|Airbase|Air Base|"
                           r"Airport|Area|Front|Military Prison|Prison))+$")
_NOT_PLACE_RIGHT = re.compile(r"^\s*(?:street|st\.|square|roundabout|bridge|school|mosque|bakery|hospital|"
                              r"telecom|company|brigade|division|corps|army|front\s+(?:for|of))\b", re.I)
_ROAD_RIGHT = re.compile(r"^\s*(?:-\s*(?:[\w'-]+\s+){1,3}?)?(?:road|highway|motorway)\b", re.I)
_ROAD_LEFT = re.compile(r"\b(?:road|highway)\s+(?:between|from|linking|connecting)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
                        r"(?:(?:and|to)\s+)?$", re.I)
# "the Daraa and Suwayda governorates": the first name of a list of governorates
_GOV_LIST_RIGHT = re.compile(r"^(?:\s*,\s*[A-Z][\w'-]+)*\s*,?\s+and\s+(?:the\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?\s+"
                             r"(?:governorates|provinces)\b")
_LEADING_ART = re.compile(r"^(?:the)\s+", re.I)


class Geocoder(Protocol):
    """What extraction needs from a geocoder (geo.geocode.Geocoder satisfies it)."""

    def geocode(self, query: str, context: str | None = None) -> Location | None:  # pragma: no cover - protocol
        ...


@dataclass
class Toponym:
    """A place name found in text, with how to look it up."""

    name: str
    start: int
    end: int
    queries: list[tuple[str, int | None]] = field(default_factory=list)
    admin: bool = False           # a governorate (or "X countryside" of one): context more than location
    area: bool = False            # a named multi-governorate area ("southern Syria")
    excluded: bool = False        # where a source/office/person is from, never the event's location
    context: str | None = None    # governorate named next to it
    road: bool = False            # an end of a road ("the X - Y road", "road between X and Y"): weak evidence
    bracketed: bool = False       # a governorate in brackets after a place name: context for the names before it
    strict: bool = False          # found on weak evidence: only an exact gazetteer name counts
    context_weak: bool = False    # the context comes from a town that is also a governorate's name ("Tartous")


def _direction(text: str) -> str | None:
    """The compass adjective in ``text`` ("northern", "south-eastern", "central"), or None."""
    m = _DIR_RE.search(text)
    if not m:
        return None
    word = m.group(1).lower().replace("-", "")
    return word if word == "central" else word + "ern"


def _clean(name: str) -> str:
    """Drop a leading article and control words ("HTS-held Idlib" -> "Idlib")."""
    name = _LEADING_ART.sub("", name.strip(" -'"))
    return re.sub(r"^(?:[\w'-]+-(?:held|controlled|backed|led|run|dominated)\s+)+", "", name, flags=re.I)


def find_toponyms(text: str, offset: int = 0, masked: list[tuple[int, int]] | None = None) -> list[Toponym]:
    """Place-name candidates in one sentence, in text order. ``masked`` spans (actors, people) are skipped."""
    masked = masked or []
    found: list[Toponym] = []
    found.extend(_area_phrases(text, offset))
    last_end = -100
    for m in PLACE_RE.finditer(text):
        s, e = m.span()
        name = m.group(0)
        if any(s + offset < me and ms < e + offset for ms, me in masked):
            continue
        if any(s + offset < t.end and t.start < e + offset for t in found):
            continue
        words = name.split()
        if name.lower() in _STOP or words[0].lower() in _MONTHS or name.lower() in _MONTHS:
            continue
        if len(words) > 1 and words[0] in ("as", "at", "an", "en", "es", "er", "de", "la", "du"):
            s += len(words[0]) + 1  # "as well as Daret Izze": the English word, not the article
            name = name[len(words[0]) + 1:]
            words = words[1:]
        if words[0].lower() in _STOP and len(words) > 1 and words[0] in ("On", "The", "In", "At"):
            s += len(words[0]) + 1
            name = name[len(words[0]) + 1:]
            words = words[1:]
            if name.lower() in _STOP or words[0].lower() in _MONTHS:
                continue  # "On Friday", "In May": a date, not a place
        left, right = text[max(0, s - 70):s], text[e:e + 40]
        if _NOT_PLACE_RIGHT.match(right):
            continue
        list_item = (s - last_end < 12 and re.search(r"\b(?:and|or|to|-)\s+$|[,)]\s*$", left)) or (
            s - last_end < 22 and re.search(r"\)?,?\s*(?:as well as|along with|in addition to)\s+$", left))
        # "Binnish and Termen (Idlib)": a governorate in brackets after a place says where the place lies
        bracketed = left.endswith("(") and right.startswith(")") and last_end >= 0 and s - last_end < 4 \
            and resolve_admin1(name) is not None
        arabic = "\u0600" <= name[0] <= "\u06FF"
        if not (_LEFT.search(left) or _RIGHT.match(right) or list_item or arabic or bracketed):
            continue
        top = _make(name, s, e, left, right, offset)
        if top is None:
            continue
        if bracketed:
            top.admin, top.bracketed = True, True
            top.queries = [(f"{resolve_admin1(name).name} province", 3), (name, 3)]
        top.road = bool(_ROAD_RIGHT.match(right) or _ROAD_LEFT.search(left))
        found.append(top)
        last_end = e
    found.sort(key=lambda t: t.start)
    assign_context(found)
    return found


def _make(name: str, s: int, e: int, left: str, right: str, offset: int) -> Toponym | None:
    name = _clean(name)
    if len(name) < 2:
        return None
    right_noun = _RIGHT.match(right)
    noun = (right_noun.group("noun").lower() if right_noun else "")
    tail = left[-45:]
    direction = _direction(tail[-25:]) if re.search(_DIR + r"(?:ern)?\s+(?:countryside\s+of\s+|parts?\s+of\s+)?(?:the\s+)?$",
                                                     tail, re.I) else None
    if not direction and right_noun:
        direction = _direction(right[:right_noun.end()])
    countryside = noun == "countryside" or bool(re.search(r"\b(?:countryside\s+of|rural)\s+(?:the\s+)?$", tail, re.I))
    province = noun in ("province", "governorate", "region", "provinces", "governorates") or bool(
        re.search(r"\b(?:province|governorate)\s+of\s+$", tail, re.I)) or bool(_GOV_LIST_RIGHT.match(right))
    city = noun in ("city", "town", "village") or bool(re.search(r"\b(?:city|town|village)\s+of\s+$", tail, re.I))
    near = bool(_NEAR.search(tail)) or bool(_NEAR_RIGHT.match(right)) or countryside
    precision = 2 if near else (1 if (city or _POINT_RIGHT.match(right)) else None)
    top = Toponym(name, offset + s, offset + e)
    top.excluded = bool(_SOURCE_LEFT.search(left) or _SOURCE_RIGHT.match(right))
    gov = resolve_admin1(_STRIP_SUFFIX.sub("", name))
    if name.lower() in ("syria", "the country"):
        if not direction:
            return None
        top.area = True
        top.queries = [(f"{direction} Syria", None), ("southern Syria" if "south" in direction else
                                                      f"{direction} Syria", None)]
        return top
    admin_slot = bool(re.search(r"\b(?:in|across|throughout|of|rural|countryside of)\s+(?:the\s+)?(?:" + _DIR
                                + r"(?:ern)?\s+)?(?:countryside\s+of\s+)?$", tail, re.I)) or countryside or province
    if gov is not None and admin_slot and not city and not _STRIP_SUFFIX.search(name) and \
            not noun.startswith(("air", "prison", "camp", "military")):
        top.admin = True
        base = _STRIP_SUFFIX.sub("", name)
        if direction:
            top.queries = [(f"{direction} {base} countryside", None), (f"{base} countryside", 3)]
        elif countryside or province:
            # "Daraa province" is the governorate's area, never the point of its capital
            top.queries = [(f"{base} countryside" if countryside else f"{base} province", 3), (base, 3)]
        else:
            top.queries = [(base, None)]
        return top
    full = f"{name} {noun.title()}" if noun in ("camp", "gas field", "oil field", "oil fields", "airbase",
                                                  "air base", "airport", "prison", "military prison", "dam",
                                                  "crossing",
                                                  "border crossing") else None
    if full:
        top.queries.append((full, 1))
    top.queries.append((name, precision))
    stripped = _STRIP_SUFFIX.sub("", name)
    if stripped != name and stripped:
        top.queries.append((stripped, 2))  # "Hama Airbase" not known: near the town it is named after
    return top


def _area_phrases(text: str, offset: int) -> list[Toponym]:
    """Lower-case area phrases: "the south", "Syria's south", "southwest Syria"."""
    out: list[Toponym] = []
    patterns = [
        r"\b(?:various\s+areas\s+of\s+|parts\s+of\s+|areas\s+in\s+|areas\s+of\s+)?the\s+(?P<dir>" + _DIR
        + r")\b(?!\s+of\b)(?!ern)(?!-)",
        r"\bSyria's\s+(?P<dir>" + _DIR + r")\b",
        r"\b(?P<dir>" + _DIR + r")(?:ern)?\s+Syria\b",
    ]
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.I):
            if any(m.start() + offset < t.end and t.start < m.end() + offset for t in out):
                continue
            direction = _direction(m.group("dir")) or ""
            top = Toponym(m.group(0), offset + m.start(), offset + m.end(), area=True)
            queries = [f"{direction} Syria"]
            if direction.startswith("south") and direction != "southern":
                queries.append("southern Syria")
            if direction.startswith("north") and direction != "northern":
                queries.append("northern Syria")
            top.queries = [(q, None) for q in queries] + [("Syria", 3)]
            out.append(top)
    return out


def strip_suffix(name: str) -> str:
    """A place name without a trailing place noun ("Daraa Province" -> "Daraa")."""
    return _STRIP_SUFFIX.sub("", name)


def assign_context(toponyms: list[Toponym]) -> None:
    """Each non-governorate toponym takes the nearest governorate named after it (else before it)."""
    def governorate_named(t: Toponym) -> bool:
        return (t.admin and not t.area) or resolve_admin1(_STRIP_SUFFIX.sub("", t.name)) is not None

    for i, top in enumerate(toponyms):
        if top.admin or top.area:
            continue
        # a bracketed governorate closing a list ("X, Y and Z (Idlib)") is the context of the whole list
        closing = next((t for t in toponyms[i + 1:] if t.bracketed), None)
        if closing is not None and all(not t.bracketed and not t.admin and t.start - p.end < 25
                                       for p, t in zip(toponyms[i:], toponyms[i + 1:]) if t.start < closing.start):
            gov = resolve_admin1(closing.name)
            top.context = gov.name if gov else closing.name
            continue
        after = next((t for t in toponyms[i + 1:] if governorate_named(t) and t.start - top.end < 80), None)
        before = next((t for t in reversed(toponyms[:i]) if governorate_named(t) and top.start - t.end < 80), None)
        chosen = after or before
        if chosen is not None:
            gov = resolve_admin1(_STRIP_SUFFIX.sub("", chosen.name))
            top.context = gov.name if gov else (chosen.context if chosen.admin and chosen.context else chosen.name)
            top.context_weak = not chosen.admin


# Damascus is an enclave of Rif Dimashq: a report about one is often about places in the other.
_TWIN_GOVERNORATES = {"Damascus": "Rif Dimashq", "Rif Dimashq": "Damascus"}


def resolve(top: Toponym, geocoder: Geocoder, context: str | None, cache: dict) -> tuple[Location, int] | None:
    """Geocode a toponym: the first query that resolves, with the precision the phrase implies.

    A governorate named next to the toponym, else the document's main governorate (``context``), is a
    preference: if nothing matches inside it, an exact gazetteer name elsewhere is accepted ("Tartous and Jableh":
    Jableh is in Latakia although Tartous, named beside it, is a governorate's name). A governorate named *as* one
    ("Ash Shula in Deir ez-Zor") is kept: nothing outside it is accepted.
    """
    found = _resolve_with(top, geocoder, top.context or context, cache)
    twin = _TWIN_GOVERNORATES.get(top.context or context or "")
    if found is None and twin is not None:
        found = _resolve_with(top, geocoder, twin, cache)  # "north of Damascus": the city's own countryside
    if found is None and (top.context is None or top.context_weak) and (top.context or context) is not None:
        found = _resolve_with(top, geocoder, None, cache)
        if found is not None and found[0].score < 0.97:
            return None  # outside the governorate named beside it or the document's, only an exact name is trusted
    return found


def _unranked_village(loc: Location) -> bool:
    """A village known only to Who's On First, without a rank of its own: a word read as a place only by a weak cue
    ("بجروح", "with wounds") must not land on a hamlet that happens to be spelled like it."""
    return loc.kind != "region" and loc.source == "wof" and loc.feature_code in (None, "PPL", "PPLQ", "PPLX")


def _resolve_with(top: Toponym, geocoder: Geocoder, ctx: str | None, cache: dict) -> tuple[Location, int] | None:
    for query, precision in top.queries:
        key = (query, ctx)
        if key not in cache:
            cache[key] = geocoder.geocode(query, context=ctx)
        loc = cache[key]
        if loc is None or (top.strict and (loc.score < 0.97 or _unranked_village(loc))):
            continue
        if loc.kind == "region":
            return loc, max(loc.geo_precision, precision or 0) if precision else loc.geo_precision
        final = max(loc.geo_precision, precision) if precision else loc.geo_precision
        return loc, final
    return None
