"""MRZ location benchmark: find rate and speed on synthetic photographs, one core.

Checkpoint's `locate_mrz` against the classic axis-aligned detector that PassportEye and the
pyimagesearch MRZ tutorial use (black-hat, horizontal gradient, closing, the widest blob),
implemented here as published except that the MRZ may span 30 % of the frame's width rather
than 75 % (else it finds almost nothing that is not a flat scan). A find is a top candidate
whose quad overlaps the true MRZ with IoU >= 0.5. Times are CPU milliseconds (the same as wall
time on an idle core, steadier on a shared machine), the median of three runs per photo.

    uv run python bench/mrz_locate.py [--count 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import cv2
import numpy as np
import numpy.typing as npt

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.mrz.locate import locate_mrz
from checkpoint.documents.synth import Photo, photograph, random_identity, render_specimen

Quad = npt.NDArray[np.float32]


def iou(a: Quad, b: Quad) -> float:
    hull_a, hull_b = cv2.convexHull(a.astype(np.float32)), cv2.convexHull(b.astype(np.float32))
    inter, _ = cv2.intersectConvexConvex(hull_a, hull_b)
    union = cv2.contourArea(hull_a) + cv2.contourArea(hull_b) - inter
    return float(inter / union) if union > 0 else 0.0


def checkpoint_locate(image: np.ndarray) -> Quad | None:
    found = locate_mrz(image)
    return found[0].quad if found else None


def classic_locate(image: np.ndarray) -> Quad | None:
    """The pyimagesearch / PassportEye detector: upright documents filling the frame."""
    scale = 600 / image.shape[0]
    gray = cv2.cvtColor(cv2.resize(image, None, fx=scale, fy=scale), cv2.COLOR_BGR2GRAY)
    rect, square = cv2.getStructuringElement(cv2.MORPH_RECT, (13, 5)), np.ones((21, 21), np.uint8)
    blackhat = cv2.morphologyEx(cv2.GaussianBlur(gray, (3, 3), 0), cv2.MORPH_BLACKHAT, rect)
    grad = np.absolute(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    grad = (255 * (grad - grad.min()) / max(float(grad.max() - grad.min()), 1e-6)).astype(np.uint8)
    grad = cv2.morphologyEx(grad, cv2.MORPH_CLOSE, rect)
    _, thresh = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    thresh = cv2.erode(cv2.morphologyEx(thresh, cv2.MORPH_CLOSE, square), None, iterations=4)
    contours, _ = cv2.findContours(thresh, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in sorted(contours, key=cv2.contourArea, reverse=True):
        x, y, w, h = cv2.boundingRect(contour)
        if w / max(h, 1) > 5 and w / gray.shape[1] > 0.3:
            box = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)
            return box / scale
    return None


def make_photos(count: int, seed: int, size: tuple[int, int], upright: bool) -> list[Photo]:
    rng = np.random.default_rng(seed)
    formats = list(MrzFormat)
    photos = []
    for index in range(count):
        fmt = formats[index % len(formats)]
        specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
        angle = float(rng.uniform(-8, 8)) if upright else None
        fill = float(rng.uniform(0.6, 0.9)) if upright else None
        photos.append(photograph(specimen, rng, size=size, degrade="mixed", angle=angle, fill=fill))
    return photos


def measure(
    locate: Callable[[np.ndarray], Quad | None], photos: list[Photo]
) -> tuple[float, float, float]:
    """Find rate, median ms and 90th percentile ms."""
    found, times = 0, []
    for photo in photos:
        runs = []
        for _ in range(3):
            start = time.process_time()
            quad = locate(photo.image)
            runs.append((time.process_time() - start) * 1000.0)
        times.append(statistics.median(runs))
        found += quad is not None and iou(quad, photo.mrz_quad) >= 0.5
    return found / len(photos), statistics.median(times), float(np.percentile(times, 90))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="photos per row (12 MP: a third)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    rows = [
        ("720p, any angle", (1280, 720), False, args.count),
        ("720p, upright, 60-90 % fill", (1280, 720), True, args.count),
        ("640x480, any angle", (640, 480), False, args.count),
        ("12 MP, any angle", (4000, 3000), False, max(6, args.count // 3)),
    ]
    print("MRZ location on synthetic photos (mixed faults), one core, CPU ms")
    header = f"{'photos':<30}{'n':>4}  {'found':>6} {'med ms':>7} {'p90 ms':>7}"
    print(f"{header}  | classic: {'found':>6} {'med ms':>7} | found ratio")
    for name, size, upright, count in rows:
        photos = make_photos(count, args.seed, size, upright)
        checkpoint_locate(photos[0].image)  # warm-up
        ours = measure(checkpoint_locate, photos)
        peer = measure(classic_locate, photos)
        ratio = f"{ours[0] / peer[0]:.1f}x" if peer[0] else "-"
        print(
            f"{name:<30}{count:>4}  {ours[0]:>6.0%} {ours[1]:>7.1f} {ours[2]:>7.1f}"
            f"  |          {peer[0]:>6.0%} {peer[1]:>7.1f} | {ratio}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
