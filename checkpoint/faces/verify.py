"""1:1 verification: is the face at the desk the face on the document?

The answer is a distance, a decision at the 1:1 threshold, and a confidence the officer can
read. The threshold is 0.55, not face_recognition's 0.6: on the calibration
(`checkpoint.faces.calibration`) 0.55 gives a false-match rate of about 5 in 100,000 under
the normal model — so still under the 1 in 1,000 that border-control gates are specified for
once real, heavier tails and harder populations are allowed for — for a false non-match rate
near 0.4 %. On the labelled photos it separates every same-person pair (largest 0.51) from
every different-person pair (smallest 0.67).

Confidence is the calibrated probability that the decision is right, pulled towards a coin
toss by the poorer of the two faces' quality: a blurred or tiny face never yields a
confident answer, and its problems are listed with the result. No face, or a file that is
not an image, gives an "inconclusive" result with the reason, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checkpoint.documents.image import Image, load_image
from checkpoint.errors import ImageError
from checkpoint.faces.calibration import DEFAULT_CALIBRATION, VERIFY_THRESHOLD, Calibration
from checkpoint.faces.detect import DetectOptions
from checkpoint.faces.read import FaceRead, FaceReader, subject_of
from checkpoint.faces.templates import distance

__all__ = ["VERIFY_THRESHOLD", "Comparison", "Side", "Verification", "Verifier", "compare_faces"]

MATCH = "match"
NO_MATCH = "no match"
INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Comparison:
    """Two templates compared: distance, decision and how far to trust it."""

    distance: float
    threshold: float
    decision: str
    probability_same: float
    confidence: float
    quality_factor: float


@dataclass(frozen=True)
class Side:
    """One of the two images of a 1:1 check: the face used, or why there is none."""

    name: str
    faces_found: int
    face: FaceRead | None
    problem: str | None = None

    @property
    def problem_sentence(self) -> str:
        """The problem, naming the image unless the message already does."""
        problem = self.problem or ""
        return problem if problem.startswith(self.name) else f"{self.name}: {problem}"

    @property
    def notes(self) -> tuple[str, ...]:
        notes: list[str] = []
        if self.problem:
            notes.append(self.problem_sentence)
        if self.faces_found > 1:
            notes.append(
                f"{self.name}: {self.faces_found} faces found; compared the subject "
                "(largest, most frontal, sharpest)"
            )
        if self.face is not None:
            notes.extend(f"{self.name}: {p}" for p in self.face.quality.problems)
        return tuple(notes)


@dataclass(frozen=True)
class Verification:
    """The result of a 1:1 check: the decision, the comparison behind it, and every note."""

    a: Side
    b: Side
    decision: str
    comparison: Comparison | None

    @property
    def notes(self) -> tuple[str, ...]:
        return self.a.notes + self.b.notes


def compare_faces(
    a: FaceRead,
    b: FaceRead,
    *,
    threshold: float = VERIFY_THRESHOLD,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> Comparison:
    """Compare two encoded faces (raises `TemplateMismatch` for templates of other models)."""
    if a.template is None or b.template is None:
        raise ValueError("both faces need templates: read them with templates=True")
    d = distance(a.template, b.template)
    same = calibration.probability_same(d)
    decision = MATCH if d <= threshold else NO_MATCH
    right = same if decision == MATCH else 1.0 - same
    factor = min(a.quality.score, b.quality.score)
    return Comparison(
        distance=d,
        threshold=threshold,
        decision=decision,
        probability_same=same,
        confidence=0.5 + (right - 0.5) * factor,
        quality_factor=factor,
    )


class Verifier:
    """1:1 checks with one set of loaded models; build once, compare many pairs."""

    def __init__(
        self,
        reader: FaceReader | None = None,
        *,
        threshold: float = VERIFY_THRESHOLD,
        calibration: Calibration = DEFAULT_CALIBRATION,
    ) -> None:
        self.reader = reader or FaceReader(detect=DetectOptions(exhaustive=True))
        self.threshold = threshold
        self.calibration = calibration

    def side(self, name: str, image: Image | None, problem: str | None = None) -> Side:
        """Read one image for a 1:1 check (`image=None` with the `problem` that prevented it)."""
        if image is None:
            return Side(name=name, faces_found=0, face=None, problem=problem)
        faces = self.reader.read(image)
        subject = subject_of(faces)
        return Side(
            name=name,
            faces_found=len(faces),
            face=subject,
            problem=None if subject else "no face found",
        )

    def side_from_file(self, path: Path, name: str | None = None) -> Side:
        label = name or str(path)
        try:
            image = load_image(path)
        except ImageError as exc:
            return self.side(label, None, str(exc).rstrip("."))
        return self.side(label, image)

    def verify_sides(self, a: Side, b: Side) -> Verification:
        if a.face is None or b.face is None:
            return Verification(a=a, b=b, decision=INCONCLUSIVE, comparison=None)
        comparison = compare_faces(
            a.face, b.face, threshold=self.threshold, calibration=self.calibration
        )
        return Verification(a=a, b=b, decision=comparison.decision, comparison=comparison)

    def verify_images(self, a: Image, b: Image) -> Verification:
        return self.verify_sides(self.side("A", a), self.side("B", b))

    def verify_files(self, a: Path, b: Path) -> Verification:
        return self.verify_sides(self.side_from_file(a), self.side_from_file(b))
