"""Settings: defaults, round trip, validation and migration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkpoint.config import (
    SCHEMA_VERSION,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
)
from checkpoint.paths import resolve_home, settings_path


def test_defaults_when_nothing_saved(checkpoint_home: Path) -> None:
    settings = load_settings(checkpoint_home)
    assert settings == Settings()
    assert settings.schema_version == SCHEMA_VERSION
    assert not settings_path(checkpoint_home).exists()


def test_round_trip(checkpoint_home: Path) -> None:
    saved = Settings(station_id="LHR-T5-07", hq_url="https://hq.example.org")
    save_settings(checkpoint_home, saved)
    assert load_settings(checkpoint_home) == saved
    assert not list(checkpoint_home.glob(".settings-*")), "temporary file left behind"


def test_invalid_value_names_the_setting(checkpoint_home: Path) -> None:
    settings_path(checkpoint_home).write_text(json.dumps({"station_id": ""}), encoding="utf-8")
    with pytest.raises(SettingsError, match="station_id"):
        load_settings(checkpoint_home)


def test_garbage_file_is_a_clear_error(checkpoint_home: Path) -> None:
    settings_path(checkpoint_home).write_bytes(b"\x00\xffnot json")
    with pytest.raises(SettingsError, match="fix or delete"):
        load_settings(checkpoint_home)


def test_newer_schema_is_refused(checkpoint_home: Path) -> None:
    document = {"schema_version": SCHEMA_VERSION + 1}
    settings_path(checkpoint_home).write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SettingsError, match="newer Checkpoint"):
        load_settings(checkpoint_home)


def test_home_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKPOINT_HOME", str(tmp_path / "from-env"))
    assert resolve_home(tmp_path / "explicit") == (tmp_path / "explicit").resolve()
    assert resolve_home(None) == (tmp_path / "from-env").resolve()
    monkeypatch.delenv("CHECKPOINT_HOME")
    assert resolve_home(None).name == "checkpoint"
