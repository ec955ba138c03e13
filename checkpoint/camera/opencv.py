"""Cameras and video files through OpenCV's VideoCapture (the headless build; Qt draws).

A camera blocks in `read` until its next frame, which paces the capture thread; a video file
does not, so it is paced at the file's own frame rate and may loop for a demonstration.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from checkpoint.camera.source import CameraError
from checkpoint.documents.image import Image

DEFAULT_FPS = 25.0


def _frame(ok: bool, frame: object) -> Image | None:
    if not ok or not isinstance(frame, np.ndarray) or frame.size == 0:
        return None
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    return np.ascontiguousarray(frame, dtype=np.uint8)


class DeviceSource:
    """A live camera by index (0, 1, ...) or device path (/dev/video0)."""

    interval_s = 0.0

    def __init__(self, device: int | str) -> None:
        self.name = f"camera {device}"
        self._capture = cv2.VideoCapture(device)
        if not self._capture.isOpened():
            self._capture.release()
            raise CameraError(
                f"Camera {device} cannot be opened: check that it is connected and not in use."
            )

    def read(self) -> Image | None:
        ok, frame = self._capture.read()
        return _frame(ok, frame)

    def close(self) -> None:
        self._capture.release()


class VideoFileSource:
    """The frames of a video file, at its frame rate, looping back to the start if asked."""

    def __init__(self, path: Path, *, loop: bool = True) -> None:
        self.name = Path(path).name
        self._loop = loop
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            self._capture.release()
            raise CameraError(f"{path} is not a video OpenCV can read: give another file.")
        fps = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.interval_s = 1.0 / (fps if 1.0 <= fps <= 240.0 else DEFAULT_FPS)
        self._frames = 0

    def read(self) -> Image | None:
        ok, frame = self._capture.read()
        image = _frame(ok, frame)
        if image is None and self._loop and self._frames:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
            image = _frame(ok, frame)
        if image is not None:
            self._frames += 1
        return image

    def close(self) -> None:
        self._capture.release()
