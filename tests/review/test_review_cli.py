"""`checkpoint hits export` and `checkpoint hits report` on a demo station's hit log."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cli_process import run_cli as run
from review_helpers import START, Spec, record_log

from checkpoint.accounts.session import StationSession
from checkpoint.hits.model import Outcome


def spec(day: int, kind: str, outcome: Outcome | None, surname: str) -> Spec:
    return Spec(
        created=START + timedelta(days=day, hours=3),
        station="NORTH-1",
        officer="o.berg",
        kind=kind,
        score=0.8,
        list_id="DEMO",
        surname=surname,
        given="ANNA",
        listed=f"{surname} ANNA",
        outcome=outcome,
        decided_after=timedelta(seconds=40),
    )


@pytest.fixture
def specs(checkpoint_home: Path) -> list[Spec]:
    db = StationSession.demo(checkpoint_home).open_database()
    made = [
        spec(0, "name", Outcome.DISMISSED, "ROSSI"),
        spec(1, "face", Outcome.CONFIRMED, "SILVA"),
        spec(2, "name", None, "TANAKA"),
    ]
    record_log(db.conn, made)
    db.conn.close()
    return made


def test_export_writes_the_filtered_log_and_audits_it(
    specs: list[Spec], checkpoint_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "march.csv"
    code, out, err = run(
        "hits", "export", str(target), "--since", "2026-03-02", "--until", "2026-03-03"
    )
    assert (code, err) == (0, "")
    assert out == f"wrote 2 hit(s) to {target}\n"
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [row["hit_id"] for row in rows] == [specs[2].hit_id, specs[1].hit_id]
    code, out, _ = run("hits", "export", str(target), "--search", "silva", "--ascending")
    assert out == f"wrote 1 hit(s) to {target}\n"
    db = StationSession.demo(checkpoint_home).open_database()
    details = [
        json.loads(row[0])
        for row in db.execute("SELECT details FROM audit_log WHERE action = 'hits.export'")
    ]
    db.conn.close()
    assert details == [
        {
            "format": "csv",
            "rows": 2,
            "filter": {"since": "2026-03-02T00:00:00+00:00", "until": "2026-03-04T00:00:00+00:00"},
        },
        {"format": "csv", "rows": 1, "filter": {"text": "silva"}},
    ]


def test_report_prints_the_statistics(specs: list[Spec]) -> None:
    code, out, err = run("hits", "report", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "hits": 3,
        "decided": 2,
        "dismissed": 1,
        "dismissal_rate": 0.5,
        "overturned": 0,
        "median_decision_seconds": 40.0,
        "per_kind": {"name": 2, "face": 1},
        "per_day": {"2026-03-01": 1, "2026-03-02": 1, "2026-03-03": 1},
    }
    code, out, _ = run("hits", "report", "--kind", "face")
    assert code == 0
    assert "hits: 1\ndecided: 1, dismissed: 0 (0.0%)\n" in out


def test_a_bad_day_is_refused_with_a_sentence(specs: list[Spec], tmp_path: Path) -> None:
    code, _, err = run("hits", "export", str(tmp_path / "x.csv"), "--since", "yesterday")
    assert code == 2
    assert "'yesterday' is not a day: write YYYY-MM-DD." in err
    assert not (tmp_path / "x.csv").exists()
