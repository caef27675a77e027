"""Streamlit hardening in .streamlit/config.toml: upload limit, XSRF protection, no usage statistics, no
tracebacks for users — checked in the file and as Streamlit itself reads it."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from geo import _safety

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"


def _config() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_config_file_sets_the_hardening_options():
    config = _config()
    server, browser, client = config["server"], config["browser"], config["client"]
    assert server["enableXsrfProtection"] is True
    assert browser["gatherUsageStats"] is False
    assert client["showErrorDetails"] in ("none", False)
    assert isinstance(server["maxUploadSize"], int) and 0 < server["maxUploadSize"] <= 200


def test_upload_limit_matches_the_import_limits():
    from geo.ingest.session import MAX_UPLOAD_BYTES

    upload_mb = _config()["server"]["maxUploadSize"]
    assert MAX_UPLOAD_BYTES == upload_mb * 1024 * 1024
    assert _safety.DEFAULT_MAX_IMPORT_MB == upload_mb


def _run_in_project(script: str) -> str:
    """The standard output of ``script`` run by this Python in the project folder (where Streamlit reads
    .streamlit/config.toml)."""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_streamlit_reads_the_same_values():
    """Streamlit's own config loader, run from the project folder, sees the hardened values."""
    script = (
        "import json, streamlit.config as c\n"
        "c.get_config_options(force_reparse=True)\n"
        "keys = ['server.enableXsrfProtection', 'browser.gatherUsageStats', 'client.showErrorDetails',"
        " 'server.maxUploadSize']\n"
        "print(json.dumps({k: c.get_option(k) for k in keys}))\n"
    )
    values = json.loads(_run_in_project(script).strip().splitlines()[-1])
    assert values["server.enableXsrfProtection"] is True
    assert values["browser.gatherUsageStats"] is False
    assert values["client.showErrorDetails"] in ("none", False)
    assert values["server.maxUploadSize"] == _config()["server"]["maxUploadSize"]


def test_the_start_banner_asks_no_outside_service_for_the_external_ip():
    """Offline first: with the project's settings, Streamlit's start banner names the address it is given
    instead of asking a web service for this machine's external IP."""
    script = (
        "import streamlit.config as c, streamlit.net_util as n\n"
        "from streamlit.web import bootstrap\n"
        "c.get_config_options(force_reparse=True)\n"
        "asked = []\n"
        "n.get_external_ip = lambda: asked.append(1)\n"
        "bootstrap._print_url(False)\n"
        "print('asked' if asked else 'not asked')\n"
    )
    out = _run_in_project(script)
    assert out.strip().splitlines()[-1] == "not asked"
    assert "URL: http://localhost" in out
