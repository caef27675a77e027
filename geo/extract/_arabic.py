"""Arabic reports: event words, negation and claim cues, dates, places and actors, for the same pipeline as English.

The pipeline (:mod:`geo.extract._pipeline`) asks :func:`is_arabic` per sentence and, for an Arabic one, takes its
triggers, dates, toponyms, actor mentions, roles and casualty figures from here; everything after that (dates
against publication, geocoding, merging, flags, output records) is shared with English.

Arabic attaches conjunctions, prepositions and the article to the word ("وبريف" = "and in the countryside of"),
so every pattern allows the clitics و/ف, ب/ل/ك and the article before its word. Arabic-Indic digits are turned
into ASCII digits by :func:`geo.extract._text.normalise` (one character for one, so spans stay valid).
"""

from __future__ import annotations

import datetime as dt
import re

from geo.extract import _dates
from geo.extract._events import Trigger

LETTERS = "\u0621-\u064A\u0671-\u06D3\u0640"            # Arabic letters (and tatweel)
CLITICS = r"(?<![" + LETTERS + r"])(?:[وف])?(?:[بلك])?"    # clitics before a word
WORD_END = r"(?![" + LETTERS + r"])"
_ARABIC_LETTER = re.compile(r"[" + LETTERS + r"]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CLAUSE_CUT = re.compile(r"[;:,]")


def is_arabic(text: str) -> bool:
    """True when Arabic letters outnumber Latin ones."""
    arabic = len(_ARABIC_LETTER.findall(text))
    return arabic > 0 and arabic >= len(_LATIN_LETTER.findall(text))


def _p(pattern: str) -> str:
    return CLITICS + r"(?:" + pattern + r")" + WORD_END


# class, tier, pattern (the classes of geo.extract._events.CLASSES)
_RULES: list[tuple[str, int, str]] = [
    ("suicide", 1, r"(?:ال)?انتحاري(?:ة|ين)?|(?:ال)?حزام (?:ال)?ناسف|فجر نفسه|فجرت نفسها"),
    ("ied", 1, r"(?:ال)?عبو(?:ة|ات) (?:ال)?ناسف(?:ة)?|(?:ال)?سيار(?:ة|ات) (?:ال)?مفخخ(?:ة)?|(?:ال)?مفخخ(?:ة|ات)|"
               r"(?:ال)?دراج(?:ة|ات) (?:ال)?نارية (?:ال)?مفخخ(?:ة)?|(?:ال)?لغم|(?:ال)?ألغام|(?:ال)?انفجار(?:ات)?|"
               r"انفجر(?:ت)?|(?:ال)?تفجير(?:ات)?|(?:ال)?عبوة"),
    ("air", 1, r"(?:ال)?غار(?:ة|ات|تين|تان)|(?:ال)?قصف (?:ال)?جوي|(?:ال)?ضرب(?:ة|ات) (?:ال)?جوي(?:ة)?|"
               r"(?:ال)?برميل (?:ال)?متفجر|(?:ال)?براميل (?:ال)?متفجرة|(?:ال)?طائر(?:ة|ات) (?:ال)?مسير(?:ة|ات)|"
               r"(?:ال)?مسيّر(?:ة|ات)|(?:ال)?مسير(?:ة|ات) (?:ال)?(?:تركية|إسرائيلية|روسية|أمريكية|انتحارية|مجهولة)|"
               r"(?:ال)?طيران (?:ال)?حربي|(?:ال)?طائرات (?:ال)?حربية|(?:ال)?مقاتلات"),
    ("shell", 1, r"(?:ال)?قصف (?:ال)?مدفعي|(?:ال)?قصف (?:ال)?صاروخي|(?:ال)?قذائف|(?:ال)?قذيفة|(?:ال)?صواريخ|"
                 r"(?:ال)?صاروخ|(?:ال)?راجمات|(?:ال)?مدفعية|(?:ال)?هاون|(?:ال)?قصف|قصفت|قصف"),
    ("clash", 1, r"(?:ال)?اشتباك(?:ات)?|اشتبك(?:ت|وا)?|(?:ال)?معارك|(?:ال)?معركة|(?:ال)?مواجه(?:ة|ات)|"
                 r"جبه(?:ة|ات) (?:ال)?قتال|(?:ال)?قتال|"
                 r"تصد(?:ت|ى|وا)|(?:ال)?تصدي(?:هم|ها|ه)?|صد(?:ت)? هجوم|(?:ال)?هجوم|هاجم(?:ت|وا)?|(?:ال)?كمين"),
    ("territory", 1, r"(?:ال)?سيطر(?:ة|ت|وا)|سيطرتها|سيطرته|(?:ال)?تقدم(?:ت|وا)? (?:نحو|باتجاه|إلى|داخل)|"
                     r"(?:ال)?استعاد(?:ة|ت)? (?:ال)?سيطرة|(?:ال)?انتزاع"),
    ("abduct", 1, r"(?:ال)?خطف|(?:ال)?اختطاف|اختطف(?:ت|وا)?|خطف(?:ت|وا)?"),
    ("arrest", 1, r"(?:ال)?اعتقال(?:ات)?|اعتقل(?:ت|وا)?|(?:ال)?احتجاز|احتجز(?:ت|وا)?|(?:ال)?توقيف|"
                  r"(?:ال)?مداهم(?:ة|ات)|داهم(?:ت|وا)?|(?:ال)?دهم|حملة دهم"),
    ("protest", 1, r"(?:ال)?مسير(?:ة|ات) (?:ال)?(?:حاشدة|احتجاجية|شعبية|سلمية)|خرج(?:وا|ت)? في (?:ال)?مسير(?:ة|ات)|"
                   r"(?:ال)?مظاهر(?:ة|ات)|(?:ال)?تظاهر(?:ة|ات)?|تظاهر(?:وا)?|(?:ال)?وقف(?:ة|ات) (?:ال)?احتجاجي(?:ة)?|"
                   r"(?:ال)?احتجاج(?:ات)?|احتج(?:وا|ت)?|(?:ال)?اعتصام|(?:ال)?متظاهر(?:ون|ين)|(?:ال)?محتج(?:ون|ين)"),
    ("disrupt", 1, r"(?:ال)?إحباط|أحبط(?:ت)?|(?:ال)?تفكيك|فكك(?:ت)?|(?:ال)?ضبط|ضبط(?:ت)?|(?:ال)?مصادرة|صادر(?:ت)?"),
    ("agreement", 1, r"(?:ال)?اتفاق(?:ية)?|(?:ال)?تسوي(?:ة|ات)|(?:ال)?هدنة|وقف إطلاق النار|تسليم (?:ال)?سلاح|"
                     r"(?:ال)?مصالحة"),
    ("meeting", 1, r"(?:ال)?اجتماع(?:ات)?|اجتمع(?:ت|وا)?|(?:ال)?لقاء|التقى|التقت|(?:ال)?محادثات|(?:ال)?مباحثات|"
                   r"(?:ال)?وفد"),
    ("kill", 2, r"(?:ال)?مقتل|قتل(?:ت|وا)?|(?:ال)?اغتيال|اغتال(?:ت|وا)?|(?:ال)?استشهاد|استشهد|(?:ال)?إعدام|أعدم(?:ت)?|"
                r"(?:ال)?رصاص|إطلاق (?:ال)?نار|أطلق(?:ت|وا)? (?:ال)?نار|فتح(?:ت|وا)? (?:ال)?نار|(?:ال)?استهداف|استهدف(?:ت|وا)?|"
                r"(?:ال)?مصرع|لقي|قضى|قضوا|(?:ال)?نار على"),
]
_TRIGGERS = [(cls, tier, re.compile(_p(pattern))) for cls, tier, pattern in _RULES]

_NOT_HAPPENED = re.compile(
    _p(r"لم|لن|لا|نفى|نفت|ينفي|تنفي|نفي|يعتزم|تعتزم|تنوي|ينوي|تخطط|يخطط|خطة|تهدد|يهدد|هدد|هددت|تهديد(?:ات)?|"
       r"دعا|دعت|يدعو|تدعو|دعوة|دعوات|طالب|طالبت|يطالب|تطالب|مطالب(?:ة|ين)|المتوقع|يتوقع|سوف|قد|محتمل|احتمال|"
       r"مخاوف|خشية|تخوف|لمنع|بهدف|أجل|حال|إذا|اذا|لو|استعداد(?:ات)?|تحضير(?:ات)?|تمهيدا|تنديدا|رفضا|احتجاجا|"
       r"ضد|عن|منع|وقف|إيقاف|لوقف")
    + r"\s+(?:[" + LETTERS + r"]+\s+){0,3}$")
_FUTURE = re.compile(r"(?<![" + LETTERS + r"])[وف]?س[يتن][" + LETTERS + r"]{2,}\s+(?:[" + LETTERS + r"]+\s+){0,2}$")
_CLAIM = re.compile(_p(r"زعم|زعمت|يزعم|تزعم|ادعى|ادعت|ادعاء|مزاعم|تدعي|يدعي") + r"[^.;]{0,80}$")
_ANNOUNCED_CONTROL = re.compile(_p(r"أعلن|أعلنت|قال|قالت|ذكرت|ذكر|أكدت|أكد") + r"[^.;]{0,60}$")
_CAUSE = re.compile(_p(r"بعد|عقب|إثر|اثر|أثناء|قبل") + r"\s+(?:[" + LETTERS + r"]+\s+){0,4}$")
_ATTEMPT = re.compile(_p(r"فشل\S*|حاول\S*|محاول(?:ة|ات)|تحاول|يحاول") + r"\s+(?:[" + LETTERS + r"]+\s+){0,3}$")
_UNDER_CONTROL = re.compile(r"(?:(?<![" + LETTERS + r"])(?:تحت|مناطق|منطقة|نفوذ)\s+|(?:الخاضعة|خاضعة)\s+ل)$")
_ON_AFTER = re.compile(r"^\s*(?:\S+\s+)?(?:على|عليها|عليه)")
_SEIZED = re.compile(r"^\s*(?:\S+\s+){0,5}?\S*(?:عبو|لغم|ألغام|أسلحة|سلاح|ذخير|متفجر|شحن|تهريب|مخدر|صواريخ)")
_DISTANCING = re.compile(r"وصفت\S*|وصفه\S*|ما سما\S*|ما سمت\S*|تسميه\S*|يسميه\S*|على حد (?:زعم|وصف)|المزعوم")
_STATE_MEDIA = re.compile(_p(r"وكالة (?:ال)?أنباء (?:ال)?(?:سورية|رسمية)|سانا|(?:ال)?تلفزيون (?:ال)?(?:رسمي|سوري)|"
                              r"(?:ال)?إعلام (?:ال)?رسمي|مصدر عسكري") + r"[^.;]{0,160}$")
_DEMONSTRATIVE = re.compile(_p(r"هذه|هذا|تلك|ذلك") + r"\s+$|^\s*(?:ال)?(?:نفس|ذات)")


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    """Event words of one Arabic sentence (earlier rules win overlaps), without negated, planned or threatened ones."""
    found: list[Trigger] = []
    for cls, tier, pattern in _TRIGGERS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < t.end - offset and t.start - offset < e for t in found):
                continue
            before = text[max(0, s - 50):s]
            clause = _CLAUSE_CUT.split(before)[-1]
            if _NOT_HAPPENED.search(clause) or _FUTURE.search(clause):
                continue
            subordinate = bool(_CAUSE.search(clause))
            if cls == "territory" and (_UNDER_CONTROL.search(before[-20:]) or
                                       (m.group(0).endswith(("سيطرة", "السيطرة")) and not _ON_AFTER.match(text[e:e + 20]))):
                continue  # "تحت سيطرة التنظيم", "مناطق سيطرة": who holds an area, not a capture
            if cls == "territory" and _ATTEMPT.search(clause):
                cls = "clash"  # "failed to advance", "an attempt to storm": fighting, no change of territory
            if cls == "disrupt" and (_ATTEMPT.search(clause) or not _SEIZED.search(text[e:e + 60])):
                continue  # "while trying to defuse the device", "foiled the attack": not a seizure of weapons
            definite = bool(_DEMONSTRATIVE.search(before[-8:]))
            found.append(Trigger(cls, tier, offset + s, offset + e, m.group(0), subordinate, definite))
    found.sort(key=lambda t: t.start)
    return found


def is_claim(sentence: str, offset: int, cls: str, trigger_text: str) -> bool:
    """One side's claim: "زعم/ادعى ..." before the event, or a side announcing its own capture."""
    before = sentence[max(0, offset - 200):offset]
    clause = re.split(r"[.;]", before)[-1]
    if _CLAIM.search(clause) or (_STATE_MEDIA.search(clause) and _DISTANCING.search(sentence)):
        return True  # one side's claim, or a state agency's account the report distances itself from
    return cls == "territory" and bool(_ANNOUNCED_CONTROL.search(clause))


# ------------------------------------------------------------------------------------------------ dates

_MONTHS = {
    "كانون الثاني": 1, "يناير": 1, "شباط": 2, "فبراير": 2, "آذار": 3, "اذار": 3, "مارس": 3, "نيسان": 4,
    "أبريل": 4, "ابريل": 4, "إبريل": 4, "أيار": 5, "ايار": 5, "مايو": 5, "حزيران": 6, "يونيو": 6, "تموز": 7,
    "يوليو": 7, "آب": 8, "اب": 8, "أغسطس": 8, "اغسطس": 8, "أيلول": 9, "ايلول": 9, "سبتمبر": 9,
    "تشرين الأول": 10, "تشرين الاول": 10, "أكتوبر": 10, "اكتوبر": 10, "تشرين الثاني": 11, "نوفمبر": 11,
    "كانون الأول": 12, "كانون الاول": 12, "ديسمبر": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?:\s*/\s*(?:" + \
    "|".join(sorted(_MONTHS, key=len, reverse=True)) + r"))?"
_WEEKDAYS = {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4,
             "السبت": 5, "الأحد": 6, "الاحد": 6}
_DAY_WORDS = {"الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
              "الثامن": 8, "التاسع": 9, "العاشر": 10}
_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(r"(?P<d>\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?" + _MONTH + r"(?:\s+(?:من\s+)?(?:عام|العام|سنة)?\s*(?P<y>\d{4}))?")),
    ("ordinal", re.compile(r"(?P<dw>" + "|".join(_DAY_WORDS) + r")(?:\s+و(?P<tens>العشرين|الثلاثين))?\s+من\s+(?:شهر\s+)?" + _MONTH)),
    ("since", re.compile(_p(r"منذ") + r"\s+(?:(?:عام|العام|سنة)\s+)?(?P<y>\d{4})")),
    ("month_year", re.compile(_p(r"في|خلال|منذ") + r"\s+(?:شهر\s+)?" + _MONTH + r"\s+(?:من\s+)?(?:عام\s+)?(?P<y>\d{4})")),
    ("year", re.compile(_p(r"عام|العام|سنة|في|خلال") + r"\s+(?P<y>(?:19|20)\d\d)(?!\d)")),
    ("recent", re.compile(_p(r"(?:ال)?أشهر (?:ال)?(?:أخيرة|ماضية)|(?:ال)?سنوات (?:ال)?(?:أخيرة|ماضية)|(?:ال)?أعوام (?:ال)?(?:أخيرة|ماضية)"))),
    ("hours", re.compile(r"(?:(?:خلال|في)\s+)?(?:ال|الـ)?\s*(?:24|48|72)\s+ساعة\s+(?:ال)?(?:ماضية|أخيرة|الماضية|الأخيرة)|"
                         + _p(r"(?:ال)?ساعات (?:ال)?(?:ماضية|أخيرة|الماضية|الأخيرة)"))),
    ("two_days", re.compile(_p(r"(?:ال)?يومين (?:ال)?(?:ماضيين|أخيرين|الماضيين|الأخيرين)"))),
    ("this_week", re.compile(_p(r"(?:ال)?أسبوع (?:ال)?جاري|هذا (?:ال)?أسبوع"))),
    ("last_week", re.compile(_p(r"(?:ال)?أسبوع (?:ال)?(?:ماضي|فائت)"))),
    ("days_ago", re.compile(_p(r"قبل|منذ") + r"\s+(?P<n>\d+|يومين|ثلاثة|أربعة|خمسة|أيام)\s*(?:أيام|يوما|يوم)?")),
    ("day_before", re.compile(_p(r"أول (?:من )?أمس"))),
    ("yesterday", re.compile(_p(r"(?:يوم )?أمس|البارحة|(?:ال)?ليلة (?:ال)?ماضية"))),
    ("weekday", re.compile(_p(r"(?:يوم|مساء|صباح|ليلة|فجر|ظهر|عصر)?\s*(?P<wd>" + "|".join(_WEEKDAYS) + r")"))),
    ("today", re.compile(_p(r"اليوم|الليلة|فجر اليوم|صباح اليوم|مساء اليوم|ظهر اليوم"))),
]


def _resolve_date(kind: str, m: re.Match[str], published: dt.date) -> tuple[dt.date, dt.date | None, int] | None:
    g = m.groupdict()
    if kind in ("dmy", "ordinal"):
        month = _MONTHS[" ".join(g["month"].split())]
        if kind == "dmy":
            day = int(g["d"])
        else:
            day = _DAY_WORDS[g["dw"]] + (20 if g.get("tens") == "العشرين" else 30 if g.get("tens") else 0)
        year = int(g["y"]) if g.get("y") else (published.year if (month, day) <= (published.month, published.day + 1)
                                               else published.year - 1)
        day_date = dt.date(year, month, day)
        if g.get("y") and day_date < published - dt.timedelta(days=180):
            return dt.date(year, 1, 1), dt.date(year, 12, 31), 3  # a dated event half a year back: history
        return day_date, None, 1
    if kind in ("since", "year"):
        year = int(g["y"])
        return dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(published, dt.date(year, 1, 1))), 3
    if kind == "month_year":
        month, year = _MONTHS[" ".join(g["month"].split())], int(g["y"])
        return dt.date(year, month, 1), _dates._month_end(year, month), 3
    if kind == "recent":
        return published - dt.timedelta(days=365), published - dt.timedelta(days=31), 3
    if kind == "hours":
        return published - dt.timedelta(days=1), published, 2
    if kind == "two_days":
        return published - dt.timedelta(days=2), published - dt.timedelta(days=1), 2
    if kind == "this_week":
        return published - dt.timedelta(days=(published.weekday() + 2) % 7), published, 2  # the week starts Saturday
    if kind == "last_week":
        start = published - dt.timedelta(days=(published.weekday() + 2) % 7 + 7)
        return start, start + dt.timedelta(days=6), 2
    if kind == "days_ago":
        n = {"يومين": 2, "ثلاثة": 3, "أربعة": 4, "خمسة": 5, "أيام": 3}.get(g["n"]) or int(g["n"])
        return published - dt.timedelta(days=n), None, 1
    if kind == "day_before":
        return published - dt.timedelta(days=2), None, 1
    if kind == "yesterday":
        return published - dt.timedelta(days=1), None, 1
    if kind == "weekday":
        back = (published.weekday() - _WEEKDAYS[g["wd"]]) % 7
        return published - dt.timedelta(days=back), None, 1
    if kind == "today":
        return published, None, 1
    return None


def find_dates(text: str, published: dt.date, offset: int = 0) -> list[_dates.DateSpan]:
    """Arabic date expressions in ``text`` resolved against ``published`` (same records as English dates)."""
    found: list[_dates.DateSpan] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            try:
                resolved = _resolve_date(kind, m, published)
            except (ValueError, KeyError):
                continue
            if resolved is None:
                continue
            taken.append((s, e))
            start, end, precision = resolved
            found.append(_dates.DateSpan(start, end, precision, (offset + s, offset + e), text[s:e],
                                         since=kind == "since"))
    found.sort(key=lambda d: d.span)
    return found
