"""Whether a home still needs setting up, and skipping set-up into demo mode.

A home needs the wizard when nobody has set it up and nobody has chosen the demo: it has no
accounts and no settings file. Any settings file — written by the wizard, by skipping into
the demo, or by hand before the wizard existed — means somebody decided, and is respected.
"""

from __future__ import annotations

from pathlib import Path

from checkpoint.accounts.store import has_accounts
from checkpoint.config import Settings, save_settings
from checkpoint.paths import settings_path


def needs_setup(home: Path) -> bool:
    return not has_accounts(home) and not settings_path(home).exists()


def skip_to_demo(home: Path) -> Settings:
    """Record that this station runs as a demo (demo source, demo list); return its settings."""
    settings = Settings(first_run="demo")
    save_settings(home, settings)
    return settings
