"""`checkpoint audit verify|list|purge` end to end: exit codes, one line per problem, the
check itself audited, rights per role, and a real encrypted station logged into with
`--user`, its file tampered with through SQLCipher and the key."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import new_hit, raw, real_actions, station
from cli_process import run_cli as run

from checkpoint.accounts.roles import Role
from checkpoint.accounts.session import StationSession
from checkpoint.accounts.store import create_first_administrator, create_user, login
from checkpoint.commands.session import PASSWORD_ENV
from checkpoint.config import RetentionSettings, Settings, load_settings, save_settings
from checkpoint.hits.store import record_hit

PASSWORD = "correct horse battery"


@pytest.fixture
def demo(checkpoint_home: Path) -> StationSession:
    session = station(checkpoint_home, "plain")
    real_actions(session, count=3)
    return session


def test_verify_passes_then_fails_after_a_row_is_edited_in_the_file(
    demo: StationSession,
) -> None:
    code, out, err = run("audit", "verify")
    assert (code, err) == (0, "")
    assert out == "audit log intact: 9 rows verified (rows 1–9)\n"

    with raw(demo) as conn:
        conn.execute("UPDATE audit_log SET details = '{}' WHERE seq = 6")
    code, out, err = run("audit", "verify")
    assert (code, err) == (1, "")
    assert out == "row 6 was edited: its contents do not match its hash.\n"

    code, out, _ = run("audit", "verify", "--json")
    assert code == 1
    result = json.loads(out)
    assert result["ok"] is False
    assert [p["seq"] for p in result["problems"]] == [6]


def test_every_verification_is_itself_in_the_log(demo: StationSession) -> None:
    run("audit", "verify")
    with raw(demo) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    run("audit", "verify")
    code, out, _ = run("audit", "list", "--action", "audit.verify", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["actor"], r["details"]["ok"]) for r in rows] == [("demo", True), ("demo", False)]


def test_list_filters_by_action_group_actor_and_time(demo: StationSession) -> None:
    code, out, _ = run("audit", "list", "--action", "hit", "--actor", "omar", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["action"] for r in rows] == ["hit.view", "hit.decide"] * 3
    code, out, _ = run("audit", "list", "--since", "2026-06-01T09:32:00+00:00")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["7", "8", "9"]
    code, out, _ = run("audit", "list", "--actor", "nobody")
    assert (code, out) == (0, "no audit rows\n")


def test_a_bad_since_is_one_sentence(demo: StationSession) -> None:
    code, out, err = run("audit", "list", "--since", "last tuesday")
    assert (code, out) == (1, "")
    assert err == (
        "checkpoint: 'last tuesday' is not a date or time: write it as 2026-06-01 or "
        "2026-06-01T09:30.\n"
    )


def test_purge_uses_the_stations_retention_and_a_dry_run_changes_nothing(
    demo: StationSession,
) -> None:
    now = datetime.now(UTC)
    db = demo.open_database()
    try:
        record_hit(db.conn, new_hit(now - timedelta(hours=1)))  # young, not delivered
    finally:
        db.conn.close()
    # Everything real_actions wrote is dated 2026-06-01: far older than a day.
    retention = RetentionSettings(hits_days=1, evidence_days=1, audit_days=1)
    save_settings(demo.home, Settings(retention=retention))

    code, out, _ = run("audit", "purge", "--dry-run", "--json")
    assert code == 0
    planned = json.loads(out)
    assert (planned["hits"], planned["audit_rows"], planned["dry_run"]) == (0, 9, True)
    assert planned["kept_undelivered"] == 3  # none of the three old hits reached HQ

    code, out, _ = run("audit", "purge")
    assert code == 0
    assert "purged 0 hits" in out
    assert "9 audit rows" in out
    assert "kept 3 old hits not yet delivered to HQ" in out
    code, out, _ = run("audit", "verify")
    assert (code, out) == (0, "audit log intact: 1 rows verified (rows 10–10)\n")
    code, out, _ = run("audit", "list", "--action", "retention.purge", "--json")
    [purge_row] = [json.loads(line) for line in out.splitlines()]
    assert purge_row["details"]["audit"]["through_seq"] == 9


@pytest.fixture
def encrypted(checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch) -> StationSession:
    """A real station with accounts: its database encrypted, ada its administrator."""
    create_first_administrator(checkpoint_home, "ada", PASSWORD)
    session = login(checkpoint_home, "ada", PASSWORD, load_settings(checkpoint_home))
    assert session.database_key is not None
    create_user(session, "omar", PASSWORD, Role.OFFICER)
    real_actions(session, count=2)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return session


def test_an_encrypted_station_verifies_and_names_a_row_edited_with_the_key(
    encrypted: StationSession,
) -> None:
    code, out, err = run("--user", "ada", "audit", "verify", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["ok"] is True
    edited = result["last_seq"] - 1  # a row of real_actions, the login rows before them
    with raw(encrypted) as conn:
        conn.execute("UPDATE audit_log SET subject = 'another hit' WHERE seq = ?", (edited,))
    code, out, _ = run("--user", "ada", "audit", "verify")
    assert code == 1
    assert out.splitlines()[0] == f"row {edited} was edited: its contents do not match its hash."


def test_an_officer_may_neither_verify_nor_purge(encrypted: StationSession) -> None:
    for command in (("audit", "verify"), ("audit", "purge", "--dry-run")):
        code, out, err = run("--user", "omar", *command)
        assert (code, out) == (1, "")
        assert "omar (officer) may not" in err
        assert err.count("\n") == 1
