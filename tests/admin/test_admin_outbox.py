"""The Outbox page: counts and HQ reachability, items read page by page, "Retry now" against a
real `checkpoint hq serve` and against an HQ that is not there; every retry audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from admin_helpers import OpenWindow, audit_rows, hq_serve, settle
from cli_process import free_port
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from checkpoint.config import Settings, save_settings
from checkpoint.storage import open_database
from checkpoint.sync import outbox
from checkpoint.sync.outbox import OutboxState, Outcome
from checkpoint.sync.station_token import save_token
from checkpoint.ui.admin.outbox_page import PAGE_ROWS

RECORDED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def queue(home: Path, count: int, *, refused: int = 0) -> list[str]:
    """`count` pending items, the first `refused` of them refused by HQ for good."""
    db = open_database(home / "checkpoint.db")
    try:
        items = [
            outbox.enqueue(
                db.conn, "hit", {"n": n}, key=f"hit:{n}", created=RECORDED + timedelta(seconds=n)
            )
            for n in range(count)
        ]
        outbox.record_attempt(
            db.conn,
            [
                Outcome(item.id, OutboxState.FAILED, "HQ answered 422: bad")
                for item in items[:refused]
            ],
        )
    finally:
        db.conn.close()
    return [item.idempotency_key for item in items]


def states(home: Path) -> dict[str, int]:
    db = open_database(home / "checkpoint.db")
    try:
        summary = outbox.summary(db.conn)
    finally:
        db.conn.close()
    return {"pending": summary.pending, "failed": summary.failed, "sent": summary.sent}


def test_retry_now_sends_the_backlog_to_a_real_hq_and_is_audited(
    tmp_path: Path,
    checkpoint_home: Path,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    open_window: OpenWindow,
) -> None:
    keys = queue(checkpoint_home, 5, refused=2)
    with hq_serve(tmp_path / "hq") as hq:
        save_settings(checkpoint_home, Settings(hq_url=hq.url))
        save_token(checkpoint_home, hq.token)
        window = open_window()
        page = window.outbox
        assert page is not None
        assert "Pending 3" in page.counts_label.text()
        assert "refused by HQ 2" in page.counts_label.text()
        assert page.hq_label.text() == f"HQ at {hq.url} is reachable."
        model = page.model
        assert model.rowCount() == 5
        qtmodeltester.check(model)
        # Refused items first, with their last error; then the pending ones, oldest first.
        assert [model.data(model.index(r, 0)) for r in range(5)] == ["refused by HQ"] * 2 + [
            "pending"
        ] * 3
        assert model.data(model.index(0, 5)) == "HQ answered 422: bad"

        assert page.retry()
        settle(qtbot, window)
        assert states(checkpoint_home) == {"pending": 0, "failed": 2, "sent": 3}
        assert set(hq.items()) == set(keys[2:])
        assert "Sent 3 item(s) (0 were already at HQ)." in page.result.text()
        assert model.rowCount() == 2

        page.retry(requeue_failed=True)
        settle(qtbot, window)
        assert states(checkpoint_home) == {"pending": 0, "failed": 0, "sent": 5}
        assert set(hq.items()) == set(keys)
        assert "2 refused item(s) were queued again." in page.result.text()
        assert model.rowCount() == 0
        assert not page.requeue_button.isEnabled()

    retries = [r for r in audit_rows(checkpoint_home) if r.action == "outbox.retry"]
    assert [(r.subject, r.details["sent"], r.details["requeued"]) for r in retries] == [
        (hq.url, 3, 0),
        (hq.url, 2, 2),
    ]


def test_an_unreachable_hq_is_shown_and_the_items_stay_queued(
    checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    queue(checkpoint_home, 2)
    url = f"http://127.0.0.1:{free_port()}"
    save_settings(checkpoint_home, Settings(hq_url=url))
    save_token(checkpoint_home, "some-token")
    window = open_window()
    page = window.outbox
    assert page is not None
    assert page.hq_label.text().startswith(f"HQ at {url} is unreachable: ")

    page.retry()
    settle(qtbot, window)
    assert states(checkpoint_home) == {"pending": 2, "failed": 0, "sent": 0}
    assert f"HQ at {url} is unreachable" in page.result.text()
    assert "the items stay queued" in page.result.text()
    (row,) = [r for r in audit_rows(checkpoint_home) if r.action == "outbox.retry"]
    assert row.details["sent"] == 0
    assert "unreachable" in row.details["trouble"]


def test_without_an_hq_address_retry_says_where_to_set_it(
    checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    queue(checkpoint_home, 1)
    window = open_window()
    page = window.outbox
    assert page is not None
    assert "no address is set" in page.hq_label.text()
    page.retry()
    settle(qtbot, window)
    assert page.result.text() == "No HQ address is set: enter it on the Settings page first."
    assert states(checkpoint_home)["pending"] == 1


def test_a_long_outbox_is_read_page_by_page(
    checkpoint_home: Path, qtbot: QtBot, qtmodeltester: ModelTester, open_window: OpenWindow
) -> None:
    total = PAGE_ROWS * 2 + 17
    queue(checkpoint_home, total, refused=3)
    window = open_window()
    page = window.outbox
    assert page is not None
    model = page.model
    assert model.total == total
    assert model.rowCount() == PAGE_ROWS
    assert model.canFetchMore()

    while model.canFetchMore():
        model.fetchMore()
        settle(qtbot, window)
    assert model.rowCount() == total
    assert not model.canFetchMore()
    qtmodeltester.check(model)
    keys = [item.idempotency_key for item in model.items]
    assert keys[:3] == ["hit:0", "hit:1", "hit:2"]
    assert keys[3:] == [f"hit:{n}" for n in range(3, total)]
