"""Screenshots of the administration window's pages, rendered offscreen, and what they cost.

    uv run python bench/admin_screenshots.py [OUT_DIR] [--persons 20000]

In a scratch home: the demo key is trusted and the demo list (203 persons) imported through
the Watchlists page, as an administrator would; then a list of `--persons` synthetic persons
with face templates, made 28 days ago and valid for 30 (so it shows as expiring), is imported
the same way and timed; the outbox gets a backlog with two items HQ refused, against an HQ
address nobody answers. Saves watchlists.png, outbox.png and settings.png (960 pixels wide,
256 colours, for the README) and prints a table of how long each page took to be ready.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from checkpoint.accounts import StationSession  # noqa: E402
from checkpoint.config import Settings, save_settings  # noqa: E402
from checkpoint.paths import database_path  # noqa: E402
from checkpoint.storage import open_database  # noqa: E402
from checkpoint.sync import outbox  # noqa: E402
from checkpoint.sync.outbox import OutboxState, Outcome  # noqa: E402
from checkpoint.ui.admin.window import AdministrationWindow  # noqa: E402
from checkpoint.ui.application import create_application  # noqa: E402
from checkpoint.watchlist.bundle import build_bundle  # noqa: E402
from checkpoint.watchlist.keys import load_private_key  # noqa: E402
from checkpoint.watchlist.synthetic import synthetic_persons  # noqa: E402

DEMO = REPO / "watchlists" / "demo"
WIDTH = 960
TIMEOUT_S = 600.0


def wait(app: QApplication, condition: Callable[[], bool], what: str) -> float:
    """Run the event loop until `condition()`; the seconds it took (a benchmark may poll)."""
    started = time.monotonic()
    while not condition():
        app.processEvents()
        if time.monotonic() - started > TIMEOUT_S:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.005)
    app.processEvents()
    return time.monotonic() - started


def shot(window: AdministrationWindow, out: Path, name: str) -> int:
    image = window.grab().toImage()
    small = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    path = out / f"{name}.png"
    small.convertToFormat(QImage.Format.Format_Indexed8).save(str(path))
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--persons", type=int, default=20_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = create_application(language="en")
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="checkpoint-admin-shots-") as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        big = Path(scratch) / "border-watch-v7.zip"
        started = time.monotonic()
        build_bundle(
            big,
            key=load_private_key(DEMO / "DEMO-ONLY-signing-key.key"),
            list_id="BORDER-WATCH",
            list_name="Border watch (synthetic)",
            version=7,
            persons=synthetic_persons(args.persons, seed=7, templates=True, id_prefix="B"),
            created=datetime.now(UTC) - timedelta(days=28),
            valid_for=timedelta(days=30),
        )
        rows.append(
            (f"build a {args.persons:,}-person bundle", f"{time.monotonic() - started:.2f}")
        )
        # Nobody listens on port 9 of this machine: HQ shows as unreachable.
        save_settings(home, Settings(station_id="GATE-7", hq_url="http://127.0.0.1:9"))
        db = open_database(database_path(home))
        try:
            recorded = datetime.now(UTC) - timedelta(hours=5)
            items = [
                outbox.enqueue(
                    db.conn, "hit", {"n": n}, created=recorded + timedelta(minutes=9 * n)
                )
                for n in range(14)
            ]
            outbox.record_attempt(
                db.conn,
                [
                    Outcome(item.id, OutboxState.FAILED, "HQ answered 422: payload.hit_id missing")
                    for item in items[:2]
                ]
                + [
                    Outcome(item.id, OutboxState.PENDING, "ConnectError: connection refused")
                    for item in items[2:]
                ],
            )
        finally:
            db.conn.close()

        window = AdministrationWindow(StationSession.demo(home))
        window.resize(1400, 900)
        window.show()
        page = window.watchlists
        assert page is not None
        assert window.outbox is not None
        assert window.settings is not None
        window.start()
        rows.append(("open the window", f"{wait(app, lambda: not window.busy, 'start'):.2f}"))
        page.trust_file(DEMO / "DEMO-ONLY-signing-key.pub")
        wait(app, lambda: not window.busy, "trust")
        page.import_file(DEMO / "demo-list-v1.zip")
        rows.append(("import the demo list", f"{wait(app, lambda: not window.busy, 'demo'):.2f}"))
        page.import_file(big)
        took = wait(app, lambda: not window.busy, "import")
        rows.append((f"verify and import {args.persons:,} persons", f"{took:.2f}"))
        page.keys_view.selectRow(0)
        sizes = [("watchlists.png", shot(window, args.out, "watchlists"))]

        window.tabs.setCurrentWidget(window.outbox)
        window.outbox.refresh()
        rows.append(("outbox page ready", f"{wait(app, lambda: not window.busy, 'outbox'):.2f}"))
        sizes.append(("outbox.png", shot(window, args.out, "outbox")))

        window.tabs.setCurrentWidget(window.settings)
        window.settings.refresh()
        rows.append(
            ("settings page ready", f"{wait(app, lambda: not window.busy, 'settings'):.2f}")
        )
        sizes.append(("settings.png", shot(window, args.out, "settings")))
        window.shutdown()
        window.close()

    print("| step | seconds |\n|---|---|")
    for step, seconds in rows:
        print(f"| {step} | {seconds} |")
    print("\n| screenshot | bytes |\n|---|---|")
    for name, size in sizes:
        print(f"| {args.out / name} | {size:,} |")


if __name__ == "__main__":
    main()
