"""Helpers of the first-run tests: the demo key and list, home snapshots, a real HQ."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import uvicorn

from checkpoint.commands.gui import DEMO_LISTS
from checkpoint.firstrun import Answers
from checkpoint.sync.hq.app import create_app
from checkpoint.sync.hq.auth import new_token, token_hash
from checkpoint.sync.hq.store import open_store
from checkpoint.watchlist.bundle import build_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key
from checkpoint.watchlist.model import DocumentAlert

DEMO_KEY = DEMO_LISTS / "DEMO-ONLY-signing-key.pub"
DEMO_BUNDLE = DEMO_LISTS / "demo-list-v1.zip"
PASSWORD = "correct horse battery"


def answers(**changes: object) -> Answers:
    fields: dict[str, object] = {
        "station_id": "BORDER-7",
        "admin_username": "chief",
        "admin_password": PASSWORD,
        "key_file": DEMO_KEY,
        "bundle_file": DEMO_BUNDLE,
        "camera": "demo",
    }
    fields.update(changes)
    return Answers(**fields)  # type: ignore[arg-type]


def snapshot(home: Path) -> dict[str, str]:
    """Every file under `home` with the SHA-256 of its bytes: equal snapshots, equal homes."""
    return {
        str(path.relative_to(home)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(home.rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class Hq:
    url: str
    token: str


@contextmanager
def running_hq(folder: Path, bundles: Path, station: str = "BORDER-7") -> Iterator[Hq]:
    """The reference HQ on 127.0.0.1 offering the bundles in `bundles` to one station."""
    store = open_store(folder / "hq.db")
    token = new_token()
    store.add_token(station, token_hash(token))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(store, bundles), log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        assert server.started, "HQ did not start"
        yield Hq(f"http://127.0.0.1:{port}", token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()
        assert not thread.is_alive(), "HQ did not stop"


def other_signed_bundle(folder: Path, created: datetime | None = None) -> Path:
    """A one-alert list signed by a key of its own (`other.pub` beside it)."""
    private, _ = generate_key_pair(folder / "other")
    bundle = folder / "other.zip"
    alert = DocumentAlert("A1", "X1234567", "UTO", "P", "stolen")
    key = load_private_key(private)
    build_bundle(bundle, key=key, list_id="OTHER", version=1, alerts=[alert], created=created)
    return bundle
