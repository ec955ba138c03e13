"""Face templates: 128-d float32 vectors tagged with the model that made them.

A template is computed once per face (about 75 ms on one core with dlib's ResNet) and kept
beside its model's name and version. Comparing templates of different models gives
meaningless distances, so every comparison and every index checks the tags first and refuses
with a `TemplateMismatchError` rather than answering. Only encoding needs dlib: the watchlist
store and the 1:N index handle templates with numpy alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image
from checkpoint.errors import CheckpointError

if TYPE_CHECKING:
    from checkpoint.faces.models import FaceModels

Vector = npt.NDArray[np.float32]
TEMPLATE_SIZE = 128


@dataclass(frozen=True)
class ModelId:
    """Which encoder made a template: templates of different models cannot be compared."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class TemplateMismatchError(CheckpointError):
    """Templates from different face models cannot be compared."""


@dataclass(frozen=True, eq=False)
class FaceTemplate:
    """A face's 128-d float32 template and the model that computed it."""

    vector: Vector = field(repr=False)
    model: ModelId

    def __post_init__(self) -> None:
        vector = np.asarray(self.vector, dtype=np.float32).reshape(-1)
        if vector.shape != (TEMPLATE_SIZE,):
            raise ValueError(f"a template has {TEMPLATE_SIZE} values, not {vector.shape[0]}")
        vector.setflags(write=False)
        object.__setattr__(self, "vector", vector)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model.name,
            "version": self.model.version,
            "vector": [round(float(v), 6) for v in self.vector],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaceTemplate:
        return cls(
            np.asarray(data["vector"], dtype=np.float32),
            ModelId(str(data["model"]), str(data["version"])),
        )


def ensure_compatible(expected: ModelId, got: ModelId) -> None:
    """Refuse to compare templates of different models."""
    if expected != got:
        raise TemplateMismatchError(
            f"the templates were made by {got}, not {expected}: "
            "re-encode the faces with the current model."
        )


def distance(a: FaceTemplate, b: FaceTemplate) -> float:
    """Euclidean distance between two templates of the same model."""
    ensure_compatible(a.model, b.model)
    return float(np.linalg.norm(a.vector.astype(np.float64) - b.vector.astype(np.float64)))


def encode_shapes(
    rgb: Image, shapes: list[Any], models: FaceModels, *, jitters: int = 1
) -> list[FaceTemplate]:
    """Templates of the faces whose dlib landmark shapes were fitted on `rgb`, in one batch."""
    if not shapes:
        return []
    import dlib  # noqa: PLC0415 - only encoding needs dlib; templates alone must not load it

    batch = dlib.full_object_detections()
    for shape in shapes:
        batch.append(shape)
    with models.lock:
        vectors = models.encoder.compute_face_descriptor(rgb, batch, jitters)
    return [FaceTemplate(np.asarray(v, dtype=np.float32), models.model_id) for v in vectors]
