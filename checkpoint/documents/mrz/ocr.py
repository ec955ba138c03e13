"""Reading one MRZ text line image into characters, with probabilities and alternatives.

MRZ print is fixed-pitch OCR-B, so the line is cut into character cells by the pitch rather
than by a general OCR engine's layout analysis (stock Tesseract reads `<` runs as `K` and
`0` as `O`): the ink's connected components give the glyph height, the baseline's slope and
the pitch, a least-squares fit of their centres to a regular grid gives every cell, and each
cell is normalised to a small glyph image (glyphs stood upright first where the line is
slanted, ink measured against the paper nearby so a stretch under glare keeps its contrast)
and classified by a small multilayer perceptron trained on rendered OCR-B
(`checkpoint.documents.mrz.train`). Inference is a few numpy matrix products, so no
deep-learning runtime is needed. Per-character probabilities and the ranked
alternatives let the parser correct a character where check digits disagree.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image, to_gray
from checkpoint.documents.mrz.glyphs import ALPHABET
from checkpoint.errors import CheckpointError
from checkpoint.paths import resource

MODEL_FILE = "ocrb-mlp.npz"
DEFAULT_MODEL = resource("ocrb", MODEL_FILE)

GLYPH_HEIGHT = 24
GLYPH_WIDTH = 20
CAP_PIXELS = 16
"""Glyph images are GLYPH_HEIGHT×GLYPH_WIDTH with the cap height scaled to CAP_PIXELS."""
WORK_HEIGHT = 44
"""Taller line images are shrunk to this height before the cells are found."""

# A cell keeps the ink within this fraction of the pitch from its centre: beyond it lies the
# neighbour's ink, which would otherwise bleed into tightly printed lines.
CELL_HALF_WIDTH = 0.56
# How far (in pitches) a cell may be re-centred on its own ink, for print jitter and fit error.
MAX_RECENTRE = 0.2
# Ink this much taller than the cap height is no glyph: the edge of the page or a shadow.
MAX_GLYPH_HEIGHT = 1.45
# A line cut into at most this many cells more than it should have is taken to hold stray
# ink at its ends (a page edge, a speck, the page's print beside the zone): its runs of
# `length` cells are offered to the classifier, the one with the most glyphs first. Beyond
# it the pitch itself is wrong (glyphs broken in two) and the cells are stretched.
MAX_STRAY_CELLS = 12
# Ink at least this share of the cap height is a glyph (fillers included); lower, a speck.
GLYPH_SHARE = 0.45
# Shears tried to stand slanted glyphs upright (horizontal shift per pixel of height).
SHEARS = tuple(round(0.075 * k, 3) for k in range(-6, 7))
# Stretches of a line whose slant is measured on its own (perspective varies it).
SLANT_PARTS = 4
SLANT_PIXELS = 1500
SLANT_GAIN = 1.06
# Reach (in cap heights) of the paper and print levels the ink is measured against, and the
# least share of the line's overall contrast a stretch of it is stretched from.
LOCAL_REACH = 1.6
MIN_LOCAL_CONTRAST = 0.15
# Print spanning at least this share of a line's cells has a pitch worth continuing beyond
# its ends; less, and the pitch measured may itself be wrong.
MIN_SPAN_SHARE = 0.6

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class LineRead:
    """What was read on one MRZ line."""

    text: str
    confidences: tuple[float, ...]
    """Probability of each chosen character."""
    alternatives: tuple[tuple[tuple[str, float], ...], ...]
    """Per character, the top three (character, probability), best first."""
    boxes: tuple[tuple[int, int], ...]
    """Per character, the cell's (x0, x1) in the line image."""

    @property
    def mean_confidence(self) -> float:
        return float(np.mean(self.confidences)) if self.confidences else 0.0

    @property
    def min_confidence(self) -> float:
        return min(self.confidences) if self.confidences else 0.0


@dataclass(frozen=True)
class LineGeometry:
    """Where the character cells of a line lie: centre and width of every cell.

    Photos seen at an angle print a line whose pitch grows from one end to the other, so the
    cells follow a quadratic in the cell index rather than a fixed pitch.
    """

    centres: tuple[float, ...]
    pitches: tuple[float, ...]
    cap_height: float
    centre_y: float
    """Vertical centre of the text at x = 0."""
    slope: float
    """Change of the text's vertical centre per pixel to the right."""

    @property
    def count(self) -> int:
        return len(self.centres)

    def scaled(self, factor: float) -> LineGeometry:
        return LineGeometry(
            centres=tuple(c * factor for c in self.centres),
            pitches=tuple(p * factor for p in self.pitches),
            cap_height=self.cap_height * factor,
            centre_y=self.centre_y * factor,
            slope=self.slope,
        )


@dataclass(frozen=True)
class _Blob:
    x0: int
    x1: int
    y0: int
    y1: int

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


class ModelError(CheckpointError):
    """The OCR-B model file is missing or damaged."""


class OcrbRecognizer:
    """Reads MRZ line images; load once, then call `read_line` for every line."""

    def __init__(self, weights: list[tuple[FloatArray, FloatArray]]):
        self._weights = weights

    @classmethod
    def load(cls, path: Path | None = None) -> OcrbRecognizer:
        """Load the model from `path` (file or folder), by default from resources/ocrb/."""
        path = Path(path) if path is not None else DEFAULT_MODEL
        if path.is_dir():
            path = path / MODEL_FILE
        try:
            with np.load(path) as data:
                layers = int(data["layers"])
                alphabet = str(data["alphabet"])
                shape = tuple(int(v) for v in data["glyph_shape"])
                weights = [
                    (
                        data[f"w{i}"].astype(np.float32),
                        data[f"b{i}"].astype(np.float32),
                    )
                    for i in range(layers)
                ]
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(
                f"The OCR-B model {path} cannot be loaded ({exc}): reinstall Checkpoint or "
                "run `python -m checkpoint.documents.mrz.train`."
            ) from exc
        if alphabet != ALPHABET or shape != (GLYPH_HEIGHT, GLYPH_WIDTH):
            raise ModelError(
                f"The OCR-B model {path} was made for other glyphs: retrain it with "
                "`python -m checkpoint.documents.mrz.train`."
            )
        return cls(weights)

    def classify(self, glyphs: npt.NDArray[np.floating]) -> FloatArray:
        """Class probabilities (N, 37) for glyph images (N, GLYPH_HEIGHT, GLYPH_WIDTH), ink = 1."""
        x = np.asarray(glyphs, dtype=np.float32).reshape(len(glyphs), -1)
        for i, (w, b) in enumerate(self._weights):
            # Small products: one BLAS thread serves them best (see checkpoint/__init__.py).
            x = x @ w + b
            if i < len(self._weights) - 1:
                np.maximum(x, 0, out=x)
        x -= x.max(axis=1, keepdims=True)
        np.exp(x, out=x)
        x /= x.sum(axis=1, keepdims=True)
        return x

    def read_line(
        self, line: Image, length: int | None = None, *, start: float | None = None
    ) -> LineRead:
        """Read one upright line; with `length`, cut it into exactly that many cells.

        When the print found spans fewer cells than `length` (glare or fading took the end
        of the line), the cells are laid out both ways it could be: at the measured pitch
        with the missing cells beyond the ends, and stretched over the print found; the
        layout the classifier is surer of is read. With `start` (x in the line image), the
        `length` cells at the measured pitch whose first lies nearest `start` are read: the
        other lines of the block show where the line begins.
        """
        best: tuple[float, LineRead] | None = None
        for glyphs, geometry, scale in cut_glyph_layouts(line, length, start=start):
            probs = self.classify(glyphs)
            read = _line_read(probs, geometry, scale, line.shape[1])
            if best is None or read.mean_confidence > best[0]:
                best = (read.mean_confidence, read)
        if best is None:
            return LineRead(text="", confidences=(), alternatives=(), boxes=())
        return best[1]

    def read_line_voted(self, variants: Sequence[Image], length: int) -> LineRead:
        """Read several images of one line (shifted, re-lit crops) as one, cell by cell.

        Each variant is cut into `length` cells on its own (in the layout the classifier is
        surest of), so a segmentation or binarisation that went wrong on one image is
        outvoted; the class probabilities are averaged, and the boxes are those of the first
        variant. Variants whose cells cannot be found are left out.
        """
        total: FloatArray | None = None
        first: tuple[LineGeometry, float, int] | None = None
        for image in variants:
            options = [
                (self.classify(glyphs), geometry, scale)
                for glyphs, geometry, scale in cut_glyph_layouts(image, length)
                if len(glyphs) == length
            ]
            if not options:
                continue
            probs, geometry, scale = max(options, key=lambda o: float(o[0].max(axis=1).mean()))
            total = probs if total is None else total + probs
            if first is None:
                first = (geometry, scale, image.shape[1])
        if total is None or first is None:
            return LineRead(text="", confidences=(), alternatives=(), boxes=())
        total /= total.sum(axis=1, keepdims=True)
        return _line_read(total, *first)


def _line_read(probs: FloatArray, geometry: LineGeometry, scale: float, width: int) -> LineRead:
    top = np.argsort(-probs, axis=1)[:, :3]
    text = "".join(ALPHABET[i] for i in top[:, 0])
    confidences = tuple(float(probs[n, top[n, 0]]) for n in range(len(probs)))
    alternatives = tuple(
        tuple((ALPHABET[i], float(probs[n, i])) for i in top[n]) for n in range(len(probs))
    )
    boxes = tuple(
        (max(0, round((c - p / 2) / scale)), min(width, round((c + p / 2) / scale)))
        for c, p in zip(geometry.centres, geometry.pitches, strict=True)
    )
    return LineRead(text=text, confidences=confidences, alternatives=alternatives, boxes=boxes)


def cut_glyphs(
    line: Image, length: int | None = None
) -> tuple[FloatArray, LineGeometry | None, float]:
    """Normalised glyph images of the line's cells, the cells' geometry and the scale used.

    Geometry is in the coordinates of the line scaled by `scale` (so the cap height is
    CAP_PIXELS); it is None when the image holds no text.
    """
    layouts = cut_glyph_layouts(line, length)
    if not layouts:
        return np.zeros((0, GLYPH_HEIGHT, GLYPH_WIDTH), np.float32), None, 1.0
    return layouts[-1]


def cut_glyph_layouts(
    line: Image, length: int | None = None, *, start: float | None = None
) -> list[tuple[FloatArray, LineGeometry, float]]:
    """`cut_glyphs` for every plausible layout of the cells; empty when there is no text.

    There is one layout, except when the print spans fewer cells than `length`: then the
    missing cells are first added at the measured pitch beyond the ends; or when it spans
    a few more, with glyph-like ink beyond the best run of `length` cells: then every run of
    `length` cells is offered, that one first. Last (and `cut_glyphs`'s) come the cells
    stretched over all the print. With `start` (and `length`), the one layout is the run of
    `length` cells at the measured pitch that begins nearest `start`."""
    prepared = _prepared(line)
    if prepared is None or (not prepared.blobs and length is None):
        return []
    band, blobs, work = prepared.band, prepared.blobs, prepared.work
    if start is not None and length is not None and blobs:
        layouts = [_cells_from(blobs, band, length, start * work)]
    else:
        layouts = _fit_cells(blobs, band, length, prepared.gray.shape[1])
    if not layouts:
        return []
    scale = CAP_PIXELS / band.cap
    scaled = [geometry.scaled(scale) for geometry in layouts]
    return [(_gather(prepared.ink, geometry), geometry, scale * work) for geometry in scaled]


@dataclass(frozen=True)
class _Prepared:
    """A line made ready to be cut into cells: small, upright, thresholded, its print found."""

    gray: Image
    binary: Image
    band: _Band
    blobs: list[_Blob]
    work: float
    """Scale from the line image to `gray`."""
    ink: FloatArray
    """`gray` scaled to the glyph size, as ink strength (`_ink_map`)."""


# The reader reads most line crops more than once (for their orientation, their length, then
# their text); what does not depend on the cells asked for is kept for the last few crops.
PREPARED_KEPT = 8
_prepared_lines: dict[int, tuple[bytes, _Prepared | None]] = {}
_prepared_lock = threading.Lock()


def _prepared(line: Image) -> _Prepared | None:
    """`_prepare(line)`, from the cache when the same pixels were prepared lately."""
    pixels = line.shape, line.dtype.str, line.tobytes()
    key = hash(pixels)
    content = repr(pixels[:2]).encode() + pixels[2]
    with _prepared_lock:
        kept = _prepared_lines.get(key)
        if kept is not None and kept[0] == content:
            return kept[1]
    prepared = _prepare(line)
    with _prepared_lock:
        while len(_prepared_lines) >= PREPARED_KEPT:
            del _prepared_lines[next(iter(_prepared_lines))]
        _prepared_lines[key] = (content, prepared)
    return prepared


def _prepare(line: Image) -> _Prepared | None:
    """The line small, its ink dark on light, its glyphs upright; None when it is too small."""
    gray = to_gray(line)
    if gray.shape[0] < 6 or gray.shape[1] < 6:
        return None
    # Finding the cells needs no more resolution than the glyphs will have: work small.
    work = min(1.0, WORK_HEIGHT / gray.shape[0])
    if work < 1.0:
        size = (max(6, round(gray.shape[1] * work)), max(6, round(gray.shape[0] * work)))
        gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)
    binary = np.asarray(
        cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1], np.uint8
    )
    if np.count_nonzero(binary) > binary.size // 2:
        # Light print on a dark ground: make the ink dark like everywhere else.
        gray = 255 - gray
        binary = 255 - binary
    band, blobs = _text_band(_blobs(binary), gray.shape[0])
    upright = _deslant(gray, binary, blobs)
    if upright is not None:
        gray, binary = upright
        band, blobs = _text_band(_blobs(binary), gray.shape[0])
    ink = _ink_map(gray, binary, CAP_PIXELS / band.cap)
    return _Prepared(gray=gray, binary=binary, band=band, blobs=blobs, work=work, ink=ink)


def _deslant(gray: Image, binary: Image, blobs: list[_Blob]) -> tuple[Image, Image] | None:
    """The line with its characters stood upright, or None when they stand upright already.

    A document seen from the side, or a locator's quad whose sides miss the page's, leaves
    the glyphs sheared like italics, and more at one end of the line than at the other; the
    cells would cut through them. Each quarter of the line is given the shear that makes
    its glyphs' columns sharpest (the most squared column sums: upright stems), and a shear
    varying linearly along the line is fitted to the quarters. Only the text's own blobs
    count, not a page edge or shadow beside it."""
    if len(blobs) < 8:
        return None
    height, width = binary.shape
    ys_list, xs_list = [], []
    for b in blobs:
        y, x = np.nonzero(binary[b.y0 : b.y1, b.x0 : b.x1])
        ys_list.append(y + b.y0)
        xs_list.append(x + b.x0)
    # A few thousand ink pixels measure the slant as well as all of them, for less.
    step = max(1, sum(len(y) for y in ys_list) // SLANT_PIXELS)
    ys = np.concatenate(ys_list)[::step].astype(np.float32)
    px = np.concatenate(xs_list)[::step].astype(np.float32)
    middle = height / 2
    shear_values = np.array(SHEARS, np.float32)
    # Column of every ink pixel under every shear, each shear in its own range of bins.
    span = width + 2 * height
    moved = np.rint(px[None, :] + shear_values[:, None] * (ys[None, :] - middle)) + height
    moved = np.clip(moved, 0, span - 1) + span * np.arange(len(SHEARS))[:, None]
    left, right = min(b.x0 for b in blobs), max(b.x1 for b in blobs)
    xs, shears, weights = [], [], []
    for part in np.array_split(np.arange(left, right), SLANT_PARTS):
        if len(part) < 2 * height:
            continue
        inside = (px >= part[0]) & (px <= part[-1])
        if not inside.any():
            continue
        counts = np.bincount(
            moved[:, inside].astype(np.int64).ravel(), minlength=span * len(SHEARS)
        )
        scores = (counts.reshape(len(SHEARS), span).astype(np.float64) ** 2).sum(axis=1)
        xs.append((part[0] + part[-1]) / 2)
        best = int(np.argmax(scores))
        upright = scores[SHEARS.index(0.0)]
        # Texture crossing the print moves the optimum a little: only a clear gain counts.
        shears.append(float(shear_values[best]) if scores[best] >= SLANT_GAIN * upright else 0.0)
        weights.append(float(inside.sum()))
    if not shears or not any(shears):
        return None
    if len(shears) >= 2:
        slope, offset = np.polyfit(xs, shears, 1, w=np.sqrt(weights))
    else:
        slope, offset = 0.0, shears[0]
    columns = np.arange(width, dtype=np.float32)
    rows = np.arange(height, dtype=np.float32)[:, None]
    shear_at = (offset + slope * columns)[None, :].astype(np.float32)
    map_x = (columns[None, :] - shear_at * (rows - middle)).astype(np.float32)
    map_y = np.broadcast_to(rows, (height, width)).astype(np.float32)
    upright = np.asarray(
        cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE),
        np.uint8,
    )
    return upright, np.asarray(cv2.remap(binary, map_x, map_y, cv2.INTER_NEAREST), np.uint8)


def _blobs(binary: Image) -> list[_Blob]:
    """Connected ink components; too small specks dropped, and ink from the top to the bottom
    of the crop or in one of its corners (rules, the page's edge, a frame): print lies
    within the crop's top and bottom margins."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    height, width = binary.shape
    min_area = max(4, round((0.04 * height) ** 2))
    blobs = []
    for x, y, w, h, area in stats[1:count]:
        if area < min_area or h > 0.98 * height:
            continue
        if (x == 0 or x + w == width) and (y == 0 or y + h == height):
            continue
        blobs.append(_Blob(int(x), int(x + w), int(y), int(y + h)))
    return blobs


@dataclass(frozen=True)
class _Band:
    """The text's cap height and its vertical centre line (at x = 0 and its slope)."""

    cap: float
    centre_y: float
    slope: float


def _text_band(blobs: list[_Blob], image_height: int) -> tuple[_Band, list[_Blob]]:
    """Cap height, vertical centre at x = 0 and slope of the text; the blobs that belong to it."""
    if not blobs:
        return _Band(image_height * 0.6, image_height / 2, 0.0), []
    heights = np.array([b.height for b in blobs], dtype=np.float64)
    top = float(np.percentile(heights, 90, method="nearest"))
    tall = [b for b in blobs if b.height >= 0.6 * top]
    # Fillers (`<`) are shorter than letters and may fill most of a line: take the tallest
    # group of glyphs, not the typical blob, as the cap height.
    group = [b.height for b in tall if 0.85 * top <= b.height <= 1.15 * top]
    cap = float(np.median(group if group else [b.height for b in tall]))
    xs = np.array([b.cx for b in tall])
    ys = np.array([b.cy for b in tall])
    slope, centre = 0.0, float(np.median(ys))
    if len(tall) >= 4 and np.ptp(xs) > 2 * cap:
        keep = np.ones(len(tall), bool)
        for _ in range(2):
            slope, centre = (float(v) for v in np.polyfit(xs[keep], ys[keep], 1))
            residual = np.abs(ys - (centre + slope * xs))
            keep = residual < max(0.15 * cap, 1.0)
            if keep.sum() < 3:
                slope, centre = 0.0, float(np.median(ys))
                break
        slope = float(np.clip(slope, -0.1, 0.1))
    members = []
    for b in blobs:
        mid = centre + slope * b.cx
        overlap = min(b.y1, mid + cap / 2) - max(b.y0, mid - cap / 2)
        if overlap >= 0.5 * min(b.height, cap) and b.height <= MAX_GLYPH_HEIGHT * cap:
            members.append(b)
    return _Band(cap, centre, slope), _merge_broken(members)


def _merge_broken(blobs: list[_Blob]) -> list[_Blob]:
    """Join pieces of one broken glyph that lie above one another."""
    merged: list[_Blob] = []
    for b in sorted(blobs, key=lambda b: b.x0):
        if merged:
            last = merged[-1]
            overlap = min(last.x1, b.x1) - max(last.x0, b.x0)
            if overlap >= 0.6 * min(last.width, b.width):
                merged[-1] = _Blob(
                    min(last.x0, b.x0), max(last.x1, b.x1), min(last.y0, b.y0), max(last.y1, b.y1)
                )
                continue
        merged.append(b)
    return merged


def _fit_cells(
    blobs: list[_Blob], band: _Band, length: int | None, width: int
) -> list[LineGeometry]:
    """The cells: blobs are numbered by walking the line, then a quadratic is fitted.

    Several layouts when the print spans fewer or a few more cells than `length`; see
    `cut_glyph_layouts`.
    """
    if not blobs:
        if length is None:
            return []
        step = width / length
        return [_geometry(np.array([0.0, step, step / 2]), (0.0, length - 1.0), length, band)]
    centres, heights = _split_touching(blobs, band.cap)
    index = _number(centres, band.cap)
    layouts = []
    if length is not None and 0 < round(index.max() - index.min()) + 1 - length <= MAX_STRAY_CELLS:
        keep = _best_window(index, heights, band.cap, length)
        if not (heights[~keep] >= GLYPH_SHARE * band.cap).any():
            centres, index = centres[keep], index[keep]
        else:
            # Glyph-like ink outside the window: a stroke of the background beside the line,
            # or a longer line than `length` (a 44-character visa line is no 36-character one
            # without its end). Every run of `length` cells is offered, the window's first,
            # and the classifier, surest of the run that holds the line, decides.
            first_index = float(index.min())
            best_start = float(index[keep].min())
            starts = [best_start] + [
                first_index + k
                for k in range(round(index.max() - first_index) + 2 - length)
                if first_index + k != best_start
            ]
            for start in starts:
                inside = (index >= start) & (index <= start + length - 1)
                if np.count_nonzero(inside) < 2:
                    continue  # a run over a gap in the print: nothing to fit its cells to
                kept = _fit_quadratic(index[inside], centres[inside])
                layouts.append(_geometry(kept, (start, start + length - 1), length, band))
    coeffs = _fit_quadratic(index, centres)
    first, last = float(index.min()), float(index.max())
    count = round(last - first) + 1
    if length is not None and MIN_SPAN_SHARE * length <= count < length:
        layouts.append(_extended(coeffs, (first, last), length, band, width))
    if length is not None and count != length:
        count = length
        # Let the outermost blobs decide the extent; keep the fitted perspective.
        index = first + (index - first) * (length - 1) / max(last - first, 1.0)
        coeffs = _fit_quadratic(index, centres)
        for _ in range(2):
            cells = np.polyval(coeffs, first + np.arange(length))
            nearest = np.abs(centres[:, None] - cells[None, :]).argmin(axis=1)
            coeffs = _fit_quadratic(first + nearest.astype(np.float64), centres)
        last = first + length - 1
    layouts.append(_geometry(coeffs, (first, last), count, band))
    return layouts


def _cells_from(blobs: list[_Blob], band: _Band, length: int, start: float) -> LineGeometry:
    """`length` cells at the pitch fitted to the print, the first nearest `start`."""
    centres, _ = _split_touching(blobs, band.cap)
    index = _number(centres, band.cap)
    coeffs = _fit_quadratic(index, centres)
    candidates = np.arange(index.min() - length, index.max() + 1)
    first = float(candidates[np.argmin(np.abs(np.polyval(coeffs, candidates) - start))])
    return _geometry(coeffs, (first, first + length - 1), length, band)


def _extended(
    coeffs: npt.NDArray[np.float64],
    span: tuple[float, float],
    length: int,
    band: _Band,
    width: int,
) -> LineGeometry:
    """The fitted cells continued at their pitch to `length` cells: each missing cell goes to
    the end with more room left in the image, where the washed-out print must lie."""
    first, last = span
    for _ in range(length - (round(last - first) + 1)):
        left_room = float(np.polyval(coeffs, first - 1))
        right_room = width - float(np.polyval(coeffs, last + 1))
        if left_room > right_room:
            first -= 1
        else:
            last += 1
    return _geometry(coeffs, (first, last), length, band)


def _geometry(
    coeffs: npt.NDArray[np.float64],
    span: tuple[float, float],
    count: int,
    band: _Band,
) -> LineGeometry:
    first, last = span
    index = np.linspace(first, last, count) if count > 1 else np.array([first])
    centres = np.polyval(coeffs, index)
    pitches = np.polyval(np.polyder(coeffs), index)
    pitches = np.clip(pitches, 0.3 * band.cap, 3.0 * band.cap)
    return LineGeometry(
        centres=tuple(float(c) for c in centres),
        pitches=tuple(float(p) for p in pitches),
        cap_height=band.cap,
        centre_y=band.centre_y,
        slope=band.slope,
    )


def _best_window(
    index: npt.NDArray[np.float64],
    heights: npt.NDArray[np.float64],
    cap: float,
    length: int,
) -> npt.NDArray[np.bool_]:
    """Which glyphs lie in the run of `length` cells holding the most glyph-like ink.

    A glyph counts fully when its height is a glyph's (fillers are shorter than capitals,
    specks much shorter), so a speck or page edge beyond the text's end loses to the text.
    """
    weight = np.where(heights >= GLYPH_SHARE * cap, 1.0, 0.1)
    first = index.min()
    spans = [
        (index >= first + k) & (index <= first + k + length - 1)
        for k in range(round(index.max() - first) + 2 - length)
    ]
    best: npt.NDArray[np.bool_] = max(spans, key=lambda inside: float(weight[inside].sum()))
    return best


def _split_touching(
    blobs: list[_Blob], cap: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Centres and heights of the glyphs, blobs of several touching glyphs split evenly."""
    widths = np.array([b.width for b in blobs], dtype=np.float64)
    narrow = widths[widths < 1.2 * cap]
    glyph = float(np.median(narrow)) if narrow.size else 0.65 * cap
    steps = np.diff([b.cx for b in blobs])
    plausible = steps[(steps > 0.55 * cap) & (steps < 2.6 * cap)]
    pitch = float(np.median(plausible)) if plausible.size else 0.9 * cap
    found: list[tuple[float, float]] = []
    for b in blobs:
        parts = 1 + round(max(b.width - glyph, 0.0) / pitch)
        if parts == 1:
            found.append((b.cx, b.height))
            continue
        spacing = (b.width - glyph) / (parts - 1)
        found.extend((b.x0 + glyph / 2 + i * spacing, b.height) for i in range(parts))
    found.sort()
    return np.array([c for c, _ in found]), np.array([h for _, h in found])


def _number(centres: npt.NDArray[np.float64], cap: float) -> npt.NDArray[np.float64]:
    """Cell index of each glyph centre, walking left to right with a pitch that may drift."""
    steps = np.diff(centres)
    plausible = steps[(steps > 0.55 * cap) & (steps < 2.6 * cap)]
    pitch = float(np.median(plausible)) if plausible.size else 0.9 * cap
    index = np.zeros(len(centres))
    for j in range(1, len(centres)):
        cells = max(round(steps[j - 1] / pitch), 0)
        index[j] = index[j - 1] + cells
        if cells >= 1:
            local = steps[j - 1] / cells
            if abs(local - pitch) < 0.25 * pitch:
                pitch = 0.8 * pitch + 0.2 * local
    return index


def _fit_quadratic(
    index: npt.NDArray[np.float64], centres: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Robust least-squares centre = quadratic(index); linear when there are few points."""
    keep = np.ones(len(index), bool)
    degree = 2 if np.unique(index).size >= 6 else 1
    if np.unique(index).size < 2:
        return np.array([0.0, 1.0, float(centres.mean() - index.mean())])
    coeffs = np.zeros(3)
    for _ in range(3):
        fitted = np.polyfit(index[keep], centres[keep], degree)
        coeffs = np.concatenate([np.zeros(3 - fitted.size), fitted])
        pitch = abs(float(np.polyval(np.polyder(coeffs), index.mean()))) or 1.0
        residual = np.abs(centres - np.polyval(coeffs, index))
        new_keep = residual < 0.3 * pitch
        if new_keep.sum() < max(3, degree + 1) or (new_keep == keep).all():
            break
        keep = new_keep
    return coeffs


def _ink_map(gray: Image, binary: Image, scale: float) -> FloatArray:
    """The line scaled to the glyph size, as ink strength from 0 (ground) to 1 (ink)."""
    size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    small = np.asarray(cv2.resize(gray, size, interpolation=interpolation), np.float32)
    # Typical ink and ground levels, from the histogram: cheaper than medians of all pixels.
    fg = _median_level(gray, binary)
    bg = _median_level(gray, 255 - binary)
    fg = 0.0 if fg is None else fg
    bg = 255.0 if bg is None else bg
    # Glare pales a stretch of the line: measured against the paper and the darkest print
    # near each pixel, that stretch keeps its contrast, as the eye reads it. The contrast is
    # never stretched beyond 1 / MIN_LOCAL_CONTRAST, or a blank stretch would turn to ink.
    near = max(3, round(LOCAL_REACH * CAP_PIXELS)) | 1
    kernel = np.ones((near, near), np.uint8)
    paper = cv2.blur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), (near, near))
    darkest = cv2.blur(cv2.erode(small, kernel), (near, near))
    contrast = np.maximum(paper - darkest, max(MIN_LOCAL_CONTRAST * (bg - fg), 1.0))
    ink_strength: FloatArray = np.clip((paper - small) / contrast, 0.0, 1.0)
    return ink_strength


def _median_level(gray: Image, mask: Image) -> float | None:
    hist = cv2.calcHist([gray], [0], mask, [256], [0, 256]).ravel()
    total = hist.sum()
    if total <= 0:
        return None
    return float(np.searchsorted(np.cumsum(hist), total / 2))


def _gather(ink: FloatArray, geometry: LineGeometry) -> FloatArray:
    """Cut each cell out of the scaled ink map, masked to its cell and re-centred on its ink."""
    pad = GLYPH_WIDTH + GLYPH_HEIGHT
    padded = np.pad(ink, pad)
    centres = np.array(geometry.centres)
    pitches = np.array(geometry.pitches)
    mids = geometry.centre_y + geometry.slope * centres
    rows = (np.round(mids - GLYPH_HEIGHT / 2).astype(np.int64) + pad)[:, None] + np.arange(
        GLYPH_HEIGHT
    )
    half_cell = CELL_HALF_WIDTH * pitches[:, None]
    # A window wide enough to recentre within, then the final glyph window.
    wide = GLYPH_WIDTH + 2 * int(np.ceil(MAX_RECENTRE * pitches.max()))
    offsets = np.arange(wide) - wide // 2
    start = np.round(centres).astype(np.int64)
    # Cells continued past the line's ends (washed-out print) may lie beyond the padding.
    cols = np.clip(start[:, None] + offsets + pad, 0, padded.shape[1] - 1)
    rows = np.clip(rows, 0, padded.shape[0] - 1)
    cells = padded[rows[:, :, None], cols[:, None, :]]
    x = (start[:, None] + offsets + 0.5) - centres[:, None]
    inside = np.abs(x) <= half_cell
    cells = cells * inside[:, None, :]
    profile = cells.max(axis=1) > 0.5
    shift = np.zeros(len(centres))
    any_ink = profile.any(axis=1)
    if any_ink.any():
        first = np.argmax(profile, axis=1)
        last = wide - 1 - np.argmax(profile[:, ::-1], axis=1)
        mid = (first + last) / 2 - (wide - 1) / 2
        limit = MAX_RECENTRE * pitches
        shift = np.where(any_ink, np.clip(mid, -limit, limit), 0.0)
    lo = np.round(shift).astype(np.int64) + wide // 2 - GLYPH_WIDTH // 2
    pick = lo[:, None] + np.arange(GLYPH_WIDTH)
    glyphs = np.take_along_axis(cells, pick[:, None, :].repeat(GLYPH_HEIGHT, axis=1), axis=2)
    return np.ascontiguousarray(glyphs, dtype=np.float32)
