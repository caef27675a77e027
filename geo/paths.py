"""Where the project's data and assets live, and which store is used by default."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
ASSETS_DIR = PROJECT_ROOT / "assets"
STATIC_DIR = PROJECT_ROOT / "static"
SAMPLE_DB = DATA_DIR / "sample.gpkg"
DB_ENV_VAR = "INCIDENT_ATLAS_DB"
HOME_ENV_VAR = "INCIDENT_ATLAS_HOME"
ALIASES_ENV_VAR = "INCIDENT_ATLAS_ALIASES"
#: Aliases curated by the project (read-only, shipped with the code).
PROJECT_ALIASES = DATA_DIR / "aliases.csv"


def default_db() -> str:
    """The store used when none is named: ``$INCIDENT_ATLAS_DB`` or the bundled sample store."""
    return os.environ.get(DB_ENV_VAR) or str(SAMPLE_DB)


def user_dir() -> Path:
    """Per-user folder for the user's own store copy and corrections: ``$INCIDENT_ATLAS_HOME`` or ~/.incident-atlas."""
    override = os.environ.get(HOME_ENV_VAR)
    return Path(override) if override else Path.home() / ".incident-atlas"


def user_aliases_path() -> Path:
    """Where the user's geocode corrections are saved: ``$INCIDENT_ATLAS_ALIASES`` or <user_dir>/aliases.csv."""
    override = os.environ.get(ALIASES_ENV_VAR)
    return Path(override) if override else user_dir() / "aliases.csv"
