"""`checkpoint watchlist ...`: make signing keys, build, verify, import, list and export
signed watchlist bundles.

HQ uses keygen and build; a station uses trust, revoke, verify, import (a file or an https:// URL),
status and export. Import checks everything before it writes anything, so a rejected
bundle leaves the station exactly as it was.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from checkpoint.accounts import Permission, StationSession
from checkpoint.audit import record
from checkpoint.commands import CommandContext
from checkpoint.commands.session import station_session
from checkpoint.watchlist.bundle import build_bundle, read_manifest, verify_bundle
from checkpoint.watchlist.delta import diff_against_bundle
from checkpoint.watchlist.keys import (
    generate_key_pair,
    load_private_key,
    revoke_key_audited,
    trust_key_audited,
    trusted_keys,
)
from checkpoint.watchlist.model import ListContent, WatchlistError
from checkpoint.watchlist.sources import (
    face_template_from_photo,
    read_alerts_csv,
    read_ofac,
    read_persons_csv,
    read_un_xml,
)
from checkpoint.watchlist.store import ImportReport, export_list, import_bundle, list_statuses

DOWNLOAD_TIMEOUT = 60.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("watchlist", help="build, verify, import and inspect watchlists")
    commands = parser.add_subparsers(dest="watchlist_command", metavar="ACTION", required=True)

    keygen = commands.add_parser("keygen", help="make an Ed25519 signing key pair (HQ)")
    keygen.add_argument("prefix", type=Path, help="writes PREFIX.key (private) and PREFIX.pub")
    keygen.set_defaults(func=run_keygen)

    trust = commands.add_parser("trust", help="trust a public key for bundle signatures")
    trust.add_argument("public_key", type=Path)
    trust.set_defaults(func=run_trust)

    revoke = commands.add_parser("revoke", help="stop trusting a public key (by its id)")
    revoke.add_argument("key_id", help="the key's id, as `watchlist status` shows its signer")
    revoke.set_defaults(func=run_revoke)

    build = commands.add_parser("build", help="build a signed bundle from source lists (HQ)")
    build.add_argument("--list-id", required=True)
    build.add_argument("--name", help="human-readable list name")
    build.add_argument("--version", type=int, required=True)
    build.add_argument("--key", type=Path, required=True, help="private key (PEM)")
    build.add_argument("--persons", type=Path, action="append", default=[], help="persons CSV")
    build.add_argument(
        "--alerts", type=Path, action="append", default=[], help="document-alert CSV"
    )
    build.add_argument("--ofac", type=Path, help="OFAC SDN CSV (sdn.csv)")
    build.add_argument("--ofac-alt", type=Path, help="OFAC alias CSV (alt.csv)")
    build.add_argument("--un", type=Path, help="UN consolidated list XML")
    build.add_argument("--photos", action="store_true", help="compute face templates from photos")
    build.add_argument("--delta-from", type=Path, help="previous bundle: build a delta on it")
    build.add_argument("--valid-days", type=float, default=30.0)
    build.add_argument("--out", type=Path, required=True)
    build.set_defaults(func=run_build)

    verify = commands.add_parser("verify", help="check a bundle without importing it")
    verify.add_argument("bundle", type=Path)
    verify.set_defaults(func=run_verify)

    do_import = commands.add_parser("import", help="import a bundle file or https:// URL")
    do_import.add_argument("bundle", help="path or URL")
    do_import.set_defaults(func=run_import)

    status = commands.add_parser("status", help="installed lists: version, age, expiry, signer")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=run_status)

    export = commands.add_parser("export", help="write an installed list as CSV")
    export.add_argument("--list-id", required=True)
    export.add_argument("--out", type=Path, required=True, help="persons CSV to write")
    export.add_argument("--alerts-out", type=Path, help="document-alert CSV to write")
    export.set_defaults(func=run_export)


def run_keygen(args: argparse.Namespace, ctx: CommandContext) -> int:
    private, public = generate_key_pair(args.prefix)
    print(f"private key: {private} (keep it secret)\npublic key: {public}", file=ctx.stdout)
    return 0


def run_trust(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_WATCHLISTS)
    key = trust_key_audited(session, args.public_key)
    print(f"trusted key {key.key_id} ({key.name})", file=ctx.stdout)
    return 0


def run_revoke(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_WATCHLISTS)
    key = revoke_key_audited(session, args.key_id)
    print(f"revoked key {key.key_id} ({key.name})", file=ctx.stdout)
    return 0


def _sources(args: argparse.Namespace) -> ListContent:
    maker = face_template_from_photo if args.photos else None
    parts = [read_persons_csv(path, maker) for path in args.persons]
    parts += [read_alerts_csv(path) for path in args.alerts]
    if args.ofac:
        parts.append(read_ofac(args.ofac, args.ofac_alt))
    if args.un:
        parts.append(read_un_xml(args.un))
    if not parts:
        raise WatchlistError("Name at least one source (--persons, --alerts, --ofac or --un).")
    return ListContent(
        persons=tuple(p for part in parts for p in part.persons),
        alerts=tuple(a for part in parts for a in part.alerts),
        rejected=tuple(r for part in parts for r in part.rejected),
    )


def run_build(args: argparse.Namespace, ctx: CommandContext) -> int:
    key = load_private_key(args.key)
    content = _sources(args)
    for problem in content.rejected:
        print(f"checkpoint: skipped {problem}", file=ctx.stderr)
    persons, alerts = content.persons, content.alerts
    deleted_persons: list[str] = []
    deleted_alerts: list[str] = []
    base = None
    if args.delta_from:
        diff = diff_against_bundle(args.delta_from, key, content)
        if diff.list_id != args.list_id:
            raise WatchlistError(
                f"{args.delta_from} is a bundle of {diff.list_id}, not {args.list_id}."
            )
        base = diff.base_version
        persons, alerts = diff.persons, diff.alerts
        deleted_persons, deleted_alerts = list(diff.deleted_persons), list(diff.deleted_alerts)
    manifest = build_bundle(
        args.out,
        key=key,
        list_id=args.list_id,
        list_name=args.name,
        version=args.version,
        base_version=base,
        persons=persons,
        alerts=alerts,
        deleted_persons=deleted_persons,
        deleted_alerts=deleted_alerts,
        valid_for=timedelta(days=args.valid_days),
    )
    counts = ", ".join(f"{v} {k}" for k, v in manifest.counts.items())
    print(
        f"{args.out}: {manifest.kind} bundle {manifest.list_id} v{manifest.version}"
        f" ({counts}; {len(content.rejected)} source rows skipped)",
        file=ctx.stdout,
    )
    return 0


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    trusted = trusted_keys(ctx.home)
    content = verify_bundle(args.bundle, trusted)
    manifest = content.manifest
    _, key = read_manifest(args.bundle, trusted)
    print(
        f"{args.bundle}: valid {manifest.kind} bundle {manifest.list_id} v{manifest.version}"
        f" signed by {key.name} ({key.key_id}), expires {manifest.expires:%Y-%m-%d %H:%M} UTC",
        file=ctx.stdout,
    )
    return 0


def _download(url: str, folder: Path) -> Path:
    target = folder / "download.bundle"
    try:
        with httpx.stream("GET", url, timeout=DOWNLOAD_TIMEOUT, follow_redirects=True) as response:
            if response.status_code != 200:
                raise WatchlistError(
                    f"HQ answered {response.status_code} for {url}: check the address or try later."
                )
            with target.open("wb") as stream:
                for block in response.iter_bytes():
                    stream.write(block)
    except httpx.HTTPError as exc:
        raise WatchlistError(
            f"{url} cannot be fetched ({exc}): check the link or use a file."
        ) from exc
    return target


def run_import(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_WATCHLISTS)
    source = str(args.bundle)
    try:
        report = _import(session, source)
    except WatchlistError as exc:
        # A refused bundle changes nothing but the audit log, which says who tried what; a
        # station that has no database yet gets none for it.
        if session.database_path.exists():
            db = session.open_database()
            try:
                details = {"source": source, "reason": str(exc)}
                record(db.conn, session.principal, "watchlist.import_rejected", source, details)
            finally:
                db.conn.close()
        raise
    before = f"v{report.previous_version}" if report.previous_version else "nothing"
    print(
        f"imported {report.kind} bundle {report.list_id} v{report.version} (replacing {before})",
        file=ctx.stdout,
    )
    return 0


def _import(session: StationSession, source: str) -> ImportReport:
    trusted = trusted_keys(session.home)
    with tempfile.TemporaryDirectory(prefix="checkpoint-download-") as scratch:
        path = _download(source, Path(scratch)) if "://" in source else Path(source)
        content = verify_bundle(path, trusted)
    key = trusted[content.manifest.signer]
    db = session.open_database()
    try:
        return import_bundle(
            db, content, signer_name=f"{key.name} ({key.key_id})", actor=session.principal
        )
    finally:
        db.conn.close()


def run_status(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.SCREEN)
    now = datetime.now(UTC)
    statuses = []
    if session.database_path.exists():
        db = session.open_database()
        try:
            statuses = list_statuses(db)
        finally:
            db.conn.close()
    if args.json:
        rows: list[dict[str, Any]] = [
            {
                "list_id": s.list_id,
                "name": s.name,
                "version": s.version,
                "created": s.created.isoformat(),
                "expires": s.expires.isoformat(),
                "age_days": round(s.age_days(now), 2),
                "stale": s.is_stale(now),
                "signer": s.signer,
                "imported_at": s.imported_at.isoformat(),
                "counts": s.counts,
            }
            for s in statuses
        ]
        print(json.dumps(rows), file=ctx.stdout)
        return 0
    if not statuses:
        print("no watchlists installed", file=ctx.stdout)
    for s in statuses:
        state = "STALE (expired)" if s.is_stale(now) else "current"
        print(
            f"{s.list_id} v{s.version}: {state}, {s.age_days(now):.1f} days old, expires "
            f"{s.expires:%Y-%m-%d %H:%M} UTC, signed by {s.signer}, "
            f"{s.counts.get('persons', 0)} persons, {s.counts.get('alerts', 0)} document alerts",
            file=ctx.stdout,
        )
    return 0


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    db = station_session(ctx, Permission.MANAGE_WATCHLISTS).open_database()
    try:
        persons, alerts = export_list(db, args.list_id, args.out, args.alerts_out)
    finally:
        db.conn.close()
    print(f"exported {persons} persons and {alerts} document alerts", file=ctx.stdout)
    return 0
