"""The actions outside the window are audited in the same transaction as the action itself:
hit decisions, watchlist imports, trusted keys added and revoked, settings changed in code.
A refused action leaves no row; a failed audit row leaves no action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from audit_helpers import NOW, OFFICER, new_hit, raw, station

from checkpoint.accounts.roles import PermissionDeniedError, Principal, Role
from checkpoint.accounts.session import StationSession
from checkpoint.audit import AuditEntry, list_entries, verify
from checkpoint.config import Settings, change_settings, load_settings
from checkpoint.hits.model import Outcome
from checkpoint.hits.store import decide, get_hit, record_hit
from checkpoint.watchlist.bundle import build_bundle, verify_bundle
from checkpoint.watchlist.keys import (
    generate_key_pair,
    load_private_key,
    revoke_key_audited,
    trust_key_audited,
    trusted_keys,
)
from checkpoint.watchlist.model import Person, PersonName, WatchlistError
from checkpoint.watchlist.store import import_bundle, list_status


def entries(session: StationSession, action: str | None = None) -> list[AuditEntry]:
    db = session.open_database()
    try:
        assert verify(db.conn).ok
        return list_entries(db.conn, action=action)
    finally:
        db.conn.close()


def fail_audit_writes(session: StationSession) -> None:
    """Make the next audit row fail inside SQLite, after the action's own writes."""
    with raw(session) as conn:
        conn.execute(
            "CREATE TRIGGER audit_down BEFORE INSERT ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )


@pytest.fixture
def session(checkpoint_home: Path) -> StationSession:
    made = station(checkpoint_home, "plain")
    made.open_database().conn.close()
    return made


def test_a_decision_without_a_principal_is_audited_under_the_officers_name(
    session: StationSession,
) -> None:
    db = session.open_database()
    try:
        hit = record_hit(db.conn, new_hit())
        decide(db.conn, hit.id, Outcome.CONFIRMED, user="omar", now=NOW)
    finally:
        db.conn.close()
    [row] = entries(session)
    assert (row.action, row.subject, row.actor, row.role) == (
        "hit.decide",
        hit.id,
        "omar",
        "officer",
    )
    assert row.details == {"outcome": "confirmed", "reason": "", "decided_by": "omar"}


def test_a_decision_whose_audit_row_fails_is_not_recorded(session: StationSession) -> None:
    db = session.open_database()
    try:
        hit = record_hit(db.conn, new_hit())
    finally:
        db.conn.close()
    fail_audit_writes(session)
    db = session.open_database()
    try:
        with pytest.raises(Exception, match="disk full"):
            decide(db.conn, hit.id, Outcome.CONFIRMED, user="omar", now=NOW, actor=OFFICER)
        stored = get_hit(db.conn, hit.id)
    finally:
        db.conn.close()
    assert stored is not None
    assert stored.decision is None


@pytest.fixture
def hq(tmp_path: Path) -> tuple[Path, Path]:
    """HQ's signing key pair: (private, public)."""
    return generate_key_pair(tmp_path / "hq")


def make_bundle(private: Path, version: int) -> Path:
    out = private.with_name(f"v{version}.bundle")
    build_bundle(
        out,
        key=load_private_key(private),
        list_id="TEST",
        version=version,
        persons=(
            Person(
                entry_id="p1",
                names=(PersonName("Anna Maria Eriksson", "primary"),),
                category="test",
                reason="listed for the test",
                action="Refer to second line.",
            ),
        ),
        created=datetime.now(UTC),
        valid_for=timedelta(days=30),
    )
    return out


def test_keys_trusted_and_revoked_and_a_list_imported_are_audited(
    session: StationSession, hq: tuple[Path, Path]
) -> None:
    bundle = make_bundle(hq[0], 1)
    key = trust_key_audited(session, hq[1])
    content = verify_bundle(bundle, trusted_keys(session.home))
    db = session.open_database()
    try:
        import_bundle(db, content, signer_name=key.name, actor=session.principal)
        assert list_status(db, "TEST") is not None
    finally:
        db.conn.close()
    revoke_key_audited(session, key.key_id)

    rows = entries(session)
    assert [(r.action, r.subject) for r in rows] == [
        ("key.trust", key.key_id),
        ("watchlist.import", "TEST"),
        ("key.revoke", key.key_id),
    ]
    assert rows[1].details["version"] == 1
    assert rows[1].details["bundle_sha256"] == content.sha256
    assert trusted_keys(session.home) == {}


def test_a_revoke_of_an_unknown_key_and_a_refused_import_leave_no_row(
    session: StationSession, hq: tuple[Path, Path]
) -> None:
    bundle = make_bundle(hq[0], 1)
    trust_key_audited(session, hq[1])
    content = verify_bundle(bundle, trusted_keys(session.home))
    db = session.open_database()
    try:
        import_bundle(db, content, signer_name="hq", actor=session.principal)
        with pytest.raises(WatchlistError, match="only newer versions"):
            import_bundle(db, content, signer_name="hq", actor=session.principal)
    finally:
        db.conn.close()
    with pytest.raises(WatchlistError, match="does not trust a key"):
        revoke_key_audited(session, "0123456789abcdef")
    assert [r.action for r in entries(session)] == ["key.trust", "watchlist.import"]


def test_an_officer_may_not_trust_keys(checkpoint_home: Path, hq: tuple[Path, Path]) -> None:
    officer = StationSession(checkpoint_home, Principal("omar", Role.OFFICER))
    with pytest.raises(PermissionDeniedError):
        trust_key_audited(officer, hq[1])
    assert trusted_keys(checkpoint_home) == {}


def test_settings_changed_in_code_are_saved_and_audited_field_by_field(
    session: StationSession,
) -> None:
    old = load_settings(session.home)
    new = old.model_copy(
        update={
            "station_id": "BORDER-07",
            "retention": old.retention.model_copy(update={"audit_days": 1095}),
        }
    )
    changes = change_settings(session, new)
    assert change_settings(session, new) == {}

    assert load_settings(session.home) == new
    expected = {"station_id": ["DEMO-01", "BORDER-07"], "retention.audit_days": [2555, 1095]}
    assert changes == expected
    [row] = entries(session, "settings")
    assert (row.action, row.actor, row.details) == (
        "settings.change",
        "demo",
        {"changes": expected},
    )


def test_settings_whose_audit_row_fails_are_not_saved(session: StationSession) -> None:
    fail_audit_writes(session)
    new = Settings(station_id="BORDER-07")
    with pytest.raises(Exception, match="disk full"):
        change_settings(session, new)
    assert load_settings(session.home).station_id == "DEMO-01"
    assert not (session.home / "settings.json").exists()


def test_an_officer_may_not_change_settings(checkpoint_home: Path) -> None:
    officer = StationSession(checkpoint_home, Principal("omar", Role.OFFICER))
    with pytest.raises(PermissionDeniedError):
        change_settings(officer, Settings(station_id="BORDER-07"))
    assert load_settings(checkpoint_home).station_id == "DEMO-01"
