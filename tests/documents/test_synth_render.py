"""Specimen documents: every format renders with a valid MRZ, at the ICAO size and pitch."""

from __future__ import annotations

from datetime import date

import cv2
import numpy as np
import pytest

from checkpoint.documents.mrz.formats import LINE_SHAPES, MrzFormat
from checkpoint.documents.mrz.parse import parse_mrz
from checkpoint.documents.synth import (
    Identity,
    demo_specimens,
    random_identity,
    render_specimen,
)
from checkpoint.documents.synth.render import LAYOUTS, MM_PER_INCH, MRZ_PITCH_MM

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize("fmt", list(MrzFormat))
def test_random_identities_compose_valid_mrzs_in_every_format(fmt: MrzFormat) -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        identity = random_identity(rng, fmt)
        lines = identity.mrz_lines(fmt)
        read = parse_mrz(lines, today=TODAY)
        assert read.valid, (identity, lines, read.checks)
        assert read.format is fmt
        assert read.lines == lines


@pytest.mark.parametrize("fmt", list(MrzFormat))
def test_specimen_has_the_format_size_and_mrz_at_ten_characters_per_inch(fmt: MrzFormat) -> None:
    rng = np.random.default_rng(11)
    specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng, dpi=300)
    layout = LAYOUTS[fmt.name]
    px = 300 / MM_PER_INCH
    height, width = specimen.image.shape[:2]
    assert specimen.image.dtype == np.uint8
    assert specimen.image.ndim == 3
    assert abs(width - layout.width_mm * px) <= 1
    assert abs(height - layout.height_mm * px) <= 1
    count, length = LINE_SHAPES[fmt]
    assert len(specimen.lines) == count
    assert {len(line) for line in specimen.lines} == {length}
    assert parse_mrz(specimen.lines, today=TODAY).valid

    x0, y0, x1, y1 = specimen.mrz_box
    assert (x1 - x0) == pytest.approx(length * MRZ_PITCH_MM * px, abs=2)
    # The MRZ sits at the bottom of the page, inside it, below the portrait.
    assert 0 < x0 < x1 < width
    assert specimen.portrait_box[3] < y0 < y1 < height
    assert height - y1 < 10 * px
    # Ink inside the box: dark OCR-B print on a pale page.
    gray = cv2.cvtColor(specimen.image, cv2.COLOR_BGR2GRAY)
    inside = gray[y0:y1, x0:x1]
    assert (inside < 80).mean() > 0.1
    assert np.median(gray) > 150


def test_mrz_characters_fall_in_their_cells_at_the_fixed_pitch() -> None:
    rng = np.random.default_rng(3)
    specimen = render_specimen(MrzFormat.TD3, random_identity(rng, MrzFormat.TD3), rng=rng)
    x0, y0, x1, y1 = specimen.mrz_box
    gray = cv2.cvtColor(specimen.image, cv2.COLOR_BGR2GRAY)
    band = gray[y0:y1, x0:x1] < 100
    pitch = (x1 - x0) / 44
    # Columns between two character cells carry little ink compared with the cells' middles.
    borders = [round(i * pitch) for i in range(1, 44)]
    middles = [round((i + 0.5) * pitch) for i in range(44)]
    assert band[:, borders].mean() < 0.5 * band[:, middles].mean()


def test_a_given_portrait_is_placed_in_the_portrait_box() -> None:
    rng = np.random.default_rng(5)
    portrait = np.zeros((400, 300, 3), np.uint8)
    portrait[:] = (0, 0, 255)
    specimen = render_specimen(
        MrzFormat.TD1, random_identity(rng, MrzFormat.TD1), rng=rng, portrait=portrait
    )
    x0, y0, x1, y1 = specimen.portrait_box
    inside = specimen.image[y0 + 2 : y1 - 2, x0 + 2 : x1 - 2].reshape(-1, 3)
    assert np.all(inside == (0, 0, 255))


def test_rendering_is_reproducible_from_the_seed_and_varies_with_it() -> None:
    def render(seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        return render_specimen(MrzFormat.TD2, random_identity(rng, MrzFormat.TD2), rng=rng).image

    assert np.array_equal(render(1), render(1))
    assert not np.array_equal(render(1), render(2))


def test_random_identities_vary_and_include_specimen_issuers() -> None:
    rng = np.random.default_rng(0)
    identities = [random_identity(rng, MrzFormat.TD3) for _ in range(300)]
    assert len({i.surname for i in identities}) > 20
    issuers = {i.issuer for i in identities}
    assert {"UTO", "D"} <= issuers
    lines = [i.mrz_lines(MrzFormat.TD3)[0] for i in identities if i.issuer == "D"]
    assert all(line[2:5] == "D<<" for line in lines)


def test_french_card_has_no_expiry_and_twelve_character_number() -> None:
    rng = np.random.default_rng(4)
    identity = random_identity(rng, MrzFormat.FR_ID)
    assert identity.expiry_date is None
    assert len(identity.document_number) == 12
    assert identity.mrz_lines(MrzFormat.FR_ID)[0].startswith("IDFRA")


def test_demo_specimens_are_fixed_and_cover_every_format() -> None:
    first, second = demo_specimens(), demo_specimens()
    assert [s.lines for s in first] == [s.lines for s in second]
    assert {s.format for s in first} == set(MrzFormat)
    assert first[0].lines == (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )
    assert all(parse_mrz(s.lines, today=TODAY).valid for s in first)


def test_identity_is_a_frozen_value() -> None:
    identity = random_identity(np.random.default_rng(0), MrzFormat.TD1)
    assert isinstance(identity, Identity)
    with pytest.raises(AttributeError):
        identity.surname = "X"  # type: ignore[misc]
