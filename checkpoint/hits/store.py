"""Recording hits and decisions: repository functions over the station database.

Each write puts the hit (or decision) and its outbox item in one transaction, so a hit can
never be stored without being owed to HQ, nor queued without being stored; a failure part way
leaves nothing. When the caller already holds a transaction, these join it through a
savepoint. A decision is its own row: deciding never changes or deletes the hit, and a hit is
decided once (a later review is a separate record, not an overwrite). Evidence images live in
the database, not beside it, so they are inside the same transaction and the same backup.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from checkpoint import audit
from checkpoint.accounts.roles import Principal, Role
from checkpoint.hits.model import (
    DEFAULT_DISMISS_REASONS,
    Decision,
    Evidence,
    Hit,
    HitError,
    NewHit,
    Outcome,
)
from checkpoint.storage.transaction import transaction
from checkpoint.sync import outbox

HIT_KIND = "hit"
DECISION_KIND = "decision"


def hit_key(hit_id: str) -> str:
    """The outbox idempotency key of a hit."""
    return f"hit:{hit_id}"


def decision_key(hit_id: str) -> str:
    return f"decision:{hit_id}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def evidence_json(item: Evidence) -> dict[str, Any]:
    return {
        "name": item.name,
        "media_type": item.media_type,
        "sha256": hashlib.sha256(item.data).hexdigest(),
        "data_base64": base64.b64encode(item.data).decode("ascii"),
    }


def record_hits(conn: sqlite3.Connection, new_hits: Sequence[NewHit]) -> list[Hit]:
    """Store hits, their evidence and their outbox items, all or nothing."""
    recorded = []
    with transaction(conn, savepoint="hits"):
        for new in new_hits:
            recorded.append(_insert_hit(conn, new))
    return recorded


def record_hit(conn: sqlite3.Connection, new: NewHit) -> Hit:
    """Store one hit, its evidence and its outbox item in one transaction."""
    return record_hits(conn, [new])[0]


def _insert_hit(conn: sqlite3.Connection, new: NewHit) -> Hit:
    if not new.findings:
        raise ValueError("a hit needs at least one finding")
    primary = new.primary
    hit_id = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO hit_records (id, created, station, officer, kind, score, reason, list_id, "
        "list_version, list_stale, reference, listed, traveller, findings, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            hit_id,
            _stamp(new.created),
            new.station,
            new.officer,
            primary["kind"],
            float(primary["score"]),
            primary["reason"],
            primary.get("list_id"),
            primary.get("list_version"),
            int(bool(primary.get("stale"))),
            primary.get("reference"),
            _text(primary.get("listed") or {}),
            _text(new.traveller),
            _text(list(new.findings)),
            new.source,
        ),
    )
    conn.executemany(
        "INSERT INTO hit_evidence (hit_id, name, media_type, data) VALUES (?, ?, ?, ?)",
        [(hit_id, e.name, e.media_type, e.data) for e in new.evidence],
    )
    hit = Hit(
        id=hit_id,
        created=new.created,
        station=new.station,
        officer=new.officer,
        source=new.source,
        kind=primary["kind"],
        score=float(primary["score"]),
        reason=primary["reason"],
        list_id=primary.get("list_id"),
        list_version=primary.get("list_version"),
        list_stale=bool(primary.get("stale")),
        reference=primary.get("reference"),
        listed=dict(primary.get("listed") or {}),
        traveller=new.traveller,
        findings=tuple(new.findings),
        evidence_names=tuple(e.name for e in new.evidence),
    )
    payload = {**hit.to_json(), "evidence": [evidence_json(e) for e in new.evidence]}
    del payload["decision"]
    outbox.enqueue(conn, HIT_KIND, payload, key=hit_key(hit_id), created=new.created)
    return hit


def decide(
    conn: sqlite3.Connection,
    hit_id: str,
    outcome: Outcome,
    *,
    user: str,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
    reasons: Sequence[str] = DEFAULT_DISMISS_REASONS,
    actor: Principal | None = None,
) -> Decision:
    """Record the officer's decision on a hit, queue it for HQ and audit it (`hit.decide`
    by `actor`), in one transaction.

    A dismissal needs a reason from `reasons` (the station's configured list); `note` is free
    text either way. A hit is decided once. Without `actor` (callers that know only a name)
    the audit row names `user` as an officer.
    """
    outcome = Outcome(outcome)
    reason = reason.strip()
    if outcome is Outcome.DISMISSED and reason not in reasons:
        choices = "; ".join(reasons)
        raise HitError(
            f"'{reason}' is not a reason to dismiss a hit: choose one of: {choices}."
            if reason
            else f"Dismissing a hit needs a reason: choose one of: {choices}."
        )
    if not user.strip():
        raise HitError("A decision needs the deciding officer's user name: log in first.")
    decision = Decision(
        hit_id=hit_id,
        outcome=outcome,
        reason=reason,
        note=note.strip(),
        decided_at=now or datetime.now(UTC),
        decided_by=user,
    )
    owns_transaction = not conn.in_transaction
    with transaction(conn, savepoint="hits"):
        row = conn.execute(
            "SELECT h.station, d.outcome, d.decided_by, d.decided_at FROM hit_records h "
            "LEFT JOIN hit_decisions d ON d.hit_id = h.id WHERE h.id = ?",
            (hit_id,),
        ).fetchone()
        if row is None:
            raise HitError(f"There is no hit {hit_id}: check the hit's identifier.")
        if row[1] is not None:
            raise HitError(
                f"Hit {hit_id} was already {row[1]} by {row[2]} at {row[3]}: "
                "a supervisor's review can revise it."
            )
        conn.execute(
            "INSERT INTO hit_decisions (hit_id, outcome, reason, note, decided_at, decided_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                hit_id,
                outcome.value,
                decision.reason,
                decision.note,
                _stamp(decision.decided_at),
                user,
            ),
        )
        outbox.enqueue(
            conn,
            DECISION_KIND,
            {**decision.to_json(), "station": row[0]},
            key=decision_key(hit_id),
            created=decision.decided_at,
        )
        audit.record(
            conn,
            actor or Principal(user, Role.OFFICER),
            "hit.decide",
            hit_id,
            {"outcome": outcome.value, "reason": decision.reason, "decided_by": user},
            at=decision.decided_at,
        )
    if owns_transaction:
        audit.publish_head(conn)
    return decision


_HIT_COLUMNS = (
    "h.id, h.created, h.station, h.officer, h.source, h.kind, h.score, h.reason, h.list_id, "
    "h.list_version, h.list_stale, h.reference, h.listed, h.traveller, h.findings, "
    "d.outcome, d.reason, d.note, d.decided_at, d.decided_by, "
    "(SELECT group_concat(name, char(9)) FROM hit_evidence e WHERE e.hit_id = h.id)"
)
_HIT_FROM = "FROM hit_records h LEFT JOIN hit_decisions d ON d.hit_id = h.id"


def _hit(row: Sequence[Any]) -> Hit:
    decision = None
    if row[15] is not None:
        decision = Decision(
            hit_id=row[0],
            outcome=Outcome(row[15]),
            reason=row[16],
            note=row[17],
            decided_at=datetime.fromisoformat(row[18]),
            decided_by=row[19],
        )
    return Hit(
        id=row[0],
        created=datetime.fromisoformat(row[1]),
        station=row[2],
        officer=row[3],
        source=row[4],
        kind=row[5],
        score=float(row[6]),
        reason=row[7],
        list_id=row[8],
        list_version=row[9],
        list_stale=bool(row[10]),
        reference=row[11],
        listed=json.loads(row[12]),
        traveller=json.loads(row[13]),
        findings=tuple(json.loads(row[14])),
        evidence_names=tuple(sorted(row[20].split("\t"))) if row[20] else (),
        decision=decision,
    )


def get_hit(conn: sqlite3.Connection, hit_id: str) -> Hit | None:
    row = conn.execute(f"SELECT {_HIT_COLUMNS} {_HIT_FROM} WHERE h.id = ?", (hit_id,)).fetchone()
    return None if row is None else _hit(row)


def list_hits(
    conn: sqlite3.Connection, *, undecided_only: bool = False, limit: int = 100
) -> list[Hit]:
    """Hits, newest first; with `undecided_only`, those still waiting for the officer."""
    where = "WHERE d.hit_id IS NULL" if undecided_only else ""
    rows = conn.execute(
        f"SELECT {_HIT_COLUMNS} {_HIT_FROM} {where} ORDER BY h.created DESC, h.rowid DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [_hit(row) for row in rows]


def get_evidence(conn: sqlite3.Connection, hit_id: str, name: str) -> Evidence | None:
    row = conn.execute(
        "SELECT name, media_type, data FROM hit_evidence WHERE hit_id = ? AND name = ?",
        (hit_id, name),
    ).fetchone()
    return None if row is None else Evidence(row[0], row[1], bytes(row[2]))
