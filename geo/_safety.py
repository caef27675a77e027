"""Guards for hostile or broken input files, and a crash-safe file replace.

Small checks the importers run before (or instead of) trusting a file:

* :func:`check_input_size` — refuse a file above the import limit using only its size on disk
  (nothing is read). The limit is :data:`DEFAULT_MAX_IMPORT_MB` MB, or ``$INCIDENT_ATLAS_MAX_IMPORT_MB``.
* :func:`looks_binary` / :func:`sniff_utf16` — tell binary data from text, and recognise UTF-16
  written without a byte-order mark (every other byte zero).
* :func:`inspect_zip` — read a zip archive's directory (xlsx workbooks are zip archives too) and refuse
  members with unsafe paths (``..``, absolute, drive letters), symbolic links, too many members, or
  a compression ratio / unpacked size typical of a "zip bomb". Nothing is extracted.
* :func:`swap_suspects` / :func:`swapped_coordinates` — a point that falls outside its stated country
  while the swapped point falls inside is almost surely latitude/longitude in the wrong columns
  (:func:`swap_message` says so and suggests the swap).
* :func:`atomic_write` — write a file through a temporary sibling, fsync, rename (all or nothing).
"""

from __future__ import annotations

import glob
import math
import os
import re
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from geo.errors import InputError

#: Environment variable that overrides the import size limit (in MB, decimals allowed).
SIZE_ENV = "INCIDENT_ATLAS_MAX_IMPORT_MB"
#: Largest file ``python -m geo import`` and the dashboard accept, in MB (same as Streamlit's upload limit).
DEFAULT_MAX_IMPORT_MB = 200
#: A zip member that unpacks to more than this many times its packed size is treated as a bomb ...
ZIP_MAX_RATIO = 100
#: ... unless it is this small once unpacked (tiny, very repetitive files are harmless).
ZIP_RATIO_MIN_BYTES = 1024 * 1024
#: Most members an archive may hold, and most it may unpack to in total (times the import limit).
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_TOTAL_FACTOR = 5

_DRIVE = re.compile(r"^[A-Za-z]:")
#: Bytes that never occur in a text table or report (C0 controls other than tab, LF, FF, CR, ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def max_import_bytes() -> int:
    """The import size limit in bytes (from ``$INCIDENT_ATLAS_MAX_IMPORT_MB`` when set and valid)."""
    return int(_limit_mb() * 1024 * 1024)


def _limit_mb() -> float:
    text = os.environ.get(SIZE_ENV, "").strip()
    try:
        value = float(text) if text else DEFAULT_MAX_IMPORT_MB
    except ValueError:
        return DEFAULT_MAX_IMPORT_MB
    return value if math.isfinite(value) and value > 0 else DEFAULT_MAX_IMPORT_MB


def _mb(size: float) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB"


def check_input_size(path: str | os.PathLike, *, file: str | None = None) -> int:
    """The file's size in bytes; raises :class:`InputError` if it exceeds the import limit.

    Only the file system's size is looked at, so a 2 GB file is refused without reading it.
    """
    name = file or Path(path).name
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=name) from None
    if size > max_import_bytes():
        raise InputError(f"the file is {_mb(size)}, larger than the import limit of {_limit_mb():g} MB "
                         f"(split it, or set {SIZE_ENV} to a higher number of MB)", file=name)
    return size


def sniff_utf16(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for UTF-16 text without a byte-order mark, else None.

    Text in Latin or Arabic script written as UTF-16 has a zero (0x06 for Arabic) as the high byte of
    its characters: many zeros, or nearly only zeros and 0x06, at the odd (LE) or even (BE) positions
    and almost no zeros at the others give it away; the sample must then also decode.
    """
    sample = head[:4096]
    if len(sample) < 4 or sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    even, odd = sample[0::2], sample[1::2]

    def high_bytes(part: bytes) -> tuple[float, float]:  # (share of zeros, share of zeros or 0x06 = Arabic)
        zeros = part.count(0)
        return zeros / len(part), (zeros + part.count(6)) / len(part)

    (zeros_even, script_even), (zeros_odd, script_odd) = high_bytes(even), high_bytes(odd)
    if (zeros_odd >= 0.3 or script_odd >= 0.9) and zeros_even <= 0.05:
        encoding = "utf-16-le"
    elif (zeros_even >= 0.3 or script_even >= 0.9) and zeros_odd <= 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        sample[: len(sample) // 2 * 2].decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a cut surrogate pair at the very end is fine
            return None
    return encoding


def looks_binary(head: bytes) -> bool:
    """True if ``head`` (the first KB of a file) is not text: NUL bytes or many control characters."""
    sample = head[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return sniff_utf16(sample) is None
    controls = sum(sample.count(bytes((c,))) for c in _CONTROL)
    return controls / len(sample) > 0.05


@dataclass
class ZipSummary:
    """What :func:`inspect_zip` found: file members, their packed and unpacked sizes, their names."""

    members: int
    compressed: int
    uncompressed: int
    names: list[str]


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return (name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or "\x00" in name
            or any(part == ".." for part in parts))


def inspect_zip(path: str | os.PathLike, *, file: str | None = None) -> ZipSummary:
    """Check a zip archive's directory without extracting anything; raises :class:`InputError` if unsafe.

    Refused: a damaged archive, a member path that could escape the folder it is unpacked into
    (``..``, an absolute path, a drive letter), a symbolic link, more than :data:`ZIP_MAX_MEMBERS`
    members, a member over 1 MB unpacked that is more than :data:`ZIP_MAX_RATIO` times its packed
    size, or a total unpacked size above :data:`ZIP_MAX_TOTAL_FACTOR` times the import limit.
    Python's zipfile never unpacks more than a member's declared size, so the checked sizes hold.
    """
    name = file or Path(path).name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", file=name) from None
    if len(infos) > ZIP_MAX_MEMBERS:
        raise InputError(f"the zip archive has {len(infos)} members (more than {ZIP_MAX_MEMBERS})", file=name)
    compressed = uncompressed = 0
    names = []
    for info in infos:
        member = info.filename
        if _unsafe_name(member) or _unsafe_name(info.orig_filename):
            raise InputError(f"the zip archive holds a member with an unsafe path {info.orig_filename!r} "
                             "(it could write outside the folder it is unpacked into)", file=name)
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise InputError(f"the zip archive holds a symbolic link {member!r}", file=name)
        if info.is_dir():
            continue
        if info.file_size > ZIP_RATIO_MIN_BYTES and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InputError(f"the zip archive member {member!r} has a compression ratio of {ratio:.0f}:1 "
                             f"({_mb(info.file_size)} from {info.compress_size} bytes): refused as a "
                             "possible zip bomb", file=name)
        compressed += info.compress_size
        uncompressed += info.file_size
        names.append(member)
    limit = ZIP_MAX_TOTAL_FACTOR * max_import_bytes()
    if uncompressed > limit:
        raise InputError(f"the zip archive unpacks to {_mb(uncompressed)}, more than {_mb(limit)}", file=name)
    return ZipSummary(members=len(names), compressed=compressed, uncompressed=uncompressed, names=names)


def check_input_file(path: str | os.PathLike, head: bytes | None = None, *, file: str | None = None) -> None:
    """Size limit, then (for zip containers such as .xlsx) :func:`inspect_zip`.

    ``head`` is the file's first bytes if the caller has them already. A ``.zip`` archive (or any zip
    that is not an Excel workbook) that passes is still refused: zipped shapefiles are not imported.
    """
    name = file or Path(path).name
    check_input_size(path, file=name)
    if head is None:
        with open(path, "rb") as handle:
            head = handle.read(4)
    suffix = Path(path).suffix.lower()
    if head.startswith(b"PK") or suffix in (".zip", ".xlsx", ".xlsm"):
        summary = inspect_zip(path, file=name)
        if suffix == ".zip" or not any(n.startswith("xl/") or n == "[Content_Types].xml" for n in summary.names):
            raise InputError("this is a zip archive; importing zip archives (e.g. zipped shapefiles) is not "
                             "supported: unpack it and import the .csv, .geojson or .gpkg inside", file=name)


# -------------------------------------------------------------------------------------------------- coordinates
#: Rough bounding boxes (south, west, north, east) of the countries the atlas covers, with a small margin.
COUNTRY_BOXES: dict[str, tuple[float, float, float, float]] = {
    "SY": (32.2, 35.6, 37.4, 42.5),
    "JO": (29.1, 34.9, 33.5, 39.4),
    "LB": (33.0, 35.0, 34.8, 36.7),
    "IQ": (29.0, 38.7, 37.5, 48.7),
    "TR": (35.8, 25.6, 42.2, 44.9),
    "IL": (29.4, 34.2, 33.4, 35.95),
    "PS": (31.2, 34.2, 32.6, 35.6),
    "SA": (16.3, 34.4, 32.2, 55.7),
    "EG": (21.9, 24.6, 31.8, 36.95),
    "CY": (34.5, 32.2, 35.75, 34.65),
}
COUNTRY_NAMES = {"syria": "SY", "syrian arab republic": "SY", "jordan": "JO", "lebanon": "LB", "iraq": "IQ",
                 "turkey": "TR", "türkiye": "TR", "turkiye": "TR", "israel": "IL", "palestine": "PS",
                 "saudi arabia": "SA", "egypt": "EG", "cyprus": "CY"}


def country_code(country: str | None) -> str | None:
    """ISO alpha-2 code of a country given by name or code, if it is one the atlas knows a box for."""
    if not country:
        return None
    text = str(country).strip()
    if text.upper() in COUNTRY_BOXES:
        return text.upper()
    return COUNTRY_NAMES.get(text.casefold())


def in_country(code: str, lat: float, lon: float) -> bool:
    """True if (lat, lon) lies in the bounding box of country ``code``."""
    south, west, north, east = COUNTRY_BOXES[code]
    return south <= lat <= north and west <= lon <= east


def swapped_coordinates(country: str | None, lat: float, lon: float) -> tuple[float, float] | None:
    """``(lat, lon)`` swapped, if the given point is outside ``country`` and the swapped one is inside."""
    code = country_code(country)
    if code is None or lat != lat or lon != lon:
        return None
    if in_country(code, lat, lon) or not in_country(code, lon, lat):
        return None
    return lon, lat


# ------------------------------------------------------------------------------------------------- writing files
STALE_TEMP_SECONDS = 3600


def sweep_stale_temps(target: Path, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove temporary files that an earlier, killed ``atomic_write`` of ``target`` left behind.

    Only files older than ``max_age`` seconds go, so that a write running in another process at the same
    moment keeps its file. Returns the removed paths.
    """
    removed = []
    now = time.time()
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > max_age:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, fsync it, then rename it over ``path``.

    Readers see the old file or the new one, never a part; on any error (a full disk included) the
    temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    sweep_stale_temps(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp_path, stat.S_IMODE(target.stat().st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return target
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
    return target


def swap_suspects(countries, latitudes, longitudes):
    """Boolean numpy array: rows whose point is outside their country's box while the swapped point is inside.

    ``countries`` holds names or ISO codes (None where unknown: such rows are never suspects).
    """
    import numpy as np
    import pandas as pd

    lat = np.asarray(latitudes, dtype="float64")
    lon = np.asarray(longitudes, dtype="float64")
    names = pd.Series(list(countries) if not isinstance(countries, pd.Series) else countries.to_numpy(), dtype=object)
    code_of = {name: country_code(name) if isinstance(name, str) else None for name in pd.unique(names)}
    codes = names.map(code_of).to_numpy()
    out = np.zeros(len(lat), dtype=bool)
    for code in set(code_of.values()) - {None}:
        rows = codes == code
        south, west, north, east = COUNTRY_BOXES[code]
        inside = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        swapped = (lon >= south) & (lon <= north) & (lat >= west) & (lat <= east)
        out |= rows & ~inside & swapped
    return out


def swap_message(country: str, lat: float, lon: float) -> str:
    """The error for a point that looks like latitude and longitude swapped (see :func:`swap_suspects`)."""
    code = country_code(country) or country
    name = next((n.title() for n, c in COUNTRY_NAMES.items() if c == code), code)
    return (f"latitude {lat:g}, longitude {lon:g} is outside {name}; latitude and longitude look swapped: "
            f"latitude {lon:g}, longitude {lat:g} would be in {name} (swap the two columns)")
