"""From a document to incidents: sentences -> trigger groups -> actors, dates, places, counts -> incidents."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from geo.admin1 import resolve_admin1
from geo.extract import (
    _arabic,
    _arabic_places,
    _consolidate,
    _counts,
    _dates,
    _events,
    _framing,
    _groups,
    _places,
    _reading,
    _roles,
)
from geo.extract._groups import Group
from geo.extract._model import Document, Incident
from geo.extract._text import Sentence, normalise, split_sentences


@dataclass
class _Context:
    doc: Document
    text: str
    published: dt.date
    geocoder: object | None
    doc_admin: str | None = None
    last_date: _dates.DateSpan | None = None
    cache: dict = field(default_factory=dict)
    masked: list[tuple[int, int]] = field(default_factory=list)   # dateline place names: never a location
    background_end: int = -1       # end of the last sentence told as background (its paragraph follows it)
    not_mapped: list[dict] = field(default_factory=list)          # passages kept as provenance only
    previous: Sentence | None = None  # the sentence read before this one


_ELSEWHERE = re.compile(r"^\W*(?:elsewhere|meanwhile|separately|in (?:a|another) (?:separate )?(?:incident|development)|"
                        r"in other (?:news|developments)|also on)\b", re.I)


def _place_told_before(ctx: _Context, sentence: Sentence) -> tuple | None:
    """The place of the previous sentence of the same paragraph, for an event sentence that names none ("Troops
    raided the town of X. Twelve men were detained."); never across a paragraph or after "Elsewhere, ..."."""
    prev = ctx.previous
    if prev is None or "\n" in ctx.text[prev.end:sentence.start] or _ELSEWHERE.match(sentence.text):
        return None
    tops = [t for t in _reading.sentence_places(prev, ctx.masked) if not t.excluded]
    return _resolve_place(ctx, tops, prev.end) if tops else None


_ANAPHORA = re.compile(r"^\s+(?:him|her|them|it)\b", re.I)


def _governorate_area(ctx: _Context, name: str | None):
    """The governorate *region* (polygon, precision 3) a name stands for, or None."""
    unit = resolve_admin1(name) if name else None
    if unit is None or ctx.geocoder is None:
        return None
    key = ("<area>", unit.name)
    if key not in ctx.cache:
        loc = ctx.geocoder.geocode(f"{unit.name} province", context=None)
        ctx.cache[key] = loc if loc is not None and loc.kind == "region" else None
    return ctx.cache[key]


def _resolve_place(ctx: _Context, toponyms: list[_places.Toponym], t0: int) -> tuple | None:
    """(toponym, Location, geo_precision, needs_review) for the event: the first named place after the trigger
    (then before it) that the geocoder knows; governorates only when no town resolves. A town the gazetteer
    lacks falls back to the governorate *area* (precision 3, flagged for review), never to its capital's point."""
    if ctx.geocoder is None:
        return None
    after = [t for t in toponyms if t.start >= t0 and not t.excluded]
    before = [t for t in reversed(toponyms) if t.start < t0 and not t.excluded]
    ordered = after + before
    specific = sorted((t for t in ordered if not t.admin and not t.area), key=lambda t: t.road)
    general = [t for t in ordered if t.admin]
    areas = [t for t in ordered if t.area and not t.admin]
    for top in specific + general + areas:
        resolved = _places.resolve(top, ctx.geocoder, ctx.doc_admin, ctx.cache)
        if resolved is not None:
            if (top.admin or top.area) and specific:
                unknown = specific
                area = _governorate_area(ctx, _places.strip_suffix(top.name)) \
                    if unknown and top.admin and resolved[0].kind != "region" else None
                if area is not None:
                    return top, area, 3, True
                return top, resolved[0], 3, bool(unknown)
            return top, resolved[0], resolved[1], False
    for top in specific:
        if top.context:
            area = _governorate_area(ctx, top.context)
            if area is not None:
                return top, area, 3, True  # "Khirbet X in Deir ez-Zor" with an unknown Khirbet X
    return None


def _scope_bounds(groups: list[Group], i: int, sentence: Sentence) -> tuple[int, int]:
    g = groups[i]
    others = [h for h in groups if h is not g]
    prev_ends = [h.end for h in others if h.end <= g.start]
    next_starts = [h.start for h in others if h.start >= g.end]
    start = max(prev_ends) if prev_ends else sentence.start
    end = min(next_starts) if next_starts else sentence.end
    return start, end


def _narrower_area(wide, narrow) -> bool:
    """A governorate (or part of one) named after a multi-governorate area ("northwest Syria" ... "Aleppo province")."""
    return bool(wide is not None and narrow is not None and (wide.region_id or "").startswith("area:")
                and narrow.region_id and not narrow.region_id.startswith("area:"))


def _merged_into_told(ctx: _Context, group: Group, kind: str, a1: str | None, place: tuple | None, scope: str,
                      scope_dates: list, scope_tops: list[_places.Toponym], people: list,
                      existing: list[Incident], out: list[Incident]) -> bool:
    """True when this group only tells more about an event already found ("the meeting lasted two hours",
    "the strikes hit X and Y", "... killed him"): the details go to that event and no incident is added."""
    prior = [x for x in existing + out if x.kind == kind]
    own_place = place is not None and place[0] is not None and (
        not prior or all(p.location is None or p.location.name != place[1].name for p in prior))
    if prior and (group.definite or (not own_place and not scope_dates)):
        target = prior[-1]
        if own_place and not place[0].road and (target.location is None or (
                (target.geo_precision or 3) == 3 and place[2] <= 2) or _narrower_area(target.location, place[1])):
            # "The strikes hit the towns of X and Y": the earlier, vaguer mention gets the places
            target.location, target.geo_precision, target.location_text = place[1], place[2], place[0].name
            if not place[3]:
                target.flags.pop("needs_review", None)
            out.extend(_same_event_elsewhere(ctx, target, place[0], scope_tops))
        if target.fatalities is None:
            target.fatalities = _counts.find_fatalities(scope)
        if target.count is None:
            target.count = _counts.find_count(scope)
        target.people.extend(p for p in people if p not in target.people)
        return True
    anaphoric = group.tier == 2 and bool(_ANAPHORA.match(ctx.text[group.head.end:group.head.end + 12]))
    if not prior and existing and ((group.definite and not scope_dates) or anaphoric):
        # "Shrapnel from the explosion ...", "X is believed to have killed him": the event already told
        target = existing[-1]
        if place is not None and place[0] is not None and not place[0].road and place[2] <= 2 and not place[3] \
                and (target.location is None or (target.geo_precision or 3) == 3) and target.event_type == \
                _events.CLASSES[group.cls][0]:
            # "... at a checkpoint in central Syria. ... the bombing near Salamiya ...": the later passage places it
            target.location, target.geo_precision, target.location_text = place[1], place[2], place[0].name
            target.flags.pop("needs_review", None)
        if target.fatalities is None:
            target.fatalities = _counts.find_fatalities(scope)
        if a1 and a1 not in (_roles.UAG, _roles.CIVILIANS) and target.actor2 in (None, _roles.UAG) and a1 != target.actor1:
            target.actor2 = a1
            target.actors = [n for n in dict.fromkeys([*target.actors, a1]) if n]
        return True
    if group.definite and not prior and not own_place:
        return True
    if group.tier == 2 and (out or (existing and not own_place)):
        # generic violence words after the event was named: casualties of that event
        target = out[-1] if out else existing[-1]
        if target.fatalities is None:
            target.fatalities = _counts.find_fatalities(scope)
        return True
    return False


def _nearest_day(group: Group, dates: list, own: bool = False):
    """The day of the date told closest after a group (within 60 characters); ``own``: only that one."""
    after = [d for d in dates if 0 <= d.span[0] - group.end <= 60]
    if after:
        return after[0].start
    if own:
        return None
    before = [d for d in dates if d.span[1] <= group.start]
    return before[-1].start if before else (dates[0].start if dates else None)


def _keep_as_provenance(ctx: _Context, sentence: Sentence, why: str, existing: list[Incident]) -> None:
    """A passage that tells no new incident for the map (background, a claim): kept with the document's incidents."""
    item = {"span": f"{sentence.start}-{sentence.end}", "text": sentence.text, "why": why}
    if item not in ctx.not_mapped:
        ctx.not_mapped.append(item)


def _incidents_in_sentence(ctx: _Context, sentence: Sentence, existing: list[Incident]) -> list[Incident]:
    """New incidents told by one sentence (details of events already found are added to them instead)."""
    reading = _reading.read_sentence(sentence, ctx.text, ctx.published, ctx.masked)
    if reading is None:
        # no event here, but its date is the one the next sentences talk about ("On the very same day, ...")
        told = [d for d in _reading.sentence_dates(sentence, ctx.published)
                if d.start <= ctx.published and not _framing.is_background(d, ctx.published)]
        if told:
            ctx.last_date = told[0]
        return []
    base = sentence.start
    text = sentence.text
    arabic, groups, people, mentions, toponyms = (reading.arabic, reading.groups, reading.people, reading.mentions,
                                                  reading.toponyms)
    latest = ctx.published + dt.timedelta(days=1)
    dates = [d for d in reading.dates if d.start <= latest]  # no future events
    dates = [replace(d, end=min(d.end, ctx.published)) if d.end and d.end > ctx.published else d for d in dates]
    history = [d for d in dates if _framing.is_background(d, ctx.published)]
    current = [d for d in dates if d not in history]
    sentence_date = current[0] if current else None
    past = _framing.background_clauses(text, [(d.span[0] - base, d.span[1] - base) for d in history if not d.since],
                                       [(d.span[0] - base, d.span[1] - base) for d in current])
    if arabic and history and not current:
        past = [(0, len(text))]  # Arabic clauses run on with commas: a sentence dated only in the past is history
    if past:
        # triggers in a clause about the past ("the protests that erupted in 2011") are background
        kept = []
        for g in groups:
            g.triggers = [t for t in g.triggers if not any(a <= t.start - base < b for a, b in past)]
            if g.triggers:
                kept.append(g)
        if len(kept) < len(groups):
            _keep_as_provenance(ctx, sentence, "background", existing)
        groups = kept
        if not groups:
            ctx.background_end = sentence.end if not current else -1
            return []
    if not dates and ctx.background_end >= 0 and "\n" not in ctx.text[ctx.background_end:sentence.start]:
        # an undated sentence continuing a background passage in the same paragraph
        _keep_as_provenance(ctx, sentence, "background", existing)
        ctx.background_end = sentence.end
        return []
    ctx.background_end = -1
    out: list[Incident] = []
    violent = _groups.VIOLENT | {"kill"}
    if any(not g.subordinate and g.cls in violent for g in groups):
        # "clashes took place ... amid regime shelling": the circumstance is context, not a second event --
        # unless it carries a day of its own ("... after rebels seized the village Monday"): then it is one
        main_day = _nearest_day(next(g for g in groups if not g.subordinate), current)
        groups = [g for g in groups if not g.subordinate or (
            g.cls in violent | {"territory"} and _nearest_day(g, current, own=True) not in (None, main_day))]
    elif existing:
        # "These measures come after several demonstrations": background of an event already told
        groups = [g for g in groups if not g.subordinate or g.cls in violent]
    for i, group in enumerate(groups):
        claim = (_arabic.is_claim(text, group.head.start - base, group.cls, group.head.text) if arabic
                 else _framing.is_claim(text, group.head.start - base, group.cls))
        if claim:
            _keep_as_provenance(ctx, sentence, "unconfirmed claim", existing)
            continue
        s, e = _scope_bounds(groups, i, sentence)
        scope = ctx.text[s:e]
        scope_mentions = [m for m in mentions if s <= m.start and m.end <= e]
        after = ctx.text[group.head.end:e]
        if arabic:
            roles = _arabic_places.assign_roles(group, scope_mentions or mentions, ctx.text)
            event_type, sub_type, kind = _arabic_places.classify(group, roles, scope, after)
        else:
            roles = _roles.assign_roles(group, scope_mentions, ctx.text, 0, group.cls)
            event_type, sub_type, kind = _roles.classify(group, roles, scope, after, s)
        a1, a2, assoc1, assoc2 = _roles.final_actors((event_type, sub_type, kind), roles)
        if a1 is None and out and event_type not in ("Protests", "Riots"):
            a1 = out[-1].actor1  # "... by regime forces, in addition to artillery fire on ..." shares the actor
        scope_tops = [t for t in toponyms if s <= t.start and t.end <= e]
        # Arabic tells the event, then where: the places after its first event word
        place = _resolve_place(ctx, scope_tops, group.start if arabic else group.head.start)
        if place is None and i > 0 and out:
            place_src = out[-1]
            place = (None, place_src.location, place_src.geo_precision,
                     bool(place_src.flags.get("needs_review"))) if place_src.location else None
        if place is None:
            place = _resolve_place(ctx, toponyms, group.head.start)
        if place is None and not toponyms and not arabic:
            place = _place_told_before(ctx, sentence)
        scope_dates = [d for d in current if s <= d.span[0] < e]
        if group.subordinate and any(d.span[0] >= group.end for d in scope_dates):
            scope_dates = [d for d in scope_dates if d.span[0] >= group.end]  # "... after X shelled Y on Monday"
        when = scope_dates[0] if scope_dates else sentence_date or ctx.last_date
        own_date = bool(scope_dates or sentence_date)
        if not scope_dates and not sentence_date and any(d.since for d in history):
            # "has been shelled since October 2019": going on at publication
            since = next(d for d in history if d.since)
            when, own_date = _framing.ongoing_span(ctx.published, since.span, since.text), True
        if (existing or out) and _merged_into_told(ctx, group, kind, a1, place, scope, scope_dates, scope_tops,
                                                   people, existing, out):
            continue
        incident = Incident(
            event_type=event_type, sub_event_type=sub_type, kind=kind,
            event_date=when.start if when else ctx.published,
            date_end=when.end if when else None,
            time_precision=when.precision if when else 2,
            actor1=a1, actor2=a2,
            assoc_actor_1="; ".join(assoc1) or None, assoc_actor_2="; ".join(assoc2) or None,
            doc_id=ctx.doc.id, trigger=" / ".join(t.text for t in group.triggers),
        )
        if place is not None:
            top, loc, precision, review = place
            incident.location, incident.geo_precision = loc, precision
            incident.location_text = top.name if top is not None else loc.name
            if review:
                incident.flags["needs_review"] = True
            if top is not None and top.admin and precision < 3:
                incident.flags["_admin_place"] = True  # "in Deir ez-Zor": the governorate or its capital
        if group.tier == 2 and not group.forced:
            incident.flags["_generic"] = True  # typed from a generic word ("targeted", "killed"), not its own name
        if group.forced:
            incident.flags["_tagged"] = True  # an ACLED note's own tag ("Movement of forces: ...")
        label = (incident.location_text or "Unidentified").split(",")[0]
        a1, a2 = (n.replace("{place}", label) if n else n for n in (a1, a2))
        assoc1 = [n.replace("{place}", label) for n in assoc1]
        incident.actor1, incident.actor2 = a1, a2
        incident.assoc_actor_1 = "; ".join(assoc1) or None
        incident.actors = [n for n in dict.fromkeys([a1, a2, *assoc1]) if n]
        figures = _arabic_places if arabic else _counts
        incident.count = figures.find_count(scope)
        incident.fatalities = figures.find_fatalities(scope if i > 0 else ctx.text[s:sentence.end])
        incident.excerpt = text
        incident.span = (sentence.start, sentence.end)
        incident.people = list(people)
        incident.confidence = _confidence(group, incident, own_date)
        out.append(incident)
        if place is not None and place[0] is not None:
            out.extend(_same_event_elsewhere(ctx, incident, place[0], scope_tops))
    if sentence_date is not None:
        ctx.last_date = sentence_date
    return out


_LIST_GAP = re.compile(r"^\s*\)?\s*(?:,\s*(?:and\s+)?|and\s+|&\s+|,?\s*(?:as well as|along with|in addition to)\s+)"
                       r"(?:the\s+)?(?:(?:town|village|city)\s+of\s+)?$|"
                       r"^[\s\"]*(?:,[\s\"]*(?:و)?|و)[\s\"]*(?:(?:مدينة|بلدة|قرية|بلدتي|قريتي)\s+)?[\s\"]*و?$", re.I)


def _same_event_elsewhere(ctx: _Context, incident: Incident, top: _places.Toponym,
                          toponyms: list[_places.Toponym]) -> list[Incident]:
    """"shelled Kansafra, Bara and Fleifel": one incident per listed place (ACLED codes one event per place)."""
    out: list[Incident] = []
    if top.road or re.search(r"\bbetween\s+(?:the\s+)?(?:(?:towns?|villages?|cities)\s+of\s+)?$",
                             ctx.text[max(0, top.start - 40):top.start], re.I):
        return out  # "between X and Y", "the X - Y road": one event between two places
    previous = top
    for other in (t for t in toponyms if t.start > top.start):
        if other.bracketed and ctx.text[previous.end:other.start].strip() == "(":
            previous = _places.Toponym(other.name, other.start, other.end + 1)  # skip "(Idlib)"
            continue
        gap = ctx.text[previous.end:other.start] + ("و" if ctx.text[other.start:other.start + 1] == "و" else "")
        if not _LIST_GAP.match(gap) or other.admin != top.admin or other.area \
                or other.excluded:
            break
        previous = other
        # places listed together lie together: the first one's governorate is the context of the others
        near = incident.location.admin1 if incident.location is not None and incident.location.country == "SY" else None
        resolved = _places.resolve(other, ctx.geocoder, near or ctx.doc_admin, ctx.cache)
        if resolved is None or resolved[0].name == (incident.location.name if incident.location else None):
            continue
        twin = replace(incident, location=resolved[0], geo_precision=resolved[1], location_text=other.name,
                       actors=list(incident.actors), people=list(incident.people), fatalities=None,
                       flags={k: v for k, v in incident.flags.items() if k != "needs_review"},
                       confidence=max(0.05, incident.confidence - 0.05))
        out.append(twin)
    return out


def _confidence(group: Group, incident: Incident, own_date: bool) -> float:
    score = 0.35
    score += 0.2 if group.tier == 1 or group.forced else 0.05
    score += 0.1 if incident.actor1 and incident.actor1 != _roles.UAG else 0.05 if incident.actor1 else 0.0
    if incident.location is not None:
        score += 0.2 if (incident.geo_precision or 3) <= 2 else 0.1
    score += 0.1 if own_date else 0.0
    score -= 0.1 if group.subordinate else 0.0
    return max(0.05, min(0.95, score))


def _doc_admin(text: str, title: str | None, skip: list[tuple[int, int]] = ()) -> str | None:
    """The governorate the document is mostly about (first named in the title, else the most named); names in
    ``skip`` spans (datelines) do not count."""
    counts: dict[str, int] = {}
    for source in ((title or ""), text):
        names = [(m.start(), m.group(0)) for m in _places.PLACE_RE.finditer(source) if not m.group(0)[0] >= "\u0600"]
        names += _arabic_places.admin_names(source)
        for start, name in names:
            if source is text and any(s <= start < e for s, e in skip):
                continue
            unit = _arabic_places.governorate(name)
            if unit is not None:
                counts[unit.name] = counts.get(unit.name, 0) + (3 if source is title else 1)
    return max(counts, key=counts.get) if counts else None


def run(doc: Document, geocoder=None) -> list[Incident]:
    """All incidents of ``doc``; the first is its main event."""
    if doc.published is None:
        from geo.errors import InputError
        raise InputError("no publication date: pass --published or give the document a date", file=doc.id)
    text = normalise(doc.text)
    datelines = _framing.dateline_spans(text) + _arabic_places.dateline_spans(text)
    ctx = _Context(doc, text, doc.published, geocoder, _doc_admin(text, doc.title, datelines))
    ctx.masked = datelines
    incidents: list[Incident] = []
    for sentence in split_sentences(text):
        if sentence.heading:
            continue
        found = _incidents_in_sentence(ctx, sentence, incidents)
        ctx.previous = sentence
        if not found and incidents:
            # "No casualties were reported." / "Unknown fatalities coded as 10." complete the last event(s)
            told = [i for i in incidents if i.span == incidents[-1].span and i.kind == incidents[-1].kind]
            if all(i.fatalities is None for i in told):
                value = _counts.find_fatalities(sentence.text)
                for n, inc in enumerate(told):
                    inc.fatalities = value if (value == 0 or n == 0) else None
        incidents.extend(found)
    for inc in incidents:
        if inc.location is None and ctx.geocoder is not None and ctx.doc_admin:
            area = _governorate_area(ctx, ctx.doc_admin)
            if area is None:
                loc = _places.resolve(_places.Toponym(ctx.doc_admin, 0, 0, [(ctx.doc_admin, 3)], admin=True),
                                      ctx.geocoder, None, ctx.cache)
                area = loc[0] if loc is not None else None
            if area is not None:
                inc.location, inc.geo_precision = area, 3
                inc.location_text = ctx.doc_admin
                inc.confidence = max(0.05, inc.confidence - 0.15)
                inc.flags["needs_review"] = True
                inc.flags["document_area"] = True   # placed by the document's governorate, not by its passage
    # a non-violent development with no place in its own passage cannot be mapped honestly: provenance only
    for inc in [i for i in incidents if i.flags.get("document_area") and i.event_type == "Strategic developments"
                and i.sub_event_type in ("Change to group/activity", "Other")]:
        incidents.remove(inc)
        ctx.not_mapped.append({"span": inc.span_text, "text": inc.excerpt, "why": "no place in its passage"})
    if sum(1 for _ in re.finditer(r"[.!?](?:\s|$)", text)) >= 4:
        # in a news article, troops deployed, patrolling or withdrawn are the story's context, not its incidents
        for inc in [i for i in incidents if i.sub_event_type == "Change to group/activity" and not i.flags.get("_tagged")]:
            incidents.remove(inc)
            ctx.not_mapped.append({"span": inc.span_text, "text": inc.excerpt, "why": "movement of forces (context)"})
    incidents = _consolidate.consolidate(incidents, text)
    ordered = _main_first(incidents, doc.title)
    if ordered and ctx.not_mapped:
        ordered[0].flags["not_mapped"] = ctx.not_mapped
    return ordered


def _main_first(incidents: list[Incident], title: str | None) -> list[Incident]:
    if not incidents or not title:
        return incidents
    title_triggers = _events.find_triggers(normalise(title))
    for trig in title_triggers:
        kind = _events.CLASSES[trig.cls][2]
        for i, inc in enumerate(incidents):
            if inc.kind == kind:
                return [inc] + incidents[:i] + incidents[i + 1:]
    return incidents
