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


def default_db() -> str:
    """The store used when none is named: ``$INCIDENT_ATLAS_DB`` or the bundled sample store."""
    return os.environ.get(DB_ENV_VAR) or str(SAMPLE_DB)
