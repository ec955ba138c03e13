"""The Watchlists page with real signed bundles: imports (good, tampered, from a USB stick),
trusted keys added and revoked, every action in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_helpers import (
    OpenWindow,
    audit_rows,
    list_rows,
    make_bundle,
    make_key,
    settle,
    tamper,
)
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from checkpoint.watchlist.keys import trust_key, trusted_keys


def test_good_bundle_is_imported_listed_explained_and_audited(
    tmp_path: Path,
    checkpoint_home: Path,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    open_window: OpenWindow,
) -> None:
    private, public = make_key(tmp_path / "keys")
    key = trust_key(checkpoint_home, public)
    bundle = make_bundle(tmp_path / "test-v1.zip", private, 1)
    window = open_window()
    page = window.watchlists
    assert page is not None
    assert page.lists.rowCount() == 0
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)

    assert page.import_file(bundle)
    settle(qtbot, window)

    assert [(s.list_id, s.version) for s in page.lists.lists] == [("TEST", 1)]
    qtmodeltester.check(page.lists)
    assert page.lists.data(page.lists.index(0, 8)) == "current"
    text = page.result.text()
    assert "Imported Test list (TEST) version 1, a full bundle." in text
    assert f"Signature valid: signed by hq with key {key.key_id}" in text
    assert "Version 1 is new: TEST was not installed before." in text
    assert "It holds 3 persons, 3 names, 3 documents, 1 document alerts, 3 face templates" in text
    # The bar moved through verification and writing, not straight to the end.
    assert seen[-1] == 100
    assert any(0 < value < 100 for value in seen)
    (row,) = [r for r in audit_rows(checkpoint_home) if r.action == "watchlist.import"]
    assert (row.actor, row.subject) == ("demo", "TEST")
    assert row.details["version"] == 1
    assert row.details["signer"] == f"hq ({key.key_id})"
    assert row.details["counts"]["persons"] == 3


def test_tampered_bundle_is_refused_with_its_reason_and_changes_no_list(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    private, public = make_key(tmp_path / "keys")
    trust_key(checkpoint_home, public)
    window = open_window()
    page = window.watchlists
    assert page is not None
    assert page.import_file(make_bundle(tmp_path / "test-v1.zip", private, 1))
    settle(qtbot, window)
    before = list_rows(checkpoint_home)
    forged = tamper(make_bundle(tmp_path / "test-v2.zip", private, 2), tmp_path / "forged.zip")

    assert page.import_file(forged)
    settle(qtbot, window)

    text = page.result.text()
    assert "Refused: The bundle&#x27;s names.jsonl does not match its manifest" in text
    assert "Nothing was changed" in text
    assert page.last_outcome == (
        "The bundle's names.jsonl does not match its manifest (altered, or from another "
        "bundle): do not use it."
    )
    assert list_rows(checkpoint_home) == before
    assert [(s.list_id, s.version) for s in page.lists.lists] == [("TEST", 1)]
    (row,) = [r for r in audit_rows(checkpoint_home) if r.action == "watchlist.import_rejected"]
    assert row.subject == "forged.zip"
    assert "does not match its manifest" in row.details["reason"]


def test_older_version_and_unknown_signer_are_refused_in_sentences(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    private, public = make_key(tmp_path / "keys")
    stranger, _ = make_key(tmp_path / "keys", "stranger")
    trust_key(checkpoint_home, public)
    window = open_window()
    page = window.watchlists
    assert page is not None
    page.import_file(make_bundle(tmp_path / "v2.zip", private, 2))
    settle(qtbot, window)
    before = list_rows(checkpoint_home)

    page.import_file(make_bundle(tmp_path / "v1.zip", private, 1))
    settle(qtbot, window)
    assert "version 2 is installed: only newer versions are accepted" in str(page.last_outcome)
    page.import_file(make_bundle(tmp_path / "other.zip", stranger, 3))
    settle(qtbot, window)
    assert "which this station does not trust" in str(page.last_outcome)

    assert list_rows(checkpoint_home) == before
    rejected = [r for r in audit_rows(checkpoint_home) if r.action == "watchlist.import_rejected"]
    assert [r.subject for r in rejected] == ["v1.zip", "other.zip"]


def test_a_bundle_on_a_mounted_stick_is_listed_and_imported(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    private, public = make_key(tmp_path / "keys")
    trust_key(checkpoint_home, public)
    media = tmp_path / "media"
    stick = media / "USB-STICK" / "lists"
    stick.mkdir(parents=True)
    make_bundle(stick / "test-v1.zip", private, 1)
    (media / "USB-STICK" / "notes.txt").write_text("not a bundle")
    window = open_window()
    page = window.watchlists
    assert page is not None
    assert page.media_box.count() == 0 or all(
        "USB-STICK" not in page.media_box.itemText(i) for i in range(page.media_box.count())
    )

    page.media_roots = [media]
    page.refresh()
    settle(qtbot, window)
    assert [page.media_box.itemText(i) for i in range(page.media_box.count())] == [
        str(stick / "test-v1.zip")
    ]
    assert page.media_import_button.isEnabled()
    page.import_from_media()
    settle(qtbot, window)

    assert [(s.list_id, s.version) for s in page.lists.lists] == [("TEST", 1)]
    (row,) = [r for r in audit_rows(checkpoint_home) if r.action == "watchlist.import"]
    assert row.subject == "TEST"


# The offscreen platform says so whenever a window (here the confirmation) is shown.
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_keys_are_trusted_and_revoked_with_confirmation(
    tmp_path: Path,
    checkpoint_home: Path,
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    open_window: OpenWindow,
) -> None:
    private, public = make_key(tmp_path / "keys")
    window = open_window()
    page = window.watchlists
    assert page is not None
    assert page.keys.rowCount() == 0
    assert not page.revoke_button.isEnabled()

    assert page.trust_file(public)
    settle(qtbot, window)
    (key,) = page.keys.keys
    qtmodeltester.check(page.keys)
    assert key.key_id in trusted_keys(checkpoint_home)
    assert f"Key {key.key_id} (hq) is now trusted" in page.result.text()

    page.keys_view.selectRow(0)
    assert page.revoke_button.isEnabled()
    page.revoke_selected()
    box = page.confirmation
    assert box is not None
    assert key.key_id in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    settle(qtbot, window)
    assert key.key_id in trusted_keys(checkpoint_home)

    # With a list it signed installed, the question says which lists need another key.
    page.import_file(make_bundle(tmp_path / "v1.zip", private, 1))
    settle(qtbot, window)
    assert page.keys.data(page.keys.index(0, 2)) == "TEST"
    page.keys_view.selectRow(0)
    page.revoke_selected()
    box = page.confirmation
    assert box is not None
    assert "It signed TEST: their next versions must come signed with another" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not trusted_keys(checkpoint_home), timeout=20_000)
    settle(qtbot, window)
    assert page.keys.rowCount() == 0
    assert "is revoked" in page.result.text()

    # A bundle signed with the revoked key is refused from now on; the list stays in force.
    page.import_file(make_bundle(tmp_path / "v2.zip", private, 2))
    settle(qtbot, window)
    assert "which this station does not trust" in str(page.last_outcome)
    assert [(s.list_id, s.version) for s in page.lists.lists] == [("TEST", 1)]
    actions = [(r.action, r.subject) for r in audit_rows(checkpoint_home)]
    assert actions == [
        ("key.trust", key.key_id),
        ("watchlist.import", "TEST"),
        ("key.revoke", key.key_id),
        ("watchlist.import_rejected", "v2.zip"),
    ]


def test_a_file_that_is_no_key_is_refused(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    junk = tmp_path / "junk.pub"
    junk.write_text("not a key\n")
    window = open_window()
    page = window.watchlists
    assert page is not None
    page.trust_file(junk)
    settle(qtbot, window)
    assert "is not a readable Ed25519 public key" in page.result.text()
    assert not trusted_keys(checkpoint_home)
    assert not [r for r in audit_rows(checkpoint_home) if r.action == "key.trust"]
