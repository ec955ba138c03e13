"""Fetching watchlists from a real `checkpoint hq serve`: the full bundle and the deltas on it,
each verified like a file; up to date on the second fetch; refusals in sentences; audited."""

from __future__ import annotations

from pathlib import Path

from admin_helpers import (
    PEOPLE,
    OpenWindow,
    audit_rows,
    hq_serve,
    list_rows,
    make_bundle,
    make_key,
    person,
    settle,
    tamper,
)
from pytestqt.qtbot import QtBot

from checkpoint.config import Settings, save_settings
from checkpoint.storage import open_database
from checkpoint.sync.fetch import OfferedBundle, plan_fetch
from checkpoint.sync.station_token import save_token
from checkpoint.watchlist.keys import trust_key
from checkpoint.watchlist.store import list_statuses


def offer(version: int, base: int | None = None, list_id: str = "L") -> OfferedBundle:
    return OfferedBundle(
        list_id=list_id,
        name=list_id,
        version=version,
        base_version=base,
        created="",
        expires="",
        size=1,
        sha256="0" * 64,
        url=f"/v1/watchlists/{list_id}/{version}",
    )


def versions(plan: list[OfferedBundle]) -> list[tuple[str, int, int | None]]:
    return [(b.list_id, b.version, b.base_version) for b in plan]


def test_plan_takes_the_delta_chain_when_whole_else_the_newest_full_and_its_deltas() -> None:
    offers = [offer(1), offer(2, 1), offer(3, 2), offer(3), offer(4, 3), offer(1, list_id="M")]
    assert versions(plan_fetch(offers, {"L": 1, "M": 1})) == [("L", 2, 1), ("L", 3, 2), ("L", 4, 3)]
    assert versions(plan_fetch(offers, {})) == [("L", 3, None), ("L", 4, 3), ("M", 1, None)]
    # No delta from version 0 offered: the newest full bundle, then the delta built on it.
    assert versions(plan_fetch(offers, {"L": 0, "M": 1})) == [("L", 3, None), ("L", 4, 3)]
    assert plan_fetch(offers, {"L": 4, "M": 1}) == []
    # A chain that stops short of the newest version is not taken if a full one reaches further.
    assert versions(plan_fetch([offer(1), offer(2, 1), offer(3)], {"L": 1})) == [("L", 3, None)]


def test_fetch_from_hq_imports_the_full_bundle_and_the_delta_then_is_up_to_date(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    private, public = make_key(tmp_path / "keys")
    trust_key(checkpoint_home, public)
    with hq_serve(tmp_path / "hq") as hq:
        make_bundle(hq.bundles / "test-v1.zip", private, 1)
        newcomer = person("p4", "Olga Sorokina", dob="1980-01-02", nationality="UKR", seed=4)
        make_bundle(
            hq.bundles / "test-v2.zip",
            private,
            2,
            base=1,
            persons=(newcomer,),
            deleted=("p3",),
        )
        save_settings(checkpoint_home, Settings(hq_url=hq.url))
        save_token(checkpoint_home, hq.token)
        window = open_window()
        page = window.watchlists
        assert page is not None

        assert page.fetch()
        settle(qtbot, window)
        assert [(s.list_id, s.version) for s in page.lists.lists] == [("TEST", 2)]
        text = page.result.text()
        assert f"HQ at {hq.url} offers 2 bundle(s)." in text
        assert "Imported Test list (TEST) version 1, a full bundle." in text
        assert "Imported Test list (TEST) version 2, a delta bundle." in text
        assert "Version 2 is newer than version 1 installed." in text
        assert page.progress.value() == 100
        db = open_database(checkpoint_home / "checkpoint.db")
        try:
            (status,) = list_statuses(db)
            assert status.counts["persons"] == len(PEOPLE)  # p3 removed, p4 added
        finally:
            db.conn.close()

        page.fetch()
        settle(qtbot, window)
        assert "Every list is up to date: nothing was imported." in page.result.text()

    actions = [(r.action, r.subject) for r in audit_rows(checkpoint_home)]
    assert actions == [
        ("watchlist.import", "TEST"),
        ("watchlist.import", "TEST"),
        ("watchlist.fetch", hq.url),
        ("watchlist.fetch", hq.url),
    ]
    fetches = [r.details for r in audit_rows(checkpoint_home) if r.action == "watchlist.fetch"]
    assert fetches[0]["imported"] == ["TEST v1", "TEST v2"]
    assert fetches[1]["imported"] == []


def test_a_tampered_bundle_from_hq_is_refused_like_a_file(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    private, public = make_key(tmp_path / "keys")
    trust_key(checkpoint_home, public)
    with hq_serve(tmp_path / "hq") as hq:
        tamper(make_bundle(tmp_path / "v1.zip", private, 1), hq.bundles / "test-v1.zip")
        save_settings(checkpoint_home, Settings(hq_url=hq.url))
        save_token(checkpoint_home, hq.token)
        window = open_window()
        page = window.watchlists
        assert page is not None
        before = list_rows(checkpoint_home)
        page.fetch()
        settle(qtbot, window)

    assert "does not match its manifest" in str(page.last_outcome)
    assert "Nothing was changed" in page.result.text()
    assert list_rows(checkpoint_home) == before
    actions = [r.action for r in audit_rows(checkpoint_home)]
    assert actions == ["watchlist.import_rejected", "watchlist.fetch"]
    fetch = audit_rows(checkpoint_home)[-1]
    assert "does not match its manifest" in fetch.details["error"]


def test_a_wrong_token_or_no_address_is_said_in_one_sentence(
    tmp_path: Path, checkpoint_home: Path, qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    page = window.watchlists
    assert page is not None
    page.fetch()
    settle(qtbot, window)
    assert page.last_outcome == "No HQ address is set: enter it on the Settings page first."

    with hq_serve(tmp_path / "hq") as hq:
        save_settings(checkpoint_home, Settings(hq_url=hq.url))
        save_token(checkpoint_home, "not-the-token")
        page.fetch()
        settle(qtbot, window)
    assert str(page.last_outcome).startswith(f"HQ at {hq.url} refused this station's token (401)")
    assert [r.action for r in audit_rows(checkpoint_home)] == ["watchlist.fetch"]
