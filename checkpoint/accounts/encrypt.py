"""Turning a demo station's plain database into an encrypted one, without a window for loss.

The encrypted copy is written beside the plain file (`checkpoint.db.encrypting`) with
SQLCipher's `sqlcipher_export`. The caller then commits the accounts file, which holds the
wrapped key, and only after that is the copy renamed over the plain file. A crash before the
accounts commit leaves the old plain file and a stray copy (deleted on the next try); a crash
after it leaves a finished copy that `finish_pending_encryption` renames at the next login.
"""

from __future__ import annotations

import os
from pathlib import Path

from checkpoint.paths import database_path


def pending_path(home: Path) -> Path:
    return database_path(home).with_name(database_path(home).name + ".encrypting")


def write_encrypted_copy(home: Path, key: str) -> Path | None:
    """Write the encrypted copy of the plain database with `key`; None when there is none."""
    plain = database_path(home)
    pending = pending_path(home)
    pending.unlink(missing_ok=True)
    if not plain.exists():
        return None
    import sqlcipher3  # noqa: PLC0415 - loaded only by stations that encrypt

    connection = sqlcipher3.connect(str(plain), isolation_level=None)
    try:
        # Fold the write-ahead log in, so nothing lives only in the plain -wal file.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        connection.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(pending), key))
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute(f"PRAGMA encrypted.user_version = {version}")
        connection.execute("DETACH DATABASE encrypted")
    except BaseException:
        connection.close()
        pending.unlink(missing_ok=True)
        raise
    connection.close()
    with pending.open("rb+") as stream:
        os.fsync(stream.fileno())
    return pending


def finish_pending_encryption(home: Path) -> None:
    """Put a finished encrypted copy in place of the plain file and drop the plain WAL."""
    pending = pending_path(home)
    if not pending.exists():
        return
    plain = database_path(home)
    os.replace(pending, plain)
    for suffix in ("-wal", "-shm"):
        plain.with_name(plain.name + suffix).unlink(missing_ok=True)
    directory = os.open(plain.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def discard_pending_encryption(home: Path) -> None:
    pending_path(home).unlink(missing_ok=True)
