"""Face benchmark: 1:1 on real labelled photos, frame cost, and 1:N search at scale.

    uv run python bench/faces.py [--data ../shared/data/faces] [--sizes 10000,100000,1000000]

1. Every pair of the labelled photos in `knn_examples/train/` and `more/` (the same photo at
   other sizes excepted from calibration), decided at the 1:1 threshold, with the calibration
   those pairs give (`checkpoint.faces.calibration` holds the numbers).
2. Median milliseconds for detect + quality + template of one face on 480p, 720p and 1080p
   frames, measured in a child process pinned to one core.
3. 1:N: median milliseconds of one exact top-5 query over 10k, 100k and 1M templates, plain
   and within the gallery threshold (as screening asks), beside face_recognition's
   `face_distance` on the same matrix, with the memory each needs and the share of rows the
   index's bounds left to read in full, with BLAS on one thread and on every core (each in
   its own process), on two synthetic galleries: "dlib-like" (spread as the calibration's
   impostor distances say dlib templates are) and "isotropic" (unit vectors spread evenly
   over 128 dimensions, the worst case for the bounds). Then, on one thread, the query time
   against the number of bound columns; then the gallery-size threshold policy.

The machine's load average is printed with each table: on a shared machine the times grow
with it, and multi-threaded BLAS suffers most (its threads wait for busy cores).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

if "--frames-child" in sys.argv:
    # Pin before numpy and dlib start any threads: the target is per core.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
if "--search-child" in sys.argv:
    # BLAS reads its thread count once, at import.
    threads = sys.argv[sys.argv.index("--search-child") + 1]
    os.environ["OMP_NUM_THREADS"] = threads
    os.environ["OPENBLAS_NUM_THREADS"] = threads

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkpoint.faces.calibration import (
    DEFAULT_CALIBRATION,
    VERIFY_THRESHOLD,
    Calibration,
)
from checkpoint.faces.search import FaceIndex, gallery_threshold
from checkpoint.faces.templates import ModelId

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "faces"
_PROBES = 9
SAME_PHOTO = 0.15
"""Below this distance two files are one photo resized or re-encoded, not two photos."""


def person_of(path: Path) -> str | None:
    """The labelled person of a photo in knn_examples/train or more/ (None: unlabelled)."""
    if path.parent.parent.name == "train":
        return path.parent.name
    name = path.name.lower()
    for prefix, person in (
        ("obama", "obama"),
        ("32bit", "obama"),
        ("biden", "biden"),
        ("alex", "alex_lacamoire"),
        ("lin-manuel", "lin_manuel_miranda"),
    ):
        if name.startswith(prefix):
            return person
    return None


def labelled_photos(data: Path) -> list[tuple[Path, str]]:
    files = sorted((data / "knn_examples" / "train").glob("*/*")) + sorted(
        (data / "more").glob("*")
    )
    out = []
    for path in files:
        person = person_of(path)
        if person is not None and path.suffix.lower() in {".jpg", ".jpeg", ".png"}:
            out.append((path, person))
    return out


def one_to_one(data: Path) -> None:
    from checkpoint.faces.read import FaceReader  # noqa: PLC0415
    from checkpoint.faces.templates import distance  # noqa: PLC0415

    reader = FaceReader()
    faces = []
    print(f"\n== 1:1 on labelled photos (threshold {VERIFY_THRESHOLD:.2f}) ==")
    for path, person in labelled_photos(data):
        found = reader.read(cv2.imread(str(path)))
        subject = next((f for f in found if f.subject), None)
        if subject is None:
            print(f"  {path.relative_to(data)}: no face found")
            continue
        faces.append((str(path.relative_to(data)), person, subject))
    print(f"{'pair':<78} {'same':>5} {'dist':>6} {'decision':>9}  ok")
    rows = []
    for (na, pa, fa), (nb, pb, fb) in itertools.combinations(faces, 2):
        assert fa.template is not None
        assert fb.template is not None
        d = distance(fa.template, fb.template)
        match = d <= VERIFY_THRESHOLD
        rows.append((na, nb, pa == pb, d, match))
    wrong = 0
    for na, nb, same, d, match in sorted(rows, key=lambda r: (not r[2], r[3])):
        ok = match == same
        wrong += not ok
        decision = "match" if match else "no match"
        print(
            f"{na + ' ~ ' + nb:<78} {'yes' if same else 'no':>5} {d:6.3f} {decision:>9}  "
            f"{'ok' if ok else 'WRONG'}"
        )
    same_d = [r[3] for r in rows if r[2]]
    diff_d = [r[3] for r in rows if not r[2]]
    print(
        f"same-person pairs: {len(same_d)}, all match: {all(d <= VERIFY_THRESHOLD for d in same_d)}"
        f", largest distance {max(same_d):.3f}"
    )
    print(
        f"different-person pairs: {len(diff_d)}, none match: "
        f"{all(d > VERIFY_THRESHOLD for d in diff_d)}, smallest distance {min(diff_d):.3f}"
    )
    print(f"wrong decisions: {wrong} of {len(rows)}")
    distinct = [(d, s) for _, _, s, d, _ in rows if d >= SAME_PHOTO]
    fitted = Calibration.fit([d for d, _ in distinct], [s for _, s in distinct])
    print(
        f"calibration on distinct photos: genuine {fitted.genuine_mean:.3f} ± "
        f"{fitted.genuine_std:.3f} ({fitted.genuine_pairs} pairs), impostor "
        f"{fitted.impostor_mean:.3f} ± {fitted.impostor_std:.3f} ({fitted.impostor_pairs} pairs)"
    )
    print(
        f"  at {VERIFY_THRESHOLD}: FMR {fitted.false_match_rate(VERIFY_THRESHOLD):.1e}, "
        f"FNMR {fitted.false_non_match_rate(VERIFY_THRESHOLD):.1e}, "
        f"P(same) {fitted.probability_same(VERIFY_THRESHOLD):.3f}"
    )


def frames(data: Path) -> None:
    """Run in a child pinned to one core: detect + quality + template per frame size."""
    from checkpoint.faces.detect import detect_faces, to_rgb  # noqa: PLC0415
    from checkpoint.faces.quality import assess  # noqa: PLC0415
    from checkpoint.faces.read import FaceReader  # noqa: PLC0415
    from checkpoint.faces.templates import encode_shapes  # noqa: PLC0415

    reader = FaceReader()
    source = cv2.imread(str(data / "more" / "obama-1080p.jpg"))
    print(
        f"\n== one frame, one core (median of 15 runs), core {sorted(os.sched_getaffinity(0))}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores =="
    )
    print(f"{'frame':<8} {'detect':>8} {'quality':>8} {'template':>9} {'total':>8} {'read()':>8}")
    for label, height in (("480p", 480), ("720p", 720), ("1080p", 1080)):
        width = round(height * 16 / 9)
        frame = cv2.resize(source, (width, height), interpolation=cv2.INTER_AREA)
        reader.read(frame)  # warm up
        parts: dict[str, list[float]] = {"detect": [], "quality": [], "template": [], "read": []}
        for _ in range(15):
            t0 = time.perf_counter()
            rgb = to_rgb(frame)
            found = detect_faces(rgb, reader.models, reader.detect_options)
            t1 = time.perf_counter()
            for d in found:
                assess(frame, d.box, d.landmarks)
            t2 = time.perf_counter()
            encode_shapes(rgb, [d.shape for d in found], reader.models)
            t3 = time.perf_counter()
            reader.read(frame)
            t4 = time.perf_counter()
            parts["detect"].append((t1 - t0) * 1000)
            parts["quality"].append((t2 - t1) * 1000)
            parts["template"].append((t3 - t2) * 1000)
            parts["read"].append((t4 - t3) * 1000)
        med = {k: statistics.median(v) for k, v in parts.items()}
        total = med["detect"] + med["quality"] + med["template"]
        print(
            f"{label:<8} {med['detect']:8.1f} {med['quality']:8.1f} {med['template']:9.1f} "
            f"{total:8.1f} {med['read']:8.1f}"
        )


def _median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def dlib_like(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Templates spread as the calibration says dlib's are, and the spread of a re-capture.

    Impostor distances of mean m and spread s need E|x - y|² = 2 tr Σ = m² + s² and, for
    Gaussian templates, Var|x - y|² = 8 tr Σ² ≈ (2 m s)². An exponentially decaying
    spectrum meeting both (in random directions, around a common mean) stands in for real
    templates, which are not spread evenly over 128 dimensions (isotropic templates would
    put impostors at 1.41, not 0.84).
    """
    m, s = DEFAULT_CALIBRATION.impostor_mean, DEFAULT_CALIBRATION.impostor_std
    trace, squares = (m * m + s * s) / 2, (2 * m * s) ** 2 / 8
    low, high = 0.5, 500.0
    for _ in range(60):
        tau = (low + high) / 2
        spectrum = np.exp(-np.arange(128) / tau)
        spectrum *= trace / spectrum.sum()
        low, high = (tau, high) if (spectrum**2).sum() > squares else (low, tau)
    rotation, _ = np.linalg.qr(rng.standard_normal((128, 128)))
    axes = (np.sqrt(spectrum)[:, None] * rotation.T).astype(np.float32)
    mean = rng.standard_normal(128).astype(np.float32)
    mean *= 0.8 / np.linalg.norm(mean)
    gallery = np.empty((size, 128), dtype=np.float32)
    for start in range(0, size, 1 << 16):
        end = min(size, start + (1 << 16))
        gallery[start:end] = rng.standard_normal((end - start, 128), dtype=np.float32) @ axes
    gallery += mean
    genuine = DEFAULT_CALIBRATION.genuine_mean / np.sqrt(trace)
    return gallery, genuine * axes


def isotropic(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Unit templates spread evenly in every direction: the worst case for the bounds."""
    gallery = rng.standard_normal((size, 128), dtype=np.float32)
    gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
    return gallery, 0.02 * np.eye(128, dtype=np.float32)


def _probes(gallery: np.ndarray, noise: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Re-captures of listed people: their template plus noise of the given spread."""
    rows = rng.integers(0, gallery.shape[0], _PROBES)
    return gallery[rows] + rng.standard_normal((_PROBES, 128), dtype=np.float32) @ noise


def _query_ms(index: FaceIndex, probes: np.ndarray, limit: float | None) -> float:
    """Median ms of one query, cycling through the probes (after a warm-up of each)."""
    for probe in probes:
        index.search(probe, 5, max_distance=limit)
    cycle = itertools.cycle(probes)
    return _median_ms(lambda: index.search(next(cycle), 5, max_distance=limit), 3 * len(probes))


def one_to_many(sizes: list[int], threads: str, columns_sweep: bool) -> None:
    with warnings.catch_warnings():
        # face_recognition_models warns about pkg_resources on import.
        warnings.simplefilter("ignore")
        import face_recognition  # noqa: PLC0415

    model = ModelId("bench", "random")
    print(
        f"\n== 1:N exact top-5, one query (median over {_PROBES} probes), BLAS threads {threads}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores =="
    )
    print(
        "top-5: the 5 nearest; within t: the 5 nearest within the gallery threshold t (as the\n"
        "screening calls it). kept: share of rows the bounds left to read in full."
    )
    print(
        f"{'gallery':<10} {'size':>9} {'top-5 ms':>9} {'kept':>6} {'within t ms':>12} "
        f"{'kept':>7} {'face_distance ms':>17} {'ratio':>6} {'index MB':>9} "
        f"{'peer temp MB':>13} {'same top-5':>10} {'build s':>8}"
    )
    for name, make in (("dlib-like", dlib_like), ("isotropic", isotropic)):
        rng = np.random.default_rng(7)
        for size in sizes:
            gallery, noise = make(size, rng)
            ids = [f"w{i}" for i in range(size)]
            started = time.perf_counter()
            index = FaceIndex(model, capacity=size)
            index.add(ids, gallery)
            build = time.perf_counter() - started
            probes = _probes(gallery, noise, rng)
            limit = gallery_threshold(size).threshold
            top = _query_ms(index, probes, None)
            within = _query_ms(index, probes, limit)
            theirs = _median_ms(
                functools.partial(face_recognition.face_distance, gallery, probes[0]), 3
            )
            same = all(
                [i for i, _ in index.search(probe, 5)]
                == [ids[i] for i in np.argsort(face_recognition.face_distance(gallery, probe))[:5]]
                for probe in probes
            )
            peer_mb = gallery.nbytes * 2 / 2**20  # the difference matrix, then its square
            print(
                f"{name:<10} {size:>9,} {top:9.1f} {index.kept_share(thresholded=False):6.1%} "
                f"{within:12.1f} {index.kept_share(thresholded=True):7.2%} {theirs:17.1f} "
                f"{theirs / top:6.1f} {index.nbytes / 2**20:9.0f} {peer_mb:13.0f} "
                f"{same!s:>10} {build:8.1f}"
            )
            del index, gallery
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")
    if columns_sweep:
        bound_columns(max(sizes))


def bound_columns(size: int) -> None:
    """Query time against the number of bound columns, on the dlib-like gallery."""
    rng = np.random.default_rng(11)
    gallery, noise = dlib_like(size, rng)
    probes = _probes(gallery, noise, rng)
    ids = [f"w{i}" for i in range(size)]
    limit = gallery_threshold(size).threshold
    print(f"\n== bound columns, dlib-like gallery of {size:,}, one BLAS thread ==")
    print(f"{'columns':>7} {'top-5 ms':>9} {'kept':>6} {'within t ms':>12} {'kept':>7} {'MB':>5}")
    for columns in (16, 24, 32, 48, 64):
        # bound_max_share=1: measure the bounds themselves, never the fallback scan.
        index = FaceIndex(
            ModelId("bench", "random"), capacity=size, bound_columns=columns, bound_max_share=1.0
        )
        index.add(ids, gallery)
        top = _query_ms(index, probes, None)
        within = _query_ms(index, probes, limit)
        print(
            f"{columns:>7} {top:9.1f} {index.kept_share(thresholded=False):6.1%} {within:12.1f} "
            f"{index.kept_share(thresholded=True):7.2%} {index.nbytes / 2**20:5.0f}"
        )
        del index


def policy() -> None:
    print(
        "\n== 1:N threshold policy (default calibration: "
        f"genuine {DEFAULT_CALIBRATION.genuine_mean} ± {DEFAULT_CALIBRATION.genuine_std}, "
        f"impostor {DEFAULT_CALIBRATION.impostor_mean} ± {DEFAULT_CALIBRATION.impostor_std}) =="
    )
    print(f"{'gallery':>10} {'target FPIR':>11} {'threshold':>9} {'FPIR':>8} {'FNIR':>6}  set by")
    for target in (0.01, 0.001):
        for size in (1_000, 10_000, 100_000, 1_000_000):
            g = gallery_threshold(size, target)
            print(
                f"{size:>10,} {target:>11} {g.threshold:9.3f} {g.expected_fpir:8.2%} "
                f"{g.expected_fnir:6.1%}  {g.limited_by}"
            )
    fixed = DEFAULT_CALIBRATION.false_match_rate(0.6)
    print(
        f"face_recognition's fixed 0.6: FMR {fixed:.1e} per comparison, "
        f"{fixed * 10_000:.1f} expected false alerts per traveller against 10,000 templates"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--frames-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--search-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.frames_child:
        frames(args.data)
        return 0
    if args.search_child:
        one_to_many(
            [int(s) for s in args.sizes.split(",")], args.search_child, args.search_child == "1"
        )
        return 0
    if args.data.is_dir():
        one_to_one(args.data)
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, __file__, "--frames-child", "--data", str(args.data)], check=True
        )
    else:
        print(f"{args.data} not found: 1:1 and frame timings skipped")
    for threads in ("1", str(os.cpu_count() or 1)):
        command = [sys.executable, __file__, "--search-child", threads, "--sizes", args.sizes]
        subprocess.run(command, check=True)
    policy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
