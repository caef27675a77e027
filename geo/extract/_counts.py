"""Numbers in text: how many strikes/shells ("more than 20 air raids" -> 20) and how many were killed."""

from __future__ import annotations

import re

_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "couple of": 2, "a couple of": 2, "a few": 2,
    "few": 2, "several": 3, "dozens of": 24, "dozens": 24, "a dozen": 12, "dozen": 12, "tens of": 20,
    "scores of": 40, "hundreds of": 200, "hundreds": 200,
}
# Numbers we read as a lower bound: "at least 5", "more than 20", "over 20".
NUMBER = (r"(?:(?<![\d,])(?!(?:19|20)\d\d\b)(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)|a hundred|hundred|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
          r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|"
          r"five|six|seven|eight|nine|ten|a couple of|couple of|a few|several|dozens of|dozens|a dozen|tens of|"
          r"scores of|hundreds of)")
_QUALIFIER = r"(?:(?:more than|over|at least|around|about|nearly|almost|up to|some|approximately|roughly)\s+)?"

_STRIKE_NOUNS = (r"(?:air ?strikes?|air[- ]raids?|raids?|strikes?|sorties|barrel bombs?|bombs?|shells?|"
                 r"mortar (?:shells|rounds|bombs)|rounds|rockets?|missiles?|projectiles|explosions?|"
                 r"drones?|attacks?|shelling attacks?)")
_COUNT = re.compile(r"\b" + _QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?:[\w-]+\s+){0,2}?" + _STRIKE_NOUNS
                    + r"\b", re.I)

_VICTIM = (r"(?:people|persons|civilians?|children|child|women|men|man|woman|soldiers?|fighters?|members?|"
           r"militants?|militiamen|troops|officers?|rebels?|policemen|others?|individuals|combatants|"
           r"residents|workers|gunmen|elements|personnel|loyalists|boys?|girls?|infants?|staff|recruits|"
           r"volunteers|employees|shepherds?|farmers?|IDPs?|smugglers?|attackers?|assailants?|prisoners?|detainees?)")
_KILLED_AFTER = re.compile(
    r"\b(?:killing|killed|kill|killed off|executing|executed|leaving|left)\s+" + _QUALIFIER
    + r"(?P<n>" + NUMBER + r")\b(?!\s+(?:injur|wound))", re.I)
_KILLED_BEFORE = re.compile(
    r"\b" + _QUALIFIER + r"(?P<n>" + NUMBER + r")\s+(?:[\w'-]+\s+){0,4}?" + _VICTIM
    + r"\s+(?:\([^)]*\)\s+)?(?:were|was|have been|had been|are|got)?\s*(?:\w+\s+)?(?:killed|dead|died|executed|"
    r"shot dead|slain|found dead|lost their lives)", re.I)
_SINGLE_KILLED = re.compile(
    r"\b(?:killing|killed|executed|shot dead|shot and killed|assassinated|stabbed to death|beat to death)\s+"
    r"(?:an?|one|the|its|his|her|their)\s+(?!number)[\w' -]{0,40}?\b(?:man|woman|civilian|child|boy|girl|fighter|soldier|member|"
    r"commander|officer|person|resident|shepherd|farmer|lieutenant|colonel|driver|sheikh|journalist|"
    r"activist|doctor|teacher|protester|demonstrator|policeman|guard|militant|rebel|smuggler)\b", re.I)
_SINGLE_PASSIVE = re.compile(
    r"\b(?:an?|one|the)\s+[\w' -]{0,50}?\b(?:man|woman|civilian|child|boy|girl|fighter|soldier|member|commander|"
    r"officer|person|resident|shepherd|farmer|lieutenant|colonel|driver)\b[\w' ,()-]{0,60}?\b(?:was|has been)\s+"
    r"(?:\w+\s+)?(?:killed|shot dead|found dead|executed|assassinated|found killed)", re.I)
_PAIR_KILLED = re.compile(
    r"\b(?:killing|killed|shot dead|shot and killed)\s+(?:an?|one|the|its|his|her|their)\s+[\w' -]{0,25}?\b"
    r"(?:man|woman|civilian|child|boy|girl|fighter|soldier|member|person|son|daughter|wife|husband|brother|"
    r"father|mother)\s+and\s+(?:an?|one|the|its|his|her|their|another)\s+[\w' -]{0,25}?\b(?:man|woman|civilian|"
    r"child|boy|girl|fighter|soldier|member|person|son|daughter|wife|husband|brother|father|mother)\b", re.I)
_CODED = re.compile(r"\bfatalities\s+(?:were\s+)?coded\s+(?:as|to|at)\s+(?P<n>\d+)", re.I)
_NONE = re.compile(r"\b(?:neither\s+(?:fatalities|injuries|casualties)\s+nor\s+(?:fatalities|injuries|casualties)|"
                   r"no\s+(?:fatalities|casualties|deaths|one was killed|injuries\s+or\s+fatalities)|"
                   r"without\s+(?:casualties|fatalities))\b", re.I)
_BETWEEN = re.compile(r"\bbetween\s+(?P<n>\d+)\s+and\s+\d+\s+(?:[\w-]+\s+){0,3}?(?:were\s+)?killed", re.I)


def number_value(text: str | None) -> int | None:
    """The integer a number written in digits or words stands for ("20", "twenty", "dozens of")."""
    if not text:
        return None
    key = " ".join(text.lower().split())
    if key.replace(",", "").isdigit():
        return int(key.replace(",", ""))
    return _WORDS.get(key)


def find_count(text: str) -> int | None:
    """How many strikes/shells/raids a passage reports (lower bound), or None."""
    m = _COUNT.search(text)
    if not m:
        return None
    value = number_value(m.group("n"))
    return value if value and value < 10000 else None


def find_fatalities(text: str) -> int | None:
    """Deaths reported in a passage: an explicit number, 1 for a single named victim, 0 when none reported."""
    coded = _CODED.search(text)
    if coded:
        return int(coded.group("n"))
    between = _BETWEEN.search(text)
    if between:
        return int(between.group("n"))
    total = 0
    found = False
    for pattern in (_KILLED_BEFORE, _KILLED_AFTER):
        for m in pattern.finditer(text):
            value = number_value(m.group("n"))
            if value is not None and value < 100000:
                total += value
                found = True
        if found:
            return total
    if _PAIR_KILLED.search(text):
        return 2
    if _SINGLE_KILLED.search(text) or _SINGLE_PASSIVE.search(text):
        return 1
    if _NONE.search(text):
        return 0
    return None
