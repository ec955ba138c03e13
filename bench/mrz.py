"""MRZ reading benchmark: exact reads, false reads and speed on synthetic photographs.

Renders specimen documents of every format, photographs them with every kind of degradation
at desk-camera (1280x720) and phone (12 MP) sizes, and reads each with Checkpoint's reader on
one core. Beside it, stock Tesseract reads the same located line crops.

    uv run python bench/mrz.py [--count 300] [--tesseract 40] [--seed 1 [2 ...]]

With several seeds, each seed's photos are measured in turn and a last table sums them up.
Times are wall-clock ms per image and, beside them, the process's CPU ms ("cpu"): on a
machine shared with other jobs the wall clock also counts the waits for the core, the CPU
time only the reader's own work.

Exact read: every line equals the rendered truth. Accepted: the reader took the read as read
(`MrzImageRead.accepted`: all check digits agree and the confidence reaches ACCEPT_CONFIDENCE);
a valid read that is not accepted asks the officer to scan again. False read: an accepted read
whose lines differ from the truth — the error that matters most. "valid wrong" counts the reads
whose check digits all agree but whose text is wrong, accepted or not: what the acceptance rule
has to catch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.mrz.ocr import OcrbRecognizer
from checkpoint.documents.mrz.reader import MrzImageRead, MrzReader
from checkpoint.documents.synth import Photo, photograph, random_identity, render_specimen

SIZES = {"720p": (1280, 720), "12MP": (4000, 3000)}
DEGRADATIONS = ("clean", "mixed", "blur", "noise", "glare", "jpeg", "perspective")


@dataclass
class Outcome:
    size: str
    fmt: str
    degrade: str
    exact: bool
    accepted: bool
    false_read: bool
    valid_wrong: bool
    found: bool
    ms: float
    cpu_ms: float


def make_photos(count: int, seed: int) -> list[tuple[str, str, Photo]]:
    rng = np.random.default_rng(seed)
    formats = list(MrzFormat)
    photos = []
    for index in range(count):
        fmt = formats[index % len(formats)]
        size_name = "12MP" if index % 5 == 4 else "720p"
        degrade = DEGRADATIONS[(index // len(formats)) % len(DEGRADATIONS)]
        specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
        photo = photograph(specimen, rng, size=SIZES[size_name], degrade=degrade)
        photos.append((size_name, degrade, photo))
    return photos


def run_checkpoint(
    photos: list[tuple[str, str, Photo]], reader: MrzReader, dump: Path | None = None
) -> list[Outcome]:
    outcomes = []
    for number, (size_name, degrade, photo) in enumerate(photos):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = reader.read(photo.image)
        ms = (time.perf_counter() - start) * 1000.0
        cpu_ms = (time.process_time() - cpu_start) * 1000.0
        truth = tuple(photo.specimen.lines)
        lines = tuple(result.read.lines) if result else ()
        exact = lines == truth
        accepted = bool(result and result.accepted)
        false_read = accepted and not exact
        valid_wrong = bool(result and result.read.valid and not exact)
        if dump is not None and not exact:
            dump_failure(dump, number, photo, result)
        outcomes.append(
            Outcome(
                size_name,
                photo.specimen.format.value,
                degrade,
                exact,
                accepted,
                false_read,
                valid_wrong,
                bool(result),
                ms,
                cpu_ms,
            )
        )
    return outcomes


def dump_failure(folder: Path, number: int, photo: Photo, result: MrzImageRead | None) -> None:
    """The photo, the truth, the read and per-character confidences of one failed read."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{number:04d}-{photo.specimen.format.value}"
    # Lossless, so that reading the dumped photo fails exactly as in the benchmark.
    cv2.imwrite(str(stem.with_suffix(".png")), photo.image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    report = [f"truth: {line}" for line in photo.specimen.lines]
    if result is None:
        report.append("not found")
    else:
        read = result.read
        report += [f"raw:   {line}" for line in read.raw_lines]
        report += [f"read:  {line}" for line in read.lines]
        report.append(
            f"valid={read.valid} accepted={read.accepted} confidence={read.confidence} "
            f"weakest_unchecked={read.weakest_unchecked} weakest_checked={read.weakest_checked}"
        )
        report += [f"correction: {c}" for c in read.corrections]
        report += [f"warning: {w}" for w in read.warnings]
        for n, line_read in enumerate(result.line_reads):
            low = [
                (i + 1, c, round(p, 3), line_read.alternatives[i][1:])
                for i, (c, p) in enumerate(zip(line_read.text, line_read.confidences, strict=True))
                if p < 0.9
            ]
            report.append(f"line {n + 1} low: {low}")
        for n, crop in enumerate(result.location.lines):
            cv2.imwrite(str(stem) + f"-line{n + 1}.png", crop)
    stem.with_suffix(".txt").write_text("\n".join(report) + "\n")


def tesseract_line(crop: np.ndarray) -> str:
    ok, png = cv2.imencode(".png", crop)
    assert ok
    completed = subprocess.run(
        [
            "tesseract",
            "stdin",
            "stdout",
            "--psm",
            "7",
            "-l",
            "eng",
            "-c",
            "tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<",
        ],
        input=png.tobytes(),
        capture_output=True,
        check=False,
    )
    return completed.stdout.decode("ascii", "replace").strip().replace(" ", "")


def run_tesseract(
    photos: list[tuple[str, str, Photo]], reader: MrzReader, limit: int
) -> tuple[float, float, int]:
    """Exact-line rate and median ms per document of Tesseract on Checkpoint's own line crops."""
    exact = 0
    times = []
    tried = 0
    for _, _, photo in photos[:limit]:
        result = reader.read(photo.image)
        if result is None:
            continue
        tried += 1
        start = time.perf_counter()
        lines = tuple(tesseract_line(crop) for crop in result.location.lines)
        times.append((time.perf_counter() - start) * 1000.0)
        exact += lines == tuple(photo.specimen.lines)
    return (exact / tried if tried else 0.0), (statistics.median(times) if times else 0.0), tried


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument(
        "--tesseract", type=int, default=40, help="photos for the Tesseract peer (0: skip)"
    )
    parser.add_argument("--seed", type=int, nargs="+", default=[1])
    parser.add_argument("--dump", type=Path, help="folder for every failed read's photo and report")
    parser.add_argument("--model", type=Path, help="OCR-B model file (default: the shipped one)")
    args = parser.parse_args()
    cv2.setNumThreads(1)

    reader = MrzReader(OcrbRecognizer.load(args.model) if args.model else None)
    everything: list[Outcome] = []
    for seed in args.seed:
        print(f"rendering {args.count} photographs (seed {seed}) ...", file=sys.stderr)
        photos = make_photos(args.count, seed)
        reader.read(photos[0][2].image)  # warm-up: model load, first-call allocations
        dump = args.dump / f"seed{seed}" if args.dump and len(args.seed) > 1 else args.dump
        outcomes = run_checkpoint(photos, reader, dump)
        everything += outcomes
        print(f"\nCheckpoint MRZ reader, seed {seed}, {len(outcomes)} synthetic photos, one core")
        print_table(outcomes)
    if len(args.seed) > 1:
        print(f"\nAll seeds ({', '.join(map(str, args.seed))}), {len(everything)} photos")
        print_table(everything)
    if args.tesseract and shutil.which("tesseract"):
        print_tesseract(photos, outcomes, reader, args.tesseract)
    return 0


def print_table(outcomes: list[Outcome]) -> None:
    header = (
        "group",
        "n",
        "exact %",
        "accepted %",
        "false",
        "valid wrong",
        "found %",
        "median ms",
        "p95 ms",
        "cpu median",
        "cpu p95",
    )
    print("{:<22}{:>5}{:>9}{:>12}{:>7}{:>13}{:>9}{:>11}{:>9}{:>12}{:>9}".format(*header))
    groups: dict[str, list[Outcome]] = {"all": outcomes}
    for outcome in outcomes:
        groups.setdefault(f"size {outcome.size}", []).append(outcome)
        groups.setdefault(f"format {outcome.fmt}", []).append(outcome)
        groups.setdefault(f"degrade {outcome.degrade}", []).append(outcome)
    for name, members in groups.items():
        ms = [o.ms for o in members]
        cpu = [o.cpu_ms for o in members]
        n = len(members)
        row = (
            name,
            n,
            100 * sum(o.exact for o in members) / n,
            100 * sum(o.accepted and o.exact for o in members) / n,
            sum(o.false_read for o in members),
            sum(o.valid_wrong for o in members),
            100 * sum(o.found for o in members) / n,
            statistics.median(ms),
            percentile(ms, 95),
            statistics.median(cpu),
            percentile(cpu, 95),
        )
        print(
            "{:<22}{:>5}{:>9.1f}{:>12.1f}{:>7}{:>13}{:>9.1f}{:>11.1f}{:>9.1f}{:>12.1f}{:>9.1f}".format(
                *row
            )
        )


def print_tesseract(
    photos: list[tuple[str, str, Photo]], outcomes: list[Outcome], reader: MrzReader, limit: int
) -> None:
    """Stock Tesseract on the last seed's first `limit` located MRZs, beside Checkpoint."""
    rate, median_ms, tried = run_tesseract(photos, reader, limit)
    ours = [o for o in outcomes[:limit] if o.found]
    our_ms = statistics.median(o.ms for o in ours) if ours else 0.0
    print(f"\nPeer: stock Tesseract (eng, psm 7, MRZ whitelist) on the same {tried} located MRZs")
    print(f"{'engine':<22}{'exact %':>10}{'median ms':>11}")
    print(f"{'Tesseract (OCR only)':<22}{100 * rate:>10.1f}{median_ms:>11.1f}")
    exact_ours = 100 * sum(o.exact for o in ours) / len(ours) if ours else 0.0
    print(f"{'Checkpoint (whole)':<22}{exact_ours:>10.1f}{our_ms:>11.1f}")
    if our_ms:
        print(f"Tesseract OCR alone takes {median_ms / our_ms:.1f}x Checkpoint's whole read")


if __name__ == "__main__":
    sys.exit(main())
