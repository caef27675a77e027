"""Import preview helpers: which incidents need a look, and Arabic passages shown right-to-left.

Streamlit code, imported only by the dashboard. The preview table is a canvas grid that cannot lay out
right-to-left text, so Arabic excerpts and places are repeated below it (escaped Markdown) in a container
styled right-to-left.
"""

from __future__ import annotations

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


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def arabic_rows(frame: pd.DataFrame) -> list[dict]:
    """The incidents whose place or excerpt is Arabic: id, needs_review, place, and the passage split
    around the marked sentence (``before``, ``sentence``, ``after``; plain text, not yet escaped)."""
    out = []
    for _, row in frame.iterrows():
        notes, place = _cell(row.get("notes")), _cell(row.get("location"))
        if not (_ARABIC.search(notes) or _ARABIC.search(place)):
            continue
        passage, sentence = passage_of(notes, row.get("span"), row.get("extra"))
        at = passage.find(sentence) if sentence else -1
        before, after = (passage, "") if at < 0 else (passage[:at], passage[at + len(sentence):])
        out.append({"event_id": _cell(row.get("event_id")), "needs_review": needs_review(row.get("extra")),
                    "place": place, "before": before, "sentence": sentence if at >= 0 else "", "after": after})
        if len(out) >= LIMIT:
            break
    return out


def arabic_passages(frame: pd.DataFrame) -> None:
    """Say which incidents the extractor flagged ``needs_review`` and show the Arabic passages of a preview
    right-to-left. Text goes through escaped Markdown only; a constant style sets the container's direction."""
    from geo.query import escape_markdown as esc

    if "extra" in frame and len(frame):
        flagged = [_cell(e) for e, x in zip(frame["event_id"], frame["extra"]) if needs_review(x)]
        st.caption("needs_review: " + (esc(", ".join(flagged)) + " — check these before committing." if flagged
                                       else "no incident is flagged."))
    rows = arabic_rows(frame)
    if not rows:
        return
    st.html("<style>.st-key-ia_rtl_passages [data-testid='stMarkdownContainer']"
            " { direction: rtl; text-align: right; }</style>")
    st.markdown("**Arabic passages** (right-to-left)")
    with st.container(key="ia_rtl_passages"):
        for r in rows:
            flag = " · needs review" if r["needs_review"] else ""
            marked = f"**{esc(r['sentence'])}**" if r["sentence"] else ""
            st.markdown(f"{esc(r['event_id'])}{flag} · {esc(r['place'])}  \n"
                        f"{esc(r['before'])}{marked}{esc(r['after'])}")
