"""The desk: screen each capture, merge frames of one traveller, record each new hit once.

This is what the CLI's `scan`, the GUI's camera worker and the benchmarks drive: `Desk.process`
runs the screening pipeline, lets the traveller's session decide which hits are new, and
records those (hit, evidence, outbox item) in one transaction. Building one with `open_desk`
loads the readers and the lists in force from the station's home folder.
"""

from __future__ import annotations

import functools
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

    @property
    def document_lane(self) -> DocumentLane | None:
        """A second process that only checks documents, or None."""
        ...

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
        self.document_lane: DocumentLane | None = None

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

    def check_document(self, capture: Capture) -> DocumentChecked:
        """Only the document of `capture`, read and checked against the lists."""
        result = screen_document(capture, self.context).result
        mrz = result.document.mrz
        return DocumentChecked(result, mrz.read if mrz is not None else None)

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

    With `document_lane`, a second process only checks documents (see `DocumentLane`).
    Creating one starts the processes and waits until their readers are loaded; run it off the
    GUI thread. `factory` must be picklable: `functools.partial(station_desk, ...)`.
    """

    def __init__(
        self, factory: Callable[[], Desk], writer: DatabaseWriter, *, document_lane: bool = True
    ) -> None:
        self.screening = ScreeningProcess(factory, wait=False)
        self.document_lane: DocumentLane | None = None
        try:
            if document_lane:
                self.document_lane = DocumentLane(factory, wait=False)
                self.document_lane.screening.wait_ready()
            self.screening.wait_ready()
        except BaseException:
            self.close()
            raise
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
        if self.document_lane is not None:
            self.document_lane.close()


class DocumentChecker:
    """What the document lane's process serves: a desk that only checks documents."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def screen(self, capture: Capture, on_document: OnDocument | None = None) -> DocumentChecked:
        return self.desk.check_document(capture)

    def end_traveller(self) -> None:
        pass

    def close(self) -> None:
        self.desk.close()


def document_checker(factory: Callable[[], Desk]) -> DocumentChecker:
    return DocumentChecker(factory())


class DocumentLane:
    """Document and list checks in a second process, so a new traveller's document is shown
    while the desk's screening process is still searching the faces of an earlier frame (the
    longer part of screening). It records nothing: hits are raised by the desk's full
    screening of a frame, with their face evidence.
    """

    def __init__(self, factory: Callable[[], Desk], *, wait: bool = True) -> None:
        self.screening = ScreeningProcess(functools.partial(document_checker, factory), wait=wait)

    def check(self, capture: Capture) -> DocumentChecked:
        checked = self.screening.screen(capture)
        if not isinstance(checked, DocumentChecked):
            raise TypeError(f"the document lane answered {type(checked).__name__}")
        return checked

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
