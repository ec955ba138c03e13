"""Setting a station up from the wizard's answers, on real files and a real HQ: everything
lands (administrator, encrypted database, key, list, token, settings, audit rows), and any
rejected answer — a bundle signed by another key, a tampered or expired bundle, a bad key,
an unreachable HQ, a short password — leaves the home byte for byte as it was."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_process import free_port
from firstrun_helpers import (
    DEMO_BUNDLE,
    DEMO_KEY,
    PASSWORD,
    answers,
    other_signed_bundle,
    running_hq,
    snapshot,
)

from checkpoint.accounts.store import has_accounts, login
from checkpoint.audit import verify
from checkpoint.commands.gui import install_demo_list
from checkpoint.config import Settings, load_settings, save_settings
from checkpoint.errors import CheckpointError
from checkpoint.firstrun import FirstRunError, apply, needs_setup, skip_to_demo
from checkpoint.paths import database_path
from checkpoint.storage import DatabaseError, open_database
from checkpoint.sync.station_token import load_token
from checkpoint.watchlist.keys import (
    load_public_key,
    trusted_keys,
)
from checkpoint.watchlist.model import WatchlistError
from checkpoint.watchlist.store import list_statuses


def audit_actions(home: Path) -> list[str]:
    """The audit log's actions in order, after checking its hash chain is intact."""
    session = login(home, "chief", PASSWORD, load_settings(home))
    db = session.open_database()
    try:
        assert verify(db.conn).ok
        return [row[0] for row in db.execute("SELECT action FROM audit_log ORDER BY seq")]
    finally:
        db.conn.close()


def test_apply_sets_the_station_up_from_files(checkpoint_home: Path) -> None:
    assert needs_setup(checkpoint_home)
    steps: list[str] = []
    outcome = apply(checkpoint_home, answers(hq_url="https://hq.example/"), progress=steps.append)

    assert not needs_setup(checkpoint_home)
    assert has_accounts(checkpoint_home)
    assert len(outcome.recovery_key) >= 20
    settings = load_settings(checkpoint_home)
    assert settings == outcome.settings
    assert (settings.station_id, settings.hq_url, settings.camera, settings.first_run) == (
        "BORDER-7",
        "https://hq.example",
        "demo",
        "done",
    )
    assert list(trusted_keys(checkpoint_home)) == [load_public_key(DEMO_KEY).key_id]
    # The database is encrypted: it opens with the administrator's key only.
    with pytest.raises(DatabaseError):
        open_database(database_path(checkpoint_home), migrate_schema=False)
    db = outcome.session.open_database()
    try:
        assert [(s.list_id, s.version) for s in list_statuses(db)] == [("DEMO", 1)]
    finally:
        db.conn.close()
    assert outcome.session.principal.username == "chief"
    assert steps[0] == "Checking the signing key"
    assert steps[-1] == "Saving the settings"
    # The set-up's own rows, then the login audit_actions made to read them.
    assert audit_actions(checkpoint_home) == [
        "user.create",
        "login",
        "key.trust",
        "watchlist.import",
        "settings.change",
        "login",
    ]


def tampered_bundle(folder: Path) -> Path:
    bundle = folder / "tampered.zip"
    with zipfile.ZipFile(DEMO_BUNDLE) as source, zipfile.ZipFile(bundle, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "persons.jsonl":
                data = data.replace(b"Refer", b"Admit", 1)
            target.writestr(item, data)
    return bundle


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("other signer", "not by the key chosen"),
        ("tampered", "does not match its manifest"),
        ("expired", "expired on"),
        ("missing bundle", "other.zip"),
        ("bad key", "not a readable Ed25519 public key"),
        ("short password", "too short"),
        ("bad username", "not a valid username"),
        ("bad hq address", "not an http:// or https:// address"),
        ("no station id", "station_id"),
    ],
)
def test_a_rejected_answer_changes_nothing(
    checkpoint_home: Path, tmp_path: Path, case: str, expected: str
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    chosen = {
        "other signer": lambda: answers(bundle_file=other_signed_bundle(folder)),
        "tampered": lambda: answers(bundle_file=tampered_bundle(folder)),
        "expired": lambda: answers(
            bundle_file=other_signed_bundle(folder, created=datetime.now(UTC) - timedelta(days=40)),
            key_file=folder / "other.pub",
        ),
        "missing bundle": lambda: answers(bundle_file=folder / "other.zip"),
        "bad key": lambda: answers(key_file=DEMO_BUNDLE),
        "short password": lambda: answers(admin_password="short"),
        "bad username": lambda: answers(admin_username="Chief Officer!"),
        "bad hq address": lambda: answers(hq_url="ftp://hq"),
        "no station id": lambda: answers(station_id="  "),
    }[case]()
    before = snapshot(checkpoint_home)
    with pytest.raises(CheckpointError) as raised:
        apply(checkpoint_home, chosen)
    assert expected in str(raised.value)
    assert str(raised.value).count(". ") == 0  # one sentence
    assert snapshot(checkpoint_home) == before
    assert needs_setup(checkpoint_home)


def test_a_bundle_older_than_the_installed_list_is_refused_before_any_write(
    checkpoint_home: Path,
) -> None:
    """A home where the demo list went in by hand (no settings file): the same version again
    is refused, and the demo database is left plain and as it was."""
    assert install_demo_list(checkpoint_home, database_path(checkpoint_home))
    before = snapshot(checkpoint_home)
    with pytest.raises(WatchlistError, match="only newer versions are accepted"):
        apply(checkpoint_home, answers())
    assert snapshot(checkpoint_home) == before
    assert not has_accounts(checkpoint_home)


def test_lists_are_fetched_from_a_real_hq(checkpoint_home: Path, tmp_path: Path) -> None:
    offered = tmp_path / "offered"
    offered.mkdir()
    shutil.copy(DEMO_BUNDLE, offered / DEMO_BUNDLE.name)
    with running_hq(tmp_path, offered) as hq:
        outcome = apply(
            checkpoint_home,
            answers(bundle_file=None, hq_url=hq.url, hq_token=hq.token),
        )
    assert [(r.list_id, r.version) for r in outcome.imported] == [("DEMO", 1)]
    assert load_token(checkpoint_home) == hq.token
    assert load_settings(checkpoint_home).hq_url == hq.url
    actions = audit_actions(checkpoint_home)
    assert actions.index("watchlist.fetch") + 1 == actions.index("watchlist.import")


def test_a_wrong_token_or_an_unreachable_hq_changes_nothing(
    checkpoint_home: Path, tmp_path: Path
) -> None:
    offered = tmp_path / "offered"
    offered.mkdir()
    shutil.copy(DEMO_BUNDLE, offered / DEMO_BUNDLE.name)
    before = snapshot(checkpoint_home)
    with running_hq(tmp_path, offered) as hq, pytest.raises(CheckpointError, match="refused"):
        apply(checkpoint_home, answers(bundle_file=None, hq_url=hq.url, hq_token="wrong"))
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(CheckpointError, match="cannot be reached"):
        apply(checkpoint_home, answers(bundle_file=None, hq_url=nowhere, hq_token="a-token"))
    assert snapshot(checkpoint_home) == before


def test_fetching_needs_an_address_and_a_token(checkpoint_home: Path) -> None:
    with pytest.raises(FirstRunError, match="no HQ address"):
        apply(checkpoint_home, answers(bundle_file=None))
    with pytest.raises(FirstRunError, match="no station token"):
        apply(checkpoint_home, answers(bundle_file=None, hq_url="https://hq.example"))
    with pytest.raises(FirstRunError, match="not a station token"):
        apply(checkpoint_home, answers(hq_url="https://hq.example", hq_token="two words"))


def test_a_set_up_station_is_not_set_up_again(checkpoint_home: Path) -> None:
    apply(checkpoint_home, answers())
    with pytest.raises(FirstRunError, match="already set up"):
        apply(checkpoint_home, answers(admin_username="second"))


def test_skipping_records_the_demo_and_is_not_asked_again(checkpoint_home: Path) -> None:
    settings = skip_to_demo(checkpoint_home)
    assert settings.first_run == "demo"
    assert load_settings(checkpoint_home) == settings
    assert not needs_setup(checkpoint_home)


def test_a_settings_file_written_before_the_wizard_is_respected(checkpoint_home: Path) -> None:
    save_settings(checkpoint_home, Settings(camera="0"))
    assert not needs_setup(checkpoint_home)
    assert load_settings(checkpoint_home).first_run == "pending"
