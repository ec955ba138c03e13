"""Successive frames of one traveller are merged; a hit is raised once per listed entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from screening_helpers import NOW, document, face_crop

from checkpoint.documents.mrz.parse import parse_mrz
from checkpoint.documents.read import DocumentRead, DocumentReader
from checkpoint.documents.synth import Identity
from checkpoint.documents.synth.demo import ERIKSSON
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceRead, FaceReader
from checkpoint.screening.model import Finding, FindingKind, ScreeningResult, Severity, Traveller
from checkpoint.screening.session import DeskSessions

OTHER = Identity(
    surname="NAKAMURA",
    given_names="KENJI",
    document_number="TK0012345",
    nationality="JPN",
    issuer="JPN",
    birth_date=date(1977, 7, 7),
    sex="M",
    expiry_date=date(2031, 3, 1),
    document_code="P",
)


@pytest.fixture(scope="module")
def reads() -> dict[str, DocumentRead]:
    reader = DocumentReader()
    eriksson = reader.read(document(ERIKSSON))
    other = reader.read(document(OTHER))
    assert eriksson.mrz is not None
    assert eriksson.mrz.read.valid
    assert other.mrz is not None
    assert other.mrz.read.valid
    # The same passport misread: a digit of the number wrong, so its check digit fails.
    lines = list(eriksson.mrz.read.lines)
    lines[1] = "L898922C36" + lines[1][10:]
    misread = replace(eriksson, mrz=replace(eriksson.mrz, read=parse_mrz(lines)))
    assert misread.mrz is not None
    assert not misread.mrz.read.valid
    blank = reader.read(np.full((480, 640, 3), 200, np.uint8))
    assert blank.mrz is None
    return {"eriksson": eriksson, "other": other, "misread": misread, "blank": blank}


@pytest.fixture(scope="module")
def faces() -> tuple[FaceRead, FaceRead]:
    reader = FaceReader(default_models())
    (large,) = reader.read(face_crop(320), templates=False)
    (small,) = reader.read(face_crop(110), templates=False)
    assert large.quality.score > small.quality.score
    return large, small


def hit(entry: str, kind: FindingKind = FindingKind.NAME, score: float = 0.95) -> Finding:
    return Finding(kind, Severity.HIT, f"{kind} {entry}", score, "DEMO", 1, False, entry)


def result(
    read: DocumentRead, findings: tuple[Finding, ...] = (), face: FaceRead | None = None
) -> ScreeningResult:
    mrz = read.mrz
    return ScreeningResult(
        source="frame",
        screened_at=NOW,
        document=read,
        traveller=Traveller.from_mrz(mrz.read.fields) if mrz else None,
        faces=(face,) if face else (),
        portrait=None,
        findings=findings,
        lists=(),
        timings_ms={},
    )


def test_frames_of_one_traveller_raise_each_entry_once(
    reads: dict[str, DocumentRead], faces: tuple[FaceRead, FaceRead]
) -> None:
    large, small = faces
    desk = DeskSessions()
    first = desk.observe(
        result(
            reads["misread"], (hit("DEMO-UTO-1"), hit("DEMO-A1", FindingKind.DOCUMENT_ALERT)), small
        )
    )
    assert first.new_traveller is False  # the desk was empty
    assert [g[0].reference for g in first.new_hits] == ["DEMO-UTO-1", "DEMO-A1"]
    session = first.session
    assert session.best_read is not None
    assert not session.best_read.valid
    # The same passport read well, now also found by face: nothing new to raise.
    second = desk.observe(
        result(reads["eriksson"], (hit("DEMO-UTO-1", FindingKind.FACE), hit("DEMO-UTO-1")), large)
    )
    assert second.session is session
    assert second.new_hits == ()
    assert session.best_read is not None
    assert session.best_read.valid
    assert session.key == ("L898902C3", "UTO")
    assert session.best_face is large
    # A worse read and a worse face later do not replace the best ones.
    third = desk.observe(result(reads["misread"], (hit("DEMO-UTO-1"),), small))
    assert third.session is session
    assert third.new_hits == ()
    assert session.best_read.valid
    assert session.best_face is large
    traveller = session.traveller
    assert traveller is not None
    assert traveller.surname == "ERIKSSON"
    # A frame without a legible MRZ belongs to the traveller already at the desk.
    blank = desk.observe(result(reads["blank"], (hit("DEMO-X9", FindingKind.FACE),)))
    assert blank.session is session
    assert [g[0].reference for g in blank.new_hits] == ["DEMO-X9"]
    assert session.frames == 4


def test_another_document_starts_a_new_session(reads: dict[str, DocumentRead]) -> None:
    desk = DeskSessions()
    first = desk.observe(result(reads["eriksson"], (hit("DEMO-UTO-1"),)))
    # A misread of the same passport (the number's check digit fails) does not split it.
    again = desk.observe(result(reads["misread"], (hit("DEMO-UTO-1"),)))
    assert again.session is first.session
    assert not again.new_traveller
    other = desk.observe(result(reads["other"], (hit("DEMO-UTO-1"),)))
    assert other.new_traveller
    assert other.session is not first.session
    assert other.session.key == ("TK0012345", "JPN")
    # A new traveller matching the same entry is a new hit.
    assert [g[0].reference for g in other.new_hits] == ["DEMO-UTO-1"]
    desk.end()
    assert desk.current.key is None
    assert desk.current.frames == 0


def test_notes_and_alerts_are_never_raised(reads: dict[str, DocumentRead]) -> None:
    desk = DeskSessions()
    findings = (
        Finding(FindingKind.NAME, Severity.NOTE, "near", 0.8, "DEMO", 1, False, "DEMO-3"),
        Finding(FindingKind.EXPIRED, Severity.ALERT, "expired", 1.0),
    )
    assert desk.observe(result(reads["eriksson"], findings)).new_hits == ()


def test_a_misread_first_frame_does_not_hold_on_to_the_next_traveller(
    reads: dict[str, DocumentRead],
) -> None:
    desk = DeskSessions()
    first = desk.observe(result(reads["misread"], (hit("DEMO-UTO-1"),)))
    other = desk.observe(result(reads["other"], (hit("DEMO-UTO-1"),)))
    assert other.new_traveller
    assert other.session is not first.session
    assert len(other.new_hits) == 1
