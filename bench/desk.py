"""The desk's responsiveness over a demo session: stalls, document to result, first frame.

    uv run python bench/desk.py [--travellers 30] [--runs 3] [--fps 25] [--in-thread]
                                [--render-live]

Runs the real desk window (offscreen) on the demo source against the demo watchlist in a
scratch home, for a session of travellers: the demo specimens (Doc 9303's specimen holder is
listed, so hits are raised) then random travellers. The readers run in a screening process,
as `checkpoint gui` runs them (`--in-thread`: on the window's thread pool, as before). The
officer is simulated by keyboard: F8 refers each hit, F12 calls the next traveller as soon as
the whole result is shown. The demo's photos are rendered before the session starts
(`--render-live`: as each is first shown, on the capture thread), as a camera's frames cost
the desk nothing to make. A 10 ms QTimer on the GUI thread measures its own lateness, which
is how long the event loop was stalled.

Printed per run and as the median of the runs, against the targets:
- the longest event-loop stall (target <= 100 ms), while the readers load and afterwards;
- document to result shown, median and p95 (target <= 1 s): from the first frame of a
  traveller's document reaching the window (or the readers being loaded, if later) to the
  banner showing that traveller's document and list checks (the face search may still run);
- document to whole result, median and p95: the same, to the result with the face search;
- time to first frame (target <= 2 s): from creating the window to the first frame drawn.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from checkpoint.camera import DemoSource
from checkpoint.commands.gui import install_demo_list
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import demo_specimens, random_identity, render_specimen
from checkpoint.documents.synth.render import Specimen
from checkpoint.hits.desk import Desk, ProcessDesk, ScreeningDesk, station_desk
from checkpoint.screening.context import ScreeningPolicy, open_context
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.ui.application import create_application
from checkpoint.ui.desk_window import DeskServices, DeskWindow

PROBE_MS = 10
TIMEOUT_S = 600.0
SHOWN = ("checking", "clear", "alert", "hit")
"""Banner states showing a traveller's result: "checking" is the document's, faces to come."""
WHOLE = ("clear", "alert", "hit")


@dataclass
class Run:
    first_frame_s: float = 0.0
    stalls_ms: list[float] = field(default_factory=list)
    loading_stall_ms: float = 0.0
    """The longest stall before the readers were loaded (their import holds the GIL)."""
    results_s: list[float] = field(default_factory=list)
    whole_results_s: list[float] = field(default_factory=list)
    hits: int = 0
    frames_seen: int = 0
    frames_screened: int = 0

    @property
    def longest_stall_ms(self) -> float:
        return max(self.stalls_ms, default=0.0)

    def result_percentile(self, share: float, whole: bool = False) -> float:
        ordered = sorted(self.whole_results_s if whole else self.results_s)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def session(count: int, seed: int) -> list[Specimen]:
    """The demo specimens, then random travellers, `count` in all."""
    rng = np.random.default_rng(seed)
    specimens = demo_specimens()[:count]
    while len(specimens) < count:
        specimens.append(
            render_specimen(MrzFormat.TD3, random_identity(rng, MrzFormat.TD3), rng=rng)
        )
    return specimens


def run_once(specimens: list[Specimen], fps: float, in_thread: bool, prerender: bool) -> Run:
    app = create_application()
    run = Run()
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        database = home / "checkpoint.db"
        open_database(database).conn.close()
        install_demo_list(home, database)
        writer = DatabaseWriter(database)

        factory = functools.partial(
            station_desk,
            database,
            None,
            station="BENCH-01",
            officer="bench",
            policy=ScreeningPolicy(),
        )

        def open_desk() -> ScreeningDesk:
            if not in_thread:
                return ProcessDesk(factory, writer)
            db = open_database(database)
            return Desk(open_context(db, station="BENCH-01", officer="bench"), writer=writer)

        source = DemoSource(specimens, frames_each=1_000_000, interval_s=1.0 / fps)
        if prerender:
            # A camera does not render its frames: keep the demo's rendering out of the session.
            for index in range(len(specimens)):
                source.photos(index)
        created = time.perf_counter()
        window = DeskWindow(
            DeskServices(
                source=source,
                open_desk=open_desk,
                database=database,
                writer=writer,
                officer="bench",
            )
        )
        window.show()
        window.activateWindow()
        state = {
            "traveller": 0,
            "appeared": 0.0,
            "shown": False,
            "whole": False,
            "ready": 0.0,
            "expected": 0.0,
        }

        def on_frame(epoch: int, _image: object, _preview: object) -> None:
            # The first frame of this traveller's document to reach the GUI thread.
            if epoch == state["traveller"] and not state["appeared"]:
                state["appeared"] = time.perf_counter()

        window.capture.frame.connect(on_frame)

        def probe() -> None:
            now = time.perf_counter()
            if state["expected"]:
                late = max(0.0, (now - state["expected"]) * 1000.0)
                if state["ready"]:
                    run.stalls_ms.append(late)
                else:
                    run.loading_stall_ms = max(run.loading_stall_ms, late)
            state["expected"] = now + PROBE_MS / 1000.0
            if not run.first_frame_s and window.frames_seen:
                run.first_frame_s = now - created
            if window.desk is not None and not state["ready"]:
                state["ready"] = now
            step(now)

        def step(now: float) -> None:
            if now - created > TIMEOUT_S:
                print(f"gave up after {TIMEOUT_S:.0f} s", file=sys.stderr)
                app.quit()
                return
            if not state["appeared"] or not state["ready"]:
                return
            start = max(state["appeared"], state["ready"])
            if not state["shown"] and window.banner_state in SHOWN:
                run.results_s.append(now - start)
                state["shown"] = True
            if not state["whole"]:
                if window.banner_state in WHOLE and not window.faces_pending:
                    run.whole_results_s.append(now - start)
                    state["whole"] = True
                return
            if window.deciding:
                return
            if window.undecided:
                run.hits += 1
                QTest.keyClick(window, Qt.Key.Key_F8)
                return
            if state["traveller"] + 1 >= len(specimens):
                app.quit()
                return
            QTest.keyClick(window, Qt.Key.Key_F12)
            state.update(traveller=state["traveller"] + 1, appeared=0.0, shown=False, whole=False)

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(probe)
        timer.start(PROBE_MS)
        window.start()
        app.exec()
        timer.stop()
        run.frames_seen, run.frames_screened = window.frames_seen, window.frames_screened
        window.shutdown()
        writer.close()
        window.deleteLater()
        app.processEvents()
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fps", type=float, default=25.0, help="the demo camera's frame rate")
    parser.add_argument(
        "--in-thread",
        action="store_true",
        help="screen on the window's thread pool instead of a screening process",
    )
    parser.add_argument(
        "--render-live",
        action="store_true",
        help="render the demo's photos during the session, on the capture thread (default: "
        "before it, since a camera's frames cost the desk nothing to make)",
    )
    args = parser.parse_args()
    specimens = session(args.travellers, seed=7)
    runs = []
    print(f"screening {'in a thread of the GUI process' if args.in_thread else 'in a process'}")
    header = (
        f"{'run':>4} {'travellers':>10} {'hits':>5} {'loading stall ms':>17} "
        f"{'longest stall ms':>17} {'result median s':>16} {'result p95 s':>13} "
        f"{'whole median s':>15} {'whole p95 s':>12} {'first frame s':>14} {'frames':>14}"
    )
    print(header)
    for number in range(1, args.runs + 1):
        run = run_once(specimens, args.fps, args.in_thread, not args.render_live)
        runs.append(run)
        print(
            f"{number:>4} {len(run.results_s):>10} {run.hits:>5} {run.loading_stall_ms:>17.0f} "
            f"{run.longest_stall_ms:>17.0f} "
            f"{statistics.median(run.results_s):>16.2f} {run.result_percentile(0.95):>13.2f} "
            f"{statistics.median(run.whole_results_s):>15.2f} "
            f"{run.result_percentile(0.95, whole=True):>12.2f} "
            f"{run.first_frame_s:>14.2f} {f'{run.frames_screened}/{run.frames_seen}':>14}",
            flush=True,
        )
    figures = (
        ("longest stall, loading", [r.loading_stall_ms for r in runs], "ms", 100.0),
        ("longest stall, session", [r.longest_stall_ms for r in runs], "ms", 100.0),
        ("document to result, median", [statistics.median(r.results_s) for r in runs], "s", 1.0),
        ("document to result, p95", [r.result_percentile(0.95) for r in runs], "s", 1.0),
        (
            "document to whole, median",
            [statistics.median(r.whole_results_s) for r in runs],
            "s",
            None,
        ),
        ("document to whole, p95", [r.result_percentile(0.95, True) for r in runs], "s", None),
        ("time to first frame", [r.first_frame_s for r in runs], "s", 2.0),
    )
    print()
    print(f"{'median of ' + str(len(runs)) + ' runs':<30} {'value':>9} {'target':>8}  met")
    for name, values, unit, target in figures:
        value = statistics.median(values)
        if target is None:
            print(f"{name:<30} {value:>7.2f}{unit:<2} {'-':>8}")
            continue
        print(f"{name:<30} {value:>7.2f}{unit:<2} {target:>6.2f}{unit:<2}  {value <= target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
