"""Photograph a rendered specimen: a camera's view of a document lying on a busy desk.

The MRZ locator and reader must work on what a desk camera or a phone delivers, so this places
a `Specimen` on a cluttered background at any rotation (upside down included), with perspective,
at a chosen share of the frame and frame size (0.2 to 12 megapixels), then applies the usual
faults: blur, sensor noise, a glare spot, uneven light and JPEG compression. It records where
the MRZ ended up (`Photo.mrz_quad`) so tests can score the locator. Every random choice comes
from the caller's Generator: the same seed gives the same photo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
import numpy.typing as npt

from checkpoint.documents.image import Image
from checkpoint.documents.synth.render import Specimen

DEGRADATIONS = ("blur", "noise", "glare", "light", "jpeg", "perspective")
PRESETS = ("mixed", "mild", "clean", "none", "all")
BACKGROUND_WORDS = (
    "INVOICE",
    "TOTAL",
    "Booking",
    "Gate 12",
    "Flight",
    "Boarding",
    "Customs",
    "page 3",
    "Lorem ipsum",
    "dolor sit",
    "amet",
    "2024-03-18",
    "No. 48213",
    "Departure",
    "QWERTY",
)


@dataclass(frozen=True)
class Photo:
    """A synthetic photo of a specimen and where its MRZ is in it."""

    image: Image
    specimen: Specimen
    mrz_quad: npt.NDArray[np.float32]
    """4×2 corners of `specimen.mrz_box` in photo pixels: top-left, top-right, bottom-right,
    bottom-left as the document reads."""
    settings: dict[str, object] = field(default_factory=dict)


def photograph(
    specimen: Specimen,
    rng: np.random.Generator,
    *,
    size: tuple[int, int] = (1280, 720),
    fill: float | None = None,
    angle: float | None = None,
    degrade: str = "mixed",
) -> Photo:
    """Photograph `specimen` into a frame of `size` (width, height).

    `fill` is the share of the frame's area the document covers (0.2-1.0; random when None),
    `angle` its rotation in degrees counter-clockwise (random over the full turn when None).
    `degrade` is a preset ("mixed": a random choice of faults, "mild", "clean"/"none", "all")
    or a comma-separated list of fault names from DEGRADATIONS.
    """
    width, height = size
    if width < 16 or height < 16:
        raise ValueError(f"photo size {size} is too small")
    faults = _faults(degrade, rng)
    fill = float(rng.uniform(0.2, 0.9)) if fill is None else float(fill)
    angle = float(rng.uniform(0.0, 360.0)) if angle is None else float(angle)
    tilt = {"strong": 0.07, "mild": 0.025, "none": 0.0}[faults["perspective"]]

    doc = specimen.image
    doc_h, doc_w = doc.shape[:2]
    scale = math.sqrt(fill * width * height / (doc_w * doc_h))
    corners = np.array([[0, 0], [doc_w, 0], [doc_w, doc_h], [0, doc_h]], np.float64)
    jitter = rng.normal(0.0, tilt, size=(4, 2)) * max(doc_w, doc_h)
    x0, y0, x1, y1 = specimen.mrz_box
    mrz = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    matrix = _placement(
        corners, corners + jitter, mrz, scale=scale, angle=angle, frame=(width, height), rng=rng
    )

    # Shrink the document first when the camera sees it smaller than rendered: a perspective
    # warp samples only a few source pixels and would alias the print.
    shrink = min(1.0, 1.5 * _linear_scale(matrix, corners))
    if shrink < 0.9:
        doc = _u8(cv2.resize(doc, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA))
        matrix = matrix @ np.diag([1 / shrink, 1 / shrink, 1.0])

    image = _background(width, height, rng)
    cv2.warpPerspective(
        doc,
        matrix,
        (width, height),
        dst=image,
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_TRANSPARENT,
    )
    mrz_quad = (
        cv2.perspectiveTransform((mrz * shrink if shrink < 0.9 else mrz).reshape(-1, 1, 2), matrix)
        .reshape(4, 2)
        .astype(np.float32)
    )

    settings: dict[str, object] = {
        "size": (width, height),
        "fill": round(fill, 3),
        "angle": round(angle, 1),
        "perspective": faults["perspective"],
        "degrade": degrade,
    }
    image = _degrade(image, faults, rng, settings)
    return Photo(image=image, specimen=specimen, mrz_quad=mrz_quad, settings=settings)


def _u8(array: object) -> Image:
    """OpenCV's results typed as the 8-bit images they are (its stubs say any number type)."""
    return np.asarray(array, dtype=np.uint8)


def _faults(degrade: str, rng: np.random.Generator) -> dict[str, str]:
    """Strength ("none", "mild", "strong") of each fault for a preset or list of names."""
    names = [name.strip() for name in degrade.split(",") if name.strip()]
    for name in names:
        if name not in DEGRADATIONS and name not in PRESETS:
            raise ValueError(f"unknown degradation {name!r}: use {PRESETS + DEGRADATIONS}")
    faults = dict.fromkeys(DEGRADATIONS, "none")
    if "mixed" in names:
        for name in DEGRADATIONS:
            faults[name] = str(rng.choice(["none", "mild", "strong"], p=[0.4, 0.4, 0.2]))
    elif "mild" in names:
        faults.update(dict.fromkeys(DEGRADATIONS, "mild"))
        faults["glare"] = "none"
    elif "all" in names:
        faults.update(dict.fromkeys(DEGRADATIONS, "strong"))
    for name in names:
        if name in DEGRADATIONS:
            faults[name] = "strong"
    return faults


def _placement(
    corners: npt.NDArray[np.float64],
    tilted: npt.NDArray[np.float64],
    mrz: npt.NDArray[np.float64],
    *,
    scale: float,
    angle: float,
    frame: tuple[int, int],
    rng: np.random.Generator,
) -> npt.NDArray[np.float64]:
    """Homography from document pixels to the frame: tilt, scale, turn, then a random shift
    that keeps the MRZ (and, when it fits, the whole document) inside the frame."""
    width, height = frame
    tilt = cv2.getPerspectiveTransform(corners.astype(np.float32), tilted.astype(np.float32))
    centre = corners.mean(axis=0)
    for _ in range(40):
        rad = math.radians(angle)
        cos, sin = math.cos(rad) * scale, math.sin(rad) * scale
        # Counter-clockwise on screen is clockwise in image coordinates (y points down).
        turn = np.array([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])
        shift = np.array([[1.0, 0.0, -centre[0]], [0.0, 1.0, -centre[1]], [0.0, 0.0, 1.0]])
        matrix = turn @ shift @ tilt
        doc = _apply(matrix, corners)
        text = _apply(matrix, mrz)
        margin = 0.03 * min(width, height)
        lows, highs = [], []
        for axis, extent in ((0, width), (1, height)):
            if doc[:, axis].max() - doc[:, axis].min() <= extent:
                lows.append(-doc[:, axis].min())
                highs.append(extent - doc[:, axis].max())
            else:
                # The document does not fit: any shift that keeps the MRZ in view.
                lows.append(margin - text[:, axis].min())
                highs.append(extent - margin - text[:, axis].max())
        if all(lo <= hi for lo, hi in zip(lows, highs, strict=True)):
            dx, dy = (float(rng.uniform(lo, hi)) for lo, hi in zip(lows, highs, strict=True))
            move = np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])
            return np.asarray(move @ matrix, np.float64)
        scale *= 0.95
    raise ValueError("the document cannot be placed in the frame")


def _apply(
    matrix: npt.NDArray[np.float64], points: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    moved = cv2.perspectiveTransform(points.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    return np.asarray(moved, np.float64)


def _linear_scale(matrix: npt.NDArray[np.float64], corners: npt.NDArray[np.float64]) -> float:
    moved = _apply(matrix, corners)
    return math.sqrt(
        cv2.contourArea(moved.astype(np.float32)) / cv2.contourArea(corners.astype(np.float32))
    )


def _background(width: int, height: int, rng: np.random.Generator) -> Image:
    """A cluttered desk: colour gradients, shapes, lines and stray printed words."""
    base = min(1.0, 1280 / max(width, height))
    w, h = max(16, round(width * base)), max(16, round(height * base))
    low = rng.uniform(40, 200, size=(3, 4, 3)).astype(np.float32)
    image = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)
    image = np.clip(image, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(8, 30))):
        colour = tuple(float(v) for v in rng.uniform(0, 255, 3))
        kind = int(rng.integers(0, 4))
        p1 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        p2 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        if kind == 0:
            cv2.rectangle(image, p1, p2, colour, -1 if rng.random() < 0.5 else 2, cv2.LINE_AA)
        elif kind == 1:
            cv2.circle(
                image,
                p1,
                int(rng.integers(5, max(6, w // 6))),
                colour,
                -1 if rng.random() < 0.5 else 3,
                cv2.LINE_AA,
            )
        elif kind == 2:
            cv2.line(image, p1, p2, colour, int(rng.integers(1, 6)), cv2.LINE_AA)
        else:
            word = str(rng.choice(BACKGROUND_WORDS))
            cv2.putText(
                image,
                word,
                p1,
                int(rng.choice([0, 1, 2, 3, 4, 6])),
                float(rng.uniform(0.4, 2.5)) * w / 1280,
                colour,
                int(rng.integers(1, 4)),
                cv2.LINE_AA,
            )
    if (w, h) != (width, height):
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    return _u8(image)


def _degrade(
    image: Image, faults: dict[str, str], rng: np.random.Generator, settings: dict[str, object]
) -> Image:
    height, width = image.shape[:2]
    size_factor = min(width, height) / 720.0

    def strength(name: str, mild: tuple[float, float], strong: tuple[float, float]) -> float:
        level = faults[name]
        span = mild if level == "mild" else strong
        return float(rng.uniform(*span))

    if faults["light"] != "none":
        amount = strength("light", (0.15, 0.3), (0.3, 0.55))
        low = rng.uniform(1.0 - amount, 1.0, size=(3, 3)).astype(np.float32)
        gain = cv2.resize(low * 255, (width, height), interpolation=cv2.INTER_CUBIC)
        gain = cv2.merge([np.clip(gain, 0, 255).astype(np.uint8)] * 3)
        # Integer arithmetic through OpenCV: float maths over 12 MP would take seconds.
        image = _u8(cv2.multiply(image, gain, scale=1 / 255))
        settings["light"] = round(amount, 2)
    if faults["glare"] != "none":
        amount = strength("glare", (80, 150), (150, 255))
        radius = strength("glare", (0.05, 0.1), (0.08, 0.2)) * min(width, height)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        step = max(1, min(width, height) // 256)
        ys, xs = np.ogrid[0:height:step, 0:width:step]
        blob = np.exp(-(((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2))) * amount
        blob = cv2.resize(blob.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        image = _u8(cv2.add(image, cv2.merge([np.clip(blob, 0, 255).astype(np.uint8)] * 3)))
        settings["glare"] = (round(float(cx)), round(float(cy)), round(float(radius)))
    if faults["blur"] != "none":
        sigma = strength("blur", (0.5, 1.0), (1.0, 1.8)) * size_factor
        image = _u8(cv2.GaussianBlur(image, (0, 0), sigma))
        settings["blur"] = round(sigma, 2)
    if faults["noise"] != "none":
        sigma = strength("noise", (2.0, 5.0), (5.0, 12.0))
        noise = rng.standard_normal(image.shape, dtype=np.float32)
        noise *= sigma
        image = _u8(cv2.add(image, noise, dtype=cv2.CV_8U))
        settings["noise"] = round(sigma, 1)
    if faults["jpeg"] != "none":
        quality = int(strength("jpeg", (70, 90), (30, 60)))
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok:
            image = _u8(cv2.imdecode(encoded, cv2.IMREAD_COLOR))
        settings["jpeg"] = quality
    return image
