"""Vectorised parsing of raw table values (dates, numbers) that also says which values were bad."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from geo._textcols import blank_mask

#: Date spellings tried in order on the distinct values of a column (day/month order decided per column).
DATE_FORMATS = ("%Y-%m-%d", "ISO8601", "%d-%b-%y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y",
                "%b %d, %Y", "%B %d %Y", "%d-%B-%Y", "%Y/%m/%d", "%d.%m.%Y")
_SLASH = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")
_ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}[T ]\d"
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


def blank(values: pd.Series) -> pd.Series:
    """True where a raw value is missing: None, NaN, NaT or whitespace only."""
    return pd.Series(blank_mask(values), index=values.index)


def parse_dates(values: pd.Series, *, day: bool = True) -> tuple[pd.Series, pd.Series]:
    """``(datetime64[ns], bad)``: ``bad`` marks non-blank values that are not dates.

    With ``day`` (the default) times are dropped (midnight); otherwise they are kept to the second.
    """
    empty = blank(values)
    drop_tz = (lambda t: t.tz_localize(None)) if day else (lambda t: t.tz_convert(None))  # day: local date
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = drop_tz(values.dt) if values.dt.tz is not None else values
        parsed = parsed.astype("datetime64[ns]")
        return (parsed.dt.normalize() if day else parsed.dt.floor("s")), pd.Series(False, index=values.index)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    present = values[~empty]
    if present.empty:
        return result, pd.Series(False, index=values.index)
    native = present.map(lambda v: isinstance(v, (dt.date, pd.Timestamp, np.datetime64)))
    if native.any():
        result.loc[native[native].index] = pd.to_datetime(present[native], errors="coerce").map(
            lambda t: drop_tz(t) if t is not pd.NaT and t.tzinfo else t)
    text = present[~native].astype(str).str.strip()
    if not text.empty:
        distinct = pd.Index(text.unique())
        mapping = _parse_distinct(distinct, day=day)
        result.loc[text.index] = text.map(mapping).astype("datetime64[ns]")
    result = result.dt.normalize() if day else result.dt.floor("s")
    bad = ~empty & result.isna()
    return result, bad


def _parse_distinct(distinct: pd.Index, *, day: bool = True) -> pd.Series:
    out = pd.Series(pd.NaT, index=distinct, dtype="datetime64[ns]")
    remaining = distinct
    if day:  # ISO date-times: the date as written, whatever the time zone (no shift across midnight)
        stamped = remaining.str.match(_ISO_DATETIME)
        if stamped.any():
            heads = pd.Index(remaining[stamped].str.slice(0, 10))
            parsed = _to_datetime(heads, "%Y-%m-%d")
            ok = parsed.notna().to_numpy()
            out.loc[remaining[stamped][ok]] = parsed[ok].to_numpy()
            remaining = remaining.difference(remaining[stamped][ok], sort=False)
    for fmt in DATE_FORMATS:
        if remaining.empty:
            break
        parsed = _to_datetime(remaining, fmt)
        ok = parsed.notna()
        out.loc[remaining[ok.to_numpy()]] = parsed[ok].to_numpy()
        remaining = remaining[~ok.to_numpy()]
    if not remaining.empty:
        day_first = _day_first(remaining)
        for fmt in (("%d/%m/%Y", "%d/%m/%y") if day_first else ("%m/%d/%Y", "%m/%d/%y")):
            parsed = _to_datetime(remaining, fmt)
            ok = parsed.notna()
            out.loc[remaining[ok.to_numpy()]] = parsed[ok].to_numpy()
            remaining = remaining[~ok.to_numpy()]
    return out


def _to_datetime(values: pd.Index, fmt: str) -> pd.Series:
    if fmt == "ISO8601":
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format=fmt, errors="coerce", utc=True)
        parsed = parsed.dt.tz_localize(None)
    else:
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format=fmt, errors="coerce")
    return pd.Series(parsed.to_numpy(dtype="datetime64[ns]"), index=range(len(values)))


def _day_first(values: pd.Index) -> bool:
    """Day/month order of slash dates: month-first only if some value can only be read that way."""
    first_gt_12 = second_gt_12 = False
    for value in values:
        match = _SLASH.match(value)
        if match:
            first_gt_12 |= int(match.group(1)) > 12
            second_gt_12 |= int(match.group(2)) > 12
    return not (second_gt_12 and not first_gt_12)


def parse_floats(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(float64, bad)``; surrounding spaces and decimal commas ("33,07") are accepted."""
    empty = blank(values)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64"), pd.Series(False, index=values.index)
    raw = values.astype(object).where(~empty, None)
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
    retry = numbers.isna() & ~empty
    if retry.any():
        def one(value):
            if isinstance(value, str):
                value = value.strip()
                if _DECIMAL_COMMA.match(value):
                    value = value.replace(",", ".")
            try:
                return float(value)
            except (TypeError, ValueError):
                return np.nan
        numbers.loc[retry] = raw[retry].map(one).astype("float64")
    numbers = numbers.where(np.isfinite(numbers))
    bad = ~empty & numbers.isna()
    return numbers, bad


def parse_ints(values: pd.Series, *, minimum: int | None = 0,
               allowed: tuple[int, ...] | None = None) -> tuple[pd.Series, pd.Series]:
    """``(Int64, bad)``: whole numbers only, ``>= minimum`` and in ``allowed`` when given."""
    numbers, bad = parse_floats(values)
    ok = numbers.notna()
    whole = ok & (numbers == numbers.round())
    bad |= ok & ~whole
    if minimum is not None:
        bad |= whole & (numbers < minimum)
    if allowed is not None:
        bad |= whole & ~numbers.isin(allowed)
    return numbers.where(~bad).round().astype("Int64"), bad
