"""Each doctor check on a real station folder: a missing camera, stale and expired lists, an
unreachable HQ, a damaged or locked database, the demo key on a real station — each found,
with a fix that says what to do; and a demo station that passes what can pass here."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_process import free_port
from doctor_helpers import install_list, running_hq

from checkpoint.commands.gui import DEMO_LISTS, install_demo_list
from checkpoint.config import Settings
from checkpoint.doctor import Station, Status
from checkpoint.doctor.camera import camera
from checkpoint.doctor.machine import free_disk, qt_platform
from checkpoint.doctor.network import hq
from checkpoint.doctor.readers import face_models, libzbar, ocr_model
from checkpoint.doctor.station import database, keys, list_ages
from checkpoint.paths import database_path
from checkpoint.storage import MIGRATIONS, open_database
from checkpoint.sync.station_token import save_token

SET_UP = Settings(station_id="BORDER-7", first_run="done")


def station(home: Path, settings: Settings = SET_UP, **limits: float) -> Station:
    return Station(home=home, settings=settings, **limits)  # type: ignore[arg-type]


@pytest.mark.parametrize("spec", ["7", "/dev/video9"])
def test_a_missing_camera_fails_with_a_fix(checkpoint_home: Path, spec: str) -> None:
    found = camera(station(checkpoint_home, Settings(camera=spec, first_run="done")))
    assert found.status is Status.FAIL
    assert f"'{spec}' cannot be opened" in found.detail
    assert "camera device is visible" in found.detail or "cameras visible" in found.detail
    assert "connect the camera" in found.fix
    assert "`camera` in the settings" in found.fix


def test_a_folder_source_gives_a_picture(checkpoint_home: Path, tmp_path: Path) -> None:
    import cv2  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    folder = tmp_path / "frames"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), np.full((120, 160, 3), 200, np.uint8))
    found = camera(station(checkpoint_home, Settings(camera=str(folder), first_run="done")))
    assert found.status is Status.OK
    assert "160×120" in found.detail


def test_an_empty_folder_source_fails_with_the_folders_reason(
    checkpoint_home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    found = camera(station(checkpoint_home, Settings(camera=str(folder), first_run="done")))
    assert found.status is Status.FAIL
    assert "holds no images" in found.detail
    assert "camera device" not in found.detail


def test_the_demo_source_on_a_set_up_station_is_a_warning(checkpoint_home: Path) -> None:
    found = camera(station(checkpoint_home, Settings(camera="demo", first_run="done")))
    assert found.status is Status.WARN
    assert "demo source" in found.detail


def test_a_stale_list_is_a_warning_with_a_fix(checkpoint_home: Path, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    install_list(
        checkpoint_home, tmp_path, created=now - timedelta(days=40), valid_for=timedelta(days=90)
    )
    found = list_ages(station(checkpoint_home))
    assert found.status is Status.WARN
    assert "TEST v1 is 40 days old (stale)" in found.detail
    assert "import a newer bundle" in found.fix
    assert "fetch" in found.fix


def test_an_expired_list_fails_with_a_fix(checkpoint_home: Path, tmp_path: Path) -> None:
    created = datetime.now(UTC) - timedelta(days=40)
    install_list(checkpoint_home, tmp_path, created=created, valid_for=timedelta(days=30))
    found = list_ages(station(checkpoint_home))
    assert found.status is Status.FAIL
    assert f"TEST v1 expired on {created + timedelta(days=30):%Y-%m-%d}" in found.detail
    assert "import a newer bundle" in found.fix


def test_a_list_close_to_expiry_is_a_warning(checkpoint_home: Path, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    install_list(
        checkpoint_home, tmp_path, created=now - timedelta(days=1), valid_for=timedelta(days=2)
    )
    found = list_ages(station(checkpoint_home))
    assert found.status is Status.WARN
    assert "TEST v1 expires on" in found.detail


def test_a_current_list_is_fine(checkpoint_home: Path, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    install_list(
        checkpoint_home, tmp_path, created=now - timedelta(days=2), valid_for=timedelta(days=30)
    )
    assert list_ages(station(checkpoint_home)).status is Status.OK
    assert keys(station(checkpoint_home)).status is Status.OK


def test_no_list_on_a_set_up_station_fails(checkpoint_home: Path) -> None:
    open_database(database_path(checkpoint_home)).conn.close()
    found = list_ages(station(checkpoint_home))
    assert found.status is Status.FAIL
    assert "nobody can be screened" in found.detail
    assert "watchlist import" in found.fix


def test_an_unreachable_hq_fails_with_a_fix(checkpoint_home: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(hq_url=url, first_run="done")
    found = hq(station(checkpoint_home, settings, hq_timeout_s=2.0))
    assert found.status is Status.FAIL
    assert f"HQ at {url} is unreachable" in found.detail
    assert "check the network" in found.fix
    assert "hq_url" in found.fix


def test_a_reachable_hq_needs_a_token_it_accepts(checkpoint_home: Path, tmp_path: Path) -> None:
    with running_hq(tmp_path) as (url, token):
        subject = station(checkpoint_home, Settings(hq_url=url, first_run="done"))
        without = hq(subject)
        save_token(checkpoint_home, "not-the-token-hq-issued")
        refused = hq(subject)
        save_token(checkpoint_home, token)
        accepted = hq(subject)
    assert without.status is Status.WARN
    assert "--set-token" in without.fix
    assert refused.status is Status.FAIL
    assert "refused this station's token (401)" in refused.detail
    assert "--set-token" in refused.fix
    assert accepted.status is Status.OK
    assert "accepts the station's token" in accepted.detail


def test_no_hq_address_on_a_set_up_station_is_a_warning(checkpoint_home: Path) -> None:
    found = hq(station(checkpoint_home))
    assert found.status is Status.WARN
    assert "hq_url" in found.fix


def test_a_database_from_a_newer_checkpoint_fails(checkpoint_home: Path) -> None:
    db = open_database(database_path(checkpoint_home))
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.conn.close()
    found = database(station(checkpoint_home))
    assert found.status is Status.FAIL
    assert "update Checkpoint" in found.fix


def test_a_file_that_is_no_database_fails(checkpoint_home: Path) -> None:
    database_path(checkpoint_home).write_bytes(b"\x00garbage" * 100)
    found = database(station(checkpoint_home))
    assert found.status is Status.FAIL
    assert "no accounts" in found.detail


def test_a_database_locked_by_a_writer_is_a_warning(checkpoint_home: Path) -> None:
    open_database(database_path(checkpoint_home)).conn.close()
    writer = sqlite3.connect(database_path(checkpoint_home), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        found = database(station(checkpoint_home))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert found.status is Status.WARN
    assert "locked" in found.detail
    assert database(station(checkpoint_home)).status is Status.OK


def test_the_demo_key_on_a_set_up_station_is_a_warning(checkpoint_home: Path) -> None:
    assert install_demo_list(checkpoint_home, database_path(checkpoint_home))
    demo = Settings(first_run="demo")
    assert keys(station(checkpoint_home, demo)).status is Status.OK
    found = keys(station(checkpoint_home))
    assert found.status is Status.WARN
    assert "demo signing key" in found.detail
    assert "DEMO-ONLY-signing-key.pub" in found.fix


def test_no_trusted_key_is_a_warning(checkpoint_home: Path) -> None:
    found = keys(station(checkpoint_home))
    assert found.status is Status.WARN
    assert "watchlist trust" in found.fix


def test_free_disk_thresholds(checkpoint_home: Path) -> None:
    assert free_disk(station(checkpoint_home, disk_fail_bytes=0, disk_warn_bytes=0)).status is (
        Status.OK
    )
    huge = 1 << 60
    warned = free_disk(station(checkpoint_home, disk_fail_bytes=0, disk_warn_bytes=huge))
    assert warned.status is Status.WARN
    failed = free_disk(station(checkpoint_home, disk_fail_bytes=huge, disk_warn_bytes=huge))
    assert failed.status is Status.FAIL
    assert "free space" in failed.fix


def test_an_unknown_qt_platform_fails_with_the_plugins_to_choose(
    checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "nosuchplatform")
    found = qt_platform(station(checkpoint_home))
    assert found.status is Status.FAIL
    assert "'nosuchplatform'" in found.detail
    assert "offscreen" in found.fix


def test_qt_that_cannot_be_loaded_fails_with_a_fix(
    checkpoint_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PySide6 whose import raises (as a missing libGL does) shadows the real one."""
    broken = tmp_path / "broken" / "PySide6"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        'raise ImportError("libGL.so.1: cannot open shared object file")\n'
    )
    monkeypatch.setenv("PYTHONPATH", str(broken.parent))
    found = qt_platform(station(checkpoint_home))
    assert found.status is Status.FAIL
    assert "PySide6 cannot be loaded" in found.detail
    assert "libGL.so.1" in found.detail
    assert "reinstall Checkpoint" in found.fix


def test_the_offscreen_qt_platform_is_a_warning(
    checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    found = qt_platform(station(checkpoint_home))
    assert found.status is Status.WARN
    assert "unset QT_QPA_PLATFORM" in found.fix


def test_a_demo_station_passes_what_can_pass_here(checkpoint_home: Path, tmp_path: Path) -> None:
    """The demo list installed as `checkpoint gui` does, the demo source, a real HQ."""
    assert install_demo_list(checkpoint_home, database_path(checkpoint_home))
    with running_hq(tmp_path, station="DEMO-01") as (url, token):
        save_token(checkpoint_home, token)
        subject = station(checkpoint_home, Settings(first_run="demo", hq_url=url))
        checks = [
            check(subject)
            for check in (
                camera,
                libzbar,
                face_models,
                ocr_model,
                database,
                keys,
                list_ages,
                hq,
                free_disk,
            )
        ]
    assert [(c.name, c.status) for c in checks if c.status is not Status.OK] == []
    assert checks[0].detail == "'demo' gives 1280×720 pictures"


def test_an_encrypted_station_is_checked_with_a_users_key(checkpoint_home: Path) -> None:
    """Set up for real (administrator, demo key and list); without a key the lists stay shut."""
    from checkpoint.firstrun import Answers, apply  # noqa: PLC0415

    outcome = apply(
        checkpoint_home,
        Answers(
            station_id="BORDER-7",
            admin_username="chief",
            admin_password="correct horse battery",
            key_file=DEMO_LISTS / "DEMO-ONLY-signing-key.pub",
            bundle_file=DEMO_LISTS / "demo-list-v1.zip",
        ),
    )
    locked = station(checkpoint_home, outcome.settings)
    assert database(locked).status is Status.OK
    assert "encrypted" in database(locked).detail
    shut = list_ages(locked)
    assert shut.status is Status.WARN
    assert "--user NAME doctor" in shut.fix
    opened = Station(
        home=checkpoint_home,
        settings=outcome.settings,
        database_key=outcome.session.database_key,
    )
    assert database(opened).detail.startswith("encrypted, schema")
    assert list_ages(opened).status is Status.WARN  # the demo list is months old
    assert keys(opened).status is Status.WARN  # and signed with the demo key
