"""Screening benchmark: what one capture costs, stage by stage, at a 1:N gallery's size.

    uv run python bench/screening.py [--runs 5] [--gallery 10000]

A station database gets the demo list (203 persons, document alerts) and a face list of
`--gallery` templates (random ones plus the astronaut's, so the desk scene has a face hit).
Two captures at 1280x720: a photo of the specimen passport alone, and a desk scene with the
passport and the traveller's face. Each is screened `--runs` times with `screen()`; the table
shows the median of each stage. The peer is what `checkpoint scan` did before screening
(`DocumentReader.read` + `read_faces` + `find_portrait`, no checks): the ratio is the full
pipeline's time over the peer's. Last, ten frames of one traveller go through a `Desk`: the
hits recorded should be one per listed entry, not one per frame.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from checkpoint.documents.mrz.formats import MrzFormat  # noqa: E402
from checkpoint.documents.read import DocumentReader  # noqa: E402
from checkpoint.documents.synth import photograph, render_specimen  # noqa: E402
from checkpoint.documents.synth.demo import ERIKSSON  # noqa: E402
from checkpoint.faces.models import default_models  # noqa: E402
from checkpoint.faces.portrait import PORTRAIT_DETECT, find_portrait  # noqa: E402
from checkpoint.faces.read import FaceReader  # noqa: E402
from checkpoint.hits.desk import Desk  # noqa: E402
from checkpoint.screening.context import open_context  # noqa: E402
from checkpoint.screening.model import Capture  # noqa: E402
from checkpoint.screening.pipeline import screen  # noqa: E402
from checkpoint.storage import open_database  # noqa: E402
from checkpoint.watchlist.bundle import build_bundle, verify_bundle  # noqa: E402
from checkpoint.watchlist.keys import (  # noqa: E402
    generate_key_pair,
    load_private_key,
    trust_key,
    trusted_keys,
)
from checkpoint.watchlist.model import FaceTemplate, Person, PersonName  # noqa: E402
from checkpoint.watchlist.store import import_bundle  # noqa: E402

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
STAGES = ("mrz", "barcodes", "portrait", "faces", "checks", "total")


def astronaut_face(size: int) -> np.ndarray:
    from skimage import data  # noqa: PLC0415 - a dev dependency, only the benchmark needs it

    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    return cv2.resize(photo[33:233, 120:320], (size, size), interpolation=cv2.INTER_CUBIC)


def station(home: Path, gallery: int, faces: FaceReader) -> None:
    trust_key(home, REPO / "watchlists" / "demo" / "DEMO-ONLY-signing-key.pub")
    db = open_database(home / "checkpoint.db")
    demo = verify_bundle(
        REPO / "watchlists" / "demo" / "demo-list-v1.zip", trusted_keys(home), now=NOW
    )
    import_bundle(db, demo, signer_name="demo", now=NOW)
    (face,) = faces.read(astronaut_face(300))
    assert face.template is not None
    rng = np.random.default_rng(1)
    vectors = rng.normal(0.0, 0.09, size=(gallery, 128)).astype(np.float32)
    vectors[0] = face.template.vector
    model, version = face.template.model.name, face.template.model.version
    persons = [
        Person(
            entry_id=f"F{n:07d}",
            names=(PersonName(f"Face Person {n}", "primary"),),
            templates=(FaceTemplate(vectors[n], model, version),),
            action="Call the supervisor.",
        )
        for n in range(gallery)
    ]
    private, public = generate_key_pair(home / "faces-key")
    trust_key(home, public)
    bundle = home / "faces.zip"
    build_bundle(
        bundle,
        key=load_private_key(private),
        list_id="FACES",
        version=1,
        persons=persons,
        created=NOW,
    )
    import_bundle(db, verify_bundle(bundle, trusted_keys(home), now=NOW), signer_name="b", now=NOW)
    db.conn.close()


def captures() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    specimen = render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng, portrait=astronaut_face(420))
    document = photograph(specimen, rng, size=(1280, 720), fill=0.55, angle=3, degrade="mild")
    desk = np.full((720, 1280, 3), 110, np.uint8)
    scale = 760 / specimen.image.shape[1]
    page = cv2.resize(specimen.image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    top = (720 - page.shape[0]) // 2
    desk[top : top + page.shape[0], 20 : 20 + page.shape[1]] = page
    desk[200:500, 880:1180] = astronaut_face(300)
    return {"passport photo": document.image, "desk scene": desk}


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gallery", type=int, default=10_000)
    args = parser.parse_args()
    documents = DocumentReader()
    faces = FaceReader(default_models())
    portraits = FaceReader(faces.models, detect=PORTRAIT_DETECT)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        start = time.perf_counter()
        station(home, args.gallery, faces)
        setup_s = time.perf_counter() - start
        db = open_database(home / "checkpoint.db")
        start = time.perf_counter()
        context = open_context(
            db,
            station="BENCH",
            officer="bench",
            documents=documents,
            faces=faces,
            clock=lambda: NOW,
        )
        context_s = time.perf_counter() - start
        print(
            f"station: demo list + {args.gallery:,} face templates imported in {setup_s:.1f} s; "
            f"context loaded in {context_s * 1000:.0f} ms"
        )
        header = f"{'capture':<16}" + "".join(f"{s:>10}" for s in STAGES)
        print(f"\nmedian ms of {args.runs} runs per stage (screen)")
        print(header + f"{'peer':>10}{'ratio':>8}  findings")
        for name, image in captures().items():
            per_stage: dict[str, list[float]] = {s: [] for s in STAGES}
            result = None
            for _ in range(args.runs):
                result = screen(Capture(image, source=name), context)
                for stage in STAGES:
                    per_stage[stage].append(result.timings_ms.get(stage, 0.0))
            assert result is not None

            def peer(image: np.ndarray = image) -> None:
                read = documents.read(image)
                faces.read(image, templates=False)
                if read.mrz is not None:
                    find_portrait(image, read.mrz.location.quad, portraits)

            peer_ms = median_ms(peer, args.runs)
            medians = {s: statistics.median(v) for s, v in per_stage.items()}
            found = ", ".join(
                sorted({f"{f.kind.value}/{f.severity.value}" for f in result.findings})
            )
            print(
                f"{name:<16}"
                + "".join(f"{medians[s]:>10.1f}" for s in STAGES)
                + f"{peer_ms:>10.1f}{medians['total'] / peer_ms:>8.2f}  {found}"
            )
        desk = Desk(context)
        frames = [captures()["passport photo"]] * 10
        start = time.perf_counter()
        recorded = sum(len(desk.process(Capture(f)).recorded) for f in frames)
        elapsed = (time.perf_counter() - start) * 1000.0 / len(frames)
        print(
            f"\ndesk: 10 frames of one traveller -> {recorded} hits recorded "
            f"(one per listed entry), {elapsed:.0f} ms per frame"
        )
        db.conn.close()


if __name__ == "__main__":
    main()
