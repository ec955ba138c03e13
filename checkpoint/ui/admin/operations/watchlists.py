"""The Watchlists page's actions: the lists and keys, importing a bundle file, fetching from HQ,
trusting and revoking keys, each checked against the session's permission and audited."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from checkpoint.accounts import Permission, StationSession
from checkpoint.audit import record
from checkpoint.config import load_settings
from checkpoint.errors import CheckpointError
from checkpoint.sync.fetch import download, hq_client, offered, plan_fetch
from checkpoint.sync.station_token import load_token
from checkpoint.ui.admin.operations.station import Progress, station_database
from checkpoint.watchlist.bundle import PAYLOADS, verify_bundle
from checkpoint.watchlist.keys import (
    TrustedKey,
    revoke_key_audited,
    trust_key_audited,
    trusted_keys,
)
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.store import ListStatus, import_bundle, list_statuses

VERIFY_SHARE = 30
"""Per cent of an import's progress bar given to verification; the rest is writing rows."""


@dataclass(frozen=True)
class WatchlistOverview:
    now: datetime
    lists: tuple[ListStatus, ...]
    keys: tuple[TrustedKey, ...]


@dataclass(frozen=True)
class BundleImported:
    """A bundle that passed every check and is now in force: what the result panel spells out."""

    source: str
    list_id: str
    list_name: str
    kind: str
    version: int
    previous_version: int | None
    signer_name: str
    key_id: str
    created: datetime
    expires: datetime
    counts: dict[str, int]


@dataclass(frozen=True)
class FetchOutcome:
    hq_url: str
    offered: int
    imported: tuple[BundleImported, ...]


def watchlist_overview(session: StationSession, now: datetime | None = None) -> WatchlistOverview:
    session.require(Permission.MANAGE_WATCHLISTS)
    with station_database(session) as db:
        lists = tuple(list_statuses(db))
    keys = tuple(sorted(trusted_keys(session.home).values(), key=lambda k: (k.name, k.key_id)))
    return WatchlistOverview(now or datetime.now(UTC), lists, keys)


def import_bundle_file(
    session: StationSession,
    path: Path,
    progress: Progress | None = None,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> BundleImported:
    """Verify and install one bundle file, audited (`watchlist.import` commits with the switch
    to the new version); a refused bundle is audited too and changes nothing else."""
    session.require(Permission.MANAGE_WATCHLISTS)
    shown = source or str(path)
    tell = progress or (lambda _percent, _what: None)
    with station_database(session) as db:
        try:
            imported = _verify_and_import(session, db, path, source=shown, tell=tell, now=now)
        except WatchlistError as exc:
            record(
                db.conn,
                session.principal,
                "watchlist.import_rejected",
                path.name,
                {"source": shown, "reason": str(exc)},
            )
            raise
    return imported


def _verify_and_import(
    session: StationSession,
    db: sqlite_utils.Database,
    path: Path,
    *,
    source: str,
    tell: Progress,
    now: datetime | None,
) -> BundleImported:
    tell(0, "verifying")
    content = verify_bundle(
        path,
        trusted_keys(session.home),
        now,
        lambda _name, done: tell(VERIFY_SHARE * done // len(PAYLOADS), "verifying"),
    )
    manifest = content.manifest
    key = trusted_keys(session.home).get(manifest.signer)
    if key is None:
        raise WatchlistError(
            f"Key {manifest.signer} was revoked while the bundle was checked: import it again."
        )
    tables = {
        "wl_persons": len(content.records["persons.jsonl"]),
        "wl_names": len(content.records["names.jsonl"]),
        "wl_person_documents": len(content.records["documents.jsonl"]),
        "wl_document_alerts": len(content.records["alerts.jsonl"]),
        "wl_templates": len(content.records["templates.jsonl"]),
    }
    total = max(1, sum(tables.values()))
    finished: dict[str, int] = {}

    def written(table: str, rows: int) -> None:
        if table in tables:
            finished[table] = rows
            share = (100 - VERIFY_SHARE) * sum(finished.values()) // total
            tell(VERIFY_SHARE + share, "importing")

    tell(VERIFY_SHARE, "importing")
    # The switch to the new version and its `watchlist.import` row commit together.
    report = import_bundle(
        db,
        content,
        signer_name=f"{key.name} ({key.key_id})",
        progress=written,
        now=now,
        actor=session.principal,
    )
    tell(100, "done")
    return BundleImported(
        source=source,
        list_id=report.list_id,
        list_name=manifest.list_name,
        kind=report.kind,
        version=report.version,
        previous_version=report.previous_version,
        signer_name=key.name,
        key_id=key.key_id,
        created=manifest.created,
        expires=manifest.expires,
        counts=dict(manifest.counts),
    )


def fetch_from_hq(
    session: StationSession, progress: Progress | None = None, now: datetime | None = None
) -> FetchOutcome:
    """Download and import what HQ offers that is newer than the lists installed."""
    session.require(Permission.MANAGE_WATCHLISTS)
    settings = load_settings(session.home)
    if not settings.hq_url:
        raise CheckpointError("No HQ address is set: enter it on the Settings page first.")
    tell = progress or (lambda _percent, _what: None)
    token = load_token(session.home)
    imported: list[BundleImported] = []
    offers = 0
    try:
        with (
            hq_client(settings.hq_url, token, settings.station_id) as client,
            tempfile.TemporaryDirectory(prefix="checkpoint-fetch-") as scratch,
        ):
            tell(0, "asking HQ")
            listing = offered(client)
            offers = len(listing)
            with station_database(session) as db:
                installed = {s.list_id: s.version for s in list_statuses(db)}
            plan = plan_fetch(listing, installed)
            for number, bundle in enumerate(plan):
                base = 100 * number // len(plan)
                step = 100 // len(plan)

                def fetched(received: int, size: int, base: int = base, step: int = step) -> None:
                    tell(base + step * min(received, size) // max(1, 2 * size), "downloading")

                path = download(client, bundle, Path(scratch), fetched)

                def importing(percent: int, what: str, base: int = base, step: int = step) -> None:
                    tell(base + step // 2 + step * percent // 200, what)

                imported.append(
                    import_bundle_file(
                        session, path, importing, source=settings.hq_url + bundle.url, now=now
                    )
                )
    except CheckpointError as exc:
        _audit_fetch(session, settings.hq_url, offers, imported, str(exc))
        raise
    _audit_fetch(session, settings.hq_url, offers, imported, None)
    tell(100, "done")
    return FetchOutcome(settings.hq_url, offers, tuple(imported))


def _audit_fetch(
    session: StationSession,
    hq_url: str,
    offers: int,
    imported: list[BundleImported],
    error: str | None,
) -> None:
    details: dict[str, Any] = {
        "hq": hq_url,
        "offered": offers,
        "imported": [f"{i.list_id} v{i.version}" for i in imported],
    }
    if error is not None:
        details["error"] = error
    with station_database(session) as db:
        record(db.conn, session.principal, "watchlist.fetch", hq_url, details)


def trust_key_file(session: StationSession, path: Path) -> TrustedKey:
    """Trust the public key in `path` for bundle signatures."""
    return trust_key_audited(session, path)


def revoke_trusted_key(session: StationSession, key_id: str) -> TrustedKey:
    """Stop trusting a key: bundles it signed are refused from now on."""
    return revoke_key_audited(session, key_id)
