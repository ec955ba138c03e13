"""Real face images the face tests build from scikit-image's `astronaut()` photo."""

from __future__ import annotations

import cv2
import numpy as np
from skimage import data

# Where HOG finds Eileen Collins' face in astronaut() (512x512): x 175-265, y 76-170.
FACE_CENTER = (220, 123)


def astronaut() -> np.ndarray:
    """The photo as 8-bit BGR, the layout `load_image` gives."""
    return np.ascontiguousarray(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))


def scaled(image: np.ndarray, factor: float) -> np.ndarray:
    interpolation = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=interpolation)


def face_crop(size: int) -> np.ndarray:
    """The astronaut's head and shoulders, `size` pixels square."""
    x, y = FACE_CENTER
    crop = astronaut()[y - 90 : y + 110, x - 100 : x + 100]
    return cv2.resize(crop, (size, size), interpolation=cv2.INTER_CUBIC)


def no_face() -> np.ndarray:
    return np.ascontiguousarray(cv2.cvtColor(data.coffee(), cv2.COLOR_RGB2BGR))
