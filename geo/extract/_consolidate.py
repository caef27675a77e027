"""One event, one incident: merging what a document tells several times.

A news article names the same event in its lede, its body and its summary, sometimes at a village and again
as a region ("Northern Syria"), sometimes once as the strike and once as the killing it caused. Within one
document:

- a killing of civilians told with an explosion at the same place and time is that explosion, flagged
  ``civilian_targeting`` (ACLED's "Civilian targeting"), not a second Violence-against-civilians event;
- incidents of the same event type and sub-type, place and date merge: the larger count and fatality figure are kept (the
  passages usually repeat one figure) and every excerpt stays as provenance in ``flags["excerpts"]``;
- a region incident is dropped when a more precise incident of the same type and sub-type lies inside that region in the same
  passage (its paragraph or the next one); one placed only by the document's governorate merges into any incident
  of its type and dates.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from geo.admin1 import resolve_admin1
from geo.extract._model import Incident
from geo.geocode.location import Location

CIVILIAN_TARGETING = "Civilian targeting"
_SAME_PLACE_KM = 2.0
_TWIN_KM = 10.0


def _km(a: Location, b: Location) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _days(inc: Incident) -> tuple[dt.date, dt.date]:
    return inc.event_date, inc.date_end or inc.event_date


def _dates_overlap(a: Incident, b: Incident, slack: int = 0) -> bool:
    (a0, a1), (b0, b1) = _days(a), _days(b)
    pad = dt.timedelta(days=slack)
    return a0 <= b1 + pad and b0 <= a1 + pad


def _is_region(inc: Incident) -> bool:
    return inc.location is not None and (inc.location.kind == "region" or (inc.geo_precision or 0) >= 3)


def _area_isos(loc: Location) -> set[str]:
    """Governorate codes a region covers: its own, or those listed in a named area ("Northern Syria (A, B)")."""
    rid = loc.region_id or ""
    if rid.startswith("SY-"):
        return {rid.split(":")[0]}
    if loc.admin1_iso:
        return {loc.admin1_iso}
    listed = re.search(r"\(([^)]*)\)", loc.name or "")
    isos = set()
    for name in (listed.group(1).split(",") if listed else []):
        unit = resolve_admin1(name.strip())
        if unit is not None:
            isos.add(unit.iso)
    return isos


def _inside(region: Location, other: Location) -> bool:
    """Whether ``other`` (a point or a narrower region) lies inside ``region``."""
    isos = _area_isos(region)
    if not isos:
        return region.country is not None and other.country == region.country and region.region_id is not None \
            and not (other.kind == "region" and other.region_id == region.region_id)
    if other.kind == "region" and other.region_id == region.region_id:
        return False
    return other.admin1_iso in isos


def _same_place(a: Incident, b: Incident) -> bool:
    la, lb = a.location, b.location
    if la is None or lb is None:
        return False
    if _is_region(a) != _is_region(b):
        return False
    if _is_region(a):
        return la.region_id == lb.region_id and la.name == lb.name
    return la.name == lb.name or _km(la, lb) <= _SAME_PLACE_KM


class _Passages:
    """Paragraph numbers of character offsets (a paragraph is a non-empty line)."""

    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in re.finditer(r"(?m)^(?=\S)", text)]

    def of(self, inc: Incident) -> int:
        pos = inc.span[0]
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.starts[mid] <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo


def _excerpts(inc: Incident) -> list[dict]:
    return inc.flags.get("excerpts") or [{"span": inc.span_text, "text": inc.excerpt}]


def _absorb(keep: Incident, gone: Incident, take_place: bool = True) -> None:
    """Fold ``gone`` into ``keep``: figures, missing actors, flags and provenance."""
    for attr in ("fatalities", "count"):
        values = [v for v in (getattr(keep, attr), getattr(gone, attr)) if v is not None]
        setattr(keep, attr, max(values) if values else None)
    if keep.actor1 in (None, "Unidentified Armed Group (Syria)") and gone.actor1 and gone.event_type == keep.event_type:
        keep.actor1 = gone.actor1
    if keep.actor2 is None and gone.actor2 and gone.actor2 != keep.actor1:
        keep.actor2 = gone.actor2
    keep.actors = [n for n in dict.fromkeys([keep.actor1, keep.actor2, *keep.actors, *gone.actors]) if n]
    if take_place and gone.location is not None and not gone.flags.get("needs_review") and (
            keep.location is None or keep.flags.get("needs_review")
            or ((gone.geo_precision or 3) < (keep.geo_precision or 3))):
        keep.location, keep.geo_precision, keep.location_text = gone.location, gone.geo_precision, gone.location_text
        keep.flags.pop("needs_review", None)
        keep.flags.pop("document_area", None)
    if gone.flags.get(CIVILIAN_TARGETING.lower().replace(" ", "_")):
        keep.flags["civilian_targeting"] = CIVILIAN_TARGETING
    seen = _excerpts(keep)
    for item in _excerpts(gone):
        if item not in seen:
            seen.append(item)
    if len(seen) > 1:
        keep.flags["excerpts"] = seen
    keep.people.extend(p for p in gone.people if p not in keep.people)
    keep.confidence = max(keep.confidence, gone.confidence)


def _twin(explosion: Incident, attack: Incident, passages: _Passages) -> bool:
    """A Violence-against-civilians attack that is the explosion's own harm (same day +-1 and place; without a place,
    the same passage)."""
    if not _dates_overlap(explosion, attack, 1):
        return False
    if explosion.span == attack.span:
        return True
    le, la = explosion.location, attack.location
    if le is None or la is None:
        return abs(passages.of(explosion) - passages.of(attack)) <= 1
    if _is_region(explosion) or _is_region(attack):
        region, other = (le, la) if _is_region(explosion) else (la, le)
        return _inside(region, other) or (_is_region(explosion) and _is_region(attack) and le.name == la.name)
    return _km(le, la) <= _TWIN_KM


def _same_type(a: Incident, b: Incident) -> bool:
    return (a.event_type, a.sub_event_type) == (b.event_type, b.sub_event_type)


def consolidate(incidents: list[Incident], text: str) -> list[Incident]:
    """The document's incidents with twins folded, duplicates merged and covered region incidents dropped."""
    passages = _Passages(text)
    out: list[Incident] = []
    # 1. an attack on civilians told with an explosion is that explosion, with civilian targeting
    explosions = [i for i in incidents if i.event_type == "Explosions/Remote violence"]
    for inc in incidents:
        generic_clash = inc.event_type == "Battles" and inc.flags.get("_generic")
        if (inc.event_type == "Violence against civilians" and inc.sub_event_type == "Attack") or generic_clash:
            host = next((x for x in explosions if _twin(x, inc, passages)), None)
            if host is not None:
                _absorb(host, inc)
                if not generic_clash:
                    host.flags["civilian_targeting"] = CIVILIAN_TARGETING
                continue
        out.append(inc)
    # 1b. fire opened on a crowd where a protest is told (same place and day) is that protest, met with force
    protests = [i for i in out if i.event_type == "Protests"]
    kept = []
    for inc in out:
        host = next((p for p in protests if inc.event_type == "Violence against civilians"
                     and inc.sub_event_type == "Attack" and _twin(p, inc, passages)), None)
        if host is None:
            kept.append(inc)
            continue
        _absorb(host, inc, take_place=False)
        host.sub_event_type = "Excessive force against protesters" if (inc.fatalities or 0) > 0 or \
            host.sub_event_type == "Excessive force against protesters" else "Protest with intervention"
    out = kept
    for x in explosions:
        if x.actor2 == "Civilians (Syria)":
            x.flags["civilian_targeting"] = CIVILIAN_TARGETING
    # 2. same type, place and date: one incident
    merged: list[Incident] = []
    for inc in out:
        host = next((m for m in merged if _same_type(m, inc) and _same_place(m, inc)
                     and _dates_overlap(m, inc)), None)
        if host is not None:
            _absorb(host, inc)
        else:
            merged.append(inc)
    # 3. a region incident beside a more precise one of its type inside it, in the same passage
    result: list[Incident] = []
    for inc in merged:
        if _is_region(inc) or inc.flags.get("_admin_place"):
            # placed by the document, or held for review: any precise incident of its kind inside it is the event
            doc_area = bool(inc.flags.get("document_area"))
            loose = doc_area or bool(inc.flags.get("needs_review"))
            host = next((m for m in merged if m is not inc and m.event_type == inc.event_type
                         and (inc.flags.get("document_area") or _same_type(m, inc))
                         and m.location is not None and not m.flags.get("document_area")
                         and _dates_overlap(m, inc, 1)
                         and (doc_area or (_inside(inc.location, m.location)
                                           and (loose or abs(passages.of(m) - passages.of(inc)) <= 1)))
                         and not m.flags.get("_admin_place")
                         and (not _is_region(m) or _area_isos(m.location) < _area_isos(inc.location) or doc_area)),
                        None)
            if host is not None:
                _absorb(host, inc, take_place=False)
                continue
        result.append(inc)
    return result
