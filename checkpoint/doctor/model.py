"""What a doctor check is given (the station) and what it returns (a `Check`).

Every check is a small function `check(station) -> Check` with no side effects on the
station: it may open the database read-only or ask HQ once, but never creates, migrates
or writes anything, so running `checkpoint doctor` on a broken station cannot make it worse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from checkpoint.config import Settings

GIB = 1 << 30


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, how it went, what was seen, and what to do about it."""

    name: str
    status: Status
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class Station:
    """The station being examined, with the limits the checks use (tests narrow them)."""

    home: Path
    settings: Settings
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    database_key: str | None = None
    """The SQLCipher key of a logged-in user; without it an encrypted database stays shut."""
    qt_timeout_s: float = 30.0
    camera_timeout_s: float = 5.0
    hq_timeout_s: float = 5.0
    disk_fail_bytes: int = 1 * GIB
    disk_warn_bytes: int = 5 * GIB
    list_max_age_days: float = 30.0
    list_expiry_warning_days: float = 3.0


def ok(name: str, detail: str) -> Check:
    return Check(name, Status.OK, detail)


def warn(name: str, detail: str, fix: str) -> Check:
    return Check(name, Status.WARN, detail, fix)


def fail(name: str, detail: str, fix: str) -> Check:
    return Check(name, Status.FAIL, detail, fix)
