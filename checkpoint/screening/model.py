"""The values screening produces: the traveller as read, the findings, and the result.

Frozen dataclasses, so the CLI, the GUI, the hit store and the benchmarks see the same thing.
A finding is one reason for the officer's attention with its score; its severity says what the
desk does with it: a `hit` is recorded and must be decided, an `alert` is shown prominently
(an expired or specimen document, check digits that fail), a `note` is background.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from checkpoint.documents.image import Image
from checkpoint.documents.mrz.model import MrzFields
from checkpoint.documents.read import DocumentRead
from checkpoint.faces.read import FaceRead


class Severity(StrEnum):
    HIT = "hit"
    ALERT = "alert"
    NOTE = "note"


class FindingKind(StrEnum):
    DOCUMENT_ALERT = "document_alert"
    """The document number is on a list of stolen, lost or revoked documents."""
    LISTED_DOCUMENT = "listed_document"
    """The document number belongs to a listed person."""
    NAME = "name"
    FACE = "face"
    """A face in the frame is near a listed person's face template (1:N)."""
    PORTRAIT = "portrait"
    """The face at the desk compared with the document's portrait (1:1)."""
    EXPIRED = "expired"
    CHECK_DIGITS = "check_digits"
    SPECIMEN = "specimen"
    BARCODE = "barcode"
    """A barcode disagrees with the MRZ."""
    STALE_LIST = "stale_list"


@dataclass(frozen=True)
class Capture:
    """What the cameras saw at one moment: the document frame and, if separate, the traveller.

    With one camera over the desk, `frame` shows both the document and the traveller, and
    `live` is None; with a second camera, its frame is `live` and faces are searched there.
    """

    frame: Image
    live: Image | None = None
    source: str = ""


@dataclass(frozen=True)
class Traveller:
    """The traveller's data as the document's MRZ gives it."""

    surname: str
    given_names: str
    document_code: str
    document_number: str
    issuer: str
    nationality: str
    birth_date: date | None
    birth_date_raw: str
    sex: str
    expiry_date: date | None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()

    @property
    def document_key(self) -> tuple[str, str]:
        """What identifies the document across frames: its number and its issuer."""
        return (self.document_number, self.issuer)

    @classmethod
    def from_mrz(cls, fields: MrzFields) -> Traveller:
        return cls(
            surname=fields.surname,
            given_names=fields.given_names,
            document_code=fields.document_code,
            document_number=fields.document_number,
            issuer=fields.issuer,
            nationality=fields.nationality,
            birth_date=fields.birth_date,
            birth_date_raw=fields.birth_date_raw,
            sex=fields.sex,
            expiry_date=fields.expiry_date,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "surname": self.surname,
            "given_names": self.given_names,
            "document_code": self.document_code,
            "document_number": self.document_number,
            "issuer": self.issuer,
            "nationality": self.nationality,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "birth_date_raw": self.birth_date_raw,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
        }


@dataclass(frozen=True)
class ListVersion:
    """A list the traveller was screened against, in the version then in force."""

    list_id: str
    version: int
    expires: datetime
    stale: bool


@dataclass(frozen=True)
class Finding:
    """One reason for the officer's attention: what, why, how strongly, and against what.

    `listed` is the listed entry (or alert) as it was when screened, so a hit keeps what the
    officer saw even after the list changes. `face` is the face that matched, when a face did.
    """

    kind: FindingKind
    severity: Severity
    reason: str
    score: float
    list_id: str | None = None
    list_version: int | None = None
    stale: bool = False
    reference: str | None = None
    """The listed person's entry id or the document alert's id."""
    listed: dict[str, Any] = field(default_factory=dict)
    face: FaceRead | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """Findings with the same key are one hit, whichever frame or check raised them: a
        listed entry (found by name, face and document alike) is raised once."""
        if self.list_id and self.reference:
            return (self.list_id, self.reference)
        return (self.kind.value, self.reference or "")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "severity": self.severity.value,
            "reason": self.reason,
            "score": round(self.score, 4),
            "list_id": self.list_id,
            "list_version": self.list_version,
            "stale": self.stale,
            "reference": self.reference,
            "listed": self.listed,
        }
        if self.face is not None:
            box = self.face.box
            data["face_box"] = [box.left, box.top, box.width, box.height]
        return data


@dataclass(frozen=True)
class ScreeningResult:
    """Everything screening one capture found, with the lists used and each stage's time."""

    source: str
    screened_at: datetime
    document: DocumentRead
    traveller: Traveller | None
    faces: tuple[FaceRead, ...]
    portrait: FaceRead | None
    findings: tuple[Finding, ...]
    lists: tuple[ListVersion, ...]
    timings_ms: dict[str, float]

    @property
    def hits(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.HIT)

    @property
    def hit(self) -> bool:
        return any(f.severity is Severity.HIT for f in self.findings)

    def hit_groups(self) -> list[tuple[Finding, ...]]:
        """The hits grouped by listed entry, strongest first; each group becomes one hit."""
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.hits:
            groups.setdefault(finding.key, []).append(finding)
        return [tuple(group) for group in groups.values()]

    @property
    def subject(self) -> FaceRead | None:
        """The traveller's face: the subject among the faces that are not the portrait."""
        return next((f for f in self.faces if f.subject), None)
