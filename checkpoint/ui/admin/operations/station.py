"""The station database, opened for one action on the action's own thread and closed after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlite_utils

from checkpoint.accounts import StationSession

Progress = Callable[[int, str], None]
"""`progress(per cent, what is happening)`, called from the worker thread."""


@contextmanager
def station_database(session: StationSession) -> Iterator[sqlite_utils.Database]:
    """A connection of its own (SQLite connections stay on the thread that opened them)."""
    db = session.open_database()
    try:
        yield db
    finally:
        db.conn.close()
