"""Actor mentions, normalised through ``data/actors.csv``, and named people with their unit.

The table has one row per canonical actor (ACLED style) or sub-unit: ``canonical, unit, actor_type,
country, aliases``. Aliases are ``|``-separated phrases matched on word boundaries, case-insensitively
except all-capital acronyms ("IS", "OPS"), which must match exactly. ``{force}`` stands for the usual
force nouns ("Russian {force}" covers Russian forces, army, officers, warplanes ...). An alias starting
with ``re:`` is a regular expression.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.paths import DATA_DIR

ACTORS_CSV = DATA_DIR / "actors.csv"
FORCE_NOUNS = (
    "forces|force|army|armed forces|troops|soldiers|soldier|officers|officer|military|warplanes|warplane|"
    "fighter jets|jets|jet|aircraft|air force|air forces|drones|drone|helicopters|helicopter|navy|"
    "artillery|airstrikes|air strikes|air strike|airstrike|strikes|strike|missiles|missile|rockets|shelling|"
    "units|patrols|patrol|convoys|convoy|military column|column|fighters|positions|position|bases|base|"
    "observation posts|observation post|outposts|posts|checkpoints|checkpoint|personnel|side|authorities|"
    "intelligence|tanks|border guards|commanders|commander|delegation|officials|military police|"
    "reconnaissance drones|air defenses|air defences|special forces|militias|militia|counterparts|gunfire|"
    "sniper fire|snipers|sniper|fire|gunboats|gendarmes|guards|raids|air raids|bombardment"
)


@dataclass(frozen=True)
class ActorEntry:
    """A row of the actor table."""

    canonical: str
    unit: str
    actor_type: str
    country: str

    @property
    def name(self) -> str:
        """ACLED-style name: the canonical actor, followed by the sub-unit when there is one."""
        return f"{self.canonical} {self.unit}" if self.unit else self.canonical

    @property
    def armed(self) -> bool:
        """True for actors that fight (not civilians, protesters or rioters)."""
        return self.actor_type not in ("civilians", "protesters", "rioters")

    @property
    def state(self) -> bool:
        """True for state forces (military, police) of any country."""
        return self.actor_type in ("state forces", "external/other") and "Coalition" not in self.canonical


@dataclass(frozen=True)
class ActorMention:
    """An actor named in the text."""

    entry: ActorEntry
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Person:
    """A named person: rank/title, name, role and unit, and the actor they belong to (if known)."""

    name: str
    title: str
    role: str
    actor: str | None
    start: int
    end: int

    def to_json(self) -> dict:
        """Plain dict for JSON output."""
        return {"name": self.name, "title": self.title, "role": self.role, "actor": self.actor}


# Longest nouns first, and never the first word of a unit's name ("military" of "Military Intelligence").
_FORCE_RE = "|".join(
    re.escape(n).replace(r"\ ", r"\s+") + (r"(?!\s+(?:intelligence|police|security))" if n in ("military", "air force")
                                          else "")
    for n in sorted(set(FORCE_NOUNS.split("|")), key=len, reverse=True))


def _alias_regex(alias: str) -> str:
    if alias.startswith("re:"):
        return alias[3:]
    parts = [re.escape(p) for p in alias.split("{force}")]
    body = ("(?:" + _FORCE_RE + ")").join(parts)
    body = body.replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    return body


def _is_acronym(alias: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,5}s?", alias))


@lru_cache(maxsize=4)
def load_actor_table(path: str | Path = ACTORS_CSV) -> tuple[tuple[ActorEntry, str], ...]:
    """The actor table as (entry, alias) pairs, longest aliases first."""
    rows: list[tuple[ActorEntry, str]] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = ActorEntry(row["canonical"].strip(), (row.get("unit") or "").strip(),
                               row["actor_type"].strip(), row["country"].strip())
            for alias in row["aliases"].split("|"):
                if alias.strip():
                    rows.append((entry, alias.strip()))
    rows.sort(key=lambda pair: -len(pair[1]))
    return tuple(rows)


def _first_word(alias: str) -> str:
    """Lower-cased first word of an alias (for a regular expression: its leading literal letters)."""
    if alias.startswith("re:"):
        lead = re.match(r"[A-Za-z]+", alias[3:])
        return lead.group(0).lower() if lead else ""
    return re.split(r"[\s-]+", alias.strip())[0].lower()


@lru_cache(maxsize=4)
def _matchers(path: str | Path = ACTORS_CSV):
    """Two alternations (case-insensitive phrases, case-sensitive acronyms) with one group per alias, and the
    first words aliases can start with (so the alternations are only tried where a mention can begin)."""
    entries: list[ActorEntry] = []
    loose: list[str] = []
    strict: list[str] = []
    firsts: set[str] = set()
    for entry, alias in load_actor_table(path):
        group = f"(?P<a{len(entries)}>{_alias_regex(alias)})"
        (strict if _is_acronym(alias) else loose).append(group)
        entries.append(entry)
        firsts.add(_first_word(alias))
    boundary = r"(?<![\w'-])(?:{})(?![\w-])"
    return (re.compile(boundary.format("|".join(loose)), re.I),
            re.compile(boundary.format("|".join(strict))), entries, frozenset(firsts))


_WORD = re.compile(r"(?<![\w'])[^\W_][\w'.]*")


def find_actors(text: str, offset: int = 0) -> list[ActorMention]:
    """Actor mentions in ``text``, longest match first, non-overlapping, in text order."""
    loose, strict, entries, firsts = _matchers()
    found: list[ActorMention] = []
    last_end = 0
    for word in _WORD.finditer(text):
        pos = word.start()
        if pos < last_end:
            continue
        key = word.group(0).lower()
        if key not in firsts and key.rstrip(".") not in firsts and key.split("'")[0] not in firsts:
            continue
        for pattern in (loose, strict):
            m = pattern.match(text, pos)
            if m and m.lastgroup:
                found.append(ActorMention(entries[int(m.lastgroup[1:])], offset + pos, offset + m.end(), m.group(0)))
                last_end = m.end()
                break
    # "Turkish and Russian forces": the first adjective shares the noun of the second.
    for m in _COORDINATED.finditer(text):
        s, e = m.span("first")
        if any(s < f.end - offset and f.start - offset < e for f in found):
            continue
        probe = f"{m.group('first')} {m.group('noun')}"
        for pattern in (loose, strict):
            hit = pattern.fullmatch(probe)
            if hit and hit.lastgroup:
                found.append(ActorMention(entries[int(hit.lastgroup[1:])], offset + s, offset + e, m.group("first")))
                break
    found.sort(key=lambda a: a.start)
    return found


_COORDINATED = re.compile(r"\b(?P<first>[A-Z][a-z]+|US|U\.S\.)\s+and\s+(?:[A-Z][a-z]+|US)\s+"
                          r"(?P<noun>forces|troops|soldiers|officers|patrols?|warplanes|jets|military|army|drones)\b")
_RANK = (r"(?:Maj\.?\s+Gen\.|Brig\.?\s+Gen\.|Lt\.?\s+Gen\.|Lt\.?\s+Col\.|Gen\.|Col\.|Lt\.|Maj\.|Capt\.|Brig\.|"
         r"Sgt\.|General|Colonel|Brigadier|Major|Captain|Lieutenant|Sheikh|Commander|Dr\.)")
_NAME = r"(?:[A-Z][\w'-]+|al|el|bin|ibn|abu|Abu|Al)(?:\s+(?:[A-Z][\w'-]+|al-[A-Z][\w'-]+|al|el|bin|ibn|abu))*"
_PERSON = re.compile(r"\b(?P<title>" + _RANK + r")\s+(?P<name>" + _NAME + r")"
                     r"(?:,\s*(?P<role>(?:the\s+)?(?:commander|head|chief|leader|director|deputy|officer|member|"
                     r"spokesman|official)\b[^,;]*))?")


_PLACE_SLOT = re.compile(r"\b(?:in|near|at|of|from|to|into|outside|around)\s+(?:the\s+)?$", re.I)


def find_people(text: str, offset: int = 0) -> list[Person]:
    """Named people with a rank or title ("Gen. X, commander of the Fourth Division")."""
    people: list[Person] = []
    for m in _PERSON.finditer(text):
        if m.group("title") in ("Sheikh", "Commander") and _PLACE_SLOT.search(text[max(0, m.start() - 30):m.start()]):
            continue  # "the village of Sheikh Maskin" is a place, not a person
        role = (m.group("role") or "").strip().rstrip(".")
        unit = find_actors(role) if role else []
        actor = unit[0].entry.name if unit else None
        people.append(Person(m.group("name").strip(), m.group("title").strip(), role, actor,
                             offset + m.start(), offset + m.end()))
    return people
