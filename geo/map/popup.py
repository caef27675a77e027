"""Server-side popup HTML for one incident (every value escaped; only http(s) links).

The map itself builds popups in the browser (assets/atlas/atlas.js); this is the same content for
Python callers that need an HTML string, e.g. a plain folium layer or the benchmark baseline.
"""

from __future__ import annotations

import html
import math
from typing import Any, Mapping

from geo.map._passage import passage_of
from geo.map.payload import safe_url

PRECISION_TEXT = {1: "exact place", 2: "approximate (near a place / part of a region)", 3: "region only"}


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def popup_html(row: Mapping[str, Any]) -> str:
    """The popup of one incident record as an HTML fragment (all user text escaped)."""
    e = lambda v: html.escape(_text(v), quote=True)  # noqa: E731
    date = e(row.get("event_date"))
    if _text(row.get("date_end")) and _text(row.get("date_end")) != _text(row.get("event_date")):
        date += " &ndash; " + e(row.get("date_end"))
    actors = " vs ".join(x for x in (e(row.get("actor1")), e(row.get("actor2"))) if x)
    where = ", ".join(x for x in (e(row.get("location")), e(row.get("admin1")), e(row.get("country"))) if x)
    try:
        precision = PRECISION_TEXT.get(int(row.get("geo_precision") or 1), "")
    except (TypeError, ValueError):
        precision = ""
    rows = [("Date", date), ("Type", " &mdash; ".join(x for x in (e(row.get("event_type")),
                                                                   e(row.get("sub_event_type"))) if x)),
            ("Actors", actors), ("Location", where), ("Precision", html.escape(precision)),
            ("Fatalities", e(row.get("fatalities"))), ("Source", e(row.get("source")))]
    url = safe_url(row.get("source_url"))
    if url:
        rows.append(("Link", f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                              f'rel="noopener noreferrer nofollow">{html.escape(url)}</a>'))
    body = "".join(f'<tr><th>{k}</th><td dir="auto">{v}</td></tr>' for k, v in rows if v)
    notes = _passage(*passage_of(_text(row.get("notes")), row.get("span"), row.get("extra")))
    return (f'<div class="ia-popup"><b>{e(row.get("kind")) or "incident"}</b><table>{body}</table>'
            + (f'<div class="ia-pop-notes" dir="auto">{notes}</div>' if notes else "") + "</div>")


def _passage(notes: str, sentence: str) -> str:
    """The notes escaped, with the extracted sentence (when found in them) in a ``<mark>``."""
    at = notes.find(sentence) if sentence else -1
    if at < 0:
        return html.escape(notes, quote=True)
    return (html.escape(notes[:at], quote=True) + '<mark class="ia-pop-sentence">'
            + html.escape(sentence, quote=True) + "</mark>" + html.escape(notes[at + len(sentence):], quote=True))
