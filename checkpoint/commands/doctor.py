"""`checkpoint doctor`: check the environment and the station, and say how to fix what is wrong.

Prints the checks grouped (or one JSON document with `--json`) and exits 1 when any check
failed, 0 otherwise, so an installer or a monitoring job can run it unattended. Without a
login it checks everything but the inside of an encrypted database; `--user NAME` logs in
so the schema and the lists' age are checked too.
"""

from __future__ import annotations

import argparse
import json

from checkpoint.accounts import Permission
from checkpoint.accounts.store import has_accounts
from checkpoint.commands import CommandContext, SubParsers
from checkpoint.commands.session import station_session
from checkpoint.doctor import Station, Status, render_text, run_checks, to_json, worst


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "doctor",
        help="check this computer and station and say how to fix what is wrong",
        description="Check the Qt platform, the camera, ZBar, the models, the database, the "
        "trusted keys, the lists' age, HQ and the free disk; print each problem with its fix.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--hq-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long to wait for HQ's answer (default: 5)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    key = None
    if ctx.user and has_accounts(ctx.home):
        # Only a logged-in user's key opens an encrypted database's lists and schema.
        key = station_session(ctx, Permission.SCREEN).database_key
    subject = Station(
        home=ctx.home, settings=ctx.settings, database_key=key, hq_timeout_s=args.hq_timeout
    )
    reports = run_checks(subject)
    if args.json:
        print(json.dumps(to_json(reports), indent=2), file=ctx.stdout)
    else:
        print(render_text(reports), file=ctx.stdout)
    return 1 if worst(reports) is Status.FAIL else 0
