"""Reading faces from real photos: detection, subject choice, quality reasons, templates."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from faces_images import FACE_CENTER, astronaut, face_crop, no_face, scaled

from checkpoint.faces.detect import DetectOptions
from checkpoint.faces.models import current_model_id, default_models
from checkpoint.faces.quality import QualityCheck
from checkpoint.faces.read import FaceRead, FaceReader, face_to_json, read_faces
from checkpoint.faces.templates import distance


@pytest.fixture(scope="module")
def reader() -> FaceReader:
    return FaceReader(default_models())


def only_face(faces: list[FaceRead]) -> FaceRead:
    assert len(faces) == 1, [f.box for f in faces]
    return faces[0]


def check(face: FaceRead, name: str) -> QualityCheck:
    return next(c for c in face.quality.checks if c.name == name)


def test_astronaut_face_is_found_with_template(reader: FaceReader) -> None:
    face = only_face(reader.read(astronaut()))
    assert face.subject
    x, y = face.box.center
    assert abs(x - FACE_CENTER[0]) < 20
    assert abs(y - FACE_CENTER[1]) < 20
    assert face.landmarks.shape == (68, 2)
    assert face.template is not None
    assert face.template.vector.dtype == np.float32
    assert face.template.vector.shape == (128,)
    assert face.template.model == current_model_id()
    assert face.template.model.name == "dlib_face_recognition_resnet_model_v1"
    # The astronaut is a small face in a 512 px photo: shown, not hidden.
    size = check(face, "inter_eye")
    assert not size.passed
    assert size.reason == f"face too small: {size.value:.0f} px between the eyes, 60 needed"
    assert 35 < size.value < 55
    assert check(face, "sharpness").passed
    assert check(face, "exposure").passed
    assert check(face, "eyes").passed
    assert abs(face.quality.pose.roll) < 10


def test_upscaled_face_passes_size_and_matches_itself(reader: FaceReader) -> None:
    small = only_face(reader.read(astronaut()))
    big = only_face(reader.read(scaled(astronaut(), 2.0)))
    assert check(big, "inter_eye").passed
    assert big.quality.score > small.quality.score
    assert small.template is not None
    assert big.template is not None
    assert distance(small.template, big.template) < 0.3


def test_blur_darkness_and_tilt_are_reported(reader: FaceReader) -> None:
    sharp = only_face(reader.read(astronaut()))
    blurred = only_face(reader.read(cv2.GaussianBlur(astronaut(), (0, 0), 2.5)))
    assert not check(blurred, "sharpness").passed
    assert check(blurred, "sharpness").reason.startswith("face blurred: sharpness ")
    assert blurred.quality.score < sharp.quality.score

    dark = only_face(reader.read((astronaut() * 0.2).astype(np.uint8)))
    assert not check(dark, "exposure").passed
    assert check(dark, "exposure").reason.startswith("face too dark")

    def turned(degrees: float) -> FaceRead:
        turn = cv2.getRotationMatrix2D(FACE_CENTER, degrees, 1.0)
        image = cv2.warpAffine(astronaut(), turn, (512, 512), borderMode=cv2.BORDER_REFLECT)
        return only_face(reader.read(image))

    # The astronaut's head is already rolled about 3 degrees; turning the picture clockwise
    # (negative angle for OpenCV) rolls it further the same way.
    tilted = turned(-27)
    assert tilted.quality.pose.roll == pytest.approx(30, abs=6)
    assert not check(tilted, "pose").passed
    assert check(tilted, "pose").reason.startswith("head tilted sideways: ")
    slight = turned(10)
    assert slight.quality.pose.roll == pytest.approx(-7, abs=5)
    assert check(slight, "pose").passed


def test_subject_is_the_largest_face() -> None:
    frame = np.full((700, 1100, 3), 90, dtype=np.uint8)
    frame[100:500, 600:1000] = face_crop(400)
    frame[300:520, 40:260] = face_crop(220)
    # Full resolution: at the live default the small face would fall under HOG's window.
    faces = FaceReader(default_models(), detect=DetectOptions(max_side=1100)).read(frame)
    assert len(faces) == 2
    assert [f.subject for f in faces] == [True, False]
    assert faces[0].box.left > 500
    assert faces[1].box.right < 260
    encoded = [face_to_json(f) for f in faces]
    assert [e["subject"] for e in encoded] == [True, False]
    assert all("template" not in e for e in encoded)
    first = encoded[0]
    assert set(first["box"]) == {"left", "top", "width", "height"}
    assert {c["name"] for c in first["quality"]["checks"]} == {
        "inter_eye",
        "sharpness",
        "exposure",
        "pose",
        "eyes",
    }
    assert all(c["reason"] for c in first["quality"]["checks"])
    with_template = face_to_json(faces[0], include_template=True)
    assert len(with_template["template"]["vector"]) == 128
    json.dumps(with_template)


def test_frames_without_faces_give_nothing(reader: FaceReader) -> None:
    assert reader.read(no_face()) == []
    assert reader.read(np.zeros((4, 4, 3), dtype=np.uint8)) == []
    assert reader.read(np.zeros((0, 0, 3), dtype=np.uint8)) == []
    assert reader.read(np.full((480, 640, 3), 255, dtype=np.uint8)) == []


def test_grey_frames_and_the_shared_reader(reader: FaceReader) -> None:
    grey = cv2.cvtColor(astronaut(), cv2.COLOR_BGR2GRAY)
    face = only_face(read_faces(grey, templates=False))
    assert face.template is None
    colour = only_face(reader.read(astronaut()))
    assert abs(face.box.left - colour.box.left) < 10


def test_small_face_in_a_large_photo_needs_the_exhaustive_search() -> None:
    photo = np.full((2000, 3000, 3), 100, dtype=np.uint8)
    photo[1200:1712, 2000:2512] = astronaut()
    live = FaceReader(default_models())
    assert live.read(photo, templates=False) == []  # live frames stay fast
    thorough = FaceReader(default_models(), detect=DetectOptions(exhaustive=True))
    face = only_face(thorough.read(photo, templates=False))
    assert 2000 + FACE_CENTER[0] - 20 < face.box.center[0] < 2000 + FACE_CENTER[0] + 20
