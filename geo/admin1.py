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
    return re.sub(r"^(al|as|ar|ad|ash|el|an|at|az) ", "", text)


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


def resolve_admin1(name: str | None) -> Admin1 | None:
    """The governorate named ``name`` in any known spelling or by ISO code, or None."""
    if not name or not str(name).strip():
        return None
    return _index().get(_key(str(name)))


def by_geonames_code(country: str, code: str) -> Admin1 | None:
    """The governorate with GeoNames admin1 ``code`` in ``country`` (e.g. SY, 06 → Daraa)."""
    return next((u for u in all_admin1() if u.country == country and u.geonames_code == code), None)
