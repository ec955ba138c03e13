"""`screen(capture, context)` on rendered documents and real faces, against imported lists."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import sqlite_utils
from screening_helpers import (
    NOW,
    context,
    demo_database,
    desk_scene,
    document,
    face_crop,
    import_persons,
)

from checkpoint.documents.image import load_image
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import Identity
from checkpoint.documents.synth.demo import ERIKSSON
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceReader
from checkpoint.screening.jsonify import screening_lines, screening_to_json
from checkpoint.screening.model import Capture, FindingKind, Severity
from checkpoint.screening.pipeline import screen
from checkpoint.storage import open_database
from checkpoint.watchlist.model import FaceTemplate, Person, PersonName

KARIN = Identity(
    surname="LINDQVIST",
    given_names="KARIN",
    document_number="X12345678",
    nationality="SWE",
    issuer="SWE",
    birth_date=date(1980, 2, 3),
    sex="F",
    expiry_date=date(2030, 1, 1),
    document_code="P",
)


@pytest.fixture(scope="module")
def readers() -> tuple[DocumentReader, FaceReader]:
    """The OCR-B and face models, loaded once for the module (about a second)."""
    return DocumentReader(), FaceReader(default_models())


@pytest.fixture
def demo_db(checkpoint_home: Path) -> Iterator[sqlite_utils.Database]:
    db = demo_database(checkpoint_home)
    yield db
    db.conn.close()


def kinds(findings: object) -> set[tuple[str, str]]:
    return {(f.kind.value, f.severity.value) for f in findings}  # type: ignore[attr-defined]


def test_listed_specimen_holder_raises_document_and_name_hits(
    demo_db: sqlite_utils.Database, readers: tuple[DocumentReader, FaceReader]
) -> None:
    result = screen(Capture(document(ERIKSSON), source="eriksson"), context(demo_db, *readers))
    assert result.traveller is not None
    assert result.traveller.document_key == ("L898902C3", "UTO")
    assert result.hit
    assert kinds(result.findings) >= {
        ("document_alert", "hit"),
        ("listed_document", "hit"),
        ("name", "hit"),
        ("expired", "alert"),
        ("specimen", "alert"),
    }
    name = next(f for f in result.findings if f.kind is FindingKind.NAME)
    assert name.reference == "DEMO-UTO-1"
    assert name.list_id == "DEMO"
    assert name.list_version == 1
    assert not name.stale
    assert name.score >= 0.88
    assert "birth date agrees" in name.reason
    assert name.listed["action"] == "Demo only: refer to second line."
    alert = next(f for f in result.findings if f.kind is FindingKind.DOCUMENT_ALERT)
    assert "stolen" in alert.reason
    # The listed person is one hit however many checks found them; the alert is another.
    groups = result.hit_groups()
    assert sorted(g[0].key for g in groups) == [("DEMO", "DEMO-A1"), ("DEMO", "DEMO-UTO-1")]
    assert [(v.list_id, v.version, v.stale) for v in result.lists] == [("DEMO", 1, False)]
    assert {"mrz", "barcodes", "portrait", "faces", "checks", "total"} <= set(result.timings_ms)
    assert result.findings[0].severity is Severity.HIT
    as_json = screening_to_json(result)
    assert as_json["hit"] is True
    assert as_json["lists"][0]["list_id"] == "DEMO"
    lines = screening_lines(result)
    assert lines[0] == "screening HIT (lists: DEMO v1)"
    assert any("HIT   document_alert" in line for line in lines)


def test_unlisted_traveller_with_valid_document_is_clear(
    demo_db: sqlite_utils.Database, readers: tuple[DocumentReader, FaceReader]
) -> None:
    result = screen(Capture(document(KARIN)), context(demo_db, *readers))
    assert result.traveller is not None
    assert result.traveller.surname == "LINDQVIST"
    assert not result.hit
    assert not [f for f in result.findings if f.severity is not Severity.NOTE]
    assert screening_lines(result)[0] == "screening no hit (lists: DEMO v1)"


def test_stale_list_is_reported_on_every_finding(
    demo_db: sqlite_utils.Database, readers: tuple[DocumentReader, FaceReader]
) -> None:
    later = NOW + timedelta(days=3700)  # the demo list expires in 2036
    result = screen(Capture(document(ERIKSSON)), context(demo_db, *readers, now=later))
    assert [(v.list_id, v.stale) for v in result.lists] == [("DEMO", True)]
    assert all(f.stale for f in result.hits)
    assert ("stale_list", "note") in kinds(result.findings)
    assert "STALE" in screening_lines(result)[0]


def test_every_face_is_searched_and_the_traveller_compared_with_the_portrait(
    checkpoint_home: Path, readers: tuple[DocumentReader, FaceReader]
) -> None:
    documents, faces = readers
    (probe,) = faces.read(face_crop(300))
    assert probe.template is not None
    # Templates as `watchlist build --photos` labels them (face_recognition's model).
    listed = Person(
        entry_id="FACE-1",
        names=(PersonName("Zora Vukovic", "primary"),),
        templates=(
            FaceTemplate(
                np.asarray(probe.template.vector), "dlib_face_recognition_resnet_model_v1", "1"
            ),
        ),
        category="test",
        reason="listed by face",
        action="Call the supervisor.",
    )
    db = open_database(checkpoint_home / "checkpoint.db")
    try:
        import_persons(db, checkpoint_home, [listed])
        ctx = context(db, documents, faces)
        assert ctx.face_lists.index is not None
        assert not ctx.face_lists.skipped
        page = document(KARIN, portrait=face_crop(420))
        result = screen(Capture(desk_scene(page, face_crop(300))), ctx)
    finally:
        db.conn.close()
    assert result.traveller is not None
    assert result.traveller.surname == "LINDQVIST"
    assert result.portrait is not None
    live = result.subject
    assert live is not None
    assert live.box.left > 800
    face_hits = [f for f in result.findings if f.kind is FindingKind.FACE]
    assert [(f.list_id, f.reference, f.severity) for f in face_hits] == [
        ("FACES", "FACE-1", Severity.HIT)
    ]
    assert face_hits[0].score > 0.9
    assert "Zora Vukovic" in face_hits[0].reason
    assert "distance" in face_hits[0].reason
    assert face_hits[0].listed["action"] == "Call the supervisor."
    portrait = next(f for f in result.findings if f.kind is FindingKind.PORTRAIT)
    assert portrait.severity is Severity.NOTE
    assert "matches the document's portrait" in portrait.reason


@pytest.mark.shared_data
def test_traveller_who_is_not_the_portrait_raises_an_alert(
    demo_db: sqlite_utils.Database,
    readers: tuple[DocumentReader, FaceReader],
    shared_data: Path,
) -> None:
    train = shared_data / "faces" / "knn_examples" / "train"
    holder = load_image(next(iter(sorted((train / "biden").glob("*.jpg")))))
    traveller = load_image(next(iter(sorted((train / "obama").glob("*.jpg")))))

    def square(image: np.ndarray, size: int) -> np.ndarray:
        (face,) = readers[1].read(image, templates=False)[:1]
        cx, cy = (int(v) for v in face.box.center)
        half = int(max(face.box.width, face.box.height) * 1.1)
        top, left = max(0, cy - half), max(0, cx - half)
        crop = image[top : cy + half, left : cx + half]
        return cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)

    page = document(KARIN, portrait=square(holder, 420))
    scene = desk_scene(page, square(traveller, 300))
    result = screen(Capture(scene), context(demo_db, *readers))
    portrait = next(f for f in result.findings if f.kind is FindingKind.PORTRAIT)
    assert portrait.severity is Severity.ALERT
    assert "does NOT match" in portrait.reason
    assert not result.hit


def test_a_boarding_pass_in_another_name_is_an_alert(
    demo_db: sqlite_utils.Database, readers: tuple[DocumentReader, FaceReader]
) -> None:
    text = "M1SMITH/JOHN           EABC123 YULFRAAC 0834 326J001A0025 100"
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    code = cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_COLOR)
    page = document(KARIN)
    frame = np.full((page.shape[0], page.shape[1] + code.shape[1] + 40, 3), 255, np.uint8)
    frame[:, : page.shape[1]] = page
    frame[50 : 50 + code.shape[0], page.shape[1] + 20 : page.shape[1] + 20 + code.shape[1]] = code
    result = screen(Capture(frame), context(demo_db, *readers))
    (alert,) = [f for f in result.findings if f.kind is FindingKind.BARCODE]
    assert alert.severity is Severity.ALERT
    assert "bcbp barcode name 'SMITH/JOHN' disagrees" in alert.reason
    assert not result.hit


def test_face_templates_of_another_model_are_left_out_and_said_so(
    checkpoint_home: Path, readers: tuple[DocumentReader, FaceReader]
) -> None:
    other_model = Person(
        entry_id="OLD-1",
        names=(PersonName("Old Template", "primary"),),
        templates=(FaceTemplate(np.ones(128, np.float32) * 0.05, "arcface_r100", "2"),),
    )
    db = open_database(checkpoint_home / "checkpoint.db")
    try:
        import_persons(db, checkpoint_home, [other_model], list_id="OLD")
        ctx = context(db, *readers)
        assert ctx.face_lists.index is None
        assert ctx.face_lists.skipped == (
            f"list OLD: its face templates were made by arcface_r100 2, "
            f"not {readers[1].models.model_id}",
        )
        result = screen(Capture(document(KARIN)), ctx)
    finally:
        db.conn.close()
    (note,) = [f for f in result.findings if f.kind is FindingKind.FACE]
    assert note.severity is Severity.NOTE
    assert note.reason.startswith("faces not searched against list OLD")
