"""Building blocks of :mod:`geo.query.index`: value codes, posting lists and their set operations.

A *posting list* is the sorted array (int64) of row positions holding one value. Unions and
intersections of posting lists cost time proportional to their lengths, never to the number of rows.
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import pandas as pd

EMPTY = np.zeros(0, dtype=np.int64)


#: Value codes of a text column as a store's columnar snapshot holds them: (int codes, -1 when missing,
#: into the distinct texts), see ``geo.store.gpkg.GeoPackageStore.read_frame_codes``.
Coded = tuple[np.ndarray, np.ndarray]


def factorized(coded: Coded, missing: object = None) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of the column ``coded`` describes (same codes, same uniques in the same order of
    first appearance), from its integer codes; missing values become ``missing`` (None: code -1)."""
    codes, values = coded
    values = np.asarray(values, dtype=object)
    if missing is not None:  # e.g. fillna(""): missing rows join the rows holding that text (or a new one)
        found = np.flatnonzero(values == missing)
        code = int(found[0]) if len(found) else len(values)
        values = values if len(found) else np.append(values, missing)
        codes = np.where(codes < 0, code, codes)
    raw, first = pd.factorize(codes)  # integers: hashing them is cheap; a missing value is code -1 here
    hole = np.flatnonzero(first < 0)
    if len(hole):  # missing rows get -1 and the later codes close the gap, as pd.factorize numbers them
        h = int(hole[0])
        raw = np.where(raw == h, -1, raw - (raw > h))
        first = np.delete(first, h)
    return raw, values[first]


def codes_of(values: pd.Series, normalise: Callable[[object], object],
             coded: Coded | None = None) -> tuple[np.ndarray, list]:
    """``(codes, labels)``: each row's value after ``normalise`` as a small integer, and the labels.

    ``normalise`` maps one stored value (None when missing) to its label, or to None for "no label"
    (code -1). It runs once per distinct value, not per row. ``coded``: the column's value codes, if
    known (the same result without hashing every row's value).
    """
    raw, uniques = factorized(coded) if coded is not None else pd.factorize(values.astype("object"),
                                                                           use_na_sentinel=True)
    mapped = [normalise(u) for u in uniques] + [normalise(None)]  # the last one is for missing values (-1)
    label_codes, labels = pd.factorize(pd.Series(mapped, dtype="object"), use_na_sentinel=True)
    return label_codes.astype(np.int32)[raw], list(labels)


def postings(codes: np.ndarray, count: int) -> list[np.ndarray]:
    """Row positions per code (0..count-1), each sorted; code -1 (missing) is left out."""
    small = codes.astype(np.int16) if count < 2 ** 15 else codes  # numpy radix-sorts 16-bit keys
    order = np.argsort(small, kind="stable")
    sorted_codes = codes[order]
    starts = np.searchsorted(sorted_codes, np.arange(count + 1), side="left")
    return [order[starts[c]:starts[c + 1]].astype(np.int64) for c in range(count)]


def union(lists: Iterable[np.ndarray]) -> np.ndarray:
    """Sorted positions in any of ``lists``."""
    parts = [p for p in lists if len(p)]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return parts[0]
    return np.unique(np.concatenate(parts))


def intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sorted positions in both ``a`` and ``b`` (both sorted, without repeats)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return EMPTY
    found = np.searchsorted(b, a)
    found[found == len(b)] = len(b) - 1
    return a[b[found] == a]


def clip(positions: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The positions in ``[lo, hi)``."""
    return positions[np.searchsorted(positions, lo):np.searchsorted(positions, hi)]


def split_names(cell: str, sep: str = "\x1f") -> set[str]:
    """The stripped ``;``-separated names of a combined cell (columns joined with ``sep``); "" kept."""
    return {name.strip() for part in cell.split(sep) for name in part.split(";")}


def combined_codes(frame: pd.DataFrame, columns: tuple[str, ...],
                   coded: dict[str, Coded] | None = None) -> tuple[np.ndarray, list[str]]:
    """``(codes, combos)``: each row's distinct combination of ``columns`` as a small integer (in order of
    first appearance) and each combination's text, the columns' values (missing as "") joined with the
    unit separator. Works on value codes, so only the distinct combinations become strings; ``coded``:
    value codes of some of the columns, if known."""
    present = [c for c in columns if c in frame]
    if not present:
        return np.zeros(len(frame), dtype=np.int32), [""]
    codes, parts = None, []
    for column in present:
        if coded and column in coded:
            raw, uniques = factorized(coded[column], missing="")
        else:
            raw, uniques = pd.factorize(frame[column].astype("object").fillna("").astype(str)
                                        if frame[column].dtype != object else frame[column].fillna(""))
        uniques = [str(u) for u in uniques]
        if codes is None:
            codes, texts = raw.astype(np.int64), uniques
        else:  # pair the combinations so far with this column, then renumber the pairs
            key = codes * (len(uniques) + 1) + raw
            pairs, first = pd.factorize(key)
            texts = [texts[k // (len(uniques) + 1)] + "\x1f" + uniques[k % (len(uniques) + 1)] for k in first]
            codes = pairs.astype(np.int64)
        parts = texts
    return codes.astype(np.int32), parts
