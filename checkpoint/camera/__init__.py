"""Frame sources for the desk: OpenCV cameras, video files, image folders and the demo source.

Every source is a `FrameSource`: `read()` gives the next BGR frame or None when it has no
more, `close()` lets go of the device. The GUI runs a source on its own thread, so a source
may block in `read()`; `open_source` turns the `--source` text into one.
"""

from checkpoint.camera.demo import DemoSource
from checkpoint.camera.folder import FolderSource
from checkpoint.camera.opencv import DeviceSource, VideoFileSource
from checkpoint.camera.source import CameraError, FrameSource, open_source

__all__ = [
    "CameraError",
    "DemoSource",
    "DeviceSource",
    "FolderSource",
    "FrameSource",
    "VideoFileSource",
    "open_source",
]
