"""Barcode reading: Checkpoint's decoder against zxing-cpp alone and ZBar alone.

For every image set in ../shared/data/barcodes (the zxing-cpp project's test images), counts
the images whose expected content (the `.txt` or `.bin` beside each image, compared as bytes)
was decoded by

- Checkpoint: `checkpoint.documents.barcodes.decode` with its default 40 ms frame budget,
- zxing-cpp alone, with rotation (its defaults: every format, try_rotate/downscale/invert),
- ZBar alone (pyzbar, every symbology it knows),

the images of `falsepositives-1` on which each reported anything at all (should be 0), and
the median milliseconds per image (median over `--runs` runs of each image).

A second table runs the same images through degradations a desk camera produces (45°
turn, shrinking, sensor noise, heavy JPEG, blur, dim uneven light) to show what the harder
passes add; pass `--no-stress` to skip it.

    uv run python bench/barcodes.py [--runs 3] [--no-stress]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp
from PIL import Image as PILImage
from pyzbar import pyzbar

from checkpoint.documents.barcodes import decode
from checkpoint.documents.barcodes.decode import zbar_available

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "barcodes"
SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}
DECOYS = "falsepositives-1"

Gray = npt.NDArray[np.uint8]


@dataclass
class Tally:
    images: int = 0
    reads: dict[str, int] = field(default_factory=lambda: {"checkpoint": 0, "zxing": 0, "zbar": 0})
    ms: dict[str, list[float]] = field(
        default_factory=lambda: {"checkpoint": [], "zxing": [], "zbar": []}
    )


def load(path: Path) -> Gray:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:  # OpenCV refuses a few tiny WebP decoys; PIL reads them
        image = np.asarray(PILImage.open(path).convert("L"), dtype=np.uint8)
    return np.ascontiguousarray(image, dtype=np.uint8)


def expected(path: Path) -> bytes | None:
    for suffix in (".txt", ".bin"):
        candidate = path.with_suffix(suffix)
        if candidate.exists():
            return candidate.read_bytes()
    return None


def run_checkpoint(image: Gray) -> list[tuple[bytes, bytes]]:
    return [(b.text.encode(), b.raw) for b in decode(image)]


def run_zxing(image: Gray) -> list[tuple[bytes, bytes]]:
    found = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return [(b.text.encode(), bytes(b.bytes)) for b in found]


def run_zbar(image: Gray) -> list[tuple[bytes, bytes]]:
    return [(bytes(s.data), bytes(s.data)) for s in pyzbar.decode(image)]


ENGINES: dict[str, Callable[[Gray], list[tuple[bytes, bytes]]]] = {
    "checkpoint": run_checkpoint,
    "zxing": run_zxing,
    "zbar": run_zbar,
}


def measure(images: list[tuple[Gray, bytes | None]], runs: int) -> Tally:
    tally = Tally(images=len(images))
    for image, want in images:
        for name, engine in ENGINES.items():
            times, result = [], []
            for _ in range(runs):
                start = time.perf_counter()
                result = engine(image)
                times.append((time.perf_counter() - start) * 1000.0)
            tally.ms[name].append(statistics.median(times))
            if want is None:
                tally.reads[name] += bool(result)  # decoys: count images with any read
            else:
                tally.reads[name] += any(want in pair for pair in result)
    return tally


def turned(image: Gray, angle: float) -> Gray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (int(height * sin + width * cos) + 20, int(height * cos + width * sin) + 20)
    matrix[0, 2] += size[0] / 2 - width / 2
    matrix[1, 2] += size[1] / 2 - height / 2
    return np.asarray(cv2.warpAffine(image, matrix, size, borderValue=255), dtype=np.uint8)


def shrunk(image: Gray, factor: float) -> Gray:
    size = (max(1, round(image.shape[1] * factor)), max(1, round(image.shape[0] * factor)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def noisy(image: Gray) -> Gray:
    rng = np.random.default_rng(1)
    return np.clip(image + rng.normal(0, 45, image.shape), 0, 255).astype(np.uint8)


def jpeg(image: Gray) -> Gray:
    _, data = cv2.imencode(".jpg", shrunk(image, 0.6), [cv2.IMWRITE_JPEG_QUALITY, 20])
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_GRAYSCALE), dtype=np.uint8)


def dim(image: Gray) -> Gray:
    ramp = np.linspace(0.35, 1.0, image.shape[1])[None, :]
    return np.clip(image * 0.35 * ramp + 120, 0, 255).astype(np.uint8)


STRESS: dict[str, Callable[[Gray], Gray]] = {
    "turned 45°": lambda g: turned(g, 45),
    "shrunk ×0.45": lambda g: shrunk(g, 0.45),
    "noise σ45": noisy,
    "JPEG q20": jpeg,
    "blur σ1.6": lambda g: np.asarray(cv2.GaussianBlur(g, (0, 0), 1.6), dtype=np.uint8),
    "dim, uneven": dim,
}


def table(title: str, rows: list[tuple[str, Tally]]) -> None:
    print(f"\n{title}")
    head = (
        f"{'set':<18}{'images':>7}{'checkpoint':>12}{'zxing-cpp':>11}{'zbar':>6}"
        f"{'ms checkpoint':>15}{'ms zxing':>10}{'ms zbar':>9}{'× zxing':>9}"
    )
    print(head)
    print("-" * len(head))
    totals = Tally()
    for name, tally in rows:
        ms = {k: statistics.median(v) if v else 0.0 for k, v in tally.ms.items()}
        ratio = ms["checkpoint"] / ms["zxing"] if ms["zxing"] else float("nan")
        r = tally.reads
        print(
            f"{name:<18}{tally.images:>7}{r['checkpoint']:>12}{r['zxing']:>11}{r['zbar']:>6}"
            f"{ms['checkpoint']:>15.2f}{ms['zxing']:>10.2f}{ms['zbar']:>9.2f}{ratio:>9.2f}"
        )
        if name != DECOYS:
            totals.images += tally.images
            for key in totals.reads:
                totals.reads[key] += r[key]
        for key in totals.ms:
            totals.ms[key].extend(tally.ms[key])
    ms = {k: statistics.median(v) if v else 0.0 for k, v in totals.ms.items()}
    r = totals.reads
    print("-" * len(head))
    print(
        f"{'total (no decoys)':<18}{totals.images:>7}{r['checkpoint']:>12}{r['zxing']:>11}"
        f"{r['zbar']:>6}{ms['checkpoint']:>15.2f}{ms['zxing']:>10.2f}{ms['zbar']:>9.2f}"
        f"{ms['checkpoint'] / ms['zxing']:>9.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per image for the timings")
    parser.add_argument("--no-stress", action="store_true", help="skip the degraded sets")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} not found: the benchmark needs ../shared/data/barcodes.", file=sys.stderr)
        return 2
    if not zbar_available():
        print("libzbar0 is not installed: the ZBar column cannot be measured.", file=sys.stderr)
        return 2
    sets: dict[str, list[tuple[Gray, bytes | None]]] = {}
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)
        sets[folder.name] = [(load(p), expected(p)) for p in paths]
    decode(sets[next(iter(sets))][0][0])  # warm-up: first calls load libraries
    rows = [(name, measure(images, args.runs)) for name, images in sets.items()]
    table(
        "Images read (expected bytes decoded; on falsepositives-1: images with any read), "
        f"median ms per image over {args.runs} runs; checkpoint budget 40 ms",
        rows,
    )
    if not args.no_stress:
        originals = [pair for name, images in sets.items() if name != DECOYS for pair in images]
        decoys = sets[DECOYS]
        stress_rows = []
        for name, change in STRESS.items():
            stress_rows.append((name, measure([(change(g), want) for g, want in originals], 1)))
        stress_rows.append(
            (
                DECOYS,
                measure([(change(g), None) for g, _ in decoys for change in STRESS.values()], 1),
            )
        )
        table(
            "The same images degraded (all sets pooled; the decoy row holds every degradation "
            "of every decoy), 1 run",
            stress_rows,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
