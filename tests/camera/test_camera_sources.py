"""Frame sources: image folders, video files, the demo source, and choosing one by name."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from checkpoint.camera import (
    CameraError,
    DemoSource,
    DeviceSource,
    FolderSource,
    VideoFileSource,
    open_source,
)
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import random_identity, render_specimen
from checkpoint.documents.synth.demo import ERIKSSON


def shade(value: int) -> np.ndarray:
    image = np.full((48, 64, 3), value, np.uint8)
    cv2.putText(image, str(value), (4, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
    return image


def test_folder_plays_images_in_name_order_each_repeated(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "b.png"), shade(200))
    cv2.imwrite(str(tmp_path / "a.png"), shade(40))
    (tmp_path / "c.png").write_bytes(b"not an image")
    (tmp_path / "notes.txt").write_text("ignored")
    source = FolderSource(tmp_path, loop=False, repeat=2)
    frames = []
    while (frame := source.read()) is not None:
        frames.append(int(frame[0, 0, 0]))
    assert frames == [40, 40, 200, 200]
    assert source.name == tmp_path.name


def test_folder_loops_when_asked(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "only.png"), shade(90))
    source = FolderSource(tmp_path, loop=True, repeat=1)
    assert [int(source.read()[0, 0, 0]) for _ in range(3)] == [90, 90, 90]  # type: ignore[index]


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CameraError, match="holds no images"):
        FolderSource(tmp_path)


def write_video(path: Path, values: list[int]) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10.0, (64, 48))
    assert writer.isOpened()
    for value in values:
        writer.write(shade(value))
    writer.release()


def test_video_plays_its_frames_at_its_rate_and_loops(tmp_path: Path) -> None:
    path = tmp_path / "desk.avi"
    write_video(path, [30, 120, 220])
    source = VideoFileSource(path, loop=True)
    assert source.interval_s == pytest.approx(0.1)
    levels = [int(np.median(source.read())) for _ in range(4)]  # type: ignore[arg-type]
    # MJPEG is lossy: each level comes back within a few grey steps.
    assert levels[0] == pytest.approx(30, abs=6)
    assert levels[1] == pytest.approx(120, abs=6)
    assert levels[2] == pytest.approx(220, abs=6)
    assert levels[3] == pytest.approx(30, abs=6)
    source.close()


def test_video_without_loop_ends(tmp_path: Path) -> None:
    path = tmp_path / "once.avi"
    write_video(path, [60, 60])
    source = VideoFileSource(path, loop=False)
    assert source.read() is not None
    assert source.read() is not None
    assert source.read() is None


def test_open_source_by_name(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "a.png"), shade(10))
    write_video(tmp_path / "v.avi", [10])
    assert isinstance(open_source("demo"), DemoSource)
    assert isinstance(open_source(str(tmp_path)), FolderSource)
    assert isinstance(open_source(str(tmp_path / "v.avi")), VideoFileSource)
    with pytest.raises(CameraError, match="no camera, folder or video"):
        open_source(str(tmp_path / "missing"))
    (tmp_path / "notes.txt").write_text("not a video")
    with pytest.raises(CameraError, match="is not a video"):
        open_source(str(tmp_path / "notes.txt"))


def test_a_missing_camera_is_a_clear_error() -> None:
    with pytest.raises(CameraError, match="cannot be opened"):
        DeviceSource("/dev/video-that-does-not-exist")


def test_demo_source_plays_readable_documents_traveller_by_traveller() -> None:
    rng = np.random.default_rng(5)
    specimens = [
        render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng),
        render_specimen(MrzFormat.TD1, random_identity(rng, MrzFormat.TD1), rng=rng),
    ]
    source = DemoSource(specimens, frames_each=4, loop=False, size=(960, 540))
    first = source.read()
    assert first is not None
    assert first.shape == (540, 960, 3)
    read = DocumentReader().read(first)
    assert read.mrz is not None
    assert read.mrz.read.fields.document_number == "L898902C3"
    assert source.traveller == 0
    source.skip()
    assert source.traveller == 1
    rest = []
    while (frame := source.read()) is not None:
        rest.append(frame)
    assert len(rest) == 4
    assert not any(frame is first for frame in rest)
