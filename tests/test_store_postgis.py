"""The PostGIS store against a real PostgreSQL + PostGIS server (started by tests/_postgis_server.py).

The shared store contract (tests/store_contract.py) runs here on both backends; the tests below cover
what only the PostGIS backend has: migrations, index use, server-side density, roles, copy between stores.
"""

from __future__ import annotations

import pytest

from tests.store_contract import *  # noqa: F401,F403 - the contract, parametrised over both backends
