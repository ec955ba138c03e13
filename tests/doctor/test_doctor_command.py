"""`checkpoint doctor` end to end: a station with a missing camera, a stale list and an
unreachable HQ is told each with its fix and exits 1; a demo station exits 0."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_process import free_port
from doctor_helpers import install_list

from checkpoint.cli import main
from checkpoint.commands.gui import DEMO_LISTS, install_demo_list
from checkpoint.config import Settings, save_settings
from checkpoint.paths import database_path


def broken_station(home: Path, keys: Path) -> str:
    """Camera 7 (absent), a 40-day-old list, HQ on a port nothing listens on."""
    url = f"http://127.0.0.1:{free_port()}"
    save_settings(home, Settings(station_id="BORDER-7", camera="7", hq_url=url, first_run="done"))
    now = datetime.now(UTC)
    install_list(home, keys, created=now - timedelta(days=40), valid_for=timedelta(days=90))
    return url


def test_doctor_json_names_each_problem_with_its_fix(
    checkpoint_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = broken_station(checkpoint_home, tmp_path)
    code = main(["doctor", "--json", "--hq-timeout", "2"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["status"] == "fail"
    checks = {c["name"]: c for group in report["groups"] for c in group["checks"]}
    assert [group["name"] for group in report["groups"]] == [
        "Platform",
        "Camera",
        "Readers",
        "Station data",
        "Network",
    ]
    assert checks["Camera"]["status"] == "fail"
    assert "connect the camera" in checks["Camera"]["fix"]
    assert checks["Watchlists"]["status"] == "warn"
    assert "stale" in checks["Watchlists"]["detail"]
    assert "import a newer bundle" in checks["Watchlists"]["fix"]
    assert checks["HQ"]["status"] == "fail"
    assert url in checks["HQ"]["detail"]
    assert "check the network" in checks["HQ"]["fix"]
    assert all(c["fix"] for c in checks.values() if c["status"] != "ok")


def test_doctor_text_groups_the_checks_and_prints_the_fixes(
    checkpoint_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_station(checkpoint_home, tmp_path)
    code = main(["doctor", "--hq-timeout", "2"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    camera_line = out.index("Camera") + 1
    assert out[camera_line].startswith("  [FAIL] Camera: the frame source '7' cannot be opened")
    assert out[camera_line + 1].startswith("         fix: connect the camera")
    assert any(line.startswith("  [WARN] Watchlists: TEST v1 is 40 days old") for line in out)
    assert any(line.startswith("  [FAIL] HQ: HQ at http://127.0.0.1:") for line in out)
    assert out[-1].endswith("2 failure(s)")


def test_doctor_on_a_demo_station_exits_zero(
    checkpoint_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(checkpoint_home, Settings(first_run="demo"))
    assert install_demo_list(checkpoint_home, database_path(checkpoint_home))
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "[FAIL]" not in out
    assert "  [ok  ] Watchlists: DEMO" in out


def test_doctor_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "doctor" in capsys.readouterr().out


def test_doctor_logs_in_to_check_an_encrypted_stations_lists(
    checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checkpoint.firstrun import Answers, apply  # noqa: PLC0415

    apply(
        checkpoint_home,
        Answers(
            station_id="BORDER-7",
            admin_username="chief",
            admin_password="correct horse battery",
            key_file=DEMO_LISTS / "DEMO-ONLY-signing-key.pub",
            bundle_file=DEMO_LISTS / "demo-list-v1.zip",
        ),
    )
    main(["doctor", "--json"])
    unchecked = json.loads(capsys.readouterr().out)
    monkeypatch.setenv("CHECKPOINT_PASSWORD", "correct horse battery")
    main(["--user", "chief", "doctor", "--json"])
    checked = json.loads(capsys.readouterr().out)

    def watchlists(report: dict[str, Any]) -> dict[str, str]:
        return next(c for g in report["groups"] for c in g["checks"] if c["name"] == "Watchlists")

    assert "were not checked" in watchlists(unchecked)["detail"]
    assert watchlists(checked)["detail"].startswith("DEMO v1 is")
    monkeypatch.setenv("CHECKPOINT_PASSWORD", "wrong password!")
    assert main(["--user", "chief", "doctor"]) == 1
    assert "Wrong username or password" in capsys.readouterr().err
