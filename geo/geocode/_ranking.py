"""Every number that ranks geocoding candidates, in one place, each with the measurement behind it.

A candidate is first *found* by one tier of :mod:`geo.geocode._matching` (exact name key, sound key, name
without feature words, fuzzy), which gives it a match score (``SCORE_*``). Readings of the query that move
away from the literal name ("near X", a twin village, a leading name) multiply it by a ``*_FACTOR`` below 1.
Among candidates of the same tier, namesakes are ordered by :func:`rank_value`: match score (an exact
spelling and the same spelling without diacritics count alike) plus a small weight for prominence
(administrative rank and population; abandoned places last), so "Jasim" is the Daraa town and not a hamlet
of the same name, unless the context says otherwise. Context from the document (a governorate, a district,
other places of the same report) is applied by :func:`near_order` and the scope filters.

Numbers quoted are from ``bench/geocode.py`` (dev list = the ACLED development table; hidden = each known
village hidden in turn; synthetic = random report-style spellings of GeoNames towns); see bench/RESULTS.md.
"""

from __future__ import annotations

from math import asin, cos, log10, radians, sin, sqrt
from typing import NamedTuple, Sequence

# ---- match scores, by how a candidate was found
SCORE_EXACT = 1.0      # the query is one of the place's names, letter for letter (case aside)
SCORE_KEY = 0.97       # same name key (diacritics, article, hyphens, Tell/Tal ... folded)
SCORE_SOUND = 0.9      # same sound key; scaled down to SCORE_STRIPPED by spelling similarity when several
SCORE_STRIPPED = 0.85  # the name without feature words ("Hmeimim air base", "Kafr Shams town")
SCORE_ELIDED = 0.84    # the query is a place's name with 1-2 short vowels left out ("Ftireh" / "Fatirah"); without
#                        a governorate or district only the vowel after a word's first consonant: anywhere in the
#                        word it took hidden-village wrong answers 19.1% -> 21.6%, first vowel only -> 19.4% (ACLED
#                        dev with admin1 context 87.0% -> 91.1% either way)
SCORE_MOVED = 0.83     # without context, the only place in the country with the query's consonants in order and
#                        its vowels elsewhere ("Turnabah" / "Turunbah"; MOVED_*)
FEATURE_BONUS = 0.06   # ... and the place is of the kind the dropped word asked for (base, airport, camp)
FUZZY_SOUND_WEIGHT = 0.4     # fuzzy score = 0.4 x sound-key ratio + 0.4 x spelling ratio: always below
FUZZY_SPELLING_WEIGHT = 0.4  # SCORE_STRIPPED, so any structural reading wins over a fuzzy one
TIER_STEP = 0.01       # a later tier's candidates stay below the first tier's best

# ---- factors for readings of the query (the result's precision becomes 2)
NEAR_FACTOR = 0.95         # "near X", "north of X", "X outskirts", Arabic "قرب X"; also a border village
AROUND_FACTOR = 0.9        # "the Manbij countryside" (not a governorate), "the X-Y road", "City - Quarter"
TWIN_FACTOR = 0.85         # unknown "Western X" answered by its known twin or by X (villages side by side)
LEADING_NAME_FACTOR = 0.8  # "Idlib Central Prison" → Idlib: the longest leading words naming a town
READ_SETTLEMENT_SUFFIX = True   # "X town" / "X village" is read as X itself, before feature words are dropped
LEADING_NEEDS_NO_ARTICLE = True  # ... but never when an article follows them ("Qusayr al Ward" is not Al Qusayr)
REGION_AFTER_TOWN = 0.05   # "Daraa": the town first, the governorate right after it

# ---- prominence among namesakes
PROMINENCE_WEIGHT = 0.03  # log10(prominence)/6 x this: a city of 10^6 outranks a hamlet by 0.03 - never a
#                           better match tier (gaps ≥ 0.05), but always a namesake. Dev list: "Jasim",
#                           "Nawa", "Tafas" are the Daraa towns, not Who's On First hamlets of the same names.
FEATURE_FLOOR = {         # population assumed for a place of that kind when its own is unknown (0)
    "PPLC": 1_000_000, "PPLA": 200_000, "PPLA2": 50_000, "PPLA3": 5_000,
    "PPL": 1, "PPLL": 0.5, "STLMT": 0.5, "PPLF": 0.5, "PPLQ": 0.05, "PPLH": 0.05,  # abandoned places last
}
OTHER_FEATURE_FLOOR = 2_000  # bases, airports, camps, dams ...: reports name them as places of events
CURATED_FLOOR = 100          # villages of the project table: each was added because reports name it
NON_SYRIA_WEIGHT = 0.15      # a place abroad counts as this share of its population when no country is given

# ---- cut-offs: below them a query is "not found" rather than a wrong place
# rapidfuzz ratio on sound keys. One dropped letter passes from 9 letters up (94.1); one letter changed for
# another in a 10-letter key does not (Naasan / Numan: 90). Hidden villages: at 88 most fuzzy answers for
# villages missing from the gazetteer were another village (20 wrong, 2 right); at 94, 2 wrong and 2 right,
# with spelling variants of known towns unchanged.
FUZZY_CUTOFF = 94.0
FUZZY_MIN_LENGTH = 5        # shorter sound keys are never matched fuzzily
FUZZY_MIN_NAME_RATIO = 80   # a fuzzy match's spelling must also be close to one of the candidate's names
MIN_SOUND_KEY = 4           # shorter sound keys ("ara") are too ambiguous to match on sound alone
SOUND_MIN_NAME_RATIO = 60   # a sound-key match needs this spelling similarity (Atil is not At-Tall: hidden
#                             villages wrong governorate 5.2% -> 3.7%, synthetic recall unchanged)
ELIDED_MIN_CONSONANTS = 3   # a vowel-elided match needs this many consonants ("Fakkeh" fk is too short)
ELIDED_MAX_VOWELS = 2       # ... and at most this many vowels left out
MOVED_MIN_CONSONANTS: int | None = 4  # vowels moved (SCORE_MOVED): the query needs this many consonants (None:
MOVED_SPOT_KM = 3.0         # off), and every place with those consonants must lie this close to the first one.
#                             As many vowels as the query (a vowel left out in mid-word still needs context), and
#                             only when the first vowel restored finds nothing. Measured (bench/RESULTS.md, fifth
#                             round): ACLED dev +0.7, UCDP 2018-19 +0.3 (one row each), no wrong answer on any line
MAX_QUERY = 200             # longer "names" are sentences, not places: not found, at once

# ---- places abroad and duplicates
CHEAP_TIERS = 4           # exact home, exact abroad (big), sound home, exact abroad: all dict look-ups
BIG_CITY = 150000         # an exact name abroad of a city this big beats a sound-alike at home ("Erbil")
MIN_ABROAD = 20000        # smaller places abroad only answer when the country is given (context or "X, Turkey")
EITHER_KM = 5.0           # "A/B", "A (B)": both names found this close together are one place (else not found)
DUPLICATE_KM = 3.0        # candidates closer than this are one place (GeoNames and the project table)
BORDER_DEG = 0.1          # a place this close (≈10 km) to the context governorate still counts as in it
AREA_FEATURES = frozenset({"AREA", "MT"})  # plains, mountains, valleys: a point inside them is precision 2
MAX_CANDIDATES = 12       # candidates kept per name (namesakes for the document context to choose from)

# ---- document context
NEAR_KM = 40.0          # a namesake within this distance of another place of the same report wins
NAMESAKE_MARGIN = 0.05  # ... when its own match score is within this of the best one


SAME_DISTRICT_NAMESAKES = True  # exact namesakes (same name key) in the best one's district do not make a name
#                             ambiguous: the district is sure, the most prominent answers (its reason says of how
#                             many). Loose namesakes (sound ...) still do. Measured (bench/RESULTS.md, fifth round):
#                             ACLED dev +0.7 (one row), report respellings +0.2, no wrong answer. The same in one
#                             *governorate* would gain more (UCDP 2018-19 +0.3, village variants +0.6, hidden-village
#                             wrong +0.4) but two equal hamlets in two districts stay "not found" by design
#                             (tests/test_districts_context.py: not a coin flip).
AMBIGUOUS_RATIO = 10.0  # without context, a namesake more than AMBIGUOUS_KM away whose prominence is within
AMBIGUOUS_KM = 15.0     # this factor of the best makes the name ambiguous: "not found" (the candidates are still
#                         listed by Geocoder.candidates for the user to choose). A coin flip between two hamlets
#                         named Rayhaniyah is a wrong village half of the time. UCDP exact places: wrong
#                         governorate 18.1% -> 9.0%; hidden villages 39.8% -> 24.0% (same-governorate pairs
#                         were not yet counted then).


# ---- answers without any context (no governorate, district, country or other place of the report)
# A name that matched only by sound, without feature words or fuzzily is a guess; without context a guess is
# kept only when nothing argues against it (bench/geocode.py, each rule measured on every line; RESULTS.md).
GUESS_HAMLET_RATIO = 80     # a guess naming a hamlet (no population, no rank, not in the project table) needs
#                             this spelling similarity (rapidfuzz ratio of name keys; the query's best run of
#                             words) with one of its names; the dense Who's On First list holds a same-sound
#                             hamlet for many names it lacks.
GUESS_TOWN_RATIO = 65       # the same floor for a guess naming any other place (sound matches of big towns'
#                             alternate names: "Haluba" is not Aleppo, "Shama" is not Hama)
# Measured with bench/geocode.py on 2026-12-07, no context, right / wrong gov (%), ACLED dev · UCDP exact
# places (word removed) · village spelling variants · hidden villages; town spelling variants within 10 km:
#   no floors                    84.9/5.5 · 56.3/8.8 · 70.5/5.8 · 7.3/23.6; towns 97.5
#   hamlet 70                    84.9/4.8 · 55.4/8.4 · 70.4/5.8 · 7.1/22.2; towns 97.5
#   hamlet 80                    84.9/1.4 · 55.2/7.9 · 70.0/5.8 · 5.1/20.5; towns 97.5
#   hamlet 85                    83.6/0.7 · 54.7/7.6 · 68.7/5.8 · 3.1/18.8; towns 97.5
#   hamlet 90                    81.5/0.7 · 54.2/7.2 · 65.5/5.7 · 2.7/16.8; towns 97.5
#   hamlet 80, town 65 (chosen)  84.9/1.4 · 55.5/7.8 · 70.0/5.6 · 5.5/19.1; towns 97.5 (with the leading-name
#                                rule below, and spans of the query's words compared)
#   hamlet 80, town 70           84.9/1.4 · 55.5/7.7 · 70.0/5.4 · 5.4/18.5; towns 97.2
#   hamlet 85, town 65           83.6/0.7 · 54.9/7.4 · 68.7/5.6 · 3.6/17.5; towns 97.5
# 80/65: most wrong answers of the dev list gone for no recall there; 85 would halve the rest at the cost of
# OCHA-style bridges such as Sfuhen/Safuhun (ratio 83) that the held-out village list needs.
# Tried and dropped: a rival candidate in another governorate as a veto (town variants 97.5 -> 89.6 for 2.1
# points fewer hidden wrong; no effect once gated by prominence); AMBIGUOUS_RATIO 100 (hidden wrong -0.3, town
# variants -0.8); ambiguous namesakes all in one district / governorate answering that region instead of "not
# found" (no answer within 10 km gained; hidden wrong +0.2 / +1.0 points).
# Exact single hamlets without context are answered (decided 2026-12-07, bench/RESULTS.md "issue 14, third
# round"): of the 1,500 sampled villages' spellings answered right, 848 are an exact hamlet and 174 a loose one;
# of the hidden-village wrong answers, 102 are an exact hamlet and 81 a loose one. Refusing exact hamlets would
# cost 56 points of village recall for 7 points of hidden-village wrong answers; refusing them only when the
# name's main word is common (in 9+ places) 9.4 points for 1.7; refusing loose hamlets 11.6 for 5.4. Context
# (a governorate, district or other place of the report) is what separates the cases: 1.5% wrong with it.
RIVAL_SPELLING_MARGIN: float | None = 0.0  # a guess is "not found" when another candidate of about the same score
#                             (within NAMESAKE_MARGIN) in another governorate, more than AMBIGUOUS_KM away, is spelt
#                             closer to the query by more than this (rapidfuzz ratio): the answer won on prominence
#                             alone ("Haddada" is the hamlet Haddadah as likely as the town Hadidah). None: off.
#                             A rival spelt only as close is the ambiguity rule's (AMBIGUOUS_RATIO): town spelling
#                             variants would lose 44 of 924 answers to it.
GUESS_SAME_HEAD = True      # a guess for a name beginning with a head word (Tall, Bir, Kafr, Albu ...: HEAD_WORDS)
#                             needs a name of the place beginning with the same word, the rest sounding alike or
#                             spelt above the floor above ("Bir Issa" is not "Al Buraysah", "Albu Badran" not "Ali
#                             Badran"). The rest compared by spelling alone lost 7 of 1,500 village variants ("Tall
#                             as Sidk", "`Ayn Sebt"): sounding alike is enough.
# Measured with bench/geocode.py on 2026-12-07 (bench/RESULTS.md, issue 14 fourth round), no context, right / wrong
# gov (%), UCDP names of 2018-19 on an index of UCDP <= 2017 · village variants · hidden villages; town variants:
#   neither rule            46.4/11.7 · 69.7/5.6 · 4.7/19.3; towns 96.9/0.2
#   closer-spelt rival      46.4/11.4 · 69.7/4.7 · 4.7/18.1; towns 96.4/0.0 (4 of 924 town spellings lost)
#   ... and head words      46.4/10.8 · 69.7/4.7 · 4.4/17.5; towns 96.4/0.0 (ACLED dev 87.7/1.4 throughout)
# Tried and dropped: a project village without population counted as a hamlet when a namesake of about the same
# score lies in another governorate (ACLED dev 87.7 -> 85.6 right, wrong unchanged; hidden wrong -1.6 points);
# a rival spelt only as close when the answer is a project village (UCDP -0.3/-0.3, towns -0.3, twins -0.9).
LETTER_AGREEMENT = True     # sound-key candidates whose main name also shares the query's letter_key (its vowels'
#                             quality) rank a full NAMESAKE_MARGIN above those that do not; with none, a place named
#                             by the query with its first vowel restored that does ("Ftireh" / "Fatirah") comes first
CONSTRUCT_STATE = True      # "Maaret X" is also looked up as "Maarah X" and "Jazirah X" as "Jazirat X" (the first
#                             word's feminine ending in the construct state, written either way)
# Measured with bench/RESULTS.md's fifth round, each switched off alone (before MOVED_*), no context, right / wrong
# gov (%): ACLED dev · UCDP 2018-19 on an index of UCDP <= 2017 · report-style respellings · hidden wrong; towns:
#   all on                  92.5/1.4 · 46.7/10.8 · 72.2/5.2 · 17.9; towns 97.3
#   LETTER_AGREEMENT off    89.0/1.4 · 46.4/10.8 · 68.2/5.5 · 17.5; towns 96.4 (5 ACLED rows are one name, Ftireh)
#   CONSTRUCT_STATE off     91.8/1.4 · 46.7/10.8 · 72.2/5.2 · 18.0; towns 97.3
# Tried and dropped: letter-key equality passing the spelling floors (GUESS_HAMLET_RATIO) for any guess (UCDP +0.9
# wrong, respellings +0.9 / +0.7) or only for the only candidate (no real-list gain, UCDP +0.3 wrong); agreement
# through alternate names too (UCDP +2 right / +1 wrong, hidden +0.3); a coarse last tier with w/y read as vowels
# (hidden wrong +0.6 for one UCDP name); an exact spelling out-ranking a same-key namesake (hidden wrong +1.4).

# ---- namesakes without context: recorded conflict activity, then the governorate they share
# Reports of incidents name places where fighting happens. Each place carries ``events``: the UCDP GED exact-place
# events within 5 km of it in the years the index was built from (gazetteer build, ``_ucdp.ACTIVITY_KM``). With
# ACTIVITY_PRIOR on, when exact namesakes would make a name ambiguous (AMBIGUOUS_RATIO), the one with clearly more
# recorded activity answers (its reason says how many events; the namesakes stay as alternatives):
ACTIVITY_PRIOR = True       # ON since session 7: it pays where names come from reports of incidents. The truth of
#                             such a name was active: 84% of the ACLED 2020 dev rows have >= 3 UCDP 2016-19 events
#                             within 5 km, against 32% of the index's Syrian villages. A rough model with those shares
#                             (the rule fires when one namesake is active and the rest quiet) gives about 11 right
#                             answers per wrong one on such lists and 1:1 on random villages, which is what the
#                             random-village lines measure. bench/RESULTS.md, issue 14 sixth and seventh rounds, no
#                             context, right / wrong gov (%), off -> on: ACLED dev 93.2/1.4 -> 93.2/1.4 (no ambiguous
#                             exact name there); front-line places of bench/front_line_villages.txt (governorate
#                             only): 92.4/0.3 -> 93.4/0.3; all UCDP names of 2018-19 on an index without UCDP
#                             names, activity <= 2017: 63.4/7.3 -> 65.4/7.7; UCDP names first seen 2018-19
#                             (villages UCDP had never named, 30% active): 47.0/10.8 -> 48.8/11.7; random villages:
#                             report respellings 72.3/5.2 -> 73.9/7.1, hidden-village wrong 18.3 -> 21.5. Off: "not
#                             found" (or the governorate, below).
ACTIVITY_MIN_EVENTS = 3     # ... it has at least this many events
ACTIVITY_RATIO = 5.0        # ... and this many times the most active namesake more than AMBIGUOUS_KM away.
#                             Measured on (UCDP first seen 2018-19 · all UCDP 2018-19 names on the fair index),
#                             right / wrong gov, main 47.0/10.8 · 63.4/7.3, radius 5 km: k=2 m=3 50.0/13.0 ·
#                             66.0/8.3; k=3 m=3 48.8/12.7 · 65.4/8.2; k=3 m=5 48.8/11.7 · 65.4/7.7 (chosen: fewest
#                             wrong per right); radius 3 km, k=3 m=5: 47.9/11.7 · 64.9/7.7; radius 2 km: 47.0/11.1 ·
#                             64.3/7.4. Only exact namesakes (score >= SCORE_KEY): with sound-alikes and vowel-elided
#                             guesses too (radius 3 km, k=3 m=3), UCDP first seen 2018-19 47.9/12.7 instead of
#                             47.9/12.0 (the guesses' truths are mostly absent from the index).
SAME_GOVERNORATE_REGION = True  # otherwise, exact namesakes that all lie in one governorate (different districts)
#                             answer that governorate as a region (precision 3, "N places named X in G"), the
#                             namesakes as alternatives: never one of them at precision 1. Measured (sixth round):
#                             UCDP first seen 2018-19: 3 names (0.9%) "not found" -> their right governorate, no
#                             wrong one; all 2018-19 names 0.9% likewise; ACLED dev none; village variants and
#                             respellings 1.4%, 1.3%, all right; hidden-village wrong 17.9 -> 18.3 (the hidden
#                             village's namesakes in another governorate: the same policy as single exact hamlets).
NAMESAKES_REGION_FACTOR = 0.9   # that region's score = the namesakes' x this: an inference, not an exact name, so
#                             callers that trust only exact answers (score >= SCORE_KEY: extraction's weak cues and
#                             its fallback outside the document's governorate) skip it as they skipped "not found"
SAME_GOVERNORATE_EXACT = True   # ... only exact namesakes: with sound-alikes too, UCDP 2018-19 +1 wrong governorate
#                             ("Al Ulayat": two sound-alikes in Homs), hidden wrong 18.8 instead of 18.3, for 0.2-0.8
#                             points more right-governorate regions on the other lines


def clearly_most_active(namesakes: Sequence[tuple[int, float, float]]) -> int | None:
    """The index in ``namesakes`` ((events, lat, lon) each) of the one with clearly more recorded activity than
    every namesake more than :data:`AMBIGUOUS_KM` from it (:data:`ACTIVITY_MIN_EVENTS`, :data:`ACTIVITY_RATIO`),
    or None."""
    if not ACTIVITY_PRIOR or len(namesakes) < 2:
        return None
    best = max(range(len(namesakes)), key=lambda i: namesakes[i][0])
    events, lat, lon = namesakes[best]
    rival = max((other[0] for i, other in enumerate(namesakes)
                 if i != best and km_between(lat, lon, other[1], other[2]) > AMBIGUOUS_KM), default=0)
    if events >= ACTIVITY_MIN_EVENTS and events >= ACTIVITY_RATIO * rival:
        return best
    return None


HAMLET_PROMINENCE = 10      # prominence below this is a hamlet (Who's On First villages without population)


class Candidate(NamedTuple):
    """One ranked candidate: the place (index in the gazetteer) and its match score."""

    pid: int
    score: float


def prominence(place, prefer_country: str | None, home: str = "SY") -> float:
    """How well-known a place is, as a population-like number (see :data:`FEATURE_FLOOR`)."""
    code = place.feature_code or "PPL"
    floor = FEATURE_FLOOR.get(code, OTHER_FEATURE_FLOOR)
    if place.source == "extra" and code == "PPL":
        floor = max(floor, CURATED_FLOOR)
    value = max(place.population, floor) if code not in ("PPLQ", "PPLH") else floor
    return value * (1.0 if place.country == (prefer_country or home) else NON_SYRIA_WEIGHT)


def rank_value(score: float, place, prefer_country: str | None) -> float:
    """Sort value of a candidate among others of its tier (higher first)."""
    return min(score, SCORE_KEY) + PROMINENCE_WEIGHT * log10(max(prominence(place, prefer_country), 0.01)) / 6


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    h = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def near_order(found: list, near: Sequence[tuple[str, float, float]]) -> tuple[list, str | None]:
    """Move the namesake closest to the report's other places (``near``: (name, lat, lon)) to the front.

    Only candidates whose score is within :data:`NAMESAKE_MARGIN` of the best and that lie within
    :data:`NEAR_KM` of one of those places compete. Returns the reordered list and the reason, or the list
    unchanged and None.
    """
    if not found or not near:
        return found, None
    best = found[0].score
    options = []
    for i, loc in enumerate(found):
        if loc.kind != "place" or loc.score < best - NAMESAKE_MARGIN:
            continue
        dist, name = min((km_between(loc.lat, loc.lon, lat, lon), nm) for nm, lat, lon in near)
        if dist <= NEAR_KM:
            options.append((dist, i, name))
    if not options:
        return found, None
    dist, i, name = min(options)
    reason = f"{dist:.0f} km from {name}, also named in the report"
    return [found[i]] + found[:i] + found[i + 1:], reason


def unsure_guess(score: float, best_prominence: float, spelling: float) -> bool:
    """True when a non-exact answer given without context should be "not found" instead: it names a hamlet
    (``best_prominence`` below :data:`HAMLET_PROMINENCE`) whose names are spelt unlike the query
    (``spelling``, the best rapidfuzz ratio 0-100, below :data:`GUESS_HAMLET_RATIO`)."""
    if score >= SCORE_KEY:
        return False
    return spelling < (GUESS_HAMLET_RATIO if best_prominence < HAMLET_PROMINENCE else GUESS_TOWN_RATIO)


def ambiguous(best_prominence: float, others: list[tuple[float, float]]) -> bool:
    """True when another namesake (prominence, km away) more than AMBIGUOUS_KM away is nearly as prominent."""
    return any(distance > AMBIGUOUS_KM and prominence_value * AMBIGUOUS_RATIO > best_prominence
               for prominence_value, distance in others)
