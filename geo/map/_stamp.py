"""The "Generated … by Incident Atlas" line stamped on maps and snapshots."""

from __future__ import annotations

import datetime as dt


def generated_line(generated_at: str | dt.datetime | None = None) -> str:
    """The "Generated ... by Incident Atlas" line (``generated_at`` pins it for reproducible output)."""
    if isinstance(generated_at, str):
        return generated_at
    when = generated_at or dt.datetime.now(dt.timezone.utc)
    return "Generated " + when.strftime("%Y-%m-%d %H:%M UTC") + " by Incident Atlas"
