"""The station's own data: the database, the trusted keys, and how old the lists are.

An encrypted database cannot be opened without a logged-in user's key; the checks then say
what they could not see instead of guessing, and open nothing for writing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from checkpoint.accounts.store import has_accounts
from checkpoint.doctor.model import Check, Station, fail, ok, warn
from checkpoint.errors import CheckpointError
from checkpoint.paths import INSTALL_ROOT, database_path, keys_dir
from checkpoint.storage import MIGRATIONS, open_database, schema_version
from checkpoint.watchlist.keys import TrustedKey, load_public_key, trusted_keys
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.store import list_statuses

SQLITE_HEADER = b"SQLite format 3\x00"
DEMO_KEY_FILE = INSTALL_ROOT / "watchlists" / "demo" / "DEMO-ONLY-signing-key.pub"
DEMO_KEY_PREFIX = "DEMO-ONLY"
LOCK_PROBE_MS = 200
LOG_IN = "run the doctor as a user of the station: `checkpoint --user NAME doctor`."
IMPORT_NEWER = (
    "import a newer bundle from HQ (`checkpoint watchlist import FILE|URL`) or fetch it in "
    "Administration → Watchlists."
)


def is_demo_station(station: Station) -> bool:
    """A station nobody has set up: no accounts and the first-run wizard not finished."""
    return not has_accounts(station.home) and station.settings.first_run != "done"


def _is_plain(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _readable(station: Station) -> bool:
    """Whether the checks can open the database (plain, or a key was given)."""
    return station.database_key is not None or _is_plain(database_path(station.home))


def _open(station: Station) -> sqlite_utils.Database:
    return open_database(database_path(station.home), station.database_key, migrate_schema=False)


def _write_lock_free(db: sqlite_utils.Database) -> bool:
    db.execute(f"PRAGMA busy_timeout = {LOCK_PROBE_MS}")
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    db.conn.execute("ROLLBACK")
    return True


def database(station: Station) -> Check:
    name = "Database"
    path = database_path(station.home)
    if not path.exists():
        return ok(name, f"{path} does not exist yet: it is created when the desk first opens")
    accounts = has_accounts(station.home)
    plain = _is_plain(path)
    if not plain and station.database_key is None:
        if accounts:
            return ok(name, f"{path} is encrypted; its schema is checked after logging in")
        return fail(
            name,
            f"{path} is not a plain database and the station has no accounts to open it",
            "put back the station's accounts.db from a backup, or move the database aside to "
            "start afresh.",
        )
    try:
        db = _open(station)
    except CheckpointError as exc:
        return fail(name, str(exc).rstrip("."), "restore the database from a backup.")
    try:
        version = schema_version(db)
        free = _write_lock_free(db)
    finally:
        db.conn.close()
    latest = len(MIGRATIONS)
    if version > latest:
        return fail(
            name,
            f"{path} has schema {version}, newer than this Checkpoint knows ({latest})",
            "update Checkpoint to the version that wrote it.",
        )
    if not free:
        return warn(
            name,
            f"{path} is locked for writing by another process",
            "close the other Checkpoint that is writing (a desk or an import), then try again.",
        )
    if accounts and plain:
        return warn(
            name,
            f"{path} holds personal data unencrypted although the station has accounts",
            "log in once so Checkpoint finishes encrypting it.",
        )
    state = "encrypted" if not plain else "plain (demo station)"
    if version < latest:
        return ok(name, f"{state}, schema {version}: upgraded to {latest} at the next start")
    return ok(name, f"{state}, schema {version}")


def _is_demo_key(key: TrustedKey) -> bool:
    if key.name.startswith(DEMO_KEY_PREFIX):
        return True
    try:
        return DEMO_KEY_FILE.is_file() and load_public_key(DEMO_KEY_FILE).key_id == key.key_id
    except WatchlistError:
        return False


def keys(station: Station) -> Check:
    name = "Trusted keys"
    folder = keys_dir(station.home)
    trusted = trusted_keys(station.home)
    files = sorted(folder.glob("*.pub")) if folder.is_dir() else []
    unreadable = [path.name for path in files if not _loads(path)]
    if not trusted:
        return warn(
            name,
            "this station trusts no watchlist signing key, so it can import no bundle",
            "trust HQ's public key: `checkpoint watchlist trust FILE`.",
        )
    names = ", ".join(f"{key.name} ({key.key_id})" for key in trusted.values())
    demo = [key for key in trusted.values() if _is_demo_key(key)]
    if demo and not is_demo_station(station):
        return warn(
            name,
            f"the demo signing key {demo[0].key_id} is trusted on a station that is set up: "
            "anyone can sign lists with it",
            f"revoke it in Administration → Watchlists or delete {folder / demo[0].name}.pub.",
        )
    if unreadable:
        return warn(
            name,
            f"trusted: {names}; unreadable and ignored: {', '.join(unreadable)}",
            f"replace or remove the unreadable files in {folder}.",
        )
    return ok(name, f"trusted: {names}")


def _loads(path: Path) -> bool:
    try:
        load_public_key(path)
    except WatchlistError:
        return False
    return True


def list_ages(station: Station) -> Check:
    name = "Watchlists"
    path = database_path(station.home)
    demo = is_demo_station(station)
    none_fix = "import the lists' bundle from HQ (`checkpoint watchlist import FILE|URL`)."
    if not path.exists():
        if demo:
            return ok(name, "none yet: the demo list is installed when the demo desk opens")
        return fail(name, "no watchlist is installed: nobody can be screened", none_fix)
    if not _readable(station):
        return warn(name, "the database is encrypted: the lists were not checked", LOG_IN)
    try:
        db = _open(station)
        try:
            statuses = list_statuses(db)
        finally:
            db.conn.close()
    except (CheckpointError, sqlite3.Error) as exc:
        return fail(name, f"the lists cannot be read ({exc})", "see the Database check above.")
    if not statuses:
        if demo:
            return warn(name, "no watchlist is installed: nobody can be screened", none_fix)
        return fail(name, "no watchlist is installed: nobody can be screened", none_fix)
    demo_signed = {key.key_id for key in trusted_keys(station.home).values() if _is_demo_key(key)}
    expired, ageing, fine = [], [], []
    for status in statuses:
        age = status.age_days(station.now)
        days_left = (status.expires - station.now).total_seconds() / 86400
        label = f"{status.list_id} v{status.version}"
        if status.is_stale(station.now):
            expired.append(f"{label} expired on {status.expires:%Y-%m-%d}")
        elif days_left < station.list_expiry_warning_days:
            ageing.append(f"{label} expires on {status.expires:%Y-%m-%d %H:%M} UTC")
        elif age > station.list_max_age_days and not (
            demo and any(key_id in status.signer for key_id in demo_signed)
        ):
            ageing.append(f"{label} is {age:.0f} days old (stale)")
        else:
            fine.append(f"{label} {age:.0f} days old")
    detail = "; ".join([*expired, *ageing, *fine])
    if expired:
        return fail(
            name, f"{detail}: screening against an expired list misses people", IMPORT_NEWER
        )
    if ageing:
        return warn(name, detail, IMPORT_NEWER)
    return ok(name, detail)
