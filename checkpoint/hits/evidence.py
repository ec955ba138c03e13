"""Evidence images for a hit: the face that matched, the portrait, and the document page.

Cropped from the frame the hit was raised on and stored as JPEG (quality 85): small enough
to queue for HQ with the hit, sharp enough for a supervisor to judge the match. The document
is cut out along its MRZ, whatever its angle in the frame, and turned upright.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image
from checkpoint.faces.detect import Box
from checkpoint.hits.model import Evidence

JPEG_QUALITY = 85
MAX_SIDE = 800
FACE_MARGIN = 0.35
PAGE_ABOVE_MRZ = 0.7
"""How far the page reaches above the MRZ, in MRZ widths (a passport page: about 0.6)."""


def jpeg(name: str, image: Image) -> Evidence:
    height, width = image.shape[:2]
    scale = MAX_SIDE / max(height, width)
    if scale < 1.0:
        image = np.asarray(
            cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), np.uint8
        )
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError(f"cannot encode the {name} evidence as JPEG")
    return Evidence(name=name, media_type="image/jpeg", data=encoded.tobytes())


def face_crop(image: Image, box: Box) -> Image:
    """The face with a margin around it, clipped to the frame."""
    height, width = image.shape[:2]
    margin_x, margin_y = int(box.width * FACE_MARGIN), int(box.height * FACE_MARGIN)
    left, top = max(0, box.left - margin_x), max(0, box.top - margin_y)
    right, bottom = min(width, box.right + margin_x), min(height, box.bottom + margin_y)
    return np.ascontiguousarray(image[top:bottom, left:right])


def document_crop(image: Image, mrz_quad: npt.NDArray[np.floating]) -> Image:
    """The data page above the MRZ, rectified and upright, from the MRZ's four corners."""
    quad = np.asarray(mrz_quad, dtype=np.float64).reshape(4, 2)
    along = quad[1] - quad[0]
    width = float(np.linalg.norm(along))
    if width < 1.0:
        raise ValueError("the MRZ quad is degenerate")
    unit = along / width
    up = np.array([unit[1], -unit[0]])
    pad = unit * 0.04 * width
    below = (quad[3] - quad[0]) * 0.25
    corners = np.array(
        [
            quad[0] - pad + up * PAGE_ABOVE_MRZ * width,
            quad[1] + pad + up * PAGE_ABOVE_MRZ * width,
            quad[2] + pad + below,
            quad[3] - pad + below,
        ],
        dtype=np.float32,
    )
    out_w = max(1, round(float(np.linalg.norm(corners[1] - corners[0]))))
    out_h = max(1, round(float(np.linalg.norm(corners[3] - corners[0]))))
    target = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    page = cv2.warpPerspective(image, matrix, (out_w, out_h), borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(page, dtype=np.uint8)
