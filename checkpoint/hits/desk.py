"""The desk: screen each capture, merge frames of one traveller, record each new hit once.

This is what the CLI's `scan`, the GUI's camera worker and the benchmarks drive: `Desk.process`
runs the screening pipeline, lets the traveller's session decide which hits are new, and
records those (hit, evidence, outbox item) in one transaction. Building one with `open_desk`
loads the readers and the lists in force from the station's home folder.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from checkpoint.config import Settings
from checkpoint.documents.mrz.model import MrzRead
from checkpoint.hits.model import Hit, NewHit
from checkpoint.hits.raising import new_hits
from checkpoint.hits.store import record_hits
from checkpoint.paths import database_path
from checkpoint.screening.context import ScreeningContext, ScreeningPolicy, open_context
from checkpoint.screening.model import Capture, ScreeningResult
from checkpoint.screening.pipeline import screen_document, screen_faces
from checkpoint.screening.process import ScreeningProcess
from checkpoint.screening.session import DeskSessions, Observation
from checkpoint.storage import DatabaseWriter, open_database


@dataclass(frozen=True)
class DocumentChecked:
    """A capture screened as far as its document: shown while its faces are being read.

    `result` holds the document and list checks only; `best_read` is the traveller's best
    MRZ read with this frame's. A face hit may still follow in the capture's `Processed`.
    """

    result: ScreeningResult
    best_read: MrzRead | None


OnDocument = Callable[[DocumentChecked], None]


@dataclass(frozen=True)
class Raised:
    """One capture screened: its result, the session it joined, and its new hits, not yet
    recorded (so the screening may run in another process and the station's writer record)."""

    result: ScreeningResult
    observation: Observation
    pending: tuple[NewHit, ...]


@dataclass(frozen=True)
class Processed:
    """One capture at the desk: its screening result and the hits it recorded first."""

    result: ScreeningResult
    observation: Observation
    recorded: tuple[Hit, ...]


class ScreeningDesk(Protocol):
    """What the desk window drives: a `Desk` here, or one in a screening process."""

    def process(self, capture: Capture, on_document: OnDocument | None = None) -> Processed: ...

    def end_traveller(self) -> None: ...

    def close(self) -> None: ...


class Desk:
    """Screens captures against one context and records new hits in its database."""

    def __init__(
        self,
        context: ScreeningContext,
        *,
        record: bool = True,
        writer: DatabaseWriter | None = None,
    ) -> None:
        """With `writer`, hits are written by the station's single writer thread (the GUI);
        without, on the context's own connection (the CLI, tests, benchmarks)."""
        self.context = context
        self.sessions = DeskSessions()
        self.record = record
        self.writer = writer

    def screen(self, capture: Capture, on_document: OnDocument | None = None) -> Raised:
        """Screen `capture` and say which hits it raises first, recording nothing.

        `on_document` is called as soon as the document is checked, before the slower face
        search: the officer sees the document and list checks first.
        """
        stage = screen_document(capture, self.context)
        if on_document is not None:
            on_document(DocumentChecked(stage.result, self.sessions.best_read_with(stage.result)))
        result = screen_faces(stage, self.context)
        observation = self.sessions.observe(result)
        pending: list[NewHit] = []
        if self.record and observation.new_hits:
            pending = new_hits(
                capture,
                result,
                observation.new_hits,
                station=self.context.station,
                officer=self.context.officer,
            )
        return Raised(result, observation, tuple(pending))

    def process(self, capture: Capture, on_document: OnDocument | None = None) -> Processed:
        raised = self.screen(capture, on_document)
        return Processed(
            raised.result, raised.observation, tuple(record_raised(raised, self.writer, self))
        )

    def end_traveller(self) -> None:
        """The traveller has left the desk: the next capture starts a new session."""
        self.sessions.end()

    def close(self) -> None:
        self.context.db.conn.close()


def record_raised(raised: Raised, writer: DatabaseWriter | None, desk: Desk | None) -> list[Hit]:
    """Record the new hits of `raised` through `writer`, or else on `desk`'s connection."""
    if not raised.pending:
        return []
    pending = list(raised.pending)
    if writer is not None:
        return writer.submit(lambda db: record_hits(db.conn, pending)).result()
    if desk is None:
        raise ValueError("recording needs the station's writer or a desk's connection")
    return record_hits(desk.context.db.conn, pending)


class ProcessDesk:
    """A desk whose screening runs in a process of its own (see `checkpoint.screening.process`),
    its new hits recorded here by the station's writer: the same hits, one writer.

    Creating one starts the process and waits until its readers are loaded; run it off the
    GUI thread. `factory` must be picklable: `functools.partial(station_desk, ...)`.
    """

    def __init__(self, factory: Callable[[], Desk], writer: DatabaseWriter) -> None:
        self.screening = ScreeningProcess(factory)
        self.writer = writer

    def process(self, capture: Capture, on_document: OnDocument | None = None) -> Processed:
        raised = self.screening.screen(capture, on_document)
        if not isinstance(raised, Raised):
            raise TypeError(f"the screening process answered {type(raised).__name__}")
        recorded = record_raised(raised, self.writer, None)
        return Processed(raised.result, raised.observation, tuple(recorded))

    def end_traveller(self) -> None:
        self.screening.end_traveller()

    def close(self) -> None:
        self.screening.close()


def station_desk(
    database: Path, key: str | None, *, station: str, officer: str, policy: ScreeningPolicy
) -> Desk:
    """A desk over the (already migrated) station database, readers loaded: what the
    screening process builds. Module-level, so a `functools.partial` of it pickles."""
    db = open_database(database, key, migrate_schema=False)
    try:
        context = open_context(db, station=station, officer=officer, policy=policy)
    except BaseException:
        db.conn.close()
        raise
    return Desk(context)


def default_officer() -> str:
    """The officer when none is named: the operating system's login name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "officer"


def policy_from(settings: Settings) -> ScreeningPolicy:
    screening = settings.screening
    return ScreeningPolicy(
        name_threshold=screening.name_hit_threshold,
        face_target_fpir=screening.face_target_false_match_rate,
    )


def open_desk(home: Path, settings: Settings, *, officer: str, key: str | None = None) -> Desk:
    """A desk over the station database in `home` (created if absent), readers loaded;
    `key` opens an encrypted station's database (a `StationSession`'s)."""
    db = open_database(database_path(home), key)
    try:
        context = open_context(
            db, station=settings.station_id, officer=officer, policy=policy_from(settings)
        )
    except BaseException:
        db.conn.close()
        raise
    return Desk(context)
