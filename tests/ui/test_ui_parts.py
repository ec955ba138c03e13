"""The desk's parts without the window: the throttle, the Qt models, the shown wording."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pytestqt.qtbot import QtBot

from checkpoint.documents.mrz.parse import parse_mrz
from checkpoint.screening.model import Finding, FindingKind, Severity
from checkpoint.ui.models import FieldsModel, FindingsModel
from checkpoint.ui.present import (
    BAD,
    OK,
    FindingRow,
    field_rows,
    finding_row,
    list_status_text,
    listed_summary,
)
from checkpoint.ui.throttle import Throttle
from checkpoint.watchlist.store import ListStatus

ERIKSSON = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def test_throttle_calls_at_once_then_folds_into_the_newest(qtbot: QtBot) -> None:
    calls: list[int] = []
    throttle = Throttle(calls.append, 50)
    throttle(1)
    assert calls == [1]
    throttle(2)
    throttle(3)
    throttle(4)
    assert calls == [1]
    assert throttle.pending
    qtbot.waitUntil(lambda: calls == [1, 4])
    assert not throttle.pending


def test_throttle_cancel_drops_the_pending_call(qtbot: QtBot) -> None:
    calls: list[int] = []
    throttle = Throttle(calls.append, 30)
    throttle(1)
    throttle(2)
    throttle.cancel()
    throttle(3)
    assert calls == [1, 3]


def test_field_rows_mark_check_digits_and_expiry() -> None:
    rows = {row.label: row for row in field_rows(parse_mrz(list(ERIKSSON)), date(2026, 6, 1))}
    assert rows["Surname"].value == "ERIKSSON"
    assert rows["Number"].mark == OK
    assert rows["Birth date"].value == "1974-08-12"
    assert rows["Expiry"].mark == BAD
    assert "EXPIRED" in rows["Expiry"].note
    assert rows["All checks"].mark == OK


def test_field_rows_name_a_failed_check_digit() -> None:
    broken = (ERIKSSON[0], ERIKSSON[1].replace("L898902C36", "L898902C37"))
    rows = {row.label: row for row in field_rows(parse_mrz(list(broken)), date(2010, 1, 1))}
    assert rows["Number"].mark == BAD
    assert "expected 6" in rows["Number"].note
    assert rows["All checks"].value == "FAILED"
    assert rows["Expiry"].mark == OK


def test_listed_summary_reads_a_listed_person() -> None:
    listed = {
        "entry_id": "E1",
        "names": [{"name": "ERIKSSON ANNA MARIA", "quality": "good"}],
        "birth_dates": ["1974-08-12"],
        "nationalities": ["UTO"],
        "category": "demo",
    }
    assert listed_summary(listed) == "ERIKSSON ANNA MARIA; born 1974-08-12; UTO; demo"
    assert listed_summary({}) == ""


def test_fields_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = FieldsModel()
    model.set_rows(field_rows(parse_mrz(list(ERIKSSON)), date(2026, 6, 1)))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == len(model.rows) > 8
    expiry = next(n for n, row in enumerate(model.rows) if row.label == "Expiry")
    assert str(model.data(model.index(expiry, 2))).startswith(f"{BAD} EXPIRED")


def test_findings_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = FindingsModel()
    alert = Finding(FindingKind.EXPIRED, Severity.ALERT, "the document expired", 1.0)
    hit = FindingRow(
        Severity.HIT, "name on list", 0.93, "X", "refer", hit_id="h1", state="to decide"
    )
    model.set_rows([hit, finding_row(alert)])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.data(model.index(0, 0)) == "HIT"
    assert model.data(model.index(1, 1)) == "the document expired"
    assert model.rows[0].undecided
    model.replace_row(0, FindingRow(Severity.HIT, "name on list", 0.93, "X", "", "h1", "done"))
    assert not model.rows[0].undecided
    qtmodeltester.check(model)  # type: ignore[attr-defined]


@pytest.mark.parametrize("rows", [0, 1])
def test_empty_and_small_models_pass(qtmodeltester: object, rows: int) -> None:
    model = FindingsModel()
    model.set_rows([finding_row(Finding(FindingKind.NAME, Severity.NOTE, "n", 0.5))] * rows)
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_list_status_says_version_age_and_stale() -> None:
    status = ListStatus(
        list_id="DEMO",
        name="demo",
        version=3,
        created=datetime(2026, 5, 1, tzinfo=UTC),
        expires=datetime(2026, 5, 31, tzinfo=UTC),
        signer="demo",
        imported_at=datetime(2026, 5, 2, tzinfo=UTC),
        counts={},
    )
    assert list_status_text(status, datetime(2026, 5, 11, tzinfo=UTC)) == ("DEMO v3 (10 d)", False)
    assert list_status_text(status, datetime(2026, 6, 1, tzinfo=UTC)) == (
        "DEMO v3 (31 d, STALE)",
        True,
    )
