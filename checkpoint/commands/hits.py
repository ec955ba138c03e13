"""`checkpoint hits ...`: list the hits raised at this station and record officers' decisions.

`hits list` shows the hits still waiting for a decision (`--all` for every one), readably or
as JSON; `hits decide HIT confirm|dismiss` stores the decision and queues it for HQ in one
transaction. A dismissal needs one of the station's reasons (`hits reasons` lists them).
`hits export PATH` writes the (filtered) hit log as CSV and `hits report` prints its
statistics; both take the hit log's filters (`--since`, `--station`, `--search`, ...).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from checkpoint import audit
from checkpoint.accounts import Permission
from checkpoint.commands import CommandContext, SubParsers
from checkpoint.commands.session import station_session
from checkpoint.hits.desk import default_officer
from checkpoint.hits.model import DEFAULT_DISMISS_REASONS, Hit, HitError, Outcome
from checkpoint.hits.query import DecisionState, HitFilter, HitSort, SortKey
from checkpoint.hits.report import export_csv, statistics
from checkpoint.hits.store import decide, get_evidence, get_hit, list_hits

OUTCOMES = {"confirm": Outcome.CONFIRMED, "dismiss": Outcome.DISMISSED}


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("hits", help="list hits and record the officer's decisions")
    commands = parser.add_subparsers(dest="hits_command", metavar="ACTION", required=True)

    show = commands.add_parser("list", help="hits waiting for a decision (or --all)")
    show.add_argument("--all", action="store_true", help="decided hits too")
    show.add_argument("--json", action="store_true", help="one JSON object per hit")
    show.add_argument("--limit", type=int, default=100)
    show.set_defaults(func=run_list)

    evidence = commands.add_parser("evidence", help="write a hit's evidence images to a folder")
    evidence.add_argument("hit_id")
    evidence.add_argument("folder", type=Path)
    evidence.set_defaults(func=run_evidence)

    do = commands.add_parser("decide", help="confirm (refer to second line) or dismiss a hit")
    do.add_argument("hit_id")
    do.add_argument("outcome", choices=sorted(OUTCOMES))
    do.add_argument("--reason", default="", help="why it is dismissed (see `hits reasons`)")
    do.add_argument("--note", default="", help="free text")
    do.add_argument("--officer", default=None, help="the deciding officer (default: login)")
    do.set_defaults(func=run_decide)

    reasons = commands.add_parser("reasons", help="the reasons a hit may be dismissed for")
    reasons.set_defaults(func=run_reasons)

    export = commands.add_parser("export", help="write the hit log as CSV (audited)")
    export.add_argument("path", type=Path, help="the CSV file to write")
    _log_filter_arguments(export)
    export.add_argument("--sort", choices=[key.value for key in SortKey], default="created")
    export.add_argument("--ascending", action="store_true", help="oldest (or smallest) first")
    export.set_defaults(func=run_export)

    report = commands.add_parser("report", help="the hit log's statistics (filtered)")
    _log_filter_arguments(report)
    report.add_argument("--json", action="store_true", help="one JSON object")
    report.set_defaults(func=run_report)


def _hit_lines(hit: Hit) -> list[str]:
    traveller = hit.traveller or {}
    who = f"{traveller.get('given_names', '')} {traveller.get('surname', '')}".strip()
    lines = [
        f"{hit.id}  {hit.created.isoformat(timespec='seconds')}  {hit.kind}  "
        f"{hit.list_id or '-'} v{hit.list_version or '-'}{' STALE' if hit.list_stale else ''}"
        f"  {who or '?'}",
    ]
    lines += [f"  {finding['kind']}: {finding['reason']}" for finding in hit.findings]
    action = hit.listed.get("action")
    if action:
        lines.append(f"  action: {action}")
    if hit.decision is not None:
        decision = hit.decision
        lines.append(
            f"  decided: {decision.outcome.value} by {decision.decided_by} at "
            f"{decision.decided_at.isoformat(timespec='seconds')}"
            + (f" ({decision.reason})" if decision.reason else "")
            + (f": {decision.note}" if decision.note else "")
        )
    return lines


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    # The hits waiting at the desk are the officer's; the whole log is a reviewer's.
    permission = Permission.REVIEW_HITS if args.all else Permission.SCREEN
    db = station_session(ctx, permission).open_database()
    try:
        hits = list_hits(db.conn, undecided_only=not args.all, limit=args.limit)
    finally:
        db.conn.close()
    for hit in hits:
        if args.json:
            print(json.dumps(hit.to_json(), ensure_ascii=False), file=ctx.stdout)
        else:
            print("\n".join(_hit_lines(hit)), file=ctx.stdout)
    if not hits and not args.json:
        print("no hits" if args.all else "no hits waiting for a decision", file=ctx.stdout)
    return 0


def run_evidence(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.EXPORT_HITS)
    db = session.open_database()
    try:
        hit = get_hit(db.conn, args.hit_id)
        if hit is None:
            raise HitError(f"There is no hit {args.hit_id}: see `checkpoint hits list --all`.")
        args.folder.mkdir(parents=True, exist_ok=True)
        written: list[str] = []
        for name in hit.evidence_names:
            item = get_evidence(db.conn, hit.id, name)
            if item is not None:
                path = args.folder / f"{hit.id}-{name}"
                path.write_bytes(item.data)
                written.append(name)
                print(path, file=ctx.stdout)
        audit.record(
            db.conn,
            session.principal,
            "hits.export",
            hit.id,
            {"folder": str(args.folder), "evidence": written},
        )
    finally:
        db.conn.close()
    return 0


def run_decide(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.SCREEN)
    if session.is_demo:
        officer = args.officer or default_officer()
    elif args.officer in (None, session.principal.username):
        officer = session.principal.username
    else:
        raise HitError("--officer must be the logged-in user: leave it out.")
    db = session.open_database()
    try:
        decision = decide(
            db.conn,
            args.hit_id,
            OUTCOMES[args.outcome],
            user=officer,
            reason=args.reason,
            note=args.note,
            actor=session.principal,
        )
    finally:
        db.conn.close()
    what = "confirmed: refer to second line" if decision.referred else "dismissed"
    print(f"hit {decision.hit_id} {what}; queued for HQ", file=ctx.stdout)
    return 0


def run_reasons(args: argparse.Namespace, ctx: CommandContext) -> int:
    for reason in DEFAULT_DISMISS_REASONS:
        print(reason, file=ctx.stdout)
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day: write YYYY-MM-DD.") from None


def _log_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_day, help="first day (UTC), YYYY-MM-DD")
    parser.add_argument("--until", type=_day, help="last day (UTC), YYYY-MM-DD, included")
    parser.add_argument("--station")
    parser.add_argument("--officer")
    parser.add_argument("--kind", help="name, face, document_alert, ...")
    parser.add_argument("--decision", choices=[state.value for state in DecisionState])
    parser.add_argument("--list", dest="list_id", help="the list's id")
    parser.add_argument("--search", default="", help="words of names, documents, reasons")


def _log_filter(args: argparse.Namespace) -> HitFilter:
    def midnight(day: date | None, extra: int = 0) -> datetime | None:
        return None if day is None else datetime.combine(day + timedelta(extra), time(), UTC)

    return HitFilter(
        since=midnight(args.since),
        until=midnight(args.until, 1),
        station=args.station,
        officer=args.officer,
        kind=args.kind,
        decision=DecisionState(args.decision) if args.decision else None,
        list_id=args.list_id,
        text=args.search,
    )


def run_export(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.EXPORT_HITS)
    sort = HitSort(SortKey(args.sort), descending=not args.ascending)
    db = session.open_database()
    try:
        count = export_csv(db.conn, session.principal, _log_filter(args), sort, args.path)
    finally:
        db.conn.close()
    print(f"wrote {count} hit(s) to {args.path}", file=ctx.stdout)
    return 0


def run_report(args: argparse.Namespace, ctx: CommandContext) -> int:
    session = station_session(ctx, Permission.REVIEW_HITS)
    db = session.open_database()
    try:
        stats = statistics(db.conn, _log_filter(args))
    finally:
        db.conn.close()
    summary = {
        "hits": stats.total,
        "decided": stats.decided,
        "dismissed": stats.dismissed,
        "dismissal_rate": stats.dismissal_rate,
        "overturned": stats.overturned,
        "median_decision_seconds": stats.median_decision_seconds,
        "per_kind": dict(stats.per_kind),
        "per_day": {day.isoformat(): count for day, count in stats.per_day},
    }
    if args.json:
        print(json.dumps(summary), file=ctx.stdout)
        return 0
    rate = "-" if stats.dismissal_rate is None else f"{stats.dismissal_rate:.1%}"
    median = stats.median_decision_seconds
    lines = [
        f"hits: {stats.total}",
        f"decided: {stats.decided}, dismissed: {stats.dismissed} ({rate})",
        f"overturned: {stats.overturned}",
        f"median time to decision: {'-' if median is None else f'{median:.0f} s'}",
        *(f"kind {kind}: {count}" for kind, count in stats.per_kind),
        *(f"{day.isoformat()}: {count}" for day, count in stats.per_day),
    ]
    print("\n".join(lines), file=ctx.stdout)
    return 0
