"""A real HQ on 127.0.0.1 for the sync tests, and the faults they inject into it.

`HqServer` runs the reference HQ on uvicorn in a thread on a port of its own. `FaultyHq` is
an ASGI middleware in front of it that answers `POST /v1/items` according to a plan (500,
429, slow answers, answers held back until released); `CutProxy` is a TCP proxy that cuts
connections in the middle of a request or just before the answer. The tests use them to
check that every local item ends up at HQ exactly once whatever the network does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from checkpoint.storage import open_database
from checkpoint.sync import outbox
from checkpoint.sync.hq.app import create_app
from checkpoint.sync.hq.auth import new_token, token_hash
from checkpoint.sync.hq.store import HqStore, open_store
from checkpoint.sync.protocol import ITEMS_PATH

Scope = dict[str, Any]
POSTGRES_ENV = "CHECKPOINT_TEST_POSTGRES_URL"
STORES = ["sqlite", "postgres"]


@contextlib.contextmanager
def no_threads_left() -> Iterator[None]:
    """Fail a test that leaves a thread running (servers, proxies, uploaders must stop)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert not left, f"threads left running: {[t.name for t in left]}"


def wait_until(condition: Any, timeout: float = 20.0, what: str = "condition") -> None:
    """Poll until `condition()` is true; fail the test (not hang it) when it never is."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class HqServer:
    """uvicorn serving `app` in a thread on 127.0.0.1:`port` (0 = any free port)."""

    def __init__(self, app: Any, port: int = 0) -> None:
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))
        self.port = int(self._socket.getsockname()[1])
        config = uvicorn.Config(app, log_level="error", lifespan="off", timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        wait_until(lambda: self._server.started or not self._thread.is_alive(), what="HQ")
        assert self._server.started, "HQ did not start"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
        assert not self._thread.is_alive(), "HQ did not stop"


@dataclass
class FaultyHq:
    """ASGI middleware: the next `POST /v1/items` requests get the faults in `plan`.

    Faults: ("500",), ("429", retry_after), ("slow", seconds) (stored, then answered late),
    ("hold",) (stored, then answered only after `release` is set), ("reject-with", key)
    (a 400 for any batch that contains `key`, persistent).
    """

    app: Any
    plan: deque[tuple[Any, ...]] = field(default_factory=deque)
    poison: set[str] = field(default_factory=set)
    posts: int = 0
    stored: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != ITEMS_PATH:
            await self.app(scope, receive, send)
            return
        self.posts += 1
        if self.poison:
            body = await _read_body(receive)
            if any(key.encode() in body for key in self.poison):
                await _respond(send, 400, b'{"error": "a poisoned item"}')
                return
            receive = _replay(body)
        fault = self.plan.popleft() if self.plan else ("pass",)
        if fault[0] == "500":
            await _respond(send, 500, b"Internal Server Error", content_type=b"text/plain")
            return
        if fault[0] == "429":
            headers = [(b"retry-after", str(fault[1]).encode())]
            await _respond(send, 429, b'{"error": "slow down"}', headers)
            return
        if fault[0] in ("slow", "hold"):
            held: list[Any] = []

            async def keep(message: Any) -> None:
                held.append(message)

            await self.app(scope, receive, keep)
            self.stored.set()
            if fault[0] == "slow":
                await asyncio.sleep(fault[1])
            else:
                await asyncio.to_thread(self.release.wait, 30)
            for message in held:
                await send(message)
            return
        await self.app(scope, receive, send)


async def _read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Any:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _respond(
    send: Any,
    status: int,
    body: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
    content_type: bytes = b"application/json",
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


class CutProxy:
    """A TCP proxy to `target_port` that cuts the next `POST`s according to `plan`.

    "request": forwards only part of the request, then cuts (HQ never gets it); "answer":
    forwards the whole request, then cuts instead of relaying the answer (HQ stored the
    items but the station never hears so). Other requests (probes) and later POSTs pass.
    """

    def __init__(self, target_port: int, plan: list[str]) -> None:
        self.target_port = target_port
        self.plan = deque(plan)
        self.cuts = 0
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = int(self._listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closed = False
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                if self._closed:
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            mode = {"now": "pass"}
            self._spawn(self._pump_request, client, upstream, mode)
            self._spawn(self._pump_answer, upstream, client, mode)

    def _spawn(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _cut(self, *sockets: socket.socket) -> None:
        self.cuts += 1
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _pump_request(
        self, source: socket.socket, target: socket.socket, mode: dict[str, str]
    ) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if data.startswith(b"POST "):
                    mode["now"] = self.plan.popleft() if self.plan else "pass"
                    if mode["now"] == "request":
                        target.sendall(data[: len(data) // 2])
                        self._cut(source, target)
                        return
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def _pump_answer(
        self, source: socket.socket, target: socket.socket, mode: dict[str, str]
    ) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if mode["now"] == "answer":
                    self._cut(source, target)
                    return
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            sockets = list(self._sockets)
        # close() alone does not wake a thread blocked in accept(); shutdown() does.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._accepting.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in sockets:
            sock.close()


@dataclass
class Hq:
    """A running reference HQ with one registered station, and its fault injector."""

    store: HqStore
    server: HqServer
    faults: FaultyHq
    token: str
    station: str

    @property
    def url(self) -> str:
        return self.server.url


@contextlib.contextmanager
def running_hq(
    store: HqStore,
    *,
    port: int = 0,
    bundles: Path | None = None,
    station: str = "DEMO-01",
    token: str | None = None,
) -> Iterator[Hq]:
    """HQ on `store`; registers a new token for `station` unless `token` (registered) is given."""
    if token is None:
        token = register_station(store, station)
    faults = FaultyHq(create_app(store, bundles))
    server = HqServer(faults, port)
    try:
        yield Hq(store, server, faults, token, station)
    finally:
        faults.release.set()
        server.stop()


def register_station(store: HqStore, station: str = "DEMO-01") -> str:
    token = new_token()
    store.add_token(station, token_hash(token))
    return token


@contextlib.contextmanager
def store_on(kind: str, tmp_path: Path) -> Iterator[HqStore]:
    """A fresh HQ store: SQLite in `tmp_path`, or a private schema of the test PostgreSQL."""
    if kind == "sqlite":
        store = open_store(tmp_path / "hq.db")
        try:
            yield store
        finally:
            store.close()
        return
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (run .ci/postgres.sh)")
    import psycopg  # noqa: PLC0415

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    store = open_store(f"{url}{separator}options=-csearch_path%3D{schema}")
    try:
        yield store
    finally:
        store.close()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def queue_items(database: Path, count: int, kind: str = "hit") -> list[str]:
    """Queue `count` items in the station database; return their idempotency keys."""
    db = open_database(database)
    try:
        keys = []
        db.conn.execute("BEGIN")
        for number in range(count):
            item = outbox.enqueue(db.conn, kind, {"number": number, "name": f"TRAVELLER {number}"})
            keys.append(item.idempotency_key)
        db.conn.execute("COMMIT")
        return keys
    finally:
        db.conn.close()
