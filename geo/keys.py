"""Stable incident keys, so that re-importing the same rows updates them instead of duplicating them.

- ACLED rows keep ACLED's ``event_id_cnty`` (e.g. ``SYR12345``).
- UCDP GED rows use ``ucdp:<id>``.
- Anything else gets ``h:<sha1>`` of its normalised core fields (date, type, actors, place, rounded
  coordinates, notes, document id): the same incident imported twice gets the same key.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

#: Fields hashed for rows without an id of their own, in this order.
CORE_FIELDS = ("event_date", "date_end", "event_type", "sub_event_type", "actor1", "actor2", "location",
               "latitude", "longitude", "notes", "doc_id")

_SPACES = re.compile(r"\s+")


def _norm(value) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return _SPACES.sub(" ", str(value)).strip().casefold()


def content_hash(record: dict) -> str:
    """``h:`` + sha1 of the normalised core fields of one record (a mapping of column -> value)."""
    text = "\x1f".join(_norm(record.get(field)) for field in CORE_FIELDS)
    return "h:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def fill_event_ids(frame: pd.DataFrame) -> pd.Series:
    """``frame.event_id`` stripped, with a content hash wherever it is missing (object dtype)."""
    ids = frame["event_id"].astype(object) if "event_id" in frame else pd.Series(None, index=frame.index,
                                                                              dtype=object)
    ids = pd.Series([None if v is None or (not isinstance(v, str) and pd.isna(v)) else (str(v).strip() or None)
                     for v in ids.tolist()],
                    index=frame.index, dtype=object)
    missing = ids.isna()
    if missing.any():
        present = [c for c in CORE_FIELDS if c in frame]
        records = frame.loc[missing, present].to_dict("records")
        ids.loc[missing] = [content_hash(r) for r in records]
    return ids
