"""The hit log's model on its own: pages evicted and fetched again, stale answers dropped."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from pytestqt.qtbot import QtBot
from review_helpers import SUPERVISOR, random_log, record_log

from checkpoint.accounts.session import StationSession
from checkpoint.hits.query import HitFilter, HitSort, SortKey, all_seqs, rows_for
from checkpoint.ui.review import log_model
from checkpoint.ui.review.jobs import DatabaseJobs
from checkpoint.ui.review.log_model import HIT_ID_ROLE, HitLogModel

WAIT_MS = 20_000


@pytest.fixture
def session(checkpoint_home: Path) -> StationSession:
    station = StationSession(checkpoint_home, SUPERVISOR)
    db = station.open_database()
    record_log(db.conn, random_log(random.Random(4), 120))
    db.conn.close()
    return station


@pytest.fixture
def model(qtbot: QtBot, session: StationSession) -> Iterator[HitLogModel]:
    jobs = DatabaseJobs(session)
    made = HitLogModel(jobs)
    with qtbot.waitSignal(made.loaded, timeout=WAIT_MS):
        made.reload()
    yield made
    jobs.shutdown()


def hit_id(qtbot: QtBot, model: HitLogModel, row: int) -> str:
    index = model.index(row, 0)
    if model.data(index, HIT_ID_ROLE) is None:
        qtbot.waitUntil(lambda: model.is_loaded(row, row), timeout=WAIT_MS)
    return str(model.data(index, HIT_ID_ROLE))


def test_evicted_pages_come_back_with_the_same_rows(
    qtbot: QtBot, session: StationSession, model: HitLogModel
) -> None:
    db = session.open_database()
    expected = [r.hit_id for r in rows_for(db.conn, all_seqs(db.conn, HitFilter(), HitSort()))]
    db.conn.close()
    with patch.object(log_model, "PAGE_ROWS", 7), patch.object(log_model, "CACHED_PAGES", 3):
        with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
            model.reload()
        assert model.data(model.index(0, 0)) != "…"
        assert model.data(model.index(50, 0)) == "…"  # not there yet: asked for
        seen = [hit_id(qtbot, model, row) for row in range(model.total)]
        assert seen == expected
        assert model.cached_pages <= 3
        # Back at the top: page 0 was evicted long ago and is read again.
        assert not model.is_loaded(0, 0)
        assert hit_id(qtbot, model, 0) == expected[0]


def test_only_the_newest_reload_is_shown(qtbot: QtBot, model: HitLogModel) -> None:
    everything = model.total
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS) as loaded:
        model.reload(HitFilter(station="NORTH-1"))
        model.reload(HitFilter(station="SOUTH-1"), HitSort(SortKey.OFFICER, descending=False))
    qtbot.waitUntil(lambda: not model.jobs.busy, timeout=WAIT_MS)
    assert model.filter == HitFilter(station="SOUTH-1")
    assert loaded.args == [model.total]
    assert 0 < model.total < everything
    rows = [hit_id(qtbot, model, row) for row in range(model.total)]
    db = model.jobs.session.open_database()
    wanted = all_seqs(db.conn, model.filter, model.sort_order)
    assert rows == [r.hit_id for r in rows_for(db.conn, wanted)]
    db.conn.close()
