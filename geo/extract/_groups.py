"""Trigger groups of one sentence: triggers naming the same event are one group; the main event comes first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract import _events
from geo.extract._text import Sentence

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
    "abduct": {"kill", "arrest", "meeting"},
    "arrest": {"kill", "security", "abduct", "meeting"},
    "sexual": {"kill", "abduct"},
    "protest": {"kill", "arrest", "riot", "security", "meeting", "recruit", "release", "abduct", "loot", "base", "clash",
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

@dataclass
class Group:
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



_SEPARATE = re.compile(r"\b(?:in addition to|as well as|besides|meanwhile|while|whereas|also|then|later|"
                       r"afterwards|subsequently)\b|;", re.I)


def find_groups(sentence: Sentence, text: str, triggers: list[_events.Trigger] | None = None) -> list[Group]:
    if triggers is None:
        triggers = _events.find_triggers(sentence.text, sentence.start)
    tag_cls, tag_len = _events.prefix_tag(sentence.text)
    triggers = [t for t in triggers if t.start >= sentence.start + tag_len]
    groups: list[Group] = []
    for trig in triggers:
        same = next((g for g in groups if g.cls == trig.cls and not g.subordinate and not trig.subordinate), None)
        if same is None:
            same = next((g for g in groups if g.cls == trig.cls and g.subordinate == trig.subordinate), None)
        if same is not None:
            same.triggers.append(trig)
            same.triggers.sort(key=lambda t: t.start)
            continue
        groups.append(Group(trig.cls, [trig], trig.subordinate, trig.definite))
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
            groups.insert(0, Group(tag_cls, [tag_trigger], forced=True, tag_only=True))
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

