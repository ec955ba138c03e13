"""`checkpoint audit ...`: verify the hash-chained audit log, list it, and purge by retention.

`audit verify` exits 0 when the chain is whole and 1 when it is broken, with one line per
problem naming the row; `audit list` filters by time, action and actor; `audit purge` removes
what is older than the station's retention periods (`--dry-run` only counts). Verifying and
listing need the right to read the audit log, purging the right to change station settings.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from checkpoint.accounts.roles import Permission
from checkpoint.audit.log import record
from checkpoint.audit.query import list_entries
from checkpoint.audit.retention import purge
from checkpoint.audit.verify import verify
from checkpoint.commands import CommandContext, SubParsers
from checkpoint.commands.session import station_session
from checkpoint.errors import CheckpointError


class AuditCommandError(CheckpointError):
    """An audit command was given something it cannot use."""


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("audit", help="verify, list and purge the audit log")
    commands = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)

    check = commands.add_parser("verify", help="check the hash chain; exit 1 if it is broken")
    check.add_argument("--json", action="store_true", help="the result as one JSON object")
    check.set_defaults(func=run_verify)

    show = commands.add_parser("list", help="audit rows, oldest first")
    show.add_argument("--since", help="from this date or ISO time (UTC unless it says)")
    show.add_argument("--action", help="an action (hit.view) or a group of them (hit)")
    show.add_argument("--actor", help="the user who acted")
    show.add_argument("--limit", type=int, default=None, help="at most this many rows")
    show.add_argument("--json", action="store_true", help="one JSON object per row")
    show.set_defaults(func=run_list)

    clean = commands.add_parser("purge", help="remove what is older than the retention periods")
    clean.add_argument("--dry-run", action="store_true", help="count, remove nothing")
    clean.add_argument("--json", action="store_true", help="the counts as one JSON object")
    clean.set_defaults(func=run_purge)


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.VIEW_AUDIT)
    db = session.open_database()
    try:
        result = verify(db.conn)
        # The check itself is audited: who verified, and what they found.
        record(
            db.conn,
            session.principal,
            "audit.verify",
            details={"ok": result.ok, "rows": result.rows, "problems": len(result.problems)},
        )
    finally:
        db.conn.close()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False), file=ctx.stdout)
    elif result.ok:
        span = f"rows {result.first_seq}–{result.last_seq}" if result.rows else "no rows yet"
        print(f"audit log intact: {result.rows} rows verified ({span})", file=ctx.stdout)
    else:
        for problem in result.problems:
            print(problem.message, file=ctx.stdout)
    return 0 if result.ok else 1


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise AuditCommandError(
            f"'{text}' is not a date or time: write it as 2026-06-01 or 2026-06-01T09:30."
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.VIEW_AUDIT)
    since = _since(args.since)
    db = session.open_database()
    try:
        entries = list_entries(
            db.conn, since=since, action=args.action, actor=args.actor, limit=args.limit
        )
    finally:
        db.conn.close()
    for entry in entries:
        if args.json:
            row = {
                "seq": entry.seq,
                "at": entry.at,
                "actor": entry.actor,
                "role": entry.role,
                "action": entry.action,
                "subject": entry.subject,
                "details": entry.details,
            }
            print(json.dumps(row, ensure_ascii=False), file=ctx.stdout)
        else:
            details = json.dumps(entry.details, ensure_ascii=False) if entry.details else ""
            print(
                f"{entry.seq}  {entry.at}  {entry.actor} ({entry.role})  {entry.action}"
                + (f"  {entry.subject}" if entry.subject else "")
                + (f"  {details}" if details else ""),
                file=ctx.stdout,
            )
    if not entries and not args.json:
        print("no audit rows", file=ctx.stdout)
    return 0


def run_purge(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.MANAGE_SETTINGS)
    report = purge(session, ctx.settings.retention, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_json()), file=ctx.stdout)
        return 0
    verb = "would purge" if report.dry_run else "purged"
    print(
        f"{verb} {report.hits} hits (before {report.hits_before:%Y-%m-%d}), "
        f"{report.evidence_images} evidence images (before {report.evidence_before:%Y-%m-%d}), "
        f"{report.audit_rows} audit rows (before {report.audit_before:%Y-%m-%d}) and "
        f"{report.outbox_items} sent outbox items; kept {report.kept_undelivered} old hits "
        "not yet delivered to HQ",
        file=ctx.stdout,
    )
    if report.audit_skipped:
        print(f"checkpoint: audit rows kept: {report.audit_skipped}", file=ctx.stderr)
    return 0
