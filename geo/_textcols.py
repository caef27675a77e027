"""Fast, vectorised helpers for text columns (blank detection, clean object columns) via pyarrow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def as_arrow_strings(values: pd.Series) -> pa.Array | None:
    """``values`` as an arrow string array, or None if some non-null value is not a str."""
    try:
        return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return None


def _blank_of(strings: pa.Array) -> np.ndarray:
    empty = pc.or_kleene(pc.is_null(strings), pc.equal(pc.utf8_trim_whitespace(strings), ""))
    return empty.fill_null(True).to_numpy(zero_copy_only=False)


def blank_mask(values: pd.Series) -> np.ndarray:
    """Boolean array: the value is missing (None/NaN/NaT) or a whitespace-only string."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        strings = as_arrow_strings(values)
        if strings is not None:
            return _blank_of(strings)
        text = np.array([isinstance(v, str) and not v.strip() for v in values.tolist()], dtype=bool)
        return values.isna().to_numpy(dtype=bool) | text
    return values.isna().to_numpy(dtype=bool)


def clean_text(values: pd.Series) -> pd.Series:
    """Object Series of str or None: blanks become None, non-strings are turned into text."""
    result = pd.Series(values.to_numpy(dtype=object), index=values.index, dtype=object)
    if len(result) == 0:
        return result
    strings = as_arrow_strings(result)
    if strings is None:
        result = pd.Series([_to_text(v) for v in result.tolist()], index=result.index, dtype=object)
        strings = as_arrow_strings(result)
    mask = _blank_of(strings) if strings is not None else blank_mask(result)
    if mask.any():
        result = result.where(~mask, None)
    return result


def _to_text(value) -> str | None:
    import json

    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.generic):
        return str(value.item())
    return str(value)
