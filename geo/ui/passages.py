"""Import preview helpers: which incidents need a look, and Arabic passages shown right-to-left.

Streamlit code, imported only by the dashboard. The preview table is a canvas grid that cannot lay out
right-to-left text, so Arabic excerpts and places are repeated below it as escaped HTML with ``dir="auto"``.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import streamlit as st

from geo.map._passage import passage_of

_ARABIC = re.compile(r"[\u0600-\u06ff]")
LIMIT = 50  # passages listed below the preview table


def needs_review(extra: object) -> bool:
    """True when the extractor flagged the incident (``"needs_review": true`` in its ``extra`` JSON)."""
    if not isinstance(extra, str) or "needs_review" not in extra:
        return False
    try:
        value = json.loads(extra)
    except ValueError:
        return False
    return isinstance(value, dict) and bool(value.get("needs_review"))


def preview_table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The preview's columns with ``needs_review`` first after the id (when the frame has ``extra``)."""
    shown = pd.DataFrame(frame[columns])
    if "extra" in frame:
        shown.insert(1 if "event_id" in shown else 0, "needs_review", frame["extra"].map(needs_review).to_numpy())
    return shown


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def passages_html(frame: pd.DataFrame) -> str:
    """Escaped HTML of the incidents whose place or excerpt is Arabic: right-to-left, sentence marked."""
    items = []
    for _, row in frame.iterrows():
        notes, place = _cell(row.get("notes")), _cell(row.get("location"))
        if not (_ARABIC.search(notes) or _ARABIC.search(place)):
            continue
        notes, sentence = passage_of(notes, row.get("span"), row.get("extra"))
        at = notes.find(sentence) if sentence else -1
        text = html.escape(notes) if at < 0 else (
            html.escape(notes[:at]) + "<mark>" + html.escape(sentence) + "</mark>"
            + html.escape(notes[at + len(sentence):]))
        flag = " · needs review" if needs_review(row.get("extra")) else ""
        items.append(f'<li><b>{html.escape(_cell(row.get("event_id")))}</b>{flag} · '
                     f'<span dir="auto" class="ia-place">{html.escape(place)}</span>'
                     f'<div dir="auto" class="ia-passage">{text}</div></li>')
        if len(items) >= LIMIT:
            break
    return f'<ul class="ia-passages">{"".join(items)}</ul>' if items else ""


def arabic_passages(frame: pd.DataFrame) -> None:
    """Show the Arabic passages of a preview right-to-left (nothing when there are none)."""
    body = passages_html(frame)
    if body:
        st.markdown("**Arabic passages** (right-to-left)")
        st.html(body)
