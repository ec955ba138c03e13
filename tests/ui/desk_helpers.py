"""What the desk window tests share: the clock, a traveller on no list, a face, the demo list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
from skimage import data

from checkpoint.camera import DemoSource
from checkpoint.errors import CheckpointError
from checkpoint.hits.desk import Desk
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.ui.desk_window import DeskServices, DeskWindow
from checkpoint.watchlist.bundle import verify_bundle
from checkpoint.watchlist.keys import trust_key, trusted_keys
from checkpoint.watchlist.store import import_bundle

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "watchlists" / "demo"
NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def astronaut() -> np.ndarray:
    """A real face for a document's portrait (scikit-image's public-domain astronaut)."""
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray(photo[33:233, 120:320])


def demo_station_database(home: Path) -> Path:
    """The station database of `home` with the demo key trusted and the demo list imported."""
    trust_key(home, DEMO / "DEMO-ONLY-signing-key.pub")
    path = home / "checkpoint.db"
    db = open_database(path)
    try:
        content = verify_bundle(DEMO / "demo-list-v1.zip", trusted_keys(home), now=NOW)
        import_bundle(db, content, signer_name="demo", now=NOW)
    finally:
        db.conn.close()
    return path


def _no_desk() -> Desk:
    raise CheckpointError("Not started in this test.")


def idle_desk_window(database: Path, writer: DatabaseWriter) -> DeskWindow:
    """A desk window on a small demo camera that never starts screening: for tests of its
    texts and layout."""
    return DeskWindow(
        DeskServices(
            source=DemoSource(frames_each=10, size=(320, 180)),
            open_desk=_no_desk,
            database=database,
            writer=writer,
            officer="o1",
        )
    )
