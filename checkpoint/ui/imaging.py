"""Frames to Qt images, with what was found outlined: the MRZ, barcodes and faces.

The outlines are drawn by QPainter on a copy of the frame, so the numpy frame the readers
saw is never touched. The live view is shown from a preview already fitted to its size,
made on the capture thread (OpenCV shrinks the frame, releasing the GIL, before Qt converts
it): the GUI thread only paints the outlines, instead of converting and smooth-scaling the
camera's full frame 15 times a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF

from checkpoint.documents.image import Image
from checkpoint.faces.detect import Box
from checkpoint.screening.model import ScreeningResult

MRZ_OK = QColor(0, 170, 80)
MRZ_BAD = QColor(230, 140, 0)
BARCODE = QColor(40, 120, 255)
FACE = QColor(255, 215, 0)
PORTRAIT = QColor(0, 200, 220)


def to_qimage(image: Image) -> QImage:
    """A deep copy of a BGR (or grey) uint8 frame as a QImage."""
    frame = np.ascontiguousarray(image)
    height, width = frame.shape[:2]
    qformat = QImage.Format.Format_Grayscale8 if frame.ndim == 2 else QImage.Format.Format_BGR888
    view = QImage(frame.data, width, height, int(frame.strides[0]), qformat)
    return view.copy()


def crop(image: Image, box: Box, margin: float = 0.25) -> Image:
    """The face in `box` with a margin, clipped to the frame."""
    height, width = image.shape[:2]
    dx, dy = int(box.width * margin), int(box.height * margin)
    left, top = max(0, box.left - dx), max(0, box.top - dy)
    right, bottom = min(width, box.right + dx), min(height, box.bottom + dy)
    return np.ascontiguousarray(image[top:bottom, left:right])


def _polygon(points: Sequence[Sequence[float]]) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in points])


def fitted(image: Image, fit: tuple[int, int]) -> tuple[Image, float]:
    """`image` scaled to fit in `fit` (width, height), keeping its shape, and the scale."""
    height, width = image.shape[:2]
    scale = min(fit[0] / width, fit[1] / height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if size == (width, height):
        return image, 1.0
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cast(Image, cv2.resize(image, size, interpolation=interpolation)), scale


@dataclass(frozen=True)
class Preview:
    """A frame fitted to the live view, made off the GUI thread: `scale` maps the frame's
    pixels to the preview's."""

    image: QImage
    scale: float
    frame_size: tuple[int, int]


def preview(image: Image, fit: tuple[int, int]) -> Preview:
    """`image` fitted in `fit` (width, height) as a QImage ready to paint on; safe to call
    on any thread (QImage, unlike QPixmap, is not tied to the GUI thread)."""
    small, scale = fitted(image, fit)
    qimage = to_qimage(small).convertToFormat(QImage.Format.Format_RGB32)
    return Preview(qimage, scale, (image.shape[1], image.shape[0]))


def outlined(
    image: Image | Preview, result: ScreeningResult | None, fit: tuple[int, int] | None = None
) -> QImage:
    """The frame (or its preview) with the MRZ, barcodes and faces of `result` outlined and
    labelled; a frame is first fitted in `fit` (width, height) when given."""
    if isinstance(image, Preview):
        shown = image
    elif fit is not None:
        shown = preview(image, fit)
    else:
        qimage = to_qimage(image).convertToFormat(QImage.Format.Format_RGB32)
        shown = Preview(qimage, 1.0, (image.shape[1], image.shape[0]))
    # A copy to paint on: the preview may be shown again without these outlines.
    qimage = shown.image.copy() if result is not None else shown.image
    if result is None:
        return qimage
    full_width, full_height = shown.frame_size
    width = max(2, full_width // 300)
    painter = QPainter(qimage)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Outlines are in the full frame's pixels.
        painter.scale(shown.scale, shown.scale)
        font = QFont()
        font.setPixelSize(max(14, full_height // 30))
        font.setBold(True)
        painter.setFont(font)
        mrz = result.document.mrz
        if mrz is not None:
            color = MRZ_OK if mrz.read.valid else MRZ_BAD
            quad = np.asarray(mrz.location.quad, dtype=np.float64).reshape(-1, 2)
            _outline(painter, _polygon(quad.tolist()), color, width, _tr("MRZ"))
        for item in result.document.barcodes:
            polygon = _polygon([(float(x), float(y)) for x, y in item.barcode.polygon])
            _outline(painter, polygon, BARCODE, width, item.barcode.format)
        for face in result.faces:
            label = _tr("traveller") if face.subject else _tr("face")
            _box(painter, face.box, FACE, width, label)
        if result.portrait is not None:
            _box(painter, result.portrait.box, PORTRAIT, width, _tr("portrait"))
    finally:
        painter.end()
    return qimage


def _tr(text: str) -> str:
    return QCoreApplication.translate("imaging", text)


def _outline(painter: QPainter, polygon: QPolygonF, color: QColor, width: int, label: str) -> None:
    if polygon.isEmpty():
        return
    painter.setPen(QPen(color, width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPolygon(polygon)
    corner = polygon.boundingRect().topLeft()
    painter.drawText(corner + QPointF(0, -width * 2), label)


def _box(painter: QPainter, box: Box, color: QColor, width: int, label: str) -> None:
    corners = [
        (box.left, box.top),
        (box.right, box.top),
        (box.right, box.bottom),
        (box.left, box.bottom),
    ]
    _outline(painter, _polygon(corners), color, width, label)
