"""The `FrameSource` protocol and `open_source`, which picks a source from the `--source` text.

`demo` is the demo source, a number is a camera index, a folder is a folder of images, a
device node (/dev/video0) is a camera, and any other file is read as a video.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from checkpoint.documents.image import Image
from checkpoint.errors import CheckpointError


class CameraError(CheckpointError):
    """A frame source cannot be opened or read."""


class FrameSource(Protocol):
    """Something that produces frames, one `read()` at a time."""

    @property
    def name(self) -> str:
        """What the status bar calls it (`camera 0`, `demo`, a file name)."""
        ...

    @property
    def interval_s(self) -> float:
        """The pause between frames a live view should keep (0 for a real camera, which
        paces itself by blocking in `read`)."""
        ...

    def read(self) -> Image | None:
        """The next frame (BGR, uint8), or None when the source has no more."""
        ...

    def close(self) -> None: ...


def open_source(spec: str, *, loop: bool = True) -> FrameSource:
    """The frame source `spec` names: `demo`, a camera index, a device, a folder or a video."""
    # Imported here so that `open_source("demo")` does not load OpenCV's video backends
    # and the demo does not load for a camera.
    from checkpoint.camera.demo import DemoSource  # noqa: PLC0415
    from checkpoint.camera.folder import FolderSource  # noqa: PLC0415
    from checkpoint.camera.opencv import DeviceSource, VideoFileSource  # noqa: PLC0415

    text = spec.strip()
    if text == "demo":
        return DemoSource()
    if text.isdigit():
        return DeviceSource(int(text))
    path = Path(text).expanduser()
    if str(path).startswith("/dev/"):
        return DeviceSource(str(path))
    if path.is_dir():
        return FolderSource(path, loop=loop)
    if path.is_file():
        return VideoFileSource(path, loop=loop)
    raise CameraError(
        f"There is no camera, folder or video called '{spec}': "
        "give `demo`, a camera number, a device such as /dev/video0, a folder or a video file."
    )
