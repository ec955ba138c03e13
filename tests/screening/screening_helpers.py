"""Material for the screening tests: the demo watchlist in a station database, rendered
documents, a real face (scikit-image's astronaut photo) and desk scenes built from them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import sqlite_utils
from skimage import data

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import Identity, render_specimen
from checkpoint.faces.read import FaceReader
from checkpoint.screening.context import ScreeningContext, open_context
from checkpoint.storage import open_database
from checkpoint.watchlist.bundle import build_bundle, verify_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key, trust_key, trusted_keys
from checkpoint.watchlist.model import Person
from checkpoint.watchlist.store import import_bundle

REPO = Path(__file__).resolve().parents[2]
DEMO_BUNDLE = REPO / "watchlists" / "demo" / "demo-list-v1.zip"
DEMO_KEY = REPO / "watchlists" / "demo" / "DEMO-ONLY-signing-key.pub"
NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)

# Where HOG finds Eileen Collins' face in astronaut() (512x512).
FACE_CENTER = (220, 123)


def demo_database(home: Path) -> sqlite_utils.Database:
    """The station database in `home` with the demo list imported."""
    trust_key(home, DEMO_KEY)
    db = open_database(home / "checkpoint.db")
    content = verify_bundle(DEMO_BUNDLE, trusted_keys(home), now=NOW)
    import_bundle(db, content, signer_name="demo", now=NOW)
    return db


def import_persons(
    db: sqlite_utils.Database,
    home: Path,
    persons: Sequence[Person],
    *,
    list_id: str = "FACES",
    created: datetime = NOW,
) -> None:
    """Sign a list of `persons` with a fresh trusted key and import it."""
    private, public = generate_key_pair(home / f"key-{list_id}")
    trust_key(home, public)
    bundle = home / f"{list_id}.zip"
    build_bundle(
        bundle,
        key=load_private_key(private),
        list_id=list_id,
        version=1,
        persons=persons,
        created=created,
    )
    content = verify_bundle(bundle, trusted_keys(home), now=created)
    import_bundle(db, content, signer_name="test", now=created)


def context(
    db: sqlite_utils.Database,
    documents: DocumentReader,
    faces: FaceReader,
    now: datetime = NOW,
) -> ScreeningContext:
    return open_context(
        db,
        station="TEST-01",
        officer="officer1",
        documents=documents,
        faces=faces,
        clock=lambda: now,
    )


def astronaut() -> np.ndarray:
    return np.ascontiguousarray(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))


def face_crop(size: int) -> np.ndarray:
    """The astronaut's head and shoulders, `size` pixels square."""
    x, y = FACE_CENTER
    crop = astronaut()[y - 90 : y + 110, x - 100 : x + 100]
    return cv2.resize(crop, (size, size), interpolation=cv2.INTER_CUBIC)


def document(identity: Identity, portrait: np.ndarray | None = None, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return render_specimen(MrzFormat.TD3, identity, rng=rng, portrait=portrait).image


def desk_scene(page: np.ndarray, face: np.ndarray | None) -> np.ndarray:
    """One camera over the desk: the document on the left, the traveller on the right."""
    scene = np.full((720, 1280, 3), 110, dtype=np.uint8)
    scale = 760 / page.shape[1]
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    top = (720 - small.shape[0]) // 2
    scene[top : top + small.shape[0], 20 : 20 + small.shape[1]] = small
    if face is not None:
        size = face.shape[0]
        scene[200 : 200 + size, 880 : 880 + size] = face
    return scene
