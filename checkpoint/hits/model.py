"""The values of a hit and its decision.

A hit keeps everything the officer was shown when it was raised (the findings with their
reasons, the traveller as read, the listed entry as the list then said, the list's version,
evidence images), because lists change and the hit must still explain itself years later. A
decision is a separate record: it never changes or removes the hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from checkpoint.errors import CheckpointError

DEFAULT_DISMISS_REASONS: tuple[str, ...] = (
    "different person (name only)",
    "different person (face only)",
    "different date of birth",
    "different nationality",
    "document checked: not the listed document",
    "known false match",
)
"""Why an officer may dismiss a hit, unless the station configures its own list."""


class HitError(CheckpointError):
    """A hit cannot be recorded or decided as asked."""


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    """The traveller is the listed person or the document: referred to second line."""
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Evidence:
    """One evidence image of a hit."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class NewHit:
    """A hit about to be recorded: the findings for one listed entry and their context."""

    created: datetime
    station: str
    officer: str
    source: str
    findings: tuple[dict[str, Any], ...]
    """The findings' JSON, strongest first; the first one names the hit."""
    traveller: dict[str, Any] | None
    evidence: tuple[Evidence, ...] = ()

    @property
    def primary(self) -> dict[str, Any]:
        return self.findings[0]


@dataclass(frozen=True)
class Decision:
    hit_id: str
    outcome: Outcome
    reason: str
    note: str
    decided_at: datetime
    decided_by: str

    @property
    def referred(self) -> bool:
        """Confirmed hits go to second line."""
        return self.outcome is Outcome.CONFIRMED

    def to_json(self) -> dict[str, Any]:
        return {
            "hit_id": self.hit_id,
            "outcome": self.outcome.value,
            "referred_to_second_line": self.referred,
            "reason": self.reason,
            "note": self.note,
            "decided_at": self.decided_at.isoformat(),
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True)
class Hit:
    """A recorded hit and, once the officer decided, the decision."""

    id: str
    created: datetime
    station: str
    officer: str
    source: str
    kind: str
    score: float
    reason: str
    list_id: str | None
    list_version: int | None
    list_stale: bool
    reference: str | None
    listed: dict[str, Any]
    traveller: dict[str, Any] | None
    findings: tuple[dict[str, Any], ...]
    evidence_names: tuple[str, ...]
    decision: Decision | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "hit_id": self.id,
            "created": self.created.isoformat(),
            "station": self.station,
            "officer": self.officer,
            "source": self.source,
            "kind": self.kind,
            "score": self.score,
            "reason": self.reason,
            "list_id": self.list_id,
            "list_version": self.list_version,
            "list_stale": self.list_stale,
            "reference": self.reference,
            "listed": self.listed,
            "traveller": self.traveller,
            "findings": list(self.findings),
            "evidence": list(self.evidence_names),
            "decision": self.decision.to_json() if self.decision else None,
        }
