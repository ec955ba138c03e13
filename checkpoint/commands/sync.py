"""`checkpoint sync` sends the outbox to HQ; `checkpoint outbox` shows what is still owed.

`sync` keeps running (backing off and probing while HQ is away) until interrupted; with
`--once` it sends what it can now and exits non-zero, with one sentence, when HQ cannot be
reached, so a scheduled job or an administrator sees at once that items are still queued.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from types import FrameType

from checkpoint.accounts import Permission
from checkpoint.commands import CommandContext
from checkpoint.commands.session import station_session
from checkpoint.errors import CheckpointError
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxState
from checkpoint.sync.station_token import load_token, save_token
from checkpoint.sync.uploader import DrainReport, Uploader, UploaderSettings, on_connection


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = subparsers.add_parser("sync", help="send the outbox to HQ")
    sync.add_argument("--once", action="store_true", help="send what is possible now, then exit")
    sync.add_argument("--hq", metavar="URL", help="HQ address (default: hq_url in the settings)")
    sync.add_argument(
        "--batch-size", type=int, default=UploaderSettings.batch_size, help="items per request"
    )
    sync.add_argument(
        "--timeout", type=float, default=UploaderSettings.timeout, help="seconds per request"
    )
    sync.add_argument(
        "--set-token",
        action="store_true",
        help="read the station token HQ issued from stdin and store it, then exit",
    )
    sync.set_defaults(func=run_sync)

    show = subparsers.add_parser("outbox", help="show what is queued for HQ")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument(
        "--retry-failed",
        action="store_true",
        help="put permanently failed items back in the queue",
    )
    show.set_defaults(func=run_outbox)


def _age(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _report_line(report: DrainReport) -> str:
    line = f"sent {report.sent} item(s)"
    if report.duplicates:
        line += f" ({report.duplicates} were already at HQ)"
    if report.failed:
        line += f"; {report.failed} refused by HQ for good (see `checkpoint outbox`)"
    return line


def run_sync(args: argparse.Namespace, ctx: CommandContext) -> int:
    if args.set_token:
        path = save_token(ctx.home, sys.stdin.readline())
        print(f"stored the station token in {path}", file=ctx.stdout)
        return 0
    hq_url = args.hq or ctx.settings.hq_url
    if not hq_url:
        raise CheckpointError(
            "No HQ address is configured: set hq_url in settings.json or pass --hq URL."
        )
    if args.batch_size < 1 or args.timeout <= 0:
        raise CheckpointError("--batch-size and --timeout must be positive: correct them.")
    token = load_token(ctx.home)
    db = station_session(ctx, Permission.MANAGE_OUTBOX).open_database()
    settings = UploaderSettings(batch_size=args.batch_size, timeout=args.timeout)
    try:
        with Uploader(
            on_connection(db.conn), hq_url, token, settings, station_id=ctx.settings.station_id
        ) as uploader:
            if args.once:
                report = uploader.drain()
                print(_report_line(report), file=ctx.stdout)
                if report.trouble is not None:
                    ctx.error(str(uploader.error_for(report.trouble)))
                    return 1
                return 0

            def stop(signum: int, frame: FrameType | None) -> None:
                uploader.stop()

            said: list[str] = []

            def tell(report: DrainReport) -> None:
                if report.sent or report.failed:
                    print(_report_line(report), file=ctx.stdout, flush=True)
                message = "" if report.trouble is None else report.trouble.message
                # Say what is wrong once, not on every retry.
                if message and message != (said[-1] if said else ""):
                    ctx.error(f"{message}; retrying with backoff")
                said.append(message)

            previous = signal.signal(signal.SIGTERM, stop)
            try:
                uploader.run(tell)
            finally:
                signal.signal(signal.SIGTERM, previous)
            return 0
    finally:
        db.conn.close()


def run_outbox(args: argparse.Namespace, ctx: CommandContext) -> int:
    db = station_session(ctx, Permission.MANAGE_OUTBOX).open_database()
    try:
        if args.retry_failed:
            count = outbox.retry_failed(db.conn)
            print(f"{count} failed item(s) queued again", file=ctx.stdout)
        state = outbox.summary(db.conn)
        failed = outbox.items(db.conn, OutboxState.FAILED, limit=5) if state.failed else []
    finally:
        db.conn.close()
    age = state.oldest_pending_age
    if args.json:
        document = {
            "pending": state.pending,
            "failed": state.failed,
            "sent": state.sent,
            "oldest_pending": None
            if state.oldest_pending is None
            else state.oldest_pending.isoformat(),
            "oldest_pending_age_seconds": None if age is None else round(age, 3),
        }
        print(json.dumps(document, indent=2), file=ctx.stdout)
        return 0
    oldest = "" if age is None else f"  (oldest queued {_age(age)} ago)"
    print(f"pending {state.pending}{oldest}", file=ctx.stdout)
    print(f"failed  {state.failed}", file=ctx.stdout)
    print(f"sent    {state.sent}", file=ctx.stdout)
    for item in failed:
        print(f"  failed {item.kind} {item.idempotency_key}: {item.last_error}", file=ctx.stdout)
    return 0
