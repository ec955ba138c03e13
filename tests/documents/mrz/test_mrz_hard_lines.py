"""Lines the OCR meets in hard photos: slanted print, glare over a stretch, a washed-out end,
and the page's edge in the crop."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from checkpoint.documents.mrz.glyphs import render_line
from checkpoint.documents.mrz.ocr import OcrbRecognizer, cut_glyph_layouts

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2_LINE = "D231458907UTO7408122F1204159<<<<<<<6"


@pytest.fixture(scope="module")
def recognizer() -> OcrbRecognizer:
    return OcrbRecognizer.load()


def shear(image: np.ndarray, amount: float) -> np.ndarray:
    """Italic print: each row moved right by `amount` pixels per pixel above the middle."""
    h, w = image.shape
    pad = int(abs(amount) * h) + 2
    wide = cv2.copyMakeBorder(image, 0, 0, pad, pad, cv2.BORDER_CONSTANT, value=255)
    matrix = np.array([[1.0, -amount, amount * h / 2], [0.0, 1.0, 0.0]], np.float32)
    return cv2.warpAffine(wide, matrix, (w + 2 * pad, h), borderValue=255)


def framed(text: str, cap: int = 24) -> np.ndarray:
    """A line crop as the locator cuts it: the print in the middle 65 % of the height."""
    return render_line(text, cap_height=cap, margin=(cap // 2, round(cap * 0.4))).image.copy()


@pytest.mark.parametrize("amount", [-0.3, 0.25])
def test_slanted_print_is_stood_upright(recognizer: OcrbRecognizer, amount: float) -> None:
    image = shear(framed(TD3[1]), amount)
    assert recognizer.read_line(image, length=44).text == TD3[1]


def test_glare_over_a_stretch_of_the_line(recognizer: OcrbRecognizer) -> None:
    image = framed(TD3[0]).astype(np.float32)
    xs = np.arange(image.shape[1], dtype=np.float32)
    centre, reach = image.shape[1] * 0.4, image.shape[1] * 0.08
    # Light added over a sixth of the line, leaving its print a fifth of its contrast.
    light = 200.0 * np.exp(-0.5 * ((xs - centre) / reach) ** 2)
    pale = np.clip(image + light[None, :], 0, 255).astype(np.uint8)
    assert recognizer.read_line(pale, length=44).text == TD3[0]


def test_washed_out_end_is_read_at_the_measured_pitch(recognizer: OcrbRecognizer) -> None:
    rendered = render_line(TD2_LINE, cap_height=24, margin=(12, 10))
    image = rendered.image.copy()
    # The last five characters faded to a trace no threshold over the line keeps.
    start = rendered.boxes[-5][0]
    image[:, start:] = np.maximum(image[:, start:], 236)
    layouts = cut_glyph_layouts(image, len(TD2_LINE))
    assert len(layouts) == 2  # continued at the pitch, and stretched
    read = recognizer.read_line(image, length=len(TD2_LINE))
    assert read.text[:-5] == TD2_LINE[:-5]
    for (x0, x1), (t0, t1) in zip(read.boxes, rendered.boxes, strict=True):
        assert abs((x0 + x1) / 2 - (t0 + t1) / 2) < 0.3 * (t1 - t0)


def test_page_edge_in_a_corner_is_no_glyph(recognizer: OcrbRecognizer) -> None:
    image = framed(TD3[1])
    h = image.shape[0]
    # The dark desk beyond the page's edge, cutting the crop's bottom-left corner.
    wedge = np.array([[0, h // 3], [9, h], [0, h]], np.int32)
    cv2.fillPoly(image, [wedge], 30)
    assert recognizer.read_line(image, length=44).text == TD3[1]


def test_background_stroke_beyond_the_end_is_no_cell(recognizer: OcrbRecognizer) -> None:
    rendered = render_line(TD2_LINE, cap_height=24, margin=(40, 10))
    image = rendered.image.copy()
    h = image.shape[0]
    # A stroke of the security print, glyph-high, just past the line's last character.
    x = rendered.boxes[-1][1] + 14
    cv2.line(image, (x, h - 12), (x + 12, 12), 0, 3)
    assert recognizer.read_line(image, length=len(TD2_LINE)).text == TD2_LINE
