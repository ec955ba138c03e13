"""A folder of images played as frames, in name order: scanned pages, saved camera stills.

Each image is shown for `hold_s` seconds (several frames) so the desk sees each document long
enough to read it, as it would under a camera. Unreadable files are skipped, not fatal; a
folder where a whole pass finds nothing readable gives no frame (None, with `problem` saying
why) and is not scanned again for `retry_s`, so a caller polling `read()` never spins forever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from checkpoint.camera.source import CameraError
from checkpoint.documents.image import Image, load_image
from checkpoint.errors import CheckpointError

log = logging.getLogger("checkpoint.camera")

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})


class FolderSource:
    """The images in a folder, each repeated for `repeat` frames, looping if asked."""

    def __init__(
        self,
        folder: Path,
        *,
        loop: bool = True,
        repeat: int = 20,
        interval_s: float = 0.1,
        retry_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(folder)
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
        self.retry_s = retry_s
        self._clock = clock
        self._gave_up_at: float | None = None
        self.problem: str | None = None
        """Why the last `read()` gave no frame though the folder has images, else None."""

    def read(self) -> Image | None:
        if self._gave_up_at is not None and self._clock() - self._gave_up_at < self.retry_s:
            return None
        failures = 0
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
                failures += 1
                if failures >= len(self._paths):
                    self._give_up()
                    return None
                if not self._loop and self._index >= len(self._paths):
                    return None
        self._gave_up_at = None
        self.problem = None
        self._shown += 1
        return self._current

    def _give_up(self) -> None:
        """A whole pass read nothing: no frame now, and no new pass before `retry_s`."""
        self._gave_up_at = self._clock()
        self.problem = (
            f"None of the {len(self._paths)} images in {self.folder} can be read: "
            "replace them with .jpg or .png pictures, or choose another source."
        )

    def close(self) -> None:
        self._current = None
