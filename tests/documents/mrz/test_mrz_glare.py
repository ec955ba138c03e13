"""Photos with glare over the MRZ: the zone is still found and read, or not accepted."""

from __future__ import annotations

import numpy as np
import pytest

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.mrz.reader import MrzReader
from checkpoint.documents.synth import photograph, random_identity, render_specimen


@pytest.fixture(scope="module")
def reader() -> MrzReader:
    return MrzReader()


def glared(
    fmt: MrzFormat, seed: int, reader: MrzReader, strength: float
) -> tuple[np.ndarray, tuple[str, ...]]:
    """A clean photo with a patch of glare centred on the MRZ, and the MRZ's text."""
    rng = np.random.default_rng(seed)
    specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
    photo = photograph(specimen, rng, size=(1280, 720), degrade="clean")
    found = reader.read(photo.image)
    assert found is not None
    assert found.read.lines == tuple(specimen.lines)
    quad = found.location.quad
    centre = quad.mean(axis=0)
    reach = 0.12 * float(np.linalg.norm(quad[1] - quad[0]))
    ys, xs = np.mgrid[: photo.image.shape[0], : photo.image.shape[1]].astype(np.float32)
    light = strength * np.exp(-0.5 * ((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / reach**2)
    image = np.clip(photo.image.astype(np.float32) + light[:, :, None], 0, 255).astype(np.uint8)
    return image, tuple(specimen.lines)


@pytest.mark.parametrize(
    ("fmt", "seed", "strength"),
    [(MrzFormat.TD1, 3, 150.0), (MrzFormat.FR_ID, 5, 215.0), (MrzFormat.TD3, 8, 215.0)],
)
def test_glare_over_the_middle_of_the_zone(
    reader: MrzReader, fmt: MrzFormat, seed: int, strength: float
) -> None:
    image, truth = glared(fmt, seed, reader, strength)
    result = reader.read(image)
    assert result is not None
    assert result.read.lines == truth
    assert result.accepted


def test_glare_that_erases_the_print_is_never_accepted_wrong(reader: MrzReader) -> None:
    image, truth = glared(MrzFormat.TD3, 8, reader, strength=400.0)
    result = reader.read(image)
    assert result is None or not result.accepted or result.read.lines == truth
