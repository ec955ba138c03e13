"""`checkpoint sync`, `checkpoint outbox` and `checkpoint hq ...` as a user runs them."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cli_process import free_port
from cli_process import run_cli as run
from sync_helpers import (
    Hq,
    queue_items,
    wait_until,
)

from checkpoint.config import Settings, save_settings
from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.sync import outbox
from checkpoint.sync.hq.auth import token_hash
from checkpoint.sync.hq.store import open_store
from checkpoint.sync.outbox import OutboxState, Outcome
from checkpoint.sync.station_token import save_token, token_path

REPO = Path(__file__).resolve().parents[2]


def test_sync_once_sends_everything_and_reports(hq: Hq, checkpoint_home: Path) -> None:
    keys = queue_items(database_path(checkpoint_home), 23)
    save_token(checkpoint_home, hq.token)
    save_settings(checkpoint_home, Settings.model_validate({"hq_url": hq.url}))
    code, out, err = run("sync", "--once", "--batch-size", "5")
    assert (code, err) == (0, "")
    assert out == "sent 23 item(s)\n"
    assert sorted(hq.store.keys(hq.station)) == sorted(keys)
    code, out, _ = run("outbox", "--json")
    assert json.loads(out) == {
        "pending": 0,
        "failed": 0,
        "sent": 23,
        "oldest_pending": None,
        "oldest_pending_age_seconds": None,
    }


def test_sync_once_with_hq_unreachable_exits_non_zero_with_one_sentence(
    checkpoint_home: Path,
) -> None:
    queue_items(database_path(checkpoint_home), 4)
    save_token(checkpoint_home, "cpst_whatever")
    url = f"http://127.0.0.1:{free_port()}"
    code, out, err = run("sync", "--once", "--hq", url)
    assert code == 1
    assert out == "sent 0 item(s)\n"
    assert err.startswith(f"checkpoint: HQ at {url} is unreachable (")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    db = open_database(database_path(checkpoint_home))
    state = outbox.summary(db.conn)
    [item, *_] = outbox.items(db.conn)
    db.conn.close()
    assert state.pending == 4
    assert item.attempts == 1
    assert item.last_error is not None


@pytest.mark.parametrize(
    ("setup", "expected"),
    [("no-url", "No HQ address is configured"), ("no-token", "has no HQ token")],
)
def test_sync_explains_missing_configuration(
    checkpoint_home: Path, setup: str, expected: str
) -> None:
    if setup == "no-token":
        save_settings(checkpoint_home, Settings.model_validate({"hq_url": "http://127.0.0.1:9"}))
    code, _, err = run("sync", "--once")
    assert code == 1
    assert expected in err
    assert err.count("\n") == 1


def test_set_token_stores_it_owner_only(
    checkpoint_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("cpst_abc123\n"))
    code, out, _ = run("sync", "--set-token")
    assert code == 0
    path = token_path(checkpoint_home)
    assert str(path) in out
    assert path.read_text() == "cpst_abc123\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_outbox_shows_counts_age_and_failures(checkpoint_home: Path) -> None:
    db = open_database(database_path(checkpoint_home))
    now = datetime.now(UTC)
    outbox.enqueue(db.conn, "hit", {"n": 1}, created=now - timedelta(hours=2, minutes=5))
    outbox.enqueue(db.conn, "decision", {"n": 2})
    bad = outbox.enqueue(db.conn, "review", {"n": 3}, key="review:9")
    outbox.record_attempt(db.conn, [Outcome(bad.id, OutboxState.FAILED, "HQ answered 400: no")])
    db.conn.close()
    code, out, _ = run("outbox")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("pending 2  (oldest queued 2 h 5 min ago)")
    assert lines[1:3] == ["failed  1", "sent    0"]
    assert lines[3] == "  failed review review:9: HQ answered 400: no"
    code, out, _ = run("outbox", "--json")
    document = json.loads(out)
    assert (document["pending"], document["failed"], document["sent"]) == (2, 1, 0)
    assert 2 * 3600 + 5 * 60 <= document["oldest_pending_age_seconds"] < 2 * 3600 + 10 * 60
    code, out, _ = run("outbox", "--retry-failed", "--json")
    assert json.loads(out.split("\n", 1)[1])["pending"] == 3


def test_hq_token_add_prints_a_token_stored_only_as_its_hash(tmp_path: Path) -> None:
    database = tmp_path / "hq.db"
    code, out, err = run("hq", "token", "add", "DESK-07", "--database", str(database))
    assert code == 0
    token = out.strip()
    assert token.startswith("cpst_")
    assert "shown once" in err
    store = open_store(database)
    try:
        assert store.station_for(token_hash(token)) == "DESK-07"
    finally:
        store.close()
    code, _, err = run("hq", "token", "add", "bad station!", "--database", str(database))
    assert code == 1
    assert "not a station identifier" in err


def test_hq_token_revoke_locks_the_station_out(hq: Hq, tmp_path: Path) -> None:
    database = tmp_path / "hq.db"  # the store behind the running `hq` fixture
    with httpx.Client(base_url=hq.url, headers={"Authorization": f"Bearer {hq.token}"}) as http:
        assert http.get("/v1/watchlists").status_code == 200
        code, out, _ = run("hq", "token", "revoke", hq.station, "--database", str(database))
        assert (code, out) == (0, f"revoked 1 token(s) of station {hq.station}\n")
        assert http.get("/v1/watchlists").status_code == 401
    code, _, err = run("hq", "token", "revoke", hq.station, "--database", str(database))
    assert code == 1
    assert "has no token" in err


@pytest.mark.slow
def test_hq_serve_runs_the_service_until_terminated(tmp_path: Path, checkpoint_home: Path) -> None:
    port = free_port()
    database = tmp_path / "served.db"
    assert run("hq", "token", "add", "DEMO-01", "--database", str(database))[0] == 0
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "checkpoint", "--home", str(checkpoint_home), "hq", "serve",
            "--port", str(port), "--database", str(database), "--bundles", str(bundles),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:

        def healthy() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                return False

        wait_until(healthy, timeout=60, what="hq serve")
        document = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert "/v1/items" in document["paths"]
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    # uvicorn shuts down cleanly, then re-raises SIGTERM so the exit status tells the truth.
    assert server.returncode in (0, -signal.SIGTERM), err
    assert "Finished server process" in err
