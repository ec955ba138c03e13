"""The holder's portrait on a document image, told apart from the traveller by the MRZ."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from faces_images import face_crop

from checkpoint.faces.models import default_models
from checkpoint.faces.portrait import PORTRAIT_DETECT, find_portrait
from checkpoint.faces.read import FaceReader

MRZ_LINES = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


@pytest.fixture(scope="module")
def reader() -> FaceReader:
    return FaceReader(default_models(), detect=PORTRAIT_DETECT)


def data_page(with_portrait: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A TD3-like data page (880x620) and its MRZ quad (top-left, top-right, ...)."""
    page = np.full((620, 880, 3), 235, dtype=np.uint8)
    cv2.rectangle(page, (0, 0), (879, 619), (90, 90, 90), 3)
    if with_portrait:
        page[60:320, 40:300] = face_crop(260)
    cv2.putText(page, "UTOPIA", (360, 90), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (20, 20, 20), 3)
    for row, text in enumerate(("ERIKSSON", "ANNA MARIA", "12 AUG 74")):
        position = (360, 160 + 50 * row)
        cv2.putText(page, text, position, cv2.FONT_HERSHEY_SIMPLEX, 1.0, (30, 30, 30), 2)
    for row, line in enumerate(MRZ_LINES):
        position = (30, 520 + 50 * row)
        cv2.putText(page, line, position, cv2.FONT_HERSHEY_PLAIN, 2.0, (0, 0, 0), 2)
    quad = np.array([[28, 492], [852, 492], [852, 580], [28, 580]], dtype=np.float64)
    return page, quad


def desk_scene(with_portrait: bool = True) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """The page on the desk, and the traveller's larger face beside it."""
    scene = np.full((1000, 1700, 3), 120, dtype=np.uint8)
    page, quad = data_page(with_portrait)
    top, left = 340, 40
    scene[top : top + 620, left : left + 880] = page
    scene[200:680, 1100:1580] = face_crop(480)
    return scene, quad + np.array([left, top]), (left, top)


def test_portrait_is_the_face_on_the_page(reader: FaceReader) -> None:
    scene, quad, (left, top) = desk_scene()
    portrait = find_portrait(scene, quad, reader)
    assert portrait is not None
    assert portrait.subject
    cx, cy = portrait.box.center
    assert left + 40 < cx < left + 300
    assert top + 60 < cy < top + 320
    assert portrait.template is not None
    # Without the MRZ, the largest face wins: here, the traveller.
    largest = find_portrait(scene, None, reader)
    assert largest is not None
    assert largest.box.left > 1100


def test_page_without_portrait_gives_none(reader: FaceReader) -> None:
    scene, quad, _ = desk_scene(with_portrait=False)
    assert find_portrait(scene, quad, reader) is None


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_sideways_and_upside_down_pages(reader: FaceReader, turns: int) -> None:
    scene, quad, _ = desk_scene()
    upright = find_portrait(scene, quad, reader)
    assert upright is not None
    height, width = scene.shape[:2]
    turned = np.ascontiguousarray(np.rot90(scene, turns))

    def move(points: np.ndarray) -> np.ndarray:
        # Where np.rot90(image, turns) puts each (x, y) of the original image.
        out = points.astype(np.float64)
        w, h = width, height
        for _ in range(turns):
            out = np.stack([out[:, 1], w - 1 - out[:, 0]], axis=1)
            w, h = h, w
        return out

    portrait = find_portrait(turned, move(quad), reader)
    assert portrait is not None
    corners = move(
        np.array(
            [[upright.box.left, upright.box.top], [upright.box.right - 1, upright.box.bottom - 1]]
        )
    )
    expected = corners.min(axis=0)
    assert abs(portrait.box.left - expected[0]) <= 3
    assert abs(portrait.box.top - expected[1]) <= 3
    assert abs(portrait.box.width - upright.box.width) <= 3
    np.testing.assert_allclose(portrait.landmarks, move(upright.landmarks), atol=3)


def test_quad_given_upside_down_is_tried_the_other_way(reader: FaceReader) -> None:
    scene, quad, (left, _) = desk_scene()
    portrait = find_portrait(scene, np.roll(quad, 2, axis=0), reader)
    assert portrait is not None
    assert left + 40 < portrait.box.center[0] < left + 300
