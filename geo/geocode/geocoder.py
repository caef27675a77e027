"""Offline geocoder: place names (Latin transliterations or Arabic script) → points or regions.

Lookup order for one query: aliases (the user's corrections in ``~/.incident-atlas/aliases.csv``, then the
project's ``data/aliases.csv``) → regions and vague phrases
("Daraa countryside", "southern Idlib", "near Nawa") → exact name key → sound key → the name without
feature words ("Hmeimim air base") → rapidfuzz on sound keys, with a strict cut-off that prefers "not found"
over a wrong town. A governorate or country (in the query after a comma or "in", or passed as ``context``)
restricts the candidates; otherwise they are ranked by match quality, then Syria first, then population.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from geo.geocode._aliases import AliasFile
from geo.geocode._index import Place, load_index
from geo.geocode._normalize import GENERIC_WORDS, name_key, sound_key, strip_feature_words
from geo.geocode._phrases import (AND, ARABIC_COUNTRYSIDE, ARABIC_DIRECTION, ARABIC_NEAR, ARABIC_SIDES, ARABIC_TOWN_OF,
                          ARTICLE_WORDS, COUNTRYSIDE_PREFIX, COUNTRYSIDE_SUFFIX, DASH, DIRECTION, DIRECTION_OF,
                          IN_REGION, NEAR, NEAR_SUFFIX, PARENTHESES, QUALIFIERS, ROAD, TOWN_OF, km, only_generic,
                          part_of, twin_qualifiers, word_order_variants)
from geo.geocode.location import PLACE, REGION, Location
from geo.paths import PROJECT_ALIASES, user_aliases_path


# Scores by how a candidate was found.
SCORE_EXACT, SCORE_KEY, SCORE_SOUND, SCORE_STRIPPED = 1.0, 0.97, 0.9, 0.85
# rapidfuzz ratio on sound keys; below it a query is "not found". One dropped letter passes from 9 letters up
# (94.1); one letter changed for another in a 10-letter key does not (Naasan / Numan: 90). Measured with
# bench/geocode.py "hidden villages": at 88 most fuzzy answers for villages missing from the gazetteer were
# another village (20 wrong, 2 right); at 94, 2 wrong and 2 right, with spelling variants of known towns unchanged.
FUZZY_CUTOFF = 94.0
FUZZY_MIN_LENGTH = 5      # shorter sound keys are never matched fuzzily
NON_SYRIA_WEIGHT = 0.15   # population weight of places outside Syria when no country is given
CHEAP_TIERS = 4           # exact home, exact abroad (big), sound home, exact abroad: all dict look-ups
BIG_CITY = 150000         # an exact name abroad of a city this big beats a sound-alike at home ("Erbil")
DUPLICATE_KM = 3.0        # candidates closer than this are one place
BORDER_DEG = 0.1          # a place this close (≈10 km) to the context governorate still counts as in it
MIN_ABROAD = 20000        # smaller places abroad only answer when the country is given (context or "X, Turkey")
MIN_SOUND_KEY = 4         # shorter sound keys ("ara") are too ambiguous to match on sound alone
FUZZY_MIN_NAME_RATIO = 80  # the spelling itself must also be close to one of the candidate's names
SOUND_MIN_NAME_RATIO = 60  # a sound-key match needs at least this spelling similarity (rapidfuzz ratio of name keys)
MAX_QUERY = 200           # longer "names" are sentences, not places: not found, at once
AREA_FEATURES = frozenset({"AREA", "MT"})  # plains, mountains, valleys: a point inside them is precision 2


def _rank(place: list, prefer_country: str | None) -> float:
    population = max(place[5], 1)
    if place[6] not in ("PPL",):
        population = max(population, 2000)
    weight = 1.0 if place[3] == (prefer_country or "SY") else NON_SYRIA_WEIGHT
    return population * weight


class Geocoder:
    """Names to :class:`Location` objects, from the prebuilt index in ``data/`` (see ``geo gazetteer build``)."""

    def __init__(self, index_path: str | Path | None = None, aliases_path: str | Path | None = None) -> None:
        index = load_index(index_path)
        self.places: list[Place] = index.places
        self._k1: dict[str, list[int]] = index.k1
        self._k2: dict[str, list[int]] = index.k2
        self.regions: dict[str, dict] = index.regions
        self._region_keys: dict[str, str] = index.region_keys
        self._district_keys: dict[str, str] = index.district_keys
        self._fuzzy_keys: dict[tuple[str | None, str], list[str]] = {}
        self._pid_keys: dict[int, list[str]] | None = None
        self._qualified: dict[str, set[int]] | None = None  # "mukharram" -> places named "Mukharram Fawqani"...
        self.home_country = "SY"
        # Project aliases ship read-only with the code; the user's corrections live in their own file and win.
        self.aliases_path = Path(aliases_path) if aliases_path else user_aliases_path()
        self._alias_file = AliasFile(self.aliases_path)
        self._aliases: dict[str, Location] = {**AliasFile(PROJECT_ALIASES).load(), **self._alias_file.load()}
        self._lock = threading.Lock()
        self._cache: dict[tuple, Location | None] = {}

    # ---------------------------------------------------------------- public API
    def geocode(self, query: str, *, context: str | None = None, country: str | None = None) -> Location | None:
        """The best :class:`Location` for ``query`` (with up to 5 ``alternatives``), or None if not found.

        ``context`` is a governorate or country (name or ISO code) that restricts the candidates;
        ``country`` is an ISO alpha-2 code with the same effect.
        """
        cache_key = (query, context, country)
        if cache_key in self._cache:
            return self._cache[cache_key]
        found = self.candidates(query, context=context, country=country, limit=6)
        result = replace(found[0], alternatives=tuple(found[1:])) if found else None
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[cache_key] = result
        return result

    def candidates(self, query: str, *, context: str | None = None, country: str | None = None,
                   limit: int = 5) -> list[Location]:
        """Up to ``limit`` candidate locations for ``query``, best first."""
        text = " ".join(str(query or "").split()).strip(" ,.;:")
        if not text or len(text) > MAX_QUERY:
            return []
        alias = self._aliases.get(name_key(text))
        scope = self._scope(context, country)
        found = self._resolve(text, scope, depth=0)
        if not found and scope and scope[0] == "admin1":
            found = self._near_governorate(text, scope[1])
        if alias is not None:
            found = [replace(alias, query=query)] + [f for f in found if (f.name, f.lat) != (alias.name, alias.lat)]
        rid = self._region_id(text)
        if found and rid and all(f.region_id != rid for f in found):  # "Daraa": the city, or else the governorate
            found.append(replace(self.region_location(rid, text, 3), score=round(found[0].score - 0.05, 3)))
        unique: list[Location] = []
        for loc in found:  # the same place from two sources (GeoNames and the project table) once
            if not any(u.kind == loc.kind and u.region_id == loc.region_id and km(u, loc) < DUPLICATE_KM
                       for u in unique):
                unique.append(loc)
        return [replace(f, query=query) for f in unique[:limit]]

    def reverse(self, lat: float, lon: float) -> tuple[str | None, str | None, str | None]:
        """(country ISO2, admin1 name, admin1 ISO) of the point, by point in polygon; Nones outside every one."""
        from geo.geocode.regions import locate_point

        iso, cc = locate_point(lat, lon)
        if iso is None:
            return cc, None, None
        return cc, self.regions.get(iso, {}).get("name"), iso

    def add_alias(self, alias: str, location: Location) -> None:
        """Remember that ``alias`` means ``location`` (persisted to the alias file, consulted first)."""
        with self._lock:
            stored = self._alias_file.save(alias, location)
            self._aliases[name_key(alias)] = stored
            self._cache.clear()

    def admin1_name(self, iso: str | None) -> str | None:
        """English name of the admin-1 unit with ISO 3166-2 code ``iso``."""
        return self.regions.get(iso, {}).get("name") if iso else None

    def region_location(self, region_id: str, query: str = "", precision: int = 3) -> Location | None:
        """A region :class:`Location` for ``region_id`` (its representative point as lat/lon)."""
        region = self.regions.get(region_id)
        if region is None:
            return None
        admin1_iso = region.get("admin1_iso")
        return Location(query=query, name=region["name"], lat=region["lat"], lon=region["lon"],
                        country=region["country"], admin1=self.admin1_name(admin1_iso), admin1_iso=admin1_iso,
                        kind=REGION, geo_precision=precision, score=1.0, region_id=region_id,
                        source="naturalearth")

    # ---------------------------------------------------------------- resolution
    def _scope(self, context: str | None, country: str | None) -> tuple[str, str] | None:
        """("admin1", iso) or ("country", cc) for a context, or None."""
        if country:
            cc = country.strip().upper()
            if cc in self.regions and self.regions[cc]["level"] == "country":
                return ("country", cc)
            rid = self._region_keys.get(name_key(country))
            if rid and self.regions[rid]["level"] == "country":
                return ("country", rid)
        if context:
            rid = context.strip().upper() if context.strip().upper() in self.regions else \
                self._region_keys.get(name_key(context))
            if rid:
                level = self.regions[rid]["level"]
                if level == "country":
                    return ("country", rid)
                if level == "admin1":
                    return ("admin1", rid)
                if self.regions[rid].get("admin1_iso"):
                    return ("admin1", self.regions[rid]["admin1_iso"])
        return None

    def _near_governorate(self, text: str, iso: str) -> list[Location]:
        """Places named ``text`` just across the border of governorate ``iso`` (simplified polygons, and
        sources that disagree about which side a border village lies on); never fuzzy matches."""
        from shapely.geometry import Point

        from geo.geocode.regions import region_geometry

        area = region_geometry(iso)
        if area is None:
            return []
        near = [loc for loc in self._places(text, ("country", self.regions[iso]["country"]))
                if loc.score >= SCORE_SOUND and area.distance(Point(loc.lon, loc.lat)) <= BORDER_DEG]
        return [replace(loc, score=round(loc.score * 0.95, 3)) for loc in near]

    def _region_id(self, text: str) -> str | None:
        rid = self._region_keys.get(name_key(text))
        if rid is None:
            stripped = re.sub(r"^(?:the\s+)", "", text, flags=re.IGNORECASE)
            rid = self._region_keys.get(name_key(stripped))
        return rid

    def _admin1_of(self, text: str, towns: bool = True) -> str | None:
        """The governorate named by ``text``, or (``towns``) the governorate of the town it names."""
        rid = self._region_id(text)
        if rid and self.regions[rid]["level"] == "admin1":
            return rid
        if rid and self.regions[rid]["level"] in ("part", "area") and self.regions[rid].get("admin1_iso"):
            return self.regions[rid]["admin1_iso"]
        if not towns:
            return None
        places = self._places(text, None)
        return places[0].admin1_iso if places else None

    def _resolve(self, text: str, scope, depth: int) -> list[Location]:
        if depth > 3:
            return []
        # 1. a country, a governorate (when no town of that name comes first), a named area
        rid = self._region_id(text)
        if rid is not None:
            level = self.regions[rid]["level"]
            if level in ("country", "area", "part") or not self._places(text, ("admin1", rid), exact_only=True):
                return [self.region_location(rid, text, 3)] + self._places(text, scope)[:4]
        # an exact name of a place beats reading the text as a phrase ("مخيم الهول" is the camp's name)
        exact = self._places(text, scope, exact_only=True)
        if exact and exact[0].country == self.home_country:
            return exact
        # 2. "X countryside", "rural X", "X province", "southern X countryside"
        for pattern, dir_group, name_group in ((COUNTRYSIDE_SUFFIX, 2, 1), (COUNTRYSIDE_PREFIX, 1, 2)):
            match = pattern.match(text)
            if match:
                name, direction = match.group(name_group), match.group(dir_group)
                inner = DIRECTION.match(name)
                if inner and not direction and self._region_id(name) is None:
                    direction, name = inner.group(1), inner.group(2)
                iso = self._admin1_of(name, towns=False)
                if iso:
                    part = f"{iso}:{part_of(direction)}" if direction else iso
                    rid = part if part in self.regions else iso
                    return [self.region_location(rid, text, 3)]
                # "the Manbij countryside": around that town, not its whole governorate
                around = self._places(name, scope)
                if around and around[0].score >= SCORE_STRIPPED:
                    return [replace(loc, geo_precision=2, score=round(loc.score * 0.9, 3)) for loc in around]
        match = ARABIC_COUNTRYSIDE.match(text)
        if match:
            iso = self._admin1_of(match.group(1))
            if iso:
                part = f"{iso}:{ARABIC_SIDES[match.group(2)]}" if match.group(2) else iso
                return [self.region_location(part if part in self.regions else iso, text, 3)]
        match = ARABIC_TOWN_OF.match(text)
        if match:
            return self._resolve(match.group(1), scope, depth + 1)
        match = ARABIC_DIRECTION.match(text)
        if match and self._region_id(text) is None:
            target = self._region_id(match.group(2))
            if target and self.regions[target]["level"] == "admin1":
                return [self.region_location(f"{target}:{ARABIC_SIDES[match.group(1)]}", text, 3)]
            return [replace(loc, geo_precision=max(loc.geo_precision, 2), score=round(loc.score * 0.95, 3))
                    for loc in self._resolve(match.group(2), scope, depth + 1)]
        # 3. "northern Daraa", "the southern part of Idlib"
        match = DIRECTION_OF.match(text) or DIRECTION.match(text)
        if match:
            part = part_of(match.group(1))
            target = self._region_id(match.group(2))
            if target and self.regions[target]["level"] == "admin1" and f"{target}:{part}" in self.regions:
                return [self.region_location(f"{target}:{part}", text, 3)]
        # "the town of X", "in X", "X (Daraa)", "X/Daraa", "X and Y", "the X-Y road"
        match = TOWN_OF.match(text)
        if match:
            return self._resolve(match.group(1), scope, depth + 1)
        match = PARENTHESES.match(text)
        if match:
            return self._resolve(f"{match.group(1)}, {match.group(2) or match.group(3)}", scope, depth + 1)
        match = ROAD.match(text)
        if match:
            return [replace(loc, geo_precision=2, score=round(loc.score * 0.9, 3))
                    for loc in self._resolve(match.group(1), scope, depth + 1)]
        match = AND.match(text)
        if match and not self._places(text, scope, exact_only=True):
            return self._resolve(match.group(1), scope, depth + 1)
        # 4. "near X", "the outskirts of X", "X outskirts", "north of X"
        match = NEAR.match(text) or NEAR_SUFFIX.match(text) or ARABIC_NEAR.match(text)
        if match:
            inner = self._resolve(match.group(1), scope, depth + 1)
            if inner:
                return [replace(loc, geo_precision=max(loc.geo_precision, 2), score=round(loc.score * 0.95, 3))
                        for loc in inner]
        # 5. "Nawa, Daraa", "Nawa in Daraa", "Nawa Daraa": context inside the query, before the whole text is
        # fuzzily matched
        split = self._trailing_region(text)
        if split and "," not in text:
            return self._resolve(f"{split[0]}, {split[1]}", scope, depth + 1)
        if "," in text or IN_REGION.match(text):
            exact = self._places(text, scope, exact_only=True)
            if exact:
                return exact
            compound = self._resolve_compound(text, scope, depth)
            if compound:
                return compound
        # 6. the place itself, then "Tishrine - Ar-Raqqa" style compounds, then without a qualifier
        places = self._places(text, scope)
        if places and places[0].score >= SCORE_STRIPPED:
            return places
        # a fuzzy match is the last resort: structure first
        return (self._resolve_compound(text, scope, depth) or self._without_qualifier(text, scope) or places
                or self._with_qualifier(text, scope) or self._leading_name(text, scope))

    def _trailing_region(self, text: str) -> tuple[str, str] | None:
        """"Taybeh Homs" → ("Taybeh", "Homs"): the last words name a governorate or a country."""
        words = text.split()
        for size in (1, 2, 3):
            if len(words) <= size:
                break
            rid = self._region_id(" ".join(words[-size:]))
            if rid and self.regions[rid]["level"] in ("admin1", "country") \
                    and name_key(" ".join(words[:-size])) not in GENERIC_WORDS:  # "Kafr Halab" is a village
                return " ".join(words[:-size]), " ".join(words[-size:])
        return None

    def _leading_name(self, text: str, scope) -> list[Location]:
        """"Idlib Central Prison", "Zardana Mashhad": the longest leading words that name a town exactly
        (never a generic word such as Tal, Kafr or Deir alone), at precision 2."""
        words = text.split()
        for end in range(len(words) - 1, 0, -1):
            head = " ".join(words[:end])
            key = name_key(head)
            if len(key) < 4 or key in GENERIC_WORDS:
                continue
            found = [loc for loc in self._places(head, scope, exact_only=True) if loc.country == self.home_country
                     or scope is not None]
            if found:
                return [replace(loc, geo_precision=2, score=round(loc.score * 0.8, 3)) for loc in found]
        return []

    def _without_qualifier(self, text: str, scope) -> list[Location]:
        """"Western Xyz" / "Xyz al-Kabira" unknown: its twin ("Eastern Xyz", "Xyz al-Saghira") lies beside it,
        so a known twin answers first; otherwise "Xyz" itself. Both at precision 2."""
        words = text.split()
        if len(words) < 2:
            return []
        if name_key(words[0]) in QUALIFIERS:
            qualifier, base = name_key(words[0]), words[1:]
        elif name_key(words[-1]) in QUALIFIERS:
            qualifier, base = name_key(words[-1]), words[:-1]
            if len(base) >= 2 and name_key(base[-1]) in ARTICLE_WORDS:
                base = base[:-1]
        else:
            return []
        name = " ".join(base)
        for twin in twin_qualifiers(qualifier):
            found = [loc for query in (f"{twin} {name}", f"{name} {twin}")
                     for loc in self._places(query, scope, exact_only=True) if loc.score >= SCORE_SOUND]
            if found:
                return [replace(loc, geo_precision=2, score=round(loc.score * 0.85, 3)) for loc in found]
        found = [loc for loc in self._places(name, scope) if loc.score >= SCORE_SOUND]
        return [replace(loc, geo_precision=2, score=round(loc.score * 0.85, 3)) for loc in found]

    def _with_qualifier(self, text: str, scope) -> list[Location]:
        """"Mukharram" unknown but "Mukharram al-Fawqani" known: twin villages share the bare name (precision 2)."""
        key = name_key(text)
        if len(text.split()) > 3 or name_key(text.split()[-1]) in QUALIFIERS or len(key) < 4 or key in GENERIC_WORDS:
            return []
        pids = {pid: SCORE_KEY for pid in self._qualified_bases().get(key, ())
                if self.places[pid][3] == self.home_country}
        return [replace(self._place_location(pid, text, score), geo_precision=2, score=round(score * 0.85, 3))
                for pid, score in self._rank_ids(self._in_scope(pids, scope), scope)]

    def _qualified_bases(self) -> dict[str, set[int]]:
        """Name keys without their qualifier ("mukharramfawqani" → "mukharram") → places; built once."""
        if self._qualified is None:
            qualified: dict[str, set[int]] = {}
            for key, pids in self._k1.items():
                for qualifier in QUALIFIERS:
                    base = key[:-len(qualifier)] if key.endswith(qualifier) else \
                        key[len(qualifier):] if key.startswith(qualifier) else ""
                    if len(base) >= 4:
                        qualified.setdefault(base, set()).update(pids)
            self._qualified = qualified
        return self._qualified

    def _resolve_compound(self, text: str, scope, depth: int) -> list[Location]:
        if "," in text:
            head, _, tail = text.rpartition(",")
            inner = self._scope(tail.strip(), None)
            if inner:
                return self._resolve(head.strip(), inner, depth + 1) or []
            return self._resolve(head.strip(), scope, depth + 1) or self._resolve(tail.strip(), scope, depth + 1)
        match = IN_REGION.match(text)
        if match:
            inner = self._scope(match.group(2), None)
            if inner:
                return self._resolve(match.group(1), inner, depth + 1)
        parts = DASH.split(text)
        if len(parts) == 2:
            first, second = parts
            joined = self._places(f"{first} {second}", scope) or self._places(f"{second} {first}", scope)
            if joined:
                return joined
            inner_scope = self._scope(first, None)
            city = self._places(first, scope)
            if city and inner_scope is None:
                inner_scope = ("admin1", city[0].admin1_iso) if city[0].admin1_iso else scope
            sub = self._places(second, inner_scope or scope)
            if sub and city and km(sub[0], city[0]) < 40:
                return sub
            if city:  # "Al-Hasakeh - Ghoweran": a quarter of the city, the city itself is near enough
                return [replace(c, score=round(c.score * 0.9, 3)) for c in city]
            rid = self._region_id(first)
            if rid:
                return [self.region_location(rid, text, 3)]
        return []

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
                        if self.places[p][3] != self.home_country and self.places[p][5] >= min_population}

            tiers = [lambda: self._exact(text, home), lambda: abroad(BIG_CITY), lambda: self._sound(text, home),
                     lambda: abroad(MIN_ABROAD)]
            if not exact_only:
                tiers += [lambda: self._stripped(text, home), lambda: self._in_scope(self._fuzzy(text), home)]
            else:
                tiers = [tiers[0], tiers[3]]
        else:
            tiers = [lambda: self._exact(text, scope)]
            if not exact_only:
                tiers += [lambda: self._sound(text, scope), lambda: self._stripped(text, scope),
                          lambda: self._in_scope(self._fuzzy(text, scope), scope)]
        # The first tier that finds anything decides the answer; the later cheap tiers only add alternatives.
        ranked: list[tuple[int, float]] = []
        for number, tier in enumerate(tiers):
            if ranked and number >= CHEAP_TIERS:
                break
            scored = tier()
            seen = {pid for pid, _ in ranked}
            ranked += [(pid, min(score, ranked[0][1] - 0.01) if ranked else score)
                       for pid, score in self._rank_ids(scored, scope) if pid not in seen]
        return tuple(self._place_location(pid, text, score) for pid, score in ranked[:8])

    def _rank_ids(self, scored: dict[int, float], scope) -> list[tuple[int, float]]:
        prefer = scope[1] if scope and scope[0] == "country" else None
        ranked = sorted(scored, key=lambda pid: (-scored[pid], -_rank(self.places[pid], prefer)))
        return [(pid, scored[pid]) for pid in ranked]

    def _exact(self, text: str, scope) -> dict[int, float]:
        scored: dict[int, float] = {}
        for pid in self._k1.get(name_key(text), ()):
            scored[pid] = SCORE_EXACT if self.places[pid][0].casefold() == text.casefold() else SCORE_KEY
        for variant in word_order_variants(text):
            for pid in self._k1.get(name_key(variant), ()):
                scored.setdefault(pid, SCORE_KEY - 0.02)
        return self._in_scope(scored, scope)

    def _sound(self, text: str, scope) -> dict[int, float]:
        """Same sound key; ranked by how close the spelling is to one of the place's names (0.85–0.9)."""
        key2 = sound_key(text)
        if len(key2) < MIN_SOUND_KEY:
            return {}
        found = {pid: SCORE_SOUND for pid in self._k2.get(key2, ())}
        for variant in word_order_variants(text):
            for pid in self._k2.get(sound_key(variant), ()):
                found.setdefault(pid, SCORE_SOUND)
        found = self._in_scope(found, scope)
        if not found:
            return found
        from rapidfuzz import fuzz

        key = name_key(text)
        keys = self._keys_of_places()
        spelling = {pid: max((fuzz.ratio(key, k) for k in keys.get(pid, ())), default=0) for pid in found}
        # the same sound from a quite different spelling ("Atil" / "At Tall") is another village, not a variant
        found = {pid: s for pid, s in found.items() if spelling[pid] >= SOUND_MIN_NAME_RATIO}
        if len(found) > 1:
            found = {pid: round(SCORE_STRIPPED + (SCORE_SOUND - SCORE_STRIPPED) * spelling[pid] / 100, 3)
                     for pid in found}
        return found

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
            bonus = 0.06 if wanted_feature and self.places[pid][6] != "PPL" else 0.0
            scored[pid] = SCORE_STRIPPED + bonus
        return self._in_scope(scored, scope)

    def _in_scope(self, scored: dict[int, float], scope) -> dict[int, float]:
        if not scope:
            return scored
        column = 4 if scope[0] == "admin1" else 3
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
                for cc in {self.places[p][3] for p in pids}:
                    self._fuzzy_keys.setdefault((cc, k[0]), []).append(k)
        hits = process.extract(key, self._fuzzy_keys.get(bucket, ()), scorer=fuzz.ratio,
                               score_cutoff=FUZZY_CUTOFF, limit=10)
        scored: dict[int, float] = {}
        key1, keys_of = name_key(text), self._keys_of_places()
        for choice, ratio, _ in hits:
            for pid in self._k2[choice]:
                spelling = max((fuzz.ratio(key1, k) for k in keys_of.get(pid, ())), default=0)
                if spelling >= FUZZY_MIN_NAME_RATIO:
                    scored[pid] = max(scored.get(pid, 0.0), round(0.4 * ratio / 100 + 0.4 * spelling / 100, 3))
        return scored

    def _place_location(self, pid: int, query: str, score: float) -> Location:
        p = self.places[pid]
        return Location(query=query, name=p.name, lat=p.lat, lon=p.lon, country=p.country,
                        admin1=self.admin1_name(p.admin1_iso), admin1_iso=p.admin1_iso, kind=PLACE,
                        geo_precision=2 if p.feature_code in AREA_FEATURES else 1, score=round(score, 3),
                        geonameid=p.geonameid, feature_code=p.feature_code, source=p.source, admin2=p.admin2)


_INSTANCE: Geocoder | None = None
_INSTANCE_LOCK = threading.Lock()


def get_geocoder() -> Geocoder:
    """The shared :class:`Geocoder` (loaded once per process)."""
    global _INSTANCE
    if _INSTANCE is None:
        with _INSTANCE_LOCK:
            if _INSTANCE is None:
                _INSTANCE = Geocoder()
    return _INSTANCE
