"""A columnar snapshot of a GeoPackage store: every incident as one Arrow IPC file next to the store.

Reading 1M incidents through GDAL and sorting them costs seconds; a memory-mapped Arrow file of the same
sorted rows opens in milliseconds. The snapshot is keyed by the store's change marker (plus its row
count): a snapshot whose key differs from the store's current one is never used, and it is rewritten by
the next full read. It is written to a temporary file in the same folder and renamed into place, so a
reader never sees half of one; a folder that cannot be written to simply gets no snapshot.

Text columns are stored dictionary-encoded, so turning one into Python objects makes one string per
distinct value (types, actors and places repeat a lot) without hashing a million values on every read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

#: Bumped whenever the layout of the snapshot changes (an old snapshot is then rebuilt).
FORMAT = "1"
_KEY = b"incident_atlas_snapshot_key"
_FORMAT = b"incident_atlas_snapshot_format"


def snapshot_path(store_path: Path) -> Path:
    """Where the snapshot of the store at ``store_path`` lives (same folder, name + ``.snapshot.arrow``)."""
    return store_path.with_name(store_path.name + ".snapshot.arrow")


def load(path: Path, key: str):
    """The snapshot at ``path`` as a memory-mapped Arrow table if it was written for ``key``, else None."""
    import pyarrow as pa

    try:  # the table's buffers keep the mapping alive; it is unmapped when they are freed
        table = pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()
    except (OSError, pa.ArrowInvalid):
        return None
    meta = table.schema.metadata or {}
    if meta.get(_FORMAT) != FORMAT.encode() or meta.get(_KEY) != key.encode():
        return None
    return table


def encoded(table):
    """``table`` with its text columns dictionary-encoded (the snapshot's layout)."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            column = table.column(i).combine_chunks().dictionary_encode()
            table = table.set_column(i, pa.field(field.name, column.type, metadata=field.metadata), column)
    return table


def save(path: Path, table, key: str) -> bool:
    """Write ``table`` (already :func:`encoded`) as the snapshot for ``key``: temp file, then rename.
    False (and nothing left behind) when the folder is not writable or the disk is full."""
    import pyarrow as pa

    meta = dict(table.schema.metadata or {})
    meta.update({_KEY: key.encode(), _FORMAT: FORMAT.encode()})
    table = table.replace_schema_metadata(meta)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table, max_chunksize=1 << 20)
        os.replace(tmp, path)
        return True
    except (OSError, pa.ArrowException):  # e.g. disk full half-way: the snapshot is only a speed-up
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def text_codes(column):
    """``(codes, values)`` of a (dictionary-encoded or plain) Arrow text column: int32 codes into ``values``
    (its distinct texts, an object array), -1 for nulls; None for a column that is not text."""
    import numpy as np
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        array = array.dictionary_encode()
    elif not pa.types.is_dictionary(array.type):
        return None
    values = np.asarray(array.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return array.indices.fill_null(-1).to_numpy().astype(np.int32, copy=False), values


def text_objects(column, coded=None):
    """A (dictionary-encoded or plain) Arrow text column as an object array, None for nulls, equal values
    sharing one Python string; ``coded``: the column's :func:`text_codes`, if already made."""
    import numpy as np
    import pyarrow as pa

    coded = coded or text_codes(column)
    if coded is None:
        array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        return array.to_numpy(zero_copy_only=False)
    codes, values = coded
    if not len(codes) or codes.min() >= 0:  # no nulls: no need for a copy of the values with None appended
        return values[codes]
    return np.append(values, None)[codes]
