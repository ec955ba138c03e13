"""The configured frame source: does it open, and does it give a picture in time?

OpenCV prints its own warnings about a camera it cannot open; they say nothing the check's
one line does not, so they are quieted while the source is tried.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2

from checkpoint.camera import CameraError, open_source
from checkpoint.doctor.model import Check, Station, fail, ok, warn

SOURCE_HELP = (
    "`demo`, a camera number, a device such as /dev/video0, a folder of images or a video file"
)


@contextmanager
def _quiet_opencv() -> Iterator[None]:
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(level)


def video_devices() -> list[str]:
    """The camera device nodes this machine has (Linux), for the fix text."""
    return sorted(str(path) for path in Path("/dev").glob("video*"))


def _devices_hint() -> str:
    found = video_devices()
    if not found:
        return "no camera device is visible on this computer"
    return "cameras visible: " + ", ".join(found)


def _is_device(spec: str) -> bool:
    text = spec.strip()
    return text.isdigit() or text.startswith("/dev/")


def camera(station: Station) -> Check:
    name = "Camera"
    spec = station.settings.camera
    with _quiet_opencv():
        try:
            source = open_source(spec)
        except CameraError as exc:
            reason = str(exc).rstrip(".")
            if _is_device(spec):
                reason += f"; {_devices_hint()}"
            return fail(
                name,
                f"the frame source '{spec}' cannot be opened: {reason}",
                "connect the camera (or close the program using it), or set `camera` in the "
                f"settings to {SOURCE_HELP}.",
            )
        try:
            deadline = time.monotonic() + station.camera_timeout_s
            frame = None
            while frame is None and time.monotonic() < deadline:
                try:
                    frame = source.read()
                except CameraError as exc:
                    return fail(
                        name,
                        f"'{source.name}' opened but cannot be read ({exc})",
                        "reconnect the camera or choose another source in the settings.",
                    )
                if frame is None:
                    time.sleep(0.1)
        finally:
            source.close()
    if frame is None:
        return fail(
            name,
            f"'{source.name}' opened but gave no picture in {station.camera_timeout_s:.0f} s",
            "check the camera's cable and lens cover, or choose another source in the settings.",
        )
    height, width = frame.shape[:2]
    detail = f"'{source.name}' gives {width}×{height} pictures"
    if spec.strip() == "demo" and station.settings.first_run == "done":
        return warn(
            name,
            f"{detail}, but it is the demo source on a station that is set up",
            f"set `camera` in the settings to the desk's camera ({SOURCE_HELP}).",
        )
    return ok(name, detail)
