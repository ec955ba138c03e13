"""`checkpoint gui --demo --travellers N`: the smoke test the frozen build runs, here run from
source. It must open the demo desk, screen N travellers with nobody at the keyboard (hits
referred through the window's own action), print one summary line and exit 0."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from checkpoint.cli import main
from checkpoint.hits.store import list_hits
from checkpoint.storage import open_database
from checkpoint.ui.desk_window import DeskWindow

WATCHDOG_MS = 240_000
"""A desk still running after this long is closed, so a stall fails the test, not the suite."""


def close_desks_after(milliseconds: int) -> QTimer:
    def close_all() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, DeskWindow) and widget.isVisible():
                widget.close()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(close_all)
    timer.start(milliseconds)
    return timer


@pytest.mark.slow
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_demo_desk_screens_travellers_unattended_and_exits(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    watchdog = close_desks_after(WATCHDOG_MS)
    code = main(["--home", str(home), "gui", "--demo", "--travellers", "2"])
    watchdog.stop()
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    match = re.fullmatch(r"screened (\d+) travellers, (\d+) hits", out[-1])
    assert match is not None, out
    assert int(match[1]) == 2
    # The first demo traveller is Doc 9303's specimen holder, whom the demo list names.
    hits = int(match[2])
    assert hits >= 1
    db = open_database(home / "checkpoint.db")
    try:
        recorded = list_hits(db.conn)
    finally:
        db.conn.close()
    assert len(recorded) == hits
    # Every hit was decided, by referral, as the autopilot says.
    assert all(hit.decision is not None and hit.decision.referred for hit in recorded)


def test_travellers_needs_the_demo_desk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--home", str(tmp_path / "home"), "gui", "--travellers", "2"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["checkpoint: --travellers screens demo travellers only: add --demo."]


def test_demo_refuses_another_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--home", str(tmp_path / "home"), "gui", "--demo", "--source", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--demo opens the demo source" in err[0]
    assert not (tmp_path / "home" / "checkpoint.db").exists()


@pytest.mark.parametrize("count", ["0", "-1", "two"])
def test_travellers_is_a_positive_number(count: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["gui", "--demo", "--travellers", count])
    assert stop.value.code == 2
    assert "--travellers" in capsys.readouterr().err
