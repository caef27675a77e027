"""Map data that is the same for every map (outlines, context layers), kept on disk between server starts.

Building it reads the boundary files and the gazetteer through shapely and geopandas: ~1 s plus ~0.5 s of
imports in a fresh server process, paid by its first visitor. The built text is written to
``static/cache/<name>.txt`` (next to the map's static assets, not in git) under a key made of its input
files' paths, sizes and modification times, the source files of the code that builds it and the versions
of the libraries involved; any change of these rebuilds it. A folder that cannot be written to just means
the text is built once per process, as before.
"""

from __future__ import annotations

import json
import os
import threading
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

from geo.paths import STATIC_DIR

CACHE_DIR = STATIC_DIR / "cache"
#: Bumped when the layout of a cache file changes.
FORMAT = "1"


def _stamp(path: Path) -> list:
    path = path.resolve()  # one name per file, however it was reached (e.g. through a linked venv)
    try:
        stat = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), stat.st_size, stat.st_mtime_ns]


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def cache_key(inputs: Iterable[Path], packages: Iterable[str] = ()) -> str:
    """One line naming the state of ``inputs`` (files) and the installed versions of ``packages``."""
    return json.dumps([FORMAT, [_stamp(Path(p)) for p in inputs], {p: _version(p) for p in packages}])


def cached_text(name: str, inputs: Iterable[Path], build: Callable[[], str], packages: Iterable[str] = ()) -> str:
    """The text ``build()`` returns, read from ``CACHE_DIR/<name>.txt`` when that was written for the same
    :func:`cache_key` of ``inputs`` and ``packages``, else built and written there (temp file + rename)."""
    key = cache_key(inputs, packages)
    path = CACHE_DIR / f"{name}.txt"
    try:
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        if head == key:
            return body
    except (OSError, UnicodeError):
        pass
    text = build()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(key + "\n" + text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # read-only folder or disk full: the cache is only a speed-up
        try:
            tmp.unlink()
        except OSError:
            pass
    return text
