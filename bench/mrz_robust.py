"""MRZ reading under faults `bench/mrz.py` does not photograph: a curled page, a moving hand.

Renders specimens of every format, photographs them mildly degraded at 1280x720, then bends
the whole frame (a booklet's page lifting off the desk: a half sine wave across the frame, of
the amplitude given in pixels) or smears it along a random direction (motion blur of the
length given in pixels), and reads each photo on one core.

    uv run python bench/mrz_robust.py [--count 60] [--seed 77]

Exact read: every line equals the rendered truth. False read: an accepted read that is not
exact, which must stay at 0 however hard the fault.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkpoint.documents.image import Image
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.mrz.reader import MrzReader
from checkpoint.documents.synth import photograph, random_identity, render_specimen

CURLS = (10, 25)
SMEARS = (5, 9)


def curled(image: Image, amplitude: float, rng: np.random.Generator) -> Image:
    """The frame bent by a half sine wave of `amplitude` pixels across it (and half that
    along it), starting at a random phase."""
    height, width = image.shape[:2]
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    phase = rng.uniform(0.0, np.pi)
    map_x = xs + 0.5 * amplitude * np.sin(np.pi * ys / height + phase)
    map_y = ys + amplitude * np.sin(np.pi * xs / width + phase)
    return np.asarray(
        cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE),
        np.uint8,
    )


def smeared(image: Image, length: int, rng: np.random.Generator) -> Image:
    """The frame blurred along a straight path `length` pixels long, in a random direction."""
    kernel = np.zeros((length, length), np.float32)
    angle = rng.uniform(0.0, np.pi)
    half = (length - 1) / 2
    dx, dy = half * np.cos(angle), half * np.sin(angle)
    cv2.line(
        kernel,
        (round(half - dx), round(half - dy)),
        (round(half + dx), round(half + dy)),
        1.0,
        1,
        cv2.LINE_AA,
    )
    kernel /= kernel.sum()
    return np.asarray(cv2.filter2D(image, -1, kernel), np.uint8)


def faults(rng: np.random.Generator) -> dict[str, Callable[[Image], Image]]:
    out: dict[str, Callable[[Image], Image]] = {}
    for amplitude in CURLS:
        out[f"page curl {amplitude} px"] = lambda im, a=amplitude: curled(im, a, rng)
    for length in SMEARS:
        out[f"motion blur {length} px"] = lambda im, n=length: smeared(im, n, rng)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=77)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    reader = MrzReader()
    rng = np.random.default_rng(args.seed)
    formats = list(MrzFormat)
    tally: dict[str, list[int]] = {}
    for index in range(args.count):
        fmt = formats[index % len(formats)]
        specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
        photo = photograph(specimen, rng, size=(1280, 720), degrade="mild")
        for name, fault in faults(rng).items():
            result = reader.read(fault(photo.image))
            exact = result is not None and tuple(result.read.lines) == tuple(specimen.lines)
            accepted = result is not None and result.accepted
            counts = tally.setdefault(name, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += exact
            counts[2] += accepted
            counts[3] += accepted and not exact
    print(f"{args.count} mildly degraded 720p photos per fault, every format, one core\n")
    print(f"{'fault':<22} {'exact %':>8} {'accepted %':>11} {'false':>6}")
    for name, (count, exact, accepted, false) in tally.items():
        print(f"{name:<22} {100 * exact / count:>8.1f} {100 * accepted / count:>11.1f} {false:>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
