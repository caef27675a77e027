"""Named saved views: a dashboard URL state (query-string keys -> values) kept under a name, per user.

Stored as one JSON object in ``<user_dir>/views.json`` (``geo.paths.user_dir()``), written atomically, so a
crash never leaves half a file. Only the query-string state is kept (store *name*, filters, map box,
playback window); opening a view goes through the same URL decoding as a shared link, so a saved view can
name only stores the server offers.
"""

from __future__ import annotations

import json
from pathlib import Path

from geo._safety import atomic_write
from geo.errors import InputError
from geo.paths import user_dir

NAME_MAX = 80
VALUE_MAX = 2000  # characters of one query-string value


def views_path() -> Path:
    """Where the saved views of this user live."""
    return user_dir() / "views.json"


def _clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise InputError("saved view: give the view a name")
    if len(cleaned) > NAME_MAX:
        raise InputError(f"saved view: name longer than {NAME_MAX} characters")
    return cleaned


def _clean_params(params: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, values in params.items():
        values = [values] if isinstance(values, str) else list(values)
        kept = [str(v)[:VALUE_MAX] for v in values if str(v)]
        if kept:
            out[str(key)[:40]] = kept
    return out


def list_views(path: Path | None = None) -> dict[str, dict[str, list[str]]]:
    """Saved views by name (sorted); an unreadable file raises :class:`InputError` naming it."""
    path = Path(path or views_path())
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: saved views unreadable ({exc}); delete or fix the file") from None
    if not isinstance(raw, dict):
        raise InputError(f"{path}: saved views must be a JSON object of name -> query parameters")
    return {name: _clean_params(value) for name, value in sorted(raw.items()) if isinstance(value, dict)}


def _write(views: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(views, ensure_ascii=False, indent=1, sort_keys=True)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def save_view(name: str, params: dict, path: Path | None = None) -> str:
    """Save (or replace) the view ``name`` with these query parameters; returns the cleaned name."""
    path = Path(path or views_path())
    name = _clean_name(name)
    views = list_views(path)
    views[name] = _clean_params(params)
    _write(views, path)
    return name


def delete_view(name: str, path: Path | None = None) -> bool:
    """Delete the view ``name``; False when there was none."""
    path = Path(path or views_path())
    views = list_views(path)
    if name not in views:
        return False
    del views[name]
    _write(views, path)
    return True
