"""Reading a query: regions, vague phrases, context in the query, twins and compounds.

``_resolve`` tries, in order: a region name; the exact place name; "X countryside" / "rural X" /
"X district" / Arabic forms; "northern X"; "the town of X", "X (Daraa)", "the X-Y road", "X and Y";
"near X"; "X, Daraa" and "X Daraa" (context in the query); then the place itself, compounds and twins.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.geocode._normalize import GENERIC_WORDS, name_key
from geo.geocode._phrases import (
    AND,
    ARABIC_COUNTRYSIDE,
    ARABIC_DIRECTION,
    ARABIC_NEAR,
    ARABIC_SIDES,
    ARABIC_TOWN_OF,
    ARTICLE_WORDS,
    COUNTRYSIDE_PREFIX,
    COUNTRYSIDE_SUFFIX,
    DASH,
    DIRECTION,
    DIRECTION_OF,
    IN_REGION,
    NEAR,
    NEAR_SUFFIX,
    PARENTHESES,
    QUALIFIERS,
    ROAD,
    TOWN_OF,
    km,
    part_of,
    twin_qualifiers,
)
from geo.geocode._ranking import (
    AROUND_FACTOR,
    BORDER_DEG,
    CURATED_FLOOR,
    EITHER_KM,
    LEADING_NAME_FACTOR,
    LEADING_NEEDS_NO_ARTICLE,
    NEAR_FACTOR,
    READ_SETTLEMENT_SUFFIX,
    SCORE_KEY,
    SCORE_SOUND,
    SCORE_STRIPPED,
    TWIN_FACTOR,
    prominence,
)
from geo.geocode.location import Location

DISTRICT_PHRASE = re.compile(r"^(?:the\s+)?(.+?)(?:'s)?\s+(?:district|mantiqa|mantiqah|mintaqa|mintaqah)$",
                             re.IGNORECASE)
DISTRICT_PREFIX = re.compile(r"^(?:the\s+)?(?:district\s+of|mantiqat|mintaqat|منطقة)\s+(.+)$", re.IGNORECASE)


SETTLEMENT_SUFFIX = re.compile(r"^(.+?)\s+(?:town|village|villages|city|hamlet|township)$", re.IGNORECASE)
ARTICLE_START = re.compile(r"^(?:al|el|ash|as|ad|ar|at|az|an|ath|adh)(?:$|[-‑'’`])", re.IGNORECASE)  # "al", "al-Ward"
ADMIN_WORD = re.compile(r"\s+(?:governorate|province|muhafazah?|gouvernorat)$", re.IGNORECASE)


class QueryResolver:
    """Mixin of :class:`geo.geocode.Geocoder`: query text → candidate locations (uses :class:`PlaceMatcher`)."""

    def _scope(self, context: str | None, country: str | None) -> tuple[str, str] | None:
        """("admin2", district id), ("admin1", iso) or ("country", cc) for a context, or None.

        A district is named by its id ("SY-DR:izra") or with a district word ("Izra district")."""
        if country:
            cc = country.strip().upper()
            if cc in self.regions and self.regions[cc]["level"] == "country":
                return ("country", cc)
            rid = self._region_keys.get(name_key(country))
            if rid and self.regions[rid]["level"] == "country":
                return ("country", rid)
        if context:
            did = context.strip() if context.strip() in self.regions else self._district_phrase(context)
            if did and self.regions[did]["level"] == "admin2":
                return ("admin2", did)
            rid = context.strip().upper() if context.strip().upper() in self.regions else \
                self._region_keys.get(name_key(context)) or \
                self._region_keys.get(name_key(ADMIN_WORD.sub("", context)))  # "Ar Raqqah Governorate"
            if rid:
                level = self.regions[rid]["level"]
                if level == "country":
                    return ("country", rid)
                if level == "admin1":
                    return ("admin1", rid)
                if self.regions[rid].get("admin1_iso"):
                    return ("admin1", self.regions[rid]["admin1_iso"])
        return None

    def _district_phrase(self, text: str) -> str | None:
        """The district named by "X district", "district of X", "the X area", "منطقة X", or None."""
        match = DISTRICT_PHRASE.match(text) or DISTRICT_PREFIX.match(text)
        if match:
            return self._district_keys.get(name_key(match.group(1)))
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
        return [replace(loc, score=round(loc.score * NEAR_FACTOR, 3)) for loc in near]

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
        if rid is None:
            from geo.admin1 import resolve_admin1

            unit = resolve_admin1(text)  # its consonants: "Deir e-Zor", "Deir al-Zor"
            if unit is not None and unit.iso in self.regions:
                return unit.iso
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
            own = self._places(text, ("admin1", rid), exact_only=True) if level == "admin1" else []
            if level in ("country", "area", "part") or not own:
                return [self.region_location(rid, text, 3)] + self._places(text, scope)[:4]
            if scope and scope[0] in ("admin1", "admin2") and not self._places(text, scope, exact_only=True):
                return own  # "Daraa" asked with Idlib as context: the governorate's town, not a look-alike in Idlib
        # "Izra district", "the district of Izra", "منطقة إزرع": the district (precision 2)
        did = self._district_phrase(text)
        if did:
            return [self.region_location(did, text, 2)]
        # an exact name of a place beats reading the text as a phrase ("مخيم الهول" is the camp's name)
        exact = self._places(text, scope, exact_only=True)
        if exact and exact[0].country == self.home_country:
            return exact
        # "Kafr Shams town", "Sfuhen village" (UCDP's way): the settlement named X, read like X itself
        match = SETTLEMENT_SUFFIX.match(text)
        if match and READ_SETTLEMENT_SUFFIX:
            found = self._resolve(match.group(1), scope, depth + 1)
            if found:
                return found
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
                # "the Manbij countryside": around that town (its district right after it), not the governorate
                around = self._places(name, scope)
                if around and around[0].score >= SCORE_STRIPPED:
                    found = [replace(loc, geo_precision=2, score=round(loc.score * AROUND_FACTOR, 3)) for loc in around]
                    did = self._district_keys.get(name_key(name))
                    if did and not direction and did == found[0].admin2:
                        found.insert(1, replace(self.region_location(did, text, 2), score=round(found[0].score - 0.01, 3)))
                    return found
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
            return [replace(loc, geo_precision=max(loc.geo_precision, 2), score=round(loc.score * NEAR_FACTOR, 3))
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
            first, second = match.group(1), match.group(2) or match.group(3)
            if self._region_id(second) is None:  # not "Nawa (Daraa)": perhaps two names of one place
                either = self._either_name(first, second, scope, depth)
                if either:
                    return either
            return self._resolve(f"{first}, {second}", scope, depth + 1)
        match = ROAD.match(text)
        if match:
            return [replace(loc, geo_precision=2, score=round(loc.score * AROUND_FACTOR, 3))
                    for loc in self._resolve(match.group(1), scope, depth + 1)]
        match = AND.match(text)
        if match and not self._places(text, scope, exact_only=True):
            return self._resolve(match.group(1), scope, depth + 1)
        # 4. "near X", "the outskirts of X", "X outskirts", "north of X"
        match = NEAR.match(text) or NEAR_SUFFIX.match(text) or ARABIC_NEAR.match(text)
        if match:
            inner = self._resolve(match.group(1), scope, depth + 1)
            if inner:
                return [replace(loc, geo_precision=max(loc.geo_precision, 2), score=round(loc.score * NEAR_FACTOR, 3))
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

    def _either_name(self, first: str, second: str, scope, depth: int) -> list[Location]:
        """"Jurniyah/Bash Jurn", "Qastal (Kastal)": two names of one place. Each is looked up; the answer is the
        one that alone is found, or the first name's place that a place of the second confirms (within
        :data:`EITHER_KM`, which also settles namesakes); [] for two different places (the caller then reads
        the second name as context, as before)."""
        answers = []
        for name in (first, second):
            found = self._resolve(name, scope, depth + 1) if len(name_key(name)) >= 3 else []
            if name is second and found and found[0].kind != "place":
                return []  # "Nawa (Daraa countryside)": the second part is a region, i.e. context
            answers.append([loc for loc in found if loc.kind == "place" and loc.score >= SCORE_STRIPPED])
        one, two = answers
        if one and two:  # the candidates of the first name that one of the second confirms, closest pair first
            pairs = sorted((km(a, b), i) for i, a in enumerate(one) for b in two if km(a, b) <= EITHER_KM)
            return [one[pairs[0][1]]] if pairs else []
        return one or two

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
            if LEADING_NEEDS_NO_ARTICLE and ARTICLE_START.match(words[end]):
                continue  # "Qusayr al Ward", "Tulul al Hawa": "X al Y" is one name (a construct), not X's quarter
            found = [loc for loc in self._places(head, scope, exact_only=True) if (loc.country == self.home_country
                     or scope is not None) and self._is_prominent(loc)]
            if found:
                return [replace(loc, geo_precision=2, score=round(loc.score * LEADING_NAME_FACTOR, 3)) for loc in found]
        return []

    def _is_prominent(self, loc: Location) -> bool:
        """A town, a project place or a named feature: not one of thousands of hamlets (a leading word such as
        "Rujm" in "Rujm al Qitt" names a hamlet somewhere, rarely the place meant)."""
        pid = self._pid_of(loc)
        return pid is None or prominence(self.places[pid], None) >= CURATED_FLOOR

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
                return [replace(loc, geo_precision=2, score=round(loc.score * TWIN_FACTOR, 3)) for loc in found]
        found = [loc for loc in self._places(name, scope) if loc.score >= SCORE_SOUND]
        return [replace(loc, geo_precision=2, score=round(loc.score * TWIN_FACTOR, 3)) for loc in found]

    def _with_qualifier(self, text: str, scope) -> list[Location]:
        """"Mukharram" unknown but "Mukharram al-Fawqani" known: twin villages share the bare name (precision 2)."""
        key = name_key(text)
        if len(text.split()) > 3 or name_key(text.split()[-1]) in QUALIFIERS or len(key) < 4 or key in GENERIC_WORDS:
            return []
        pids = {pid: SCORE_KEY for pid in self._qualified_bases().get(key, ())
                if self.places[pid].country == self.home_country}
        return [replace(self._place_location(pid, text, score), geo_precision=2, score=round(score * TWIN_FACTOR, 3))
                for pid, score in self._rank_ids(self._in_scope(pids, scope), scope)]

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
                return [replace(c, score=round(c.score * AROUND_FACTOR, 3)) for c in city]
            rid = self._region_id(first)
            if rid:
                return [self.region_location(rid, text, 3)]
        return []
