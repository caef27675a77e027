"""An in-memory index of a store's incidents: filters, facets and the timeline without rescanning every row.

The dashboard builds one :class:`IncidentIndex` per store state (cached until the store's change marker
moves). Rows are kept in date order, so a date range is a slice found by binary search, and every value
of the common filters (type, actor, governorate, district, precision, source) has a posting list: the
sorted positions of the rows holding it. :meth:`IncidentIndex.select` answers a :class:`Filters` by
slicing and intersecting posting lists, so its cost follows the size of the lists involved rather than
the number of incidents; fields without an index (free text, map box, any field added later) are
matched by their declared matcher (``geo.filters.FIELDS``) on the remaining candidates only. The result
is exactly ``Filters.mask`` (tests/test_query_index.py checks it on random filters).

The :class:`Selection` it returns gives the frame of the matching rows and, from the same positions and
precomputed value codes, the facets (the dict of :func:`geo.query.counts.facets`), the timeline
(:func:`geo.query.timeline.timeline`) and the summary (:func:`geo.query.summary.summarize`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.filters import ACTOR_COLUMNS, TYPE_COLUMNS, Filters, region_isos
from geo.query import _index_counts as counting
from geo.query import _postings as P
from geo.query.summary import Summary

_EPOCH = np.datetime64("1970-01-01", "D")


def _days(values: pd.Series) -> np.ndarray:
    return (pd.to_datetime(values).to_numpy().astype("datetime64[D]") - _EPOCH).astype(np.int64)


# How one stored value (None when missing) becomes a label, as the declared matchers and the frame-based
# counting functions see it.
def _casefold(value: object) -> str:
    return "" if value is None else str(value).casefold()


def _upper(value: object) -> str:
    return "" if value is None else str(value).upper()


def _same(value: object) -> object:
    return None if value is None else int(value)


def _display(value: object) -> str | None:
    """Facet labels as ``geo.query.counts.value_counts`` shows them: stripped text, blanks missing."""
    return (str(value).strip() or None) if value is not None else None


def _timeline_type(value: object) -> str:
    return "Unknown" if value is None or str(value) == "" else str(value)


class _Keyed:
    """Posting lists of one normalised column: label -> sorted positions."""

    def __init__(self, codes: np.ndarray, labels: list) -> None:
        self.codes, self.labels = codes, labels
        self._lists = P.postings(codes, len(labels))
        self._by_label = {label: i for i, label in enumerate(labels)}

    def find(self, label) -> np.ndarray:
        i = self._by_label.get(label)
        return self._lists[i] if i is not None else P.EMPTY


class _Listed:
    """Posting lists of ``;``-separated names over one or more columns, via their distinct combinations."""

    def __init__(self, frame: pd.DataFrame, columns: tuple[str, ...], coded: dict | None = None) -> None:
        self.codes, self.combos = P.combined_codes(frame, columns, coded)
        self._lists = P.postings(self.codes, len(self.combos))
        self._combos_of: dict[str, list[int]] = {}
        #: The names (as written, blanks left out) and the (combination, name) pairs, for counting names
        #: with two bincounts instead of splitting every combination again on each count.
        self.names: list[str] = []
        name_codes: dict[str, int] = {}
        pair_combo, pair_name = [], []
        for i, combo in enumerate(self.combos):
            for name in P.split_names(combo):
                self._combos_of.setdefault(name.casefold(), []).append(i)
                if name:
                    pair_combo.append(i)
                    pair_name.append(name_codes.setdefault(name, len(name_codes)))
        self.names = list(name_codes)
        self.pair_combo = np.array(pair_combo, dtype=np.int64)
        self.pair_name = np.array(pair_name, dtype=np.int64)
        self._cache: dict[str, np.ndarray] = {}

    def find(self, folded_name: str) -> np.ndarray:
        if folded_name not in self._cache:
            self._cache[folded_name] = P.union(self._lists[i] for i in self._combos_of.get(folded_name, ()))
        return self._cache[folded_name]


class IncidentIndex:
    """Incidents of one store state, indexed for filtering and counting (build once, query many times)."""

    #: Fields answered from posting lists, the date order or the folded text; others use their declared matcher.
    INDEXED = ("since", "until", "actors", "types", "sources", "regions", "districts", "precisions", "text")
    #: The text columns whose value codes the index groups rows by (see ``codes`` below).
    CODED = (*TYPE_COLUMNS, *ACTOR_COLUMNS, "admin1_iso", "admin2", "source")

    def __init__(self, frame: pd.DataFrame, codes: dict[str, P.Coded] | None = None) -> None:
        """Index ``frame`` (any order; the index keeps it sorted by date and id). ``codes``: value codes of
        some of its text columns in the frame's row order (``GeoPackageStore.read_frame_codes``), which
        spare hashing every row's text; the index is the same with or without them."""
        dates = pd.to_datetime(frame["event_date"])
        if not dates.is_monotonic_increasing:
            order = np.lexsort((frame["event_id"].astype(str).to_numpy(), dates.to_numpy()))
            frame = frame.iloc[order]
            codes = None  # they describe the rows in their former order
        self.frame = frame.reset_index(drop=True)
        f = self.frame
        codes = codes or {}
        self.start = _days(f["event_date"])
        end = pd.to_datetime(f["date_end"]).fillna(pd.to_datetime(f["event_date"])) if "date_end" in f \
            else pd.to_datetime(f["event_date"])
        self.end = _days(end)
        #: How far (days) an event's end can lie after its start: the look-back of a "since" slice.
        self.reach = int(max(0, (self.end - self.start).max())) if len(f) else 0
        self.types = [_Keyed(*P.codes_of(f[c], _casefold, codes.get(c))) for c in TYPE_COLUMNS if c in f]
        self.regions = _Keyed(*P.codes_of(f["admin1_iso"], _upper, codes.get("admin1_iso")))
        self.districts = _Keyed(*P.codes_of(f["admin2"] if "admin2" in f else pd.Series("", index=f.index),
                                            _casefold, codes.get("admin2")))
        self.precisions = _Keyed(*P.codes_of(f["geo_precision"], _same))
        self.actors = _Listed(f, ACTOR_COLUMNS, codes)
        self.sources = _Listed(f, ("source",), codes)
        # value codes for counting (labels as the facets show them)
        self.shown = {c: P.codes_of(f[c], _display, codes.get(c)) if c in f
                      else (np.full(len(f), -1, np.int32), [])
                      for c in ("event_type", "kind", "admin2", "geo_precision")}
        self.timeline_types = P.codes_of(f["event_type"], _timeline_type, codes.get("event_type"))
        self.admin1_known = f["admin1"].notna().to_numpy() if "admin1" in f else np.zeros(len(f), bool)
        self.fatalities = pd.to_numeric(f["fatalities"], errors="coerce").fillna(0).to_numpy(dtype=np.float64)
        self._haystack = None  # notes + location, case-folded, as one Arrow string array (built on first search)

    def __len__(self) -> int:
        return len(self.frame)

    def nbytes(self) -> int:
        """Bytes held by the index's arrays besides the frame (codes, posting lists, dates, text)."""
        arrays = [self.start, self.end, self.fatalities, self.admin1_known, self.timeline_types[0],
                  *(codes for codes, _ in self.shown.values())]
        for keyed in (*self.types, self.regions, self.districts, self.precisions, self.actors, self.sources):
            arrays += [keyed.codes, *keyed._lists]
        total = sum(a.nbytes for a in arrays)
        return total + (self._haystack.nbytes if self._haystack is not None else 0)

    # -- filtering -----------------------------------------------------------------------------------
    def _date_slice(self, filters: Filters) -> tuple[int, int]:
        lo, hi = 0, len(self.frame)
        if filters.until:
            hi = int(np.searchsorted(self.start, _day(filters.until), side="right"))
        if filters.since:
            lo = int(np.searchsorted(self.start, _day(filters.since) - self.reach, side="left"))
        return lo, max(lo, hi)

    def _keyed_lists(self, filters: Filters) -> list[np.ndarray]:
        """One posting list per set-valued filter: the rows matching any of its values."""
        lists = []
        if filters.types:
            wanted = {t.casefold() for t in filters.types}
            lists.append(P.union(k.find(t) for k in self.types for t in wanted))
        if filters.regions:
            lists.append(P.union(self.regions.find(i) for i in region_isos(filters.regions)))
        if filters.districts:
            lists.append(P.union(self.districts.find(d.strip().casefold()) for d in set(filters.districts)))
        if filters.precisions:
            lists.append(P.union(self.precisions.find(int(p)) for p in set(filters.precisions)))
        if filters.actors:
            lists.append(P.union(self.actors.find(a.casefold()) for a in set(filters.actors)))
        if filters.sources:
            lists.append(P.union(self.sources.find(s.casefold()) for s in set(filters.sources)))
        return lists

    def _text_hits(self, text: str, positions: np.ndarray) -> np.ndarray:
        """The positions whose notes + location contain ``text`` as the declared matcher reads it
        (:mod:`geo.search`: accents, the article and the script of gazetteer places ignored)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from geo.search import fold_arrow, query_variants

        if self._haystack is None:  # folded once per index, then every search is a substring scan
            f = self.frame
            self._haystack = pc.binary_join_element_wise(fold_arrow(f["notes"]), fold_arrow(f["location"]),
                                                         pa.scalar("", pa.large_string()))
        chosen = self._haystack.take(pa.array(positions)) if len(positions) < len(self.frame) else self._haystack
        found = np.zeros(len(chosen), dtype=bool)
        for variant in query_variants(text):
            found |= pc.match_substring(chosen, variant).to_numpy(zero_copy_only=False).astype(bool)
        return positions[found]

    def select(self, filters: Filters | None = None) -> "Selection":
        """The rows passing ``filters`` (exactly ``Filters.mask``), in date order."""
        filters = filters or Filters()
        lo, hi = self._date_slice(filters)
        lists = sorted(self._keyed_lists(filters), key=len)
        if lists:
            positions = P.clip(lists[0], lo, hi)
            for other in lists[1:]:
                positions = P.intersect(positions, other)
        else:
            positions = np.arange(lo, hi, dtype=np.int64)
        if filters.since and len(positions):
            positions = positions[self.end[positions] >= _day(filters.since)]
        if filters.text and len(positions):
            positions = self._text_hits(filters.text, positions)
        rest = [(spec, value) for spec, value in filters.active() if spec.name not in self.INDEXED]
        if rest and len(positions):
            candidates = self.frame.iloc[positions]
            keep = np.ones(len(positions), dtype=bool)
            for spec, value in rest:
                keep &= spec.match(value, candidates).to_numpy(dtype=bool)
            positions = positions[keep]
        return Selection(self, positions)


def _day(value) -> int:
    return int((np.datetime64(value, "D") - _EPOCH).astype(np.int64))


@dataclass(frozen=True)
class Selection:
    """Rows of an :class:`IncidentIndex` (sorted positions) and what the dashboard shows of them."""

    index: IncidentIndex
    positions: np.ndarray

    def __len__(self) -> int:
        return len(self.positions)

    def frame(self) -> pd.DataFrame:
        """The selected incidents (same columns and types as the indexed frame), oldest first.

        When every row is selected this is the indexed frame itself (no copy): do not modify it.
        """
        positions = self.positions
        if len(positions) == len(self.index.frame):
            return self.index.frame
        if len(positions) and positions[-1] - positions[0] + 1 == len(positions):  # a date range: a slice
            return self.index.frame.iloc[positions[0]:positions[-1] + 1].reset_index(drop=True)
        return self.index.frame.iloc[positions].reset_index(drop=True)

    def facets(self) -> dict:
        """The dict of :func:`geo.query.counts.facets` for these rows, from value codes (no rescan)."""
        return counting.facets(self.index, self.positions)

    def timeline(self, granularity: str = "week") -> pd.DataFrame:
        """:func:`geo.query.timeline.timeline` of these rows."""
        return counting.timeline(self.index, self.positions, granularity)

    def region_counts(self) -> pd.DataFrame:
        """:func:`geo.query.density.region_counts` of these rows."""
        return counting.region_counts(self.index, self.positions)

    def summary(self, top: int = 3) -> Summary:
        """:func:`geo.query.summary.summarize` of these rows."""
        return counting.summary(self.index, self.positions, top)
