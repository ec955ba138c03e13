"""Photographs of specimens: reproducible, of the asked size, with the MRZ where they say."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import Photo, Specimen, photograph, random_identity, render_specimen


@pytest.fixture(scope="module")
def specimen() -> Specimen:
    rng = np.random.default_rng(21)
    return render_specimen(MrzFormat.TD3, random_identity(rng, MrzFormat.TD3), rng=rng)


def _shoot(specimen: Specimen, seed: int, **kwargs: object) -> Photo:
    return photograph(specimen, np.random.default_rng(seed), **kwargs)  # type: ignore[arg-type]


def test_photos_are_reproducible_from_the_seed(specimen: Specimen) -> None:
    first, again, other = _shoot(specimen, 5), _shoot(specimen, 5), _shoot(specimen, 6)
    assert np.array_equal(first.image, again.image)
    assert np.array_equal(first.mrz_quad, again.mrz_quad)
    assert first.settings == again.settings
    assert not np.array_equal(first.image, other.image)


@pytest.mark.parametrize("size", [(640, 480), (1280, 720), (1920, 1080), (516, 387)])
def test_photo_has_the_asked_size_and_the_mrz_inside_it(
    specimen: Specimen, size: tuple[int, int]
) -> None:
    photo = _shoot(specimen, 1, size=size)
    assert photo.image.shape == (size[1], size[0], 3)
    assert photo.image.dtype == np.uint8
    assert photo.mrz_quad.shape == (4, 2)
    assert np.all(photo.mrz_quad >= 0)
    assert np.all(photo.mrz_quad[:, 0] <= size[0])
    assert np.all(photo.mrz_quad[:, 1] <= size[1])
    assert photo.settings["size"] == size


def test_twelve_megapixel_photo(specimen: Specimen) -> None:
    photo = _shoot(specimen, 2, size=(4000, 3000), degrade="mild")
    assert photo.image.shape == (3000, 4000, 3)


@pytest.mark.parametrize("angle", [0.0, 90.0, 180.0, 270.0])
def test_angle_turns_the_mrz_counter_clockwise(specimen: Specimen, angle: float) -> None:
    photo = _shoot(specimen, 3, angle=angle, degrade="clean")
    top_left, top_right = photo.mrz_quad[0], photo.mrz_quad[1]
    direction = top_right - top_left
    # y points down in images, so a counter-clockwise turn on screen is a negative image angle.
    seen = np.degrees(np.arctan2(-direction[1], direction[0])) % 360
    assert min(abs(seen - angle), 360 - abs(seen - angle)) < 1.0


def test_the_mrz_quad_covers_the_printed_mrz(specimen: Specimen) -> None:
    photo = _shoot(specimen, 4, angle=30.0, fill=0.6, degrade="clean")
    gray = cv2.cvtColor(photo.image, cv2.COLOR_BGR2GRAY)
    inside = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(inside, photo.mrz_quad.round().astype(np.int32), 1)
    dark = gray < 80
    # Dark OCR-B print fills the quad; the rest of the page is pale.
    assert dark[inside == 1].mean() > 0.12


@pytest.mark.parametrize("fill", [0.2, 0.5, 0.9])
def test_fill_sets_the_documents_share_of_the_frame(specimen: Specimen, fill: float) -> None:
    photo = _shoot(specimen, 7, fill=fill, angle=0.0, degrade="clean")
    quad_area = cv2.contourArea(photo.mrz_quad)
    x0, y0, x1, y1 = specimen.mrz_box
    doc_h, doc_w = specimen.image.shape[:2]
    share_of_doc = (x1 - x0) * (y1 - y0) / (doc_w * doc_h)
    doc_area = quad_area / share_of_doc
    assert doc_area / (1280 * 720) == pytest.approx(fill, rel=0.15)


def test_degradations_are_applied_and_recorded(specimen: Specimen) -> None:
    clean = _shoot(specimen, 9, degrade="clean", angle=0.0, fill=0.5)
    assert not {"blur", "noise", "glare", "jpeg", "light"} & set(clean.settings)
    worst = _shoot(specimen, 9, degrade="all", angle=0.0, fill=0.5)
    assert {"blur", "noise", "glare", "jpeg", "light"} <= set(worst.settings)
    blurred = _shoot(specimen, 9, degrade="blur", angle=0.0, fill=0.5)
    sharpness = cv2.Laplacian(cv2.cvtColor(clean.image, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()
    softness = cv2.Laplacian(cv2.cvtColor(blurred.image, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()
    assert softness < 0.7 * sharpness


def test_unknown_degradation_is_refused(specimen: Specimen) -> None:
    with pytest.raises(ValueError, match="unknown degradation"):
        _shoot(specimen, 1, degrade="sepia")
