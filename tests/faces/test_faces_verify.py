"""1:1 verification on real photos: decision, calibrated confidence, and bad input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest
from faces_images import astronaut, no_face, scaled

from checkpoint.faces.calibration import VERIFY_THRESHOLD
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceRead, FaceReader
from checkpoint.faces.templates import FaceTemplate, ModelId, TemplateMismatchError
from checkpoint.faces.verify import INCONCLUSIVE, MATCH, NO_MATCH, Verifier, compare_faces


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(FaceReader(default_models()))


def subject(verifier: Verifier, image: np.ndarray) -> FaceRead:
    face = verifier.side("x", image).face
    assert face is not None
    return face


def test_same_person_in_another_capture_matches(verifier: Verifier) -> None:
    # Another "capture": larger, brighter, mirrored, re-encoded as JPEG.
    other = cv2.flip(cv2.convertScaleAbs(scaled(astronaut(), 1.6), alpha=1.1, beta=15), 1)
    ok, jpeg = cv2.imencode(".jpg", other, [cv2.IMWRITE_JPEG_QUALITY, 70])
    assert ok
    result = verifier.verify_images(astronaut(), cv2.imdecode(jpeg, cv2.IMREAD_COLOR))
    assert result.decision == MATCH
    assert result.comparison is not None
    assert result.comparison.distance < VERIFY_THRESHOLD
    assert result.comparison.threshold == VERIFY_THRESHOLD
    assert result.comparison.probability_same > 0.9
    assert 0.5 < result.comparison.confidence <= result.comparison.probability_same
    # The small original face is reported, not hidden.
    assert any("face too small" in note for note in result.notes)


def test_poor_quality_lowers_confidence(verifier: Verifier) -> None:
    good = subject(verifier, scaled(astronaut(), 2.0))
    again = subject(verifier, scaled(astronaut(), 1.8))
    blurred = subject(verifier, cv2.GaussianBlur(scaled(astronaut(), 2.0), (0, 0), 4))
    assert blurred.quality.score < again.quality.score
    clear = compare_faces(good, again)
    poor = compare_faces(good, blurred)
    assert clear.decision == MATCH
    assert poor.decision == MATCH
    assert poor.quality_factor < clear.quality_factor
    assert poor.confidence < clear.confidence - 0.1


def test_far_templates_do_not_match(verifier: Verifier) -> None:
    face = subject(verifier, astronaut())
    assert face.template is not None
    # A template far from hers, as a different person's would be (distance about 0.9).
    rng = np.random.default_rng(4)
    direction = rng.standard_normal(128)
    direction *= 0.9 / np.linalg.norm(direction)
    stranger = replace(
        face,
        template=FaceTemplate(
            face.template.vector + direction.astype(np.float32), face.template.model
        ),
    )
    result = compare_faces(face, stranger)
    assert result.decision == NO_MATCH
    assert result.distance == pytest.approx(0.9, abs=1e-3)
    assert result.probability_same < 0.05
    assert result.confidence > 0.5


def test_no_face_is_inconclusive_with_reason(verifier: Verifier) -> None:
    result = verifier.verify_sides(
        verifier.side("portrait", astronaut()), verifier.side("live", no_face())
    )
    assert result.decision == INCONCLUSIVE
    assert result.comparison is None
    assert "live: no face found" in result.notes


def test_unreadable_files_are_inconclusive(verifier: Verifier, tmp_path: Path) -> None:
    text = tmp_path / "notes.jpg"
    text.write_text("this is not a picture")
    result = verifier.verify_files(text, tmp_path / "missing.png")
    assert result.decision == INCONCLUSIVE
    assert result.a.problem is not None
    assert "not an image" in result.a.problem
    assert result.b.problem is not None
    assert "does not exist" in result.b.problem


def test_templates_of_different_models_are_not_compared(verifier: Verifier) -> None:
    face = subject(verifier, astronaut())
    assert face.template is not None
    other = replace(face, template=FaceTemplate(face.template.vector, ModelId("another", "9")))
    with pytest.raises(TemplateMismatchError):
        compare_faces(face, other)
