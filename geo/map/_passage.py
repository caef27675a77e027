"""The stored passage of an incident and the sentence in it to highlight (for popups and previews).

The extractor keeps the sentence an incident was read from as ``notes``; when several passages of a report
were merged into one incident, all of them stay in the ``extra`` JSON as ``excerpts`` (``[{"span", "text"}]``).
The passage shown is then those excerpts, with the incident's own sentence (``notes``) marked. A ``span``
that is text inside the notes (rather than the extractor's "start-end" offsets into the document) is marked
within the notes. :func:`passage_spans` lists this, sparsely, for the rows of a map.
"""

from __future__ import annotations

import json
import re

import pandas as pd

_OFFSETS = re.compile(r"^\s*\d+\s*-\s*\d+\s*$")
SEPARATOR = "\n…\n"


def _extra(extra: object) -> dict:
    if not isinstance(extra, str) or not extra.strip().startswith("{"):
        return {}
    try:
        value = json.loads(extra)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def passage_of(notes: object, span: object = None, extra: object = None) -> tuple[str, str]:
    """``(passage, sentence)``: the text to show and the part of it to mark ("" when nothing is marked)."""
    notes = notes.strip() if isinstance(notes, str) else ""
    info = _extra(extra)
    texts = [e.get("text").strip() for e in info.get("excerpts") or []
             if isinstance(e, dict) and isinstance(e.get("text"), str) and e.get("text").strip()]
    if notes and len(texts) > 1:
        passage = SEPARATOR.join(dict.fromkeys(texts if notes in texts else [*texts, notes]))
        return passage, notes
    for candidate in (span, info.get("span")):
        if isinstance(candidate, str) and candidate.strip() and not _OFFSETS.match(candidate) \
                and candidate.strip() in notes:
            return notes, candidate.strip()
    return notes, ""


def passage_spans(frame: pd.DataFrame, notes: list[str]) -> list:
    """``[row, passage, sentence, ...]`` for the rows of ``frame`` that have a sentence to mark; ``notes`` are
    the (possibly shortened) notes a map carries, so a passage is listed only when the notes are whole."""
    if not notes or ("span" not in frame.columns and "extra" not in frame.columns):
        return []
    none = [None] * len(frame)
    spans = frame["span"].tolist() if "span" in frame.columns else none
    extras = frame["extra"].tolist() if "extra" in frame.columns else none
    originals = frame["notes"].tolist() if "notes" in frame.columns else none
    out: list = []
    for row, (span, extra, original, shown) in enumerate(zip(spans, extras, originals, notes)):
        if not isinstance(original, str) or original.strip() != shown:
            continue  # shortened on a large map: no passage
        passage, sentence = passage_of(original, span, extra)
        if sentence:
            out.extend((row, passage if passage != shown else "", sentence))
    return out
