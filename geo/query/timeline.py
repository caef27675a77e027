"""The timeline: incidents per day or week, its granularity, and reading a drag on its date axis."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def span_dates(values) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day of a chart's interval selection on a date axis, or None.

    Vega-Lite reports the two ends as epoch milliseconds (or ISO strings); order does not matter.
    """
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None
    days = []
    for value in values:
        try:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                stamp = pd.Timestamp(int(value), unit="ms")
            else:
                stamp = pd.Timestamp(str(value))
        except (ValueError, TypeError, OverflowError):
            return None
        if pd.isna(stamp):
            return None
        days.append(stamp.date())
    return (min(days), max(days))


def choose_granularity(since: dt.date | None, until: dt.date | None) -> str:
    """``"day"`` for spans up to 120 days, else ``"week"``."""
    if since and until and (until - since).days <= 120:
        return "day"
    return "week"


def timeline(frame: pd.DataFrame, granularity: str = "week") -> pd.DataFrame:
    """Incidents per day or week (weeks start on Monday), one row per (period, event_type).

    Columns: ``period`` (datetime64), ``event_type`` (str, "Unknown" when missing), ``incidents`` (int).
    Periods without incidents are absent.
    """
    if granularity not in {"day", "week"}:
        raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")
    columns = ["period", "event_type", "incidents"]
    if not len(frame):
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"),
                             "event_type": pd.Series(dtype="str"),
                             "incidents": pd.Series(dtype="int64")})
    dates = pd.to_datetime(frame["event_date"], errors="coerce").dt.normalize()
    if granularity == "week":
        dates = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    types = frame["event_type"].fillna("").astype(str).replace("", "Unknown") \
        if "event_type" in frame else pd.Series("Unknown", index=frame.index)
    data = pd.DataFrame({"period": dates, "event_type": types}).dropna(subset=["period"])
    out = data.groupby(["period", "event_type"], sort=True).size().rename("incidents").reset_index()
    out["incidents"] = out["incidents"].astype("int64")
    return out[columns]
