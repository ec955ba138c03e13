"""Every face of a real frame searched against a face index, at the gallery's threshold."""

from __future__ import annotations

import numpy as np
import pytest
from faces_images import face_crop

from checkpoint.faces.detect import DetectOptions
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceReader
from checkpoint.faces.search import FaceIndex, gallery_threshold
from checkpoint.faces.watch import search_faces


def test_all_faces_are_searched_and_the_listed_one_is_hit() -> None:
    reader = FaceReader(default_models(), detect=DetectOptions(max_side=1100))
    frame = np.full((700, 1100, 3), 90, dtype=np.uint8)
    frame[100:500, 600:1000] = face_crop(400)
    frame[300:520, 40:260] = face_crop(220)
    faces = reader.read(frame)
    assert len(faces) == 2
    listed = faces[0].template
    assert listed is not None

    rng = np.random.default_rng(3)
    others = rng.standard_normal((5000, 128)).astype(np.float32)
    others /= np.linalg.norm(others, axis=1, keepdims=True)
    index = FaceIndex(listed.model)
    index.add([f"other-{i}" for i in range(5000)], others)
    index.add(["listed-astronaut"], [listed])

    results = search_faces(index, faces)
    assert len(results) == 2
    expected = gallery_threshold(len(index))
    for result in results:
        # Both faces are the same listed person: the small one is found too.
        assert result.hit
        assert result.threshold == expected
        assert [c.id for c in result.candidates] == ["listed-astronaut"]
        assert result.candidates[0].distance <= expected.threshold
        assert result.candidates[0].probability_same > 0.9
    assert results[0].candidates[0].distance == pytest.approx(0.0, abs=1e-5)
    assert search_faces(index, [], k=3) == []
    index.remove(["listed-astronaut"])
    assert not any(r.hit for r in search_faces(index, faces))
