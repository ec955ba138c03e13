"""Where HQ keeps stations' tokens and uploaded items: SQLite by default, PostgreSQL by URL.

Both stores rest on one rule: a UNIQUE constraint on (station, idempotency key). An item is
written with an upsert that either inserts it or, when the key is already there, only counts
one more delivery; the database itself decides which, so a retried batch, a batch delivered
twice or two retries racing each other can never store an item twice. The delivery count is
kept because it shows how often the network made a station resend.

Each worker thread gets its own connection (Starlette runs the store calls in a thread
pool), so uploads from different stations proceed in parallel where the database allows.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

from checkpoint.errors import CheckpointError
from checkpoint.sync.protocol import Item, ItemStatus

C = TypeVar("C")


class HqStoreError(CheckpointError):
    """HQ's database cannot be opened or used."""


class HqStore(Protocol):
    """What the HQ service needs from its database."""

    def add_token(self, station: str, token_hash: str) -> None: ...

    def station_for(self, token_hash: str) -> str | None: ...

    def revoke(self, station: str) -> int: ...

    def store_items(self, station: str, items: Sequence[Item]) -> list[ItemStatus]: ...

    def keys(self, station: str) -> list[str]: ...

    def deliveries(self, station: str) -> dict[str, int]: ...

    def close(self) -> None: ...


class _PerThread(Generic[C]):
    """One connection per thread, all closed together."""

    def __init__(self, connect: Callable[[], C], close: Callable[[C], None]) -> None:
        self._connect = connect
        self._close = close
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[C] = []

    def get(self) -> C:
        connection: C | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def close_all(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            self._close(connection)
        self._local = threading.local()


def _now() -> datetime:
    return datetime.now(UTC)


def _payload(item: Item) -> str:
    return json.dumps(item.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


SQLITE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS hq_tokens (
        token_hash TEXT PRIMARY KEY,
        station TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS hq_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        station TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        created TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at TEXT NOT NULL,
        deliveries INTEGER NOT NULL DEFAULT 1,
        UNIQUE (station, idempotency_key)
    )""",
)

# The returned delivery count is 1 exactly when this statement inserted the row.
UPSERT = """INSERT INTO hq_items
    (station, idempotency_key, kind, created, payload, received_at, deliveries)
    VALUES ({p}, {p}, {p}, {p}, {p}, {p}, 1)
    ON CONFLICT (station, idempotency_key) DO UPDATE SET deliveries = hq_items.deliveries + 1
    RETURNING deliveries"""


class SqliteHqStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connections = _PerThread(self._connect, sqlite3.Connection.close)
        connection = self._connections.get()
        try:
            for statement in SQLITE_SCHEMA:
                connection.execute(statement)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise HqStoreError(
                f"{self.path} is not a usable HQ database ({exc}): check the --database path."
            ) from exc
        self._upsert = UPSERT.format(p="?")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            str(self.path), isolation_level=None, check_same_thread=False, timeout=30.0
        )
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    def add_token(self, station: str, token_hash: str) -> None:
        self._connections.get().execute(
            "INSERT INTO hq_tokens (token_hash, station, created) VALUES (?, ?, ?)",
            (token_hash, station, _now().isoformat()),
        )

    def revoke(self, station: str) -> int:
        cursor = self._connections.get().execute(
            "DELETE FROM hq_tokens WHERE station = ?", (station,)
        )
        return int(cursor.rowcount)

    def station_for(self, token_hash: str) -> str | None:
        row = (
            self._connections.get()
            .execute("SELECT station FROM hq_tokens WHERE token_hash = ?", (token_hash,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def store_items(self, station: str, items: Sequence[Item]) -> list[ItemStatus]:
        connection = self._connections.get()
        received = _now().isoformat()
        statuses: list[ItemStatus] = []
        connection.execute("BEGIN IMMEDIATE")
        try:
            for item in items:
                (deliveries,) = connection.execute(
                    self._upsert,
                    (
                        station,
                        item.idempotency_key,
                        item.kind,
                        item.created.isoformat(),
                        _payload(item),
                        received,
                    ),
                ).fetchone()
                statuses.append("accepted" if deliveries == 1 else "duplicate")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return statuses

    def keys(self, station: str) -> list[str]:
        rows = self._connections.get().execute(
            "SELECT idempotency_key FROM hq_items WHERE station = ? ORDER BY id", (station,)
        )
        return [str(row[0]) for row in rows]

    def deliveries(self, station: str) -> dict[str, int]:
        rows = self._connections.get().execute(
            "SELECT idempotency_key, deliveries FROM hq_items WHERE station = ?", (station,)
        )
        return {str(key): int(count) for key, count in rows}

    def close(self) -> None:
        self._connections.close_all()


POSTGRES_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS hq_tokens (
        token_hash TEXT PRIMARY KEY,
        station TEXT NOT NULL,
        created TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS hq_items (
        id BIGSERIAL PRIMARY KEY,
        station TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        created TIMESTAMPTZ NOT NULL,
        payload JSONB NOT NULL,
        received_at TIMESTAMPTZ NOT NULL,
        deliveries INTEGER NOT NULL DEFAULT 1,
        UNIQUE (station, idempotency_key)
    )""",
)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresHqStore:
    def __init__(self, url: str) -> None:
        # Imported on demand: a SQLite HQ never loads the PostgreSQL driver.
        import psycopg  # noqa: PLC0415

        self._psycopg = psycopg
        self.url = url
        self._connections: _PerThread[Any] = _PerThread(self._connect, lambda c: c.close())
        connection = self._connections.get()
        with connection.transaction():
            # Two HQ processes starting together must not race on CREATE TABLE IF NOT EXISTS.
            connection.execute("SELECT pg_advisory_xact_lock(72616)")
            for statement in POSTGRES_SCHEMA:
                connection.execute(statement)
        self._upsert = UPSERT.format(p="%s")

    def _connect(self) -> Any:
        try:
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except self._psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise HqStoreError(
                f"Cannot open the HQ database at {redact(self.url)} ({reason}): check the URL "
                "and that PostgreSQL is running."
            ) from exc

    def add_token(self, station: str, token_hash: str) -> None:
        self._connections.get().execute(
            "INSERT INTO hq_tokens (token_hash, station, created) VALUES (%s, %s, %s)",
            (token_hash, station, _now()),
        )

    def revoke(self, station: str) -> int:
        cursor = self._connections.get().execute(
            "DELETE FROM hq_tokens WHERE station = %s", (station,)
        )
        return int(cursor.rowcount)

    def station_for(self, token_hash: str) -> str | None:
        row = (
            self._connections.get()
            .execute("SELECT station FROM hq_tokens WHERE token_hash = %s", (token_hash,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def store_items(self, station: str, items: Sequence[Item]) -> list[ItemStatus]:
        connection = self._connections.get()
        received = _now()
        statuses: list[ItemStatus] = []
        with connection.transaction(), connection.cursor() as cursor:
            cursor.executemany(
                self._upsert,
                [
                    (
                        station,
                        item.idempotency_key,
                        item.kind,
                        item.created,
                        _payload(item),
                        received,
                    )
                    for item in items
                ],
                returning=True,
            )
            while True:
                (deliveries,) = cursor.fetchone()
                statuses.append("accepted" if deliveries == 1 else "duplicate")
                if not cursor.nextset():
                    break
        return statuses

    def keys(self, station: str) -> list[str]:
        rows = self._connections.get().execute(
            "SELECT idempotency_key FROM hq_items WHERE station = %s ORDER BY id", (station,)
        )
        return [str(row[0]) for row in rows]

    def deliveries(self, station: str) -> dict[str, int]:
        rows = self._connections.get().execute(
            "SELECT idempotency_key, deliveries FROM hq_items WHERE station = %s", (station,)
        )
        return {str(key): int(count) for key, count in rows}

    def close(self) -> None:
        self._connections.close_all()


def is_postgres_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def open_store(location: str | Path) -> HqStore:
    """A `postgresql://` URL opens PostgreSQL; `sqlite:///path` or a plain path opens SQLite."""
    text = str(location)
    if is_postgres_url(text):
        return PostgresHqStore(text)
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite://")
    elif "://" in text:
        raise HqStoreError(
            f"{redact(text)} is not a database HQ can use: give a file path or a postgresql:// URL."
        )
    return SqliteHqStore(Path(text))
