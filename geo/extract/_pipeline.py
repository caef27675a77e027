"""From a document to incidents: sentences -> trigger groups -> actors, dates, places, counts -> incidents."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from geo import taxonomy
from geo.admin1 import resolve_admin1
from geo.extract import _actors, _counts, _dates, _events, _places
from geo.extract._actors import ActorEntry, ActorMention
from geo.extract._model import Document, Incident
from geo.extract._text import Sentence, normalise, split_sentences

UAG = "Unidentified Armed Group (Syria)"
CIVILIANS = "Civilians (Syria)"
PROTESTERS = "Protesters (Syria)"
RIOTERS = "Rioters (Syria)"

VIOLENT = {"suicide", "chemical", "air", "ied", "shell", "grenade", "clash", "territory", "sexual", "abduct"}
# Within one sentence, a trigger of the key class swallows triggers of these classes (same event).
ABSORBS: dict[str, set[str]] = {
    "air": {"ied", "kill", "security", "shell"},
    "shell": {"ied", "kill", "grenade"},
    "suicide": {"ied", "kill"},
    "ied": {"kill"},
    "grenade": {"kill", "ied"},
    "clash": {"kill", "territory"},
    "territory": {"kill"},
    "chemical": {"kill", "air", "shell"},
    "abduct": {"kill", "arrest"},
    "arrest": {"kill", "security", "abduct"},
    "sexual": {"kill", "abduct"},
    "protest": {"kill", "arrest", "riot", "security", "meeting", "recruit", "release", "abduct", "loot", "base",
                "reinforce", "patrol", "agreement", "prevent"},
    "riot": {"kill", "security"},
    "base": {"reinforce", "patrol", "security"},
    "reinforce": {"patrol", "withdraw", "security"},
    "patrol": {"security"},
    "security": {"patrol"},
    "prevent": {"patrol", "reinforce", "security"},
    "loot": {"kill", "security"},
    "disrupt": {"ied", "suicide"},
    "meeting": set(),
    "agreement": {"meeting", "release"},
    "kill": {"loot", "security"},
    "release": set(),
    "recruit": {"security"},
}
_ASSOC_LEFT = re.compile(r"\b(?:accompanied|supported|backed|assisted|joined|aided|escorted|protected)\s+"
                         r"(?:with\s+\w+\s+\w+\s+)?by\s+(?:the\s+)?$|\b(?:alongside|along with|together with|"
                         r"with the support of|with support from|in coordination with|in cooperation with)\s+"
                         r"(?:the\s+)?$", re.I)
_BY_LEFT = re.compile(r"\bby\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_UMBRELLA_LEFT = re.compile(r"\b(?:under|operat(?:ing|es|e) under|under the command of|part of)\s+(?:the\s+)?$",
                            re.I)
_TARGET_LEFT = re.compile(r"\b(?:on|at|against|targeting|targeted|toward|towards|into|to|in|from|with|"
                          r"belong(?:s|ing)? to|belonged to|of)\s+(?:the\s+|an?\s+|their\s+|its\s+)?"
                          r"(?:[\w'-]+\s+){0,2}$", re.I)
_PASSIVE_LEFT = re.compile(r"\b(?:[Ww]as|[Ww]ere|been|being|is|are|got)\s+(?:\w+ly\s+)?$|"
                           r"\bdied\s+(?:as a result of|from|under|due to|of|after)\s+(?:\w+\s+)?$")
_SUFFERED = re.compile(r"^(?:'s)?\s+(?:[\w'-]+\s+){0,4}?(?:was|were|had been|has been|have been)\s+(?:\w+\s+)?"
                       r"(?:killed|injured|wounded|shot|targeted|attacked|kidnapped|abducted|arrested|detained|"
                       r"found|hit|executed|assassinated|damaged|destroyed|ambushed)\b", re.I)
_MEMBER_OF = re.compile(r"^\s*(?:\w+\s+){0,1}?(?:believed|said|suspected|thought|reported|alleged(?:ly)?)?\s*(?:to\s+)?"
                        r"(?:belong(?:ing|s)?\s+to|be\s+(?:from|members\s+of)|affiliated\s+with|linked\s+to|"
                        r"members?\s+of|from)\s+(?:the\s+)?$", re.I)
_ARMED_VICTIM = re.compile(r"\b(?:fighters?|soldiers?|militants?|militiam[ae]n|commanders?|officers?|lieutenant|"
                           r"colonel|general|troops|members?|checkpoints?|positions?|vehicles?|patrols?|convoy|"
                           r"bases?|posts?|recruits|personnel|guards?|policem[ae]n|elements|excavators|bulldozer|"
                           r"tanks?|outposts?)\b", re.I)
_CIVIL_VICTIM = re.compile(r"\b(?:civilians?|man|woman|men|women|child|children|boys?|girls?|people|persons?|"
                           r"residents?|famil(?:y|ies)|shepherds?|farmers?|workers?|IDPs?|displaced|journalists?|"
                           r"activists?|doctors?|teachers?|sheikh|body|bodies|youths?|infants?|students?)\b", re.I)
_PLACE_OBJECT = re.compile(r"^\s*(?:control of\s+)?(?:the\s+)?(?:town|city|village|villages|hill|area|neighbou?rhood|"
                           r"district|base|airport)\b", re.I)


@dataclass
class _Group:
    cls: str
    triggers: list[_events.Trigger]
    subordinate: bool = False
    definite: bool = False
    forced: bool = False
    tag_only: bool = False

    @property
    def start(self) -> int:
        return self.triggers[0].start

    @property
    def end(self) -> int:
        return self.triggers[-1].end

    @property
    def head(self) -> _events.Trigger:
        """The trigger that names the group's own class (absorbed generic words come second)."""
        return next((t for t in self.triggers if t.cls == self.cls), self.triggers[0])

    @property
    def tier(self) -> int:
        return min(t.tier for t in self.triggers)


@dataclass
class _Context:
    doc: Document
    text: str
    published: dt.date
    geocoder: object | None
    doc_admin: str | None = None
    last_date: _dates.DateSpan | None = None
    cache: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- groups

_ANAPHORA = re.compile(r"^\s+(?:him|her|them|it)\b", re.I)
_SEPARATE = re.compile(r"\b(?:in addition to|as well as|besides|meanwhile|while|whereas|also|then|later|"
                       r"afterwards|subsequently)\b|;", re.I)


def _groups(sentence: Sentence, text: str) -> list[_Group]:
    triggers = _events.find_triggers(sentence.text, sentence.start)
    tag_cls, tag_len = _events.prefix_tag(sentence.text)
    triggers = [t for t in triggers if t.start >= sentence.start + tag_len]
    groups: list[_Group] = []
    for trig in triggers:
        same = next((g for g in groups if g.cls == trig.cls and not g.subordinate and not trig.subordinate), None)
        if same is None:
            same = next((g for g in groups if g.cls == trig.cls and g.subordinate == trig.subordinate), None)
        if same is not None:
            same.triggers.append(trig)
            same.triggers.sort(key=lambda t: t.start)
            continue
        groups.append(_Group(trig.cls, [trig], trig.subordinate, trig.definite))
    # Absorb generic or follow-on triggers into the event they describe.
    changed = True
    while changed:
        changed = False
        for g in groups:
            for h in groups:
                if g is h or h.cls not in ABSORBS.get(g.cls, set()):
                    continue
                if g.subordinate and not h.subordinate:
                    continue
                lo, hi = sorted((g, h), key=lambda x: x.start)
                if _SEPARATE.search(text[lo.end:hi.start]):
                    continue
                g.triggers.extend(h.triggers)
                g.triggers.sort(key=lambda t: t.start)
                g.definite = g.definite and h.definite
                groups.remove(h)
                changed = True
                break
            if changed:
                break
    if tag_cls:
        main = next((g for g in groups if not g.subordinate), None)
        tag_trigger = _events.Trigger(tag_cls, 1, sentence.start, sentence.start + max(tag_len - 2, 1),
                                      sentence.text[:max(tag_len - 2, 1)])
        if main is None:
            groups.insert(0, _Group(tag_cls, [tag_trigger], forced=True, tag_only=True))
        else:
            if _events.CLASSES[main.cls][1] != _events.CLASSES[tag_cls][1]:
                main.cls = tag_cls
            main.forced = True
    # The main event of a sentence: a violent event before a movement or meeting mentioned with it
    # ("a vehicle of a Russian patrol was hit by an IED"), otherwise the first one named.
    violent = VIOLENT | {"kill", "disrupt"}
    groups.sort(key=lambda g: (g.subordinate, not (g.forced or g.cls in violent), g.start))
    main = groups[:1]
    rest = sorted(groups[1:], key=lambda g: g.start)
    return main + rest


# ---------------------------------------------------------------------------------------------- actors

def _merge_adjacent(mentions: list[ActorMention], text: str, base: int) -> list[ActorMention]:
    """"the regime's Air Force Intelligence" is one actor: keep the mention that names the unit."""
    out: list[ActorMention] = []
    for m in mentions:
        if out and out[-1].text.lower().endswith("'s") and m.start - out[-1].end <= 2 \
                and out[-1].entry.canonical != m.entry.canonical:
            out[-1] = ActorMention(m.entry, out[-1].start, m.end, text[out[-1].start - base:m.end - base])
        elif out and out[-1].entry.canonical == m.entry.canonical and m.start - out[-1].end <= 4:
            prev = out[-1]
            keep = m if m.entry.unit and not prev.entry.unit else prev
            out[-1] = ActorMention(keep.entry, prev.start, m.end, text[prev.start - base:m.end - base])
        else:
            out.append(m)
    return out


def _same_sentence(left: str) -> str:
    """The part of a left context that lies in the same sentence (no newline or full stop in between)."""
    left = left.rsplit("\n", 1)[-1]
    return re.split(r"[.!?]\s+", left)[-1]


@dataclass
class _Roles:
    """Who did what to whom in one trigger group."""

    actor1: ActorMention | None
    actor2: ActorMention | None
    assoc1: list[ActorMention]
    victims: list[ActorMention]


def _roles(group: _Group, mentions: list[ActorMention], text: str, base: int, cls: str) -> _Roles:
    """Assign actor mentions around the head trigger: agents before it (or after "by"), victims after it;
    umbrella operations ("under OPS") take the lead, partners ("accompanied by") are associated."""
    first = group.head
    t0, t1 = first.start, first.end
    passive = bool(_PASSIVE_LEFT.search(text[max(0, first.start - base - 20):first.start - base])) or \
        first.text.lower().startswith(("found", "bod"))
    agents: list[ActorMention] = []
    by: list[ActorMention] = []
    assoc: list[ActorMention] = []
    victims: list[ActorMention] = []
    umbrella: list[ActorMention] = []
    if group.tag_only and mentions:
        # a tagged note without its own trigger word: the first actor named is the one acting
        t0 = t1 = mentions[0].end
    for m in mentions:
        left = _same_sentence(text[max(0, m.start - base - 45):m.start - base])
        if m.start < t0 < m.end and not passive:
            agents.append(m)
        elif _ASSOC_LEFT.search(left):
            assoc.append(m)
        elif _UMBRELLA_LEFT.search(left):
            umbrella.append(m)
        elif _BY_LEFT.search(left):
            by.append(m)
        elif m.end <= t0 and _SUFFERED.match(text[m.end - base:m.end - base + 60]):
            victims.append(m)  # "a HTS commander was killed when an IED ..."
        elif m.end <= t0 and not passive and (not _TARGET_LEFT.search(left) or re.search(r"\bof\s+(?:the\s+)?\S*\s*$", left)):
            agents.append(m)
        elif m.end <= t0 and passive:
            victims.append(m)
        elif m.start >= t1 or m.start >= t0:
            victims.append(m)
        else:
            victims.append(m)  # named before the trigger but as a target ("a vehicle belonging to X was hit")
    agents = [a for a in agents if a.entry.armed or cls in ("meeting", "agreement", "protest", "riot")]
    actor1: ActorMention | None = None
    if cls in ("meeting", "agreement"):
        ordered = [m for m in mentions if m not in assoc]
        names = list(dict.fromkeys(m.entry.name for m in ordered))
        actor1 = next((m for m in ordered if m.entry.name == names[0]), None) if names else None
        actor2 = next((m for m in ordered if len(names) > 1 and m.entry.name == names[1]), None)
        assoc1 = [m for m in ordered if m.entry.name not in names[:2]]
        return _Roles(actor1, actor2, assoc1, [])
    if cls == "clash":
        ordered = [m for m in mentions if m not in assoc and m.entry.armed]
        if umbrella:
            ordered = [m for m in ordered if m not in umbrella or m is umbrella[0]]
        actor1 = ordered[0] if ordered else None
        rest = [m for m in ordered if actor1 is None or m.entry.name != actor1.entry.name]
        actor2 = rest[0] if rest else None
        if actor1 and actor2 and actor1.entry.canonical == actor2.entry.canonical and not actor1.entry.unit \
                and not actor2.entry.unit:
            actor2 = None
        assoc1 = [m for m in agents if m not in (actor1, actor2)]
        return _Roles(actor1, actor2, assoc1, victims)
    subject_umbrella = [u for u in umbrella if u.end <= t0]
    if passive:
        actor1 = by[0] if by else None
        if actor1 is None and cls == "kill":
            actor1 = next((m for m in mentions if m.start >= t1 and m.entry.armed and m not in assoc), None)
    elif subject_umbrella:
        actor1 = subject_umbrella[0]
    elif agents:
        actor1 = agents[0]
    elif by:
        actor1 = by[0]
    if actor1 is not None and actor1.entry.name == UAG:
        for m in mentions:
            gap = text[actor1.end - base:m.start - base]
            if m.start >= actor1.end and len(gap) < 45 and m.entry.armed and _MEMBER_OF.match(gap):
                actor1 = m  # "gunmen believed to belong to IS"
                victims = [v for v in victims if v is not m]
                break
    victim_pool = [v for v in victims + [u for u in umbrella if u.start >= t0] if actor1 is None
                   or v.entry.name != actor1.entry.name]
    victim_umbrella = [u for u in umbrella if u.start >= t0]
    actor2 = victim_umbrella[0] if victim_umbrella else (victim_pool[0] if victim_pool else None)
    if actor2 is not None and actor1 is not None and actor2.entry.canonical == actor1.entry.canonical \
            and not (actor1.entry.unit or actor2.entry.unit):
        actor2 = None
    assoc1 = [m for m in agents + assoc if m is not actor1 and m.end <= t0 and m is not actor2]
    if subject_umbrella and agents:
        assoc1 = [m for m in agents if m is not actor1]
    return _Roles(actor1, actor2, assoc1, victim_pool)


def _syrian_state(entry: ActorEntry) -> bool:
    return entry.country == "SY" and entry.actor_type == "state forces"


def _victim_is_armed(roles: _Roles, scope_after: str, base: int = -1) -> bool | None:
    """Whether the first victim named after the trigger is armed (fighter, soldier, post) or a civilian."""
    first_actor = None
    for v in roles.victims:
        if v.entry.armed or v.entry.actor_type == "civilians":
            first_actor = v
            break
    armed = _ARMED_VICTIM.search(scope_after)
    civil = _CIVIL_VICTIM.search(scope_after)
    if first_actor is not None:
        pos = first_actor.start - base if base >= 0 else None
        word = civil if first_actor.entry.armed else armed
        if pos is None or word is None or word.start() >= pos:
            return first_actor.entry.armed
    if armed and (not civil or armed.start() < civil.start()):
        return True
    if civil:
        return False
    return None


# ---------------------------------------------------------------------------------------------- build

def _classify(group: _Group, roles: _Roles, scope: str, after: str, scope_start: int) -> tuple[str, str, str]:
    """ACLED event type, sub-event type and map kind of a group, refined by its actors and victims."""
    cls = group.cls
    a1: ActorMention | None = roles.actor1
    a1_entry: ActorEntry | None = a1.entry if a1 else None
    if cls == "kill":
        trig = group.head.text.lower()
        if trig == "captured" and _PLACE_OBJECT.match(after):
            cls = "territory"
        else:
            passive = bool(_PASSIVE_LEFT.search(scope[:max(0, group.head.start - scope_start)][-20:]))
            armed = _victim_is_armed(roles, scope if passive else after, scope_start if passive else
                                     group.head.end)
            cls = "clash" if armed else "kill"
    if cls == "grenade" and _victim_is_armed(roles, after, group.head.end) is False:
        cls = "kill"
    if cls == "arrest" and a1_entry is not None and not (a1_entry.state or a1_entry.canonical.startswith("Police")):
        cls = "abduct"
    event_type, sub_type, kind = _events.CLASSES[cls]
    if cls == "territory":
        if a1_entry is not None and not a1_entry.state:
            sub_type = "Non-state actor overtakes territory"
    if cls == "air" and re.search(r"\bdrones?\b|\bUAVs?\b", scope, re.I) and not re.search(
            r"war ?planes?|jets?|aircraft|helicopters?|air ?strikes?|air ?raids?", scope, re.I):
        kind = "drone strike"
    if cls == "protest":
        if re.search(r"\b(?:killed|shot dead|live (?:ammunition|fire)|opened fire on (?:the )?(?:protesters|"
                     r"demonstrators))\b", scope, re.I):
            sub_type = "Excessive force against protesters"
        elif re.search(r"\b(?:(?:dispersed|arrested|detained|beat|attacked|fired (?:on|at)) (?:the |several |some |"
                       r"\d+ )?(?:protesters|demonstrators|participants|protest|demonstration)|tear gas|"
                       r"fired (?:in the air|warning shots))", scope, re.I):
            sub_type = "Protest with intervention"
    if cls == "riot" and re.search(r"\b(?:protest\w*|demonstrat\w*)\b", scope, re.I):
        sub_type = "Violent demonstration"
    entry = taxonomy.lookup_sub_type(sub_type)
    return (entry.event_type if entry else event_type), sub_type, kind


def _final_actors(cls_kind: tuple[str, str, str], roles: _Roles) -> tuple[str | None, str | None, list[str], list[str]]:
    """ACLED actor names with the coders' conventions (protesters, rioters, unidentified groups, civilians)."""
    event_type, sub_type, kind = cls_kind
    a1 = roles.actor1.entry.name if roles.actor1 else None
    a2 = roles.actor2.entry.name if roles.actor2 else None
    assoc1 = [m.entry.name for m in roles.assoc1]
    if event_type == "Protests":
        others = [n for n in (a1, a2) if n and n not in (PROTESTERS, CIVILIANS)]
        intervening = others[0] if others and sub_type != "Peaceful protest" else None
        return PROTESTERS, intervening, [], []
    if event_type == "Riots":
        return RIOTERS, a2 if a2 != RIOTERS else None, [], []
    if a1 in (CIVILIANS, PROTESTERS):
        a1, a2 = (a2, a1) if a2 not in (CIVILIANS, PROTESTERS) else (None, a1)
    if a1 is None and (event_type in ("Violence against civilians", "Battles")
                       or sub_type in ("Remote explosive/landmine/IED", "Grenade", "Suicide bomb")):
        a1 = UAG
    if a2 is None and event_type == "Violence against civilians":
        a2 = CIVILIANS
    if a2 is None and sub_type == "Arrests":
        a2 = CIVILIANS
    if event_type == "Battles" and a2 is None and a1 != UAG:
        a2 = a1 if a1 and "{place}" in a1 else UAG
    if event_type == "Battles" and a1 == UAG and a2 and roles.actor2 and _syrian_state(roles.actor2.entry):
        a1, a2 = a2, a1  # coders list the state first when it fights an unidentified group
    assoc1 = [n for n in dict.fromkeys(assoc1) if n not in (a1, a2)]
    return a1, a2, assoc1, []


def _resolve_place(ctx: _Context, toponyms: list[_places.Toponym], t0: int) -> tuple | None:
    """(toponym, Location, geo_precision) for the event: the first named place after the trigger (then before
    it) that the geocoder knows; governorates only when no town resolves. Falling back from a town the
    gazetteer lacks to its governorate is honest about it: precision 3."""
    if ctx.geocoder is None:
        return None
    after = [t for t in toponyms if t.start >= t0 and not t.excluded]
    before = [t for t in reversed(toponyms) if t.start < t0 and not t.excluded]
    ordered = after + before
    specific = sorted((t for t in ordered if not t.admin), key=lambda t: t.road)
    general = [t for t in ordered if t.admin]
    for top in specific + general:
        resolved = _places.resolve(top, ctx.geocoder, ctx.doc_admin, ctx.cache)
        if resolved is not None:
            precision = 3 if top.admin and specific else resolved[1]
            return top, resolved[0], precision
    return None


def _scope_bounds(groups: list[_Group], i: int, sentence: Sentence) -> tuple[int, int]:
    g = groups[i]
    others = [h for h in groups if h is not g]
    prev_ends = [h.end for h in others if h.end <= g.start]
    next_starts = [h.start for h in others if h.start >= g.end]
    start = max(prev_ends) if prev_ends else sentence.start
    end = min(next_starts) if next_starts else sentence.end
    return start, end


def _merged_into_told(ctx: _Context, group: _Group, kind: str, a1: str | None, place: tuple | None, scope: str,
                      scope_dates: list, scope_tops: list[_places.Toponym], people: list,
                      existing: list[Incident], out: list[Incident]) -> bool:
    """True when this group only tells more about an event already found ("the meeting lasted two hours",
    "the strikes hit X and Y", "... killed him"): the details go to that event and no incident is added."""
    prior = [x for x in existing + out if x.kind == kind]
    own_place = place is not None and place[0] is not None and (
        not prior or all(p.location is None or p.location.name != place[1].name for p in prior))
    if prior and (group.definite or (not own_place and not scope_dates)):
        target = prior[-1]
        if own_place and (target.geo_precision or 3) == 3 and place[2] <= 2:
            # "The strikes hit the towns of X and Y": the earlier, vaguer mention gets the places
            target.location, target.geo_precision, target.location_text = place[1], place[2], place[0].name
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
        if target.fatalities is None:
            target.fatalities = _counts.find_fatalities(scope)
        if a1 and a1 not in (UAG, CIVILIANS) and target.actor2 in (None, UAG) and a1 != target.actor1:
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


def _incidents_in_sentence(ctx: _Context, sentence: Sentence, existing: list[Incident]) -> list[Incident]:
    """New incidents told by one sentence (details of events already found are added to them instead)."""
    groups = _groups(sentence, ctx.text)
    if not groups:
        return []
    base = sentence.start
    text = sentence.text
    people = _actors.find_people(text, base)
    masked = [(p.start, p.end) for p in people]
    mentions = [m for m in _actors.find_actors(text, base)
                if not any(m.start < pe and ps < m.end for ps, pe in masked)]
    mentions = _merge_adjacent(mentions, text, base)
    toponyms = _places.find_toponyms(text, base, masked + [(m.start, m.end) for m in mentions
                                                             if "prison" not in m.text.lower()])
    latest = ctx.published + dt.timedelta(days=1)
    dates = [d for d in _dates.find_dates(text, ctx.published, base) if d.start <= latest]  # no future events
    dates = [replace(d, end=min(d.end, ctx.published)) if d.end and d.end > ctx.published else d for d in dates]
    sentence_date = dates[0] if dates else None
    out: list[Incident] = []
    violent = VIOLENT | {"kill"}
    if any(not g.subordinate and g.cls in violent for g in groups):
        # "clashes took place ... amid regime shelling": the circumstance is context, not a second event
        groups = [g for g in groups if not g.subordinate]
    elif existing:
        # "These measures come after several demonstrations": background of an event already told
        groups = [g for g in groups if not g.subordinate or g.cls in violent]
    for i, group in enumerate(groups):
        s, e = _scope_bounds(groups, i, sentence)
        scope = ctx.text[s:e]
        scope_mentions = [m for m in mentions if s <= m.start and m.end <= e]
        roles = _roles(group, scope_mentions, ctx.text, 0, group.cls)
        after = ctx.text[group.head.end:e]
        event_type, sub_type, kind = _classify(group, roles, scope, after, s)
        a1, a2, assoc1, assoc2 = _final_actors((event_type, sub_type, kind), roles)
        if a1 is None and out and event_type not in ("Protests", "Riots"):
            a1 = out[-1].actor1  # "... by regime forces, in addition to artillery fire on ..." shares the actor
        scope_tops = [t for t in toponyms if s <= t.start and t.end <= e]
        place = _resolve_place(ctx, scope_tops, group.head.start)
        if place is None and i > 0 and out:
            place_src = out[-1]
            place = (None, place_src.location, place_src.geo_precision) if place_src.location else None
        if place is None:
            place = _resolve_place(ctx, toponyms, group.head.start)
        scope_dates = [d for d in dates if s <= d.span[0] < e]
        when = scope_dates[0] if scope_dates else sentence_date or ctx.last_date
        own_date = bool(scope_dates or sentence_date)
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
            top, loc, precision = place
            incident.location, incident.geo_precision = loc, precision
            incident.location_text = top.name if top is not None else loc.name
        label = (incident.location_text or "Unidentified").split(",")[0]
        a1, a2 = (n.replace("{place}", label) if n else n for n in (a1, a2))
        assoc1 = [n.replace("{place}", label) for n in assoc1]
        incident.actor1, incident.actor2 = a1, a2
        incident.assoc_actor_1 = "; ".join(assoc1) or None
        incident.actors = [n for n in dict.fromkeys([a1, a2, *assoc1]) if n]
        incident.count = _counts.find_count(scope)
        incident.fatalities = _counts.find_fatalities(scope if i > 0 else ctx.text[s:sentence.end])
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


_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)(?:the\s+)?(?:(?:town|village|city)\s+of\s+)?$", re.I)


def _same_event_elsewhere(ctx: _Context, incident: Incident, top: _places.Toponym,
                          toponyms: list[_places.Toponym]) -> list[Incident]:
    """"shelled Kansafra, Bara and Fleifel": one incident per listed place (ACLED codes one event per place)."""
    out: list[Incident] = []
    if top.road or re.search(r"\bbetween\s+(?:the\s+)?(?:(?:towns?|villages?|cities)\s+of\s+)?$",
                             ctx.text[max(0, top.start - 40):top.start], re.I):
        return out  # "between X and Y", "the X - Y road": one event between two places
    previous = top
    for other in (t for t in toponyms if t.start > top.start):
        if not _LIST_GAP.match(ctx.text[previous.end:other.start]) or other.admin or other.area or other.excluded:
            break
        previous = other
        resolved = _places.resolve(other, ctx.geocoder, ctx.doc_admin, ctx.cache)
        if resolved is None or resolved[0].name == (incident.location.name if incident.location else None):
            continue
        twin = replace(incident, location=resolved[0], geo_precision=resolved[1], location_text=other.name,
                       actors=list(incident.actors), people=list(incident.people), fatalities=None,
                       confidence=max(0.05, incident.confidence - 0.05))
        out.append(twin)
    return out


def _confidence(group: _Group, incident: Incident, own_date: bool) -> float:
    score = 0.35
    score += 0.2 if group.tier == 1 or group.forced else 0.05
    score += 0.1 if incident.actor1 and incident.actor1 != UAG else 0.05 if incident.actor1 else 0.0
    if incident.location is not None:
        score += 0.2 if (incident.geo_precision or 3) <= 2 else 0.1
    score += 0.1 if own_date else 0.0
    score -= 0.1 if group.subordinate else 0.0
    return max(0.05, min(0.95, score))


def _doc_admin(text: str, title: str | None) -> str | None:
    """The governorate the document is mostly about (first named in the title, else the most named)."""
    counts: dict[str, int] = {}
    for source in ((title or ""), text):
        for m in _places.PLACE_RE.finditer(source):
            unit = resolve_admin1(m.group(0))
            if unit is not None:
                counts[unit.name] = counts.get(unit.name, 0) + (3 if source is title else 1)
    return max(counts, key=counts.get) if counts else None


def run(doc: Document, geocoder=None) -> list[Incident]:
    """All incidents of ``doc``; the first is its main event."""
    if doc.published is None:
        from geo.errors import InputError
        raise InputError("no publication date: pass --published or give the document a date", file=doc.id)
    text = normalise(doc.text)
    ctx = _Context(doc, text, doc.published, geocoder, _doc_admin(text, doc.title))
    incidents: list[Incident] = []
    for sentence in split_sentences(text):
        if sentence.heading:
            continue
        found = _incidents_in_sentence(ctx, sentence, incidents)
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
            loc = _places.resolve(_places.Toponym(ctx.doc_admin, 0, 0, [(ctx.doc_admin, 3)], admin=True),
                                  ctx.geocoder, None, ctx.cache)
            if loc is not None:
                inc.location, inc.geo_precision = loc[0], 3
                inc.location_text = ctx.doc_admin
                inc.confidence = max(0.05, inc.confidence - 0.15)
    return _main_first(incidents, doc.title)


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
