"""How a news report frames what it tells: datelines, background, claims.

News articles are not one-event notes. Their first line may carry a dateline ("DAMASCUS (Reuters) -",
"IDLIB, Syria (AP) -", "MOSCOW, October 15. /TASS/.") naming where the story was filed, not where anything
happened; they recall background (an incident months or years before the report, "since October 2019",
"in 2011", "29 years ago"); and they relay one side's claims ("the group claimed to have captured ..."). None of
these is a new incident for the map: the pipeline keeps them as provenance only.
"""

from __future__ import annotations

import datetime as dt
import re

from geo.extract._dates import DateSpan

_AGENCY = (r"(?:Reuters|AFP|AP|dpa|DPA|UPI|SANA|TASS|ANHA|Xinhua|IRNA|Anadolu|AA|Kurdistan\s*24|Rudaw|"
           r"Enab\s+Baladi|Syria\s+Direct|CNN|BBC|Al\s+Jazeera|[A-Z][\w.]{1,15}(?:\s+[A-Z0-9][\w.]{0,12}){0,2})")
_CAPS_PLACE = r"[A-Z][A-Z'\-]+(?:\s+[A-Z][A-Z'\-]+){0,3}"
_DATELINE = re.compile(
    r"(?m)^[ \t*_>#-]*(?P<place>" + _CAPS_PLACE + r"(?:,\s*[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)?)"
    r"(?:\s*,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?)?"
    r"\s*(?:[.,]?\s*/?\(?\s*/?" + _AGENCY + r"\s*/?\)?\s*/?\.?)?\s*[-:|/.]\s")
_MIXED_DATELINE = re.compile(
    r"(?m)^[ \t*_>#-]*(?P<place>[A-Z][\w'-]+(?:[ ,]+[A-Z][\w'-]+){0,2})\s*,?\s*"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*)?\(\s*" + _AGENCY + r"\s*\)\s*[-:|]\s")

_CLAIM = re.compile(r"\b(?:claim(?:ed|s|ing)?|purport(?:ed|s|edly)?)\b(?:\s+(?:that|to\s+have|it|they|responsibility))?"
                    r"[^.;]{0,80}$", re.I)
_SAID_CAPTURE = re.compile(r"\b(?:said|says|announced|stated|declared)\s+(?:that\s+)?(?:it|they|its\s+(?:forces|fighters)|"
                           r"their\s+(?:forces|fighters))\s+(?:had|have|has)\s+(?:[\w-]+\s+){0,2}$", re.I)

BACKGROUND_DAYS = 30       # a span or month ending this long before publication is background
BACKGROUND_DAY_DAYS = 366  # a single day this long before publication is background


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of place names in datelines (start of a line, capitals or before an agency name)."""
    spans: list[tuple[int, int]] = []
    for pattern in (_DATELINE, _MIXED_DATELINE):
        for m in pattern.finditer(text):
            place = m.group("place")
            if pattern is _DATELINE and not any(ch.islower() for ch in m.group(0)[:len(place)].split(",")[0]) and \
                    len(place.split(",")[0].replace(" ", "")) < 4:
                continue
            s, e = m.span("place")
            if not any(s < pe and ps < e for ps, pe in spans):
                spans.append((s, e))
    return spans


def is_background(date: DateSpan, published: dt.date) -> bool:
    """True for a date that places an incident clearly before the report's window.

    "since ..." is the start of something ongoing (see :func:`ongoing_span`); a span, month or year that ended
    more than a month before publication is history; a single day counts as history after a year.
    """
    if date.since:
        return True
    last = date.end or date.start
    if date.precision >= 3 and (last - date.start).days > 45:
        return True  # a whole year or more ("in 2025", "since the start of 2025"): no day of its own
    if date.precision >= 2:
        return last < published - dt.timedelta(days=BACKGROUND_DAYS)
    return last < published - dt.timedelta(days=BACKGROUND_DAY_DAYS)


_CLAUSE_BREAK = re.compile(r"[,;:()]|\s-\s|\b(?:but|while|whereas|as)\b")
_CONTINUES = re.compile(r"^\s*(?:and\s+)?(?:\w+ing|which|who|that|where|when|before|after)\b", re.I)


def background_clauses(sentence: str, history: list[tuple[int, int]],
                       current: list[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of the clauses of ``sentence`` that a background date (given as spans in the sentence) governs.

    A clause runs between commas, semicolons, parentheses, dashes and "but/while"; it extends over following
    clauses that continue it ("..., killing dozens", "..., which ..."), and a bare date clause ("..., in 2011")
    also covers the clause before it. A clause that also holds a ``current`` date is about now ("On 8 May, ...
    protested the execution of a man arrested 2 years ago").
    """
    cuts = [0] + [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    out: list[tuple[int, int]] = []
    now = background_clauses(sentence, list(current)) if current else []  # clauses a current date governs
    for ds, de in history:
        idx = next((i for i, (a, b) in enumerate(clauses) if a <= ds < b), None)
        if idx is None:
            continue
        first, last = idx, idx
        a, b = clauses[idx]
        if not sentence[de:b].strip(" ,;:.") and len(sentence[a:b].split()) <= 5 and idx + 1 < len(clauses) and \
                not sentence[a:ds].strip(" ,;:(-").lower().endswith(("since",)) and (idx == 0 or sentence[a] != ","):
            last += 1  # "In 2011, the army attacked Hama": a leading date governs the clause after it
        relative = bool(re.match(r"^[\s,;(-]*(?:which|who|that|where|when)\b", sentence[a:b], re.I))
        while not relative and last + 1 < len(clauses) and _CONTINUES.match(sentence[clauses[last + 1][0] + 1:clauses[last + 1][1]]):
            last += 1
        a, b = clauses[idx]
        if idx > 0 and len(sentence[a:b].split()) <= 5 and sentence[a:ds].strip(" ,;:(-").lower() in (
                "", "in", "on", "during", "back in", "as early as"):
            first -= 1
        lo, hi = clauses[first][0], clauses[last][1]
        if any(lo < ce and cs < hi for cs, ce in now):
            continue
        out.append((lo, hi))
    return out


def ongoing_span(published: dt.date, span: tuple[int, int], text: str) -> DateSpan:
    """Activity going on at publication ("has been shelled since October"): the two days ending on publication."""
    return DateSpan(published - dt.timedelta(days=1), published, 2, span, text)


def is_claim(sentence_text: str, trigger_offset: int, cls: str) -> bool:
    """True when the event at ``trigger_offset`` in the sentence is only one side's claim.

    "X claimed (to have) ...", "claims of ...", and, for a capture of territory, "X said it had taken ...".
    """
    before = sentence_text[max(0, trigger_offset - 120):trigger_offset]
    clause = re.split(r";|\.\s", before)[-1]
    if _CLAIM.search(clause):
        return True
    capture = cls in ("territory", "transfer") or bool(re.match(r"(?:captured|seized|took|taken|gained|controlled)\b",
                                                                sentence_text[trigger_offset:trigger_offset + 12], re.I))
    return capture and bool(_SAID_CAPTURE.search(clause[-60:]))
