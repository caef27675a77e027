"""Arabic sentences: place names, actors, who did what, and casualty figures (see :mod:`geo.extract._arabic`).

Places are found where Arabic puts them: after a place noun (مدينة، بلدة، قرية، حي، مخيم ...), a preposition
(في، على، قرب ...), a word carrying the preposition ب, a region word (ريف X [الغربي]، محافظة X، جنوب X) or inside
quotes. Each candidate carries queries for the geocoder, longest first, with and without the clitics و/ب/ل, so the
gazetteer's Arabic names decide what is a place; the map shows the gazetteer's Latin name, and the Arabic text
stays in ``location_text``.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from geo import taxonomy
from geo.admin1 import resolve_admin1
from geo.extract import _actors, _events, _places, _roles
from geo.extract._actors import ActorEntry, ActorMention
from geo.extract._arabic import CLITICS, LETTERS, WORD_END
from geo.extract._places import Toponym
from geo.paths import DATA_DIR

ACTORS_AR_CSV = DATA_DIR / "actors_ar.csv"
_TOKEN = re.compile(r"[" + LETTERS + r"\u064B-\u0652]+")
_STOP = {
    "في", "من", "على", "إلى", "الى", "عن", "مع", "بعد", "قبل", "التي", "الذي", "الذين", "حيث", "ما", "أن", "إن", "كما",
    "ضد", "بين", "عند", "حتى", "منذ", "خلال", "جراء", "نتيجة", "إثر", "اثر", "أو", "ثم", "لدى", "عبر", "نحو", "هذه",
    "هذا", "تلك", "ذلك", "كانت", "كان", "وقد", "قد", "لم", "لا", "وسط", "أمس", "اليوم", "يوم", "مساء", "صباح", "فجر",
    "ليلة", "عدة", "عدد", "بعض", "كل", "أيضا", "أيضاً", "إضافة", "بالإضافة", "وذلك", "بحسب", "وفق", "حسب", "وفقا",
    "قوات", "عناصر", "مقاتلي", "الطيران", "غارات", "غارة", "قصف", "اشتباكات", "مظاهرة", "بلدة", "مدينة", "قرية",
    "المدينة", "البلدة", "القرية", "المنطقة", "الحي", "المخيم", "الريف", "المحافظة", "المناطق", "البلاد", "الحدود",
    "الشمال", "الجنوب", "الشرق", "الغرب", "المنطقة", "مناطق", "المنازل", "منازل", "المنزل", "الطريق", "المستشفى",
    "المستشفيات", "الأحياء", "السكنية", "العاصمة", "الساحة", "مواقع", "المواقع", "نقاط", "حاجز", "الحاجز", "سوريا",
    "دون", "بدون", "أنباء", "إصابات", "ضحايا", "قذائف", "صواريخ", "بقذائف", "بالقرب", "إنه", "إنها", "أنه", "أنها",
    # amounts and outcomes that follow a place ("طفس بأكثر من عشرين قذيفة", "بجروح", "بإسقاط")
    "أكثر", "اكثر", "أقل", "اقل", "حوالي", "حوالى", "قرابة", "نحو", "جروح", "جراح", "إصابة", "اصابة", "مقتل", "إسقاط",
    "اسقاط",
}
_POINT = {"مدينة": 1, "بلدة": 1, "قرية": 1, "مخيم": 1, "مدن": 1, "مخيمات": 1, "بلدتي": 1, "قريتي": 1, "مدينتي": 1, "بلدات": 1, "قرى": 1,
          "مطار": 1, "معبر": 1, "سجن": 1, "حي": 2, "منطقة": 2, "ناحية": 2, "ساحة": 2, "دوار": 2, "طريق": 2,
          "أوتوستراد": 2, "أحياء": 2, "حاجز": 2, "سهل": 2, "جبل": 2}
# first words of many village names: never a place on their own ("كفر جبرين" unknown is not "الكفر")
_NAME_PARTS = {"كفر", "تل", "دير", "عين", "خربة", "جسر", "بئر", "أم", "ام", "أبو", "ابو", "بيت", "بنات", "عرب", "قصر",
               "حوش", "تلة", "رأس", "راس", "مزرعة", "الكفر", "التل", "العين", "الدير"}
_HARD_BREAK = re.compile(r"[.;:]")
_NAME_BREAK = re.compile(r"[,.;:()\d]")
_MARKS = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_INSIDE_TOWN = {"ساحة", "دوار", "حي", "شارع", "أحياء"}
_NAMED_BY_NOUN = {"جبل", "سهل", "مطار", "معبر", "سجن", "مخيم", "ساحة", "دوار", "حي"}
_NEAR = {"قرب", "بالقرب", "محيط", "أطراف", "ضواحي", "مشارف", "تخوم", "جوار", "مدخل", "أطراف"}
_PREP = {"في", "على", "إلى", "الى", "داخل", "نحو", "باتجاه", "عند", "من"}
_REGION = {"ريف", "ريفي", "محافظة", "محافظتي", "بادية", "أرياف"}
_DIRS = {"شرق", "غرب", "شمال", "جنوب", "شرقي", "غربي", "شمالي", "جنوبي"}
_VOCABULARY = _STOP | set(_POINT) | _NEAR | _PREP | _REGION | _DIRS
_DIR_ADJ = re.compile(r"^(?:ال)?(?:شرقي|غربي|شمالي|جنوبي|الشرقي|الغربي|الشمالي|الجنوبي|الأوسط|الشمالي الغربي|"
                      r"الشمالي الشرقي|الجنوبي الغربي|الجنوبي الشرقي)$")
_EXCLUDE_LEFT = re.compile(r"(?:مقره|مقرها|ومقره|ومقرها|يتخذ من|تتخذ من|المقيم في|مراسل\S*\s+في|المتمركزة في|المتمركز في|"
                           r"انطلاقا من|من مواقعها في|من مواقع\s+(?:\S+\s+){0,3}في|من نقاط\s+(?:\S+\s+){0,3}في|نقل\S*\s+\S*\s*إلى|إسعاف\S*\s+\S*\s*إلى)\s*(?:\S+\s+)?$")


def _variants(word: str) -> list[str]:
    """The word and the word without its clitics ("وبريف" -> "ريف", "للمدينة" -> "المدينة")."""
    out = [word]
    w = word
    if len(w) >= 3 and w[0] in "وف" and (w[1:] in _VOCABULARY or w[1:3] == "ال" or w[1] in "بل"):
        w = w[1:]  # "وفي", "والبارة", "وبريف"; not "وزارة" (a word of its own)
        out.append(w)
    if len(w) > 3 and w.startswith("لل"):
        out.append("ال" + w[2:])
    elif len(w) > 3 and w[0] in "بلك":
        out.append(w[1:])
    return out


def _base(word: str) -> str:
    """The word without clitics, unless the word itself is one of the vocabulary words ("بلدة" is not ب + لدة)."""
    if word in _VOCABULARY:
        return word
    return _variants(word)[-1]


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Arabic datelines and bylines at the start of a line ("إدلب – فلان:", "تلفزيون سوريا - إسطنبول")."""
    spans = []
    for m in re.finditer(r"(?m)^[ \t]*(?P<head>[^\n.:|]{2,60}?)\s*(?:\([^)\n]{2,30}\)\s*)?[-|:]\s", text):
        head = m.group("head")
        if len(head.split()) <= 6 and re.search(r"[" + LETTERS + r"]", head):
            spans.append((m.start("head"), m.end()))
    return spans


@lru_cache(maxsize=4096)
def governorate(name: str):
    """:func:`geo.admin1.resolve_admin1`, remembered (documents repeat their words)."""
    return resolve_admin1(name)


def admin_names(text: str) -> list[tuple[int, str]]:
    """(offset, word or word pair) of Arabic words that may name a governorate ("درعا", "بريف إدلب", "دير الزور")."""
    tokens = [(m.start(), _base(m.group(0))) for m in _TOKEN.finditer(text)]
    out = [(s, w) for s, w in tokens]
    out += [(s, f"{w} {tokens[n + 1][1]}") for n, (s, w) in enumerate(tokens[:-1]) if w in ("دير", "ريف")]
    return out


def find_toponyms(text: str, offset: int = 0, masked: list[tuple[int, int]] | None = None) -> list[Toponym]:
    """Place-name candidates in one Arabic sentence, in text order."""
    masked = masked or []
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    found: list[Toponym] = []
    i = 0
    listed = -1          # index of the token right after the last candidate: a list may go on there
    listed_region = ""   # the region word of that candidate ("ريفي حلب وحماة": Hama's countryside too)
    listed_weak = False  # that candidate came by a weak cue: the list goes on as weakly ("بين بوتين، والشيباني")
    while i < len(tokens):
        word, s, e = tokens[i]
        base = _base(word)
        prev = _base(tokens[i - 1][0]) if i else ""
        quoted = text[max(0, s - 1):s] in ('"', "«", "'")
        gap = text[tokens[i - 1][2]:s] if i else ""
        in_list = i == listed and (word[0] == "و" or "," in gap) and not _HARD_BREAK.search(gap)
        cue = "plain" if in_list and base not in _STOP and base not in _DIRS and base not in _REGION else None
        weak = cue == "plain" and listed_weak
        if cue and listed_region:
            cue = "listed_region"
        if cue is not None:
            pass
        elif base in _REGION or (base in _DIRS and i + 1 < len(tokens)):
            cue = "region"
        elif prev in _POINT or prev in _NEAR or prev in _PREP or prev in _DIRS or quoted or \
                (word != base and word[0] in "ب" and base not in _STOP):
            cue = "near" if prev in _NEAR else "point" if prev in _POINT else "plain"
            weak = cue == "plain" and not quoted and prev not in ("في", "داخل") and prev not in _DIRS
        if cue is None or base in _STOP or base in _POINT or base in _NEAR or len(base) < 2 or any(s + offset < me and ms < e + offset for ms, me in masked):
            i += 1
            continue
        j = i
        words: list[str] = []
        while j < len(tokens) and len(words) < (4 if cue == "region" else 3):
            w = tokens[j][0]
            gap = text[tokens[j - 1][2]:tokens[j][1]] if j > i else ""
            if j > i and (_NAME_BREAK.search(gap) or _base(w) in _STOP or (w[0] == "و" and not w.startswith("واد"))
                          or (cue != "region" and _base(w) in _DIRS)
                          or _base(w) in _POINT or _base(w) in _REGION or _base(w) in _NEAR or _base(w) in ("مركز", "وسط")):
                break
            words.append(w)
            j += 1
        if cue == "region":
            # the region word, the name, and at most one compass adjective ("ريف درعا الغربي")
            cut = 1
            while cut < len(words) and not _DIR_ADJ.match(words[cut]) and _base(words[cut]) not in _DIRS and cut < 3:
                cut += 1
            if cut < len(words) and _DIR_ADJ.match(words[cut]):
                cut += 1
            words = words[:cut]
            if prev == "مركز" and base == "محافظة":
                cue, words = "point", words[1:]  # "مركز محافظة السويداء": the governorate's capital
        if cue == "region" and len(words) == 1 or not words:
            i += 1
            continue
        consumed = len(words)
        if words[0][0] == "و" and len(words[0]) > 3 and (in_list or _variants(words[0])[1:2] == [words[0][1:]]):
            words[0] = words[0][1:]  # "والبارة" in a list: the name without "and"
            s += 1
        end = tokens[i + consumed - 1][2]
        top = Toponym(" ".join(words), offset + s, offset + end)
        top.strict = cue == "plain" and weak
        listed_weak = top.strict
        top.excluded = bool(_EXCLUDE_LEFT.search(text[max(0, s - 40):s]))
        precision = {"near": 2, "point": _POINT.get(prev, 1), "plain": None, "region": 3, "listed_region": 3}[cue]
        if cue == "listed_region":
            cue, words = "region", [listed_region] + words
        if cue == "region":
            top.admin = True
            phrase = [_base(words[0]).replace("ريفي", "ريف").replace("محافظتي", "محافظة")] + words[1:]
            for n in range(len(phrase), 1, -1):
                top.queries.append((" ".join(phrase[:n]), 3))
            unit = governorate(" ".join(w for w in phrase[1:] if not _DIR_ADJ.match(w)))
            top.context = unit.name if unit is not None else None  # the governorate, for the places named beside it
            top.area = unit is None and _base(words[0]) in _DIRS and "سوري" in " ".join(words)
        else:
            for n in range(len(words), 0, -1):
                for first in dict.fromkeys(_variants(words[0])):
                    query = " ".join([first] + words[1:n])
                    if len(query) >= 3 and (n > 1 or (query not in _STOP and query not in _NAME_PARTS)):
                        top.queries.append((query, precision))
            gov = governorate(" ".join([_base(words[0])] + words[1:])) if len(words) <= 2 else None
            if gov is not None and prev in _PREP:
                top.admin = True  # "في درعا": the governorate (or its capital) as context
        if prev in _INSIDE_TOWN and cue == "point":
            # a square or district: never a village of that name
            top.queries = [(f"{prev} {' '.join(words[:n])}", 2) for n in range(len(words), 0, -1)]
        elif prev in _NAMED_BY_NOUN and cue == "point":
            top.queries.insert(0, (f"{prev} {' '.join(words)}", 1))  # "جبل الزاوية", "مطار المزة": the noun is in the name
        found.append(top)
        listed_region = _base(words[0]).replace("ريفي", "ريف").replace("محافظتي", "محافظة") if cue == "region" \
            and _base(words[0]) in _REGION else ""
        i += consumed
        listed = i
    _places.assign_context(found)
    return found


# ------------------------------------------------------------------------------------------------ actors

@lru_cache(maxsize=2)
def _actor_matcher() -> tuple[re.Pattern[str], tuple[ActorEntry, ...]]:
    """One pattern for every Arabic actor name (longest first), and the actor each named group stands for."""
    entries = {(e.canonical, e.unit): e for e, _ in _actors.load_actor_table()}
    aliases: list[tuple[str, int]] = []
    table: list[ActorEntry] = []
    with open(ACTORS_AR_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = entries.get((row["canonical"].strip(), (row.get("unit") or "").strip()))
            if entry is None:
                continue
            table.append(entry)
            aliases.extend((alias.strip(), len(table) - 1) for alias in row["pattern"].split("|") if alias.strip())
    aliases.sort(key=lambda pair: -len(pair[0]))
    parts = []
    for n, (alias, index) in enumerate(aliases):
        body = re.escape(alias).replace(r"\ ", r"\s+")
        if body.startswith("ال"):
            body = r"(?:ال|ل)" + body[2:]
        parts.append(f"(?P<a{n}_{index}>{body})")
    return re.compile(CLITICS + "(?:" + "|".join(parts) + ")" + WORD_END), tuple(table)


def find_actors(text: str, offset: int = 0) -> list[ActorMention]:
    """Actors named in an Arabic sentence (``data/actors_ar.csv``), longest names first, in text order."""
    pattern, table = _actor_matcher()
    return [ActorMention(table[int(m.lastgroup.split("_")[1])], offset + m.start(), offset + m.end(), m.group(0))
            for m in pattern.finditer(text)]


_TARGET_LEFT = re.compile(CLITICS + r"(?:على|ضد|استهدف\S*|مواقع|موقع|نقاط|نقطة|حاجز|عناصر|مقاتلي|دورية|سيارة|آلية|"
                          r"مقرات|مقر|لصالح)\s+(?:\S+\s+)?$")


_FROM_POSITIONS = re.compile(r"من\s+(?:مواقع|نقاط|مناطق\s+سيطرة|مناطق)\s+$")


def assign_roles(group, mentions: list[ActorMention], text: str) -> _roles.Roles:
    """Actor 1: the first armed actor not named as a target; actor 2: the next one (the target, or the other side)."""
    firing = [m for m in mentions if m.entry.armed and _FROM_POSITIONS.search(text[max(0, m.start - 25):m.start])]
    agents = firing + [m for m in mentions if m.entry.armed and m not in firing
                       and not _TARGET_LEFT.search(text[max(0, m.start - 25):m.start])]
    actor1 = agents[0] if agents else None
    others = [m for m in mentions if actor1 is None or m.entry.name != actor1.entry.name]
    actor2 = others[0] if others else None
    return _roles.Roles(actor1, actor2, [], [m for m in mentions if m is not actor1])


_SUFFIX = r"(?:ها|هم|ه|نا|هما|ا)?"
_ARMED = re.compile(CLITICS + r"(?:ال)?(?:عنصر|عناصر|مقاتل|مقاتلين|مقاتلي|جندي|جنود|ضابط|ضباط|قيادي|قياديين|قائد|حاجز|"
                    r"نقطة|نقاط|دورية|موقع|مواقع|آلية|مقر|مقرات|ثكنة|سيارة عسكرية|سيارته العسكرية|عسكريين|عسكري)"
                    + _SUFFIX + WORD_END + r"(?!\s+(?:ال)?سابق)")
_SITE = re.compile(CLITICS + r"(?:ال)?(?:مطار|قاعدة|ثكنة|مقرات|كتيبة|فوج|مستودعات?)" + WORD_END)
_CIVIL = re.compile(CLITICS + r"(?:ال)?(?:مدني|مدنيين|مدنيا|مدنيون|طفل|أطفال|طفلة|امرأة|نساء|سيدة|شاب|شبان|رجل|مواطن|"
                    r"مواطنين|أهالي|سكان|ناشط|إعلامي|صحفي|عائلة|مزارع|راعي|منزل|منازل|الأحياء السكنية|قرويين|"
                    r"زوجة|زوجته|أطفاله|عنصر سابق|عناصر سابقين)" + _SUFFIX + WORD_END)
_INTERVENTION = re.compile(r"تفريق|فرقت|اعتد[ىت]|اعتداء|رشق|بالحجارة|هاجم\S* (?:ال)?(?:متظاهرين|محتجين|المحتجين|"
                           r"المتظاهرين)|إصابة|اصابة|جرح")
_LETHAL = re.compile(r"(?:مقتل|قتل|استشهاد|الرصاص الحي|أطلق\S* (?:ال)?نار على (?:ال)?(?:متظاهرين|المتظاهرين|المحتجين))")


def classify(group, roles: _roles.Roles, scope: str, after: str) -> tuple[str, str, str]:
    """ACLED event type, sub-event type and map kind of an Arabic trigger group."""
    cls = group.cls
    a1 = roles.actor1.entry if roles.actor1 else None
    scope, after = strip_marks(scope), strip_marks(after)
    if cls == "kill" and _SITE.search(after[:40]):
        cls = "shell"  # "استهدفت مطار حماة العسكري": a base or airport hit from afar
    if cls == "kill":
        armed, civil = _ARMED.search(after) or _ARMED.search(scope), _CIVIL.search(after) or _CIVIL.search(scope)
        cls = "clash" if armed and (not civil or armed.start() <= civil.start()) else "kill"
    if cls == "arrest" and a1 is not None and not (a1.state or a1.canonical.startswith("Police")):
        cls = "abduct"
    event_type, sub_type, kind = _events.CLASSES[cls]
    if cls == "territory" and a1 is not None and not a1.state:
        sub_type = "Non-state actor overtakes territory"
    if cls == "air" and re.search(r"مسير|درون", scope) and not re.search(r"غار|حربي", scope):
        kind = "drone strike"
    if cls == "protest":
        if _LETHAL.search(scope):
            sub_type = "Excessive force against protesters"
        elif _INTERVENTION.search(scope):
            sub_type = "Protest with intervention"
    entry = taxonomy.lookup_sub_type(sub_type)
    return (entry.event_type if entry else event_type), sub_type, kind


# ------------------------------------------------------------------------------------------------ figures

_NUM_WORDS = {"واحد": 1, "اثنين": 2, "اثنان": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5,
              "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10,
              "عشر": 10, "عشرات": 20}
_NUM = r"(?P<n>\d+|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r")"
_QUAL = r"(?:(?:نحو|أكثر من|ما لا يقل عن|حوالي|قرابة|أزيد من)\s+)?"
_KILLED = re.compile(CLITICS + r"(?:مقتل|قتل|مصرع|استشهاد|وفاة|قضى|قضوا|لقي|لقوا|سقوط)\s+" + _QUAL + _NUM + WORD_END)
_KILLED_AFTER = re.compile(_NUM + r"\s+(?:\S+\s+)?(?:قتلى|قتيلا|قتيل|شهيدا|شهداء|ضحايا|ضحية)" + WORD_END)
_TWO_KILLED = re.compile(CLITICS + r"(?:مقتل|مصرع|استشهاد)\s+(?:ال)?(?:عنصرين|شخصين|مدنيين اثنين|طفلين|جنديين|شابين|"
                         r"رجلين|امرأتين|ضابطين)" + WORD_END)
_KILLED_VERB = re.compile(_NUM + r"\s+(?:\S+\s+){0,2}(?:قتلوا|قتلن|قضوا|لقوا حتفهم|استشهدوا|لقي)" + WORD_END)
_ONE_KILLED = re.compile(CLITICS + r"(?:مقتل|مصرع|استشهاد|اغتيال)\s+(?:ال)?(?:شخص|مدني|عنصر|شاب|طفل|امرأة|رجل|قيادي|"
                         r"ضابط|جندي|مقاتل)" + WORD_END)
_COUNT = re.compile(_QUAL + r"(?P<n>\d+)\s+(?:غارة|غارات|ضربة|ضربات|صاروخا|صواريخ|قذيفة|قذائف|برميلا|براميل)" + WORD_END)


def strip_marks(text: str) -> str:
    """Arabic text without vowel marks and tatweel (for searching only: offsets change)."""
    return _MARKS.sub("", text)


def _value(text: str) -> int | None:
    return int(text) if text.isdigit() else _NUM_WORDS.get(text)


def find_fatalities(text: str) -> int | None:
    """Deaths an Arabic passage reports, or None."""
    text = strip_marks(text)
    for pattern in (_KILLED, _KILLED_AFTER, _KILLED_VERB):
        m = pattern.search(text)
        if m and _value(m.group("n")) is not None:
            return _value(m.group("n"))
    if _TWO_KILLED.search(text):
        return 2
    return 1 if _ONE_KILLED.search(text) else None


def find_count(text: str) -> int | None:
    """How many strikes or shells an Arabic passage reports, or None."""
    text = strip_marks(text)
    m = _COUNT.search(text)
    return int(m.group("n")) if m else None
