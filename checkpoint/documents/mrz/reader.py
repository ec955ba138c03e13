"""Read the MRZ of a document from a photo or camera frame.

Ties the three stages together: `locate` finds candidate MRZ blocks, `ocr` reads their lines,
`parse` validates and corrects them. The layout alone cannot tell a block from the same block
upside down, so the first line is read both ways and the more confident reading decides. A
candidate whose check digits all agree ends the search; otherwise the best-scoring read of
all candidates is returned, so a partly legible MRZ is still shown with its failed checks.

When no candidate reads valid, the frame is searched again for a zone that glare washed
out (`locate_mrz(..., glare=True)`), and the better read of both searches is kept. All lines
of an MRZ begin in the same column, so a line whose cells begin elsewhere than its
neighbours' is read again from their column.

A read that is not accepted (failed checks, or a character the OCR hesitated over) gets a
second look: each line is cut again from a few variants of its crop (shifted up and down,
re-lit by local contrast) and the OCR's probabilities are averaged cell by cell, which
outvotes a segmentation or binarisation that went wrong on one image. Most frames are read
cleanly at once, so this costs time only where it is needed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from checkpoint.documents.image import Image
from checkpoint.documents.mrz.formats import LINE_SHAPES, MrzFormat
from checkpoint.documents.mrz.locate import MrzLocation, locate_mrz
from checkpoint.documents.mrz.model import MrzError, MrzRead
from checkpoint.documents.mrz.ocr import LineRead, OcrbRecognizer
from checkpoint.documents.mrz.parse import parse_mrz

log = logging.getLogger(__name__)

# Characters per line for a block of two lines: TD2/MRV-B/French ID (36) or TD3/MRV-A (44).
TWO_LINE_LENGTHS = (44, 36)
THREE_LINE_LENGTH = LINE_SHAPES[MrzFormat.TD1][1]


@dataclass(frozen=True)
class MrzImageRead:
    """An MRZ read from an image, with where it was found."""

    read: MrzRead
    location: MrzLocation
    line_reads: tuple[LineRead, ...]

    @property
    def accepted(self) -> bool:
        """Valid and confident: see `MrzRead.accepted`; otherwise ask for a re-scan."""
        return self.read.accepted


class MrzReader:
    """Locates, recognises and parses MRZs; load once, call for every frame."""

    def __init__(self, recognizer: OcrbRecognizer | None = None, *, max_candidates: int = 3):
        self._recognizer = recognizer or OcrbRecognizer.load()
        self._max_candidates = max_candidates

    def read(self, image: Image) -> MrzImageRead | None:
        """The best MRZ read in the image, or None when there is no legible MRZ."""
        best: tuple[float, MrzImageRead] | None = None
        for glare in (False, True):
            if best is not None and best[1].read.valid:
                break
            for location in locate_mrz(image, max_candidates=self._max_candidates, glare=glare):
                result = self._read_location(location)
                if result is None:
                    continue
                score = _score(result.read)
                if best is None or score > best[0]:
                    best = (score, result)
                if result.read.valid:
                    break
        if best is None:
            return None
        score, result = best
        if not result.accepted:
            widened = self._read_widened(result)
            if widened is not None and _score(widened.read) > score:
                score, result = _score(widened.read), widened
        if not result.accepted:
            second = self._read_voted(result)
            if second is not None and _score(second.read) > score:
                return second
        return result

    def _read_widened(self, first: MrzImageRead) -> MrzImageRead | None:
        """The read again from crops widened where lines were cut badly; None if none was.

        A line whose print spans fewer cells than its length lost its start or end (to glare,
        most often), and its crop ends where the print found ends. Such lines are cut again
        with room for the missing cells at the measured pitch, past their end and, as the
        other guess, before their start. A line with more print than cells (a speck beside
        it, a glyph at the crop's very edge) is cut likewise with a pitch more at one end, so
        the OCR's best run of cells can take the glyph at that end. A two-line block whose
        lines show another count of cells than it was read with is also tried at the other
        two-line length, when that is more than a line shows: glare over both lines' ends
        leaves a 44-character block that looks 36 long, and a 36-character block missing a
        few cells can read best as 44. The best read of all guesses is returned."""
        location = first.location
        read_length = len(first.read.raw_lines[0])
        found = [len(self._recognizer.read_line(line).text) for line in location.lines]
        lengths = {read_length}
        if location.line_count == 2 and any(cells != read_length for cells in found):
            lengths |= {n for n in TWO_LINE_LENGTHS if min(found) < n}
        best: tuple[float, MrzImageRead] | None = None
        for length in sorted(lengths):
            for extra in _widenings(found, first.line_reads, length):
                result = self._read_lines(
                    location.widened(extra), length, before=[grow for grow, _ in extra]
                )
                if result is not None and (best is None or _score(result.read) > best[0]):
                    best = (_score(result.read), result)
        return best[1] if best else None

    def _read_voted(self, first: MrzImageRead) -> MrzImageRead | None:
        """The read again, each line voted over variants of its crop; None if no MRZ."""
        location = first.location
        line_reads = tuple(
            self._recognizer.read_line_voted(_variants(line), len(text))
            for line, text in zip(location.lines, first.read.raw_lines, strict=True)
        )
        try:
            read = parse_mrz(
                [r.text for r in line_reads], alternatives=[r.alternatives for r in line_reads]
            )
        except MrzError:
            return None
        return MrzImageRead(read=read, location=location, line_reads=line_reads)

    def _read_location(self, location: MrzLocation) -> MrzImageRead | None:
        upright = self._choose_orientation(location)
        best: tuple[float, MrzImageRead] | None = None
        for length in self._lengths(upright):
            result = self._read_lines(upright, length)
            if result is None:
                continue
            if result.read.valid:
                return result
            score = _score(result.read)
            if best is None or score > best[0]:
                best = (score, result)
        return best[1] if best else None

    def _read_lines(
        self, location: MrzLocation, length: int, *, before: list[float] | None = None
    ) -> MrzImageRead | None:
        """The block's lines read `length` cells long; None when they make no MRZ.

        All lines of an MRZ begin in the same column. A line whose cells begin elsewhere than
        those of the line the OCR is surest of (a stray mark taken for its first glyph, a
        glyph lost to glare) is read again from that column, and the better parse is kept.
        `before` gives the pixels each crop was widened by at its start."""
        line_reads = tuple(
            self._recognizer.read_line(line, length=length) for line in location.lines
        )
        result = _parsed(location, line_reads)
        offsets = before or [0.0] * len(line_reads)
        starts = _first_cells(line_reads, offsets)
        if starts is None:
            return result
        firsts, pitch = starts
        surest = max(range(len(line_reads)), key=lambda i: line_reads[i].mean_confidence)
        column = firsts[surest]
        if all(abs(first - column) <= ALIGNED * pitch for first in firsts):
            return result
        aligned = tuple(
            read
            if abs(first - column) <= ALIGNED * pitch
            else self._recognizer.read_line(line, length=length, start=column + offset)
            for line, read, first, offset in zip(
                location.lines, line_reads, firsts, offsets, strict=True
            )
        )
        other = _parsed(location, aligned)
        if other is not None and (result is None or _score(other.read) > _score(result.read)):
            return other
        return result

    def _choose_orientation(self, location: MrzLocation) -> MrzLocation:
        flipped = location.flipped()
        as_is = self._recognizer.read_line(location.lines[-1])
        turned = self._recognizer.read_line(flipped.lines[-1])
        return location if as_is.mean_confidence >= turned.mean_confidence else flipped

    def _lengths(self, location: MrzLocation) -> tuple[int, ...]:
        if location.line_count == 3:
            return (THREE_LINE_LENGTH,)
        estimate = len(self._recognizer.read_line(location.lines[0]).text)
        return tuple(sorted(TWO_LINE_LENGTHS, key=lambda n: abs(n - estimate)))


# Lines whose first cells lie within this many pitches of each other begin in one column.
ALIGNED = 0.5


def _parsed(location: MrzLocation, line_reads: tuple[LineRead, ...]) -> MrzImageRead | None:
    try:
        read = parse_mrz(
            [r.text for r in line_reads], alternatives=[r.alternatives for r in line_reads]
        )
    except MrzError as exc:
        log.debug("candidate at %s is not an MRZ: %s", location.quad.tolist(), exc)
        return None
    return MrzImageRead(read=read, location=location, line_reads=line_reads)


def _first_cells(
    line_reads: tuple[LineRead, ...], before: list[float]
) -> tuple[list[float], float] | None:
    """Where each line's first cell is centred, in the columns of the block as cut (before
    any widening), and the cells' pitch; None for a line without cells."""
    if any(not read.boxes for read in line_reads):
        return None
    firsts, pitches = [], []
    for read, offset in zip(line_reads, before, strict=True):
        pitch = float(np.median([end - start for start, end in read.boxes]))
        # A box is clipped at the crop's edge; its right side is not, for the first cell.
        firsts.append(read.boxes[0][1] - pitch / 2 - offset)
        pitches.append(pitch)
    return firsts, float(np.median(pitches))


def _widenings(
    found: list[int], line_reads: tuple[LineRead, ...], length: int
) -> list[tuple[tuple[float, float], ...]]:
    """Per guess, the pixels to add before and after each line for `length` cells: the
    missing cells all after the print found, or all before it (none when nothing is
    missing); a line with more print than `length` cells gets a pitch more at that end."""
    after, before = [], []
    for cells, line_read in zip(found, line_reads, strict=True):
        pitch = float(np.median([end - start for start, end in line_read.boxes]))
        grow = (length - cells) * pitch if cells < length else pitch
        if cells == length:
            grow = 0.0
        after.append((0.0, grow))
        before.append((grow, 0.0))
    unchanged = tuple((0.0, 0.0) for _ in after)
    return sorted({tuple(after), tuple(before)} - {unchanged})


def _score(read: MrzRead) -> float:
    passed = sum(1 for check in read.checks.values() if check.valid)
    return (
        passed + read.confidence + (10.0 if read.valid else 0.0) + (10.0 if read.accepted else 0.0)
    )


# Vertical shifts of a line crop, in pixels of the locator's 48-px line height.
VARIANT_SHIFTS = (-2.0, 2.0)
_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(1, 8))


def _variants(line: Image) -> list[Image]:
    """The crop itself, shifted up and down, and with local contrast evened out (glare)."""
    height, width = line.shape[:2]
    out = [line]
    for dy in VARIANT_SHIFTS:
        matrix = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, dy]], np.float32)
        out.append(
            np.asarray(
                cv2.warpAffine(line, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE),
                np.uint8,
            )
        )
    gray = line if line.ndim == 2 else cv2.cvtColor(line, cv2.COLOR_BGR2GRAY)
    out.append(np.asarray(_CLAHE.apply(gray), np.uint8))
    return out
