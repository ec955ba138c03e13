"""What the desk shows, as plain rows: the traveller's fields and marks, findings and hits.

Kept free of Qt so the wording can be checked without a window; the Qt models in
`checkpoint.ui.models` only lay these rows out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from checkpoint.documents.mrz.model import MrzRead
from checkpoint.hits.model import Hit
from checkpoint.screening.model import Finding, Severity
from checkpoint.sync.outbox import OutboxSummary
from checkpoint.watchlist.store import ListStatus

OK = "✔"
BAD = "✘"


@dataclass(frozen=True)
class FieldRow:
    """One line of the traveller panel: a field, its value, and a mark when it was checked."""

    label: str
    value: str
    mark: str = ""
    """OK, BAD or empty when nothing checks this field."""
    note: str = ""


@dataclass(frozen=True)
class FindingRow:
    """One line of the screening panel: a hit to decide, an alert or a note."""

    severity: Severity
    reason: str
    score: float
    listed: str
    action: str
    hit_id: str | None = None
    state: str = ""
    """For a hit: `to decide`, `referred to second line` or `dismissed: REASON`."""

    @property
    def undecided(self) -> bool:
        return self.hit_id is not None and self.state == TO_DECIDE


TO_DECIDE = "to decide"


def _day(value: date | None, raw: str) -> str:
    return value.isoformat() if value else (raw or "-")


def field_rows(read: MrzRead, today: date) -> list[FieldRow]:
    """The document's fields with their check-digit and expiry marks."""
    fields, checks = read.fields, read.checks

    def mark(*names: str) -> tuple[str, str]:
        present = [checks[n] for n in names if n in checks]
        if not present:
            return "", ""
        bad = [c for c in present if not c.valid]
        if not bad:
            return OK, "check digit agrees"
        return BAD, "; ".join(f"check digit {c.found}, expected {c.expected}" for c in bad)

    expired = fields.expiry_date is not None and fields.expiry_date < today
    expiry_mark, expiry_note = mark("expiry_date")
    if expired:
        expiry_mark, expiry_note = BAD, f"EXPIRED {(today - fields.expiry_date).days} days ago"  # type: ignore[operator]
    rows = [
        FieldRow("Surname", fields.surname),
        FieldRow(
            "Given names", fields.given_names + (" (truncated)" if fields.name_truncated else "")
        ),
        FieldRow("Document", f"{fields.document_code} {read.format.value}"),
        FieldRow("Number", fields.document_number, *mark("document_number")),
        FieldRow("Issuer", fields.issuer),
        FieldRow("Nationality", fields.nationality),
        FieldRow("Birth date", _day(fields.birth_date, fields.birth_date_raw), *mark("birth_date")),
        FieldRow("Sex", fields.sex or "-"),
        FieldRow(
            "Expiry", _day(fields.expiry_date, fields.expiry_date_raw), expiry_mark, expiry_note
        ),
    ]
    if fields.personal_number or fields.optional_data:
        rows.append(
            FieldRow(
                "Optional", fields.personal_number or fields.optional_data, *mark("optional_data")
            )
        )
    composite = mark("composite")
    rows.append(
        FieldRow(
            "All checks",
            "valid" if read.valid else "FAILED",
            OK if read.valid else BAD,
            composite[1] if composite[0] else "",
        )
    )
    return rows


def listed_summary(listed: dict[str, Any]) -> str:
    """The listed person (or alert) in one line: names, birth dates, nationalities, category."""
    if not listed:
        return ""
    names = [n.get("name", "") for n in listed.get("names", []) if isinstance(n, dict)]
    parts = [" / ".join(names[:3])] if names else []
    if listed.get("birth_dates"):
        parts.append("born " + ", ".join(listed["birth_dates"][:2]))
    if listed.get("nationalities"):
        parts.append(", ".join(listed["nationalities"]))
    for key in ("category", "reason", "kind", "status"):
        if listed.get(key):
            parts.append(str(listed[key]))
    if not parts:
        parts = [f"{key}: {value}" for key, value in list(listed.items())[:4]]
    return "; ".join(p for p in parts if p)


def hit_state(hit: Hit) -> str:
    if hit.decision is None:
        return TO_DECIDE
    if hit.decision.referred:
        return "referred to second line"
    return f"dismissed: {hit.decision.reason}"


def hit_row(hit: Hit) -> FindingRow:
    return FindingRow(
        severity=Severity.HIT,
        reason=hit.reason,
        score=hit.score,
        listed=listed_summary(hit.listed),
        action=str(hit.listed.get("action", "")),
        hit_id=hit.id,
        state=hit_state(hit),
    )


def finding_row(finding: Finding) -> FindingRow:
    return FindingRow(
        severity=finding.severity,
        reason=finding.reason,
        score=finding.score,
        listed=listed_summary(finding.listed),
        action=str(finding.listed.get("action", "")),
    )


def list_status_text(status: ListStatus, now: datetime) -> tuple[str, bool]:
    """`list v3 (2 d)` and whether it is stale (past its expiry)."""
    age = status.age_days(now)
    age_text = f"{age:.0f} d" if age >= 1 else f"{age * 24:.0f} h"
    stale = status.is_stale(now)
    text = f"{status.list_id} v{status.version} ({age_text}{', STALE' if stale else ''})"
    return text, stale


def outbox_text(summary: OutboxSummary) -> str:
    text = f"outbox {summary.pending} pending"
    if summary.failed:
        text += f", {summary.failed} failed"
    age = summary.oldest_pending_age
    if age is not None and age >= 60:
        text += f" (oldest {age / 60:.0f} min)"
    return text
