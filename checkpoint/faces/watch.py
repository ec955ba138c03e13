"""Every face of a frame against the watchlist's face index, at the gallery's threshold.

The screening pipeline calls `search_faces` with the faces `read_faces` found: all of them,
not just the subject, are searched in one pass over the gallery, and only candidates within
the threshold that `gallery_threshold` sets for this gallery's size are kept. Each hit
carries the calibrated probability and the face's quality, so a hit on a poor face is shown
as such rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint.faces.calibration import DEFAULT_CALIBRATION, Calibration
from checkpoint.faces.read import FaceRead
from checkpoint.faces.search import DEFAULT_TARGET_FPIR, FaceIndex, GalleryThreshold
from checkpoint.faces.search import gallery_threshold as policy


@dataclass(frozen=True)
class Candidate:
    """A listed template near a face: its id, distance and the probability of one person."""

    id: str
    distance: float
    probability_same: float


@dataclass(frozen=True)
class FaceHits:
    """One face of the frame and the listed templates within the threshold (nearest first)."""

    face: FaceRead
    candidates: tuple[Candidate, ...]
    threshold: GalleryThreshold

    @property
    def hit(self) -> bool:
        return bool(self.candidates)


def search_faces(
    index: FaceIndex,
    faces: list[FaceRead],
    *,
    k: int = 5,
    target_fpir: float = DEFAULT_TARGET_FPIR,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> list[FaceHits]:
    """Search every encoded face; faces read without templates are skipped."""
    encoded = [f for f in faces if f.template is not None]
    if not encoded:
        return []
    threshold = policy(len(index), target_fpir, calibration)
    templates = [f.template for f in encoded if f.template is not None]
    found = index.search_many(templates, k, max_distance=threshold.threshold)
    return [
        FaceHits(
            face=face,
            candidates=tuple(
                Candidate(identifier, d, calibration.probability_same(d)) for identifier, d in hits
            ),
            threshold=threshold,
        )
        for face, hits in zip(encoded, found, strict=True)
    ]
