"""Who did what to whom in a trigger group, and the ACLED type, sub-type and actor names that follow."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo import taxonomy
from geo.extract import _events
from geo.extract._actors import ActorEntry, ActorMention
from geo.extract._groups import Group

UAG = "Unidentified Armed Group (Syria)"
CIVILIANS = "Civilians (Syria)"
PROTESTERS = "Protesters (Syria)"
RIOTERS = "Rioters (Syria)"

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
_VIOLENCE = re.compile(r"\b(?:clash\w*|fight\w*|battl\w*|attack\w*|shell\w*|strikes?|kill\w*|storm\w*|assault\w*|"
                       r"offensive|bombard\w*)\b", re.I)
_PLACE_OBJECT = re.compile(r"^\s*(?:control of\s+)?(?:the\s+)?(?:town|city|village|villages|hill|area|neighbou?rhood|"
                           r"district|base|airport)\b", re.I)



def merge_adjacent(mentions: list[ActorMention], text: str, base: int) -> list[ActorMention]:
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
class Roles:
    """Who did what to whom in one trigger group."""

    actor1: ActorMention | None
    actor2: ActorMention | None
    assoc1: list[ActorMention]
    victims: list[ActorMention]


def assign_roles(group: Group, mentions: list[ActorMention], text: str, base: int, cls: str) -> Roles:
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
        return Roles(actor1, actor2, assoc1, [])
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
        return Roles(actor1, actor2, assoc1, victims)
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
    return Roles(actor1, actor2, assoc1, victim_pool)


def _syrian_state(entry: ActorEntry) -> bool:
    return entry.country == "SY" and entry.actor_type == "state forces"


def _victim_is_armed(roles: Roles, scope_after: str, base: int = -1) -> bool | None:
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



def classify(group: Group, roles: Roles, scope: str, after: str, scope_start: int) -> tuple[str, str, str]:
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
    if cls == "territory" and re.match(r"(?:established|establishes|assumed|imposed|advanc)", group.head.text, re.I) \
            and not _VIOLENCE.search(scope):
        cls = "transfer"  # "the army established full control over the city", "troops advanced into X": no fighting
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


def final_actors(cls_kind: tuple[str, str, str], roles: Roles) -> tuple[str | None, str | None, list[str], list[str]]:
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

