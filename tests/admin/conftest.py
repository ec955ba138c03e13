"""Fixtures of the administration tests: the demo administrator's window, shut down after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from admin_helpers import OpenWindow, demo_session, settle
from pytestqt.qtbot import QtBot

from checkpoint.accounts import StationSession
from checkpoint.ui.admin.window import AdministrationWindow


@pytest.fixture
def session(checkpoint_home: Path) -> StationSession:
    return demo_session(checkpoint_home)


@pytest.fixture
def open_window(qtbot: QtBot, session: StationSession) -> Iterator[OpenWindow]:
    """Opens an administration window (the demo administrator's unless told) and waits for
    its first reads; every window is shut down after the test, so no job outlives it."""
    opened: list[AdministrationWindow] = []

    def open_(for_session: StationSession | None = None) -> AdministrationWindow:
        window = AdministrationWindow(for_session or session)
        qtbot.addWidget(window)
        opened.append(window)
        window.start()
        settle(qtbot, window)
        return window

    yield open_
    for window in opened:
        window.shutdown()
