"""The uploader against a real HQ on 127.0.0.1 while the network and HQ misbehave.

After every fault the same promise is checked: every item queued at the station is at HQ
exactly once, and the station knows it (nothing pending, nothing failed). Each test also
checks that its fault really happened (a delivery counted twice, a wait recorded), so it
cannot pass by accident. Backoff is shrunk to milliseconds through the settings; no test
sleeps for seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_process import free_port
from sync_helpers import (
    STORES,
    CutProxy,
    Hq,
    queue_items,
    register_station,
    running_hq,
    store_on,
    wait_until,
)

from checkpoint.paths import database_path
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.sync import outbox
from checkpoint.sync.backoff import BackoffPolicy
from checkpoint.sync.hq.store import HqStore
from checkpoint.sync.outbox import OutboxState
from checkpoint.sync.station_token import save_token
from checkpoint.sync.uploader import (
    HqUnavailableError,
    StationRefusedError,
    Uploader,
    UploaderSettings,
    on_connection,
    through_writer,
)

REPO = Path(__file__).resolve().parents[2]
FAST = UploaderSettings(
    batch_size=10,
    timeout=2.0,
    backoff=BackoffPolicy(base=0.005, cap=0.02),
    idle_interval=0.05,
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


class Station:
    """An uploader on the station database, with a recording, instantly-returning sleep."""

    def __init__(
        self, database: Path, url: str, token: str, settings: UploaderSettings = FAST
    ) -> None:
        self.db = open_database(database)
        self.waits: list[float] = []
        self._woken = threading.Event()
        self.uploader = Uploader(
            on_connection(self.db.conn), url, token, settings, sleep=self._sleep
        )
        self._thread: threading.Thread | None = None

    def _sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        # Never really wait long: Retry-After values are recorded, not served in full.
        self._woken.wait(min(seconds, 0.02))

    def start(self) -> None:
        self._thread = threading.Thread(target=self.uploader.run, name="test-uploader")
        self._thread.start()

    def stop(self) -> None:
        self.uploader.stop()
        self._woken.set()
        if self._thread is not None:
            self._thread.join(timeout=20)
            assert not self._thread.is_alive(), "the uploader did not stop"
        self.uploader.close()
        self.db.conn.close()


@pytest.fixture
def station_factory() -> Iterator[Callable[..., Station]]:
    made: list[Station] = []

    def make(database: Path, url: str, token: str, settings: UploaderSettings = FAST) -> Station:
        station = Station(database, url, token, settings)
        made.append(station)
        return station

    yield make
    for station in made:
        station.stop()


def pending_count(database: Path) -> int:
    db = open_database(database)
    try:
        return outbox.summary(db.conn).pending
    finally:
        db.conn.close()


def assert_exactly_once(
    database: Path, store: HqStore, keys: list[str], station: str = "DEMO-01"
) -> None:
    db = open_database(database)
    try:
        state = outbox.summary(db.conn)
        local = [item.idempotency_key for item in outbox.items(db.conn, limit=len(keys) + 10)]
    finally:
        db.conn.close()
    assert (state.pending, state.failed, state.sent) == (0, 0, len(keys))
    assert sorted(local) == sorted(keys)
    at_hq = store.keys(station)
    assert len(at_hq) == len(set(at_hq))
    assert sorted(at_hq) == sorted(keys)


def drain_in_background(station: Station, database: Path) -> None:
    station.start()
    wait_until(lambda: pending_count(database) == 0, what="the outbox to drain")


@pytest.mark.parametrize("kind", STORES)
def test_hq_down_for_a_while_then_back(
    kind: str, tmp_path: Path, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 35)
    port = free_port()
    with store_on(kind, tmp_path) as store:
        token = register_station(store)
        station = station_factory(database, f"http://127.0.0.1:{port}", token)
        station.start()
        # While HQ is away the uploader backs off and probes; nothing is lost or marked sent.
        wait_until(lambda: len(station.waits) >= 5, what="probes while HQ is down")
        assert pending_count(database) == 35
        with running_hq(store, port=port, token=token):
            wait_until(lambda: pending_count(database) == 0, what="the outbox to drain")
            station.stop()
        assert_exactly_once(database, store, keys)
        assert max(station.waits) <= FAST.backoff.cap
        first = open_database(database)
        try:
            [oldest] = outbox.items(first.conn, limit=1)
        finally:
            first.conn.close()
        assert oldest.attempts == 2
        assert oldest.last_error is None


def test_hq_answering_500_is_retried(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 25)
    hq.faults.plan.extend([("500",), ("500",), ("500",)])
    station = station_factory(database, hq.url, hq.token)
    report = station.uploader.drain()
    assert report.trouble is not None
    assert report.trouble.reachable
    assert report.sent == 0
    db = open_database(database)
    [first] = outbox.items(db.conn, limit=1)
    db.conn.close()
    assert first.state is OutboxState.PENDING
    assert first.attempts == 1
    assert first.last_error == "HQ answered 500: Internal Server Error"
    drain_in_background(station, database)
    station.stop()
    assert_exactly_once(database, hq.store, keys)
    assert hq.faults.posts == 3 + 3  # three refused, then three batches


def test_429_waits_as_long_as_hq_asks(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 12)
    hq.faults.plan.extend([("429", 7), ("429", 120)])
    station = station_factory(database, hq.url, hq.token)
    drain_in_background(station, database)
    station.stop()
    assert_exactly_once(database, hq.store, keys)
    assert station.waits[:2] == [7.0, 120.0]


def test_answers_slower_than_the_timeout_are_resent_and_deduplicated(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 20)
    hq.faults.plan.append(("slow", 1.5))
    settings = UploaderSettings(
        batch_size=10, timeout=0.3, backoff=FAST.backoff, idle_interval=FAST.idle_interval
    )
    station = station_factory(database, hq.url, hq.token, settings)
    drain_in_background(station, database)
    station.stop()
    assert_exactly_once(database, hq.store, keys)
    # The first batch reached HQ twice (the timed-out delivery and the retry), kept once.
    deliveries = hq.store.deliveries(hq.station)
    assert sorted(deliveries[k] for k in keys[:10]) == [2] * 10
    assert sorted(deliveries[k] for k in keys[10:]) == [1] * 10


def test_connections_cut_mid_request_and_before_the_answer(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 30)
    proxy = CutProxy(hq.server.port, ["answer", "request", "answer", "request"])
    try:
        station = station_factory(database, proxy.url, hq.token)
        drain_in_background(station, database)
        station.stop()
    finally:
        proxy.close()
    assert proxy.cuts >= 4
    assert_exactly_once(database, hq.store, keys)
    deliveries = hq.store.deliveries(hq.station)
    assert max(deliveries.values()) == 3  # the first batch: two answers lost, third kept
    assert sum(deliveries.values()) == 30 + 10 + 10


def test_the_same_batch_sent_again_takes_effect_once(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 15)
    station = station_factory(database, hq.url, hq.token)
    assert station.uploader.drain().sent == 15
    # As if the station database were restored from a backup taken before the upload.
    station.db.conn.execute("UPDATE outbox SET state = 'pending'")
    again = station.uploader.drain()
    assert (again.sent, again.duplicates) == (15, 15)
    assert_exactly_once(database, hq.store, keys)
    assert set(hq.store.deliveries(hq.station).values()) == {2}


@pytest.mark.slow
def test_client_killed_during_an_upload_resends_after_restart(
    hq: Hq, checkpoint_home: Path
) -> None:
    database = database_path(checkpoint_home)
    keys = queue_items(database, 25)
    save_token(checkpoint_home, hq.token)
    hq.faults.plan.append(("hold",))
    command = [sys.executable, "-m", "checkpoint", "--home", str(checkpoint_home), "sync"]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    worker = subprocess.Popen(
        [*command, "--hq", hq.url, "--batch-size", "10"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert hq.faults.stored.wait(60), "the first batch never reached HQ"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    hq.faults.release.set()
    assert len(hq.store.keys(hq.station)) == 10
    assert pending_count(database) == 25  # the station never heard back: all still owed

    # Restarted, the station resends the batch HQ never confirmed; HQ keeps it once.
    again = subprocess.Popen(
        [*command, "--hq", hq.url, "--batch-size", "10"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(lambda: pending_count(database) == 0, timeout=60, what="the restarted sync")
    finally:
        again.send_signal(signal.SIGTERM)
        out, err = again.communicate(timeout=30)
    assert again.returncode == 0, err
    assert "sent 25 item(s) (10 were already at HQ)" in out
    assert_exactly_once(database, hq.store, keys)


def test_a_locked_station_database_delays_but_loses_nothing(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 10)
    station = station_factory(database, hq.url, hq.token)
    station.db.conn.execute("PRAGMA busy_timeout = 20")
    blocker = open_database(database)
    blocker.conn.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a while
    try:
        station.start()
        # HQ got the batch, but the station cannot record the answer yet.
        wait_until(lambda: hq.faults.posts >= 2, what="the uploader to retry")
        assert pending_count(database) == 10
    finally:
        blocker.conn.execute("ROLLBACK")
        blocker.conn.close()
    wait_until(lambda: pending_count(database) == 0, what="the outbox to drain")
    station.stop()
    assert_exactly_once(database, hq.store, keys)
    assert min(hq.store.deliveries(hq.station).values()) >= 2


def test_an_item_hq_refuses_fails_alone_and_the_rest_goes_through(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    keys = queue_items(database, 19)
    db = open_database(database)
    poison = outbox.enqueue(db.conn, "hit", {"n": "poison"}, key="poison-key")
    invalid = outbox.enqueue(db.conn, "Not A Kind", {"n": "invalid"}, key="invalid-kind")
    keys += [outbox.enqueue(db.conn, "review", {"n": n}).idempotency_key for n in range(5)]
    db.conn.close()
    hq.faults.poison.add("poison-key")
    station = station_factory(database, hq.url, hq.token)
    report = station.uploader.drain()
    assert report.trouble is None
    assert (report.sent, report.failed) == (24, 2)
    state = outbox.summary(station.db.conn)
    assert (state.pending, state.failed, state.sent) == (0, 2, 24)
    refused = outbox.get(station.db.conn, poison.idempotency_key)
    rejected = outbox.get(station.db.conn, invalid.idempotency_key)
    assert refused is not None
    assert rejected is not None
    assert refused.state is OutboxState.FAILED
    assert refused.last_error == "HQ answered 400: a poisoned item"
    assert rejected.state is OutboxState.FAILED
    assert rejected.last_error is not None
    assert "invalid" in rejected.last_error
    assert sorted(hq.store.keys(hq.station)) == sorted(keys)
    # A second drain does not retry the refused items.
    posts = hq.faults.posts
    assert station.uploader.drain().sent == 0
    assert hq.faults.posts == posts


def test_a_refused_token_keeps_items_queued(
    hq: Hq, database: Path, station_factory: Callable[..., Station]
) -> None:
    queue_items(database, 3)
    station = station_factory(database, hq.url, "cpst_wrong")
    with pytest.raises(StationRefusedError, match="refused this station"):
        station.uploader.drain_or_raise()
    [item, *_] = outbox.items(station.db.conn)
    assert item.state is OutboxState.PENDING
    assert item.attempts == 1
    assert item.last_error is not None
    assert "401" in item.last_error
    assert hq.store.keys(hq.station) == []


def test_a_token_copied_to_another_station_is_refused(hq: Hq, database: Path) -> None:
    queue_items(database, 2)
    db = open_database(database)
    try:
        with Uploader(
            on_connection(db.conn), hq.url, hq.token, FAST, station_id="DESK-99"
        ) as uploader:
            with pytest.raises(
                StationRefusedError, match="belongs to station DEMO-01, not DESK-99"
            ):
                uploader.drain_or_raise()
            assert outbox.summary(db.conn).pending == 2
    finally:
        db.conn.close()
    assert hq.store.keys(hq.station) == []


def test_unreachable_hq_is_one_sentence(
    database: Path, station_factory: Callable[..., Station]
) -> None:
    queue_items(database, 2)
    station = station_factory(database, f"http://127.0.0.1:{free_port()}", "cpst_x")
    with pytest.raises(HqUnavailableError) as raised:
        station.uploader.drain_or_raise()
    message = str(raised.value)
    assert "unreachable" in message
    assert message.count(". ") == 0
    assert message.endswith(".")


def test_uploading_through_the_single_writer_thread(hq: Hq, database: Path) -> None:
    keys = queue_items(database, 12)
    with (
        DatabaseWriter(database) as writer,
        Uploader(through_writer(writer), hq.url, hq.token, FAST) as uploader,
    ):
        report = uploader.drain()
    assert report.sent == 12
    assert_exactly_once(database, hq.store, keys)
