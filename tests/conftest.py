"""Shared pytest fixtures."""

# The real PostgreSQL + PostGIS server for the shared-store tests (started only when a test needs it).
from tests._postgis_server import postgis_db, postgis_server  # noqa: E402,F401


# -- the embedded store and the project's own fixture files (tests/fixtures/) --------------------------------
import pathlib  # noqa: E402

import pytest  # noqa: E402

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> pathlib.Path:
    """Folder of the invented fixture files (ACLED both layouts, UCDP GED, generic CSV, GeoJSON)."""
    return FIXTURES


@pytest.fixture
def tmp_store(tmp_path):
    """A new, empty GeoPackage store in a temporary folder (closed after the test)."""
    from geo.store import open_store

    store = open_store(tmp_path / "incidents.gpkg")
    yield store
    store.close()


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dir(tmp_path_factory):
    """Tests (and the servers and CLIs they start) never touch the real ~/.incident-atlas."""
    import os

    home = tmp_path_factory.mktemp("atlas-home")
    saved = {k: os.environ.get(k) for k in ("INCIDENT_ATLAS_HOME", "INCIDENT_ATLAS_ALIASES")}
    os.environ["INCIDENT_ATLAS_HOME"] = str(home)
    os.environ["INCIDENT_ATLAS_ALIASES"] = str(home / "aliases.csv")
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
