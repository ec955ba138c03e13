"""Screenshots of the desk window in each of its states, rendered offscreen.

    uv run python bench/desk_screenshots.py [OUT_DIR]

Opens the real window on the demo source against the demo watchlist in a scratch home:
Doc 9303's specimen passport with a real face as its portrait (scikit-image's astronaut;
listed on the demo list, so it raises a hit), then a traveller on no list. Saves one PNG per
state (waiting, hit, decided, clear, manual entry) and prints how long each state took to
reach, so the layout can be looked at and the time to a hit read off. The PNGs are scaled to
960 pixels wide in 256 colours, small enough for the README (docs/screenshots).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from skimage import data

from checkpoint.camera import DemoSource
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import render_specimen
from checkpoint.documents.synth.demo import ERIKSSON, NOVAK
from checkpoint.hits.desk import Desk
from checkpoint.screening.context import open_context
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.ui.application import create_application
from checkpoint.ui.desk_window import DeskServices, DeskWindow
from checkpoint.watchlist.bundle import verify_bundle
from checkpoint.watchlist.keys import trust_key, trusted_keys
from checkpoint.watchlist.store import import_bundle

REPO = Path(__file__).resolve().parents[1]
TIMEOUT_S = 60.0
WIDTH = 960


def portrait() -> np.ndarray:
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray(photo[33:233, 120:320])


def prepare(home: Path) -> Path:
    trust_key(home, REPO / "watchlists" / "demo" / "DEMO-ONLY-signing-key.pub")
    database = home / "checkpoint.db"
    db = open_database(database)
    content = verify_bundle(
        REPO / "watchlists" / "demo" / "demo-list-v1.zip",
        trusted_keys(home),
        now=datetime.now(UTC),
    )
    import_bundle(db, content, signer_name="demo", now=datetime.now(UTC))
    db.conn.close()
    return database


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "desk-screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        database = prepare(home)
        rng = np.random.default_rng(1)
        specimens = [
            render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng, portrait=portrait()),
            render_specimen(MrzFormat.TD3, NOVAK, rng=rng),
        ]
        writer = DatabaseWriter(database)

        def open_desk() -> Desk:
            db = open_database(database)
            context = open_context(db, station="DEMO-01", officer="demo")
            return Desk(context, writer=writer)

        window = DeskWindow(
            DeskServices(
                source=DemoSource(specimens, frames_each=10_000),
                open_desk=open_desk,
                database=database,
                writer=writer,
                officer="demo",
            )
        )
        window.resize(1600, 960)
        window.show()
        started = time.monotonic()
        timings: list[tuple[str, float]] = []

        def shot(name: str) -> None:
            image = window.grab().toImage()
            small = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
            small.convertToFormat(QImage.Format.Format_Indexed8).save(str(out / f"desk-{name}.png"))
            timings.append((name, time.monotonic() - started))

        steps: list[tuple[Callable[[], bool], Callable[[], None]]] = [
            (lambda: window.frames_seen > 0, lambda: shot("waiting")),
            (lambda: bool(window.undecided), lambda: shot("hit")),
            (lambda: True, window.dismiss),
            (lambda: True, lambda: window.reason_box.setCurrentIndex(5)),
            (lambda: True, window.dismiss),
            (lambda: not window.deciding, window.refer),
            (lambda: not window.deciding, window.refer),
            (lambda: not window.undecided and not window.deciding, lambda: shot("decided")),
            (lambda: True, window.next_traveller),
            (lambda: window.banner_state == "clear", lambda: shot("clear")),
            (
                lambda: True,
                lambda: window.manual.text.setPlainText(
                    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
                ),
            ),
            (lambda: True, lambda: shot("manual-entry")),
        ]

        def tick() -> None:
            if time.monotonic() - started > TIMEOUT_S:
                print(f"gave up after {TIMEOUT_S:.0f} s at step {len(timings)}", file=sys.stderr)
                app.quit()
                return
            # One step per tick, so the window draws what each step changed before the next.
            if steps and steps[0][0]():
                steps.pop(0)[1]()
            if not steps:
                app.quit()

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(100)
        window.start()
        app.exec()
        timer.stop()
        window.shutdown()
        writer.close()
        window.deleteLater()
        print(f"{'state':<20} {'reached after (s)':>18}")
        for name, seconds in timings:
            print(f"{name:<20} {seconds:>18.2f}")
        print(f"frames shown {window.frames_seen}, frames screened {window.frames_screened}")
        print(f"screenshots in {out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
