"""What one sentence names, read with the rules of its language: event triggers, people, actors, places, dates.

English and Arabic sentences give the same records (:class:`~geo.extract._events.Trigger`,
:class:`~geo.extract._actors.ActorMention`, :class:`~geo.extract._places.Toponym`,
:class:`~geo.extract._dates.DateSpan`), so everything after this step is shared by both languages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from geo.extract import (
    _actors,
    _arabic,
    _arabic_places,
    _dates,
    _groups,
    _places,
    _roles,
)
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


_MARKS = re.compile(r"[\u064B-\u0652\u0670\u0640]")


def _read_arabic(sentence: Sentence, text: str, published: dt.date, masked: list[tuple[int, int]]) -> Reading | None:
    """Arabic rules read the sentence without its vowel marks and tatweel; spans are mapped back to the text."""
    keep = [i for i, ch in enumerate(sentence.text) if not _MARKS.match(ch)]
    clean = "".join(sentence.text[i] for i in keep)
    base = sentence.start

    def at(pos: int) -> int:
        return base + (keep[pos] if pos < len(keep) else len(sentence.text))

    def back(start: int, end: int) -> tuple[int, int]:
        return at(start), at(end - 1) + 1 if end > start else at(start)

    triggers = [replace(t, start=back(t.start, t.end)[0], end=back(t.start, t.end)[1])
                for t in _arabic.find_triggers(clean)]
    groups = _groups.find_groups(sentence, text, triggers)
    if not groups:
        return None
    raw_mentions = _arabic_places.find_actors(clean)
    mentions = [replace(m, start=back(m.start, m.end)[0], end=back(m.start, m.end)[1]) for m in raw_mentions]
    local_masked = []
    inside = [(s, e) for s, e in masked if sentence.start <= s < sentence.end]
    if inside:
        inverse = {keep[i]: i for i in range(len(keep))}
        local_masked = [(inverse.get(s - base, 0), inverse.get(e - base - 1, len(clean) - 1) + 1) for s, e in inside]
    toponyms = _arabic_places.find_toponyms(clean, 0, local_masked + [(m.start, m.end) for m in raw_mentions])
    for top in toponyms:
        top.start, top.end = back(top.start, top.end)
    dates = [replace(d, span=back(*d.span)) for d in _arabic.find_dates(clean, published)]
    return Reading(True, groups, [], mentions, toponyms, dates)


def sentence_dates(sentence: Sentence, published: dt.date) -> list[_dates.DateSpan]:
    """The dates a sentence names, read in its language (spans in document offsets)."""
    if _arabic.is_arabic(sentence.text):
        return _arabic.find_dates(_MARKS.sub("", sentence.text), published)  # spans unused by the caller
    return _dates.find_dates(sentence.text, published, sentence.start)


def read_sentence(sentence: Sentence, text: str, published: dt.date, masked: list[tuple[int, int]]) -> Reading | None:
    """The sentence's triggers, people, actors, places and dates; None when it names no event."""
    base = sentence.start
    if _arabic.is_arabic(sentence.text):
        return _read_arabic(sentence, text, published, masked)
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


def sentence_places(sentence: Sentence, masked: list[tuple[int, int]]) -> list[Toponym]:
    """The places an English sentence names (people and actors masked as in :func:`read_sentence`), read even
    when it tells no event: "Troops raided the town of X. Twelve men were detained." puts the arrests in X."""
    if _arabic.is_arabic(sentence.text):
        return []
    base = sentence.start
    people = _actors.find_people(sentence.text, base)
    spans = [(p.start, p.end) for p in people]
    mentions = [m for m in _actors.find_actors(sentence.text, base)
                if not any(m.start < pe and ps < m.end for ps, pe in spans)]
    return _places.find_toponyms(sentence.text, base, spans + masked + [
        (m.start, m.end) for m in _roles.merge_adjacent(mentions, sentence.text, base) if "prison" not in m.text.lower()])
