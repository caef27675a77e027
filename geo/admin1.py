"""Canonical first-level divisions (governorates) and their many spellings, from ``data/admin1.csv``."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from geo.paths import DATA_DIR


@dataclass(frozen=True)
class Admin1:
    """A governorate: ISO 3166-2 code, canonical English name, GeoNames admin1 code, aliases."""

    country: str
    iso: str
    name: str
    geonames_code: str
    aliases: tuple[str, ...]


def _key(text: str) -> str:
    """Loose comparison key: no accents, apostrophes, articles or punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['`’‘ʿʾ]", "", text)
    text = re.sub(r"\b(governorate|province|muhafazat)\b", " ", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    # the article in any of its forms and places: "Deir e-Zor", "Deir al-Zor", "Dayr az Zawr"
    text = re.sub(r"(?:^| )(?:al|as|ar|ad|ash|el|an|at|az|e|ed|es|ez|er|en)(?= )", "", text).strip()
    return text


def _skeleton(key: str) -> str:
    """The consonants of a key, doubled letters once ("deir zour" and "dayr zawr": "drzr")."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw\s]", "", key))


@lru_cache(maxsize=1)
def all_admin1() -> tuple[Admin1, ...]:
    """Every governorate in the table."""
    with open(DATA_DIR / "admin1.csv", encoding="utf-8", newline="") as handle:
        return tuple(
            Admin1(row["country"], row["admin1_iso"], row["admin1"], row["geonames_code"],
                   tuple(a for a in row["aliases"].split("|") if a))
            for row in csv.DictReader(handle)
        )


@lru_cache(maxsize=1)
def _index() -> dict[str, Admin1]:
    index: dict[str, Admin1] = {}
    for unit in all_admin1():
        for spelling in (unit.iso, unit.name, *unit.aliases):
            index.setdefault(_key(spelling), unit)
    return index


@lru_cache(maxsize=1)
def _skeleton_index() -> dict[str, Admin1]:
    """Skeletons long enough (4+ consonants) to name one governorate only; shorter ones ("hm") are words too."""
    index: dict[str, Admin1 | None] = {}
    for unit in all_admin1():
        for spelling in (unit.name, *unit.aliases):
            bones = _skeleton(_key(spelling))
            if len(bones) >= 4 and bones.isascii():
                index[bones] = unit if index.get(bones, unit) == unit else None
    return {k: v for k, v in index.items() if v is not None}


def resolve_admin1(name: str | None) -> Admin1 | None:
    """The governorate named ``name`` in any known spelling or by ISO code, or None. A spelling not in the table
    matches when its consonants are those of one governorate's name ("Deir al-Zor", "Hassakah")."""
    if not name or not str(name).strip():
        return None
    key = _key(str(name))
    found = _index().get(key)
    if found is None and key.isascii():
        found = _skeleton_index().get(_skeleton(key))
    return found


def by_geonames_code(country: str, code: str) -> Admin1 | None:
    """The governorate with GeoNames admin1 ``code`` in ``country`` (e.g. SY, 06 → Daraa)."""
    return next((u for u in all_admin1() if u.country == country and u.geonames_code == code), None)
