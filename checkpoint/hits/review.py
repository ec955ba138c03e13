"""A supervisor's review of a hit: an annotation, or an overturned decision with its reason.

A review is its own row in `hit_reviews`; the hit and the officer's decision are never
changed, so the log can always show what the officer decided and what the supervisor made of
it. Each review is written with its outbox item (kind "review") and its audit row in one
transaction: either HQ is owed it and the audit log shows it, or it did not happen.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from checkpoint import audit
from checkpoint.accounts.roles import Permission, Principal
from checkpoint.hits.model import HitError, Outcome
from checkpoint.storage.transaction import transaction
from checkpoint.sync import outbox

REVIEW_KIND = "review"


class ReviewKind(StrEnum):
    ANNOTATION = "annotation"
    OVERTURN = "overturn"


@dataclass(frozen=True)
class Review:
    id: str
    hit_id: str
    kind: ReviewKind
    outcome: Outcome | None
    """The outcome an overturn sets; None for an annotation."""
    reason: str
    note: str
    reviewed_at: datetime
    reviewed_by: str

    def to_json(self) -> dict[str, Any]:
        return {
            "review_id": self.id,
            "hit_id": self.hit_id,
            "kind": self.kind.value,
            "outcome": self.outcome.value if self.outcome else None,
            "reason": self.reason,
            "note": self.note,
            "reviewed_at": self.reviewed_at.isoformat(),
            "reviewed_by": self.reviewed_by,
        }


def review_key(review_id: str) -> str:
    """The outbox idempotency key of a review."""
    return f"review:{review_id}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def annotate(
    conn: sqlite3.Connection,
    principal: Principal,
    hit_id: str,
    note: str,
    *,
    now: datetime | None = None,
) -> Review:
    """Add a supervisor's note to a hit, whatever its state."""
    principal.require(Permission.REVIEW_HITS)
    note = note.strip()
    if not note:
        raise HitError("An annotation needs a note: write what the hit needs on record.")
    return _store(
        conn,
        principal,
        hit_id,
        kind=ReviewKind.ANNOTATION,
        outcome=None,
        reason="",
        note=note,
        now=now,
    )


def overturn(
    conn: sqlite3.Connection,
    principal: Principal,
    hit_id: str,
    outcome: Outcome,
    reason: str,
    *,
    note: str = "",
    now: datetime | None = None,
) -> Review:
    """Overturn the officer's decision on a hit: the hit's state becomes `outcome`.

    The officer's decision stays on record; the reason is required because HQ and the
    officer will ask why.
    """
    principal.require(Permission.REVIEW_HITS)
    outcome = Outcome(outcome)
    reason = reason.strip()
    if not reason:
        raise HitError("Overturning a decision needs a reason: say why the decision was wrong.")
    return _store(
        conn,
        principal,
        hit_id,
        kind=ReviewKind.OVERTURN,
        outcome=outcome,
        reason=reason,
        note=note.strip(),
        now=now,
    )


def _store(
    conn: sqlite3.Connection,
    principal: Principal,
    hit_id: str,
    *,
    kind: ReviewKind,
    outcome: Outcome | None,
    reason: str,
    note: str,
    now: datetime | None,
) -> Review:
    review = Review(
        id=uuid.uuid4().hex,
        hit_id=hit_id,
        kind=kind,
        outcome=outcome,
        reason=reason,
        note=note,
        reviewed_at=now or datetime.now(UTC),
        reviewed_by=principal.username,
    )
    with transaction(conn, savepoint="review"):
        row = conn.execute(
            "SELECT h.station, l.outcome, l.state FROM hit_records h "
            "JOIN hit_log l ON l.hit_id = h.id WHERE h.id = ?",
            (hit_id,),
        ).fetchone()
        if row is None:
            raise HitError(f"There is no hit {hit_id}: check the hit's identifier.")
        station, decided, state = row
        if kind is ReviewKind.OVERTURN:
            assert outcome is not None
            if decided is None:
                raise HitError(
                    f"Hit {hit_id} has no decision to overturn yet: "
                    "wait for the officer's decision or annotate it."
                )
            if state == outcome.value:
                raise HitError(
                    f"Hit {hit_id} is already {state}: choose the other outcome to overturn it."
                )
        conn.execute(
            "INSERT INTO hit_reviews (id, hit_id, kind, outcome, reason, note, reviewed_at, "
            "reviewed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                review.id,
                hit_id,
                kind.value,
                outcome.value if outcome else None,
                reason,
                note,
                _stamp(review.reviewed_at),
                principal.username,
            ),
        )
        payload = {**review.to_json(), "station": station, "officer_decision": decided}
        outbox.enqueue(
            conn, REVIEW_KIND, payload, key=review_key(review.id), created=review.reviewed_at
        )
        details: dict[str, Any] = {"review_id": review.id}
        if kind is ReviewKind.OVERTURN:
            details.update({"from": state, "to": outcome.value if outcome else None})
            details["reason"] = reason
        action = "hit.overturn" if kind is ReviewKind.OVERTURN else "hit.annotate"
        audit.record(conn, principal, action, hit_id, details, at=review.reviewed_at)
    return review


def reviews_of(conn: sqlite3.Connection, hit_id: str) -> list[Review]:
    """A hit's reviews, oldest first."""
    rows = conn.execute(
        "SELECT id, hit_id, kind, outcome, reason, note, reviewed_at, reviewed_by "
        "FROM hit_reviews WHERE hit_id = ? ORDER BY reviewed_at, rowid",
        (hit_id,),
    ).fetchall()
    return [
        Review(
            id=row[0],
            hit_id=row[1],
            kind=ReviewKind(row[2]),
            outcome=Outcome(row[3]) if row[3] else None,
            reason=row[4],
            note=row[5],
            reviewed_at=datetime.fromisoformat(row[6]),
            reviewed_by=row[7],
        )
        for row in rows
    ]
