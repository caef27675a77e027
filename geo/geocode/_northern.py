"""Kurdish and Turkish forms of northern Syrian towns: a reading of Kurmanji/Turkish Latin letters, and the
Kurdish names of a few well-known towns that no gazetteer source we ship spells (general knowledge: the names
used by the local administrations and by Kurdish and Turkish media)."""

from __future__ import annotations

import re

from geo.geocode._normalize import name_key, sound_key

# Kurmanji / Turkish letters that English-style transliteration writes otherwise ("Cindirês" = "Jindires")
_LETTERS = {"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "c": "j", "C": "J", "x": "kh", "X": "Kh", "ğ": "gh",
            "ı": "i", "ê": "e", "Ê": "E", "î": "i", "Î": "I", "û": "u", "Û": "U"}
_MARKERS = re.compile("[şŞçÇğıêÊîÎûÛ]")

# Kurdish name -> (a name key of the town's usual name, its governorate)
KURDISH_NAMES: dict[str, tuple[str, str]] = {
    "Kobani": ("aynarab", "SY-HL"), "Kobanî": ("aynarab", "SY-HL"), "Kobanê": ("aynarab", "SY-HL"),
    "Tel Koçer": ("yarubiyah", "SY-HA"), "Til Koçer": ("yarubiyah", "SY-HA"), "Tal Kocher": ("yarubiyah", "SY-HA"),
    "Reco": ("raju", "SY-HL"),
    "Mabeta": ("maabatli", "SY-HL"),
    "Şiyê": ("shaykhhadid", "SY-HL"),
    "Bilbilê": ("bulbul", "SY-HL"),
    "Şedadê": ("shaddadah", "SY-HA"),
}


def kurmanji_reading(text: str) -> str | None:
    """``text`` with Kurmanji/Turkish letters written the English way ("Cindirês" → "Jindires"), when it has
    any of the letters only those alphabets use (ş ç ğ ı ê î û); None otherwise."""
    if not _MARKERS.search(text):
        return None
    return "".join(_LETTERS.get(char, char) for char in text)


def add_kurdish_names(places, k1: dict[str, list[int]], k2: dict[str, list[int]], prominence) -> None:
    """Point each name of :data:`KURDISH_NAMES` (and its Kurmanji reading) at its town, the most prominent place
    with that name key in that governorate; the name then means only that town."""
    for kurdish, (key, iso) in KURDISH_NAMES.items():
        pids = [pid for pid in k1.get(key, ()) if places[pid].admin1_iso == iso]
        if not pids:
            continue
        pid = max(pids, key=lambda p: prominence(places[p], None))
        reading = kurmanji_reading(kurdish) or kurdish
        for name in {kurdish, reading}:
            k1[name_key(name)] = [pid]
        sounds = k2.setdefault(sound_key(reading), [])  # not the letters folded ("Şiyê" is not "Siye")
        if pid not in sounds:
            sounds.append(pid)
