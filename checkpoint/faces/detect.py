"""Finding faces: dlib's HOG detector on a downscaled copy, landmarks at full resolution.

HOG on a full 720p frame costs about 95 ms on one core here, on a half-size copy about 20 ms,
and a desk camera's subject is far larger than HOG's 80-pixel window. So detection runs on a
copy whose longest side is at most `max_side`, the boxes are mapped back, and the 68
landmarks (2 ms per face) are fitted on the full-resolution frame, so alignment and quality
see every pixel. When nothing is found, one retry upsamples the copy to catch small faces
(a portrait on a document, a traveller far from the camera); it costs only on empty frames.
The CNN detector is optional: it takes seconds per frame on a CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import dlib
import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image
from checkpoint.faces.models import FaceModels

Points = npt.NDArray[np.float64]
"""Landmarks: 68 rows of (x, y) in the frame's pixel coordinates."""


@dataclass(frozen=True)
class Box:
    """A face's bounding box in pixels of the original frame (right/bottom exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.left + self.right) / 2.0, (self.top + self.bottom) / 2.0)


@dataclass(frozen=True)
class DetectOptions:
    """How hard to look for faces: speed on a live frame against reach for small faces."""

    max_side: int = 800
    upsample: int = 0
    retry_upsample: int = 1
    min_score: float = 0.25
    """HOG scores below this are mostly patterns on clothes or flags, not faces."""
    exhaustive: bool = False
    """Before giving up, double once more whatever the image size: for photos checked one at
    a time (the CLI), not for live frames, where an empty desk would cost half a second."""
    cnn: bool = False


@dataclass(frozen=True, eq=False)
class Detection:
    """One face found: where, how sure the detector is, and its 68 landmarks."""

    box: Box
    score: float
    landmarks: Points = field(repr=False)
    shape: Any = field(repr=False)
    """dlib's full_object_detection, kept so the encoder can align without refitting."""


def to_rgb(image: Image) -> Image:
    """dlib wants contiguous RGB; frames arrive as BGR or grey."""
    if image.ndim == 2:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2RGB), dtype=np.uint8)
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def detect_faces(
    rgb: Image, models: FaceModels, options: DetectOptions | None = None
) -> list[Detection]:
    """Faces in an RGB frame, with landmarks, in the detector's order (best first)."""
    options = options or DetectOptions()
    height, width = rgb.shape[:2]
    if min(height, width) < 8:
        return []
    scale = min(1.0, options.max_side / max(height, width))
    small: Image = rgb
    if scale < 1.0:
        resized = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        small = np.asarray(resized, dtype=np.uint8)
    rects = _run_detector(small, models, options, options.upsample)
    if not rects and options.retry_upsample > options.upsample:
        rects = _run_detector(small, models, options, options.retry_upsample)
        small_photo = max(height, width) * 2 <= options.max_side
        if not rects and (small_photo or options.exhaustive):
            # A small photo (a cropped portrait, a thumbnail): one more doubling is cheap.
            rects = _run_detector(small, models, options, options.retry_upsample + 1)
    detections = []
    for rect, score in rects:
        if not options.cnn and score < options.min_score:
            continue
        box = Box(
            left=max(0, round(rect.left() / scale)),
            top=max(0, round(rect.top() / scale)),
            right=min(width, round((rect.right() + 1) / scale)),
            bottom=min(height, round((rect.bottom() + 1) / scale)),
        )
        if box.width < 8 or box.height < 8:
            continue
        full = dlib.rectangle(box.left, box.top, box.right - 1, box.bottom - 1)
        with models.lock:
            shape = models.landmarks(rgb, full)
        points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        detections.append(Detection(box=box, score=float(score), landmarks=points, shape=shape))
    return detections


def _run_detector(
    small: Image, models: FaceModels, options: DetectOptions, upsample: int
) -> list[tuple[Any, float]]:
    if options.cnn:
        detector = models.cnn_detector()
        with models.lock:
            found = detector(small, upsample)
        return [(d.rect, float(d.confidence)) for d in found]
    with models.lock:
        rects, scores, _ = models.detector.run(small, upsample, 0.0)
    return list(zip(rects, (float(s) for s in scores), strict=True))
