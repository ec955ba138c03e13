"""The issue's demonstration on a real encrypted station: every action done outside the
window appears in the audit log, `checkpoint audit verify` passes, and it fails naming the
row after that row is edited in the file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import new_hit, raw
from cli_process import run_cli as run

from checkpoint.accounts.roles import Role
from checkpoint.accounts.store import (
    AccountError,
    change_password,
    change_role,
    create_first_administrator,
    create_user,
    login,
    reset_password,
    set_disabled,
)
from checkpoint.audit import list_entries
from checkpoint.audit.retention import purge
from checkpoint.commands.session import PASSWORD_ENV
from checkpoint.config import change_settings, load_settings
from checkpoint.hits.model import Outcome
from checkpoint.hits.query import HitFilter, HitSort
from checkpoint.hits.report import export_csv
from checkpoint.hits.review import annotate, overturn
from checkpoint.hits.store import decide, record_hit
from checkpoint.watchlist.bundle import build_bundle
from checkpoint.watchlist.keys import (
    generate_key_pair,
    load_private_key,
    revoke_key_audited,
    trust_key_audited,
)
from checkpoint.watchlist.model import Person, PersonName

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple in the stable"
EXPECTED = {
    "login",
    "login.failed",
    "user.create",
    "user.disable",
    "user.enable",
    "user.password_reset",
    "user.password_change",
    "user.role_change",
    "hit.decide",
    "hit.annotate",
    "hit.overturn",
    "hits.export",
    "key.trust",
    "key.revoke",
    "watchlist.import",
    "watchlist.import_rejected",
    "settings.change",
    "retention.purge",
    "audit.verify",
}


def bundle(private: Path, version: int) -> Path:
    out = private.with_name(f"list-v{version}.bundle")
    build_bundle(
        out,
        key=load_private_key(private),
        list_id="TEST",
        version=version,
        persons=(Person("p1", (PersonName("Anna Maria Eriksson", "primary"),)),),
        created=datetime.now(UTC),
        valid_for=timedelta(days=30),
    )
    return out


def test_every_action_is_in_the_log_which_verifies_until_a_row_is_edited(
    checkpoint_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = checkpoint_home
    settings = load_settings(home)
    create_first_administrator(home, "ada", PASSWORD)
    with pytest.raises(AccountError):
        login(home, "ada", "not the password at all", settings)
    ada = login(home, "ada", PASSWORD, settings)
    create_user(ada, "omar", PASSWORD, Role.OFFICER)
    create_user(ada, "sofia", PASSWORD, Role.OFFICER)
    change_role(ada, "sofia", Role.SUPERVISOR)
    set_disabled(ada, "omar", True)
    set_disabled(ada, "omar", False)
    reset_password(ada, "omar", NEW_PASSWORD)
    omar = login(home, "omar", NEW_PASSWORD, settings)
    change_password(omar, NEW_PASSWORD, PASSWORD)
    sofia = login(home, "sofia", PASSWORD, settings)

    db = omar.open_database()
    try:
        hit = record_hit(db.conn, new_hit(datetime.now(UTC)))
        decide(db.conn, hit.id, Outcome.CONFIRMED, user="omar", actor=omar.principal)
        annotate(db.conn, sofia.principal, hit.id, "Passport seen, photo differs.")
        overturn(db.conn, sofia.principal, hit.id, Outcome.DISMISSED, "different person")
        export_csv(db.conn, sofia.principal, HitFilter(), HitSort(), tmp_path / "hits.csv")
    finally:
        db.conn.close()

    private, public = generate_key_pair(tmp_path / "hq")
    key = trust_key_audited(ada, public)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert run("--user", "ada", "watchlist", "import", str(bundle(private, 2)))[0] == 0
    assert run("--user", "ada", "watchlist", "import", str(bundle(private, 1)))[0] == 1
    revoke_key_audited(ada, key.key_id)
    change_settings(ada, settings.model_copy(update={"station_id": "BORDER-07"}))
    purge(ada, settings.retention)

    code, out, err = run("--user", "ada", "audit", "verify")
    assert (code, err) == (0, "")
    assert out.startswith("audit log intact: ")

    db = ada.open_database()
    try:
        entries = list_entries(db.conn)
    finally:
        db.conn.close()
    assert {entry.action for entry in entries} >= EXPECTED
    decided = next(entry for entry in entries if entry.action == "hit.decide")
    assert (decided.actor, decided.role, decided.subject) == ("omar", "officer", hit.id)

    with raw(ada) as conn:
        conn.execute("UPDATE audit_log SET actor = 'sofia' WHERE seq = ?", (decided.seq,))
    code, out, _ = run("--user", "ada", "audit", "verify")
    assert code == 1
    assert out == f"row {decided.seq} was edited: its contents do not match its hash.\n"
