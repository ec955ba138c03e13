"""A logged-in station: who is acting, and the key that opens the station database.

Everything that touches personal data takes a `StationSession` rather than a home folder, so
it cannot open the database without someone having logged in (or the station being a demo
station, which has no accounts and no encryption).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from checkpoint.accounts.roles import Permission, Principal, Role
from checkpoint.paths import database_path
from checkpoint.storage import open_database

DEMO_USER = "demo"


@dataclass(frozen=True)
class StationSession:
    """`database_key` is the SQLCipher key (None on a demo station, whose file is plain)."""

    home: Path
    principal: Principal
    database_key: str | None = None

    @classmethod
    def demo(cls, home: Path) -> StationSession:
        """The session of a station with no accounts: the demo administrator, no encryption."""
        return cls(home=home, principal=Principal(DEMO_USER, Role.ADMINISTRATOR))

    @property
    def database_path(self) -> Path:
        return database_path(self.home)

    @property
    def is_demo(self) -> bool:
        return self.database_key is None

    def open_database(self, *, migrate_schema: bool = True) -> sqlite_utils.Database:
        """A new connection to the station database, unlocked with this session's key."""
        return open_database(self.database_path, self.database_key, migrate_schema=migrate_schema)

    def require(self, permission: Permission) -> None:
        self.principal.require(permission)
