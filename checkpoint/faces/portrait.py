"""The holder's photo on a document image, told apart from the traveller by the MRZ.

A camera over the desk may see the data page and the traveller's own face in one frame, and
a passport page may carry a second, smaller "ghost" portrait. The portrait is the largest face
on the page, and the MRZ says where the page is: the MRZ runs along the bottom of the data
page (ICAO 9303 TD1-TD3), and the page reaches upward about 0.75 MRZ widths (TD3: 88 mm of
page over a 117 mm MRZ). Faces outside that region are someone else. A page lying sideways
or upside down is turned upright first (HOG only finds upright faces); boxes and landmarks are
mapped back to the original image.

This lives in `checkpoint.faces` rather than `checkpoint.documents` so that the document
readers do not depend on the face models; `DocumentReader` calls it with the MRZ it found.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image
from checkpoint.faces.detect import Box, DetectOptions, Points
from checkpoint.faces.read import FaceRead, FaceReader

PAGE_HEIGHT_PER_MRZ_WIDTH = 0.9
"""How far above the MRZ the page may reach, in MRZ widths (0.75 for TD3, with margin)."""

PORTRAIT_DETECT = DetectOptions(max_side=1024, upsample=0, retry_upsample=1)
"""Portraits are small in a photo of a whole page: detect on a larger copy than for live
frames, and upsample when nothing is found."""


def find_portrait(
    image: Image,
    mrz_quad: npt.NDArray[np.floating] | None,
    reader: FaceReader | None = None,
    *,
    either_way_up: bool = True,
) -> FaceRead | None:
    """The holder's portrait on a document image, or None when there is none.

    `mrz_quad` holds the MRZ's four corners as (x, y) rows in reading order: top-left,
    top-right, bottom-right, bottom-left of the text as it is read (`MrzLocation.quad`); when
    no face is found that way up, the other way up is tried unless `either_way_up` is False
    (a quad from `MrzReader`, which read the text, is the right way up already). Without a
    quad, the largest face in the image is taken for the portrait.
    """
    reader = reader or FaceReader(detect=PORTRAIT_DETECT)
    if mrz_quad is None:
        faces = reader.read(image)
        return _largest(faces)
    quad = np.asarray(mrz_quad, dtype=np.float64).reshape(4, 2)
    found = _portrait_above(image, quad, reader)
    if found is None and either_way_up:
        # A locator that has not read the text yet may give the quad upside down.
        found = _portrait_above(image, np.roll(quad, 2, axis=0), reader)
    return found


def _portrait_above(
    image: Image, quad: npt.NDArray[np.float64], reader: FaceReader
) -> FaceRead | None:
    turns = _quarter_turns(quad)
    upright = np.ascontiguousarray(np.rot90(image, turns)) if turns else image
    height, width = image.shape[:2]
    upright_quad = np.array([_to_upright(p, turns, width, height) for p in quad])
    left, top, right, bottom = _page_bounds(upright_quad, upright.shape[1], upright.shape[0])
    if right - left < 2 or bottom - top < 2:
        return None
    # Only the page can hold the portrait: detecting on its crop is several times cheaper
    # than on the whole frame, and gives a small portrait more pixels at the same budget.
    page = np.ascontiguousarray(upright[top:bottom, left:right])
    faces = [_shifted(face, left, top) for face in reader.read(page)]
    on_page = [face for face in faces if _on_page(face.box.center, upright_quad)]
    portrait = _largest(on_page)
    if portrait is None or not turns:
        return portrait
    return _back_to_original(portrait, turns, width, height)


def _page_bounds(
    quad: npt.NDArray[np.float64], width: int, height: int
) -> tuple[int, int, int, int]:
    """The pixel box (left, top, right, bottom) around the page region `_on_page` accepts."""
    origin = quad[0]
    along = quad[1] - quad[0]
    up = np.array([along[1], -along[0]])
    corners = np.array(
        [origin + s * along + h * up for s in (-0.1, 1.1) for h in (0.0, PAGE_HEIGHT_PER_MRZ_WIDTH)]
    )
    low = np.floor(corners.min(axis=0))
    high = np.ceil(corners.max(axis=0))
    left, top = int(max(0.0, low[0])), int(max(0.0, low[1]))
    right, bottom = int(min(float(width), high[0])), int(min(float(height), high[1]))
    return left, top, right, bottom


def _shifted(face: FaceRead, dx: int, dy: int) -> FaceRead:
    """A face found in a crop, in the coordinates of the image the crop was cut from."""
    box = Box(face.box.left + dx, face.box.top + dy, face.box.right + dx, face.box.bottom + dy)
    landmarks = face.landmarks + np.array([dx, dy], dtype=face.landmarks.dtype)
    return replace(face, box=box, landmarks=landmarks)


def _largest(faces: list[FaceRead]) -> FaceRead | None:
    if not faces:
        return None
    largest = max(faces, key=lambda f: f.box.area)
    return replace(largest, subject=True)


def _quarter_turns(quad: npt.NDArray[np.float64]) -> int:
    """How many counter-clockwise quarter turns make the MRZ's "up" point up."""
    top = (quad[0] + quad[1]) / 2.0
    bottom = (quad[3] + quad[2]) / 2.0
    up = top - bottom
    angle = math.degrees(math.atan2(-up[1], up[0]))  # y grows downward in images
    return round((90.0 - angle) / 90.0) % 4


def _to_upright(point: npt.NDArray[np.float64], turns: int, width: int, height: int) -> Points:
    """Where a point of the original image lands after `np.rot90(image, turns)`."""
    x, y = float(point[0]), float(point[1])
    if turns == 1:
        return np.array([y, width - 1 - x])
    if turns == 2:
        return np.array([width - 1 - x, height - 1 - y])
    if turns == 3:
        return np.array([height - 1 - y, x])
    return np.array([x, y])


def _to_original(points: Points, turns: int, width: int, height: int) -> Points:
    """Inverse of `_to_upright` for an array of (x, y) rows."""
    x, y = points[:, 0], points[:, 1]
    if turns == 1:
        return np.stack([width - 1 - y, x], axis=1)
    if turns == 2:
        return np.stack([width - 1 - x, height - 1 - y], axis=1)
    if turns == 3:
        return np.stack([y, height - 1 - x], axis=1)
    return points


def _on_page(center: tuple[float, float], quad: npt.NDArray[np.float64]) -> bool:
    """Whether a point lies on the data page above the MRZ (in the upright image)."""
    origin = quad[0]
    along = quad[1] - quad[0]
    mrz_width = float(np.linalg.norm(along))
    if mrz_width < 1.0:
        return False
    along /= mrz_width
    up = np.array([along[1], -along[0]])  # along rotated a quarter turn towards the top
    offset = np.asarray(center) - origin
    s = float(offset @ along) / mrz_width
    h = float(offset @ up) / mrz_width
    return -0.1 <= s <= 1.1 and 0.0 <= h <= PAGE_HEIGHT_PER_MRZ_WIDTH


def _back_to_original(face: FaceRead, turns: int, width: int, height: int) -> FaceRead:
    corners = np.array(
        [[face.box.left, face.box.top], [face.box.right - 1, face.box.bottom - 1]], dtype=float
    )
    mapped = _to_original(corners, turns, width, height)
    low, high = mapped.min(axis=0), mapped.max(axis=0)
    box = Box(int(low[0]), int(low[1]), int(high[0]) + 1, int(high[1]) + 1)
    landmarks = _to_original(face.landmarks, turns, width, height)
    return replace(face, box=box, landmarks=landmarks)
