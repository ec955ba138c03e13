"""The lines of a block begin in one column: a line whose cells begin elsewhere is re-read."""

from __future__ import annotations

import numpy as np
import pytest

from checkpoint.documents.mrz.glyphs import render_line
from checkpoint.documents.mrz.locate import MrzLocation
from checkpoint.documents.mrz.reader import MrzReader

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
CAP = 31


@pytest.fixture(scope="module")
def reader() -> MrzReader:
    return MrzReader()


def block(first_line: np.ndarray, second_line: np.ndarray) -> MrzLocation:
    quad = np.array([[0, 0], [100, 0], [100, 20], [0, 20]], np.float32)
    return MrzLocation(quad=quad, line_count=2, lines=(first_line, second_line), score=5.0)


def test_a_stray_mark_before_a_line_whose_end_faded_does_not_shift_it(reader: MrzReader) -> None:
    margin = 2 * CAP
    names = render_line(TD3[0], cap_height=CAP, margin=(margin, 8))
    numbers = render_line(TD3[1], cap_height=CAP, margin=(margin, 8)).image
    image = names.image.copy()
    # The last filler faded away, and a dark mark one cell before the first glyph: the
    # line still shows 44 cells of print, one cell to the left of the line below.
    last_start, last_end = names.boxes[-1]
    image[:, last_start:last_end] = 255
    first_start, first_end = names.boxes[0]
    pitch = first_end - first_start
    mark = slice(first_start - pitch + 4, first_end - pitch - 4)
    image[names.cap_top : names.cap_bottom, mark] = 40

    read = reader._read_location(block(image, numbers))

    assert read is not None
    assert read.read.lines == TD3
