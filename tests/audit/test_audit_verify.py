"""`verify` on real stations: a chain of real actions verifies, and each way of tampering
with the file (edit, rehash, delete in the middle or at the end, swap, put an older copy
back) is found and named by row, on a plain demo file and on an SQLCipher file opened with
its key, as someone editing it behind Checkpoint's back would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from audit_helpers import OFFICER, raw, real_actions, station

from checkpoint.accounts.session import StationSession
from checkpoint.audit import VerifyResult, list_entries, record, verify
from checkpoint.audit.head import head_file, read_file_head, read_table_head
from checkpoint.audit.log import row_hash

KINDS = ["plain", "encrypted"]


def check(session: StationSession) -> VerifyResult:
    db = session.open_database()
    try:
        return verify(db.conn)
    finally:
        db.conn.close()


def seqs(result: VerifyResult) -> list[int]:
    return [problem.seq for problem in result.problems]


@pytest.fixture(params=KINDS)
def session(request: pytest.FixtureRequest, checkpoint_home: Path) -> StationSession:
    made = station(checkpoint_home, request.param)
    real_actions(made, count=3)
    return made


def test_real_actions_verify_and_every_one_is_in_the_log(session: StationSession) -> None:
    result = check(session)
    assert result.ok, result.problems
    assert (result.rows, result.first_seq, result.last_seq) == (9, 1, 9)
    db = session.open_database()
    try:
        actions = [entry.action for entry in list_entries(db.conn)]
        head = read_table_head(db.conn)
        copy_path = head_file(db.conn)
    finally:
        db.conn.close()
    assert actions == ["hit.view", "listed.view", "hit.decide"] * 3
    last = 9
    assert head is not None
    assert head.seq == last
    # The copy beside the database is written after each commit the log's writer owns.
    assert copy_path is not None
    assert copy_path.parent == session.home
    copy = read_file_head(copy_path)
    assert copy is not None
    assert copy.seq <= last


def test_an_encrypted_station_keeps_its_log_unreadable_without_the_key(
    checkpoint_home: Path,
) -> None:
    session = station(checkpoint_home, "encrypted")
    real_actions(session, count=1)
    files = [session.database_path, Path(f"{session.database_path}-wal")]
    assert not any(b"hit.decide" in path.read_bytes() for path in files if path.exists())
    assert check(session).ok


def test_an_edited_row_is_named(session: StationSession) -> None:
    with raw(session) as conn:
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE seq = 5")
    result = check(session)
    assert seqs(result) == [5]
    assert "row 5 was edited" in result.problems[0].message


def test_a_row_edited_and_rehashed_is_named_by_the_row_after_it(session: StationSession) -> None:
    with raw(session) as conn:
        seq, at, _actor, role, action, subject, details, prev = conn.execute(
            "SELECT seq, at, actor, role, action, subject, details, prev_hash FROM audit_log "
            "WHERE seq = 4"
        ).fetchone()
        forged = row_hash(
            prev,
            seq=seq,
            at=at,
            actor="nobody",
            role=role,
            action=action,
            subject=subject,
            details_json=details,
        )
        conn.execute("UPDATE audit_log SET actor = 'nobody', hash = ? WHERE seq = 4", (forged,))
    result = check(session)
    assert seqs(result) == [4]
    assert "row 4 was replaced" in result.problems[0].message


def test_a_deleted_middle_row_is_named(session: StationSession) -> None:
    with raw(session) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 3")
    result = check(session)
    assert seqs(result) == [3]
    assert result.problems[0].message == "row 3 is missing: it was deleted."


def test_deleted_first_rows_are_named(session: StationSession) -> None:
    with raw(session) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq <= 2")
    result = check(session)
    assert seqs(result) == [1]
    assert "rows 1–2 are missing" in result.problems[0].message


def test_deleted_last_rows_are_named(session: StationSession) -> None:
    with raw(session) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq >= 8")
    result = check(session)
    assert seqs(result) == [8]
    assert "rows 8–9 are missing" in result.problems[0].message


def test_last_rows_deleted_with_the_head_record_are_caught_by_the_copy(
    session: StationSession,
) -> None:
    # One more row written in a transaction of its own brings the copy up to the head.
    db = session.open_database()
    try:
        record(db.conn, OFFICER, "hit.view", "one more")
    finally:
        db.conn.close()
    with raw(session) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 10")
        last = conn.execute("SELECT hash FROM audit_log WHERE seq = 9").fetchone()[0]
        conn.execute("UPDATE audit_head SET seq = 9, hash = ?", (last,))
    result = check(session)
    assert seqs(result) == [10]
    assert "older copy of the database" in result.problems[0].message


def test_an_older_copy_of_the_database_put_back_is_caught(session: StationSession) -> None:
    saved = session.home / "saved.db"
    db = session.open_database()
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(session.database_path, saved)
        record(db.conn, OFFICER, "hit.view", "after the copy")
    finally:
        db.conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{session.database_path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(saved, session.database_path)
    result = check(session)
    assert seqs(result) == [10]


def test_swapped_rows_are_named_as_reordered(session: StationSession) -> None:
    columns = "at, actor, role, action, subject, details, prev_hash, hash"
    with raw(session) as conn:
        three = conn.execute(f"SELECT {columns} FROM audit_log WHERE seq = 3").fetchone()
        four = conn.execute(f"SELECT {columns} FROM audit_log WHERE seq = 4").fetchone()
        assignments = ", ".join(f"{name.strip()} = ?" for name in columns.split(","))
        conn.execute(f"UPDATE audit_log SET {assignments} WHERE seq = 3", (*four,))
        conn.execute(f"UPDATE audit_log SET {assignments} WHERE seq = 4", (*three,))
    result = check(session)
    assert seqs(result) == [3, 4]
    assert "row 3 holds the entry written as row 4: rows were reordered" in (
        result.problems[0].message
    )
    assert "row 4 holds the entry written as row 3" in result.problems[1].message


def test_the_chain_goes_on_past_a_deleted_tail_so_the_gap_stays(session: StationSession) -> None:
    with raw(session) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 9")
    db = session.open_database()
    try:
        entry = record(db.conn, OFFICER, "hit.view", "after the deletion")
    finally:
        db.conn.close()
    assert entry.seq == 10
    result = check(session)
    assert seqs(result) == [9]
    assert result.problems[0].message == "row 9 is missing: it was deleted."


def test_an_empty_log_verifies(checkpoint_home: Path) -> None:
    result = check(StationSession.demo(checkpoint_home))
    assert result.ok
    assert (result.rows, result.first_seq, result.last_seq) == (0, None, None)


def test_rows_appended_while_verifying_are_not_taken_for_tampering(
    session: StationSession,
) -> None:
    """Another connection (the desk's writer) commits rows in the middle of the walk."""
    reader = session.open_database()
    writer = session.open_database()
    appended: list[int] = []

    def append_once() -> int:
        if not appended:
            appended.append(record(writer.conn, OFFICER, "hit.view", "meanwhile").seq)
        return 0

    try:
        reader.conn.set_progress_handler(append_once, 50)
        result = verify(reader.conn)
        reader.conn.set_progress_handler(None, 0)
        after = verify(reader.conn)
    finally:
        reader.conn.close()
        writer.conn.close()
    assert appended == [10]
    assert result.ok, result.problems
    assert result.last_seq == 9
    assert after.ok
    assert after.last_seq == 10
