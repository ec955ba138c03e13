"""OCR-B line recogniser on real MRZ line crops, beside stock Tesseract.

    uv run python bench/mrz_lines.py [--data ../shared/data/mrz-lines] [--tesseract 150] [--runs 3]

Reads every crop of the real line set (printed text in `line-NNNN.gt.txt`) twice: once with
the cell count estimated from the image (`length=None`), and once told the line's length, as
the MRZ reader does for full 30/36/44-character lines (only those lines). Character accuracy
counts matching characters (aligned by difflib when the lengths differ); a line is right only
when every character is. Time is the median per line of the best of `--runs` passes, on one
core. Tesseract (eng, psm 7, MRZ whitelist) reads an evenly spaced subsample of the crops.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2

from checkpoint.documents.mrz.glyphs import ALPHABET
from checkpoint.documents.mrz.ocr import OcrbRecognizer

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "mrz-lines"
FULL_LENGTHS = (30, 36, 44)


@dataclass
class Tally:
    lines: int = 0
    right_lines: int = 0
    chars: int = 0
    right_chars: int = 0

    def add(self, truth: str, read: str) -> None:
        self.lines += 1
        self.right_lines += truth == read
        self.chars += len(truth)
        if len(read) == len(truth):
            self.right_chars += sum(a == b for a, b in zip(truth, read, strict=True))
        else:
            matcher = difflib.SequenceMatcher(None, truth, read, autojunk=False)
            self.right_chars += sum(block.size for block in matcher.get_matching_blocks())

    def row(self, name: str, ms: float | str) -> str:
        ms_text = f"{ms:8.2f}" if isinstance(ms, float) else f"{ms:>8}"
        return (
            f"{name:<34} {self.lines:>6} {self.right_chars / self.chars:>9.2%} "
            f"{self.right_lines / self.lines:>9.2%} {ms_text}"
        )


def load_set(folder: Path) -> list[tuple[Path, str]]:
    items = []
    for image in sorted(folder.glob("line-*.png")):
        truth = image.with_suffix(".gt.txt")
        if truth.exists():
            items.append((image, truth.read_text(encoding="ascii").strip()))
    return items


def bench_checkpoint(items: list[tuple[Path, str]], runs: int, known: bool) -> tuple[Tally, float]:
    recognizer = OcrbRecognizer.load()
    images = [(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE), truth) for path, truth in items]
    if known:
        images = [(image, truth) for image, truth in images if len(truth) in FULL_LENGTHS]
    best: list[float] = [float("inf")] * len(images)
    tally = Tally()
    for run in range(runs):
        for i, (image, truth) in enumerate(images):
            started = time.perf_counter()
            read = recognizer.read_line(image, len(truth) if known else None)
            best[i] = min(best[i], time.perf_counter() - started)
            if run == 0:
                tally.add(truth, read.text)
    return tally, statistics.median(best) * 1000


def subsample(items: list[tuple[Path, str]], count: int) -> list[tuple[Path, str]]:
    step = max(1, len(items) // max(count, 1))
    return items[::step][:count]


def bench_tesseract(sample: list[tuple[Path, str]]) -> tuple[Tally, float] | None:
    if shutil.which("tesseract") is None or not sample:
        return None
    tally = Tally()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, truth in sample:
            started = time.perf_counter()
            result = subprocess.run(
                [
                    "tesseract",
                    str(path),
                    "stdout",
                    "-l",
                    "eng",
                    "--psm",
                    "7",
                    "-c",
                    f"tessedit_char_whitelist={ALPHABET}",
                ],
                capture_output=True,
                text=True,
                check=False,
                cwd=tmp,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
            times.append(time.perf_counter() - started)
            read = "".join(c for c in result.stdout if c in ALPHABET)
            tally.add(truth, read)
    return tally, statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tesseract", type=int, default=150, help="crops for Tesseract")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    items = load_set(args.data)
    if not items:
        print(f"No line crops with text found in {args.data}.", file=sys.stderr)
        return 1
    print(f"{len(items)} real MRZ line crops from {args.data}\n")
    print(f"{'reader':<34} {'lines':>6} {'char acc':>9} {'line acc':>9} {'ms/line':>8}")
    tally, ms = bench_checkpoint(items, args.runs, known=False)
    print(tally.row("Checkpoint OCR-B, length estimated", ms))
    tally, ms = bench_checkpoint(items, args.runs, known=True)
    print(tally.row("Checkpoint OCR-B, length given", ms))
    sample = subsample(items, args.tesseract)
    tesseract = bench_tesseract(sample)
    if tesseract is None:
        print("tesseract: not installed")
        return 0
    tally, ms = bench_checkpoint(sample, args.runs, known=False)
    print(tally.row("Checkpoint, Tesseract's subsample", ms))
    tally, tesseract_ms = tesseract
    print(tally.row("Tesseract 5 eng psm 7, whitelist", tesseract_ms))
    print(f"\nCheckpoint is {tesseract_ms / ms:.0f}x faster than Tesseract per line.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
