"""One transaction helper for every repository module.

A hit, its decision and their outbox items must commit together, so repository functions join
a transaction their caller already opened (through a savepoint, which rolls back alone on
failure) and otherwise open their own, taking the write lock up front (`BEGIN IMMEDIATE`) so
two writers never deadlock upgrading a read lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection, savepoint: str = "nested") -> Iterator[None]:
    """Run the block in the caller's transaction (as `savepoint`) or in a new one."""
    if conn.in_transaction:
        conn.execute(f"SAVEPOINT {savepoint}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO {savepoint}")
            conn.execute(f"RELEASE {savepoint}")
            raise
        conn.execute(f"RELEASE {savepoint}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
