"""Property: changing any single character of any field of any audit row (or the head the
database keeps) is found by `verify`, and named at or next to the row that was changed."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_helpers import real_actions, station
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkpoint.audit import verify

TEXT_FIELDS = ("at", "actor", "role", "action", "subject", "details", "prev_hash", "hash")
ROWS = 6


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A station database written by real actions, folded into one file to copy per example."""
    with tempfile.TemporaryDirectory(prefix="checkpoint-audit-") as folder:
        session = station(Path(folder) / "home", "plain")
        real_actions(session, count=ROWS // 3)
        db = session.open_database()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        yield session.database_path


def changed(text: str, position: int, replacement: str) -> str:
    index = position % len(text)
    if text[index] == replacement:
        replacement = "~" if replacement != "~" else "#"
    return text[:index] + replacement + text[index + 1 :]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    change=st.tuples(
        st.integers(1, ROWS),
        st.sampled_from(TEXT_FIELDS),
        st.integers(0, 200),
        st.characters(min_codepoint=32, max_codepoint=126),
    )
)
def test_any_single_character_changed_in_any_row_is_detected(
    template: Path, tmp_path: Path, change: tuple[int, str, int, str]
) -> None:
    seq, field, position, replacement = change
    copy = tmp_path / f"copy-{seq}-{field}-{position}-{ord(replacement)}.db"
    shutil.copyfile(template, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        [value] = conn.execute(f"SELECT {field} FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        conn.execute(
            f"UPDATE audit_log SET {field} = ? WHERE seq = ?",
            (changed(value, position, replacement), seq),
        )
        result = verify(conn)
    finally:
        conn.close()
        copy.unlink()
    assert not result.ok
    assert result.problems[0].seq in {seq - 1, seq, seq + 1}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(["seq", "head.seq", "head.hash"]),
    seq=st.integers(1, ROWS),
    delta=st.integers(1, 1000),
)
def test_a_changed_seq_or_head_is_detected(
    template: Path, tmp_path: Path, target: str, seq: int, delta: int
) -> None:
    copy = tmp_path / f"copy-{target}-{seq}-{delta}.db"
    shutil.copyfile(template, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        if target == "seq":
            # Moved to a number no other row has (the seq is the table's key).
            conn.execute("UPDATE audit_log SET seq = ? WHERE seq = ?", (ROWS + delta, seq))
        elif target == "head.seq":
            conn.execute("UPDATE audit_head SET seq = seq + ? - ?", (delta % 3, delta % 5))
        else:
            [value] = conn.execute("SELECT hash FROM audit_head").fetchone()
            conn.execute("UPDATE audit_head SET hash = ?", (changed(value, delta, "z"),))
        unchanged = target == "head.seq" and delta % 3 == delta % 5
        result = verify(conn)
    finally:
        conn.close()
        copy.unlink()
    assert result.ok is unchanged
