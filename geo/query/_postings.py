"""Building blocks of :mod:`geo.query.index`: value codes, posting lists and their set operations.

A *posting list* is the sorted array (int64) of row positions holding one value. Unions and
intersections of posting lists cost time proportional to their lengths, never to the number of rows.
"""

from __future__ import annotations

from typing import Callable, Iterable

import numpy as np
import pandas as pd

EMPTY = np.zeros(0, dtype=np.int64)


def codes_of(values: pd.Series, normalise: Callable[[object], object]) -> tuple[np.ndarray, list]:
    """``(codes, labels)``: each row's value after ``normalise`` as a small integer, and the labels.

    ``normalise`` maps one stored value (None when missing) to its label, or to None for "no label"
    (code -1). It runs once per distinct value, not per row.
    """
    raw, uniques = pd.factorize(values.astype("object"), use_na_sentinel=True)
    mapped = [normalise(u) for u in uniques] + [normalise(None)]  # the last one is for missing values (-1)
    label_codes, labels = pd.factorize(pd.Series(mapped, dtype="object"), use_na_sentinel=True)
    return label_codes.astype(np.int32)[raw], list(labels)


def postings(codes: np.ndarray, count: int) -> list[np.ndarray]:
    """Row positions per code (0..count-1), each sorted; code -1 (missing) is left out."""
    order = np.argsort(codes, kind="stable")
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


def combined(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """The text of ``columns`` (missing as "") joined with the unit separator, one string per row."""
    present = [c for c in columns if c in frame]
    if not present:
        return pd.Series("", index=frame.index)
    out = frame[present[0]].astype("object").fillna("").astype(str)
    for column in present[1:]:
        out = out + "\x1f" + frame[column].astype("object").fillna("").astype(str)
    return out
