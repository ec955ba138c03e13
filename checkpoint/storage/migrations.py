"""The schema as an ordered list of migration steps, versioned by `PRAGMA user_version`.

Step n (1-based) turns a version n-1 database into version n. Packages that need tables
(hits, outbox, users, audit, ...) append their steps to `MIGRATIONS`; a step is never edited
once released, because stations in the field already ran it. Each step runs in its own
transaction together with the version bump, so a crash leaves the database at a whole step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from checkpoint.errors import CheckpointError


@dataclass(frozen=True)
class Migration:
    """One schema step: a name for the log, and SQL or a function applied to the database."""

    name: str
    sql: str = ""
    apply: Callable[[sqlite_utils.Database], None] | None = None


WATCHLIST_SCHEMA = """
CREATE TABLE wl_lists (
    list_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    signer TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    bundle_sha256 TEXT NOT NULL,
    counts TEXT NOT NULL
);
CREATE TABLE wl_persons (
    generation INTEGER NOT NULL,
    list_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT,
    nationalities TEXT NOT NULL,
    sex TEXT,
    category TEXT NOT NULL,
    reason TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (generation, entry_id)
);
CREATE TABLE wl_names (
    generation INTEGER NOT NULL,
    entry_id TEXT NOT NULL,
    name TEXT NOT NULL,
    quality TEXT NOT NULL
);
CREATE INDEX wl_names_entry ON wl_names (generation, entry_id);
CREATE TABLE wl_person_documents (
    generation INTEGER NOT NULL,
    entry_id TEXT NOT NULL,
    number TEXT NOT NULL,
    number_key TEXT NOT NULL,
    issuer TEXT,
    doc_type TEXT
);
CREATE INDEX wl_person_documents_key ON wl_person_documents (number_key, generation);
CREATE INDEX wl_person_documents_entry ON wl_person_documents (generation, entry_id);
CREATE TABLE wl_document_alerts (
    generation INTEGER NOT NULL,
    list_id TEXT NOT NULL,
    alert_id TEXT NOT NULL,
    number TEXT NOT NULL,
    number_key TEXT NOT NULL,
    issuer TEXT,
    doc_type TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (generation, alert_id)
);
CREATE INDEX wl_document_alerts_key ON wl_document_alerts (number_key, generation);
CREATE TABLE wl_templates (
    generation INTEGER NOT NULL,
    entry_id TEXT NOT NULL,
    model TEXT NOT NULL,
    model_version TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX wl_templates_entry ON wl_templates (generation, entry_id);
CREATE TABLE wl_generations (
    generation INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    started_at TEXT NOT NULL
);
"""

# The ordered steps. Append only; the index + 1 is the schema version a step produces.
MIGRATIONS: list[Migration] = [
    Migration("watchlists: lists, persons, names, documents, alerts, templates", WATCHLIST_SCHEMA),
    Migration(
        "outbox: items owed to HQ, each with an idempotency key (checkpoint.sync.outbox)",
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            created TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt TEXT,
            last_error TEXT,
            sent_at TEXT
        );
        CREATE INDEX outbox_state ON outbox (state, id)
        """,
    ),
    Migration(
        "hits: raised hits, their evidence images and the officers' decisions (checkpoint.hits)",
        """
        CREATE TABLE hit_records (
            id TEXT PRIMARY KEY,
            created TEXT NOT NULL,
            station TEXT NOT NULL,
            officer TEXT NOT NULL,
            kind TEXT NOT NULL,
            score REAL NOT NULL,
            reason TEXT NOT NULL,
            list_id TEXT,
            list_version INTEGER,
            list_stale INTEGER NOT NULL DEFAULT 0,
            reference TEXT,
            listed TEXT NOT NULL,
            traveller TEXT NOT NULL,
            findings TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX hit_records_created ON hit_records (created);
        CREATE TABLE hit_evidence (
            hit_id TEXT NOT NULL REFERENCES hit_records (id),
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (hit_id, name)
        );
        CREATE TABLE hit_decisions (
            hit_id TEXT PRIMARY KEY REFERENCES hit_records (id),
            outcome TEXT NOT NULL CHECK (outcome IN ('confirmed', 'dismissed')),
            reason TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL,
            decided_by TEXT NOT NULL
        )
        """,
    ),
    Migration(
        "audit: the append-only, hash-chained audit log (checkpoint.audit)",
        """
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log (at)
        """,
    ),
    Migration(
        "hit reviews: supervisors' annotations and overturned decisions (checkpoint.hits)",
        """
        CREATE TABLE hit_reviews (
            id TEXT PRIMARY KEY,
            hit_id TEXT NOT NULL REFERENCES hit_records (id),
            kind TEXT NOT NULL CHECK (kind IN ('annotation', 'overturn')),
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('confirmed', 'dismissed')),
            reason TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            reviewed_at TEXT NOT NULL,
            reviewed_by TEXT NOT NULL
        );
        CREATE INDEX hit_reviews_hit ON hit_reviews (hit_id, reviewed_at)
        """,
    ),
]


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, *, where: str = "the database") -> int:
    """Apply every step the database has not seen yet; return the resulting version."""
    current = schema_version(db)
    if current > len(MIGRATIONS):
        raise CheckpointError(
            f"{where} was written by a newer Checkpoint (schema {current}): update Checkpoint."
        )
    connection = db.conn
    for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if schema_version(db) >= number:
                connection.execute("COMMIT")
                continue
            if step.sql:
                for statement in _statements(step.sql):
                    connection.execute(statement)
            if step.apply is not None:
                step.apply(db)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return schema_version(db)


def _statements(script: str) -> list[str]:
    # executescript() would commit our open transaction; split instead (the schema has no
    # semicolons inside literals or triggers).
    return [part.strip() for part in script.split(";") if part.strip()]
