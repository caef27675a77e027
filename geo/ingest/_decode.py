"""Turning a file's bytes into text: which encoding, and refusing what is not text at all."""

from __future__ import annotations

from pathlib import Path

from geo import _safety
from geo.errors import InputError, UnknownFormatError

#: Tried in this order; the first that decodes the whole file wins (latin-1 always does).
ENCODINGS = ("utf-8", "utf-8-sig", "cp1256", "latin-1")


def decode(data: bytes, *, file: str) -> tuple[str, str]:
    """``(text, encoding)`` of a text file's bytes.

    UTF-16 with a byte-order mark is recognised; otherwise UTF-8, UTF-8 with BOM, Windows-1256 (Arabic)
    and latin-1 are tried in turn. Empty and binary files raise :class:`InputError`.
    """
    if not data.strip():
        raise InputError("the file is empty", file=file)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError("the file starts like UTF-16 but does not decode as UTF-16", file=file) from None
    utf16 = _safety.sniff_utf16(data)
    if utf16:  # UTF-16 saved without a byte-order mark
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            raise InputError(f"the file looks like {utf16.upper()} text but does not decode as it", file=file) from None
    if _safety.looks_binary(data[:8192]):
        raise UnknownFormatError("this is a binary file, not a text table or report", file=file)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = data[:exc.start + 3].count(b"\n") + 1
            raise InputError(f"the file starts with a UTF-8 byte-order mark but line {line} is not UTF-8",
                             file=file) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = data[:exc.start].count(b"\n") + 1
    if _has_utf8_multibyte(data):
        raise InputError(f"mixed text encodings: most of the file is UTF-8 but line {first_bad} is not; "
                         "save the file as UTF-8 and try again", file=file)
    for encoding in ENCODINGS[2:]:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError("the file's text encoding could not be recognised", file=file)  # pragma: no cover


def _has_utf8_multibyte(data: bytes) -> bool:
    """True if some line holds non-ASCII text that is valid UTF-8 (so a failure elsewhere means mixing)."""
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def read_text(path: str | Path, *, file: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of the file at ``path`` (see :func:`decode`)."""
    name = file or Path(path).name
    _safety.check_input_size(path, file=name)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=name) from None
    return decode(data, file=name)
