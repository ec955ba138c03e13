"""The Settings page: invalid values named beside their fields and nothing saved; valid ones
saved atomically with the token in its own file and the diff in the audit log; what each
threshold implies, measured against the lists in force."""

from __future__ import annotations

import stat
from pathlib import Path

import cv2
import numpy as np
from admin_helpers import OpenWindow, audit_rows, demo_session, make_bundle, make_key, settle
from pytestqt.qtbot import QtBot

from checkpoint.config import Settings, load_settings, save_settings
from checkpoint.paths import settings_path
from checkpoint.sync.station_token import load_token, token_path
from checkpoint.ui.admin import operations
from checkpoint.watchlist.keys import trust_key


def test_invalid_values_are_named_beside_their_fields_and_nothing_is_saved(
    checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    save_settings(checkpoint_home, Settings(station_id="GATE-7"))
    saved = settings_path(checkpoint_home).read_bytes()
    window = open_window()
    page = window.settings
    assert page is not None
    fields = page.fields
    assert fields["station_id"].editor.text() == "GATE-7"

    fields["screening.name_hit_threshold"].editor.setText("1.5")
    fields["accounts.idle_timeout_minutes"].editor.setText("ten")
    fields["hq_url"].editor.setText("hq.example.org")
    fields["retention.evidence_days"].editor.setText("900")  # longer than the 730 days of hits
    page.token_edit.setText("two words")
    assert not page.save()
    settle(qtbot, window)

    def error(name: str) -> str:
        assert not fields[name].error.isHidden(), name
        return fields[name].error.text()

    assert "less than or equal to 1" in error("screening.name_hit_threshold")
    assert "valid integer" in error("accounts.idle_timeout_minutes")
    assert "must begin with https://" in error("hq_url")
    assert "longer than the hits" in error("retention.evidence_days")
    assert fields["station_id"].error.isHidden()
    assert not page.token_error.isHidden()
    assert "Nothing was saved: correct the 5 field(s) marked." in page.result.text()
    assert settings_path(checkpoint_home).read_bytes() == saved
    assert not token_path(checkpoint_home).exists()
    assert not [r for r in audit_rows(checkpoint_home) if r.action == "settings.change"]


def test_valid_values_are_saved_with_the_token_and_the_diff_is_audited(
    checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    page = window.settings
    assert page is not None
    fields = page.fields
    assert page.token_edit.placeholderText().startswith("none stored")
    fields["station_id"].editor.setText("GATE-7")
    fields["hq_url"].editor.setText("https://hq.example.org")
    fields["screening.name_hit_threshold"].editor.setText("0.9")
    fields["retention.audit_days"].editor.setText("3650")
    page.token_edit.setText("s3cret-token")

    assert page.save()
    settle(qtbot, window)

    settings = load_settings(checkpoint_home)
    assert settings.station_id == "GATE-7"
    assert settings.hq_url == "https://hq.example.org"
    assert settings.screening.name_hit_threshold == 0.9
    assert settings.retention.audit_days == 3650
    assert settings.camera == Settings().camera
    assert load_token(checkpoint_home) == "s3cret-token"
    assert stat.S_IMODE(token_path(checkpoint_home).stat().st_mode) == 0o600
    assert "s3cret-token" not in settings_path(checkpoint_home).read_text()
    assert "Saved 5 change(s)" in page.result.text()
    # The form shows what was saved, and the token field is empty again.
    assert fields["station_id"].editor.text() == "GATE-7"
    assert page.token_edit.text() == ""
    assert page.token_edit.placeholderText().startswith("stored")

    rows = [r for r in audit_rows(checkpoint_home) if r.action == "settings.change"]
    assert [(r.actor, r.subject) for r in rows] == [("demo", "settings"), ("demo", "hq_token")]
    assert rows[0].details["changes"] == {
        "station_id": ["DEMO-01", "GATE-7"],
        "hq_url": [None, "https://hq.example.org"],
        "screening.name_hit_threshold": [0.88, 0.9],
        "retention.audit_days": [2555, 3650],
    }
    assert rows[1].details["changes"] == {"hq_token": ["(kept)", "(replaced)"]}
    assert "s3cret-token" not in str([r.details for r in rows])

    # Saving an unchanged form changes nothing and records nothing.
    assert page.save()
    settle(qtbot, window)
    assert "Nothing changed" in page.result.text()
    assert len([r for r in audit_rows(checkpoint_home) if r.action == "settings.change"]) == 2


def test_thresholds_show_what_they_imply_against_the_lists_in_force(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    page = window.settings
    assert page is not None
    assert "No list is installed" in page.name_rate.text()
    assert "With 0 face templates in force" in page.face_threshold.text()

    private, public = make_key(tmp_path / "keys")
    trust_key(checkpoint_home, public)
    operations.import_bundle_file(
        demo_session(checkpoint_home), make_bundle(tmp_path / "v1.zip", private, 1)
    )
    page.refresh()
    settle(qtbot, window)
    assert "of 400 sample travellers on no list would be a name hit" in page.name_rate.text()

    face = page.fields["screening.face_target_false_match_rate"].editor
    face.setText("0.01")
    loose = page.face_threshold.text()
    face.setText("0.000001")
    strict = page.face_threshold.text()
    assert "With 3 face templates in force: 1:N threshold" in loose
    assert loose != strict
    face.setText("2")
    assert page.face_threshold.text() == "Enter a rate between 0 and 1, e.g. 0.0001."


def test_the_name_rate_falls_as_the_threshold_rises() -> None:
    scores = (0.1, 0.5, 0.8, 0.85, 0.9, 0.95)
    rates = [operations.name_false_hit_rate(scores, t) for t in (0.0, 0.8, 0.9, 0.99)]
    assert rates == [1.0, 4 / 6, 2 / 6, 0.0]
    assert operations.name_false_hit_rate((), 0.9) is None


def test_the_face_threshold_tightens_with_the_gallery() -> None:
    small = operations.face_threshold(1_000, 0.01)
    large = operations.face_threshold(1_000_000, 0.01)
    assert large.threshold < small.threshold


def test_the_frame_source_is_tried_before_it_is_saved(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    frame = np.zeros((120, 160, 3), np.uint8)
    frame[:, :80] = (0, 0, 255)
    assert cv2.imwrite(str(folder / "desk.png"), frame)
    window = open_window()
    page = window.settings
    assert page is not None

    page.source_editor.setText(str(folder))
    assert page.test_source()
    settle(qtbot, window)
    preview = page.source_preview.pixmap()
    assert not preview.isNull()
    assert preview.width() == 240
    assert "a 160×120 frame" in page.source_preview.toolTip()

    page.source_editor.setText(str(tmp_path / "no-such-camera"))
    page.test_source()
    settle(qtbot, window)
    assert page.source_preview.pixmap().isNull()
    assert page.source_preview.text().startswith("There is no camera, folder or video called")
    assert not settings_path(checkpoint_home).exists()
