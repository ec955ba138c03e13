"""The `checkpoint` subcommands, one module per group.

Each module exposes `register(subparsers)`, which adds its parser and sets `func` to a
`run(args, ctx) -> int` function. Keeping the groups apart lets each grow without touching
the others, and keeps `checkpoint.cli` a thin dispatcher.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeAlias

from checkpoint.config import Settings

if TYPE_CHECKING:
    SubParsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    SubParsers = argparse._SubParsersAction


@dataclass(frozen=True)
class CommandContext:
    """What every subcommand needs from the outside world, built once by the CLI."""

    home: Path
    settings: Settings
    stdout: TextIO
    stderr: TextIO
    user: str | None = None
    """`--user`: who logs in on a station with accounts (see `commands.session`)."""

    def error(self, message: str) -> None:
        """Tell the user, in one line on stderr, what went wrong."""
        print(f"checkpoint: {message}", file=self.stderr)
