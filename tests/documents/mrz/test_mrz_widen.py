"""Lines cut short (glare at a line's end) are cut again from the margined crop and read."""

from __future__ import annotations

import numpy as np
import pytest

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.mrz.locate import LINE_HEIGHT, MrzLocation
from checkpoint.documents.mrz.reader import MrzImageRead, MrzReader
from checkpoint.documents.synth import photograph, random_identity, render_specimen


@pytest.fixture(scope="module")
def reader() -> MrzReader:
    return MrzReader()


def clean_read(reader: MrzReader, fmt: MrzFormat, seed: int) -> tuple[MrzImageRead, float]:
    """An exact read of a clean photo, and the pitch of its cells in crop pixels."""
    rng = np.random.default_rng(seed)
    specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
    photo = photograph(specimen, rng, size=(1280, 720), degrade="clean")
    result = reader.read(photo.image)
    assert result is not None
    assert result.read.lines == tuple(specimen.lines)
    boxes = result.line_reads[0].boxes
    pitch = float(np.median([end - start for start, end in boxes]))
    return result, pitch


def test_widened_crops_grow_at_the_end_asked(reader: MrzReader) -> None:
    result, pitch = clean_read(reader, MrzFormat.TD3, 4)
    location = result.location
    longer = location.widened(tuple((0.0, 6 * pitch) for _ in location.lines))
    shorter = location.widened(tuple((0.0, -3 * pitch) for _ in location.lines))
    for plain, wide, short in zip(location.lines, longer.lines, shorter.lines, strict=True):
        assert wide.shape[0] == short.shape[0] == LINE_HEIGHT
        assert abs(wide.shape[1] - plain.shape[1] - 6 * pitch) <= 2
        assert abs(plain.shape[1] - short.shape[1] - 3 * pitch) <= 2
        # The start of the line is where it was.
        assert np.abs(wide[:, :50].astype(int) - plain[:, :50].astype(int)).mean() < 2


def test_widening_follows_the_reading_direction_when_flipped(reader: MrzReader) -> None:
    result, pitch = clean_read(reader, MrzFormat.TD1, 6)
    location: MrzLocation = result.location
    extra = tuple((float(n) * pitch, 4 * pitch) for n in range(len(location.lines)))
    turned = location.flipped().widened(tuple((after, before) for before, after in extra[::-1]))
    back = turned.flipped()
    for once, twice in zip(location.widened(extra).lines, back.lines, strict=True):
        assert np.array_equal(once, twice)


@pytest.mark.parametrize(
    ("fmt", "seed", "cells"),
    [
        (MrzFormat.TD3, 4, 3),
        (MrzFormat.TD2, 5, 4),
        # Eight cells lost: the 44-character block looks 36 long and is read so at first.
        (MrzFormat.TD3, 4, 8),
    ],
)
def test_a_line_cut_short_at_its_end_is_read_to_the_end(
    reader: MrzReader, fmt: MrzFormat, seed: int, cells: int
) -> None:
    result, pitch = clean_read(reader, fmt, seed)
    truth = result.read.lines
    # What glare over the last cells does to the crops: they stop short of the line's end.
    cut = result.location.widened(tuple((0.0, -cells * pitch) for _ in truth))
    short = reader._read_location(cut)
    assert short is not None
    assert short.read.lines != truth
    again = reader._read_widened(short)
    assert again is not None
    assert again.read.lines == truth
    assert again.accepted


@pytest.mark.parametrize(("fmt", "seed"), [(MrzFormat.MRV_A, 7), (MrzFormat.TD2, 5)])
def test_lines_of_the_right_length_are_not_cut_again(
    reader: MrzReader, fmt: MrzFormat, seed: int
) -> None:
    # Nor tried at the other two-line length: a 36-character block is no 44 one cut short.
    result, _ = clean_read(reader, fmt, seed)
    assert reader._read_widened(result) is None
