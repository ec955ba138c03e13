"""The accounts file: first administrator, logins, lockout, administration, recovery."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from checkpoint.accounts import PermissionDeniedError, Role, StationSession
from checkpoint.accounts.recovery import normalize_recovery_key
from checkpoint.accounts.store import (
    AccountError,
    LoginError,
    accounts_path,
    change_password,
    change_role,
    create_first_administrator,
    create_user,
    has_accounts,
    list_users,
    login,
    recover,
    reset_password,
    set_disabled,
)
from checkpoint.config import AccountsSettings, Settings
from checkpoint.paths import database_path
from checkpoint.storage import DatabaseError, open_database

ADMIN_PASSWORD = "correct horse battery"
SETTINGS = Settings(accounts=AccountsSettings(max_failed_logins=3, lockout_minutes=15))
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def station(checkpoint_home: Path) -> tuple[Path, str]:
    """A station with its first administrator `ada`; yields the home and the recovery key."""
    return checkpoint_home, create_first_administrator(checkpoint_home, "ada", ADMIN_PASSWORD)


def audit_actions(session: StationSession) -> list[tuple[str, str, str]]:
    db = session.open_database()
    try:
        return [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in db.execute("SELECT actor, action, subject FROM audit_log ORDER BY seq")
        ]
    finally:
        db.conn.close()


def test_first_administrator_makes_an_encrypted_station(station: tuple[Path, str]) -> None:
    home, recovery_key = station
    assert has_accounts(home)
    assert normalize_recovery_key(recovery_key) == recovery_key
    session = login(home, "ADA", ADMIN_PASSWORD, SETTINGS)
    assert session.principal.username == "ada"
    assert session.principal.role is Role.ADMINISTRATOR
    assert not session.is_demo
    assert ("ada", "user.create", "ada") in audit_actions(session)
    assert ("ada", "login", "ada") in audit_actions(session)
    with pytest.raises(AccountError, match="already has accounts"):
        create_first_administrator(home, "bob", ADMIN_PASSWORD)


def test_password_is_an_argon2id_hash_and_the_key_is_wrapped(station: tuple[Path, str]) -> None:
    home, _ = station
    session = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    assert session.database_key is not None
    raw = bytes.fromhex(session.database_key[2:-1])
    with sqlite3.connect(accounts_path(home)) as connection:
        password_hash, wrapped = connection.execute(
            "SELECT password_hash, wrapped_key FROM users WHERE username = 'ada'"
        ).fetchone()
    assert password_hash.startswith("$argon2id$")
    assert ADMIN_PASSWORD not in password_hash
    assert raw not in wrapped
    assert raw not in accounts_path(home).read_bytes()


def test_database_opens_only_with_the_key(station: tuple[Path, str]) -> None:
    home, _ = station
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(database_path(home)).execute("SELECT * FROM sqlite_master").fetchall()
    with pytest.raises(DatabaseError):
        open_database(database_path(home), "x'" + "00" * 32 + "'")
    with pytest.raises(DatabaseError):
        open_database(database_path(home), ADMIN_PASSWORD)
    session = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    session.open_database().conn.close()


def test_wrong_password_is_refused_and_counted(station: tuple[Path, str]) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    create_user(admin, "olga", "officer password", Role.OFFICER)
    with pytest.raises(LoginError, match="Wrong username or password"):
        login(home, "olga", "not her password", SETTINGS)
    with pytest.raises(LoginError, match="Wrong username or password"):
        login(home, "nobody", "not a password", SETTINGS)
    users = {user.username: user for user in list_users(admin)}
    assert users["olga"].failed_logins == 1
    login(home, "olga", "officer password", SETTINGS)
    assert {user.username: user for user in list_users(admin)}["olga"].failed_logins == 0
    actions = audit_actions(admin)
    assert ("olga", "login.failed", "olga") in actions
    assert ("?", "login.failed", "nobody") not in actions
    assert any(a == "login.failed" and s == "nobody" for _, a, s in actions)


def test_lockout_after_repeated_failures_and_unlock_after_time(station: tuple[Path, str]) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    create_user(admin, "olga", "officer password", Role.OFFICER)
    for attempt in range(2):
        with pytest.raises(LoginError, match="Wrong"):
            login(home, "olga", f"wrong {attempt} password", SETTINGS, now=T0)
    with pytest.raises(LoginError, match="now locked until"):
        login(home, "olga", "wrong 3 password", SETTINGS, now=T0)
    later = T0 + timedelta(minutes=14)
    with pytest.raises(LoginError, match="locked until"):
        login(home, "olga", "officer password", SETTINGS, now=later)
    session = login(home, "olga", "officer password", SETTINGS, now=T0 + timedelta(minutes=16))
    assert session.principal.role is Role.OFFICER


def test_administrator_unlocks_by_resetting_the_password(station: tuple[Path, str]) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    create_user(admin, "olga", "officer password", Role.OFFICER)
    for attempt in range(3):
        with pytest.raises(LoginError):
            login(home, "olga", f"wrong {attempt} password", SETTINGS, now=T0)
    reset_password(admin, "olga", "a brand new one", now=T0)
    login(home, "olga", "a brand new one", SETTINGS, now=T0)
    with pytest.raises(LoginError):
        login(home, "olga", "officer password", SETTINGS, now=T0)
    assert ("ada", "user.password_reset", "olga") in audit_actions(admin)


def test_last_enabled_administrator_is_never_locked_disabled_or_demoted(
    station: tuple[Path, str],
) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    for attempt in range(5):
        with pytest.raises(LoginError, match="Wrong username or password"):
            login(home, "ada", f"wrong {attempt} password", SETTINGS, now=T0)
    login(home, "ada", ADMIN_PASSWORD, SETTINGS, now=T0)
    with pytest.raises(AccountError, match="last enabled administrator"):
        set_disabled(admin, "ada", True)
    with pytest.raises(AccountError, match="last enabled administrator"):
        change_role(admin, "ada", Role.SUPERVISOR)
    create_user(admin, "ben", "second admin pw", Role.ADMINISTRATOR)
    set_disabled(admin, "ben", True)
    with pytest.raises(AccountError, match="last enabled administrator"):
        set_disabled(admin, "ada", True)
    set_disabled(admin, "ben", False)
    change_role(admin, "ada", Role.SUPERVISOR)
    assert {u.username: u.role for u in list_users(admin)}["ada"] is Role.SUPERVISOR


def test_disabled_user_cannot_log_in(station: tuple[Path, str]) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    create_user(admin, "olga", "officer password", Role.OFFICER)
    set_disabled(admin, "olga", True)
    with pytest.raises(LoginError, match="disabled"):
        login(home, "olga", "officer password", SETTINGS)
    set_disabled(admin, "olga", False)
    login(home, "olga", "officer password", SETTINGS)
    actions = audit_actions(admin)
    assert ("ada", "user.disable", "olga") in actions
    assert ("ada", "user.enable", "olga") in actions


def test_only_managers_administer_and_bad_input_changes_nothing(
    station: tuple[Path, str],
) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    create_user(admin, "sam", "supervisor pw", Role.SUPERVISOR)
    supervisor = login(home, "sam", "supervisor pw", SETTINGS)
    with pytest.raises(PermissionDeniedError):
        create_user(supervisor, "eve", "officer password", Role.OFFICER)
    with pytest.raises(PermissionDeniedError):
        list_users(supervisor)
    with pytest.raises(AccountError, match="too short"):
        create_user(admin, "eve", "short", Role.OFFICER)
    with pytest.raises(AccountError, match="not a valid username"):
        create_user(admin, "eve smith", "long enough pw", Role.OFFICER)
    with pytest.raises(AccountError, match="already exists"):
        create_user(admin, "sam", "long enough pw", Role.OFFICER)
    assert [u.username for u in list_users(admin)] == ["ada", "sam"]
    assert [a for _, a, s in audit_actions(admin) if a == "user.create"] == ["user.create"] * 2


def test_change_password_rewraps_without_reencrypting(station: tuple[Path, str]) -> None:
    home, _ = station
    admin = login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    create_user(admin, "olga", "officer password", Role.OFFICER)
    officer = login(home, "olga", "officer password", SETTINGS)
    # Fold the WAL in so the main file holds every page, then fingerprint it; the reader
    # kept open stops the writer's close from folding its own WAL frames in afterwards.
    reader = admin.open_database()
    reader.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(database_path(home).read_bytes()).hexdigest()
    pages = database_path(home).stat().st_size // 4096
    try:
        with pytest.raises(AccountError, match="current password is wrong"):
            change_password(officer, "not the password", "another password")
        change_password(officer, "officer password", "another password")
        assert hashlib.sha256(database_path(home).read_bytes()).hexdigest() == before
        # Only the audit row's few pages were written (to the WAL), not the whole database.
        wal = database_path(home).with_name("checkpoint.db-wal").stat().st_size
        assert 0 < wal // 4096 <= 4 < pages
    finally:
        reader.conn.close()
    with pytest.raises(LoginError):
        login(home, "olga", "officer password", SETTINGS)
    again = login(home, "olga", "another password", SETTINGS)
    assert again.database_key == officer.database_key
    assert ("olga", "user.password_change", "olga") in audit_actions(admin)


def test_recovery_key_sets_a_new_password_when_all_are_lost(station: tuple[Path, str]) -> None:
    home, recovery_key = station
    with pytest.raises(AccountError, match="does not match"):
        recover(home, "00000-00000-00000-00000-00000-00000", "ada", "new admin password")
    with pytest.raises(AccountError, match="not a recovery key"):
        recover(home, "12345", "ada", "new admin password")
    typed = recovery_key.lower().replace("-", " ")
    session = recover(home, typed, "ada", "new admin password")
    assert session.principal.role is Role.ADMINISTRATOR
    login(home, "ada", "new admin password", SETTINGS)
    with pytest.raises(LoginError):
        login(home, "ada", ADMIN_PASSWORD, SETTINGS)
    fresh = recover(home, recovery_key, "root", "another admin pw")
    assert fresh.principal.role is Role.ADMINISTRATOR
    assert ("ada", "user.password_reset", "ada") in audit_actions(session)


def test_demo_station_has_no_accounts(checkpoint_home: Path) -> None:
    assert not has_accounts(checkpoint_home)
    demo = StationSession.demo(checkpoint_home)
    with pytest.raises(AccountError, match="no accounts yet"):
        create_user(demo, "olga", "officer password", Role.OFFICER)
    with pytest.raises(AccountError, match="no accounts yet"):
        login(checkpoint_home, "ada", ADMIN_PASSWORD, SETTINGS)


def test_demo_database_is_encrypted_in_place(checkpoint_home: Path) -> None:
    db = open_database(database_path(checkpoint_home))
    db["outbox_probe"].insert({"traveller": "Zorionak Plaintextovich"})
    db.conn.close()
    assert b"Plaintextovich" in database_path(checkpoint_home).read_bytes()
    create_first_administrator(checkpoint_home, "ada", ADMIN_PASSWORD)
    for path in (p for p in checkpoint_home.rglob("*") if p.is_file()):
        assert b"Plaintextovich" not in path.read_bytes(), path
    session = login(checkpoint_home, "ada", ADMIN_PASSWORD, SETTINGS)
    db = session.open_database()
    try:
        assert [row["traveller"] for row in db["outbox_probe"].rows] == ["Zorionak Plaintextovich"]
    finally:
        db.conn.close()


def test_crash_after_the_accounts_commit_is_finished_at_login(checkpoint_home: Path) -> None:
    """The copy is renamed in only after accounts.db commits; a crash in between rolls forward."""
    from checkpoint.accounts import encrypt, keywrap  # noqa: PLC0415

    db = open_database(database_path(checkpoint_home))
    db["probe"].insert({"n": 1})
    db.conn.close()
    create_first_administrator(checkpoint_home, "ada", ADMIN_PASSWORD)
    session = login(checkpoint_home, "ada", ADMIN_PASSWORD, SETTINGS)
    assert session.database_key is not None
    # Replay the state a crash between the two renames leaves: a finished encrypted copy
    # beside an old file that is not (yet) the encrypted one.
    pending = encrypt.pending_path(checkpoint_home)
    database_path(checkpoint_home).rename(pending)
    database_path(checkpoint_home).write_bytes(b"old plain file")
    assert keywrap.raw_key(session.database_key)
    again = login(checkpoint_home, "ada", ADMIN_PASSWORD, SETTINGS)
    assert not pending.exists()
    db = again.open_database()
    try:
        assert db["probe"].count == 1
    finally:
        db.conn.close()


def test_crash_before_the_accounts_commit_leaves_the_plain_database(
    checkpoint_home: Path,
) -> None:
    """An encrypted copy written, then a crash: no accounts, the plain file still in use, and
    the next attempt starts over from it."""
    from checkpoint.accounts import encrypt, keywrap  # noqa: PLC0415

    db = open_database(database_path(checkpoint_home))
    db["probe"].insert({"n": 1})
    db.conn.close()
    stray_key = keywrap.sqlcipher_key(keywrap.new_database_key())
    assert encrypt.write_encrypted_copy(checkpoint_home, stray_key) is not None
    assert not has_accounts(checkpoint_home)
    with pytest.raises(AccountError, match="no accounts yet"):
        login(checkpoint_home, "ada", ADMIN_PASSWORD, SETTINGS)
    with pytest.raises(AccountError, match="no accounts yet"):
        recover(checkpoint_home, "00000-00000-00000-00000-00000-00000", "ada", ADMIN_PASSWORD)
    db = open_database(database_path(checkpoint_home))
    try:
        assert db["probe"].count == 1
    finally:
        db.conn.close()
    create_first_administrator(checkpoint_home, "ada", ADMIN_PASSWORD)
    assert not encrypt.pending_path(checkpoint_home).exists()
    session = login(checkpoint_home, "ada", ADMIN_PASSWORD, SETTINGS)
    assert session.database_key != stray_key
    db = session.open_database()
    try:
        assert db["probe"].count == 1
    finally:
        db.conn.close()
