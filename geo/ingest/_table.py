"""A table as an importer read it, and the bad rows found while building records from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geo.errors import InputError

if TYPE_CHECKING:  # pandas/numpy load only when a table is read: the CLI's --help stays fast
    import pandas as pd


@dataclass
class RawTable:
    """A table as read: raw values, where each row came from, and what the importer already knows."""

    data: pd.DataFrame
    file: str
    rows: list[int]
    mapping: dict[str, str]
    derived: dict[str, pd.Series] = field(default_factory=dict)
    strict_types: bool = True
    imported_from: str | None = None
    #: Problems the reader found itself: (row position, column, reason).
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    #: Record column -> source column to name in errors when the value was derived (e.g. UCDP where_prec).
    names: dict[str, str] = field(default_factory=dict)
    #: What the reader learned about the whole file (e.g. a report's publication date and where it came from).
    meta: dict = field(default_factory=dict)

    def column_name(self, column: str) -> str:
        """The source column to blame for a bad value of record column ``column``."""
        return self.names.get(column) or self.mapping.get(column, column)


class _Errors:
    def __init__(self, table: RawTable) -> None:
        self.table = table
        self.items: list[tuple[int, InputError]] = []
        import numpy as np

        self.bad = np.zeros(len(table.data), dtype=bool)

    def add(self, mask: pd.Series, column: str, reason) -> None:
        """Record an error for every row in ``mask``; ``reason`` is a string or a function of the index."""
        import numpy as np

        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        for pos in positions:
            text = reason(pos) if callable(reason) else reason
            self.items.append((pos, InputError(text, file=self.table.file, row=self.table.rows[pos],
                                               column=column)))
        self.bad[positions] = True

    def sorted(self) -> list[InputError]:
        return [error for _, error in sorted(self.items, key=lambda item: item[0])]
