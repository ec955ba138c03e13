"""What the administrator's screens do, without Qt: each action checks the permission, does
its work on a connection of its own, records it in the audit log, and returns a plain value.

The pages run these on worker threads and only show the values; keeping them Qt-free lets
the tests and a future command call exactly what the buttons call. An action refused for
bad input (a tampered bundle, an unreachable HQ) raises a `CheckpointError` whose sentence
the page shows, and changes nothing but the audit row that says it was refused.
"""

from __future__ import annotations

import bisect
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlite_utils

from checkpoint.accounts import Permission, StationSession
from checkpoint.audit import record
from checkpoint.camera import open_source
from checkpoint.config import Settings, change_settings, load_settings
from checkpoint.documents.image import Image
from checkpoint.errors import CheckpointError
from checkpoint.faces.search import GalleryThreshold, gallery_threshold
from checkpoint.sync import outbox
from checkpoint.sync.fetch import download, hq_client, offered, plan_fetch
from checkpoint.sync.outbox import OutboxItem, OutboxState, OutboxSummary
from checkpoint.sync.probe import ProbeResult, probe
from checkpoint.sync.station_token import check_token, load_token, save_token, token_path
from checkpoint.sync.uploader import Uploader, UploaderSettings, on_connection
from checkpoint.watchlist.bundle import PAYLOADS, verify_bundle
from checkpoint.watchlist.keys import (
    TrustedKey,
    revoke_key_audited,
    trust_key_audited,
    trusted_keys,
)
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.screen import PersonQuery, screen_person
from checkpoint.watchlist.store import ListStatus, import_bundle, list_statuses, load_index
from checkpoint.watchlist.synthetic import NATIONALITIES, NameGenerator

PROBE_TIMEOUT_S = 3.0
VERIFY_SHARE = 30
"""Per cent of an import's progress bar given to verification; the rest is writing rows."""

Progress = Callable[[int, str], None]
"""`progress(per cent, what is happening)`, called from the worker thread."""


@contextmanager
def _database(session: StationSession) -> Iterator[sqlite_utils.Database]:
    db = session.open_database()
    try:
        yield db
    finally:
        db.conn.close()


# --- watchlists ----------------------------------------------------------------------------


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
    with _database(session) as db:
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
    with _database(session) as db:
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
            with _database(session) as db:
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
    with _database(session) as db:
        record(db.conn, session.principal, "watchlist.fetch", hq_url, details)


def trust_key_file(session: StationSession, path: Path) -> TrustedKey:
    """Trust the public key in `path` for bundle signatures."""
    return trust_key_audited(session, path)


def revoke_trusted_key(session: StationSession, key_id: str) -> TrustedKey:
    """Stop trusting a key: bundles it signed are refused from now on."""
    return revoke_key_audited(session, key_id)


# --- outbox --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxOverview:
    summary: OutboxSummary
    hq_url: str | None
    hq: ProbeResult | None
    """None when no HQ address is set."""


@dataclass(frozen=True)
class RetryOutcome:
    requeued: int
    sent: int
    duplicates: int
    failed: int
    trouble: str | None


def outbox_overview(session: StationSession, now: datetime | None = None) -> OutboxOverview:
    """The backlog, and whether HQ answers its health probe (one short request)."""
    session.require(Permission.MANAGE_OUTBOX)
    with _database(session) as db:
        summary = outbox.summary(db.conn, now)
    hq_url = load_settings(session.home).hq_url
    result = None
    if hq_url:
        with httpx.Client(base_url=hq_url.rstrip("/"), timeout=PROBE_TIMEOUT_S) as client:
            result = probe(client)
    return OutboxOverview(summary, hq_url, result)


def owed_items(session: StationSession, offset: int, limit: int) -> list[OutboxItem]:
    """One page of the failed, then pending, items (the outbox table is read page by page)."""
    session.require(Permission.MANAGE_OUTBOX)
    with _database(session) as db:
        failed = outbox.summary(db.conn).failed
        found = outbox.items(db.conn, OutboxState.FAILED, limit, offset=offset)
        if len(found) < limit:
            found += outbox.items(
                db.conn,
                OutboxState.PENDING,
                limit - len(found),
                offset=max(0, offset - failed),
            )
    return found


def retry_outbox(session: StationSession, *, requeue_failed: bool = False) -> RetryOutcome:
    """One upload pass now (optionally putting refused items back in the queue first)."""
    session.require(Permission.MANAGE_OUTBOX)
    settings = load_settings(session.home)
    if not settings.hq_url:
        raise CheckpointError("No HQ address is set: enter it on the Settings page first.")
    token = load_token(session.home)
    with _database(session) as db:
        requeued = outbox.retry_failed(db.conn) if requeue_failed else 0
        with Uploader(
            on_connection(db.conn),
            settings.hq_url,
            token,
            UploaderSettings(),
            station_id=settings.station_id,
        ) as uploader:
            report = uploader.drain()
            trouble = None if report.trouble is None else str(uploader.error_for(report.trouble))
        outcome = RetryOutcome(requeued, report.sent, report.duplicates, report.failed, trouble)
        record(
            db.conn,
            session.principal,
            "outbox.retry",
            settings.hq_url,
            {
                "requeued": requeued,
                "sent": report.sent,
                "duplicates": report.duplicates,
                "failed": report.failed,
                "trouble": trouble,
            },
        )
    return outcome


# --- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsSnapshot:
    settings: Settings
    has_token: bool
    face_gallery: int
    """Face templates in the lists in force: with the target rate, it sets the 1:N threshold."""


NAME_SAMPLES = 400


def settings_snapshot(session: StationSession) -> SettingsSnapshot:
    """The settings as saved, and the gallery size the face threshold is worked out for."""
    session.require(Permission.MANAGE_SETTINGS)
    settings = load_settings(session.home)
    with _database(session) as db:
        statuses = list_statuses(db)
    gallery = sum(status.counts.get("templates", 0) for status in statuses)
    return SettingsSnapshot(settings, token_path(session.home).exists(), gallery)


def name_sample_scores(session: StationSession, samples: int = NAME_SAMPLES) -> tuple[float, ...]:
    """Each sample non-listed traveller's best name score against the lists in force, sorted.

    Loads the lists' name index (seconds for a million names), so the page runs it apart
    from reading the settings, which stay editable meanwhile.
    """
    session.require(Permission.MANAGE_SETTINGS)
    with _database(session) as db:
        index = load_index(db)
    return tuple(sorted(_non_listed_best_scores(index, samples)))


def _non_listed_best_scores(index: Any, samples: int) -> list[float]:
    """Best name scores of generated travellers who are on no list: half made-up names, half
    listed people's given and family names recombined (the near misses that cost most)."""
    if not len(index):
        return []
    rng = random.Random(2026)
    generator = NameGenerator(seed=2026, given=600, surnames=3000)
    tokens = [person.names[0][0].split() for person in index.persons if person.names]
    given = [parts[0] for parts in tokens if parts]
    family = [parts[-1] for parts in tokens if len(parts) > 1] or given
    scores: list[float] = []
    for number in range(samples):
        recombined = f"{rng.choice(given)} {rng.choice(family)}"
        name = generator.name()[0] if number % 2 else recombined
        query = PersonQuery.of(
            name,
            f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(NATIONALITIES),
            rng.choice("MF"),
        )
        matches = screen_person(index, query, floor=0.5, limit=1)
        scores.append(matches[0].score if matches else 0.0)
    return scores


def name_false_hit_rate(scores: tuple[float, ...], threshold: float) -> float | None:
    """Share of the sample non-listed travellers who would be a hit at `threshold`."""
    if not scores:
        return None
    return (len(scores) - bisect.bisect_left(scores, threshold)) / len(scores)


def face_threshold(gallery: int, target_rate: float) -> GalleryThreshold:
    """The 1:N distance threshold a target false-alert rate gives at this gallery size."""
    return gallery_threshold(gallery, target_rate)


SOURCE_TEST_READS = 20


def preview_source(spec: str) -> tuple[str, Image | None]:
    """Open the frame source `spec` as the desk would and read one frame: its name and the
    frame (None when it gave none in `SOURCE_TEST_READS` tries); a bad spec raises."""
    source = open_source(spec, loop=False)
    try:
        for _ in range(SOURCE_TEST_READS):
            frame = source.read()
            if frame is not None:
                return source.name, frame
            time.sleep(0.1)
        return source.name, None
    finally:
        source.close()


def save_settings_change(
    session: StationSession, new: Settings, token: str | None = None
) -> dict[str, list[Any]]:
    """Save valid settings (file and `settings.change` row together) and a new HQ token, if
    given; return every change, the token's as "(replaced)" only."""
    session.require(Permission.MANAGE_SETTINGS)
    if token is not None:
        # Checked before anything is written: a bad token leaves the settings alone too.
        check_token(token)
    changes = change_settings(session, new)
    if token is not None:
        save_token(session.home, token)
        replaced = {"hq_token": ["(kept)", "(replaced)"]}
        # The token itself never goes into the log: only that it was replaced.
        with _database(session) as db:
            record(db.conn, session.principal, "settings.change", "hq_token", {"changes": replaced})
        changes = {**changes, **replaced}
    return changes
