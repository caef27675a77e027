"""Offline geocoder: place names (Latin transliterations or Arabic script) → points or regions.

Lookup order for one query: aliases (the user's corrections in ``~/.incident-atlas/aliases.csv``, then the
project's ``data/aliases.csv``) → regions and vague phrases ("Daraa countryside", "southern Idlib",
"near Nawa", "Izra district") → exact name key → sound key → the name without feature words ("Hmeimim air
base") → rapidfuzz on sound keys, with a strict cut-off that prefers "not found" over a wrong town. A
governorate, district or country (in the query after a comma or "in", or passed as ``context``) restricts
the candidates; places named elsewhere in the same document (``near``) choose among namesakes; otherwise
they are ranked by match quality, then prominence (see :mod:`geo.geocode._ranking`).

Modules: :mod:`._index` (loading), :mod:`._resolve` (reading the query), :mod:`._matching` (lookup tiers),
:mod:`._ranking` (every weight), :mod:`._guess` (judging a loose answer given without context),
:mod:`._northern` (Kurdish and Turkish forms of northern towns).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from geo.admin1 import all_admin1
from geo.geocode._aliases import AliasFile
from geo.geocode._guess import head_spelling, query_keys
from geo.geocode._index import Place, load_index
from geo.geocode._matching import PlaceMatcher
from geo.geocode._normalize import elides, name_key, sound_key
from geo.geocode._northern import add_kurdish_names, kurmanji_reading
from geo.geocode._phrases import fused_article_reading, km
from geo.geocode._ranking import (
    AMBIGUOUS_KM,
    AMBIGUOUS_RATIO,
    DUPLICATE_KM,
    GUESS_SAME_HEAD,
    MAX_CANDIDATES,
    MAX_QUERY,
    NAMESAKE_MARGIN,
    NAMESAKES_REGION_FACTOR,
    REGION_AFTER_TOWN,
    RIVAL_SPELLING_MARGIN,
    SAME_DISTRICT_NAMESAKES,
    SAME_GOVERNORATE_EXACT,
    SAME_GOVERNORATE_REGION,
    SCORE_ELIDED,
    SCORE_KEY,
    ambiguous,
    clearly_most_active,
    near_order,
    prominence,
    unsure_guess,
)
from geo.geocode._resolve import QueryResolver
from geo.geocode.location import REGION, Location
from geo.paths import PROJECT_ALIASES, user_aliases_path


class Geocoder(QueryResolver, PlaceMatcher):
    """Names to :class:`Location` objects, from the prebuilt index in ``data/`` (see ``geo gazetteer build``)."""

    def __init__(self, index_path: str | Path | None = None, aliases_path: str | Path | None = None) -> None:
        index = load_index(index_path)
        self.places: list[Place] = index.places
        self._k1: dict[str, list[int]] = index.k1
        self._k2: dict[str, list[int]] = index.k2
        self.regions: dict[str, dict] = index.regions
        self.activity: dict = index.activity or {}  # where places' ``events`` come from (UCDP GED years, radius)
        self._region_keys: dict[str, str] = dict(index.region_keys)
        for unit in all_admin1():  # spellings only the governorate table knows ("Dera")
            for spelling in unit.aliases:
                if unit.iso in self.regions:
                    self._region_keys.setdefault(name_key(spelling), unit.iso)
        add_kurdish_names(self.places, self._k1, self._k2, prominence)
        self._district_keys: dict[str, str] = index.district_keys
        self._fuzzy_keys: dict[tuple[str | None, str], list[str]] = {}
        self._pid_keys: dict[int, list[str]] | None = None
        self._pid_at: dict[tuple, int] | None = None
        self._skeleton_keys: dict[str, list[str]] | None = None
        self._qualified: dict[str, set[int]] | None = None  # "mukharram" -> places named "Mukharram Fawqani"...
        self.home_country = "SY"
        # Project aliases ship read-only with the code; the user's corrections live in their own file and win.
        self.aliases_path = Path(aliases_path) if aliases_path else user_aliases_path()
        self._alias_file = AliasFile(self.aliases_path)
        self._aliases: dict[str, Location] = {**AliasFile(PROJECT_ALIASES).load(), **self._alias_file.load()}
        self._lock = threading.Lock()
        self._cache: dict[tuple, Location | None] = {}

    def geocode(self, query: str, *, context: str | None = None, country: str | None = None,
                near: Sequence = ()) -> Location | None:
        """The best :class:`Location` for ``query`` (with up to 5 ``alternatives``), or None if not found.

        ``context`` is a governorate, district ("SY-DR:izra", "Izra district") or country (name or ISO code)
        that restricts the candidates; ``country`` is an ISO alpha-2 code with the same effect. ``near``: other
        places of the same document (:class:`Location` objects or ``(name, lat, lon)``); among namesakes the
        one within 40 km of them wins. ``reason`` on the result says why it was chosen. Without any context,
        of exact namesakes far apart the one with clearly more recorded conflict activity answers; failing
        that, when they all lie in one governorate, that governorate (a region at precision 3, the namesakes as
        ``alternatives``); else "not found" (None).
        """
        near = _near_points(near)
        cache_key = (query, context, country, near)
        if cache_key in self._cache:
            return self._cache[cache_key]
        found = self.candidates(query, context=context, country=country, limit=ANSWER_LIMIT, near=near)
        if found and context is None and country is None:
            if self._is_ambiguous(found):  # every namesake (up to MAX_CANDIDATES) to settle it, if it can be
                found = self._settle_namesakes(self.candidates(query, limit=MAX_CANDIDATES, near=near))
            if found and self._is_unsure(found[:ANSWER_LIMIT]):
                found = []
        result = replace(found[0], alternatives=tuple(found[1:ANSWER_LIMIT])) if found else None
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[cache_key] = result
        return result

    def candidates(self, query: str, *, context: str | None = None, country: str | None = None,
                   limit: int = 5, near: Sequence = ()) -> list[Location]:
        """Up to ``limit`` candidate locations for ``query``, best first (the first carries ``reason``)."""
        text = " ".join(str(query or "").split()).strip(" ,.;:")
        if not text or len(text) > MAX_QUERY:
            return []
        alias = self._aliases.get(name_key(text))
        scope = self._scope(context, country)
        found = self._resolve(text, scope, depth=0)
        if not found and scope and scope[0] == "admin2":  # just across the district border: its governorate
            scope = ("admin1", self.regions[scope[1]]["admin1_iso"])
            found = self._resolve(text, scope, depth=0)
        kurmanji = kurmanji_reading(text) if not found else None
        if kurmanji:  # "Cindirês", "Şedadê": Kurmanji/Turkish letters, read the English way
            found = self._resolve(kurmanji, scope, depth=0)
        found = self._unfused(text, scope, found)
        if not found and scope and scope[0] == "admin1":
            found = self._near_governorate(text, scope[1])
        if alias is not None:
            found = [replace(alias, query=query)] + [f for f in found if (f.name, f.lat) != (alias.name, alias.lat)]
        rid = self._region_id(text)
        if found and rid and all(f.region_id != rid for f in found):  # "Daraa": the city, or else the governorate
            found.append(replace(self.region_location(rid, text, 3), score=round(found[0].score - REGION_AFTER_TOWN, 3)))
        unique: list[Location] = []
        for loc in found:  # the same place from two sources (GeoNames and the project table) once
            if not any(u.kind == loc.kind and u.region_id == loc.region_id and km(u, loc) < DUPLICATE_KM
                       for u in unique):
                unique.append(loc)
        unique, reason = near_order(unique, _near_points(near))
        if unique and alias is None:
            unique[0] = replace(unique[0], reason=reason or self._reason(unique, scope))
        return [replace(f, query=query) for f in unique[:limit]]

    def _unfused(self, text: str, scope, found: list[Location]) -> list[Location]:
        """``found``, or what the query names with an article written onto a word split off ("Alsanamayn",
        "Annayrab", "Ras Elain") when that reading matches better: the as-written spelling named nothing, only
        a sound-alike or fuzzy match (not "Ayn al Arab" for "Annayrab"), or only a place abroad."""
        if found and found[0].score >= SCORE_KEY and found[0].country == self.home_country:
            return found
        unfused = fused_article_reading(text)
        if not unfused:
            return found
        again = self._resolve(unfused, scope, depth=0)
        if again and (not found or again[0].score > found[0].score
                      or (again[0].country == self.home_country != found[0].country)):
            return again
        return found

    def _judged_place(self, best: Location) -> int | None:
        """The gazetteer id of a best answer that the ambiguity and unsure-guess checks may overrule: a place
        not backed by another place of the same report; None otherwise."""
        if best.kind != "place" or (best.reason or "").endswith("also named in the report"):
            return None
        return self._pid_of(best)

    def _is_ambiguous(self, found: list[Location]) -> bool:
        """Namesakes of similar prominence more than 15 km apart and nothing to choose between them (no context,
        no other place of the report nearby): see :data:`~geo.geocode._ranking.AMBIGUOUS_RATIO`; exact namesakes
        within one district do not count (:data:`~geo.geocode._ranking.SAME_DISTRICT_NAMESAKES`)."""
        best = found[0]
        pid = self._judged_place(best)
        if pid is None:
            return False
        others = []
        for loc in found[1:]:
            other = self._pid_of(loc) if loc.kind == "place" and loc.score >= best.score - NAMESAKE_MARGIN else None
            if other is not None and loc.country == best.country and not (
                    SAME_DISTRICT_NAMESAKES and best.score >= SCORE_KEY and loc.admin2 is not None
                    and loc.admin2 == best.admin2):
                others.append((prominence(self.places[other], None), km(best, loc)))
        return ambiguous(prominence(self.places[pid], None), others)

    def _settle_namesakes(self, found: list[Location]) -> list[Location]:
        """Ambiguous namesakes without context: the one with clearly more recorded conflict activity
        (:func:`~geo.geocode._ranking.clearly_most_active`), else their governorate as a region when they all lie
        in one (:data:`~geo.geocode._ranking.SAME_GOVERNORATE_REGION`), else [] ("not found")."""
        if len(found) >= MAX_CANDIDATES:  # a full list may have left namesakes out: neither rule can be sure
            return []
        best = found[0]
        pool = [(loc, self._pid_of(loc)) for loc in found if loc.kind == "place" and loc.country == best.country
                and loc.score >= best.score - NAMESAKE_MARGIN]
        pool = [(loc, pid) for loc, pid in pool if pid is not None]
        # exact namesakes only (a sound-alike or fuzzy candidate may name another village than the one asked)
        exact = [(loc, pid) for loc, pid in pool if loc.score >= SCORE_KEY]
        if best.score >= SCORE_KEY:
            chosen = clearly_most_active([(self.places[pid].events, loc.lat, loc.lon) for loc, pid in exact])
            if chosen is not None:
                loc, pid = exact[chosen]
                rest = [f for f in found if f is not loc]
                return [replace(loc, reason=self._activity_reason(self.places[pid].events, len(exact)))] + rest
        if not SAME_GOVERNORATE_REGION or best.admin1_iso is None:
            return []
        if SAME_GOVERNORATE_EXACT and best.score < SCORE_KEY:
            return []
        top = prominence(self.places[pool[0][1]], None) if pool and pool[0][0] is best else None
        rivals = [loc for loc, pid in pool if top is None or prominence(self.places[pid], None) * AMBIGUOUS_RATIO > top]
        if len(rivals) < 2 or any(loc.admin1_iso != best.admin1_iso for loc in rivals):
            return []
        region = self.region_location(best.admin1_iso, best.query, 3)
        reason = f"{len(rivals)} places named {best.query} in {region.name}; no context to choose between them"
        score = round(best.score * NAMESAKES_REGION_FACTOR, 3)
        return [replace(region, score=score, reason=reason)] + [f for f in found if f.kind == "place"]

    def recorded_activity(self, loc: Location) -> str | None:
        """What the gazetteer knows of conflict at a candidate place (``"4 UCDP events within 5 km,
        2016-2019"``), to help a user choose among namesakes; None for regions, places without recorded events
        and an index built without activity counts."""
        pid = self._pid_of(loc) if loc.kind == "place" else None
        events = self.places[pid].events if pid is not None else 0
        return self._events_text(events) if events else None

    def _events_text(self, events: int) -> str:
        """``"4 UCDP events within 5 km, 2016-2019"``: a count of ``Place.events`` with where it comes from."""
        meta = self.activity
        years = f", {meta['first_year']}-{meta['last_year']}" if meta.get("first_year") else ""
        radius = f"{meta['km']:g} km" if meta.get("km") else "a few km"
        return f"{events} UCDP event{'s' if events != 1 else ''} within {radius}{years}"

    def _activity_reason(self, events: int, namesakes: int) -> str:
        """The reason of an answer chosen by recorded conflict activity."""
        return (f"the most recorded conflict activity of {namesakes} places of that name: "
                f"{self._events_text(events)}; no context given")

    def _is_unsure(self, found: list[Location]) -> bool:
        """A loose match (sound, fuzzy, feature words dropped) naming a hamlet spelt unlike the query, with nothing
        to back it (see :func:`~geo.geocode._ranking.unsure_guess`)."""
        best = found[0]
        pid = self._judged_place(best)
        if pid is None or best.score >= SCORE_KEY:
            return False
        keys = query_keys(best.query)
        spelling = self._spelling(keys, pid, best.score)
        if unsure_guess(best.score, prominence(self.places[pid], None), spelling):
            return True
        from rapidfuzz import fuzz

        head = head_spelling(best.query, self._keys_of_places().get(pid, ()), fuzz.ratio) if GUESS_SAME_HEAD else None
        if head is not None and unsure_guess(best.score, prominence(self.places[pid], None), head):
            return True  # "Bir Issa" is not "Al Buraysah", "Albu Badran" not "Ali Badran": the head word differs
        return self._is_rivalled(found, pid, keys, spelling)

    def _is_rivalled(self, found: list[Location], pid: int, keys: set[str], spelling: float) -> bool:
        """A guess that won on prominence alone: another candidate of about the same score in another governorate
        is spelt closer to the query (see :data:`~geo.geocode._ranking.RIVAL_SPELLING_MARGIN`)."""
        if RIVAL_SPELLING_MARGIN is None:
            return False
        best = found[0]
        for loc in found[1:]:
            if (loc.kind != "place" or loc.score < best.score - NAMESAKE_MARGIN or loc.country != best.country
                    or loc.admin1_iso == best.admin1_iso or km(best, loc) <= AMBIGUOUS_KM):
                continue
            other = self._pid_of(loc)
            if other is not None and self._spelling(keys, other, loc.score) > spelling + RIVAL_SPELLING_MARGIN:
                return True
        return False

    def _spelling(self, keys: set[str], pid: int, score: float) -> float:
        """The best spelling similarity (rapidfuzz ratio, 0-100) of the query's ``keys`` with the place's names."""
        from rapidfuzz import fuzz

        place_keys = self._keys_of_places().get(pid, ())
        spelling = max((fuzz.ratio(key, k) for key in keys for k in place_keys), default=0.0)
        if spelling < 100 and score == SCORE_ELIDED and _elided_spelling(keys, place_keys):
            spelling = 100.0  # the same consonants, short vowels left out: as close as spellings get
        return spelling

    def _pid_of(self, loc: Location) -> int | None:
        if self._pid_at is None:
            self._pid_at = {(p.name, p.lat, p.lon): pid for pid, p in enumerate(self.places)}
        return self._pid_at.get((loc.name, loc.lat, loc.lon))

    def _reason(self, found: list[Location], scope) -> str | None:
        """Why the first candidate beat its namesakes: the context, or its rank and size."""
        best = found[0]
        if scope and scope[0] in ("admin1", "admin2") and best.kind == "place":
            label = self.regions.get(scope[1], {}).get("name", scope[1])
            return f"in {label}, the context given"
        namesakes = [f for f in found[1:] if f.kind == "place" and f.score >= best.score - NAMESAKE_MARGIN]
        if best.kind != "place" or not namesakes:
            return None
        place_size = f"population {best.population:,}" if getattr(best, "population", 0) else best.feature_code
        return f"most prominent of {len(namesakes) + 1} places of that name ({place_size}); no context given"

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

    def remove_alias(self, alias: str) -> bool:
        """Forget the user's alias ``alias`` (project aliases stay); False when it was not saved."""
        with self._lock:
            removed = self._alias_file.delete(alias)
            if removed:
                self._aliases = {**AliasFile(PROJECT_ALIASES).load(), **self._alias_file.load()}
                self._cache.clear()
            return removed

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
                        source="whosonfirst" if region["level"] == "admin2" else "naturalearth",
                        admin2=region_id if region["level"] == "admin2" else None)

def _elided_spelling(query_keys, place_keys) -> bool:
    """True when a query key is a name key of the place with short vowels left out."""
    sounds = {sound_key(k) for k in place_keys}
    return any(elides(sound_key(q), s) for q in query_keys for s in sounds)


def _near_points(near: Sequence) -> tuple[tuple[str, float, float], ...]:
    """``near`` as a hashable tuple of (name, lat, lon); Locations without a point are skipped."""
    points = []
    for item in near or ():
        if isinstance(item, Location):
            if item.lat is not None and item.lon is not None:
                points.append((item.name, float(item.lat), float(item.lon)))
        else:
            name, lat, lon = item
            points.append((str(name), float(lat), float(lon)))
    return tuple(points)


ANSWER_LIMIT = 6  # candidates an answer is judged on (the best and 5 alternatives)


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
