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
    Migration(
        "hit log: one narrow row per hit for the supervisor's log, its indexes and text search",
        apply=lambda db: _run_all(db, HIT_LOG_SCHEMA),
    ),
    Migration(
        "hit log: each filter's index also holds the other filters, so combined filters "
        "count and page by one index alone",
        apply=lambda db: _run_all(db, HIT_LOG_COVERING_INDEXES),
    ),
    Migration(
        "hit log: the seconds from each hit to its decision, indexed, for the median",
        apply=lambda db: _run_all(db, HIT_LOG_DECISION_SECONDS),
    ),
    Migration(
        "audit head: the chain's last seq and hash, so deleted last rows show "
        "(checkpoint.audit.head creates the same table IF NOT EXISTS)",
        "CREATE TABLE IF NOT EXISTS audit_head ("
        "id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)",
    ),
]


def _search_text(row: str) -> str:
    """What text search finds a hit by, from a `hit_records` row named `row` (NEW or OLD).

    The same expression fills and empties the contentless index, so it must stay
    deterministic over columns that never change.
    """
    return (
        f"{row}.id || ' ' || {row}.station || ' ' || {row}.officer || ' ' || {row}.kind || ' ' "
        f"|| {row}.reason || ' ' || coalesce({row}.reference, '') || ' ' "
        f"|| coalesce({row}.list_id, '') || ' ' "
        f"|| coalesce(json_extract({row}.traveller, '$.surname'), '') || ' ' "
        f"|| coalesce(json_extract({row}.traveller, '$.given_names'), '') || ' ' "
        f"|| coalesce(json_extract({row}.traveller, '$.document_number'), '') || ' ' "
        f"|| coalesce(json_extract({row}.listed, '$.names[0].name'), '')"
    )


# The hit log reads a narrow copy of each hit kept by triggers: an explicit INTEGER PRIMARY
# KEY (`seq`) that VACUUM never renumbers (hit_records' implicit rowid it may), the columns the
# log filters and sorts on, the current state after any overturn, and one index per sort
# column ending in (created, seq) so every filter-and-sort pages by index alone.
HIT_LOG_SCHEMA: tuple[str, ...] = (
    """
    CREATE TABLE hit_log (
        seq INTEGER PRIMARY KEY,
        hit_id TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        station TEXT NOT NULL,
        officer TEXT NOT NULL,
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        list_id TEXT NOT NULL DEFAULT '',
        outcome TEXT,
        decided_at TEXT,
        state TEXT NOT NULL DEFAULT 'undecided',
        overturned INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX hit_log_created ON hit_log "
    "(created, seq, station, officer, kind, list_id, state, overturned)",
    "CREATE INDEX hit_log_station ON hit_log (station, created, seq)",
    "CREATE INDEX hit_log_officer ON hit_log (officer, created, seq)",
    "CREATE INDEX hit_log_kind ON hit_log (kind, created, seq)",
    "CREATE INDEX hit_log_list ON hit_log (list_id, created, seq)",
    "CREATE INDEX hit_log_state ON hit_log (state, created, seq)",
    "CREATE INDEX hit_log_score ON hit_log (score, created, seq)",
    "CREATE INDEX hit_log_overturned ON hit_log (overturned, created, seq) WHERE overturned = 1",
    "CREATE VIRTUAL TABLE hit_search USING fts5 "
    "(text, content='', tokenize='unicode61 remove_diacritics 2')",
    """
    INSERT INTO hit_log (hit_id, created, station, officer, kind, score, list_id)
    SELECT id, created, station, officer, kind, score, coalesce(list_id, '')
    FROM hit_records ORDER BY created, rowid
    """,
    """
    UPDATE hit_log SET (outcome, decided_at, state) = (
        SELECT d.outcome, d.decided_at, d.outcome FROM hit_decisions d
        WHERE d.hit_id = hit_log.hit_id
    ) WHERE hit_id IN (SELECT hit_id FROM hit_decisions)
    """,
    """
    UPDATE hit_log SET overturned = 1, state = (
        SELECT r.outcome FROM hit_reviews r WHERE r.hit_id = hit_log.hit_id
        AND r.kind = 'overturn' ORDER BY r.reviewed_at DESC LIMIT 1
    ) WHERE hit_id IN (SELECT hit_id FROM hit_reviews WHERE kind = 'overturn')
    """,
    "INSERT INTO hit_search (rowid, text) SELECT l.seq, "
    + _search_text("h")
    + " FROM hit_log l JOIN hit_records h ON h.id = l.hit_id",
    """
    CREATE TRIGGER hit_log_insert AFTER INSERT ON hit_records BEGIN
        INSERT INTO hit_log (hit_id, created, station, officer, kind, score, list_id)
        VALUES (NEW.id, NEW.created, NEW.station, NEW.officer, NEW.kind, NEW.score,
                coalesce(NEW.list_id, ''));
        INSERT INTO hit_search (rowid, text)
        VALUES ((SELECT seq FROM hit_log WHERE hit_id = NEW.id), """
    + _search_text("NEW")
    + """);
    END
    """,
    """
    CREATE TRIGGER hit_log_delete AFTER DELETE ON hit_records BEGIN
        INSERT INTO hit_search (hit_search, rowid, text)
        SELECT 'delete', seq, """
    + _search_text("OLD")
    + """ FROM hit_log WHERE hit_id = OLD.id;
        DELETE FROM hit_log WHERE hit_id = OLD.id;
    END
    """,
    """
    CREATE TRIGGER hit_log_decided AFTER INSERT ON hit_decisions BEGIN
        UPDATE hit_log SET outcome = NEW.outcome, decided_at = NEW.decided_at,
            state = CASE WHEN overturned = 1 THEN state ELSE NEW.outcome END
        WHERE hit_id = NEW.hit_id;
    END
    """,
    """
    CREATE TRIGGER hit_log_overturned AFTER INSERT ON hit_reviews
    WHEN NEW.kind = 'overturn' BEGIN
        UPDATE hit_log SET state = NEW.outcome, overturned = 1 WHERE hit_id = NEW.hit_id;
    END
    """,
)


_LOG_FILTERS = ("station", "officer", "kind", "list_id", "state", "overturned")
# Two filters (a station and a kind) counted by one column's index looked every candidate
# row up: 0.2-0.5 s at a million hits. With the other filter columns in each index entry
# the count reads the index range alone.
_WIDE_LOG_INDEXES = tuple(
    statement
    for name, column in (
        ("station", "station"),
        ("officer", "officer"),
        ("kind", "kind"),
        ("list", "list_id"),
        ("state", "state"),
        ("score", "score"),
    )
    for statement in (
        f"DROP INDEX hit_log_{name}",
        f"CREATE INDEX hit_log_{name} ON hit_log ({column}, created, seq, "
        + ", ".join(other for other in _LOG_FILTERS if other != column)
        + ")",
    )
)
HIT_LOG_COVERING_INDEXES: tuple[str, ...] = (
    *_WIDE_LOG_INDEXES,
    "DROP INDEX hit_log_overturned",
    "CREATE INDEX hit_log_overturned ON hit_log "
    "(overturned, created, seq, station, officer, kind, list_id, state) WHERE overturned = 1",
    # Without statistics SQLite cannot tell which of two filters' indexes is narrower and
    # picked the decision state's (a third of the log) over an officer's (a few hundred
    # hits). These hand-written statistics say how many hits share one value of each
    # column at a typical station; a later ANALYZE replaces them with measured ones.
    "ANALYZE sqlite_schema",
    "DELETE FROM sqlite_stat1 WHERE tbl = 'hit_log'",
    """
    INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
        ('hit_log', NULL, '1000000'),
        ('hit_log', 'sqlite_autoindex_hit_log_1', '1000000 1'),
        ('hit_log', 'hit_log_created', '1000000 1 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_station', '1000000 50000 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_officer', '1000000 5000 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_kind', '1000000 250000 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_list', '1000000 125000 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_state', '1000000 333333 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_score', '1000000 10000 1 1 1 1 1 1 1'),
        ('hit_log', 'hit_log_overturned', '20000 20000 1 1 1 1 1 1 1')
    """,
    "ANALYZE sqlite_schema",
)


# The median time to decision sorted every decided hit's wait, computed from two stamps:
# 4 s at a million hits. Kept as a column (set when the decision is recorded) with its own
# index, the median of the whole log is an index walk, and of a filtered log a sort of
# plain numbers.
HIT_LOG_DECISION_SECONDS: tuple[str, ...] = (
    "ALTER TABLE hit_log ADD COLUMN decision_seconds REAL",
    "UPDATE hit_log SET decision_seconds = "
    "(julianday(decided_at) - julianday(created)) * 86400.0 WHERE decided_at IS NOT NULL",
    "DROP TRIGGER hit_log_decided",
    """
    CREATE TRIGGER hit_log_decided AFTER INSERT ON hit_decisions BEGIN
        UPDATE hit_log SET outcome = NEW.outcome, decided_at = NEW.decided_at,
            decision_seconds = (julianday(NEW.decided_at) - julianday(created)) * 86400.0,
            state = CASE WHEN overturned = 1 THEN state ELSE NEW.outcome END
        WHERE hit_id = NEW.hit_id;
    END
    """,
    "CREATE INDEX hit_log_waits ON hit_log (decision_seconds) WHERE decision_seconds IS NOT NULL",
    "DELETE FROM sqlite_stat1 WHERE tbl = 'hit_log' AND idx = 'hit_log_waits'",
    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('hit_log', 'hit_log_waits', '950000 2')",
    "ANALYZE sqlite_schema",
)


def _run_all(db: sqlite_utils.Database, statements: tuple[str, ...]) -> None:
    # Triggers hold semicolons, so these steps are a list of statements, not one script.
    for statement in statements:
        db.conn.execute(statement)


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
