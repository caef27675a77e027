"""The sentence of a stored passage that an incident was extracted from (for highlighting in popups).

The extractor keeps the passage as ``notes`` and the matched sentence as ``span`` in the ``extra`` JSON;
:func:`passage_spans` lists, sparsely, the spans that can be found inside the notes a map carries.
"""

from __future__ import annotations

import json

import pandas as pd


def span_of(extra: object) -> str:
    """The ``span`` (extracted sentence) in an ``extra`` JSON text, or an empty string."""
    if not isinstance(extra, str) or '"span"' not in extra:
        return ""
    try:
        value = json.loads(extra)
    except ValueError:
        return ""
    span = value.get("span") if isinstance(value, dict) else None
    return span.strip() if isinstance(span, str) else ""


def passage_spans(frame: pd.DataFrame, notes: list[str]) -> list:
    """``[row, span, row, span, ...]`` for rows whose ``extra`` names a span found in their (shown) notes."""
    if not notes or "extra" not in frame.columns:
        return []
    out: list = []
    for row, (extra, text) in enumerate(zip(frame["extra"].tolist(), notes)):
        span = span_of(extra)
        if span and span in text:
            out.extend((row, span))
    return out
