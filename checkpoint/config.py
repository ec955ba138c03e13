"""Typed, versioned station settings stored as JSON in the home folder.

Settings are a pydantic model so a hand-edited file is validated with a clear message, and
carry a `schema_version` with explicit migrations so an older file keeps working after an
upgrade (pickled or untyped settings become unreadable when the code moves on). The file is
written atomically: a crash while saving leaves the previous settings intact.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checkpoint.errors import CheckpointError
from checkpoint.files import write_atomically
from checkpoint.paths import settings_path

if TYPE_CHECKING:
    from checkpoint.accounts.session import StationSession

SCHEMA_VERSION = 1


class SettingsError(CheckpointError):
    """The settings file exists but cannot be used."""


class ScreeningSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name_hit_threshold: float = Field(
        0.88,
        ge=0.0,
        le=1.0,
        title="Name hit threshold",
        description="Score at which a name match is a hit.",
    )
    face_target_false_match_rate: float = Field(
        1e-4,
        gt=0.0,
        lt=1.0,
        title="Face false-match rate",
        description="Target false-match rate per search; with the gallery size it sets "
        "the 1:N threshold.",
    )


class AccountsSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    idle_timeout_minutes: int = Field(
        10,
        ge=1,
        le=480,
        title="Idle timeout (minutes)",
        description="The station locks and asks for the password again after this long idle.",
    )
    max_failed_logins: int = Field(5, ge=1, le=100, title="Failed logins before lockout")
    lockout_minutes: int = Field(
        15, ge=1, le=1440, title="Lockout (minutes)", description="How long a locked account waits."
    )


class RetentionSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    hits_days: int = Field(
        730, ge=1, title="Keep hits (days)", description="Hits and their decisions and reviews."
    )
    evidence_days: int = Field(
        180,
        ge=1,
        title="Keep evidence images (days)",
        description="Face and document images attached to hits; never longer than the hits.",
    )
    audit_days: int = Field(2555, ge=1, title="Keep audit rows (days)")


class Settings(BaseModel):
    """Everything a station can configure. Defaults make a working demo station."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = Field(SCHEMA_VERSION, title="Settings format version")
    station_id: str = Field("DEMO-01", min_length=1, max_length=64, title="Station identifier")
    hq_url: str | None = Field(
        None, title="Headquarters address", description="https://… of the HQ service"
    )
    camera: str = Field(
        "demo",
        title="Frame source",
        description="demo, a camera index, a device, a video file or a folder",
    )
    first_run: Literal["pending", "demo", "done"] = Field(
        "pending",
        title="First run",
        description="pending until the first-run wizard is finished (done) or skipped into "
        "demo mode (demo); the wizard opens only on a home with no settings file and no "
        "accounts, so files written before it existed are not asked again.",
    )
    screening: ScreeningSettings = Field(default_factory=ScreeningSettings)
    accounts: AccountsSettings = Field(default_factory=AccountsSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)


Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a version-n document into a version-(n+1) document.
MIGRATIONS: dict[int, Migration] = {}


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings document from any older schema version up to the current one."""
    version = int(document.get("schema_version", 1))
    if version > SCHEMA_VERSION:
        raise SettingsError(
            f"The settings file was written by a newer Checkpoint (format {version}): "
            "update Checkpoint."
        )
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
        document["schema_version"] = version
    return document


def load_settings(home: Path) -> Settings:
    """Read the station's settings, or the defaults when none were saved yet."""
    path = settings_path(home)
    if not path.exists():
        return Settings()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"{path} is not readable settings ({exc}): fix or delete the file."
        raise SettingsError(message) from exc
    if not isinstance(document, dict):
        raise SettingsError(f"{path} does not hold a settings object: fix or delete the file.")
    try:
        return Settings.model_validate(migrate(document))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = f"{path}: setting '{where}' is invalid ({first['msg']}): correct it."
        raise SettingsError(message) from exc


def save_settings(home: Path, settings: Settings) -> None:
    """Write the settings atomically (write to a temporary file, then rename)."""
    path = settings_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = settings.model_dump_json(indent=2) + "\n"
    write_atomically(path, text)


def settings_changes(old: Settings, new: Settings) -> dict[str, list[Any]]:
    """What differs, field by field: dotted name -> [before, after] (JSON values)."""
    changes: dict[str, list[Any]] = {}

    def walk(before: Any, after: Any, prefix: str) -> None:
        if isinstance(before, dict) and isinstance(after, dict):
            for name in sorted(set(before) | set(after)):
                walk(before.get(name), after.get(name), f"{prefix}{name}.")
        elif before != after:
            changes[prefix.rstrip(".")] = [before, after]

    walk(old.model_dump(mode="json"), new.model_dump(mode="json"), "")
    return changes


def change_settings(session: StationSession, new: Settings) -> dict[str, list[Any]]:
    """Save `new` as the station's settings and audit the change (`settings.change`, each
    changed field with its old and new value) by the session's user; return the changes.

    The audit row and the file are written together: if either fails, the old settings
    stay and no row is left. Saving the same settings changes and records nothing.
    """
    # Imported here: the audit and accounts packages themselves read settings.
    from checkpoint.accounts.roles import Permission  # noqa: PLC0415
    from checkpoint.audit import publish_head, record  # noqa: PLC0415
    from checkpoint.storage.transaction import transaction  # noqa: PLC0415

    session.require(Permission.MANAGE_SETTINGS)
    old = load_settings(session.home)
    changes = settings_changes(old, new)
    if not changes:
        return changes
    db = session.open_database()
    saved = False
    try:
        with transaction(db.conn, "settings"):
            record(db.conn, session.principal, "settings.change", "settings", {"changes": changes})
            save_settings(session.home, new)
            saved = True
        publish_head(db.conn)
    except BaseException:
        if saved:
            save_settings(session.home, old)
        raise
    finally:
        db.conn.close()
    return changes
