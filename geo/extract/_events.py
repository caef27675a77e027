"""Event triggers: words that say something happened, mapped to ACLED sub-event types and map kinds.

A trigger has a *class* (what kind of happening the words describe) and a *tier*: tier 1 words name
the kind of event precisely (air raid, IED, clash, protest, meeting ...); tier 2 words are generic
violence (shot, killed, attacked, targeted) whose ACLED type depends on the victim, decided later.
Cues before a trigger mark it as not having happened (called for, planned, threatened, denied ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# class -> (event_type, sub_event_type, kind) before refinement by actors and victims.
CLASSES: dict[str, tuple[str, str, str]] = {
    "suicide": ("Explosions/Remote violence", "Suicide bomb", "suicide bomb"),
    "chemical": ("Explosions/Remote violence", "Chemical weapon", "chemical attack"),
    "air": ("Explosions/Remote violence", "Air/drone strike", "air strike"),
    "ied": ("Explosions/Remote violence", "Remote explosive/landmine/IED", "explosion"),
    "shell": ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling"),
    "grenade": ("Explosions/Remote violence", "Grenade", "grenade"),
    "clash": ("Battles", "Armed clash", "clash"),
    "territory": ("Battles", "Government regains territory", "territory change"),
    "sexual": ("Violence against civilians", "Sexual violence", "sexual violence"),
    "abduct": ("Violence against civilians", "Abduction/forced disappearance", "abduction"),
    "arrest": ("Strategic developments", "Arrests", "arrest"),
    "protest": ("Protests", "Peaceful protest", "protest"),
    "riot": ("Riots", "Mob violence", "riot"),
    "disrupt": ("Strategic developments", "Disrupted weapons use", "weapons seized"),
    "loot": ("Strategic developments", "Looting/property destruction", "looting"),
    "transfer": ("Strategic developments", "Non-violent transfer of territory", "territory change"),
    "base": ("Strategic developments", "Headquarters or base established", "base"),
    "security": ("Strategic developments", "Change to group/activity", "security measures"),
    "patrol": ("Strategic developments", "Change to group/activity", "patrol"),
    "reinforce": ("Strategic developments", "Change to group/activity", "reinforcement"),
    "withdraw": ("Strategic developments", "Change to group/activity", "withdrawal"),
    "meeting": ("Strategic developments", "Other", "meeting"),
    "agreement": ("Strategic developments", "Agreement", "agreement"),
    "prevent": ("Strategic developments", "Other", "other"),
    "release": ("Strategic developments", "Other", "release"),
    "recruit": ("Strategic developments", "Change to group/activity", "recruitment"),
    "kill": ("Violence against civilians", "Attack", "attack"),
}

_AIRCRAFT = r"(?:war ?planes?|fighter jets?|jets?|aircraft|helicopters?|choppers?|drones?|UAVs?|air force|planes?)"
_STRIKE_VERB = (r"(?:targeted|targeting|struck|striking|hit|hitting|bombed|bombing|raided|raiding|pounded|"
                r"carried out|launched|conducted|dropped|dropping|fired|attacked|shelled)")

_RULES: list[tuple[str, int, str]] = [
    ("clash", 1, r"shelling exchanges?|exchanges? of shelling|mutual shelling"),
    ("suicide", 1, r"suicide (?:car )?(?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vest|belt)|blew (?:him|her)self up|"
                   r"self-detonat\w*"),
    ("chemical", 1, r"chemical (?:attack|weapons?|munitions?)|chlorine (?:gas|attack|barrel)|sarin|toxic gas"),
    ("air", 1, r"air ?strikes?|air[- ]raids?|aerial (?:bombardment|attacks?|strikes?|bombing)|barrel bombs?|"
               r"drone (?:strikes?|attacks?)|airstrikes?|air bombardment|bombing raids?|"
               r"(?<!hunger )(?<!general )(?<!workers' )(?<!a )strikes(?! by (?:workers|employees|shop))"),
    ("air", 1, _AIRCRAFT + r"(?:\s+[\w-]+){0,12}?\s+" + _STRIKE_VERB),
    ("air", 1, r"(?:drones?|UAVs?|war ?planes?|fighter jets?|helicopters?)(?:\s+[\w-]+){0,6}?\s+(?:killed|killing|destroyed)"),
    ("air", 1, r"(?:raids?|strikes?|bombardment)\s+(?:carried out |launched )?by\s+(?:[\w'-]+\s+){0,2}"
               + _AIRCRAFT),
    ("ied", 1, r"IEDs?|improvised explosive(?: devices?)?|(?:land ?)?mines?(?! (?:field|workers))|landmines?|"
               r"car bombs?|vehicle-borne|VBIEDs?|explosive devices?|booby[- ]trapped|unexploded|"
               r"motorcycle bombs?|sticky bombs?|explosive belt|remnants of war|bomb (?:exploded|went off|blast)|"
               r"exploded|explosions?|detonated|blasts?|went off"),
    ("ied", 1, r"bombings?(?! raids?)(?= of| in| at| on| near| targeting| that| which| was| were|[,.])"),
    ("shell", 1, r"shelled|shelling|shells|artillery|rocket(?:s| fire| attacks?| launchers?)|rocket-propelled|"
                 r"missiles?|mortars?|ATGMs?|anti-tank|RPGs?|Grad|bombarded|bombardment|surface-to-surface|"
                 r"heavy weapons fire"),
    ("grenade", 1, r"(?:hand )?grenades?"),
    ("clash", 1, r"clash(?:es|ed|ing)?|fighting|fought|battles?|firefights?|gunfights?|skirmish(?:es|ed)?|"
                 r"exchange(?:d)? (?:of )?(?:fire|gunfire)|exchanged fire|shelling exchange|confrontations?|"
                 r"ambush(?:ed)?|engaged in"),
    ("territory", 1, r"(?:took|take|taken|seized|gained|regained|retook|retaken|recaptured|lost|established|establishes|"
                     r"assumed|imposed) (?:full |complete |total )?control|"
                     r"(?:the )?(?:capture|seizure) of (?:the )?(?:(?:town|village|city|hill|district|neighbou?rhood|"
                     r"area|airport|base|citadel)\b|(?-i:[A-Z]))|"
                     r"(?:advanced|advance) (?:into|on|towards)|took over|overran|recaptured|retook"),
    ("sexual", 1, r"raped|rape|sexual(?:ly)? (?:assault(?:ed)?|violence|abuse[d]?)"),
    ("abduct", 1, r"kidnapp(?:ed|ing)|kidnaps?|abduct(?:ed|ion|ing|s)?|forcibly disappeared|forced disappearance"),
    ("arrest", 1, r"arrest(?:ed|s|ing)?|detain(?:ed|ing|s)?|detention campaign|rounded up|raid and arrest"),
    ("protest", 1, r"protest(?:ed|s|ing|ers)?|demonstrat(?:ion|ions|ed|ing|ors)|rall(?:y|ies|ied)|sit-ins?|vigils?|"
                   r"(?:took|take|taken|taking|poured|pour|went)(?: [\w-]+){0,2}? (?:to|into|onto) the streets|"
                   r"marched|strikes? by (?:workers|shop owners)"),
    ("riot", 1, r"riot(?:ed|s|ing)?|mob|lynch(?:ed|ing)?"),
    ("disrupt", 1, r"defus(?:ed|ing)|dismantl(?:ed|ing)|(?:seized|confiscated) (?:a |an )?(?:weapons|ammunition|explosives|"
                   r"arms|cache)|weapons caches?|foiled|thwarted|controlled detonation"),
    ("loot", 1, r"loot(?:ed|ing|s)?|plunder(?:ed|ing)?|stole|stolen|steal(?:ing)?|royalties|extort(?:ed|ion)?|"
                r"(?:seized|confiscated) (?:an? )?(?:number of )?(?:[\w-]+ ){0,2}(?:tankers|crops|houses|homes|property|"
                r"properties|vehicles|land|shops|cars|trucks|livestock|sheep)|"
                r"(?:burned|burnt|demolished|bulldozed|destroyed|blew up|set fire to|torched) (?:[\w-]+ ){0,2}(?:houses|homes|"
                r"crops|fields|property|properties|shops|land|lands|farms|farmland|wheat|harvest|trees|olive trees|"
                r"buildings?|a house|a shop)"),
    ("transfer", 1, r"hand(?:ed|ing|s)? over (?:full )?(?:control|(?:the |several |their |its |a number of )?"
                    r"(?:positions?|towns?|villages?|areas?|checkpoints?|territory|points?|city|neighbou?rhoods?|"
                    r"hills?|bases?))|handover of (?:the )?(?:positions?|towns?|villages?|areas?|territory|city)|"
                    # fighters leaving under an evacuation deal
                    r"evacuat\w* (?:[\w'-]+ ){0,3}(?:rebels?|fighters|militants|gunmen|insurgents)|"
                    r"(?:rebels?|fighters|militants|insurgents) (?:[\w'-]+ ){0,3}(?:left|departed|were evacuated)|"
                    r"evacuations? (?:had |has |have )?resumed"),
    ("release", 1, r"released (?:\d+ |several |a number of |dozens of )?(?:detainees|prisoners|abductees|hostages|"
                   r"people|civilians|men|women)|prisoner release|release of (?:\d+ )?(?:detainees|prisoners)"),
    ("recruit", 1, r"recruitment campaign|recruit(?:ed|ing|s)? (?:\d+ |dozens of |young )?(?:men|fighters|"
                   r"children|youths?|members)|conscription campaign"),
    ("base", 1, r"(?:established|set up|setting up|built|building|erected|opened|installed|establishing) (?:an? )?"
                r"(?:new )?(?:military )?(?:base|bases|outposts?|posts?|headquarters|observation posts?|points?)|"
                r"new (?:military )?base"),
    ("security", 1, r"(?:set up|erected|established|setting up) (?:several |new )?checkpoints|sealed off|curfew|"
                    r"security (?:measures|posture|campaign|operation|alert)|combing|search campaign|"
                    r"security raid|anti-(?:IS|ISIS) raid|raids?"),
    ("patrol", 1, r"patrol(?:s|led|ling|ing)?"),
    ("reinforce", 1, r"reinforcements?|reinforced|deploy(?:ed|ment|s)?|redeploy(?:ed|ment)?|military (?:convoy|column)s?|"
                     r"convoys?|sent (?:troops|forces)|brought (?:in )?(?:troops|forces)|mobili[sz](?:ed|ation)|"
                     r"entered (?:the )?(?:Syrian territory|Syria)"),
    ("withdraw", 1, r"withdr(?:ew|awn|awal)|pulled out|evacuated (?:its|their) (?:base|positions|posts?)"),
    ("meeting", 1, r"meetings?|met with|met|meet|held talks|talks|summit|convened|negotiations|delegations? visited"),
    ("agreement", 1, r"(?:reached|signed|concluded|struck|brokered) (?:an? |the )?(?:[\w-]+ ){0,2}(?:agreement|deal|truce|"
                     r"ceasefire|cease-fire)|(?:agreement|deal|truce|ceasefire|cease-fire) (?:was |has been )?"
                     r"(?:reached|signed|concluded|agreed)|agreed (?:to|on) (?:an? |the )?(?:truce|ceasefire|"
                     r"cease-fire|deal|exchange)|prisoner (?:exchange|swap)|reconciliation (?:agreement|deal)"),
    ("prevent", 1, r"(?:prevented|blocked|stopped|turned back|intercepted|expelled|obstructed) (?:an? |the |their )?"
                   r"(?:[\w-]+ ){0,3}(?:patrols?|convoys?|columns?|delegations?)|denied entry|"
                   r"prevented (?:an? |the )?(?:[\w-]+ ){0,3}from (?:entering|passing|reaching|crossing)"),
    ("kill", 2, r"shot (?:and )?(?:killed|dead|wounded|injured)|shot|killed|killing|kills|assassinat(?:ed|ion|ing)|"
                r"executed|execution|opened fire|gunned down|stabbed|tortured|torture|beat(?:en)?|assaulted|"
                r"beheaded|slaughtered|strangled|"
                r"attacked|attacking|attacks?|targeted|targeting|found dead|found killed|bod(?:y|ies) (?:was|were) found|"
                r"captured|gunshots?|gunfire|small arms fire|sniper fire|sniped|snipers?|murdered|murder|injured|"
                r"wounded"),
]

TRIGGERS = [(cls, tier, re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w])", re.I)) for cls, tier, pattern in _RULES]

_NOT_HAPPENED = re.compile(
    r"\b(?:call(?:ed|s|ing)? for|urg(?:ed|es|ing)|demand(?:ed|s|ing)?|plan(?:s|ned|ning)?(?: to| for)?|"
    r"intend(?:s|ed)? to|aim(?:s|ed)? to|would|will|shall|(?-i:may)|might|could|should|can|"
    r"threat(?:en(?:ed|s|ing)?)?(?: to)?|warn(?:ed|s|ing)? (?:of|against|that)|den(?:y|ied|ies|ying)|"
    r"refus(?:ed|es|ing) to|reject(?:ed|s|ing)|did not|didn't|does not|has not|have not|had not|never|no|not|"
    r"unless|if|expected to|scheduled|propos(?:ed|es|al for)|prepar(?:ing|ed|es) (?:to|for)|seek(?:s|ing)? to|"
    r"in order to|to prevent|to discuss|in advance of|ahead of|fears? of|feared|rumou?rs? of|calls|possible|"
    r"potential|upcoming|future|any|whether|or not|in case of|previous|past|former|earlier|last year's)"
    r"\s+(?:[\w'-]+\s+){0,3}$", re.I)
# "to" right before a verb in its base form is an intention ("trying to steal", "arrived to meet"),
# unless the verb before says the action went ahead ("continued to loot").
_TO_INFINITIVE = re.compile(r"(?<!continued )(?<!continue )(?<!began )(?<!started )(?<!resumed )(?<!managed )"
                            r"(?<!went on )(?<!attempted )(?<!tried )(?<!trying )(?<!attempting )\bto\s+$", re.I)
_BASE_VERBS = {"attack", "meet", "loot", "steal", "arrest", "detain", "kidnap", "abduct", "shell", "bomb", "strike",
               "kill", "target", "capture", "establish", "deploy", "withdraw", "patrol", "protest", "demonstrate",
               "storm", "seize", "execute", "assassinate", "raid", "clash", "fight", "ambush", "hit", "take",
               "set", "open", "blow", "detonate", "hand", "reinforce", "bring", "send", "build", "sign", "reach"}
_MOTIVE = re.compile(r"\b(?:protest(?:ing|ed)?\s+(?:against\s+)?|denounc(?:ing|ed|e)\s+|condemn(?:ing|ed|s)?\s+|"
                     r"decry(?:ing)?\s+|rejecting\s+|demonstrat(?:ing|ed)\s+against\s+|rall(?:ying|ied)\s+against\s+)"
                     r"(?:the\s+|an?\s+)?(?:[\w'-]+\s+){0,3}$", re.I)
_HABITUAL = re.compile(r"\b(?:periodic|frequent|occasional|regular|recurrent|recurring|sporadic\s+and\s+periodic)\s+"
                       r"(?:[\w-]+\s+)?$", re.I)
# cheap gates: the regular expressions below only run when one of their words is near
_RECALLED_KEYS = ("repeat", "reminiscent", "recall", "anniversary", "memor", "echo", "similar")
_WEAPON_KEYS = ("includ", "hand", "surrender", "deliver", "possess", "equipped", "such as", "stockpile", "suppl",
                "shipment")
_MOTIVE_KEYS = ("protest", "denounc", "condemn", "decry", "reject", "demonstrat", "rall")
_RECALLED = re.compile(r"\b(?:(?:a\s+)?repeat\s+of|reminiscent\s+of|recall(?:ing|ed|s)?|anniversary\s+of|memor(?:y|ies)\s+of|"
                       r"echo(?:es|ing)?\s+of|similar\s+to)\s+(?:[\w'-]+\s+){0,8}$", re.I)
_WEAPON_LIST = re.compile(r"\b(?:includ(?:ed|ing|es|e)|hand(?:ed|ing|s)?\s+over|surrender(?:ed|ing|s)?|deliver(?:ed|ing|ies|y)(?:\s+of)?|"
                          r"possess(?:ed|ing|es)?|equipped\s+with|such\s+as|stockpiles?\s+of|suppl(?:y|ies|ied)\s+(?:of\s+)?|"
                          r"shipments?\s+of|handover\s+of)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_BACKGROUND_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:which|that)\s+(?:was|were|had been|has been|had)\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|its|their|his|her|said|same)\s+(?:[\w-]+\s+){0,2}$", re.I)
_SUBORDINATE = re.compile(r"\b(?:amid|amidst|following|after|during|in response to|in retaliation for|"
                          r"as a result of|before|accompanied by|overflight of|flight of)\b[^,;]*$",
                          re.I)
_SEEN_FLYING = re.compile(r"^[^.;]{0,40}\b(?:seen|spotted|flying|flew|flight|hovering|overflight|observed)\b|"
                          r"^\s*(?:reconnaissance|surveillance)", re.I)
_AS_TARGET = re.compile(r"\b(?:on|against|targeting|targeted|attacked|ambushed|struck|hit|shelled|"
                        r"intercepted|prevented|blocked|stopped|belong(?:s|ing|ed)? to)\b[^,;.]*$", re.I)
_RECON_BEFORE = re.compile(r"\b(?:reconnaissance|surveillance|spy)\s+$", re.I)

# ACLED coders start some notes with a tag naming the sub-event ("Looting: On 9 May ...").
PREFIX_TAGS: dict[str, str] = {
    "looting": "loot", "property destruction": "loot", "looting/property destruction": "loot",
    "movement of forces": "reinforce", "security measures": "security", "arrests": "arrest",
    "other": "prevent", "detonation": "disrupt", "weapons seizure": "disrupt", "disrupted weapons use": "disrupt",
    "headquarters or base established": "base", "agreement": "agreement",
    "non-violent transfer of territory": "transfer", "change to group/activity": "security",
    "non-violent activity": "security", "meeting": "meeting",
}
_PREFIX = re.compile(r"^\s*(?P<tag>[A-Z][A-Za-z /-]{2,40}):\s+")


@dataclass(frozen=True)
class Trigger:
    """A phrase saying that an event of class ``cls`` happened, where it is, and how it is framed."""

    cls: str
    tier: int
    start: int
    end: int
    text: str
    subordinate: bool = False
    definite: bool = False


def prefix_tag(text: str) -> tuple[str | None, int]:
    """The ACLED note tag at the start of ``text`` as a trigger class, and the tag's length (0 if none)."""
    m = _PREFIX.match(text)
    if not m:
        return None, 0
    cls = PREFIX_TAGS.get(m.group("tag").strip().lower())
    return (cls, m.end()) if cls else (None, 0)


def _happened(text: str, start: int, end: int, cls: str) -> bool:
    before = text[max(0, start - 60):start]
    clause = re.split(r"[;:]|,\s*(?:but|while|and)\b|\bbut\b", before)[-1]
    if _NOT_HAPPENED.search(clause):
        return False
    if _HABITUAL.search(text[max(0, start - 40):start]):
        return False  # "periodic clashes", "frequent shelling": a pattern over time, not one event
    window = text[max(0, start - 90):start]
    low = window.lower()
    if any(k in low for k in _RECALLED_KEYS) and _RECALLED.search(window):
        return False  # "feared a repeat of the battering that killed hundreds": an earlier event recalled
    if cls in ("shell", "air") and any(k in low for k in _WEAPON_KEYS) and _WEAPON_LIST.search(clause):
        return False  # "it included artillery and machine guns": weapons named, not fired
    if cls not in ("protest", "riot") and any(k in low for k in _MOTIVE_KEYS) and _MOTIVE.search(clause):
        return False  # "protesting persistent Israeli strikes": what a protest is about, not a new event
    if _TO_INFINITIVE.search(clause) and text[start:end].split()[0].lower() in _BASE_VERBS:
        return False
    if cls in ("meeting", "agreement", "base", "reinforce") and _BACKGROUND_AFTER.match(text[end:end + 40]):
        return False
    if cls == "air" and _RECON_BEFORE.search(text[max(0, start - 30):start]):
        return False
    if cls == "protest" and re.search(r"\bin\s+$", before) and re.match(r"\s+(?:against|at|over|of|to)\b", text[end:]):
        return False  # "attacked ... in protest against the dismissal": a motive, not a protest
    return True


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    """Triggers in one sentence, non-overlapping (earlier rules win ties), in text order; skips non-events."""
    found: list[Trigger] = []
    for cls, tier, pattern in TRIGGERS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < t.end - offset and t.start - offset < e for t in found):
                continue
            if cls == "air" and m.group(0).split()[0].lower().startswith(("drone", "jet", "plane", "heli", "air", "war")):
                tail = m.group(0)
                if _SEEN_FLYING.search(tail) and not re.search(r"air ?strike|raid", tail, re.I):
                    continue
            if cls == "ied" and m.group(0).lower() in ("mine", "mines") and not re.search(
                    r"\b(?:exploded|detonated|went off|blast|planted)\b", text, re.I):
                continue
            if not _happened(text, s, e, cls):
                continue
            if cls == "arrest" and re.match(r"\s+(?:in|at|inside)\b", text[e:]) and not re.search(
                    r"\b(?:was|were|been|and|who|had|have|has|,)\s*$", text[max(0, s - 12):s], re.I):
                continue  # "fighters detained in the prison": a state, not an arrest
            if cls in ("patrol", "reinforce", "base", "security", "meeting") and _AS_TARGET.search(
                    text[max(0, s - 50):s]):
                continue  # "opened fire on a patrol": the patrol is the target, not the event
            before = text[max(0, s - 80):s]
            subordinate = bool(_SUBORDINATE.search(before))
            definite = bool(_DEFINITE.search(text[max(0, s - 30):s])) and tier == 1 and m.group(0)[0].islower() \
                and not m.group(0).lower().endswith("ed")
            found.append(Trigger(cls, tier, offset + s, offset + e, m.group(0), subordinate, definite))
    found.sort(key=lambda t: t.start)
    return found
