"""What one sentence names, read with the rules of its language: event triggers, people, actors, places, dates.

English and Arabic sentences give the same records (:class:`~geo.extract._events.Trigger`,
:class:`~geo.extract._actors.ActorMention`, :class:`~geo.extract._places.Toponym`,
:class:`~geo.extract._dates.DateSpan`), so everything after this step is shared by both languages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.extract import _actors, _arabic, _arabic_places, _dates, _groups, _places, _roles
from geo.extract._actors import ActorMention, Person
from geo.extract._groups import Group
from geo.extract._places import Toponym
from geo.extract._text import Sentence


@dataclass
class Reading:
    """The raw material of one sentence."""

    arabic: bool
    groups: list[Group]
    people: list[Person]
    mentions: list[ActorMention]
    toponyms: list[Toponym]
    dates: list[_dates.DateSpan]


def read_sentence(sentence: Sentence, text: str, published: dt.date, masked: list[tuple[int, int]]) -> Reading | None:
    """The sentence's triggers, people, actors, places and dates; None when it names no event."""
    base = sentence.start
    if _arabic.is_arabic(sentence.text):
        groups = _groups.find_groups(sentence, text, _arabic.find_triggers(sentence.text, base))
        if not groups:
            return None
        mentions = _arabic_places.find_actors(sentence.text, base)
        toponyms = _arabic_places.find_toponyms(sentence.text, base, masked + [(m.start, m.end) for m in mentions])
        return Reading(True, groups, [], mentions, toponyms, _arabic.find_dates(sentence.text, published, base))
    groups = _groups.find_groups(sentence, text)
    if not groups:
        return None
    people = _actors.find_people(sentence.text, base)
    spans = [(p.start, p.end) for p in people]
    mentions = [m for m in _actors.find_actors(sentence.text, base)
                if not any(m.start < pe and ps < m.end for ps, pe in spans)]
    mentions = _roles.merge_adjacent(mentions, sentence.text, base)
    toponyms = _places.find_toponyms(sentence.text, base, spans + masked + [
        (m.start, m.end) for m in mentions if "prison" not in m.text.lower()])
    return Reading(False, groups, people, mentions, toponyms, _dates.find_dates(sentence.text, published, base))
