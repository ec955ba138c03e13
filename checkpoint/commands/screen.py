"""`checkpoint screen`: screen one traveller, or a CSV of travellers, against the installed
watchlists by name, birth date, nationality, sex and document number.

The decision is a hit when a name match reaches the configured threshold
(`screening.name_hit_threshold`) or the document number is on a list. A list past its
expiry is stale: the output says so on every use.
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from checkpoint.accounts import Permission
from checkpoint.commands import CommandContext
from checkpoint.commands.session import station_session
from checkpoint.watchlist.index import NameIndex
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.screen import PersonQuery, screen_person
from checkpoint.watchlist.store import check_document, list_statuses, load_index

CSV_COLUMNS = ("full_name", "date_of_birth", "nationality", "gender", "document_number")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("screen", help="screen travellers against the watchlists")
    parser.add_argument("--name", help="the traveller's full name, any script")
    parser.add_argument("--dob", help="birth date YYYY-MM-DD (or YYYY)")
    parser.add_argument("--nationality", help="three-letter code or country name")
    parser.add_argument("--sex", help="M, F or X")
    parser.add_argument("--document", help="document number")
    parser.add_argument("--issuer", help="issuing country of the document (default: nationality)")
    parser.add_argument("--csv", type=Path, help=f"screen every row ({', '.join(CSV_COLUMNS)})")
    parser.add_argument("--threshold", type=float, help="hit threshold (default: settings)")
    parser.add_argument("--json", action="store_true", help="one JSON object per traveller")
    parser.set_defaults(func=run)


def _screen(
    db: sqlite_utils.Database,
    index: NameIndex,
    query: PersonQuery,
    issuer: str | None,
    threshold: float,
) -> dict[str, Any]:
    matches = screen_person(index, query) if query.name.strip() else []
    documents = check_document(db, query.document_number, issuer) if query.document_number else []
    return {
        "hit": any(m.score >= threshold for m in matches) or bool(documents),
        "matches": [
            {**asdict(m), "hit": m.score >= threshold, "explanation": m.explain()} for m in matches
        ],
        "document_hits": [asdict(d) for d in documents],
    }


def _print_text(ctx: CommandContext, label: str, result: dict[str, Any]) -> None:
    print(f"{label}: {'HIT' if result['hit'] else 'no hit'}", file=ctx.stdout)
    for match in result["matches"]:
        flag = "HIT " if match["hit"] else "near"
        stale = " [list STALE]" if match["stale"] else ""
        print(
            f"  {flag} {match['score']:.2f} {match['list_id']}/{match['entry_id']} "
            f"{match['primary_name']}{stale}: {match['explanation']}; action: {match['action']}",
            file=ctx.stdout,
        )
    for doc in result["document_hits"]:
        stale = " [list STALE]" if doc["stale"] else ""
        print(
            f"  HIT document {doc['number']} ({doc['issuer'] or '?'}) on {doc['list_id']}"
            f" {doc['kind']} {doc['reference']}: {doc['reason']}{stale}",
            file=ctx.stdout,
        )


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    if not args.name and not args.csv and not args.document:
        raise WatchlistError("Give --name, --document or --csv to screen someone.")
    threshold = (
        args.threshold if args.threshold is not None else ctx.settings.screening.name_hit_threshold
    )
    session = station_session(ctx, Permission.SCREEN)
    if not session.database_path.exists():
        raise WatchlistError(
            "No watchlist is installed: import one with `checkpoint watchlist import`."
        )
    db = session.open_database()
    try:
        now = datetime.now(UTC)
        statuses = list_statuses(db)
        if not statuses:
            raise WatchlistError(
                "No watchlist is installed: import one with `checkpoint watchlist import`."
            )
        stale = [s.list_id for s in statuses if s.is_stale(now)]
        for list_id in stale:
            print(
                f"checkpoint: warning: list {list_id} is STALE (past its expiry)", file=ctx.stderr
            )
        index = load_index(db)
        if args.csv:
            return _run_csv(args, ctx=ctx, db=db, index=index, threshold=threshold, stale=stale)
        query = PersonQuery.of(args.name or "", args.dob, args.nationality, args.sex, args.document)
        result = _screen(db, index, query, args.issuer or args.nationality, threshold)
        if args.json:
            print(json.dumps({**result, "stale_lists": stale}, ensure_ascii=False), file=ctx.stdout)
        else:
            _print_text(ctx, args.name or args.document, result)
        return 0
    finally:
        db.conn.close()


def _run_csv(
    args: argparse.Namespace,
    *,
    ctx: CommandContext,
    db: sqlite_utils.Database,
    index: NameIndex,
    threshold: float,
    stale: list[str],
) -> int:
    try:
        stream = args.csv.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise WatchlistError(
            f"{args.csv} cannot be read ({exc.strerror}): check the path."
        ) from exc
    with stream:
        reader = csv.DictReader(stream)
        if "full_name" not in (reader.fieldnames or []):
            raise WatchlistError(
                f"{args.csv} has no full_name column: columns are {', '.join(CSV_COLUMNS)}."
            )
        for row in reader:
            line = reader.line_num
            values = [
                row.get(column) or None
                for column in ("date_of_birth", "nationality", "gender", "document_number")
            ]
            warnings: list[str] = []
            try:
                query = PersonQuery.of(row.get("full_name") or "", *values)
            except WatchlistError as exc:
                # A traveller is never skipped: screen without the field that cannot be read.
                warnings.append(f"{str(exc).rstrip('.')}; screened without the birth date")
                query = PersonQuery.of(row.get("full_name") or "", None, *values[1:])
            result = _screen(db, index, query, query.nationality, threshold)
            if args.json:
                record = {"line": line, "query": row, **result, "stale_lists": stale}
                if warnings:
                    record["warnings"] = warnings
                print(json.dumps(record, ensure_ascii=False), file=ctx.stdout)
            else:
                _print_text(ctx, f"line {line} {query.name}", result)
                for warning in warnings:
                    print(f"  warning: {warning}", file=ctx.stdout)
    return 0
