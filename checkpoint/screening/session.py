"""Successive frames of one traveller, merged: the best MRZ read, the best face, hits once.

A camera sends many frames per second while the same passport lies on the desk; each is
screened on its own, but the desk must not raise the same hit twenty times. A
`TravellerSession` keys on the MRZ's document number and issuer, keeps the most confident
MRZ read and the best-quality face seen so far, and remembers which findings it has already
raised. `DeskSessions` starts a new session when another document appears; frames without a
readable MRZ belong to the traveller already at the desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checkpoint.documents.mrz.model import MrzRead
from checkpoint.faces.read import FaceRead
from checkpoint.screening.model import Finding, ScreeningResult, Traveller


def read_rank(read: MrzRead) -> tuple[bool, bool, float, int]:
    """Accepted reads first, then valid ones, then the more confident, then the one with
    fewer failed checks."""
    failed = sum(1 for check in read.checks.values() if not check.valid)
    return (read.accepted, read.valid, read.confidence, -failed)


@dataclass
class TravellerSession:
    """One traveller at the desk, across frames."""

    key: tuple[str, str] | None = None
    best_read: MrzRead | None = None
    best_face: FaceRead | None = None
    frames: int = 0
    raised: dict[tuple[str, str], tuple[Finding, ...]] = field(default_factory=dict)

    @property
    def traveller(self) -> Traveller | None:
        return Traveller.from_mrz(self.best_read.fields) if self.best_read else None

    def add(self, result: ScreeningResult) -> list[tuple[Finding, ...]]:
        """Merge one frame's result; return the hits (grouped by listed entry, as
        `ScreeningResult.hit_groups`) that this frame raises for the first time."""
        self.frames += 1
        if result.document.mrz is not None:
            read = result.document.mrz.read
            if self.best_read is None or read_rank(read) > read_rank(self.best_read):
                self.best_read = read
                self.key = document_key(read)
        subject = result.subject
        if subject is not None and (
            self.best_face is None or subject.quality.score > self.best_face.quality.score
        ):
            self.best_face = subject
        fresh = []
        for group in result.hit_groups():
            key = group[0].key
            if key not in self.raised:
                self.raised[key] = group
                fresh.append(group)
        return fresh


def document_key(read: MrzRead) -> tuple[str, str]:
    return (read.fields.document_number, read.fields.issuer)


@dataclass(frozen=True)
class Observation:
    """What one frame did at the desk: the session it joined and the hits it raised first."""

    session: TravellerSession
    new_hits: tuple[tuple[Finding, ...], ...]
    new_traveller: bool


class DeskSessions:
    """The traveller at the desk now; a different document starts a new session."""

    def __init__(self) -> None:
        self.current = TravellerSession()

    def observe(self, result: ScreeningResult) -> Observation:
        started = False
        mrz = result.document.mrz
        if mrz is not None and self._is_another_document(mrz.read):
            self.current = TravellerSession()
            started = True
        fresh = self.current.add(result)
        return Observation(self.current, tuple(fresh), started)

    def end(self) -> None:
        """The traveller has left the desk: the next frame starts afresh."""
        self.current = TravellerSession()

    def best_read_with(self, result: ScreeningResult) -> MrzRead | None:
        """The traveller's best read once `result` is observed, without observing it: what
        the desk shows while the rest of the frame is still being screened."""
        mrz = result.document.mrz
        best = self.current.best_read
        if mrz is None:
            return best
        if best is None or self._is_another_document(mrz.read):
            return mrz.read
        return mrz.read if read_rank(mrz.read) > read_rank(best) else best

    def _is_another_document(self, read: MrzRead) -> bool:
        session = self.current
        if session.key is None or session.best_read is None:
            return False
        # Only an accepted read (check digits agree, every character confident) can say for
        # sure that the document changed; a misread of the same passport must not split the
        # traveller in two.
        if not read.accepted or document_key(read) == session.key:
            return False
        if session.best_read.accepted:
            return True
        # The session knows the document only from misreads: the same holder's name and
        # birth date say the clean read is of the same document.
        known = session.best_read.fields
        return (read.fields.surname, read.fields.birth_date_raw) != (
            known.surname,
            known.birth_date_raw,
        )
