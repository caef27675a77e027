"""The ``python -m geo`` command line.

Each sub-command lives in ``geo/commands/<name>.py`` with ``register(subparsers)`` and ``run(args)``.
Command modules import their heavy dependencies inside ``run`` so that start-up stays fast.
Output contract (DESIGN.md): data on stdout, messages on stderr, exit 2 with a one-line reason on bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from geo.errors import GeoError

COMMANDS = ("import", "export", "geocode", "extract", "snapshot", "gazetteer", "migrate", "copy", "serve")


def _module_name(command: str) -> str:
    return "geo.commands." + ("import_" if command == "import" else command)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every sub-command that is installed."""
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Incident Atlas: import, geocode, extract, export and snapshot conflict incidents.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        try:
            module = importlib.import_module(_module_name(command))
        except ModuleNotFoundError as exc:
            if exc.name != _module_name(command):
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    module = importlib.import_module(_module_name(args.command))
    if extra and not getattr(module, "ACCEPTS_EXTRA_ARGS", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        result = module.run(args, extra) if extra else module.run(args)
        return int(result or 0)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
