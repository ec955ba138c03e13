"""Setting up a station from the wizard's answers: everything checked first, then written.

`apply` works in two phases. The first touches nothing: it checks the answers, loads the
key, fetches the lists from HQ into a scratch folder if asked, and verifies every bundle
against that key (signature, expiry, hashes, newer than anything installed). Only then are
things written, in an order where each step's failure leaves a state the station can go on
from: the first administrator (which encrypts the station), the trusted key, the lists, the
HQ token, and the settings file last — its `first_run: done` is what says set-up finished.
A rejected bundle, a wrong key or an unreachable HQ therefore leave the home as it was.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from checkpoint.accounts import StationSession
from checkpoint.accounts.store import create_first_administrator, has_accounts, login
from checkpoint.audit import record
from checkpoint.config import Settings, change_settings
from checkpoint.firstrun.answers import Answers, FirstRunError, check_answers
from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.sync.station_token import save_token
from checkpoint.watchlist.bundle import MANIFEST, BundleContent, verify_bundle
from checkpoint.watchlist.keys import (
    TrustedKey,
    load_public_key,
    trust_key_audited,
    trusted_keys,
)
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.store import ImportReport, check_against_installed, import_bundle

Progress = Callable[[str], None]
"""`progress(step)`: a short line saying what the set-up is doing now."""


@dataclass(frozen=True)
class Prepared:
    """Everything checked and in memory, nothing written yet."""

    settings: Settings
    key: TrustedKey
    trusted: dict[str, TrustedKey]
    bundles: tuple[BundleContent, ...]


@dataclass(frozen=True)
class Outcome:
    """What set-up did. The recovery key is shown once and stored nowhere by Checkpoint."""

    recovery_key: str
    session: StationSession
    settings: Settings
    imported: tuple[ImportReport, ...]


def _quiet(_step: str) -> None:
    return None


def prepare(
    home: Path,
    answers: Answers,
    scratch: Path,
    *,
    now: datetime | None = None,
    progress: Progress = _quiet,
) -> Prepared:
    """Check every answer and verify every bundle; write nothing in `home`."""
    if has_accounts(home):
        raise FirstRunError(
            "This station is already set up: log in as an administrator to change it."
        )
    settings = check_answers(answers)
    progress("Checking the signing key")
    key = load_public_key(answers.key_file)
    trusted = {**trusted_keys(home), key.key_id: key}
    if answers.bundle_file is not None:
        paths = [answers.bundle_file]
    else:
        progress("Fetching the lists from HQ")
        paths = _fetch_from_hq(settings, answers.hq_token or "", scratch)
    bundles = []
    for path in paths:
        progress(f"Verifying {path.name}")
        try:
            bundles.append(verify_bundle(path, trusted, now=now))
        except WatchlistError as exc:
            raise signed_by_another_key(path, trusted, key) or exc from exc
    _check_installed(home, bundles)
    return Prepared(settings, key, trusted, tuple(bundles))


def signed_by_another_key(
    path: Path, trusted: dict[str, TrustedKey], chosen: TrustedKey
) -> FirstRunError | None:
    """The error for a bundle whose manifest names a signer other than the key chosen (and
    not trusted either), worded for set-up; None for any other rejection."""
    try:
        with zipfile.ZipFile(path) as archive:
            signer = json.loads(archive.read(MANIFEST)).get("signer")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, AttributeError):
        return None
    if not isinstance(signer, str) or signer in trusted:
        return None
    return FirstRunError(
        f"{path.name} is signed by key {signer}, not by the key chosen ({chosen.key_id}): "
        "choose the key HQ signs its lists with."
    )


def _fetch_from_hq(settings: Settings, token: str, scratch: Path) -> list[Path]:
    """Download what HQ offers for a station with no list yet (the newest of each list)."""
    from checkpoint.sync.fetch import download, hq_client, offered, plan_fetch  # noqa: PLC0415

    assert settings.hq_url is not None
    with hq_client(settings.hq_url, token.strip(), settings.station_id) as client:
        plan = plan_fetch(offered(client), {})
        if not plan:
            raise FirstRunError(
                f"HQ at {settings.hq_url} offers no watchlist: ask HQ to publish one or choose "
                "a bundle file."
            )
        return [download(client, bundle, scratch) for bundle in plan]


def _check_installed(home: Path, bundles: list[BundleContent]) -> None:
    """Refuse bundles older than lists already in a (plain, demo) database, before writing."""
    path = database_path(home)
    if not path.exists():
        return
    db = open_database(path, migrate_schema=False)
    try:
        for content in bundles:
            check_against_installed(db, content.manifest)
    finally:
        db.conn.close()


def apply(
    home: Path,
    answers: Answers,
    *,
    now: datetime | None = None,
    progress: Progress = _quiet,
) -> Outcome:
    """Set the station up as answered; a `CheckpointError` before the first write leaves the
    home untouched."""
    with tempfile.TemporaryDirectory(prefix="checkpoint-setup-") as scratch:
        prepared = prepare(home, answers, Path(scratch), now=now, progress=progress)
    return _write(home, answers, prepared, now=now, progress=progress)


def _write(
    home: Path, answers: Answers, prepared: Prepared, *, now: datetime | None, progress: Progress
) -> Outcome:
    progress("Creating the administrator and encrypting the station")
    recovery_key = create_first_administrator(
        home, answers.admin_username, answers.admin_password, now=now
    )
    session = login(home, answers.admin_username, answers.admin_password, prepared.settings)
    progress("Trusting the signing key")
    trust_key_audited(session, answers.key_file)
    reports = []
    db = session.open_database()
    try:
        for content in prepared.bundles:
            manifest = content.manifest
            progress(f"Importing {manifest.list_id} version {manifest.version}")
            signer = prepared.trusted[manifest.signer]
            signer_name = f"{signer.name} ({signer.key_id})"
            if answers.fetch_from_hq:
                details = {"hq": prepared.settings.hq_url, "version": manifest.version}
                record(db.conn, session.principal, "watchlist.fetch", manifest.list_id, details)
            report = import_bundle(
                db, content, signer_name=signer_name, now=now, actor=session.principal
            )
            reports.append(report)
    finally:
        db.conn.close()
    if answers.hq_token and answers.hq_token.strip():
        save_token(home, answers.hq_token)
    progress("Saving the settings")
    try:
        change_settings(session, prepared.settings)
    except OSError as exc:
        raise FirstRunError(
            f"The station is set up but its settings could not be saved ({exc}): log in "
            "and set them in Administration → Settings."
        ) from exc
    return Outcome(recovery_key, session, prepared.settings, tuple(reports))
