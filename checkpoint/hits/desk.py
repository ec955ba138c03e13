"""The desk: screen each capture, merge frames of one traveller, record each new hit once.

This is what the CLI's `scan`, the GUI's camera worker and the benchmarks drive: `Desk.process`
runs the screening pipeline, lets the traveller's session decide which hits are new, and
records those (hit, evidence, outbox item) in one transaction. Building one with `open_desk`
loads the readers and the lists in force from the station's home folder.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from checkpoint.config import Settings
from checkpoint.hits.model import Hit
from checkpoint.hits.raising import new_hits
from checkpoint.hits.store import record_hits
from checkpoint.paths import database_path
from checkpoint.screening.context import ScreeningContext, ScreeningPolicy, open_context
from checkpoint.screening.model import Capture, ScreeningResult
from checkpoint.screening.pipeline import screen
from checkpoint.screening.session import DeskSessions, Observation
from checkpoint.storage import DatabaseWriter, open_database


@dataclass(frozen=True)
class Processed:
    """One capture at the desk: its screening result and the hits it recorded first."""

    result: ScreeningResult
    observation: Observation
    recorded: tuple[Hit, ...]


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

    def process(self, capture: Capture) -> Processed:
        result = screen(capture, self.context)
        observation = self.sessions.observe(result)
        recorded: list[Hit] = []
        if self.record and observation.new_hits:
            pending = new_hits(
                capture,
                result,
                observation.new_hits,
                station=self.context.station,
                officer=self.context.officer,
            )
            if self.writer is None:
                recorded = record_hits(self.context.db.conn, pending)
            else:
                recorded = self.writer.submit(lambda db: record_hits(db.conn, pending)).result()
        return Processed(result, observation, tuple(recorded))

    def close(self) -> None:
        self.context.db.conn.close()


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
