"""Exceptions raised by Incident Atlas.

Every error a user can cause is a :class:`GeoError`; the CLI prints its one-line message and exits 2.
"""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error Incident Atlas raises on purpose."""


class InputError(GeoError):
    """Bad input: names the file and, where known, the row and column at fault."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.file, self.row, self.column, self.reason = file, row, column, message
        super().__init__(self._format())

    def _format(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.row, self.column) if part is not None)
        return f"{where}: {self.reason}" if where else self.reason


class UnknownFormatError(InputError):
    """The file's format could not be recognised (or is not supported)."""


class MissingColumnsError(InputError):
    """A table lacks columns its format requires."""


class RowErrors(InputError):
    """One or more rows of a file are bad; nothing was written. ``errors`` lists every bad row."""

    def __init__(self, file: str, errors: list[InputError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad row(s), nothing imported (use --skip-bad to import the good rows): "
                         f"{shown}{more}", file=file)


class StoreError(GeoError):
    """The incident store could not be opened, read or written."""


class GeocodeError(GeoError):
    """The gazetteer is missing or broken."""


class RendererUnavailable(GeoError):
    """A snapshot renderer (e.g. headless Chromium) is not installed."""
