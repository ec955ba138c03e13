"""A folder whose images are all unreadable gives no frame and says why, rather than spin."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from checkpoint.camera import FolderSource


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_all_unreadable_gives_no_frame_and_a_reason(tmp_path: Path) -> None:
    for name in ("a.png", "b.jpg", "c.png"):
        (tmp_path / name).write_bytes(b"not an image")
    source = FolderSource(tmp_path, loop=True, repeat=1)
    assert source.read() is None
    assert source.problem is not None
    assert "None of the 3 images" in source.problem
    assert source.problem.endswith(".")
    assert "\n" not in source.problem


def test_backs_off_then_reads_an_image_that_became_readable(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"not an image")
    clock = FakeClock()
    source = FolderSource(tmp_path, loop=True, repeat=1, retry_s=5.0, clock=clock)
    assert source.read() is None
    cv2.imwrite(str(tmp_path / "a.png"), np.full((24, 32, 3), 77, np.uint8))
    clock.now += 1.0
    assert source.read() is None, "no new pass before retry_s"
    clock.now += 5.0
    frame = source.read()
    assert frame is not None
    assert int(frame[0, 0, 0]) == 77
    assert source.problem is None


def test_one_readable_image_among_unreadable_still_plays(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"not an image")
    (tmp_path / "b.png").write_bytes(b"not an image either")
    cv2.imwrite(str(tmp_path / "c.png"), np.full((24, 32, 3), 150, np.uint8))
    source = FolderSource(tmp_path, loop=True, repeat=1)
    values = [
        int(frame[0, 0, 0]) for frame in (source.read() for _ in range(3)) if frame is not None
    ]
    assert values == [150, 150, 150]
    assert source.problem is None
