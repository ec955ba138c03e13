"""The administration window shows each tab only to roles with its permission, and the actions
behind the tabs refuse other roles on their own."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from admin_helpers import OpenWindow, audit_rows, demo_session, make_bundle, make_key, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from checkpoint.accounts import PermissionDeniedError, Principal, Role, StationSession
from checkpoint.config import Settings
from checkpoint.ui.admin import operations
from checkpoint.ui.admin.models import ListsModel
from checkpoint.ui.admin.window import USERS_MODULE, AdministrationWindow
from checkpoint.watchlist.keys import trust_key


def session_of(home: Path, role: Role) -> StationSession:
    demo_session(home)
    return StationSession(home, Principal(f"a-{role.value}", role))


def test_tabs_follow_the_role(checkpoint_home: Path, open_window: OpenWindow) -> None:
    users = ["Users"] if importlib.util.find_spec(USERS_MODULE) is not None else []
    administrator = open_window(session_of(checkpoint_home, Role.ADMINISTRATOR))
    assert administrator.tab_names == ["Watchlists", "Outbox", "Settings", *users]
    for role in (Role.OFFICER, Role.SUPERVISOR):
        window = open_window(session_of(checkpoint_home, role))
        assert window.tab_names == []
        assert (window.watchlists, window.outbox, window.settings) == (None, None, None)
        refusal = window.centralWidget()
        assert isinstance(refusal, QLabel)
        assert refusal.text() == (
            f"a-{role.value} ({role.value}) may not administer this station: ask an administrator."
        )


def test_the_actions_refuse_a_role_without_the_right(tmp_path: Path, checkpoint_home: Path) -> None:
    private, public = make_key(tmp_path / "keys")
    bundle = make_bundle(tmp_path / "v1.zip", private, 1)
    supervisor = session_of(checkpoint_home, Role.SUPERVISOR)
    for action in (
        lambda: operations.import_bundle_file(supervisor, bundle),
        lambda: operations.trust_key_file(supervisor, public),
        lambda: operations.fetch_from_hq(supervisor),
        lambda: operations.retry_outbox(supervisor),
        lambda: operations.outbox_overview(supervisor),
        lambda: operations.settings_snapshot(supervisor),
        lambda: operations.name_sample_scores(supervisor),
        lambda: operations.save_settings_change(supervisor, Settings(station_id="X")),
    ):
        with pytest.raises(PermissionDeniedError, match="a-supervisor \\(supervisor\\) may not"):
            action()
    assert audit_rows(checkpoint_home) == []


def test_lists_are_marked_expired_or_expiring_in_colour_and_words(
    tmp_path: Path, checkpoint_home: Path, qtmodeltester: ModelTester
) -> None:
    private, public = make_key(tmp_path / "keys")
    trust_key(checkpoint_home, public)
    session = demo_session(checkpoint_home)
    operations.import_bundle_file(session, make_bundle(tmp_path / "v1.zip", private, 1, days=2))
    (status,) = operations.watchlist_overview(session).lists
    model = ListsModel()
    for now, word in (
        (status.created, "expires in 48 h: fetch a new one"),
        (status.expires, "EXPIRED: screening marks its hits stale"),
        (status.created - (status.expires - status.created) * 2, "current"),
    ):
        model.set_lists([status], now)
        qtmodeltester.check(model)
        assert model.data(model.index(0, ListsModel.STATE_COLUMN)) == word
        background = model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
        assert (background is None) == (word == "current")


# The offscreen platform says so whenever a window is shown.
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_showing_the_window_reads_its_pages_once(checkpoint_home: Path, qtbot: QtBot) -> None:
    window = AdministrationWindow(demo_session(checkpoint_home))
    qtbot.addWidget(window)
    try:
        assert window.settings is not None
        assert window.settings.snapshot is None
        window.show()
        qtbot.waitUntil(
            lambda: window.settings is not None and window.settings.snapshot is not None
        )
        settle(qtbot, window)
        assert window.outbox is not None
        assert window.outbox.overview is not None
    finally:
        window.shutdown()
