"""Date expressions in report text, resolved against the publication date.

Absolute dates ("On 9 May 2020", "May 9", "2020-05-09", "3/4/2020" day first), weekdays ("on Tuesday"),
and relative expressions ("yesterday", "over the last two days", "last week", "last month",
"at the start of July last year"). ``time_precision`` follows ACLED: 1 day, 2 span/week, 3 month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from geo.extract._counts import number_value

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NUMBER_WORD = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|"
                r"several|couple of|a couple of)")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("since", re.compile(r"\b(?:since|ever since)\s+(?:(?:the\s+)?(?:start|beginning|end|middle)\s+of\s+)?"
                         r"(?:(?:early|late|mid)[- ]?)?(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+)?(?:" + _MONTH
                         + r"(?:\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s+(?P<y>\d{4}))?|(?P<y2>(?:19|20)\d\d))\b", re.I)),
    ("day_span", re.compile(r"\b(?:(?:the\s+)?night\s+of\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|/|to)\s*"
                            r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r"(?:,?\s+(?P<y>\d{4}))?\b", re.I)),
    ("day_range", re.compile(r"\b(?:between|from)\s+(?:the\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:and|to|until|-)\s+"
                             r"(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH
                             + r"(?:,?\s+(?P<y>\d{4}))?\b", re.I)),
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    ("dmy_slash", re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b")),
    ("day_month", re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH
                             + r"(?:,?\s+(?P<y>\d{4}))?\b", re.I)),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?\b",
                             re.I)),
    ("part_month", re.compile(r"\b(?:(?:at\s+)?the\s+)?(?P<part>start|beginning|end|middle|early|late|mid)"
                              r"(?:\s+of|-)?\s+" + _MONTH + r"(?:\s+(?P<y>\d{4}|last year|this year))?\b",
                              re.I)),
    ("month_year", re.compile(r"\b(?:in|during|since|of)\s+" + _MONTH
                              + r"(?:\s+(?P<y>\d{4}|last year|this year))?\b", re.I)),
    ("years_ago", re.compile(r"\b(?P<n>\d{1,3}|" + _NUMBER_WORD[3:-1] + r")\s+(?:years|decades)\s+ago\b", re.I)),
    ("year", re.compile(r"\b(?:in|during|of|from|by|early|late|mid-?)\s+(?:(?:early|late|mid)[- ]?)?(?P<y>(?:19|20)\d\d)\b"
                        r"(?!\s*-\s*\d)", re.I)),
    ("recent", re.compile(r"\b(?:in|over|during|throughout)\s+(?:the\s+)?(?:recent|past|last|previous)\s+"
                          r"(?:few\s+|several\s+|couple\s+of\s+)?(?:months|years|decades)\b|"
                          r"\bin\s+recent\s+(?:weeks|months|years)\b|\brecent\s+(?:months|years)\b", re.I)),
    ("day_earlier", re.compile(r"\b(?:a|one)\s+day\s+(?:earlier|before|after)\b|\bthe\s+(?:previous|preceding)\s+day\b",
                               re.I)),
    ("weekday_range", re.compile(r"\b(?:from|between)\s+(?P<wd1>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                                 r"(?:\s+night)?\s+(?:to|and|until|till|through)\s+(?P<wd>monday|tuesday|wednesday|thursday|"
                                 r"friday|saturday|sunday)\b", re.I)),
    ("overnight", re.compile(r"\b(?:overnight|during\s+the\s+night|late\s+last\s+night|in\s+the\s+early\s+hours)\b", re.I)),
    ("day_before", re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last\s+night)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today)\b", re.I)),
    ("last_days", re.compile(r"\b(?:over|in|during|for|within)?\s*(?:the\s+)?(?:last|past|previous)\s+(?P<n>"
                             + _NUMBER_WORD + r")\s+days\b", re.I)),
    ("days_ago", re.compile(r"\b(?P<n>" + _NUMBER_WORD + r")\s+days?\s+ago\b", re.I)),
    ("last_week", re.compile(r"\b(?P<which>last|past|previous|this)\s+week(?:end)?\b", re.I)),
    ("last_month", re.compile(r"\b(?P<which>last|past|previous|this|earlier\s+this)\s+month\b", re.I)),
    ("weekday", re.compile(r"\b(?:(?P<last>last)\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|"
                           r"sunday)\b", re.I)),
]


@dataclass(frozen=True)
class DateSpan:
    """A resolved date expression: first day, last day (None for a single day), ACLED precision, span."""

    start: dt.date
    end: dt.date | None
    precision: int
    span: tuple[int, int]
    text: str
    since: bool = False           # "since October 2019": the start of something ongoing, not the event's date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_for(month: int, day: int, published: dt.date) -> int:
    """Year of a date given without one: the publication year unless that lands after publication."""
    try:
        candidate = dt.date(published.year, month, day)
    except ValueError:
        return published.year
    return published.year - 1 if candidate > published + dt.timedelta(days=1) else published.year


def _explicit_year(text: str | None, published: dt.date) -> int | None:
    if not text:
        return None
    if text.lower() == "last year":
        return published.year - 1
    if text.lower() == "this year":
        return published.year
    return int(text)


def _resolve(kind: str, m: re.Match[str], published: dt.date) -> tuple[dt.date, dt.date | None, int] | None:
    g = m.groupdict()
    if kind == "since":
        year_only = g.get("y2")
        if year_only:
            return dt.date(int(year_only), 1, 1), dt.date(int(year_only), 12, 31), 3
        month = MONTHS[g["month"].lower()]
        day = int(g.get("d") or g.get("d2") or 1)
        year = int(g["y"]) if g.get("y") else _year_for(month, day, published)
        return dt.date(year, month, day), None, 1 if (g.get("d") or g.get("d2")) else 3
    if kind == "year":
        year = int(g["y"])
        return dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(published, dt.date(year, 1, 1))), 3
    if kind == "years_ago":
        n = number_value(g["n"]) or 2
        n = n * 10 if "decade" in m.group(0).lower() else n
        year = published.year - n
        return dt.date(year, 1, 1), dt.date(year, 12, 31), 3
    if kind == "day_span":
        month = MONTHS[g["month"].lower()]
        year = int(g["y"]) if g.get("y") else _year_for(month, int(g["d"]), published)
        first, last = dt.date(year, month, int(g["d1"])), dt.date(year, month, int(g["d"]))
        return (first, last, 2) if first < last else (last, None, 1)
    if kind in ("iso", "dmy_slash"):
        return dt.date(int(g["y"]), int(g["m"]), int(g["d"])), None, 1
    if kind == "day_range":
        month = MONTHS[g["month"].lower()]
        year = int(g["y"]) if g.get("y") else _year_for(month, int(g["d"]), published)
        first, last = dt.date(year, month, int(g["d1"])), dt.date(year, month, int(g["d"]))
        return (first, last, 2) if first < last else (last, None, 1)
    if kind in ("day_month", "month_day"):
        month, day = MONTHS[g["month"].lower()], int(g["d"])
        year = int(g["y"]) if g.get("y") else _year_for(month, day, published)
        return dt.date(year, month, day), None, 1
    if kind in ("part_month", "month_year"):
        month = MONTHS[g["month"].lower()]
        year = _explicit_year(g.get("y"), published)
        if year is None:
            year = published.year if month <= published.month else published.year - 1
        last = _month_end(year, month)
        part = (g.get("part") or "").lower()
        if part in ("start", "beginning", "early"):
            return dt.date(year, month, 1), dt.date(year, month, 10), 2
        if part in ("end", "late"):
            return dt.date(year, month, 21), last, 2
        if part in ("middle", "mid"):
            return dt.date(year, month, 11), dt.date(year, month, 20), 2
        return dt.date(year, month, 1), last, 3
    if kind == "recent":
        # a trend over recent months: background, not a day of its own
        return published - dt.timedelta(days=365), published - dt.timedelta(days=31), 3
    if kind == "day_earlier":
        # "the huge outpouring a day earlier", "one day after X staged a protest": the day before the report
        return published - dt.timedelta(days=1), None, 1
    if kind == "weekday_range":
        last = published - dt.timedelta(days=(published.weekday() - WEEKDAYS[g["wd"].lower()]) % 7)
        first = last - dt.timedelta(days=(WEEKDAYS[g["wd"].lower()] - WEEKDAYS[g["wd1"].lower()]) % 7)
        return first, last, 2
    if kind == "overnight":
        # a night runs across midnight: the evening before publication and the publication day
        return published - dt.timedelta(days=1), published, 2
    if kind == "day_before":
        return published - dt.timedelta(days=2), None, 1
    if kind == "yesterday":
        return published - dt.timedelta(days=1), None, 1
    if kind == "today":
        return published, None, 1
    if kind == "last_days":
        n = number_value(g["n"]) or 2
        return published - dt.timedelta(days=n), published - dt.timedelta(days=1), 2
    if kind == "days_ago":
        n = number_value(g["n"]) or 2
        return published - dt.timedelta(days=n), None, 1
    if kind == "last_week":
        monday = published - dt.timedelta(days=published.weekday())
        which = g["which"].lower()
        if which == "this":
            return monday, published, 2
        if which == "past":
            return published - dt.timedelta(days=7), published - dt.timedelta(days=1), 2
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), 2
    if kind == "last_month":
        which = " ".join(g["which"].lower().split())
        if which in ("this", "earlier this"):
            return published.replace(day=1), published, 2
        if which == "past":
            return published - dt.timedelta(days=30), published - dt.timedelta(days=1), 2
        first_this = published.replace(day=1)
        last_prev = first_this - dt.timedelta(days=1)
        return last_prev.replace(day=1), last_prev, 3
    if kind == "weekday":
        wanted = WEEKDAYS[g["wd"].lower()]
        back = (published.weekday() - wanted) % 7
        if g.get("last") and back == 0:
            back = 7
        return published - dt.timedelta(days=back), None, 1
    return None


# Every pattern needs one of these: a sentence without any has no date (a cheap test before the full scan).
_ANY_DATE = re.compile(r"\d|\b(?:" + "|".join(sorted(set(MONTHS) | set(WEEKDAYS), key=len, reverse=True))
                       + r"|yesterday|today|tonight|night|morning|afternoon|evening|ago|since|overnight|recent|earlier|"
                         r"weekend|(?:week|month|year|decade|day|hour)s?)\b", re.I)


def find_dates(text: str, published: dt.date, offset: int = 0) -> list[DateSpan]:
    """Every date expression in ``text`` (non-overlapping, in text order), resolved against ``published``."""
    found: list[DateSpan] = []
    if not _ANY_DATE.search(text):
        return found
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            try:
                resolved = _resolve(kind, m, published)
            except ValueError:
                continue
            if resolved is None:
                continue
            start, end, precision = resolved
            if end is not None and end < start:
                end = start
            taken.append((s, e))
            found.append(DateSpan(start, end, precision, (offset + s, offset + e), text[s:e], since=kind == "since"))
    found.sort(key=lambda d: d.span)
    return found


def parse_date_text(text: str) -> dt.date | None:
    """A single calendar date written in any common form ("2020-05-09", "9 May 2020", "May 9, 2020")."""
    text = text.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    for kind in ("day_month", "month_day", "dmy_slash"):
        pattern = dict(_PATTERNS)[kind]
        m = pattern.search(text)
        if m and m.groupdict().get("y"):
            try:
                resolved = _resolve(kind, m, dt.date(int(m["y"]), 12, 31))
            except ValueError:
                return None
            return resolved[0] if resolved else None
    return None
