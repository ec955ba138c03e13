"""Frames to Qt images, with what was found outlined: the MRZ, barcodes and faces.

The outlines are drawn by QPainter on a copy of the frame, so the numpy frame the readers
saw is never touched.
"""

from __future__ import annotations

from collections.abc import Sequence

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


def outlined(image: Image, result: ScreeningResult | None) -> QImage:
    """The frame with the MRZ, barcodes and faces of `result` outlined and labelled."""
    qimage = to_qimage(image).convertToFormat(QImage.Format.Format_RGB32)
    if result is None:
        return qimage
    width = max(2, qimage.width() // 300)
    painter = QPainter(qimage)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont()
        font.setPixelSize(max(14, qimage.height() // 30))
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
