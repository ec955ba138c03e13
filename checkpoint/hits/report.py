"""What the supervisor's reports say about a filtered hit log: statistics and the CSV export.

The statistics are computed by SQLite over `hit_log` (counts per day and per kind, the
officers' dismissal rate, the median time from hit to decision), so a report over a million
hits never brings the hits into Python. The CSV export streams rows in chunks into a
temporary file that replaces the target only once complete, and the export is audited
(`hits.export`, with the filter and the row count) in the same step, so a failed export
leaves neither a partial file nor an audit row claiming it happened.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from checkpoint import audit
from checkpoint.accounts.roles import Permission, Principal
from checkpoint.errors import CheckpointError
from checkpoint.hits.query import HitFilter, HitSort, LogRow, iter_rows, where_clause
from checkpoint.storage.transaction import transaction


class ExportError(CheckpointError):
    """A report could not be written where asked."""


@dataclass(frozen=True)
class HitStats:
    total: int
    per_day: tuple[tuple[date, int], ...]
    """Hits per UTC day, oldest first (days without hits left out)."""
    per_kind: tuple[tuple[str, int], ...]
    """Hits per kind, most first."""
    decided: int
    """Hits the officers decided (their own decision, whatever a review made of it)."""
    dismissed: int
    overturned: int
    median_decision_seconds: float | None
    """The median time from the hit to the officer's decision, over decided hits."""

    @property
    def undecided(self) -> int:
        return self.total - self.decided

    @property
    def dismissal_rate(self) -> float | None:
        """The share of the officers' decisions that dismissed the hit."""
        return self.dismissed / self.decided if self.decided else None


def statistics(conn: sqlite3.Connection, hit_filter: HitFilter) -> HitStats:
    where, params = where_clause(hit_filter)
    per_day = tuple(
        (date.fromisoformat(day), int(count))
        for day, count in conn.execute(
            f"SELECT substr(l.created, 1, 10) AS day, count(*) FROM hit_log l WHERE {where} "
            "GROUP BY day ORDER BY day",
            params,
        )
    )
    per_kind = tuple(
        (str(kind), int(count))
        for kind, count in conn.execute(
            f"SELECT l.kind, count(*) AS n FROM hit_log l WHERE {where} "
            "GROUP BY l.kind ORDER BY n DESC, l.kind",
            params,
        )
    )
    total, decided, dismissed, overturned = conn.execute(
        "SELECT count(*), count(l.outcome), coalesce(sum(l.outcome = 'dismissed'), 0), "
        f"coalesce(sum(l.overturned), 0) FROM hit_log l WHERE {where}",
        params,
    ).fetchone()
    return HitStats(
        total=int(total),
        per_day=per_day,
        per_kind=per_kind,
        decided=int(decided),
        dismissed=int(dismissed),
        overturned=int(overturned),
        median_decision_seconds=_median_decision_seconds(conn, where, params, int(decided)),
    )


def _median_decision_seconds(
    conn: sqlite3.Connection, where: str, params: list[Any], decided: int
) -> float | None:
    if decided == 0:
        return None
    # The middle one or two values of the sorted durations; SQLite sorts, Python averages.
    middle = conn.execute(
        f"SELECT l.decision_seconds FROM hit_log l WHERE {where} "
        "AND l.decision_seconds IS NOT NULL ORDER BY l.decision_seconds LIMIT ? OFFSET ?",
        [*params, 2 - decided % 2, (decided - 1) // 2],
    ).fetchall()
    values = [float(row[0]) for row in middle]
    return round(sum(values) / len(values), 3)


CSV_COLUMNS = (
    "hit_id",
    "created",
    "station",
    "officer",
    "kind",
    "score",
    "list_id",
    "traveller",
    "listed",
    "reason",
    "officer_decision",
    "decided_at",
    "state",
    "overturned",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula (names come from documents)."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def csv_row(row: LogRow) -> list[str]:
    return [
        row.hit_id,
        row.created.isoformat(),
        _cell(row.station),
        _cell(row.officer),
        row.kind,
        f"{row.score:.4f}",
        _cell(row.list_id),
        _cell(row.traveller),
        _cell(row.listed),
        _cell(row.reason),
        row.outcome or "",
        row.decided_at.isoformat() if row.decided_at else "",
        row.state.value,
        "yes" if row.overturned else "no",
    ]


def write_csv(stream: TextIO, rows: Iterable[LogRow]) -> int:
    """Write the header and `rows`; return how many rows were written."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(csv_row(row))
        count += 1
    return count


def export_csv(
    conn: sqlite3.Connection,
    principal: Principal,
    hit_filter: HitFilter,
    sort: HitSort,
    path: Path,
) -> int:
    """Write the filtered log to `path` as CSV (UTF-8 with BOM, for spreadsheets); audited."""
    principal.require(Permission.EXPORT_HITS)
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as stream:
            count = write_csv(stream, iter_rows(conn, hit_filter, sort))
        publish_export(
            conn,
            principal,
            hit_filter,
            written=partial,
            path=path,
            file_format="csv",
            rows=count,
        )
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(
            f"Cannot write {path} ({exc.strerror or exc}): choose a folder you may write to."
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def publish_export(
    conn: sqlite3.Connection,
    principal: Principal,
    hit_filter: HitFilter,
    *,
    written: Path,
    path: Path,
    file_format: str,
    rows: int,
) -> None:
    """Move a finished report from `written` to `path` and audit it, both or neither."""
    principal.require(Permission.EXPORT_HITS)
    details = {"format": file_format, "rows": rows, "filter": hit_filter.to_json()}
    try:
        with transaction(conn, savepoint="export"):
            audit.record(conn, principal, "hits.export", str(path), details)
            os.replace(written, path)
    except OSError as exc:
        raise ExportError(
            f"Cannot write {path} ({exc.strerror or exc}): choose a folder you may write to."
        ) from exc
