"""Shared pytest fixtures."""

# The real PostgreSQL + PostGIS server for the shared-store tests (started only when a test needs it).
from tests._postgis_server import postgis_db, postgis_server  # noqa: E402,F401
