"""Compact JSON encoding of an incident frame for the map's client-side JavaScript.

The browser gets the incidents once, column by column: repeated strings (places, actors, types,
sources) are dictionary-encoded into one string table, dates are day deltas, long notes are trimmed
when many incidents are shown so the payload stays small. ``assets/atlas/atlas.js`` decodes it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from geo.map._passage import passage_spans

#: Budget for all notes together (characters); notes are trimmed to fit it at large sizes.
NOTES_BUDGET_CHARS = 2_500_000
NOTES_MAX_CHARS = 1500
NOTES_MIN_CHARS = 40  # below this a note says nothing: notes are left out instead
COORD_SCALE = 10_000  # 1e-4 degree ~ 11 m (ACLED's own precision)

_EPOCH = np.datetime64("1970-01-01", "D")


def json_for_script(value: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element and inside folium's templates.

    ``<``, ``>``, ``&`` and ``'`` become ``\\uXXXX`` escapes (so no ``</script>`` or ``<!--`` can end the
    element, and streamlit-folium's ``{{'name'}}`` rewriting cannot match user text); so do U+2028/9
    and the second character of ``{{``, ``{%`` and ``{#``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    # Template delimiters ({{ {% {#) can only occur inside JSON strings: escape them there so no
    # template engine on the way (jinja in folium/branca) can ever evaluate user text.
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


class _Strings:
    """One shared string table; index 0 is the empty string (missing values)."""

    def __init__(self) -> None:
        self.items: list[str] = [""]
        self.index: dict[str, int] = {"": 0}

    def codes(self, series: pd.Series) -> np.ndarray:
        """Table index of every value of ``series`` (NaN/None/blank -> 0)."""
        local, uniques = pd.factorize(series, sort=False, use_na_sentinel=True)
        if not len(uniques):
            return np.zeros(len(series), dtype=np.int64)
        mapped = np.fromiter((self.add(_clean_text(value)) for value in uniques), dtype=np.int64,
                             count=len(uniques))
        return np.where(local < 0, 0, mapped[local])

    def add(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.items)
            self.items.append(value)
        return found


def _clean_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype="object")


def _int_column(frame: pd.DataFrame, name: str, default: int) -> np.ndarray:
    values = pd.to_numeric(_column(frame, name), errors="coerce")
    return values.fillna(default).round().astype(np.int64).to_numpy()


def _days(series: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 (int64; -1_000_000 for missing)."""
    stamps = pd.to_datetime(series.astype("object").where(series.notna(), None), errors="coerce")
    days = stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = (days - _EPOCH).astype(np.int64)
    out[np.isnat(days)] = -1_000_000
    return out


_SAFE_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)


def safe_url(value: Any) -> str:
    """The URL if it is an http(s) link, else an empty string (no javascript:, data:, ... links)."""
    text = _clean_text(value)
    return text if _SAFE_URL.match(text) else ""


def _safe_url_codes(series: pd.Series, strings: "_Strings") -> np.ndarray:
    """String-table index of every row's safe URL (0 = none), checking each distinct value once."""
    raw = series.astype("object")
    codes, uniques = pd.factorize(raw.where(raw.notna(), ""), sort=False)
    if not len(uniques):
        return np.zeros(len(series), dtype=np.int64)
    cleaned = pd.Series(uniques, dtype="object").astype(str).str.strip()
    ok = cleaned.str.match(_SAFE_URL.pattern, case=False).fillna(False).to_numpy(dtype=bool)
    table = np.array([strings.add(u) if good else 0 for u, good in zip(cleaned, ok)], dtype=np.int64)
    return table[codes]


def coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) float arrays from latitude/longitude, falling back to the point geometry."""
    lat = pd.to_numeric(_column(frame, "latitude"), errors="coerce").to_numpy(dtype=float, copy=True)
    lon = pd.to_numeric(_column(frame, "longitude"), errors="coerce").to_numpy(dtype=float, copy=True)
    geometry = getattr(frame, "geometry", None) if "geometry" in frame.columns else None
    missing = np.isnan(lat) | np.isnan(lon)
    if geometry is not None and missing.any():
        geoms = geometry.to_numpy()
        for i in np.flatnonzero(missing):
            g = geoms[i]
            if g is not None and not g.is_empty:
                point = g if g.geom_type == "Point" else g.representative_point()
                lat[i], lon[i] = point.y, point.x
    return lat, lon


@dataclass
class Encoded:
    """The payload dict plus what the Python side needs to know about it."""

    payload: dict
    count: int  # incidents drawn (rows with coordinates)
    dropped: int  # rows without usable coordinates
    notes_limit: int | None
    region_ids: list[str]


def notes_limit_for(count: int) -> int:
    """Character limit per note for ``count`` incidents (0 = notes left out of the map)."""
    if count <= 0:
        return NOTES_MAX_CHARS
    limit = min(NOTES_MAX_CHARS, NOTES_BUDGET_CHARS // count)
    return limit if limit >= NOTES_MIN_CHARS else 0


def _trim(notes: pd.Series, limit: int) -> list[str]:
    if limit <= 0:
        return []
    text = notes.astype("object").where(notes.notna(), "").astype(str).str.strip()
    long = text.str.len() > limit
    if long.any():
        text = text.copy()
        text[long] = text[long].str.slice(0, limit - 1).str.rstrip() + "\u2026"
    return text.tolist()


def _tuples(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Factorize rows of several int columns: (row -> tuple index, flat unique tuples, row-major)."""
    columns = [np.asarray(c, dtype=np.int64) for c in columns]
    n = len(columns[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    code = np.zeros(n, dtype=np.int64)
    for column in columns:  # hash-factorize pairwise: every intermediate code stays below n
        local, _ = pd.factorize(column, sort=False)
        code, _ = pd.factorize(code * (int(local.max()) + 1) + local, sort=False)
    first = np.full(int(code.max()) + 1, -1, dtype=np.int64)
    first[code[::-1]] = np.arange(n - 1, -1, -1)  # first row of each tuple
    uniques = np.column_stack([c[first] for c in columns])
    return code, uniques.reshape(-1)


def _sparse(values: np.ndarray, default: int) -> list[int]:
    """[row, value, row, value, ...] for the rows whose value differs from ``default``."""
    rows = np.flatnonzero(values != default)
    return np.column_stack([rows, values[rows]]).reshape(-1).tolist()


def encode_incidents(frame: pd.DataFrame, *, highlight_ids: Sequence[str] = (),
                     icon_of=None) -> Encoded:
    """Encode an incident frame (schema columns + geometry) for ``atlas.js``.

    Rows without coordinates are left out (and counted in ``dropped``). ``icon_of`` maps a kind
    to an icon stem.
    """
    lat, lon = coordinates(frame)
    ok = ~(np.isnan(lat) | np.isnan(lon))
    dropped = int((~ok).sum())
    if dropped:
        frame, lat, lon = frame[ok], lat[ok], lon[ok]
    days = _days(_column(frame, "event_date"))
    order = np.argsort(days, kind="stable")
    frame = frame.iloc[order]
    lat, lon, days = lat[order], lon[order], days[order]
    n = len(frame)

    strings = _Strings()
    end = _days(_column(frame, "date_end"))
    span = np.where((end > -1_000_000) & (days > -1_000_000) & (end >= days), end - days, 0)
    first = int(days[0]) if n and days[0] > -1_000_000 else 0
    valid_days = np.where(days > -1_000_000, days, first)
    delta = np.diff(valid_days, prepend=first) if n else valid_days
    undated = np.flatnonzero(days <= -1_000_000)

    kinds = _column(frame, "kind")
    kind_codes = strings.codes(kinds)
    icon_codes = np.zeros(n, dtype=np.int64)
    if n:
        icon_of = icon_of or (lambda k: "other")
        local, uniques = pd.factorize(kinds.astype("object").where(kinds.notna(), ""), sort=False)
        stems = np.array([strings.add(icon_of(u)) for u in uniques] or [0], dtype=np.int64)
        icon_codes = stems[local] if len(uniques) else icon_codes
    type_idx, type_tuples = _tuples([
        strings.codes(_column(frame, "event_type")), strings.codes(_column(frame, "sub_event_type")),
        kind_codes, icon_codes])
    actor_idx, actor_tuples = _tuples([strings.codes(_column(frame, c)) for c in
                                       ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")])
    precision = _int_column(frame, "geo_precision", 1)
    region_codes = strings.codes(_column(frame, "region_id"))
    place_idx, place_tuples = _tuples([
        strings.codes(_column(frame, "location")), strings.codes(_column(frame, "admin1")),
        strings.codes(_column(frame, "country")), precision, region_codes])
    coord_idx, coord_tuples = _tuples([np.round(lat * COORD_SCALE), np.round(lon * COORD_SCALE)])
    source_codes = strings.codes(_column(frame, "source"))  # before the (many, unique) URLs: short indices
    url_codes = _safe_url_codes(_column(frame, "source_url"), strings)
    limit = notes_limit_for(n)

    wanted = {str(i) for i in highlight_ids}
    ids = _column(frame, "event_id").astype("object").where(_column(frame, "event_id").notna(), "")
    ids = ids.astype(str).tolist()
    highlighted = [i for i, e in enumerate(ids) if e in wanted] if wanted else []

    region_ids = sorted({strings.items[c] for c in np.unique(region_codes[precision == 3]) if c})

    payload = {
        "n": n,  # keep first: the page script then reads '"data":{"n":<count>' (dashboard tests rely on it)
        "s": None,  # filled last, after every string was added
        "id": ids,
        "d0": first,
        "d": delta.astype(np.int64).tolist(),
        "nd": undated.tolist(),
        "de": _sparse(span.astype(np.int64), 0),
        "tp": _sparse(_int_column(frame, "time_precision", 1), 1),
        "T": type_tuples.tolist(),
        "t": type_idx.tolist(),
        "A": actor_tuples.tolist(),
        "a": actor_idx.tolist(),
        "P": place_tuples.tolist(),
        "p": place_idx.tolist(),
        "C": coord_tuples.tolist(),
        "xy": coord_idx.tolist(),
        "f": _sparse(_int_column(frame, "fatalities", -1), 0),
        "c": _sparse(_int_column(frame, "count", -1), 1),
        "src": source_codes.tolist(),
        "u": _sparse(url_codes, 0),
        "no": _trim(_column(frame, "notes"), limit),
        "nl": limit if limit < NOTES_MAX_CHARS else None,
        "sp": None,  # the sentence to highlight in each passage (geo.map._passage), filled below
        "hl": highlighted,
        "cs": COORD_SCALE,
    }
    payload["sp"] = passage_spans(frame, payload["no"])
    payload["s"] = strings.items
    return Encoded(payload=payload, count=n, dropped=dropped,
                   notes_limit=payload["nl"], region_ids=region_ids)


def encode_aggregates(agg: Any, view: Any = None) -> dict:
    """Compact columnar JSON of :class:`geo.map.aggregate.Aggregates` for ``atlas.js``'s count bubbles.

    ``la``/``lo`` are cell positions in 1e-4 degrees, ``k`` exact counts, ``t`` the index of the cell's
    dominant type in ``T``; ``n`` the incidents in cells, ``out``/``nc`` those outside the view and
    without coordinates. ``view`` (a :class:`geo.map.aggregate.View`) is where the map opens.
    """
    payload = {
        "n": int(agg.total),
        "la": np.round(agg.lat * COORD_SCALE).astype(np.int64).tolist(),
        "lo": np.round(agg.lon * COORD_SCALE).astype(np.int64).tolist(),
        "k": agg.count.astype(np.int64).tolist(),
        "t": agg.top.astype(np.int64).tolist(),
        "T": list(agg.types),
        "out": int(agg.outside),
        "nc": int(agg.missing),
        "z": float(agg.zoom),
        "cs": COORD_SCALE,
    }
    if view is not None:
        payload["view"] = [float(view.south), float(view.west), float(view.north), float(view.east)]
    return payload
