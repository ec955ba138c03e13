"""Sending the outbox to HQ: batches, at least once, with backoff, across restarts.

An item is marked sent only after HQ has answered for it, so a crash, a cut connection or a
timeout at any moment leaves it pending and it is sent again; HQ de-duplicates on the
idempotency key, so every item takes effect exactly once. What HQ's answer means:

- 2xx: per-item results; `accepted` and `duplicate` are sent, `rejected` failed permanently.
- 408, 429, 5xx, timeouts and connection errors: the whole batch stays pending and is retried
  after a capped exponential backoff with full jitter, or after `Retry-After` when HQ gives
  one; while HQ is unreachable the uploader probes `/v1/health` instead of resending batches.
- 401/403: the station's token is wrong; nothing is the items' fault, so they stay pending
  (the attempt is recorded) and the run stops with a message for the administrator.
- Any other 4xx: the batch is split in halves until the items HQ refuses are alone; those
  fail permanently (the error is recorded, they are not retried forever) and the rest go on.

Every attempt's outcome is written to the outbox (attempt count, last error). Database work
goes through a `DatabaseRunner`, so the same uploader runs on its own connection (the CLI)
or through the application's single writer thread (the GUI).
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import ValidationError

from checkpoint.errors import CheckpointError
from checkpoint.storage import DatabaseWriter
from checkpoint.sync import outbox
from checkpoint.sync.backoff import Backoff, BackoffPolicy, parse_retry_after
from checkpoint.sync.outbox import OutboxItem, OutboxState, Outcome
from checkpoint.sync.probe import describe, probe
from checkpoint.sync.protocol import ITEMS_PATH, STATION_HEADER, ItemsResponse

log = logging.getLogger("checkpoint.sync")

T = TypeVar("T")


class DatabaseRunner(Protocol):
    """Runs a job against the station database and returns its result."""

    def __call__(self, job: Callable[[sqlite3.Connection], T], /) -> T: ...


def on_connection(connection: sqlite3.Connection) -> DatabaseRunner:
    """Run jobs directly on a connection this thread owns (the `checkpoint sync` command)."""

    def run(job: Callable[[sqlite3.Connection], T], /) -> T:
        return job(connection)

    return run


def through_writer(writer: DatabaseWriter) -> DatabaseRunner:
    """Run jobs on the application's single writer thread and wait for them."""

    def run(job: Callable[[sqlite3.Connection], T], /) -> T:
        return writer.submit(lambda db: job(db.conn)).result()

    return run


class SyncError(CheckpointError):
    """Uploading stopped for a reason outside Checkpoint."""


class HqUnavailableError(SyncError):
    """HQ could not be reached or could not take the items now; they stay queued."""


class StationRefusedError(SyncError):
    """HQ does not accept this station's token."""


@dataclass(frozen=True)
class UploaderSettings:
    batch_size: int = 100
    timeout: float = 15.0
    backoff: BackoffPolicy = field(default_factory=BackoffPolicy)
    # How often an idle uploader looks for new items nobody told it about.
    idle_interval: float = 30.0
    # Never wait longer than this for a Retry-After, whatever HQ asks.
    max_retry_after: float = 3600.0


@dataclass(frozen=True)
class Trouble:
    """Why a drain stopped with items still pending."""

    message: str
    reachable: bool
    refused: bool = False
    retry_after: float | None = None


@dataclass(frozen=True)
class DrainReport:
    sent: int = 0
    duplicates: int = 0
    failed: int = 0
    trouble: Trouble | None = None


@dataclass(frozen=True)
class _Batch:
    outcomes: list[Outcome]
    duplicates: int = 0
    trouble: Trouble | None = None


def _wire(item: OutboxItem) -> dict[str, Any]:
    return {
        "idempotency_key": item.idempotency_key,
        "kind": item.kind,
        "created": item.created.isoformat(),
        "payload": dict(item.payload),
    }


def _hq_error(response: httpx.Response) -> str:
    try:
        message = response.json().get("error")
    except (ValueError, AttributeError):
        message = None
    text = str(message) if message else response.reason_phrase or "no reason given"
    return f"HQ answered {response.status_code}: {text}"


class Uploader:
    """Drains the outbox to HQ; `run()` keeps doing so until `stop()`."""

    def __init__(
        self,
        database: DatabaseRunner,
        hq_url: str,
        token: str,
        settings: UploaderSettings | None = None,
        *,
        station_id: str | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], object] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or UploaderSettings()
        self.hq_url = hq_url.rstrip("/")
        self._database = database
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._sleep = sleep or self._stop.wait
        self._backoff = Backoff(self.settings.backoff, rng or random.Random())
        headers = {"Authorization": f"Bearer {token}", "User-Agent": "checkpoint-station"}
        if station_id:
            # Lets HQ refuse a token that was copied to the wrong station.
            headers[STATION_HEADER] = station_id
        self._client = httpx.Client(
            base_url=self.hq_url,
            timeout=self.settings.timeout,
            headers=headers,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Uploader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def notify(self) -> None:
        """New items were queued: send them now rather than at the next idle check."""
        self._wake.set()

    def stop(self) -> None:
        """Ask `run()` to return after the request in flight (whose items stay pending)."""
        self._stop.set()
        self._wake.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def drain(self) -> DrainReport:
        """Send pending items batch by batch until none is left or HQ cannot take more now."""
        sent = duplicates = failed = 0
        while not self._stop.is_set():
            batch = self._database(lambda c: outbox.pending(c, self.settings.batch_size))
            if not batch:
                break
            result = self._send(batch)
            self._database(partial(outbox.record_attempt, outcomes=result.outcomes))
            sent += sum(o.state is OutboxState.SENT for o in result.outcomes)
            failed += sum(o.state is OutboxState.FAILED for o in result.outcomes)
            duplicates += result.duplicates
            if result.trouble is not None:
                log.info("upload paused: %s", result.trouble.message)
                return DrainReport(sent, duplicates, failed, result.trouble)
        return DrainReport(sent, duplicates, failed)

    def drain_or_raise(self) -> DrainReport:
        """`drain()`, raising a one-sentence error when it had to stop with items pending."""
        report = self.drain()
        if report.trouble is None:
            return report
        raise self.error_for(report.trouble)

    def error_for(self, trouble: Trouble) -> SyncError:
        """The one-sentence error that tells the user why sending stopped."""
        if trouble.refused:
            return StationRefusedError(
                f"HQ at {self.hq_url} refused this station ({trouble.message}): ask HQ for a "
                "new station token; the items stay queued."
            )
        if not trouble.reachable:
            return HqUnavailableError(
                f"HQ at {self.hq_url} is unreachable ({trouble.message}): the items stay "
                "queued; run `checkpoint sync` again when the network is back."
            )
        return HqUnavailableError(
            f"HQ at {self.hq_url} cannot take the items now ({trouble.message}): they stay "
            "queued; try again later."
        )

    def run(self, on_report: Callable[[DrainReport], None] | None = None) -> None:
        """Keep the outbox drained until `stop()`: wait when idle, back off and probe on trouble.

        `on_report` hears about every drain that sent something or ran into trouble.
        """
        while not self._stop.is_set():
            try:
                report = self.drain()
            except sqlite3.OperationalError as exc:
                # Locked past the busy timeout, disk full: the station's trouble, not HQ's.
                # Nothing was lost (the items are still pending); try again later.
                log.warning("the outbox could not be read or updated: %s", exc)
                self._sleep(self._backoff.failed())
                continue
            trouble = report.trouble
            if on_report is not None and (report.sent or report.failed or trouble):
                on_report(report)
            if self._stop.is_set():
                break
            if trouble is None:
                self._backoff.succeeded()
                self._wake.wait(self.settings.idle_interval)
                self._wake.clear()
                continue
            if trouble.retry_after is not None:
                self._sleep(min(trouble.retry_after, self.settings.max_retry_after))
                continue
            if trouble.refused:
                log.error("HQ refused this station: %s", trouble.message)
                self._sleep(self.settings.backoff.cap)
                continue
            self._sleep(self._backoff.failed())
            if not trouble.reachable:
                self._wait_until_reachable()

    def _wait_until_reachable(self) -> None:
        while not self._stop.is_set():
            result = probe(self._client)
            if result.reachable:
                log.info("HQ at %s is reachable again", self.hq_url)
                return
            log.debug("HQ still unreachable: %s", result.detail)
            self._sleep(self._backoff.failed())

    def _send(self, items: Sequence[OutboxItem]) -> _Batch:
        body = json.dumps({"items": [_wire(item) for item in items]}, ensure_ascii=False)
        try:
            response = self._client.post(
                ITEMS_PATH, content=body.encode(), headers={"Content-Type": "application/json"}
            )
        except httpx.HTTPError as exc:
            return self._retry(items, Trouble(describe(exc), reachable=False))
        status = response.status_code
        if 200 <= status < 300:
            return self._results(items, response)
        message = _hq_error(response)
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            return self._retry(items, Trouble(message, reachable=True, retry_after=retry_after))
        if status in (401, 403):
            return self._retry(items, Trouble(message, reachable=True, refused=True))
        if status == 408 or status >= 500 or status < 400:
            return self._retry(items, Trouble(message, reachable=True))
        if len(items) == 1:
            return _Batch([Outcome(items[0].id, OutboxState.FAILED, message)])
        # HQ refused the batch as a whole: halve it until the refused items stand alone.
        middle = len(items) // 2
        first = self._send(items[:middle])
        if first.trouble is not None:
            return first
        second = self._send(items[middle:])
        return _Batch(
            first.outcomes + second.outcomes,
            first.duplicates + second.duplicates,
            second.trouble,
        )

    @staticmethod
    def _retry(items: Sequence[OutboxItem], trouble: Trouble) -> _Batch:
        return _Batch(
            [Outcome(item.id, OutboxState.PENDING, trouble.message) for item in items],
            trouble=trouble,
        )

    def _results(self, items: Sequence[OutboxItem], response: httpx.Response) -> _Batch:
        try:
            answer = ItemsResponse.model_validate_json(response.content)
        except ValidationError:
            return self._retry(items, Trouble("HQ's answer was not readable", reachable=True))
        if len(answer.results) != len(items) or any(
            result.idempotency_key != item.idempotency_key
            for result, item in zip(answer.results, items, strict=True)
            if result.status != "rejected"
        ):
            return self._retry(
                items, Trouble("HQ's answer did not match the batch sent", reachable=True)
            )
        outcomes: list[Outcome] = []
        duplicates = 0
        for item, result in zip(items, answer.results, strict=True):
            if result.status == "rejected":
                error = result.error or "HQ rejected the item"
                outcomes.append(Outcome(item.id, OutboxState.FAILED, error))
            else:
                duplicates += result.status == "duplicate"
                outcomes.append(Outcome(item.id, OutboxState.SENT))
        return _Batch(outcomes, duplicates)
