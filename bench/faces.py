"""Face benchmark: 1:1 on real labelled photos, frame cost, and 1:N search at scale.

    uv run python bench/faces.py [--data ../shared/data/faces] [--sizes 10000,100000,1000000]

1. Every pair of the labelled photos in `knn_examples/train/` and `more/` (the same photo at
   other sizes excepted from calibration), decided at the 1:1 threshold, with the calibration
   those pairs give (`checkpoint.faces.calibration` holds the numbers).
2. Median milliseconds for detect + quality + template of one face on 480p, 720p and 1080p
   frames, measured in a child process pinned to one core.
3. 1:N: median milliseconds of one exact top-5 query over 10k, 100k and 1M templates, beside
   face_recognition's `face_distance` on the same matrix, with the memory each needs, with
   BLAS on one thread and on every core (each in its own process); then the gallery-size
   threshold policy.

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


def one_to_many(sizes: list[int], threads: str) -> None:
    with warnings.catch_warnings():
        # face_recognition_models warns about pkg_resources on import.
        warnings.simplefilter("ignore")
        import face_recognition  # noqa: PLC0415

    rng = np.random.default_rng(7)
    model = ModelId("bench", "random")
    print(
        f"\n== 1:N exact top-5, one query (median), BLAS threads {threads}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores =="
    )
    print(
        f"{'gallery':>9} {'index ms':>9} {'face_distance ms':>17} {'ratio':>6} "
        f"{'index MB':>9} {'peer temp MB':>13} {'same top-5':>10}"
    )
    for size in sizes:
        # dlib templates have norm close to 1 and spread in every direction.
        gallery = rng.standard_normal((size, 128), dtype=np.float32)
        gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
        ids = [f"w{i}" for i in range(size)]
        index = FaceIndex(model, capacity=size)
        index.add(ids, gallery)
        probe = gallery[size // 3] + 0.02 * rng.standard_normal(128, dtype=np.float32)
        runs = 21 if size <= 100_000 else 9
        ours = _median_ms(functools.partial(index.search, probe, 5), runs)
        theirs = _median_ms(
            functools.partial(face_recognition.face_distance, gallery, probe), max(3, runs // 3)
        )
        top = [i for i, _ in index.search(probe, 5)]
        reference = np.argsort(face_recognition.face_distance(gallery, probe))[:5]
        same = top == [ids[i] for i in reference]
        index_mb = (index.vectors().nbytes + 4 * size) / 2**20
        peer_mb = gallery.nbytes * 2 / 2**20  # the difference matrix, then its square
        print(
            f"{size:>9,} {ours:9.1f} {theirs:17.1f} {theirs / ours:6.1f} {index_mb:9.0f} "
            f"{peer_mb:13.0f} {same!s:>10}"
        )
        del index, gallery
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


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
        one_to_many([int(s) for s in args.sizes.split(",")], args.search_child)
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
