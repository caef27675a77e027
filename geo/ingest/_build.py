"""From a raw table and a column mapping to typed incident records, collecting every bad row.

Each importer reduces its input to a raw :class:`pandas.DataFrame` (values as read), the mapping
record column -> source column, and optionally values it derived itself (UCDP ids, precisions). This
module parses, resolves governorates, geocodes rows that only name a place, validates, and keeps the
source's other columns in the JSON ``extra`` column.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo import _safety, taxonomy
from geo._textcols import as_arrow_strings, clean_text
from geo.admin1 import resolve_admin1
from geo.errors import InputError
from geo.ingest import _geo_hooks
from geo.ingest._parse import parse_dates, parse_floats, parse_ints
from geo.ingest._table import RawTable, _Errors
from geo.schema import COLUMN_TYPES, EARLIEST_DATE, GEO_PRECISIONS, TIME_PRECISIONS


def build(table: RawTable) -> tuple[pd.DataFrame, list[InputError], np.ndarray]:
    """``(records, errors, bad)``: records in schema columns for every row, and which rows are bad."""
    data = table.data.reset_index(drop=True)
    errors = _Errors(table)
    n = len(data)
    out: dict[str, pd.Series] = {}

    def raw(column: str) -> pd.Series:
        if column in table.derived:
            return table.derived[column].reset_index(drop=True)
        source = table.mapping.get(column)
        if source is None:
            return pd.Series([None] * n, dtype=object)
        return data[source]

    name = table.column_name
    for pos, column, reason in table.problems:
        mask = np.zeros(n, dtype=bool)
        mask[pos] = True
        errors.add(mask, column, reason)

    for column, kind in COLUMN_TYPES.items():
        values = raw(column)
        if kind in ("date", "datetime"):
            parsed, bad = parse_dates(values, day=kind == "date")
            errors.add(bad, name(column), lambda pos, v=values: f"{_show(v.iloc[pos])} is not a date")
            out[column] = parsed
        elif column in ("latitude", "longitude", "confidence"):
            parsed, bad = parse_floats(values)
            errors.add(bad, name(column), lambda pos, v=values, c=column: f"{_show(v.iloc[pos])} is not a {c}"
                       if c == "confidence" else f"{_show(v.iloc[pos])} is not a number ({c})")
            out[column] = parsed
        elif kind == "int":
            allowed = {"geo_precision": GEO_PRECISIONS, "time_precision": TIME_PRECISIONS}.get(column)
            parsed, bad = parse_ints(values, minimum=0, allowed=allowed)
            wanted = f"one of {allowed}" if allowed else "a whole number >= 0"
            errors.add(bad, name(column), lambda pos, v=values, w=wanted: f"{_show(v.iloc[pos])} is not {w}")
            out[column] = parsed
        else:
            out[column] = _text(values)
    frame = pd.DataFrame(out)
    names = _geo_hooks.COUNTRY_NAMES
    frame["country"] = pd.Series([names.get(v, v) if v else v for v in frame["country"].tolist()], dtype=object)

    _check_required_text(frame, table, errors)
    _resolve_types(frame, table, errors)
    _resolve_admin1(frame)
    _check_dates(frame, table, errors)
    _check_coordinates(frame, table, errors)
    frame["extra"] = _extra(data, table, frame["extra"])
    _geo_hooks.geocode_missing(frame, errors, table)
    _geo_hooks.reverse_admin1(frame, errors.bad)
    no_point = frame["latitude"].isna() | frame["longitude"].isna()
    errors.add(no_point & ~pd.Series(errors.bad), name("latitude"), "no coordinates and no place name to look up")
    if table.imported_from:
        frame["imported_from"] = frame["imported_from"].where(frame["imported_from"].notna(),
                                                              table.imported_from)
    return frame, errors.sorted(), errors.bad


def _show(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(values: pd.Series) -> pd.Series:
    return clean_text(values.reset_index(drop=True))


def _check_required_text(frame: pd.DataFrame, table: RawTable, errors: _Errors) -> None:
    if "event_id" in table.mapping:
        errors.add(frame["event_id"].isna(), table.mapping["event_id"], "the event id is empty")
    errors.add(frame["event_date"].isna() & ~pd.Series(errors.bad), table.column_name("event_date"),
               "the date is missing")


#: Everyday labels (lenient tables only) -> (ACLED sub-event type, map kind).
EVERYDAY_LABELS = {
    "meeting": ("Other", "meeting"), "airstrike": ("Air/drone strike", "air strike"),
    "air raid": ("Air/drone strike", "air strike"), "drone strike": ("Air/drone strike", "air strike"),
    "artillery": ("Shelling/artillery/missile attack", "shelling"),
    "rocket attack": ("Shelling/artillery/missile attack", "shelling"),
    "ied": ("Remote explosive/landmine/IED", "explosion"), "landmine": ("Remote explosive/landmine/IED", "explosion"),
    "car bomb": ("Remote explosive/landmine/IED", "explosion"), "kidnapping": ("Abduction/forced disappearance", "abduction"),
    "battle": ("Armed clash", "clash"), "demonstration": ("Peaceful protest", "protest"),
}


def _resolve_types(frame: pd.DataFrame, table: RawTable, errors: _Errors) -> None:
    """Canonical ACLED type names; in lenient tables a type column may hold a sub-type or a map label."""
    subs = {s.sub_event_type.casefold(): s for s in taxonomy.sub_event_types()}
    kinds: dict[str, taxonomy.SubEventType] = {}
    for s in taxonomy.sub_event_types():
        kinds.setdefault(s.kind.casefold(), s)
    for label, (sub_type, kind) in EVERYDAY_LABELS.items():
        entry = subs[sub_type.casefold()]
        kinds.setdefault(label, taxonomy.SubEventType(entry.event_type, entry.sub_event_type, kind, entry.color))
    event_col, sub_col = table.column_name("event_type"), table.column_name("sub_event_type")
    event_types, sub_types, labels = frame["event_type"].copy(), frame["sub_event_type"].copy(), frame["kind"].copy()
    for value, rows in _groups(event_types):
        canonical = taxonomy.canonical_event_type(value)
        if canonical:
            if canonical != value:
                event_types[rows] = canonical
            continue
        entry = subs.get(value.strip().casefold()) or kinds.get(value.strip().casefold())
        if table.strict_types:
            errors.add(rows, event_col, f"{_show(value)} is not an ACLED event type")
        elif entry:
            event_types[rows] = entry.event_type
            sub_types[rows & sub_types.isna().to_numpy()] = entry.sub_event_type
            labels[rows & labels.isna().to_numpy()] = entry.kind
        else:
            event_types[rows] = None
            labels[rows & labels.isna().to_numpy()] = value.strip()
    for value, rows in _groups(sub_types):
        entry = subs.get(value.strip().casefold())
        if entry is None:
            if table.strict_types:
                errors.add(rows, sub_col, f"{_show(value)} is not an ACLED sub-event type")
            else:
                sub_types[rows] = None
                labels[rows & labels.isna().to_numpy()] = value.strip()
            continue
        if entry.sub_event_type != value:
            sub_types[rows] = entry.sub_event_type
        mismatch = rows & event_types.notna().to_numpy() & event_types.ne(entry.event_type).to_numpy()
        if table.strict_types:
            errors.add(mismatch, sub_col, f"{_show(value)} does not belong to the event type in this row")
        else:
            event_types[mismatch] = entry.event_type
        unset = rows & event_types.isna().to_numpy()
        if unset.any():
            event_types[unset] = entry.event_type
        unlabelled = rows & labels.isna().to_numpy()
        if unlabelled.any():
            labels[unlabelled] = entry.kind
    frame["event_type"], frame["sub_event_type"], frame["kind"] = event_types, sub_types, labels


def _groups(values: pd.Series):
    """(value, boolean row mask as numpy array) for each distinct non-null value."""
    codes, uniques = pd.factorize(values)
    for code, value in enumerate(uniques):
        yield value, codes == code


def _resolve_admin1(frame: pd.DataFrame) -> None:
    """Canonical governorate name and ISO code from any known spelling (unknown names are kept)."""
    names, isos = frame["admin1"], frame["admin1_iso"]
    units = {v: resolve_admin1(v) for v in pd.unique(pd.concat([names.dropna(), isos.dropna()]))}
    name_of = {k: u.name for k, u in units.items() if u is not None}
    iso_of = {k: u.iso for k, u in units.items() if u is not None}
    if not name_of:
        return
    new_names = names.map(name_of).fillna(isos.map(name_of)).fillna(names)
    new_isos = isos.map(iso_of).fillna(isos).fillna(names.map(iso_of))
    frame["admin1"] = new_names.astype(object).where(new_names.notna(), None)
    frame["admin1_iso"] = new_isos.astype(object).where(new_isos.notna(), None)


def _check_dates(frame: pd.DataFrame, table: RawTable, errors: _Errors) -> None:
    earliest = pd.Timestamp(EARLIEST_DATE)
    latest = pd.Timestamp(dt.date.today() + dt.timedelta(days=1))
    for column in ("event_date", "date_end"):
        values = frame[column]
        out_of_range = values.notna() & ((values < earliest) | (values > latest))
        errors.add(out_of_range, table.column_name(column),
                   lambda pos, v=values: f"date {v.iloc[pos]:%Y-%m-%d} is before 1900 or in the future")
    start, end = frame["event_date"], frame["date_end"]
    errors.add(start.notna() & end.notna() & (end < start), table.column_name("date_end"),
               lambda pos: f"date_end {end.iloc[pos]:%Y-%m-%d} is before the event date {start.iloc[pos]:%Y-%m-%d}")
    same = start.notna() & end.notna() & (end == start)
    frame.loc[same, "date_end"] = pd.NaT


def _check_coordinates(frame: pd.DataFrame, table: RawTable, errors: _Errors) -> None:
    lat, lon = frame["latitude"], frame["longitude"]
    lat_col, lon_col = table.column_name("latitude"), table.column_name("longitude")
    errors.add(lat.notna() & ~lat.between(-90, 90), lat_col,
               lambda pos: f"latitude {float(lat.iloc[pos])} is outside [-90, 90]")
    errors.add(lon.notna() & ~lon.between(-180, 180), lon_col,
               lambda pos: f"longitude {float(lon.iloc[pos])} is outside [-180, 180]")
    errors.add((lat.isna() ^ lon.isna()) & ~pd.Series(errors.bad), lat_col if lat.isna().any() else lon_col,
               "only one of latitude/longitude is given")
    country = frame["country"].where(frame["country"].notna(), frame["admin1_iso"].str[:2])
    swapped = _safety.swap_suspects(country, lat, lon) & ~errors.bad
    errors.add(swapped, lat_col, lambda pos: _safety.swap_message(country.iloc[pos], lat.iloc[pos], lon.iloc[pos]))


def _jsonable(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


def _extra(data: pd.DataFrame, table: RawTable, given: pd.Series) -> pd.Series:
    """JSON object per row: the source columns no record column took, merged with a given ``extra``."""
    used = set(table.mapping.values())
    columns = [c for c in data.columns if c not in used and not str(c).startswith("__")]
    if given.isna().all():
        fast = _extra_from_text_columns(data, columns)
        if fast is not None:
            return fast
    n = len(data)
    out: list[str | None] = [None] * n
    keys = [str(c) for c in columns]
    matrix = data[columns].to_numpy(dtype=object) if columns else None
    given_list = given.tolist()
    dumps = json.dumps
    for i in range(n):
        obj = {}
        extra_text = given_list[i]
        if extra_text:
            try:
                parsed = json.loads(extra_text)
                if isinstance(parsed, dict):
                    obj.update(parsed)
            except ValueError:
                obj["extra"] = extra_text
        if matrix is not None:
            for key, value in zip(keys, matrix[i]):
                if type(value) is str:
                    if value and not value.isspace():
                        obj[key] = value
                elif value is not None and not (isinstance(value, float) and math.isnan(value)):
                    obj[key] = _jsonable(value)
        if obj:
            out[i] = dumps(obj, ensure_ascii=False, default=str)
    return pd.Series(out, dtype=object)


_NEEDS_ESCAPE = r'["\\\x00-\x1f]'  # what json.dumps escapes (RE2 syntax)


def _extra_from_text_columns(data: pd.DataFrame, columns: list) -> pd.Series | None:
    """Vectorised :func:`_extra` for the common case: every extra column holds text (CSV files).

    Builds ``{"key": "value", ...}`` per row with pyarrow, skipping blank values; returns None if some
    column holds non-text values (then the row-by-row path is used).
    """
    if not columns:
        return pd.Series([None] * len(data), dtype=object)
    pieces = []
    for column in columns:
        strings = as_arrow_strings(data[column])
        if strings is None:
            return None
        empty = pc.or_kleene(pc.is_null(strings), pc.equal(pc.utf8_trim_whitespace(strings), ""))
        strings = pc.if_else(empty.fill_null(True), pa.scalar(None, pa.string()), strings)
        escape = pc.match_substring_regex(strings, _NEEDS_ESCAPE).fill_null(False)
        quoted = pc.binary_join_element_wise('"', strings, '"', "")
        if pc.any(escape).as_py():
            positions = np.flatnonzero(escape.to_numpy(zero_copy_only=False))
            encoded = quoted.to_pylist()
            for pos in positions:
                encoded[pos] = json.dumps(strings[int(pos)].as_py(), ensure_ascii=False)
            quoted = pa.array(encoded, type=pa.string())
        if strings.null_count < len(strings):
            pieces.append(pc.binary_join_element_wise(json.dumps(str(column), ensure_ascii=False) + ": ", quoted,
                                                      ""))
    if not pieces:
        return pd.Series([None] * len(data), dtype=object)
    # A non-null first piece keeps every row: pyarrow 26 drops rows whose inputs are all null with "skip".
    sentinel = pa.array([""] * len(data), type=pa.string())
    joined = pc.binary_join_element_wise(sentinel, *pieces, ", ", null_handling="skip")
    joined = pc.utf8_ltrim(joined, characters=", ")
    if len(joined) != len(data):  # pragma: no cover - defensive, see above
        return None
    wrapped = pc.binary_join_element_wise("{", joined, "}", "")
    wrapped = pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), wrapped)
    return pd.Series(wrapped.to_numpy(zero_copy_only=False), dtype=object)
