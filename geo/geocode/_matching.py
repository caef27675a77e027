"""Finding candidate places for one name: the lookup tiers of the geocoder.

Tiers, first that finds anything wins (later cheap tiers only add alternatives): exact name key (and the
name's other spellings: qualifier moved, construct state) → (abroad: big cities) → sound key (sound-alikes whose
vowels agree first) → name without feature words → vowels left out → rapidfuzz on sound keys. Scores and
cut-offs come from :mod:`geo.geocode._ranking`; ``scope`` is None, ``("country", cc)``, ``("admin1", iso)`` or
``("admin2", district id)`` and restricts the candidates.
"""

from __future__ import annotations

from functools import lru_cache

from geo.geocode._guess import digits
from geo.geocode._normalize import (
    elides,
    letter_key,
    name_key,
    skeleton,
    sound_key,
    strip_feature_words,
    tokens,
)
from geo.geocode._phrases import QUALIFIERS, only_generic, spelling_variants
from geo.geocode._ranking import (
    AREA_FEATURES,
    BIG_CITY,
    CHEAP_TIERS,
    ELIDED_MAX_VOWELS,
    ELIDED_MIN_CONSONANTS,
    FEATURE_BONUS,
    FUZZY_CUTOFF,
    FUZZY_MIN_LENGTH,
    FUZZY_MIN_NAME_RATIO,
    FUZZY_SOUND_WEIGHT,
    FUZZY_SPELLING_WEIGHT,
    LETTER_AGREEMENT,
    MAX_CANDIDATES,
    MIN_ABROAD,
    MIN_SOUND_KEY,
    MOVED_MIN_CONSONANTS,
    MOVED_SPOT_KM,
    NAMESAKE_MARGIN,
    SCORE_ELIDED,
    SCORE_EXACT,
    SCORE_KEY,
    SCORE_MOVED,
    SCORE_SOUND,
    SCORE_STRIPPED,
    SOUND_MIN_NAME_RATIO,
    TIER_STEP,
    Candidate,
    km_between,
    rank_value,
)
from geo.geocode.location import PLACE, Location

SCOPE_COLUMNS = {"country": 3, "admin1": 4, "admin2": 9}
_DIGRAPHS = ("sh", "kh", "gh", "th", "dh", "ch", "ph", "zh", "ts")
_VOWELS = frozenset("aeiouyw")


def _first_vowel_restored(text: str) -> list[str]:
    """``text`` with a vowel put back after the first consonant of one word that starts with two consonants:
    "Ftireh" → "Fatireh", "Kafr Nbudeh" → "Kafr Nabudeh" (one variant per such word)."""
    words = tokens(text)
    variants = []
    for i, word in enumerate(words):
        head = 2 if word[:2] in _DIGRAPHS else 1
        if len(word) > head + 1 and word[0] not in _VOWELS and word[head] not in _VOWELS and word[head].isalpha():
            variants.append(" ".join(words[:i] + [word[:head] + "a" + word[head:]] + words[i + 1:]))
    return variants


class PlaceMatcher:
    """Mixin of :class:`geo.geocode.Geocoder`: name → ranked places. Needs ``places``, ``_k1``, ``_k2``,
    ``regions``, ``home_country`` and the lazily built helper tables set by the geocoder."""

    def _qualified_bases(self) -> dict[str, set[int]]:
        """Name keys without their qualifier ("mukharramfawqani" → "mukharram") → places; built once."""
        if self._qualified is None:
            # by slicing each key at the qualifiers' lengths (set look-ups), not by testing every qualifier
            # against every key: this was most of a fresh geocoder's first unknown-name answer (~1 s)
            qualified: dict[str, set[int]] = {}
            lengths = sorted({len(q) for q in QUALIFIERS})
            for key, pids in self._k1.items():
                for size in lengths:
                    if len(key) - size < 4:
                        break
                    suffix, prefix = key[-size:], key[:size]
                    if suffix in QUALIFIERS:
                        qualified.setdefault(key[:-size], set()).update(pids)
                    if prefix in QUALIFIERS and prefix != suffix:  # "X ... X": the suffix reading, as before
                        qualified.setdefault(key[size:], set()).update(pids)
            self._qualified = qualified
        return self._qualified

    def _places(self, text: str, scope, exact_only: bool = False) -> list[Location]:
        return list(self._places_cached(text, scope, exact_only))

    @lru_cache(maxsize=32768)
    def _places_cached(self, text: str, scope, exact_only: bool) -> tuple[Location, ...]:
        if scope is None:
            # Syria first; abroad only exact name keys (a loose match abroad is hundreds of km off), and an
            # exact match abroad comes before a feature-stripped or fuzzy match at home.
            home = ("country", self.home_country)

            def abroad(min_population: int) -> dict[int, float]:
                if len(name_key(text)) < 3:
                    return {}
                return {p: s for p, s in self._exact(text, None).items()
                        if self.places[p].country != self.home_country and self.places[p].population >= min_population}

            tiers = [lambda: self._exact(text, home), lambda: abroad(BIG_CITY), lambda: self._sound(text, home),
                     lambda: abroad(MIN_ABROAD)]
            if not exact_only:
                tiers += [lambda: self._stripped(text, home), lambda: self._elided(text, home),
                          lambda: self._in_scope(self._fuzzy(text), home)]
            else:
                tiers = [tiers[0], tiers[3]]
        else:
            tiers = [lambda: self._exact(text, scope)]
            if not exact_only:
                tiers += [lambda: self._sound(text, scope), lambda: self._stripped(text, scope),
                          lambda: self._elided(text, scope), lambda: self._in_scope(self._fuzzy(text, scope), scope)]
        # The first tier that finds anything decides the answer; the later cheap tiers only add alternatives.
        ranked: list[tuple[int, float]] = []
        for number, tier in enumerate(tiers):
            if ranked and number >= CHEAP_TIERS:
                break
            scored = tier()
            seen = {pid for pid, _ in ranked}
            ranked += [(pid, min(score, ranked[0][1] - TIER_STEP) if ranked else score)
                       for pid, score in self._rank_ids(scored, scope) if pid not in seen]
        return tuple(self._place_location(pid, text, score) for pid, score in ranked[:MAX_CANDIDATES])

    def _rank_ids(self, scored: dict[int, float], scope) -> list[Candidate]:
        prefer = scope[1] if scope and scope[0] == "country" else None
        ranked = sorted(scored, key=lambda pid: -rank_value(scored[pid], self.places[pid], prefer))
        return [Candidate(pid, scored[pid]) for pid in ranked]

    def _exact(self, text: str, scope) -> dict[int, float]:
        scored: dict[int, float] = {}
        for pid in self._k1.get(name_key(text), ()):
            scored[pid] = SCORE_EXACT if self.places[pid].name.casefold() == text.casefold() else SCORE_KEY
        for variant in spelling_variants(text):
            for pid in self._k1.get(name_key(variant), ()):
                scored.setdefault(pid, SCORE_KEY - 0.02)
        key = name_key(text)
        if not scored and "aa" in key:  # "Daael": an ayn written as a doubled vowel, the place spelt "Dael"
            for pid in self._k1.get(key.replace("aa", "a"), ()):
                scored.setdefault(pid, SCORE_KEY - 0.02)
        return self._in_scope(scored, scope)

    def _sound(self, text: str, scope) -> dict[int, float]:
        """Same sound key; ranked by how close the spelling is to one of the place's names (0.85–0.9)."""
        key2 = sound_key(text)
        if len(key2) < MIN_SOUND_KEY:
            return {}
        found = {pid: SCORE_SOUND for pid in self._k2.get(key2, ())}
        for variant in spelling_variants(text):
            for pid in self._k2.get(sound_key(variant), ()):
                found.setdefault(pid, SCORE_SOUND)
        found = self._in_scope(found, scope)
        if not found:
            return found
        from rapidfuzz import fuzz

        # the spelling as written and with a leading qualifier moved ("Western X" is spelt "X al-Gharbiyah")
        query = {name_key(text)} | {name_key(v) for v in spelling_variants(text)}
        keys = self._keys_of_places()
        spelling = {pid: max((fuzz.ratio(q, k) for q in query for k in keys.get(pid, ())), default=0) for pid in found}
        # the same sound from a quite different spelling ("Atil" / "At Tall") is another village, not a variant
        found = {pid: s for pid, s in found.items() if spelling[pid] >= SOUND_MIN_NAME_RATIO}
        if len(found) > 1:
            found = {pid: round(SCORE_STRIPPED + (SCORE_SOUND - SCORE_STRIPPED) * spelling[pid] / 100, 3)
                     for pid in found}
        return self._letter_agreement(text, found, scope) if LETTER_AGREEMENT and found else found

    def _letter_agreement(self, text: str, found: dict[int, float], scope) -> dict[int, float]:
        """Sound-alikes that differ in a vowel's quality are other villages ("Ftireh" is Fatirah, not Fatiro):
        when the main names of some of ``found`` (or, failing them, of places the query names with its first
        vowel left out) have the query's ``letter_key``, the others drop a full namesake margin below them. Main
        names only: an alternate name that agrees (GeoNames and Who's On First list old and foreign forms) won
        UCDP 2018-19 two more villages but also two more wrong ones (bench/RESULTS.md, fifth round)."""
        wanted = {letter_key(name_key(v)) for v in [text, *spelling_variants(text)]}
        agree = {pid for pid in found if self._main_letters(pid) in wanted}
        if not agree:
            restored = {letter_key(name_key(v)) for v in _first_vowel_restored(text)}
            elided = {pid: SCORE_ELIDED for pid in self._elided(text, scope)
                      if self._main_letters(pid) in restored} if restored else {}
            if not elided:
                return found
            found, agree = {**found, **elided}, set(elided)
        # below every agreeing candidate by more than the namesake margin (and never equal to SCORE_ELIDED)
        floor = round(min(found[pid] for pid in agree) - NAMESAKE_MARGIN - 2 * TIER_STEP, 3)
        return {pid: score if pid in agree else min(score, floor) for pid, score in found.items()}

    def _main_letters(self, pid: int) -> str:
        """The ``letter_key`` of the place's main name."""
        return letter_key(name_key(self.places[pid].name))

    def _keys_of_places(self) -> dict[int, list[str]]:
        if self._pid_keys is None:
            pid_keys: dict[int, list[str]] = {}
            for key, pids in self._k1.items():
                for pid in pids:
                    pid_keys.setdefault(pid, []).append(key)
            self._pid_keys = pid_keys
        return self._pid_keys

    def _stripped(self, text: str, scope) -> dict[int, float]:
        stripped = strip_feature_words(text)
        if not stripped:
            return {}
        wanted_feature = not only_generic(text, stripped)
        scored: dict[int, float] = {}
        key2 = sound_key(stripped)
        sound = self._k2.get(key2, ()) if len(key2) >= FUZZY_MIN_LENGTH else ()
        for pid in self._k1.get(name_key(stripped), ()) or sound:
            bonus = FEATURE_BONUS if wanted_feature and self.places[pid].feature_code != "PPL" else 0.0
            scored[pid] = SCORE_STRIPPED + bonus
        return self._in_scope(scored, scope)

    def _skeletons(self) -> dict[str, list[str]]:
        """Consonant skeleton → sound keys having it; built once, on the first name that gets this far."""
        if self._skeleton_keys is None:
            table: dict[str, list[str]] = {}
            for key in self._k2:
                if len(skeleton(key)) >= ELIDED_MIN_CONSONANTS:
                    table.setdefault(skeleton(key), []).append(key)
            self._skeleton_keys = table
        return self._skeleton_keys

    def _elided(self, text: str, scope) -> dict[int, float]:
        """Places whose sound key is the query's with short vowels left out (``elides``)."""
        key2 = sound_key(text)
        if len(skeleton(key2)) < ELIDED_MIN_CONSONANTS:
            return {}
        scored: dict[int, float] = {}
        if scope is None or scope[0] == "country":
            # without a governorate or district, only the vowel after a word's first consonant ("Ftireh",
            # "Sfuhen", "Kafr Nbudeh"): the common colloquial form; a vowel missing elsewhere is too often
            # another village
            for variant in _first_vowel_restored(text):
                key = sound_key(variant)
                if key != key2:
                    scored.update({pid: SCORE_ELIDED for pid in self._k2.get(key, ())})
            return self._in_scope(scored or self._vowels_moved(key2, scope), scope)
        for other in self._skeletons().get(skeleton(key2), ()):
            if elides(key2, other, ELIDED_MAX_VOWELS):  # the query is the shorter spelling (see ELIDED_*)
                scored.update({pid: SCORE_ELIDED for pid in self._k2[other]})
        return self._in_scope(scored, scope) or self._vowels_moved(key2, scope)

    def _vowels_moved(self, key2: str, scope) -> dict[int, float]:
        """Places of the home country whose sound key has the query's consonants in the same order, the same first
        and last letter, as many vowels but elsewhere ("Turnabah" / "Turunbah"; a vowel left out in mid-word stays
        a matter for context), when they all lie within :data:`MOVED_SPOT_KM` of one another: one village, no
        namesake anywhere (the key alone is too loose)."""
        if MOVED_MIN_CONSONANTS is None or len(skeleton(key2)) < MOVED_MIN_CONSONANTS:
            return {}
        pids = sorted(self._in_scope({pid: 0.0 for other in self._skeletons().get(skeleton(key2), ())
                                      if other != key2 and len(other) == len(key2) and other[0] == key2[0]
                                      and other[-1] == key2[-1] for pid in self._k2[other]
                                      if self.places[pid].country == self.home_country}, scope))
        if not pids:
            return {}
        first = self.places[pids[0]]
        if any(km_between(first.lat, first.lon, self.places[p].lat, self.places[p].lon) > MOVED_SPOT_KM
               for p in pids[1:]):
            return {}
        return {pid: SCORE_MOVED for pid in pids}

    def _in_scope(self, scored: dict[int, float], scope) -> dict[int, float]:
        if not scope:
            return scored
        column = SCOPE_COLUMNS[scope[0]]
        return {pid: s for pid, s in scored.items() if self.places[pid][column] == scope[1]}

    def _fuzzy(self, text: str, scope=None) -> dict[int, float]:
        """Sound-key matches by rapidfuzz ratio ≥ FUZZY_CUTOFF with the same first letter, within one country."""
        key = sound_key(text)
        if len(key) < FUZZY_MIN_LENGTH:
            return {}
        from rapidfuzz import fuzz, process

        country = self.home_country
        if scope is not None:
            country = scope[1] if scope[0] == "country" else self.regions.get(scope[1], {}).get("country")
        bucket = (country, key[0])  # candidates must share the first sound: bucket the keys by it
        if not self._fuzzy_keys:
            for k, pids in self._k2.items():
                for cc in {self.places[p].country for p in pids}:
                    self._fuzzy_keys.setdefault((cc, k[0]), []).append(k)
        hits = process.extract(key, self._fuzzy_keys.get(bucket, ()), scorer=fuzz.ratio,
                               score_cutoff=FUZZY_CUTOFF, limit=10)
        scored: dict[int, float] = {}
        key1, keys_of = name_key(text), self._keys_of_places()
        numbers = digits(key1)
        for choice, ratio, _ in hits:
            for pid in self._k2[choice]:
                if all(digits(k) != numbers for k in keys_of.get(pid, ())):
                    continue  # "T2 Pumping Station" is not T3, "Brigade 135" not 137: numbers are never fuzzy
                spelling = max((fuzz.ratio(key1, k) for k in keys_of.get(pid, ())), default=0)
                if spelling >= FUZZY_MIN_NAME_RATIO:
                    scored[pid] = max(scored.get(pid, 0.0), round(FUZZY_SOUND_WEIGHT * ratio / 100 + FUZZY_SPELLING_WEIGHT * spelling / 100, 3))
        return scored

    def _place_location(self, pid: int, query: str, score: float) -> Location:
        p = self.places[pid]
        return Location(query=query, name=p.name, lat=p.lat, lon=p.lon, country=p.country,
                        admin1=self.admin1_name(p.admin1_iso), admin1_iso=p.admin1_iso, kind=PLACE,
                        geo_precision=2 if p.feature_code in AREA_FEATURES else 1, score=round(score, 3),
                        geonameid=p.geonameid, feature_code=p.feature_code, source=p.source, admin2=p.admin2)
