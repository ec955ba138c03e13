"""Reading the faces in a frame: detect, judge, choose the subject, compute templates.

`read_faces(image)` is what `checkpoint scan`, the screening pipeline and the CLI call. Every
face gets its quality and (unless asked not to) its template, because every face in the frame
is searched against the watchlist; one of them is flagged the subject — the largest, most
frontal, sharpest — and that one is compared with the document's portrait.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from typing import Any

from checkpoint.documents.image import Image
from checkpoint.faces.detect import Box, Detection, DetectOptions, Points, detect_faces, to_rgb
from checkpoint.faces.models import FaceModels, default_models
from checkpoint.faces.quality import FaceQuality, QualityLimits, assess
from checkpoint.faces.templates import FaceTemplate, encode_shapes


@dataclass(frozen=True, eq=False)
class FaceRead:
    """One face found in a frame, judged, and (usually) encoded."""

    box: Box
    detector_score: float
    quality: FaceQuality
    landmarks: Points = field(repr=False)
    subject: bool = False
    template: FaceTemplate | None = field(default=None, repr=False)


class FaceReader:
    """Reads faces from frames; build once (it holds the models) and call `read` per frame."""

    def __init__(
        self,
        models: FaceModels | None = None,
        *,
        detect: DetectOptions | None = None,
        limits: QualityLimits | None = None,
        jitters: int = 1,
    ) -> None:
        self.models = models or default_models()
        self.detect_options = detect or DetectOptions()
        self.limits = limits or QualityLimits()
        self.jitters = jitters

    def read(self, image: Image, *, templates: bool = True) -> list[FaceRead]:
        """Every face in `image` (8-bit BGR or grey), the subject first."""
        if image.ndim not in (2, 3) or image.size == 0:
            return []
        rgb = to_rgb(image)
        detections = detect_faces(rgb, self.models, self.detect_options)
        return self._reads(image, rgb, detections, templates=templates)

    def _reads(
        self, image: Image, rgb: Image, detections: list[Detection], *, templates: bool
    ) -> list[FaceRead]:
        reads = [
            FaceRead(
                box=d.box,
                detector_score=d.score,
                quality=assess(image, d.box, d.landmarks, self.limits),
                landmarks=d.landmarks,
            )
            for d in detections
        ]
        if templates:
            encoded = encode_shapes(
                rgb, [d.shape for d in detections], self.models, jitters=self.jitters
            )
            reads = [replace(r, template=t) for r, t in zip(reads, encoded, strict=True)]
        return choose_subject(reads)


def subject_rank(face: FaceRead) -> float:
    """Larger, more frontal, sharper faces rank higher; the subject has the highest rank."""
    pose = face.quality.pose
    frontal = max(0.05, math.cos(math.radians(pose.yaw)) * math.cos(math.radians(pose.pitch)))
    sharp = min(1.0, face.quality.sharpness / 100.0)
    return face.quality.inter_eye_px * frontal**2 * (0.5 + 0.5 * sharp)


def choose_subject(faces: list[FaceRead]) -> list[FaceRead]:
    """Flag the subject and put it first; the others follow, largest first."""
    if not faces:
        return []
    ranked = sorted(faces, key=subject_rank, reverse=True)
    return [replace(ranked[0], subject=True), *(replace(f, subject=False) for f in ranked[1:])]


@functools.cache
def _default_reader() -> FaceReader:
    return FaceReader()


def read_faces(image: Image, *, templates: bool = True) -> list[FaceRead]:
    """Faces of `image` read with the shared default reader (models loaded on first call)."""
    return _default_reader().read(image, templates=templates)


def subject_of(faces: list[FaceRead]) -> FaceRead | None:
    """The face flagged as the subject, if any face was found."""
    return next((f for f in faces if f.subject), None)


def face_to_json(face: FaceRead, *, include_template: bool = False) -> dict[str, Any]:
    """The JSON form used by `checkpoint scan` and `checkpoint faces` (no template by default)."""
    quality = face.quality
    data: dict[str, Any] = {
        "subject": face.subject,
        "box": {
            "left": face.box.left,
            "top": face.box.top,
            "width": face.box.width,
            "height": face.box.height,
        },
        "detector_score": round(face.detector_score, 3),
        "quality": {
            "score": round(quality.score, 3),
            "passed": quality.passed,
            "inter_eye_px": round(quality.inter_eye_px, 1),
            "sharpness": round(quality.sharpness, 1),
            "pose": {
                "yaw": round(quality.pose.yaw, 1),
                "pitch": round(quality.pose.pitch, 1),
                "roll": round(quality.pose.roll, 1),
            },
            "checks": [
                {
                    "name": c.name,
                    "value": c.value,
                    "unit": c.unit,
                    "passed": c.passed,
                    "reason": c.reason,
                }
                for c in quality.checks
            ],
            "problems": list(quality.problems),
        },
    }
    if include_template and face.template is not None:
        data["template"] = face.template.to_json()
    return data
