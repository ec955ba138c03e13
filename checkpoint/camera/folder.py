"""A folder of images played as frames, in name order: scanned pages, saved camera stills.

Each image is shown for `hold_s` seconds (several frames) so the desk sees each document long
enough to read it, as it would under a camera. Unreadable files are skipped, not fatal.
"""

from __future__ import annotations

import logging
from pathlib import Path

from checkpoint.camera.source import CameraError
from checkpoint.documents.image import Image, load_image
from checkpoint.errors import CheckpointError

log = logging.getLogger("checkpoint.camera")

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})


class FolderSource:
    """The images in a folder, each repeated for `repeat` frames, looping if asked."""

    def __init__(
        self, folder: Path, *, loop: bool = True, repeat: int = 20, interval_s: float = 0.1
    ) -> None:
        self.name = Path(folder).name or str(folder)
        self.interval_s = interval_s
        self._paths = sorted(
            p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES
        )
        if not self._paths:
            raise CameraError(f"{folder} holds no images: put .jpg or .png files in it.")
        self._loop = loop
        self._repeat = max(1, repeat)
        self._index = 0
        self._shown = 0
        self._current: Image | None = None

    def read(self) -> Image | None:
        while self._current is None or self._shown >= self._repeat:
            if self._index >= len(self._paths):
                if not self._loop:
                    return None
                self._index = 0
            path = self._paths[self._index]
            self._index += 1
            self._shown = 0
            try:
                self._current = load_image(path)
            except CheckpointError as exc:
                log.warning("skipping %s: %s", path, exc)
                self._current = None
                if not self._loop and self._index >= len(self._paths):
                    return None
        self._shown += 1
        return self._current

    def close(self) -> None:
        self._current = None
