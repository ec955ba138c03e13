"""The face networks (dlib's HOG detector, 68-point landmarks, ResNet encoder), loaded once.

Loading the models takes about a second; a `FaceModels` is built once per process (the CLI
builds one per command, the application keeps one in its context) and passed to the readers.
The encoder's identity — name plus a digest of its weights and of the alignment used — is
stored beside every template, so templates made by a different model are never compared.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import warnings
from pathlib import Path
from typing import Any

import dlib

from checkpoint.faces.templates import ModelId

MODEL_NAME = "dlib_face_recognition_resnet_model_v1"
ALIGNMENT = "68pt"


def _cnn_path() -> Path:
    _model_paths()  # imports face_recognition_models with its warning silenced
    import face_recognition_models  # noqa: PLC0415

    return Path(face_recognition_models.cnn_face_detector_model_location())


def _model_paths() -> tuple[Path, Path]:
    # face_recognition_models imports pkg_resources, which warns on every import: the warning
    # is about the package, not about anything the officer can act on.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        import face_recognition_models  # noqa: PLC0415

    return (
        Path(face_recognition_models.pose_predictor_model_location()),
        Path(face_recognition_models.face_recognition_model_location()),
    )


@functools.cache
def _weights_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def current_model_id() -> ModelId:
    """The identity of the encoder this installation uses (weights digest + alignment)."""
    _, encoder_path = _model_paths()
    return ModelId(MODEL_NAME, f"sha256:{_weights_digest(encoder_path)}+{ALIGNMENT}")


class FaceModels:
    """dlib's detector, landmark predictor and encoder; build once and share.

    dlib releases the GIL while it works and its detector keeps per-call state, so two
    threads running the same model at once can crash the process: every call goes through
    `lock` (the desk screens in its own process, so this costs a desk no parallelism).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        landmarks_path, encoder_path = _model_paths()
        self.detector: Any = dlib.get_frontal_face_detector()
        self.landmarks: Any = dlib.shape_predictor(str(landmarks_path))
        self.encoder: Any = dlib.face_recognition_model_v1(str(encoder_path))
        self.model_id = current_model_id()
        self._cnn: Any = None

    def cnn_detector(self) -> Any:
        """dlib's CNN detector, loaded on first use (seconds per frame on a CPU)."""
        with self.lock:
            if self._cnn is None:
                self._cnn = dlib.cnn_face_detection_model_v1(str(_cnn_path()))
            return self._cnn


@functools.cache
def default_models() -> FaceModels:
    """One shared `FaceModels` for callers that do not pass their own (loaded on first use)."""
    return FaceModels()
