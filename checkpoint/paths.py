"""Where Checkpoint keeps its files.

One home folder holds everything a station owns (settings, database, trusted keys, evidence).
It is chosen, in order, by `--home`, the `CHECKPOINT_HOME` environment variable, or the
platform's per-user data folder, so tests and several stations on one machine never collide.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "checkpoint"
HOME_ENV = "CHECKPOINT_HOME"


def _install_root() -> Path:
    """The folder holding `resources/` and `watchlists/`: the source tree, or a frozen bundle's.

    PyInstaller unpacks data files under `sys._MEIPASS`, not beside the package's modules.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


INSTALL_ROOT = _install_root()
RESOURCES = INSTALL_ROOT / "resources"


def default_home() -> Path:
    """The home folder when neither `--home` nor `CHECKPOINT_HOME` names one."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The home folder to use, from the command line, the environment, or the default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_home()


def settings_path(home: Path) -> Path:
    return home / "settings.json"


def database_path(home: Path) -> Path:
    return home / "checkpoint.db"


def keys_dir(home: Path) -> Path:
    return home / "keys"


def resource(*parts: str) -> Path:
    """A file shipped under `resources/` (OCR-B model, demo material, style sheets)."""
    return RESOURCES.joinpath(*parts)
