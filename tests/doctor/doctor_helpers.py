"""Helpers of the doctor tests: real signed bundles, a real HQ on 127.0.0.1, a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import uvicorn

from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.sync.hq.app import create_app
from checkpoint.sync.hq.auth import new_token, token_hash
from checkpoint.sync.hq.store import open_store
from checkpoint.watchlist.bundle import build_bundle, verify_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key, trust_key, trusted_keys
from checkpoint.watchlist.model import BirthDate, Person, PersonName
from checkpoint.watchlist.store import import_bundle


def listed_person() -> Person:
    return Person(
        entry_id="P1",
        names=(PersonName("Ivan Doctorov", "primary"),),
        birth_dates=(BirthDate.parse("1970-01-01"),),
        nationalities=("UTO",),
        sex="M",
        documents=(),
        templates=(),
        category="test",
        reason="listed for the test",
        action="Refer to second line.",
    )


def install_list(home: Path, keys: Path, *, created: datetime, valid_for: timedelta) -> None:
    """Trust a new key, sign a one-person list made at `created`, and import it for real."""
    private, public = generate_key_pair(keys / "hq")
    bundle = keys / "list.zip"
    build_bundle(
        bundle,
        key=load_private_key(private),
        list_id="TEST",
        version=1,
        persons=[listed_person()],
        created=created,
        valid_for=valid_for,
    )
    trust_key(home, public)
    content = verify_bundle(bundle, trusted_keys(home), now=created + timedelta(hours=1))
    db = open_database(database_path(home))
    try:
        import_bundle(db, content, signer_name="hq", now=created + timedelta(hours=1))
    finally:
        db.conn.close()


@contextmanager
def running_hq(folder: Path, station: str = "BORDER-7") -> Iterator[tuple[str, str]]:
    """The reference HQ service on 127.0.0.1 (a real uvicorn server) with a token issued
    for `station`; yields its address and that token."""
    store = open_store(folder / "hq.db")
    token = new_token()
    store.add_token(station, token_hash(token))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(create_app(store), log_level="error", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        assert server.started, "HQ did not start"
        yield f"http://127.0.0.1:{port}", token
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()
        assert not thread.is_alive(), "HQ did not stop"
