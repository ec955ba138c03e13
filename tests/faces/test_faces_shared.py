"""Real labelled photos (face_recognition's examples in ../shared/data/faces)."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest

from checkpoint.faces.calibration import VERIFY_THRESHOLD
from checkpoint.faces.models import default_models
from checkpoint.faces.portrait import find_portrait
from checkpoint.faces.read import FaceRead, FaceReader
from checkpoint.faces.templates import distance
from checkpoint.faces.verify import INCONCLUSIVE, MATCH, Verifier

pytestmark = pytest.mark.shared_data

PEOPLE = {
    "obama": "obama",
    "32bit": "obama",
    "biden": "biden",
    "alex": "alex_lacamoire",
    "lin-manuel": "lin_manuel_miranda",
}


def person_of(path: Path) -> str | None:
    if path.parent.parent.name == "train":
        return path.parent.name
    return next((p for prefix, p in PEOPLE.items() if path.name.startswith(prefix)), None)


@pytest.fixture(scope="module")
def reader() -> FaceReader:
    return FaceReader(default_models())


@pytest.fixture
def labelled(shared_data: Path, reader: FaceReader) -> list[tuple[str, str, FaceRead]]:
    faces = shared_data / "faces"
    files = sorted((faces / "knn_examples" / "train").glob("*/*")) + sorted(
        (faces / "more").glob("*.*")
    )
    out = []
    for path in files:
        person = person_of(path)
        if person is None or path.suffix == ".mp4":
            continue
        found = reader.read(cv2.imread(str(path)))
        subject = next(f for f in found if f.subject)
        out.append((path.name, person, subject))
    return out


@pytest.mark.slow
def test_every_labelled_pair_is_decided_right(labelled: list[tuple[str, str, FaceRead]]) -> None:
    assert len(labelled) >= 20
    wrong = []
    pairs = 0
    for (na, pa, fa), (nb, pb, fb) in itertools.combinations(labelled, 2):
        assert fa.template is not None
        assert fb.template is not None
        d = distance(fa.template, fb.template)
        pairs += 1
        if (d <= VERIFY_THRESHOLD) != (pa == pb):
            wrong.append((na, nb, round(d, 3)))
    assert pairs > 200
    assert wrong == []


@pytest.mark.slow
def test_bad_and_awkward_photos_give_clear_results(shared_data: Path, tmp_path: Path) -> None:
    faces = shared_data / "faces"
    verifier = Verifier(FaceReader(default_models()))
    small = verifier.side_from_file(faces / "more" / "obama-240p.jpg")
    assert small.face is not None
    assert any(p.startswith("face too small: ") for p in small.face.quality.problems)
    two = verifier.side_from_file(faces / "more" / "two_people.jpg")
    assert two.faces_found == 2
    assert any("2 faces found" in note for note in two.notes)
    result = verifier.verify_files(faces / "more" / "obama.jpg", faces / "more" / "obama-240p.jpg")
    assert result.decision == MATCH
    assert result.comparison is not None
    # The tiny face lowers the confidence below that of a clear pair.
    clear = verifier.verify_files(faces / "more" / "obama.jpg", faces / "more" / "obama-720p.jpg")
    assert clear.comparison is not None
    assert result.comparison.confidence < clear.comparison.confidence
    video = verifier.side_from_file(faces / "more" / "short_hamilton_clip.mp4")
    assert video.face is None
    assert video.problem is not None
    assert "not an image" in video.problem
    assert verifier.verify_sides(video, small).decision == INCONCLUSIVE


def test_portrait_on_the_specimen_passport(shared_data: Path) -> None:
    page = cv2.imread(str(shared_data / "documents" / "passport-td3.jpg"))
    # The MRZ's corners, measured on the image (1334 x 880).
    quad = np.array([[115, 655], [1185, 655], [1185, 775], [115, 775]], dtype=np.float64)
    portrait = find_portrait(page, quad)
    assert portrait is not None
    assert 150 < portrait.box.center[0] < 450
    assert 300 < portrait.box.center[1] < 600
    assert portrait.quality.inter_eye_px > 50


def test_faces_in_a_real_video(shared_data: Path, reader: FaceReader) -> None:
    capture = cv2.VideoCapture(str(shared_data / "faces" / "more" / "short_hamilton_clip.mp4"))
    found = 0
    try:
        for frame_number in range(0, 60, 15):
            capture.set(cv2.CAP_PROP_POS_FRAMES, frame_number)
            ok, frame = capture.read()
            if ok:
                found += len(reader.read(frame, templates=False))
    finally:
        capture.release()
    assert found > 0
