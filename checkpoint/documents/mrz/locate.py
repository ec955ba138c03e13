"""Find the machine-readable zone in a photo or camera frame and cut out its lines for the OCR.

An MRZ is the text on a page with the longest, densest, most uniform runs of characters at a
fixed pitch: two or three lines of equal length, about 30 to 44 times as long as they are
high, stacked at an even spacing. The search exploits exactly that, classically (no library
locates MRZs; PassportEye's approach, made rotation-invariant and faster):

1. a grey copy at most 800 px long and two pyramid levels below it (1/2, 1/4), so print of
   every size meets, on some level, a morphology kernel that fits it; a level that yields an
   unmistakable block ends the descent;
2. black-hat filtering keeps thin dark strokes (print) and drops shading, glare and large
   shapes of a busy background;
3. the text direction is voted by the minimum-area rectangles of elongated blobs, since the
   closing kernels of the next step are axis-aligned and would fail on a turned document;
4. for each voted direction the stroke mask is turned upright and characters are merged into
   line blobs by a horizontal closing; touching lines are cut apart, fragments of one line
   (split by glare) joined, solid strokes dropped, and long thin lines grouped into 2- or
   3-line blocks of equal length and even spacing, scored by how MRZ-like they are;
5. only the small MRZ region is then warped out of the full-resolution image into upright,
   tight line crops of one common scale.

The layout cannot tell a block from the same block upside down; `MrzLocation.flipped` gives the
other reading cheaply and the reader tries both.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image, to_gray

WORK_SIDE = 800
"""Long side of the grey copy the search runs on."""
LINE_HEIGHT = 48
"""Height of each line crop; characters fill about 65 % of it."""
CHAR_SHARE = 0.65
MIN_SCORE = 3.5
"""Blocks scoring below this are not MRZs (calibrated on blank, textured and busy frames)."""
CONFIDENT = 4.6
"""A block scoring this high is the MRZ (nothing else has scored above 4 in testing)."""
MIN_HEIGHT = 4.0
"""Pixels: lower print is left to a finer level (and is too small to read at any level)."""
MIN_BREAKS = 0.12
"""Runs of ink per character height below which a line blob is a solid stroke (print: ~1)."""
LENGTH_RATIOS = (29.7, 35.6, 43.5)
"""Length over capital height of a 30-, 36- and 44-character OCR-B line at 10 cpi."""

REACH = 8.0
"""Character heights beyond each end of a line searched for print it lost."""
WARP_REACH = 12.0
"""Character heights of margin warped beyond each end of a line: more than REACH, so that a
line cut again with room for the cells glare hid (`MrzLocation.widened`) still finds paper
there and not the crop's replicated border."""
CHAR_GAP = 1.2
"""Widest gap within an MRZ line, in character heights (a filler's is about half of one)."""

MIN_TAPER = 0.08
"""Smallest perspective taper (relative height difference of a block's ends) corrected."""

LEVELS = 3
"""Pyramid levels searched: together they cover character pitches of 5 to 50 px at WORK_SIDE."""
MAX_PIECES = 200
"""Longest blobs considered per canvas; a cluttered frame has thousands of tiny ones."""
MAX_LINES = 24
CLOSE_WIDTH = 9
"""Horizontal closing that merges a line's characters: the gaps in a run of `<` fillers need
about 0.7 of the pitch, and more than about 1.8 pitches would reach past the page margin, so
one width serves pitches of 5 to 13 px on each pyramid level."""

GLARE_GAP = 12.0
"""Widest gap (character heights) bridged within a line when searching again for glare."""
EVEN_LIGHT_REACH = 0.02
"""Reach, as a share of the frame's long side, of the paper brightness a frame is divided by
when it is searched again for glare."""
PAPER_LEVEL = 230.0
"""Grey level the paper is brought to by that division."""
EQUALISE_CLIP = 3.0
"""Contrast limit of the local histogram equalisation also searched for glare."""
SAME_ANGLE = 0.4
"""Degrees within which two voted text directions are searched as one."""

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class MrzLocation:
    """A candidate MRZ block and its lines, cut out upright for recognition."""

    quad: FloatArray
    """4×2 corners of the block in source-image pixels: top-left, top-right, bottom-right,
    bottom-left as the crops read (from the first line's capitals to the last baseline)."""
    line_count: int
    lines: tuple[Image, ...]
    """Grey crops, one per line, text horizontal, LINE_HEIGHT px high, half a character of
    margin at each end."""
    score: float
    warped: tuple[tuple[Image, tuple[float, float, float, float]], ...] = ()
    """Per line as found (top line first when not `upside_down`): the generously margined
    crop each line was cut from and the print's (top, bottom, left, right) in it."""
    band: float = 0.0
    """Height of the print in the `warped` crops' pixels."""
    upside_down: bool = False

    def flipped(self) -> MrzLocation:
        """The same block read the other way up: lines reversed and each turned 180°."""
        return dataclasses.replace(
            self,
            quad=np.roll(self.quad, 2, axis=0),
            lines=tuple(_turned(line) for line in reversed(self.lines)),
            upside_down=not self.upside_down,
        )

    def widened(self, extra: tuple[tuple[float, float], ...]) -> MrzLocation:
        """The lines cut again with more margin: `extra` gives, per line as `lines` reads,
        the pixels of the final crop to add before its start and after its end.

        Glare at a line's end leaves a crop that stops where the print found stops, with no
        room for the OCR to continue the cells at their pitch; the margined crop the line
        was cut from still holds the washed-out print."""
        if not self.warped or len(extra) != len(self.lines):
            return self
        per_pixel = self.band / (CHAR_SHARE * LINE_HEIGHT)
        sources = self.warped[::-1] if self.upside_down else self.warped
        crops = []
        for (gray, (top, bottom, left, right)), (before, after) in zip(sources, extra, strict=True):
            # Turned 180°, the crop's start lies at the warped line's right end.
            grow_left, grow_right = (after, before) if self.upside_down else (before, after)
            box = (top, bottom, left - grow_left * per_pixel, right + grow_right * per_pixel)
            crop = _finish_line(gray, box, self.band)
            crops.append(_turned(crop) if self.upside_down else crop)
        return dataclasses.replace(self, lines=tuple(crops))


def _turned(line: Image) -> Image:
    return np.ascontiguousarray(line[::-1, ::-1])


@dataclass(frozen=True)
class _Line:
    """A line blob found on an upright working canvas."""

    corners: FloatArray  # 4×2 in canvas pixels, TL TR BR BL
    x0: float
    x1: float
    yc: float
    height: float
    density: float  # share of stroke pixels in the blob's box
    evenness: float  # least over most stroke density of the blob's eighths
    breaks: float  # runs of inked columns per character height of length
    found_x: tuple[float, float] = (0.0, 0.0)  # x0, x1 as found, before any stretching
    found_ends: FloatArray | None = None  # 2×2 centres of the blob's ends as found


@dataclass(frozen=True)
class _Block:
    lines: tuple[_Line, ...]
    score: float
    to_source: npt.NDArray[np.float64]  # 2×3 affine from canvas to source pixels


def locate_mrz(image: Image, *, max_candidates: int = 3, glare: bool = False) -> list[MrzLocation]:
    """Candidate MRZ blocks in `image` (BGR or grey), best first; empty when there is none.

    With `glare`, the search for a zone that glare washed out: one threshold for the whole
    frame loses pale print there, so the contrast is evened out locally first, and pieces of
    a line are joined across a glared stretch. It costs a second search, so the reader asks
    for it only when the plain search gave no valid read.
    """
    small, scale = _working_copy(image)
    if glare:
        # Two ways to even out the light: each finds zones the other misses.
        blocks = [
            block
            for evened in (_even_light(small), _u8(_EQUALISE.apply(small)))
            for block in _search(evened, scale, bridge=GLARE_GAP, plain=small)
        ]
    else:
        blocks = _search(small, scale)
    # Three lines before two where they overlap: two lines of a TD1 cannot be parsed, while
    # three equal, evenly spaced lines are hardly ever anything but a TD1.
    blocks.sort(key=lambda item: -(item[0] + (1.0 if len(item[2].lines) == 3 else 0.0)))
    chosen: list[tuple[FloatArray, _Block]] = []
    for score, quad, block in blocks:
        if score < MIN_SCORE:
            continue
        if any(_overlap(quad, other) > 0.3 for other, _ in chosen):
            continue
        if not _inside(quad, image.shape[1], image.shape[0]):
            continue
        chosen.append((quad, block))
        if len(chosen) == max_candidates:
            break
    return [_cut(image, quad, block) for quad, block in chosen]


_EQUALISE = cv2.createCLAHE(clipLimit=EQUALISE_CLIP, tileGridSize=(8, 8))


def _even_light(gray: Image) -> Image:
    """The frame divided by its paper's brightness nearby: print under glare regains its
    contrast, and faint texture stays as faint as it was relative to its paper."""
    side = max(3, round(EVEN_LIGHT_REACH * max(gray.shape))) | 1
    paper = cv2.blur(cv2.dilate(gray, _rect(side, side)), (side, side)).astype(np.float32)
    return _u8(np.clip(gray.astype(np.float32) * (PAPER_LEVEL / np.maximum(paper, 1.0)), 0, 255))


def _search(
    small: Image, scale: float, bridge: float = 0.0, plain: Image | None = None
) -> list[tuple[float, FloatArray, _Block]]:
    """Scored blocks (with their quads in source pixels) down the pyramid of `small`; line
    pieces in one row are joined across gaps up to `bridge` character heights.

    `plain` is the frame before its light was evened out: evening out also strengthens the
    security print's long strokes, which can outvote the text's direction or pull its vote
    aside, so the directions voted on the plain frame are searched too (a line 30 times its
    height long breaks apart when turned a degree off)."""
    blocks: list[tuple[float, FloatArray, _Block]] = []
    level, level_scale = small, scale
    for _ in range(LEVELS):
        if min(level.shape[:2]) < 24:
            break
        mask = _stroke_mask(level)
        angles = _text_angles(mask)
        if plain is not None:
            angles += [
                angle
                for angle in _text_angles(_stroke_mask(plain))
                if all(_angle_apart(angle, other) >= SAME_ANGLE for other in angles)
            ]
            plain = _u8(cv2.pyrDown(plain))
        for angle in angles:
            for block in _blocks_at(mask, angle, level_scale, bridge):
                quad = _block_quad(block)
                blocks.append((block.score, quad, block))
        if _found(blocks):
            # Coarser levels only see larger print; a block this MRZ-like ends the search.
            break
        level, level_scale = _u8(cv2.pyrDown(level)), level_scale / 2
    return blocks


def _stroke_mask(level: Image) -> Image:
    """Thin dark strokes (print): black-hat filtered, above Otsu's threshold of the result."""
    strokes = cv2.morphologyEx(level, cv2.MORPH_BLACKHAT, _rect(7, 7))
    otsu, _ = cv2.threshold(strokes, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return (strokes > max(float(otsu), 18.0)).astype(np.uint8)


def _angle_apart(a: float, b: float) -> float:
    """Degrees between two text directions (directions repeat every 180°)."""
    gap = abs(a - b) % 180.0
    return min(gap, 180.0 - gap)


def _found(blocks: list[tuple[float, FloatArray, _Block]]) -> bool:
    """Whether a block is surely the whole MRZ."""
    return any(score >= CONFIDENT and _complete(block) for score, _, block in blocks)


def _working_copy(image: Image) -> tuple[Image, float]:
    """A grey copy at most WORK_SIDE long, and its scale from the source."""
    height, width = image.shape[:2]
    scale = min(1.0, WORK_SIDE / max(height, width))
    if scale == 1.0:
        return to_gray(image), 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if scale < 0.5:
        # Area averaging from 12 MP costs 30 ms; bilinear to twice the size first is 4x cheaper
        # and the final 2:1 area step still removes the aliasing.
        image = _u8(cv2.resize(image, (size[0] * 2, size[1] * 2), interpolation=cv2.INTER_LINEAR))
    gray = to_gray(image)
    return _u8(cv2.resize(gray, size, interpolation=cv2.INTER_AREA)), scale


def _u8(array: object) -> Image:
    """OpenCV's results typed as the 8-bit images they are (its stubs say any number type)."""
    return np.asarray(array, dtype=np.uint8)


def _rect(width: int, height: int) -> npt.NDArray[np.uint8]:
    return _u8(cv2.getStructuringElement(cv2.MORPH_RECT, (width, height)))


def _text_angles(mask: Image, limit: int = 3) -> list[float]:
    """Dominant text directions (degrees, mod 180) voted by elongated blobs of merged print."""
    merged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _rect(5, 5))
    # Two-level retrieval, outer boundaries only: with RETR_EXTERNAL a thin frame round the
    # page would hide every line of print inside it.
    contours, hierarchy = cv2.findContours(merged, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    directions, weights = [], []
    for contour, links in zip(contours, hierarchy[0] if hierarchy is not None else [], strict=True):
        if len(contour) < 6 or links[3] != -1:
            continue
        _, _, w, h = cv2.boundingRect(contour)
        if max(w, h) < 24:
            continue
        (_, _), (rw, rh), rect_angle = cv2.minAreaRect(contour)
        long_side, short_side = max(rw, rh), min(rw, rh)
        aspect = long_side / max(short_side, 1.0)
        if long_side < 24 or aspect < 3.0:
            continue
        # OpenCV's angle is of the side it calls width; the text runs along the long side.
        directions.append((rect_angle if rw >= rh else rect_angle + 90.0) % 180.0)
        # Long thin blobs (whole lines of print) say more than short or squat ones.
        weights.append(long_side * min(aspect, 12.0))
    if not directions:
        return []
    where, weight = np.array(directions), np.array(weights)
    votes = np.bincount(np.round(where).astype(int) % 180, weight, minlength=180)
    smooth = np.convolve(np.concatenate([votes[-3:], votes, votes[:3]]), np.ones(7), "valid")
    angles: list[float] = []
    for index in np.argsort(-smooth):
        if smooth[index] < 0.2 * smooth.max() or len(angles) == limit:
            break
        if any(min(abs(index - a), 180 - abs(index - a)) < 5 for a in angles):
            continue
        # Refine the 1-degree bin to the weighted mean of the votes near it.
        offset = (where - index + 90.0) % 180.0 - 90.0
        near = np.abs(offset) <= 4.0
        angles.append(float(index + np.average(offset[near], weights=weight[near])) % 180.0)
    # Turning by at most 90° reads a document that lies roughly upright the right way up;
    # only the reader can settle the rest.
    return [angle - 180.0 if angle > 90.0 else angle for angle in angles]


def _blocks_at(strokes: Image, angle: float, scale: float, bridge: float = 0.0) -> list[_Block]:
    """MRZ-like blocks after turning the stroke mask so that `angle` is horizontal."""
    height, width = strokes.shape[:2]
    rad = math.radians(angle)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    canvas_w, canvas_h = int(width * cos + height * sin) + 2, int(width * sin + height * cos) + 2
    # A point rotated by -angle about the image centre, moved to the canvas centre: the text
    # direction (angle in image coordinates, y down) becomes the canvas x axis.
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    turn[0, 2] += canvas_w / 2 - width / 2
    turn[1, 2] += canvas_h / 2 - height / 2
    mask = _u8(cv2.warpAffine(strokes, turn, (canvas_w, canvas_h), flags=cv2.INTER_NEAREST))
    merged = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _rect(CLOSE_WIDTH, 1))
    merged = _u8(cv2.morphologyEx(merged, cv2.MORPH_OPEN, _rect(1, 2)))
    labels, stats = _components(merged)
    if _split_stacked(merged, labels, stats):
        labels, stats = _components(merged)
    lines = [_line(labels, mask, stats, members) for members in _rows(stats[1:], bridge)]
    to_canvas = np.vstack([turn, [0.0, 0.0, 1.0]])
    to_source = (np.diag([1 / scale, 1 / scale, 1.0]) @ np.linalg.inv(to_canvas))[:2]
    return [_Block(group, score, to_source) for group, score in _group(lines)]


def _components(mask: Image) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Labels and statistics of the 8-connected blobs of `mask`."""
    # Grana's block-based labelling is three times faster than the default here.
    _, found, table, _ = cv2.connectedComponentsWithStatsWithAlgorithm(
        mask, 8, cv2.CV_32S, cv2.CCL_GRANA
    )
    return np.asarray(found, np.int32), np.asarray(table, np.int32)


def _split_stacked(
    merged: Image, labels: npt.NDArray[np.int32], stats: npt.NDArray[np.int32]
) -> bool:
    """Cut blobs that are lines of print stacked and touching (tight line spacing, a stray
    stroke across them) along their thinly inked rows; True when anything was cut."""
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    stacked = np.flatnonzero((w >= 40) & (h >= 6) & (w >= 2 * h))
    cut = False
    for index in stacked[stacked > 0]:
        top, left = int(y[index]), int(x[index])
        blob = labels[top : top + h[index], left : left + w[index]] == index
        rows = blob.sum(axis=1)
        thin = rows < 0.35 * rows.max()
        inner = np.flatnonzero(thin[1:-1]) + 1
        if len(inner) == 0:
            continue
        # Only a cut that leaves bands of print on both sides: not a blob's ragged edge.
        bands = np.diff(np.flatnonzero(np.diff(np.concatenate([[1], thin, [1]]).astype(int))))
        if np.count_nonzero(bands[::2] >= 3) < 2:
            continue
        if _filler_run(blob, thin):
            continue
        region = merged[top : top + h[index], left : left + w[index]]
        region[inner] = np.where(blob[inner], 0, region[inner])
        cut = True
    return cut


def _filler_run(blob: npt.NDArray[np.bool_], thin: npt.NDArray[np.bool_]) -> bool:
    """Whether the thin rows between a blob's bands are inked at a character's pace: a run of
    fillers (`<`), whose arms meet only at their tips, and not two lines of print bridged by
    a stray stroke or two."""
    thick = np.flatnonzero(~thin)
    between = np.flatnonzero(thin[thick[0] : thick[-1]]) + thick[0]
    touching = blob[between].any(axis=0)
    joins = int(np.count_nonzero(touching[1:] & ~touching[:-1])) + int(touching[0])
    return bool(joins >= max(4.0, 0.5 * blob.shape[1] / blob.shape[0]))


def _rows(stats: npt.NDArray[np.int32], bridge: float = 0.0) -> list[npt.NDArray[np.intp]]:
    """Labels of the blobs that make up each long line: fragments on one row with small gaps
    between them are joined, since a faded or glared character can split a line; with
    `bridge`, pieces of several characters each, closely in line, also across gaps of up to
    that many character heights (glare over a whole stretch of the line)."""
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    pieces = np.flatnonzero((w >= 6) & (h >= 3) & (h <= 80) & (w >= 2 * h))
    if len(pieces) == 0:
        return []
    pieces = pieces[np.argsort(-w[pieces])][:MAX_PIECES]
    px0, px1 = x[pieces].astype(np.float64), (x[pieces] + w[pieces]).astype(np.float64)
    ph = h[pieces].astype(np.float64)
    yc = y[pieces] + ph / 2
    high = np.maximum(ph[:, None], ph[None, :])
    gap = px0[None, :] - px1[:, None]  # from the right end of i to the left end of j
    joined = (
        (np.abs(yc[:, None] - yc[None, :]) <= 0.35 * high)
        & (np.minimum(ph[:, None], ph[None, :]) >= 0.5 * high)
        & (gap >= -0.5 * high)
        & (gap <= 1.6 * high)
        & (px0[None, :] >= px0[:, None])
    )
    if bridge > 0:
        joined |= (
            (np.abs(yc[:, None] - yc[None, :]) <= 0.2 * high)
            & (np.minimum(ph[:, None], ph[None, :]) >= 0.7 * high)
            & (gap >= 0)
            & (gap <= bridge * high)
            & (np.minimum(px1 - px0, (px1 - px0)[:, None]) >= 4 * high)
        )
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(joined), strict=True):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(pieces)):
        groups.setdefault(root(i), []).append(i)
    rows = []
    for members in groups.values():
        length = px1[members].max() - px0[members].min()
        if length >= 40 and length >= 10 * float(ph[members].mean()):
            rows.append(pieces[members] + 1)  # stats excluded the background label 0
    rows.sort(key=lambda row: int(x[row - 1].min() - (x[row - 1] + w[row - 1]).max()))
    return rows[:MAX_LINES]


def _line(
    labels: npt.NDArray[np.int32],
    mask: Image,
    stats: npt.NDArray[np.int32],
    members: npt.NDArray[np.intp],
) -> _Line:
    box = stats[members]
    x, y = int(box[:, 0].min()), int(box[:, 1].min())
    w = int((box[:, 0] + box[:, 2]).max()) - x
    h = int((box[:, 1] + box[:, 3]).max()) - y
    region = labels[y : y + h, x : x + w]
    blob = region == members[0] if len(members) == 1 else np.isin(region, members)
    ys, xs = np.nonzero(blob)
    points = np.stack([xs + x, ys + y], axis=1).astype(np.float32)
    (cx, cy), (rw, rh), rect_angle = cv2.minAreaRect(points)
    if rw < rh:
        rw, rh, rect_angle = rh, rw, rect_angle - 90.0
    rad = math.radians(rect_angle)
    along = np.array([math.cos(rad), math.sin(rad)], np.float32)
    across = np.array([-math.sin(rad), math.cos(rad)], np.float32)
    if along[0] < 0:
        along = -along
    if across[1] < 0:
        across = -across
    centre = np.array([cx, cy], np.float32)
    half_l, half_h = along * (rw / 2), across * (rh / 2)
    corners = np.stack(
        [
            centre - half_l - half_h,
            centre + half_l - half_h,
            centre + half_l + half_h,
            centre - half_l + half_h,
        ]
    ).astype(np.float32)
    ink = mask[y : y + h, x : x + w]
    density = float(ink.mean())
    columns = ink.sum(axis=0).astype(np.float64)
    parts = np.array([part.sum() for part in np.array_split(columns, 8)])
    evenness = float(parts.min() / parts.max()) if parts.max() > 0 else 0.0
    # Gaps between characters: a line of print starts a new stroke about once per character
    # height; a ruled line or an edge hardly ever.
    inked = columns > 0
    starts = int(np.count_nonzero(inked[1:] & ~inked[:-1])) + int(inked[0])
    breaks = starts / max(1.0, w / max(rh, 1.0))
    ends = np.stack([(corners[0] + corners[3]) / 2, (corners[1] + corners[2]) / 2])
    return _Line(
        corners,
        float(x),
        float(x + w),
        float(cy),
        float(rh),
        density,
        evenness,
        breaks,
        found_x=(float(x), float(x + w)),
        found_ends=ends.astype(np.float32),
    )


def _group(lines: list[_Line]) -> list[tuple[tuple[_Line, ...], float]]:
    """Stacks of 2 or 3 lines that could be an MRZ, with their scores."""
    # Solid strokes (ruled lines, edges, double frames) are not print.
    lines = sorted(
        (line for line in lines if line.breaks >= MIN_BREAKS and line.height >= MIN_HEIGHT),
        key=lambda line: line.yc,
    )
    pairs: dict[tuple[int, int], float] = {}
    for i, upper in enumerate(lines):
        for j in range(i + 1, len(lines)):
            lower = lines[j]
            if _stackable(upper, lower):
                pairs[(i, j)] = lower.yc - upper.yc
    found: list[tuple[tuple[_Line, ...], float]] = []
    for (i, j), gap in pairs.items():
        found.append((_extend((lines[i], lines[j])), _score((lines[i], lines[j]))))
        for (j2, k), gap2 in pairs.items():
            if j2 == j and 0.8 < gap2 / gap < 1.25 and _stackable(lines[i], lines[k], span=2):
                trio = (lines[i], lines[j], lines[k])
                found.append((_extend(trio), _score(trio) + 0.5))
    return found


def _extend(lines: tuple[_Line, ...]) -> tuple[_Line, ...]:
    """Stretch every line of a block to the block's full length: glare or fading can shorten
    one line, and the OCR needs all its characters."""
    start, end = min(line.x0 for line in lines), max(line.x1 for line in lines)
    stretched = []
    for line in lines:
        tl, tr, br, bl = line.corners
        along = (tr - tl) / max(float(tr[0] - tl[0]), 1e-6)  # per unit of canvas x
        left, right = along * (line.x0 - start), along * (end - line.x1)
        corners = np.stack([tl - left, tr + right, br + right, bl - left]).astype(np.float32)
        stretched.append(dataclasses.replace(line, corners=corners, x0=start, x1=end))
    return tuple(stretched)


def _stackable(upper: _Line, lower: _Line, span: int = 1) -> bool:
    height = (upper.height + lower.height) / 2
    length = max(upper.x1 - upper.x0, lower.x1 - lower.x0)
    gap = lower.yc - upper.yc
    mismatch = abs((upper.x1 - upper.x0) - (lower.x1 - lower.x0)) / length
    aligned = min(abs(upper.x0 - lower.x0), abs(upper.x1 - lower.x1))
    return (
        # One end may carry a stray blob that touched the line, or lose characters to glare;
        # the other must align, closely when the lengths differ much.
        (
            (mismatch <= 0.12 and aligned <= 0.06 * length + height)
            or (mismatch <= 0.35 and aligned <= 0.01 * length + 0.5 * height)
        )
        and 0.6 <= upper.height / lower.height <= 1.67
        and span * 1.2 * height <= gap <= span * 3.0 * height
    )


def _score(lines: tuple[_Line, ...]) -> float:
    """How MRZ-like a stack of lines is: about 0 (not at all) to 5 (certainly)."""
    heights = np.array([line.height for line in lines])
    lengths = np.array([line.x1 - line.x0 for line in lines])
    height = float(np.median(heights))
    ratio = float(lengths.mean()) / max(height, 1.0)
    # Length in character heights: MRZ lines are 30, 36 or 44 characters long.
    ratio_fit = max(0.0, 1.0 - min(abs(ratio - r) / r for r in LENGTH_RATIOS) / 0.35)
    if ratio < 20 or ratio > 65:
        ratio_fit = 0.0
    mismatch = float(np.ptp(lengths) / lengths.max())
    same_length = 1.0 - mismatch / 0.12 if mismatch <= 0.12 else 0.12 - mismatch
    same_height = 1.0 - float(np.ptp(heights) / heights.max())
    density = float(np.mean([min(1.0, line.density / 0.3) for line in lines]))
    evenness = float(np.mean([min(1.0, line.evenness / 0.4) for line in lines]))
    return 1.5 * ratio_fit + same_length + same_height + density + evenness


def _complete(block: _Block) -> bool:
    """Whether a block has as many lines as an MRZ of its line length: two lines of a TD1's
    length are a TD1 whose third line this level missed (its fillers broken apart, say), so
    a coarser level must still look for all three."""
    if len(block.lines) == 3:
        return True
    height = float(np.median([line.height for line in block.lines]))
    ratio = float(np.mean([line.x1 - line.x0 for line in block.lines])) / max(height, 1.0)
    return min(LENGTH_RATIOS, key=lambda r: abs(ratio - r)) != LENGTH_RATIOS[0]


def _block_quad(block: _Block) -> FloatArray:
    first, last = block.lines[0].corners, block.lines[-1].corners
    canvas = np.stack([first[0], first[1], last[2], last[3]])
    return _to_source(block.to_source, canvas)


def _to_source(matrix: npt.NDArray[np.float64], points: FloatArray) -> FloatArray:
    moved = points.astype(np.float64) @ matrix[:, :2].T + matrix[:, 2]
    return moved.astype(np.float32)


def _inside(quad: FloatArray, width: int, height: int) -> bool:
    """Whether a block lies in the frame, give or take a third of its height: an MRZ cut off
    by the frame's edge cannot be read, and textures there can mimic one."""
    slack = 0.33 * float(np.linalg.norm(quad[3] - quad[0]))
    xs, ys = quad[:, 0], quad[:, 1]
    return bool(
        xs.min() >= -slack
        and ys.min() >= -slack
        and xs.max() <= width + slack
        and ys.max() <= height + slack
    )


def _overlap(a: FloatArray, b: FloatArray) -> float:
    """Intersection over the smaller area of two convex quads."""
    area, _ = cv2.intersectConvexConvex(a, b)
    smaller = min(cv2.contourArea(a), cv2.contourArea(b))
    return float(area / smaller) if smaller > 0 else 0.0


def _cut(image: Image, quad: FloatArray, block: _Block) -> MrzLocation:
    warped = [
        _warp_line(image, _to_source(block.to_source, corners))
        for corners in _line_quads(block.lines)
    ]
    # One band height for all lines, so every crop has the same scale: OCR-B digits stand
    # taller than capitals, and a line of digits would otherwise come out smaller.
    band = max(bottom - top for _, (top, bottom, _, _) in warped)
    ended = tuple(_common_ends(warped))
    crops = tuple(_finish_line(gray, box, band) for gray, box in ended)
    return MrzLocation(
        quad=quad,
        line_count=len(block.lines),
        lines=crops,
        score=block.score,
        warped=ended,
        band=band,
    )


def _common_ends(
    warped: list[tuple[Image, tuple[float, float, float, float]]],
) -> list[tuple[Image, tuple[float, float, float, float]]]:
    """The lines with the block's outermost ends: all lines of an MRZ start and end in the
    same columns of the page, and glare or a faded end shortens one line, hardly ever all."""

    def span(gray: Image) -> tuple[float, float]:
        # Each crop holds its line's quad between WARP_REACH character heights of margin.
        margin = WARP_REACH * gray.shape[0] / 2.2
        return margin, max(gray.shape[1] - 2 * margin, 1.0)

    starts, ends = [], []
    for gray, (_, _, left, right) in warped:
        origin, length = span(gray)
        starts.append((left - origin) / length)
        ends.append((right - origin) / length)
    start, end = min(starts), max(ends)
    result = []
    for gray, (top, bottom, left, right) in warped:
        origin, length = span(gray)
        box = (top, bottom, min(left, origin + start * length), max(right, origin + end * length))
        result.append((gray, box))
    return result


def _line_quads(lines: tuple[_Line, ...]) -> list[FloatArray]:
    """Each line's quad, its height tapering as the block's does in perspective.

    The lines of one MRZ share a character height (their median is steadier than each blob's),
    but a document seen at a slant shows one end larger: the spacing of the line centres at
    either end of the block measures by how much, whatever the glyphs at the ends."""
    height = float(np.median([line.height for line in lines]))

    def ends(line: _Line) -> tuple[FloatArray, FloatArray]:
        tl, tr, br, bl = line.corners
        return (tl + bl) / 2, (tr + br) / 2

    (first_left, first_right), (last_left, last_right) = ends(lines[0]), ends(lines[-1])
    left_span = float(np.linalg.norm(last_left - first_left))
    right_span = float(np.linalg.norm(last_right - first_right))
    taper = float(np.clip(right_span / max(left_span, 1e-6), 0.6, 1.67))
    if abs(taper - 1.0) < MIN_TAPER:
        taper = 1.0  # within what a pixel's error in the spans makes of a square-on view
    left_height, right_height = 2 * height / (1 + taper), 2 * height * taper / (1 + taper)
    # MRZ lines start and end in the same columns of the page, so the blobs' own ends, where
    # they agree, show the block's sides: slanted when the document is seen in perspective.
    sides = []
    for side in (0, 1):
        found = [line.found_x[side] for line in lines]
        first_end, last_end = lines[0].found_ends, lines[-1].found_ends
        side_vector = np.array([0.0, 1.0], np.float32)
        if first_end is not None and last_end is not None and np.ptp(found) <= 0.5 * height:
            side_vector = last_end[side] - first_end[side]
        norm = float(np.linalg.norm(side_vector))
        down = side_vector / norm if norm > 0 and side_vector[1] > 0 else np.array([0.0, 1.0])
        sides.append(down.astype(np.float32))
    quads = []
    for line in lines:
        left, right = ends(line)
        quads.append(
            np.stack(
                [
                    left - sides[0] * left_height / 2,
                    right - sides[1] * right_height / 2,
                    right + sides[1] * right_height / 2,
                    left + sides[0] * left_height / 2,
                ]
            ).astype(np.float32)
        )
    return quads


def _warp_line(
    image: Image, corners: FloatArray
) -> tuple[Image, tuple[float, float, float, float]]:
    """Warp one line out of the full-resolution image with generous margins, in grey, and
    find its print there: (crop, (top, bottom, left, right)).

    The crop's resolution is at most twice the final one (a perspective warp straight to a
    much smaller size would alias the strokes); the print is measured in it because a blob
    from the small working copy is only good to a pixel or two."""
    tl, tr, br, bl = (corners[i].astype(np.float64) for i in range(4))
    left_across, right_across = bl - tl, br - tr
    left_text, right_text = float(np.linalg.norm(left_across)), float(np.linalg.norm(right_across))
    source_text = max((left_text + right_text) / 2, 1.0)
    along = (tr + br) / 2 - (tl + bl) / 2
    length = float(np.linalg.norm(along))
    unit_along = along / max(length, 1e-6)
    final_text = LINE_HEIGHT * CHAR_SHARE
    text = max(final_text, min(source_text, 2 * final_text))
    # Margins in proportion to each end's own height, so the homography also evens out the
    # size of the print along a line seen in perspective.
    box = np.array(
        [
            tl - 0.6 * left_across - unit_along * WARP_REACH * left_text,
            tr - 0.6 * right_across + unit_along * WARP_REACH * right_text,
            br + 0.6 * right_across + unit_along * WARP_REACH * right_text,
            bl + 0.6 * left_across - unit_along * WARP_REACH * left_text,
        ],
        np.float32,
    )
    width = max(8, round((length / source_text + 2 * WARP_REACH) * text))
    height = round(2.2 * text)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(box, target)
    crop = cv2.warpPerspective(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    gray = to_gray(_u8(crop))
    plain = _searched_band(gray, text)
    # Glare washes out part of a line, and a threshold over the whole crop loses that part:
    # when the crop with its contrast evened out shows print beyond the ends found, the line
    # is read from that crop. Otherwise the plain crop, which the OCR reads best, is kept.
    flat = _flatten(gray, text)
    evened = _searched_band(flat, text)
    if evened[2] < plain[2] - text or evened[3] > plain[3] + text:
        return flat, evened
    return gray, plain


def _flatten(gray: Image, text: float) -> Image:
    """The crop divided by the brightness of the paper around each pixel (a max filter wider
    than any stroke, smoothed): print under glare is paler but keeps its contrast to the paper
    next to it. Where even the darkest print nearby stays pale, its contrast is then stretched
    (at most twice: more turns the paper's texture into print), so that one threshold finds
    faint and dark print alike, here and in the OCR."""
    reach = max(3, round(0.6 * text)) | 1
    paper = cv2.blur(cv2.dilate(gray, _rect(reach, reach)), (reach, reach))
    flat = cv2.divide(gray, paper, scale=255)
    wide = max(3, round(1.5 * text)) | 1
    dark = cv2.blur(cv2.erode(flat, _rect(wide, wide)), (wide, wide)).astype(np.float32)
    gain = np.clip((255.0 - 40.0) / np.maximum(255.0 - dark, 1.0), 1.0, 2.0)
    return _u8(np.clip(255.0 - (255.0 - flat.astype(np.float32)) * gain, 0, 255))


def _finish_line(gray: Image, box: tuple[float, float, float, float], band: float) -> Image:
    """The final crop: the print centred, `band` scaled to CHAR_SHARE of LINE_HEIGHT, half a
    character of margin at both ends."""
    top, bottom, left, right = box
    middle = (top + bottom) / 2
    y0, y1 = middle - band / (2 * CHAR_SHARE), middle + band / (2 * CHAR_SHARE)
    x0, x1 = left - 0.5 * band, right + 0.5 * band
    out_w = max(8, round((x1 - x0) * LINE_HEIGHT / (y1 - y0)))
    if (
        y1 - y0 > LINE_HEIGHT
        and y0 >= 0
        and x0 >= 0
        and y1 <= gray.shape[0]
        and x1 <= gray.shape[1]
    ):
        window = gray[round(y0) : round(y1), round(x0) : round(x1)]
        return _u8(cv2.resize(window, (out_w, LINE_HEIGHT), interpolation=cv2.INTER_AREA))
    # Near the crop's edge (or when enlarging) an affine map repeats the edge pixels instead.
    sx, sy = out_w / (x1 - x0), LINE_HEIGHT / (y1 - y0)
    matrix = np.array([[sx, 0.0, -x0 * sx], [0.0, sy, -y0 * sy]])
    return _u8(
        cv2.warpAffine(
            gray,
            matrix,
            (out_w, LINE_HEIGHT),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
    )


def _searched_band(gray: Image, text: float) -> tuple[float, float, float, float]:
    """`_text_band` of a line's warped crop, searched within REACH character heights of the
    line's ends (the margin beyond is only there for `MrzLocation.widened`)."""
    cut = round((WARP_REACH - REACH) * text)
    inner = gray[:, cut : gray.shape[1] - cut]
    top, bottom, left, right = _text_band(inner, text, REACH * text, inner.shape[1] - REACH * text)
    return top, bottom, left + cut, right + cut


def _text_band(
    gray: Image, text: float, left: float, right: float
) -> tuple[float, float, float, float]:
    """Top, bottom, left and right of the print in a line crop (estimates where unsure)."""
    height = gray.shape[0]
    top, bottom = (height - text) / 2, (height + text) / 2
    span = np.arange(max(0, round(left)), max(round(left) + 1, round(right)))
    threshold, _ = cv2.threshold(gray[:, span[0] : span[-1] + 1], 0, 255, cv2.THRESH_OTSU)
    ink = gray < threshold
    # Band per eighth of the line, then the outer quartiles: fillers (`<`) are shorter than
    # capitals, and a name line can be half fillers.
    starts, ends = [], []
    for part in np.array_split(span, 8):
        if len(part) == 0:
            continue
        run = _central_run(ink[:, part[0] : part[-1] + 1].mean(axis=1), text)
        if run is not None:
            starts.append(run[0])
            ends.append(run[1])
    if len(starts) >= 3:
        start, end = float(np.percentile(starts, 25)), float(np.percentile(ends, 75))
        if 0.6 * text <= end - start <= 1.5 * text:
            top, bottom = start, end
    # Runs of print with gaps under CHAR_GAP character heights are one line: grow the ends
    # through them, since a run of fillers can escape the closing on the small copy.
    counts = ink[round(top) : round(bottom)].sum(axis=0)
    columns = counts >= 0.15 * (bottom - top)
    # Ink filling the band's whole height for more than half a character is not print: a
    # dark desk past the page's edge, a frame. (Blurred print touches, but has gaps in height.)
    full = counts >= 0.85 * (bottom - top)
    edges = np.flatnonzero(np.diff(np.concatenate([[False], full, [False]]).astype(np.int8)))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end - start > 0.5 * text:
            columns[start:end] = False
    inked = np.flatnonzero(columns)
    if len(inked):
        breaks = np.flatnonzero(np.diff(inked) > CHAR_GAP * text)
        firsts = inked[np.concatenate([[0], breaks + 1])]
        lasts = inked[np.concatenate([breaks, [len(inked) - 1]])]
        overlapping = np.flatnonzero((lasts >= left - 0.6 * text) & (firsts <= right + 0.6 * text))
        if len(overlapping):
            left = float(firsts[overlapping[0]])
            right = float(lasts[overlapping[-1]] + 1)
    return top, bottom, left, right


def _central_run(rows: npt.NDArray[np.float64], text: float) -> tuple[int, int] | None:
    """The run of strongly inked rows through the middle of a crop, end-exclusive."""
    if rows.max() <= 0:
        return None
    strong = rows >= 0.3 * rows.max()
    centre, reach = len(rows) // 2, round(text / 4)
    if not strong[centre - reach : centre + reach + 1].any():
        return None
    marks = np.flatnonzero(strong)
    start = end = int(marks[np.argmin(np.abs(marks - centre))])
    while start > 0 and strong[start - 1]:
        start -= 1
    while end < len(rows) - 1 and strong[end + 1]:
        end += 1
    return start, end + 1
