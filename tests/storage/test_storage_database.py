"""The station database: pragmas, ordered migrations, SQLCipher, the writer thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkpoint.errors import CheckpointError
from checkpoint.storage import (
    MIGRATIONS,
    DatabaseError,
    DatabaseWriter,
    Migration,
    open_database,
    schema_version,
)


def test_open_sets_wal_foreign_keys_and_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema_version(db) == len(MIGRATIONS)
    assert "wl_lists" in db.table_names()
    db.conn.close()
    again = open_database(tmp_path / "x.db")
    assert schema_version(again) == len(MIGRATIONS)


def test_later_steps_extend_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(tmp_path / "x.db").conn.close()
    steps = [
        *MIGRATIONS,
        Migration("hits", "CREATE TABLE hits (id INTEGER PRIMARY KEY, note TEXT)"),
    ]
    monkeypatch.setattr("checkpoint.storage.migrations.MIGRATIONS", steps)
    db = open_database(tmp_path / "x.db")
    assert schema_version(db) == len(steps)
    assert "hits" in db.table_names()


def test_failed_step_leaves_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(tmp_path / "x.db").conn.close()
    steps = [*MIGRATIONS, Migration("broken", "CREATE TABLE ok (a); CREATE TABLE ok (a)")]
    monkeypatch.setattr("checkpoint.storage.migrations.MIGRATIONS", steps)
    with pytest.raises(Exception, match="already exists"):
        open_database(tmp_path / "x.db")
    monkeypatch.setattr("checkpoint.storage.migrations.MIGRATIONS", MIGRATIONS)
    db = open_database(tmp_path / "x.db")
    assert schema_version(db) == len(MIGRATIONS)
    assert "ok" not in db.table_names()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "x.db")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.conn.close()
    with pytest.raises(CheckpointError, match="newer Checkpoint"):
        open_database(tmp_path / "x.db")


def test_sqlcipher_encrypts_and_keeps_full_text_search(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    db = open_database(path, key="correct horse")
    db["notes"].insert({"text": "traveller Ivan Petrov"})
    db["notes"].enable_fts(["text"])
    assert [row["text"] for row in db["notes"].search("petrov")] == ["traveller Ivan Petrov"]
    db.conn.close()
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"Petrov" not in raw
    with pytest.raises(DatabaseError, match="key is wrong"):
        open_database(path, key="wrong")
    with pytest.raises(DatabaseError):
        open_database(path)
    assert open_database(path, key="correct horse")["notes"].count == 1


def test_writer_runs_jobs_in_order_and_reports_errors(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with DatabaseWriter(path) as writer:
        writer.submit(lambda db: db.execute("CREATE TABLE t (n INTEGER)")).result()
        futures = [
            writer.submit(lambda db, n=n: db.execute("INSERT INTO t VALUES (?)", (n,)))
            for n in range(50)
        ]
        for future in futures:
            future.result()
        failing = writer.submit(lambda db: db.execute("INSERT INTO missing VALUES (1)"))
        with pytest.raises(Exception, match="no such table"):
            failing.result()
        assert (
            writer.submit(lambda db: db.execute("SELECT count(*) FROM t").fetchone()[0]).result()
            == 50
        )
    reader = open_database(path)
    assert [r[0] for r in reader.execute("SELECT n FROM t ORDER BY rowid")] == list(range(50))
    with pytest.raises(RuntimeError):
        writer.submit(lambda db: None)
