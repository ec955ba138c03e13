"""Report statistics on a known log, and the CSV export: content, audit, and refusals."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from review_helpers import OFFICER, START, SUPERVISOR, Spec, record_log

from checkpoint.accounts.roles import PermissionDeniedError
from checkpoint.hits.model import Outcome
from checkpoint.hits.query import DecisionState, HitFilter, HitSort, SortKey
from checkpoint.hits.report import CSV_COLUMNS, ExportError, export_csv, statistics


def hit(
    day: int,
    kind: str,
    outcome: Outcome | None,
    seconds: int = 0,
    *,
    surname: str = "ROSSI",
    station: str = "NORTH-1",
    overturned_to: Outcome | None = None,
) -> Spec:
    return Spec(
        created=START + timedelta(days=day, minutes=len(kind)),
        station=station,
        officer="o.berg",
        kind=kind,
        score=0.9,
        list_id="DEMO",
        surname=surname,
        given="PAUL",
        listed="ROSSI PAOLO",
        outcome=outcome,
        decided_after=timedelta(seconds=seconds),
        overturned_to=overturned_to,
    )


def known_log() -> list[Spec]:
    return [
        hit(0, "name", Outcome.DISMISSED, 60),
        hit(0, "name", Outcome.CONFIRMED, 120, station="SOUTH-1"),
        hit(0, "face", None),
        hit(2, "document_alert", Outcome.DISMISSED, 30, surname="=HYPERLINK(1)"),
        hit(2, "name", Outcome.DISMISSED, 600, overturned_to=Outcome.CONFIRMED),
    ]


def test_statistics_of_a_known_log(db: sqlite_utils.Database) -> None:
    record_log(db.conn, known_log())
    stats = statistics(db.conn, HitFilter())
    assert stats.total == 5
    assert stats.per_day == ((date(2026, 3, 1), 3), (date(2026, 3, 3), 2))
    assert stats.per_kind == (("name", 3), ("document_alert", 1), ("face", 1))
    assert (stats.decided, stats.dismissed, stats.overturned, stats.undecided) == (4, 3, 1, 1)
    assert stats.dismissal_rate == 0.75
    assert stats.median_decision_seconds == 90.0  # between 60 and 120 of 30, 60, 120, 600


def test_statistics_follow_the_filter(db: sqlite_utils.Database) -> None:
    record_log(db.conn, known_log())
    stats = statistics(db.conn, HitFilter(station="NORTH-1"))
    assert stats.total == 4
    assert stats.median_decision_seconds == 60.0  # the middle of 30, 60, 600
    confirmed = statistics(db.conn, HitFilter(decision=DecisionState.CONFIRMED))
    assert (confirmed.total, confirmed.dismissed, confirmed.overturned) == (2, 1, 1)
    none = statistics(db.conn, HitFilter(text="nobody"))
    assert (none.total, none.per_day, none.dismissal_rate, none.median_decision_seconds) == (
        0,
        (),
        None,
        None,
    )


def test_csv_export_writes_the_filtered_log_and_audits_it(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    specs = known_log()
    record_log(db.conn, specs)
    target = tmp_path / "hits.csv"
    f = HitFilter(kind="name")
    count = export_csv(db.conn, SUPERVISOR, f, HitSort(SortKey.CREATED, descending=False), target)
    assert count == 3
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS
    lines = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [line["hit_id"] for line in lines] == [specs[0].hit_id, specs[1].hit_id, specs[4].hit_id]
    last = lines[2]
    assert (last["officer_decision"], last["state"], last["overturned"]) == (
        "dismissed",
        "confirmed",
        "yes",
    )
    assert last["traveller"] == "ROSSI PAUL"
    assert last["score"] == "0.9000"
    assert last["decided_at"] == (specs[4].created + timedelta(seconds=600)).isoformat()
    actor, action, subject, details = db.conn.execute(
        "SELECT actor, action, subject, details FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert (actor, action, subject) == ("sup.lind", "hits.export", str(target))
    assert json.loads(details) == {"format": "csv", "rows": 3, "filter": {"kind": "name"}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hits.csv", "home"]


def test_csv_cells_never_start_a_formula(db: sqlite_utils.Database, tmp_path: Path) -> None:
    record_log(db.conn, known_log())
    target = tmp_path / "alert.csv"
    assert export_csv(db.conn, SUPERVISOR, HitFilter(kind="document_alert"), HitSort(), target)
    (row,) = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert row["traveller"] == "'=HYPERLINK(1) PAUL"


def audit_count(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_a_failed_export_leaves_no_file_and_no_audit_row(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    record_log(db.conn, known_log())
    before = audit_count(db)
    out = tmp_path / "out"
    out.mkdir()
    missing = out / "no-such-folder" / "hits.csv"
    with pytest.raises(ExportError, match=r"Cannot write .*choose a folder"):
        export_csv(db.conn, SUPERVISOR, HitFilter(), HitSort(), missing)
    with pytest.raises(PermissionDeniedError, match="may not export hit reports"):
        export_csv(db.conn, OFFICER, HitFilter(), HitSort(), out / "officer.csv")
    assert audit_count(db) == before
    assert list(out.iterdir()) == []
