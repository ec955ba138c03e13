"""Opening the station database: one function, plain SQLite or SQLCipher when given a key.

Every connection gets the same pragmas (WAL so readers never wait for the writer, foreign
keys on, a busy timeout instead of instant "database is locked") and is brought to the
current schema before anyone uses it. SQLCipher's connection is DB-API compatible with the
standard one, so sqlite-utils (full-text search included) works on both and encryption at
rest can be switched on without touching any caller.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import sqlite_utils

from checkpoint.errors import CheckpointError
from checkpoint.storage.migrations import migrate

BUSY_TIMEOUT_MS = 30_000
_RAW_KEY = re.compile(r"^x'[0-9a-fA-F]{64}'$")


class DatabaseError(CheckpointError):
    """The database file cannot be used (wrong key, not a database, newer schema, disk)."""


def _connect(path: Path, key: str | None) -> sqlite3.Connection:
    if key is None:
        return sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    # Imported on demand: only stations with encryption at rest load SQLCipher.
    import sqlcipher3  # noqa: PLC0415

    connection: sqlite3.Connection = sqlcipher3.connect(
        str(path), check_same_thread=False, isolation_level=None
    )
    if _RAW_KEY.match(key):
        # A raw 256-bit key (`x'…'`, what accounts unwrap) is used as is, without SQLCipher's
        # passphrase derivation; it must be given inside double quotes.
        connection.execute(f'PRAGMA key = "{key}"')
    else:
        # PRAGMA does not take bound parameters; quote the key as an SQL string literal.
        connection.execute("PRAGMA key = '{}'".format(key.replace("'", "''")))
    return connection


def open_database(
    path: Path, key: str | None = None, *, migrate_schema: bool = True
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, configured and migrated.

    With `key`, the file is an SQLCipher database encrypted with that passphrase.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = _connect(path, key)
        # Reading the schema is the first access that touches the file: a wrong key or a
        # file that is not a database fails here, not later in some unrelated query.
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")
    except Exception as exc:
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise DatabaseError(
                f"{path} is not a Checkpoint database or the key is wrong: "
                "check the key or the file."
            ) from exc
        raise
    db = sqlite_utils.Database(connection)
    if migrate_schema:
        migrate(db, where=str(path))
    return db


def wal_checkpoint(db: sqlite_utils.Database) -> None:
    """Fold the write-ahead log into the main file (before copying or hashing it)."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
