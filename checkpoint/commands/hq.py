"""`checkpoint hq ...`: run the reference HQ service and issue station tokens.

`hq serve` runs the Starlette application on uvicorn, storing into SQLite (a file in the
home folder by default) or PostgreSQL (`--database postgresql://...`). `hq token add
STATION` prints a new token once; HQ keeps only its hash. `hq token revoke STATION` withdraws
a lost or retired station's tokens; its next upload gets 401.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checkpoint.commands import CommandContext
from checkpoint.errors import CheckpointError
from checkpoint.sync.hq.auth import new_token, token_hash, valid_station_id
from checkpoint.sync.hq.store import open_store

DEFAULT_PORT = 8765


def _default_database(home: Path) -> str:
    return str(home / "hq.db")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("hq", help="run the reference HQ service (headquarters)")
    commands = parser.add_subparsers(dest="hq_command", metavar="ACTION", required=True)
    database_help = "a postgresql:// URL or an SQLite file (default: hq.db in the home folder)"

    serve = commands.add_parser("serve", help="accept station uploads and serve watchlists")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on")
    serve.add_argument("--database", metavar="URL", help=database_help)
    serve.add_argument("--bundles", type=Path, metavar="DIR", help="folder of signed bundles")
    serve.set_defaults(func=run_serve)

    token = commands.add_parser("token", help="station tokens")
    token_commands = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    add = token_commands.add_parser("add", help="issue a token for a station (printed once)")
    add.add_argument("station", help="the station's identifier (its station_id setting)")
    add.add_argument("--database", metavar="URL", help=database_help)
    add.set_defaults(func=run_token_add)
    revoke = token_commands.add_parser("revoke", help="withdraw every token of a station")
    revoke.add_argument("station")
    revoke.add_argument("--database", metavar="URL", help=database_help)
    revoke.set_defaults(func=run_token_revoke)


def run_serve(args: argparse.Namespace, ctx: CommandContext) -> int:
    # uvicorn and Starlette are loaded only when HQ actually runs, not on every command.
    import uvicorn  # noqa: PLC0415

    from checkpoint.sync.hq.app import create_app  # noqa: PLC0415

    if args.bundles is not None and not args.bundles.is_dir():
        raise CheckpointError(f"{args.bundles} is not a folder: give the folder of bundles.")
    if not 0 <= args.port <= 65535:
        raise CheckpointError(f"{args.port} is not a port number: give 1-65535.")
    store = open_store(args.database or _default_database(ctx.home))
    try:
        config = uvicorn.Config(
            create_app(store, args.bundles),
            host=args.host,
            port=args.port,
            log_level="info",
            lifespan="off",
        )
        server = uvicorn.Server(config)
        server.run()
        # uvicorn reports a port it could not bind in its log and returns without serving.
        return 0 if server.started else 1
    finally:
        store.close()


def run_token_add(args: argparse.Namespace, ctx: CommandContext) -> int:
    if not valid_station_id(args.station):
        raise CheckpointError(
            f"'{args.station}' is not a station identifier: use letters, digits, '.', '_' "
            "and '-' (at most 64)."
        )
    store = open_store(args.database or _default_database(ctx.home))
    try:
        token = new_token()
        store.add_token(args.station, token_hash(token))
    finally:
        store.close()
    print(
        f"token for station {args.station} (shown once; on the station run "
        "`checkpoint sync --set-token` and paste it):",
        file=ctx.stderr,
    )
    print(token, file=ctx.stdout)
    return 0


def run_token_revoke(args: argparse.Namespace, ctx: CommandContext) -> int:
    store = open_store(args.database or _default_database(ctx.home))
    try:
        count = store.revoke(args.station)
    finally:
        store.close()
    if count == 0:
        raise CheckpointError(
            f"Station {args.station} has no token at this HQ: check the identifier."
        )
    print(f"revoked {count} token(s) of station {args.station}", file=ctx.stdout)
    return 0
