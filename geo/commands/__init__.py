"""One module per ``python -m geo`` sub-command (see geo/cli.py)."""
