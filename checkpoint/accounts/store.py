"""The accounts file: who may log in, and the station database key wrapped for each of them.

`home/accounts.db` is a small plain SQLite file holding no traveller data: usernames, roles,
argon2id password hashes, failed-login counts and lockouts, and per user the database key
wrapped under that user's password (see `keywrap`). It also holds the key wrapped under the
recovery key. Logging in unwraps the key and returns a `StationSession` that opens the
encrypted station database; without a valid login the database is unreadable.

Audit rows go to the station database, which a failed login cannot open: failed logins wait
in the accounts file and are moved into the audit log, with their own times, at the next
successful login.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from checkpoint.accounts import encrypt, keywrap
from checkpoint.accounts.recovery import (
    RECOVERY_SUBJECT,
    new_recovery_key,
    normalize_recovery_key,
)
from checkpoint.accounts.roles import Permission, Principal, Role
from checkpoint.accounts.session import StationSession
from checkpoint.audit import record
from checkpoint.config import Settings
from checkpoint.errors import CheckpointError
from checkpoint.storage.transaction import transaction

MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory parameters
_SCHEMA = """
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    kdf_salt BLOB NOT NULL,
    kdf TEXT NOT NULL,
    wrapped_key BLOB NOT NULL
);
CREATE TABLE recovery (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    kdf_salt BLOB NOT NULL,
    kdf TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE pending_audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL
);
PRAGMA user_version = 1;
"""


class AccountError(CheckpointError):
    """An account operation cannot be done as asked."""


class LoginError(AccountError):
    """A login was refused: wrong password, locked, or disabled."""


@dataclass(frozen=True)
class UserInfo:
    """One account as the administration screens show it (no secrets)."""

    username: str
    role: Role
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_changed_at: datetime


def accounts_path(home: Path) -> Path:
    return home / "accounts.db"


def has_accounts(home: Path) -> bool:
    """True once the first administrator exists (the station is no longer a demo)."""
    return accounts_path(home).exists()


# --- first run -------------------------------------------------------------------------


def create_first_administrator(
    home: Path, username: str, password: str, *, now: datetime | None = None
) -> str:
    """Create the first administrator and encrypt the station; return the recovery key.

    A plain (demo) database already in the home is encrypted in place; the recovery key is
    shown once and never stored.
    """
    moment = _now(now)
    if has_accounts(home):
        raise AccountError(
            "This station already has accounts: log in as an administrator to add users."
        )
    username = _valid_username(username)
    _check_password(password)
    database_key = keywrap.new_database_key()
    key = keywrap.sqlcipher_key(database_key)
    recovery_key = new_recovery_key()
    home.mkdir(parents=True, exist_ok=True)
    encrypt.write_encrypted_copy(home, key)
    try:
        _write_new_accounts_file(
            home,
            username,
            password,
            database_key=database_key,
            recovery_key=recovery_key,
            moment=moment,
        )  # the commit point
    except BaseException:
        encrypt.discard_pending_encryption(home)
        raise
    _finish_pending_encryption(home)
    administrator = StationSession(home, Principal(username, Role.ADMINISTRATOR), key)
    db = administrator.open_database()
    try:
        record(
            db.conn,
            administrator.principal,
            "user.create",
            username,
            {"role": Role.ADMINISTRATOR.value, "first": True},
            at=moment,
        )
    finally:
        db.conn.close()
    return recovery_key


def _write_new_accounts_file(
    home: Path,
    username: str,
    password: str,
    *,
    database_key: bytes,
    recovery_key: str,
    moment: datetime,
) -> None:
    """Build accounts.db under a temporary name and rename it in: all or nothing."""
    handle, temporary = tempfile.mkstemp(prefix=".accounts-", suffix=".db", dir=home)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.executescript(_SCHEMA)
            connection.execute("BEGIN")
            _insert_user(
                connection,
                username,
                Role.ADMINISTRATOR,
                password,
                database_key=database_key,
                moment=moment,
            )
            salt = keywrap.new_salt()
            wrapped = keywrap.wrap(
                keywrap.derive_wrapping_key(recovery_key, salt), database_key, RECOVERY_SUBJECT
            )
            connection.execute(
                "INSERT INTO recovery (id, kdf_salt, kdf, wrapped_key, created_at)"
                " VALUES (1, ?, ?, ?, ?)",
                (salt, json.dumps(keywrap.DEFAULT_KDF.as_dict()), wrapped, _iso(moment)),
            )
            connection.execute("COMMIT")
        finally:
            connection.close()
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, accounts_path(home))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- logging in ------------------------------------------------------------------------


def login(
    home: Path, username: str, password: str, settings: Settings, *, now: datetime | None = None
) -> StationSession:
    """Check the password and unwrap the database key; count failures and lock per settings."""
    moment = _now(now)
    username = username.strip().lower()
    _finish_pending_encryption(home)
    with _accounts(home) as connection:
        row = connection.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            _queue_audit(
                connection,
                Principal(username or "?", Role.OFFICER),
                "login.failed",
                username,
                {"reason": "unknown user"},
                moment=moment,
            )
            raise LoginError("Wrong username or password: check both and try again.")
        principal = Principal(row["username"], Role(row["role"]))
        if row["disabled"]:
            _queue_audit(
                connection,
                principal,
                "login.failed",
                username,
                {"reason": "disabled"},
                moment=moment,
            )
            raise LoginError(
                f"The account {username} is disabled: ask an administrator to enable it."
            )
        locked_until = _parse(row["locked_until"])
        if locked_until is not None and locked_until > moment:
            _queue_audit(
                connection, principal, "login.failed", username, {"reason": "locked"}, moment=moment
            )
            raise LoginError(
                f"The account {username} is locked until {_clock(locked_until)} after too many "
                "failed logins: wait, or ask an administrator to reset the password."
            )
        if not _verify(row["password_hash"], password):
            _count_failure(connection, row, principal, moment, settings)
        database_key = keywrap.unwrap(
            keywrap.derive_wrapping_key(password, row["kdf_salt"], _kdf(row["kdf"])),
            row["wrapped_key"],
            username,
        )
        if database_key is None:
            raise LoginError(
                f"The stored key of {username} does not open with this password: "
                "ask an administrator to reset the password."
            )
        connection.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
            (username,),
        )
        if _HASHER.check_needs_rehash(row["password_hash"]):
            connection.execute(
                "UPDATE users SET password_hash = ? WHERE username = ?",
                (_HASHER.hash(password), username),
            )
        pending = connection.execute("SELECT * FROM pending_audit ORDER BY id").fetchall()
        session = StationSession(home, principal, keywrap.sqlcipher_key(database_key))
        db = session.open_database()
        try:
            with transaction(db.conn, "login"):
                for item in pending:
                    record(
                        db.conn,
                        Principal(item["actor"], Role(item["role"])),
                        item["action"],
                        item["subject"],
                        json.loads(item["details"]),
                        at=datetime.fromisoformat(item["at"]),
                    )
                record(db.conn, principal, "login", username, at=moment)
                connection.execute("DELETE FROM pending_audit")
        finally:
            db.conn.close()
    return session


def _count_failure(
    connection: sqlite3.Connection,
    row: sqlite3.Row,
    principal: Principal,
    moment: datetime,
    settings: Settings,
) -> None:
    """Count a wrong password, lock the account when it reaches the limit, and refuse."""
    failures = int(row["failed_logins"]) + 1
    limit = settings.accounts.max_failed_logins
    username = principal.username
    details: dict[str, Any] = {"reason": "wrong password", "failures": failures}
    # The last enabled administrator is never locked out: nobody could unlock the station.
    if failures >= limit and not _is_last_enabled_administrator(connection, username):
        until = moment + timedelta(minutes=settings.accounts.lockout_minutes)
        connection.execute(
            "UPDATE users SET failed_logins = 0, locked_until = ? WHERE username = ?",
            (_iso(until), username),
        )
        _queue_audit(
            connection,
            principal,
            "login.failed",
            username,
            {**details, "locked_until": _iso(until)},
            moment=moment,
        )
        raise LoginError(
            f"Wrong password; the account {username} is now locked until {_clock(until)}: "
            "wait, or ask an administrator to reset the password."
        )
    connection.execute(
        "UPDATE users SET failed_logins = ? WHERE username = ?", (failures, username)
    )
    _queue_audit(connection, principal, "login.failed", username, details, moment=moment)
    raise LoginError("Wrong username or password: check both and try again.")


def recover(
    home: Path,
    recovery_key: str,
    username: str,
    new_password: str,
    *,
    now: datetime | None = None,
) -> StationSession:
    """Every password lost: with the printed recovery key, set `username`'s password.

    An existing account is re-enabled and unlocked with the new password; an unknown
    username becomes a new administrator. Returns that user's session.
    """
    moment = _now(now)
    username = _valid_username(username)
    _check_password(new_password)
    normalized = normalize_recovery_key(recovery_key)
    if normalized is None:
        raise AccountError(
            "That is not a recovery key (six groups of five letters and digits): "
            "type it as printed."
        )
    _finish_pending_encryption(home)
    with _accounts(home) as connection:
        stored = connection.execute("SELECT * FROM recovery WHERE id = 1").fetchone()
        database_key = keywrap.unwrap(
            keywrap.derive_wrapping_key(normalized, stored["kdf_salt"], _kdf(stored["kdf"])),
            stored["wrapped_key"],
            RECOVERY_SUBJECT,
        )
        if database_key is None:
            raise AccountError(
                "The recovery key does not match this station: check it against the printout."
            )
        row = connection.execute(
            "SELECT role FROM users WHERE username = ?", (username,)
        ).fetchone()
        if row is None:
            role = Role.ADMINISTRATOR
            _insert_user(
                connection, username, role, new_password, database_key=database_key, moment=moment
            )
            action = "user.create"
        else:
            role = Role(row["role"])
            _set_password(connection, username, new_password, database_key, moment)
            connection.execute("UPDATE users SET disabled = 0 WHERE username = ?", (username,))
            action = "user.password_reset"
        session = StationSession(
            home, Principal(username, role), keywrap.sqlcipher_key(database_key)
        )
        db = session.open_database()
        try:
            record(
                db.conn,
                session.principal,
                action,
                username,
                {"via": "recovery key", "role": role.value},
                at=moment,
            )
        finally:
            db.conn.close()
    return session


# --- administration --------------------------------------------------------------------


def create_user(
    session: StationSession,
    username: str,
    password: str,
    role: Role,
    *,
    now: datetime | None = None,
) -> None:
    """Add an account that can log in with `password` (MANAGE_USERS)."""
    moment = _now(now)
    _require_manager(session)
    username = _valid_username(username)
    _check_password(password)
    role = Role(role)
    database_key = keywrap.raw_key(_key(session))
    with _administration(session, "user.create", username, {"role": role.value}, moment) as conn:
        if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise AccountError(f"The user {username} already exists: choose another username.")
        _insert_user(conn, username, role, password, database_key=database_key, moment=moment)


def set_disabled(
    session: StationSession, username: str, disabled: bool, *, now: datetime | None = None
) -> None:
    """Disable (cannot log in) or enable an account (MANAGE_USERS)."""
    moment = _now(now)
    _require_manager(session)
    action = "user.disable" if disabled else "user.enable"
    with _administration(session, action, username, {}, moment) as conn:
        _existing(conn, username)
        if disabled and _is_last_enabled_administrator(conn, username):
            raise AccountError(
                f"{username} is the last enabled administrator: make another administrator first."
            )
        conn.execute("UPDATE users SET disabled = ? WHERE username = ?", (int(disabled), username))


def reset_password(
    session: StationSession, username: str, new_password: str, *, now: datetime | None = None
) -> None:
    """Set another user's password and clear their lockout (MANAGE_USERS)."""
    moment = _now(now)
    _require_manager(session)
    _check_password(new_password)
    database_key = keywrap.raw_key(_key(session))
    with _administration(session, "user.password_reset", username, {}, moment) as conn:
        _existing(conn, username)
        _set_password(conn, username, new_password, database_key, moment)


def change_password(
    session: StationSession, old_password: str, new_password: str, *, now: datetime | None = None
) -> None:
    """The logged-in user changes their own password: re-wraps the key, re-encrypts nothing."""
    moment = _now(now)
    _check_password(new_password)
    username = session.principal.username
    database_key = keywrap.raw_key(_key(session))
    with _administration(session, "user.password_change", username, {}, moment) as conn:
        row = _existing(conn, username)
        if not _verify(row["password_hash"], old_password):
            raise AccountError("The current password is wrong: type it again.")
        if old_password == new_password:
            raise AccountError("The new password is the old one: choose a different password.")
        _set_password(conn, username, new_password, database_key, moment)


def change_role(
    session: StationSession, username: str, role: Role, *, now: datetime | None = None
) -> None:
    """Give an account another role (MANAGE_USERS); the last administrator keeps theirs."""
    moment = _now(now)
    _require_manager(session)
    role = Role(role)
    with _administration(
        session, "user.role_change", username, {"role": role.value}, moment
    ) as conn:
        row = _existing(conn, username)
        if (
            role is not Role.ADMINISTRATOR
            and row["role"] == Role.ADMINISTRATOR.value
            and _is_last_enabled_administrator(conn, username)
        ):
            raise AccountError(
                f"{username} is the last enabled administrator: make another administrator first."
            )
        conn.execute("UPDATE users SET role = ? WHERE username = ?", (role.value, username))


def list_users(session: StationSession) -> list[UserInfo]:
    """Every account, by username (MANAGE_USERS)."""
    _require_manager(session)
    with _accounts(session.home) as connection:
        rows = connection.execute("SELECT * FROM users ORDER BY username").fetchall()
    return [
        UserInfo(
            username=row["username"],
            role=Role(row["role"]),
            disabled=bool(row["disabled"]),
            failed_logins=int(row["failed_logins"]),
            locked_until=_parse(row["locked_until"]),
            created_at=datetime.fromisoformat(row["created_at"]),
            password_changed_at=datetime.fromisoformat(row["password_changed_at"]),
        )
        for row in rows
    ]


def user_role(home: Path, username: str) -> Role | None:
    """The role of `username`, or None when there is no such account (no secrets needed)."""
    if not has_accounts(home):
        return None
    with _accounts(home) as connection:
        row = connection.execute(
            "SELECT role FROM users WHERE username = ?", (username.strip().lower(),)
        ).fetchone()
    return None if row is None else Role(row["role"])


# --- helpers ---------------------------------------------------------------------------


def _finish_pending_encryption(home: Path) -> None:
    """Roll a first-run encryption forward, but only once its key is in the accounts file:
    before that, a stray encrypted copy's key is lost and the plain file is the database."""
    if has_accounts(home):
        encrypt.finish_pending_encryption(home)


@contextmanager
def _accounts(home: Path) -> Iterator[sqlite3.Connection]:
    """The accounts file in one write transaction, committed when the block ends cleanly."""
    path = accounts_path(home)
    if not path.exists():
        raise AccountError(
            "This station has no accounts yet: create the first administrator "
            "with `checkpoint users create-admin`."
        )
    connection = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    connection.row_factory = sqlite3.Row
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        if connection.in_transaction:
            connection.execute("COMMIT")
    finally:
        connection.close()


@contextmanager
def _administration(
    session: StationSession,
    action: str,
    subject: str,
    details: dict[str, Any],
    moment: datetime,
) -> Iterator[sqlite3.Connection]:
    """An accounts change and its audit row: the audit row commits only if the change does."""
    db = session.open_database()
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            with _accounts(session.home) as connection:
                yield connection
                record(db.conn, session.principal, action, subject, details, at=moment)
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
    finally:
        db.conn.close()


def _insert_user(
    connection: sqlite3.Connection,
    username: str,
    role: Role,
    password: str,
    *,
    database_key: bytes,
    moment: datetime,
) -> None:
    salt = keywrap.new_salt()
    wrapped = keywrap.wrap(keywrap.derive_wrapping_key(password, salt), database_key, username)
    connection.execute(
        "INSERT INTO users (username, role, password_hash, created_at, password_changed_at,"
        " kdf_salt, kdf, wrapped_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            username,
            role.value,
            _HASHER.hash(password),
            _iso(moment),
            _iso(moment),
            salt,
            json.dumps(keywrap.DEFAULT_KDF.as_dict()),
            wrapped,
        ),
    )


def _set_password(
    connection: sqlite3.Connection,
    username: str,
    password: str,
    database_key: bytes,
    moment: datetime,
) -> None:
    """New hash, new salt, the same database key wrapped again; the lockout is cleared."""
    salt = keywrap.new_salt()
    wrapped = keywrap.wrap(keywrap.derive_wrapping_key(password, salt), database_key, username)
    connection.execute(
        "UPDATE users SET password_hash = ?, kdf_salt = ?, kdf = ?, wrapped_key = ?,"
        " password_changed_at = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
        (
            _HASHER.hash(password),
            salt,
            json.dumps(keywrap.DEFAULT_KDF.as_dict()),
            wrapped,
            _iso(moment),
            username,
        ),
    )


def _existing(connection: sqlite3.Connection, username: str) -> sqlite3.Row:
    row: sqlite3.Row | None = connection.execute(
        "SELECT * FROM users WHERE username = ?", (username.strip().lower(),)
    ).fetchone()
    if row is None:
        raise AccountError(f"There is no user {username}: check the username.")
    return row


def _is_last_enabled_administrator(connection: sqlite3.Connection, username: str) -> bool:
    others = connection.execute(
        "SELECT count(*) FROM users WHERE role = ? AND disabled = 0 AND username != ?",
        (Role.ADMINISTRATOR.value, username),
    ).fetchone()[0]
    row = connection.execute(
        "SELECT role, disabled FROM users WHERE username = ?", (username,)
    ).fetchone()
    is_enabled_admin = (
        row is not None and row["role"] == Role.ADMINISTRATOR.value and not row["disabled"]
    )
    return is_enabled_admin and int(others) == 0


def _queue_audit(
    connection: sqlite3.Connection,
    actor: Principal,
    action: str,
    subject: str,
    details: dict[str, Any],
    *,
    moment: datetime,
) -> None:
    """Keep an audit row for the station log until someone logs in and can write it there.

    Commits at once (with the failure count), since the caller goes on to refuse the login.
    """
    connection.execute(
        "INSERT INTO pending_audit (at, actor, role, action, subject, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            _iso(moment),
            actor.username,
            actor.role.value,
            action,
            subject,
            json.dumps(details, sort_keys=True),
        ),
    )
    connection.execute("COMMIT")


def _require_manager(session: StationSession) -> None:
    session.require(Permission.MANAGE_USERS)


def _key(session: StationSession) -> str:
    if session.database_key is None:
        raise AccountError(
            "This station has no accounts yet: create the first administrator "
            "with `checkpoint users create-admin`."
        )
    return session.database_key


def _valid_username(username: str) -> str:
    normalized = username.strip().lower()
    if not _USERNAME.match(normalized):
        raise AccountError(
            f"'{username}' is not a valid username: use 1 to 32 letters, digits, '.', '_' or "
            "'-', starting with a letter or digit."
        )
    return normalized


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters."
        )


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _kdf(stored: str) -> keywrap.KdfParameters:
    return keywrap.KdfParameters(**json.loads(stored))


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _clock(moment: datetime) -> str:
    """HH:MM in the station's local time, as the officer reads the wall clock."""
    return moment.astimezone().strftime("%H:%M")
