"""`checkpoint users …` and `--user` on every command that opens the station database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from cli_process import run_cli as run

from checkpoint.accounts.store import login
from checkpoint.config import load_settings
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import photograph, render_specimen
from checkpoint.documents.synth.demo import ERIKSSON

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "watchlists" / "demo"
ADMIN_PASSWORD = "admin password 1"


def as_user(
    monkeypatch: pytest.MonkeyPatch, user: str, password: str, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("CHECKPOINT_PASSWORD", password)
    return run("--user", user, *argv)


def create_admin(monkeypatch: pytest.MonkeyPatch) -> str:
    """The first administrator `ada`; returns the recovery key the command printed."""
    monkeypatch.setenv("CHECKPOINT_NEW_PASSWORD", ADMIN_PASSWORD)
    code, out, err = run("users", "create-admin", "ada")
    assert code == 0, err
    monkeypatch.delenv("CHECKPOINT_NEW_PASSWORD")
    return out.split("\n\n")[1].strip()


def add_user(monkeypatch: pytest.MonkeyPatch, name: str, role: str, password: str) -> None:
    monkeypatch.setenv("CHECKPOINT_NEW_PASSWORD", password)
    code, _, err = as_user(monkeypatch, "ada", ADMIN_PASSWORD, "users", "add", name, "--role", role)
    monkeypatch.delenv("CHECKPOINT_NEW_PASSWORD")
    assert code == 0, err


def test_commands_need_a_login_once_the_station_has_accounts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run("hits", "list")[0] == 0  # a demo station: no login
    create_admin(monkeypatch)
    monkeypatch.delenv("CHECKPOINT_PASSWORD", raising=False)
    code, _, err = run("hits", "list")
    assert code == 1
    assert "give --user NAME" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run("--user", "ada", "hits", "list")
    assert code == 1
    assert "set CHECKPOINT_PASSWORD" in err
    code, _, err = as_user(monkeypatch, "ada", "wrong password!", "hits", "list")
    assert code == 1
    assert err == "checkpoint: Wrong username or password: check both and try again.\n"
    code, out, err = as_user(monkeypatch, "ada", ADMIN_PASSWORD, "hits", "list")
    assert (code, out, err) == (0, "no hits waiting for a decision\n", "")


def test_each_role_runs_only_its_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    create_admin(monkeypatch)
    add_user(monkeypatch, "olga", "officer", "officer password")
    add_user(monkeypatch, "sam", "supervisor", "supervisor pw 1")
    olga = ("olga", "officer password")
    sam = ("sam", "supervisor pw 1")
    assert as_user(monkeypatch, *olga, "hits", "list")[0] == 0
    code, _, err = as_user(monkeypatch, *olga, "hits", "list", "--all")
    assert code == 1
    assert "olga (officer) may not review hits" in err
    assert as_user(monkeypatch, *sam, "hits", "list", "--all")[0] == 0
    for argv in (
        ("users", "list"),
        ("outbox",),
        ("watchlist", "import", str(DEMO / "demo-list-v1.zip")),
        ("watchlist", "trust", str(DEMO / "DEMO-ONLY-signing-key.pub")),
    ):
        for user in (olga, sam):
            code, _, err = as_user(monkeypatch, *user, *argv)
            assert code == 1, argv
            assert "may not" in err
    code, out, _ = as_user(monkeypatch, "ada", ADMIN_PASSWORD, "users", "list")
    assert code == 0
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["ada", "administrator", "enabled"],
        ["olga", "officer", "enabled"],
        ["sam", "supervisor", "enabled"],
    ]


def test_user_administration_from_the_command_line(
    checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recovery_key = create_admin(monkeypatch)
    add_user(monkeypatch, "olga", "officer", "officer password")
    admin = ("ada", ADMIN_PASSWORD)
    assert as_user(monkeypatch, *admin, "users", "disable", "olga")[0] == 0
    code, _, err = as_user(monkeypatch, "olga", "officer password", "hits", "list")
    assert (code, err) == (
        1,
        "checkpoint: The account olga is disabled: ask an administrator to enable it.\n",
    )
    assert as_user(monkeypatch, *admin, "users", "enable", "olga")[0] == 0
    assert as_user(monkeypatch, *admin, "users", "role", "olga", "supervisor")[0] == 0
    assert as_user(monkeypatch, "olga", "officer password", "hits", "list", "--all")[0] == 0
    code, _, err = as_user(monkeypatch, *admin, "users", "role", "ada", "officer")
    assert code == 1
    assert "last enabled administrator" in err

    monkeypatch.setenv("CHECKPOINT_NEW_PASSWORD", "olga's new password")
    assert as_user(monkeypatch, *admin, "users", "reset-password", "olga")[0] == 0
    assert as_user(monkeypatch, "olga", "officer password", "hits", "list")[0] == 1
    monkeypatch.setenv("CHECKPOINT_NEW_PASSWORD", "olga's own password")
    code, out, err = as_user(monkeypatch, "olga", "olga's new password", "users", "passwd")
    assert (code, out, err) == (0, "password changed\n", "")
    assert as_user(monkeypatch, "olga", "olga's own password", "hits", "list")[0] == 0

    # Every password lost: the printed recovery key sets a new one.
    monkeypatch.setenv("CHECKPOINT_RECOVERY_KEY", recovery_key.lower())
    monkeypatch.setenv("CHECKPOINT_NEW_PASSWORD", "recovered password")
    code, out, err = run("users", "recover", "ada")
    assert code == 0, err
    assert "ada (administrator) can log in" in out
    session = login(checkpoint_home, "ada", "recovered password", load_settings(checkpoint_home))
    db = session.open_database()
    try:
        actions = {str(row[0]) for row in db.execute("SELECT action FROM audit_log")}
    finally:
        db.conn.close()
    assert {
        "login",
        "login.failed",
        "user.create",
        "user.disable",
        "user.enable",
        "user.role_change",
        "user.password_reset",
        "user.password_change",
    } <= actions


def test_database_holds_no_plaintext_name_after_a_real_hit(
    tmp_path: Path, checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo list goes in while the station is still a demo (plain file), the first
    administrator encrypts it in place, and an officer's scan records a hit of a listed
    person: no file in the home may then hold a listed person's or the traveller's name."""
    assert run("watchlist", "trust", str(DEMO / "DEMO-ONLY-signing-key.pub"))[0] == 0
    assert run("watchlist", "import", str(DEMO / "demo-list-v1.zip"))[0] == 0
    assert b"ERIKSSON" in (checkpoint_home / "checkpoint.db").read_bytes()
    create_admin(monkeypatch)
    add_user(monkeypatch, "olga", "officer", "officer password")
    rng = np.random.default_rng(2026)
    specimen = render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng)
    photo = photograph(specimen, rng, size=(1280, 720), fill=0.6, angle=8, degrade="clean")
    image = tmp_path / "passport.png"
    cv2.imwrite(str(image), photo.image)

    # A reader held open keeps the scan's pages in the write-ahead log, so -wal is searched too.
    reader = login(checkpoint_home, "ada", ADMIN_PASSWORD, load_settings(checkpoint_home))
    held = reader.open_database()
    held.execute("SELECT count(*) FROM hit_records").fetchone()
    code, out, err = as_user(monkeypatch, "olga", "officer password", "scan", str(image), "--json")
    assert code == 0, err
    (scanned,) = [json.loads(line) for line in out.splitlines()]
    assert scanned["screening"]["hit"] is True
    assert len(scanned["screening"]["recorded_hits"]) == 2
    code, out, err = as_user(monkeypatch, "sam", "x" * 10, "hits", "list")
    assert code == 1  # no such user
    code, out, err = as_user(monkeypatch, "ada", ADMIN_PASSWORD, "hits", "list", "--all", "--json")
    hits = [json.loads(line) for line in out.splitlines()]
    assert {hit["officer"] for hit in hits} == {"olga"}
    assert hits[0]["traveller"]["surname"] == "ERIKSSON"

    listed = [b"ERIKSSON", b"Eriksson", b"ANNA MARIA", b"L898902C3"]
    with (DEMO / "demo-persons.csv").open(encoding="utf-8") as stream:
        next(stream)
        names = [line.split(",")[1] for line in stream if line.count(",") > 2]
    listed += [name.encode() for name in names if len(name) >= 8][:30]
    try:
        files = [path for path in checkpoint_home.rglob("*") if path.is_file()]
        assert checkpoint_home / "checkpoint.db" in files
        assert (checkpoint_home / "checkpoint.db-wal").stat().st_size > 0
        for path in files:
            content = path.read_bytes()
            for name in listed:
                assert name not in content, (path.name, name)
    finally:
        held.conn.close()
