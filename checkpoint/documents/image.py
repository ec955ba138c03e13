"""Loading images from disk or bytes into the arrays every reader works on.

OpenCV's `imread` returns None without saying why; this module turns every failure into an
`ImageError` with a sentence the officer can act on, and normalises colour layouts (grey,
BGR, BGRA, 16-bit) so the readers only ever see 8-bit BGR or grey.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from checkpoint.errors import ImageError

Image = npt.NDArray[np.uint8]
"""An 8-bit image: H×W (grey) or H×W×3 (BGR)."""

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif", ".pgm", ".ppm", ".pbm"}
)


def decode_image(data: bytes, name: str = "image") -> Image:
    """Decode encoded image bytes (JPEG, PNG, ...) to 8-bit BGR."""
    if not data:
        raise ImageError(f"{name} is empty: choose an image file with content.")
    buffer = np.frombuffer(data, dtype=np.uint8)
    decoded = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
    if decoded is None:
        raise ImageError(f"{name} is not an image Checkpoint can read: use JPEG, PNG or TIFF.")
    return to_bgr8(decoded)


def load_image(path: str | Path) -> Image:
    """Read an image file to 8-bit BGR, or raise `ImageError` saying why not."""
    path = Path(path)
    if not path.exists():
        raise ImageError(f"{path} does not exist: check the path.")
    if path.is_dir():
        raise ImageError(f"{path} is a folder, not an image.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"{path} cannot be read ({exc.strerror}): check its permissions.") from exc
    return decode_image(data, str(path))


def to_bgr8(image: npt.NDArray[np.generic]) -> Image:
    """Convert any decoded image (grey, BGRA, 16-bit) to 8-bit BGR."""
    array = np.asarray(image)
    if array.dtype == np.uint16:
        array = (array >> 8).astype(np.uint8)
    elif array.dtype != np.uint8:
        array = np.clip(array, 0, 255).astype(np.uint8)
    if array.ndim == 2:
        return np.asarray(cv2.cvtColor(array, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    if array.ndim == 3 and array.shape[2] == 4:
        return np.asarray(cv2.cvtColor(array, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    if array.ndim == 3 and array.shape[2] == 3:
        return np.asarray(array, dtype=np.uint8)
    if array.ndim == 3 and array.shape[2] == 1:
        return np.asarray(cv2.cvtColor(array[:, :, 0], cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    raise ImageError(
        "The image has an unsupported layout: save it as an ordinary colour JPEG or PNG."
    )


def to_gray(image: Image) -> Image:
    """Grey view of an 8-bit image (no copy when it is already grey)."""
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
