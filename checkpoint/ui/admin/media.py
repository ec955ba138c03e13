"""Bundles on removable media: where USB sticks are mounted and the bundle files on them.

Stations are often offline and get their lists on a stick; listing what is on the mounted
sticks spares the administrator a walk through the file dialog. udisks mounts sticks under
`/run/media/$USER` (or `/media/$USER` on Debian and Ubuntu), one folder per stick.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from pathlib import Path

MAX_DEPTH = 2
"""Bundles are looked for in a stick's top folder and one folder below, not the whole stick."""


def media_roots(user: str | None = None) -> list[Path]:
    """The folders removable media are mounted in for this user, where they exist."""
    try:
        name = user or getpass.getuser()
    except (KeyError, OSError):
        return []
    return [root for root in (Path("/run/media") / name, Path("/media") / name) if root.is_dir()]


def bundles_on_media(roots: Iterable[Path]) -> list[Path]:
    """Zip files on each mounted medium, up to `MAX_DEPTH` folders deep, sorted by path."""
    found: list[Path] = []

    def walk(folder: Path, depth: int) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_file() and entry.suffix.lower() == ".zip":
                found.append(entry)
            elif entry.is_dir() and depth < MAX_DEPTH:
                walk(entry, depth + 1)

    for root in roots:
        try:
            media = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for medium in media:
            walk(medium, 1)
    return found
