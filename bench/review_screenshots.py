"""Screenshots of the hit log and of a hit in detail, for the README.

    uv run python bench/review_screenshots.py

Records a small log in a scratch station (random specimen holders, decided and overturned
hits; the evidence images are drawn by checkpoint.documents.synth, no real photos), opens the
real windows offscreen and writes docs/screenshots/hit-log.png and hit-detail.png, 960 px
wide in 256 colours.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from checkpoint.accounts.roles import Principal, Role
from checkpoint.accounts.session import StationSession
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import Specimen, random_identity, render_specimen
from checkpoint.hits.evidence import jpeg
from checkpoint.hits.model import Evidence, NewHit, Outcome
from checkpoint.hits.review import annotate, overturn
from checkpoint.hits.store import decide, record_hits
from checkpoint.ui.application import create_application
from checkpoint.ui.review import HitLogWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTH = 960
SUPERVISOR = Principal("sup.lind", Role.SUPERVISOR)
KINDS = ("name", "face", "document_alert")
LISTS = ("INTERPOL-SLTD", "NATIONAL", "SCHENGEN-SIS")
STATIONS = ("BCP-03", "BCP-07")
OFFICERS = ("o.berg", "o.haddad", "o.nilsson")
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)


def portrait(specimen: Specimen) -> npt.NDArray[np.uint8]:
    x0, y0, x1, y1 = specimen.portrait_box
    return np.ascontiguousarray(specimen.image[y0:y1, x0:x1])


def evidence(traveller: Specimen, listed: Specimen) -> tuple[Evidence, ...]:
    return (
        jpeg("face.jpg", portrait(traveller)),
        jpeg("document.jpg", traveller.image),
        jpeg("listed.jpg", portrait(listed)),
    )


def prepare(session: StationSession) -> str:
    """Record the log; return the id of the hit to show in detail."""
    rng = np.random.default_rng(2026)
    pick = random.Random(2026)
    db = session.open_database()
    conn = db.conn
    new_hits = []
    for number in range(48):
        fmt = MrzFormat.TD3 if number % 3 else MrzFormat.TD1
        traveller = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
        listed = render_specimen(MrzFormat.TD3, random_identity(rng, MrzFormat.TD3), rng=rng)
        holder = traveller.identity
        kind = KINDS[number % 3]
        list_id = pick.choice(LISTS)
        listed_name = f"{holder.surname} {listed.identity.given_names}"
        score = round(pick.uniform(0.62, 0.99), 2)
        reason = {
            "name": f"name matches {listed_name} ({list_id}), score {score:.2f}",
            "face": f"face matches {listed_name} ({list_id}), distance {1 - score:.2f}",
            "document_alert": (
                f"document {holder.document_number} ({holder.issuer}) is listed as stolen"
            ),
        }[kind]
        finding = {
            "kind": kind,
            "severity": "hit",
            "reason": reason,
            "score": score,
            "list_id": list_id,
            "list_version": 12,
            "stale": False,
            "reference": f"{list_id}-{pick.randrange(10**5):05d}",
            "listed": {
                "entry_id": f"E{pick.randrange(10**6):06d}",
                "names": [{"name": listed_name, "quality": "high"}],
                "birth_dates": [str(listed.identity.birth_date)],
                "nationalities": [listed.identity.nationality],
                "category": "person of interest",
                "action": "Refer to second line.",
            },
        }
        new_hits.append(
            NewHit(
                created=NOW - timedelta(minutes=37 * number + pick.randrange(30)),
                station=STATIONS[number % 2],
                officer=pick.choice(OFFICERS),
                source="camera",
                findings=(finding,),
                traveller={
                    "surname": holder.surname,
                    "given_names": holder.given_names,
                    "document_number": holder.document_number,
                    "issuer": holder.issuer,
                    "nationality": holder.nationality,
                    "birth_date": str(holder.birth_date),
                    "sex": holder.sex,
                },
                evidence=evidence(traveller, listed),
            )
        )
    hits = record_hits(conn, new_hits)
    for number, hit in enumerate(hits):
        if number in (0, 2):
            continue  # still waiting for the officer
        outcome = Outcome.DISMISSED if number % 4 else Outcome.CONFIRMED
        decide(
            conn,
            hit.id,
            outcome,
            user=hit.officer,
            reason="different date of birth" if outcome is Outcome.DISMISSED else "",
            now=hit.created + timedelta(seconds=20 + number * 7),
        )
    shown = hits[7]  # a face hit the officer dismissed
    later = NOW + timedelta(hours=2)
    note = "Glare on the document page; ask for a second photo."
    annotate(conn, SUPERVISOR, shown.id, note, now=later)
    reason = "Same scar as the listed photo."
    overturn(
        conn, SUPERVISOR, shown.id, Outcome.CONFIRMED, reason, now=later + timedelta(minutes=9)
    )
    reason = "Birth date differs by a typo."
    overturn(conn, SUPERVISOR, hits[9].id, Outcome.CONFIRMED, reason, now=later)
    conn.close()
    return shown.id


def wait_for(condition: Callable[[], bool]) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(5)
    deadline = time.monotonic() + 60
    timer.timeout.connect(
        lambda: loop.quit() if condition() or time.monotonic() > deadline else None
    )
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    if not condition():
        raise SystemExit("timed out")


def shot(widget: QWidget, name: str) -> Path:
    image = widget.grab().toImage()
    small = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    path = OUT / name
    small.convertToFormat(QImage.Format.Format_Indexed8).save(str(path))
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory(prefix="checkpoint-shots-") as folder:
        session = StationSession(Path(folder), SUPERVISOR)
        hit_id = prepare(session)
        window = HitLogWindow(session)
        window.resize(1500, 820)
        window.show()
        wait_for(lambda: window.model.total > 0 and window.station.count() > 1)
        window.view.viewport().repaint()
        wait_for(lambda: window.model.is_loaded(0, 30))
        app.processEvents()
        paths = [shot(window, "hit-log.png")]
        dialog = window.open_hit(hit_id)
        dialog.resize(1300, 900)
        wait_for(lambda: dialog.detail is not None)
        app.processEvents()
        paths.append(shot(dialog, "hit-detail.png"))
        window.close()
    for path in paths:
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
