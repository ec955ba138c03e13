"""One `FaceModels` shared by threads: dlib works without the GIL, so calls must take turns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from skimage import data

from checkpoint.faces.detect import detect_faces
from checkpoint.faces.models import default_models


def test_threads_sharing_the_models_find_what_one_thread_finds() -> None:
    models = default_models()
    rgb = np.ascontiguousarray(data.astronaut())

    def detect(_: int) -> list[tuple[object, float, float]]:
        return [
            (d.box, round(d.score, 6), float(d.landmarks.sum())) for d in detect_faces(rgb, models)
        ]

    expected = detect(0)
    assert len(expected) == 1
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(detect, range(12)))
    assert results == [expected] * 12
