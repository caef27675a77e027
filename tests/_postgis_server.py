"""pytest fixtures for a real PostgreSQL + PostGIS server (imported by tests/conftest.py).

``postgis_server`` starts one private server for the whole session (loopback only, temporary data
directory, run as the ``postgres`` user when we are root) and stops it at the end; ``postgis_db`` gives
each test a fresh, empty database on it. Nothing is started unless a test asks for these fixtures.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from tests._pg_tempserver import TempPostgres


@pytest.fixture(scope="session")
def postgis_server() -> Iterator[TempPostgres]:
    """One temporary PostgreSQL server with PostGIS for the test session."""
    server = TempPostgres()
    missing = server.missing_postgis()
    if missing:
        # One clear line for the whole run instead of an error per PostGIS test.
        pytest.exit(f"PostGIS tests cannot run: {missing}", returncode=3)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgis_db(postgis_server: TempPostgres) -> str:
    """The postgresql:// URL of a new empty database (PostGIS extension installed, schema not yet)."""
    return postgis_server.new_database()
