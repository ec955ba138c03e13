"""The `checkpoint` command: global options, then one subcommand group per module.

Every user-facing failure is a `CheckpointError` printed as one line; anything else is a bug
and is reported with a pointer to the log rather than a bare traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from checkpoint import __version__
from checkpoint.commands import CommandContext
from checkpoint.config import load_settings
from checkpoint.errors import CheckpointError
from checkpoint.paths import resolve_home

log = logging.getLogger("checkpoint.cli")

# Subcommand modules under checkpoint.commands, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "scan",
    "watchlist",
    "screen",
    "faces",
    "hits",
    "sync",
    "hq",
    "gui",
    "users",
    "audit",
    "doctor",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="checkpoint",
        description="Offline-first screening client for the desk at a border crossing point. "
        "With no COMMAND, opens the officer's desk as `checkpoint gui` does.",
    )
    parser.add_argument("--version", action="version", version=f"checkpoint {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="folder for settings, database and keys "
        "(default: $CHECKPOINT_HOME or the user data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="log in as NAME on a station with accounts (password from $CHECKPOINT_PASSWORD "
        "or asked)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"checkpoint.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    if args.command is None:
        # No subcommand opens the desk, as `checkpoint gui` with its defaults would.
        args = parser.parse_args([*arguments, "gui"])
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    home = resolve_home(args.home)
    try:
        context = CommandContext(
            home=home,
            settings=load_settings(home),
            stdout=sys.stdout,
            stderr=sys.stderr,
            user=args.user,
        )
        return int(args.func(args, context))
    except CheckpointError as exc:
        print(f"checkpoint: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
