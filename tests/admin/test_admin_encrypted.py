"""The administration window on a station with accounts: every page works through the logged-in
session's key on the SQLCipher database, and the audit log names that user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from admin_helpers import OpenWindow, audit_rows, demo_session, make_bundle, make_key, settle
from pytestqt.qtbot import QtBot

from checkpoint.accounts.store import create_first_administrator, login
from checkpoint.config import Settings, load_settings
from checkpoint.watchlist.keys import trusted_keys

PASSWORD = "correct horse battery"


def test_an_encrypted_station_is_administered_through_the_session(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    demo_session(checkpoint_home)
    create_first_administrator(checkpoint_home, "ada", PASSWORD)
    session = login(checkpoint_home, "ada", PASSWORD, Settings())
    assert not session.is_demo
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(checkpoint_home / "checkpoint.db").execute("SELECT * FROM wl_lists")
    private, public = make_key(tmp_path / "keys")
    window = open_window(session)
    watchlists, outbox, settings = window.watchlists, window.outbox, window.settings
    assert watchlists is not None
    assert outbox is not None
    assert settings is not None

    watchlists.trust_file(public)
    settle(qtbot, window)
    watchlists.import_file(make_bundle(tmp_path / "v1.zip", private, 1))
    settle(qtbot, window)
    assert [(s.list_id, s.version) for s in watchlists.lists.lists] == [("TEST", 1)]
    assert outbox.counts_label.text().startswith("Pending 0")
    settings.fields["station_id"].editor.setText("GATE-9")
    assert settings.save()
    settle(qtbot, window)

    assert load_settings(checkpoint_home).station_id == "GATE-9"
    assert len(trusted_keys(checkpoint_home)) == 1
    mine = [
        (row.action, row.subject)
        for row in audit_rows(checkpoint_home, session)
        if row.actor == "ada" and row.action not in ("login", "user.create")
    ]
    assert mine == [
        ("key.trust", next(iter(trusted_keys(checkpoint_home)))),
        ("watchlist.import", "TEST"),
        ("settings.change", "settings"),
    ]
