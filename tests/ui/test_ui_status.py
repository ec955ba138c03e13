"""The status bar's facts, read as the desk reads them: lists, outbox, and HQ over real HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from checkpoint.storage import open_database
from checkpoint.sync import outbox
from checkpoint.sync.protocol import HEALTH_PATH
from checkpoint.ui.present import outbox_text
from checkpoint.ui.status import read_status

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


async def health_only(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An HQ that answers its health probe and nothing else."""
    assert scope["type"] == "http"
    status = 200 if scope["path"] == HEALTH_PATH else 404
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


@pytest.fixture
def hq_url() -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(health_only, log_level="error", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    assert not thread.is_alive()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "checkpoint.db"
    db = open_database(path)
    outbox.enqueue(db.conn, "hit", {"n": 1}, created=NOW)
    outbox.enqueue(db.conn, "decision", {"n": 2}, created=NOW)
    db.conn.close()
    return path


def test_status_with_hq_up(database: Path, hq_url: str) -> None:
    status = read_status(database, hq_url, NOW)
    assert status.hq is not None
    assert status.hq.reachable
    assert status.lists == ()
    assert status.outbox.pending == 2
    assert outbox_text(status.outbox) == "outbox 2 pending"


def test_status_with_hq_down(database: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    status = read_status(database, f"http://127.0.0.1:{port}", NOW)
    assert status.hq is not None
    assert not status.hq.reachable


def test_status_without_hq_and_an_old_backlog(database: Path) -> None:
    status = read_status(database, None, datetime(2026, 6, 1, 11, 0, tzinfo=UTC))
    assert status.hq is None
    assert outbox_text(status.outbox) == "outbox 2 pending (oldest 90 min)"
