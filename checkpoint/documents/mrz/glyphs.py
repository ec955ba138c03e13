"""Rendering MRZ text as OCR-B images: the raw material for training and testing the recogniser.

The recogniser is trained only on synthetic print (the real line crops we can measure against
may not be used for training), and its tests need lines whose text is known exactly. Both come
from here: the OCR-B font (Debian's fonts-ocr-b) is drawn with PIL at the ICAO 9303 pitch of
10 characters per inch, which is wider than the font's own advance, so each glyph is placed in
its own cell rather than drawn as one string.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from checkpoint.documents.image import Image

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
"""The 37 symbols an MRZ may contain, in the order of the recogniser's outputs."""

FONT_DIR = Path("/usr/share/fonts/opentype/ocr-b")
OCRB_FONT = FONT_DIR / "OCRB.otf"

# Pitch over cap height of real MRZ print: measured on real line crops (median 0.86-0.9, from
# 0.75 to 1.0); wider than the font's own advance would suggest.
ICAO_PITCH_RATIO = 0.9


@dataclass(frozen=True)
class RenderedLine:
    """A rendered line and where each character's cell lies in it."""

    image: Image
    boxes: tuple[tuple[int, int], ...]
    """Per character, the cell's (x0, x1) in the image."""
    cap_top: int
    cap_bottom: int


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def cap_height_size(path: Path, cap_height: float) -> int:
    """The font size at which the font's capital letters are `cap_height` pixels tall."""
    probe = _font(str(path), 200)
    _, top, _, bottom = probe.getbbox("H")
    return max(4, round(200 * cap_height / (bottom - top)))


def render_line(
    text: str,
    *,
    cap_height: int = 32,
    pitch: float | None = None,
    font: Path = OCRB_FONT,
    margin: tuple[int, int] | None = None,
    stroke: int = 0,
    jitter: tuple[float, float] = (0.0, 0.0),
    rng: np.random.Generator | None = None,
) -> RenderedLine:
    """Draw `text` as one MRZ line, black on white, each glyph centred in a fixed-pitch cell.

    `pitch` defaults to the usual MRZ pitch for the cap height; `margin` is (horizontal, vertical)
    white space around the text, by default half a cap height. `stroke` thickens strokes by
    that many pixels. `jitter` moves each glyph by up to that fraction of the pitch
    (horizontally) and of the cap height (vertically), like a worn printer head.
    """
    unknown = set(text) - set(ALPHABET)
    if unknown:
        raise ValueError(f"characters outside the MRZ alphabet: {''.join(sorted(unknown))}")
    pitch = float(pitch if pitch is not None else cap_height * ICAO_PITCH_RATIO)
    mx, my = margin if margin is not None else (cap_height // 2, cap_height // 2)
    face = _font(str(font), cap_height_size(font, cap_height))
    cap_top_offset = face.getbbox("H")[1]
    width = round(2 * mx + pitch * len(text))
    height = 2 * my + cap_height
    canvas = PILImage.new("L", (max(width, 1), height), 255)
    draw = ImageDraw.Draw(canvas)
    rng = rng if rng is not None else np.random.default_rng(0)
    boxes = []
    for i, char in enumerate(text):
        x0 = mx + i * pitch
        boxes.append((round(x0), round(x0 + pitch)))
        dx = jitter[0] * pitch * rng.uniform(-1, 1) if jitter[0] else 0.0
        dy = jitter[1] * cap_height * rng.uniform(-1, 1) if jitter[1] else 0.0
        cx = x0 + pitch / 2 + dx
        y = my - cap_top_offset + dy
        draw.text((cx, y), char, font=face, fill=0, anchor="ma", stroke_width=stroke, stroke_fill=0)
    return RenderedLine(
        image=np.asarray(canvas, dtype=np.uint8).copy(),
        boxes=tuple(boxes),
        cap_top=my,
        cap_bottom=my + cap_height,
    )
