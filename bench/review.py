"""The hit log at a million hits: open it, filter it, scroll to the end (targets <= 300 ms).

    uv run python bench/review.py [--hits 1000000] [--runs 5]

Builds (once, cached under the temp folder; see bench/review_data.py) a station database
with a million hits, then, in the real HitLogWindow offscreen, measures from the action to
the rows painted (the viewport repainted once the rows it shows are loaded):
- open: creating the window until its first rows are painted;
- filter: choosing a value in the filter bar (or a search) until the first rows are painted;
- scroll to the end: Ctrl+End in the table until the last rows are painted;
- and, beyond the targets, a drag of the scroll bar to the middle of the log (the page
  furthest from both ends) and a click to sort by officer.
Each run opens a new window; the median of the runs is compared with the target. The query
plans of the count and page queries are printed first, so a missing index shows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from review_data import build

from checkpoint.accounts.roles import Principal, Role
from checkpoint.accounts.session import StationSession
from checkpoint.hits.query import (
    WALK_FOR_PAGE,
    WALK_TO_COUNT,
    DecisionState,
    HitFilter,
    HitSort,
    SortKey,
    order_clause,
    search_size,
    where_clause,
)
from checkpoint.ui.application import create_application
from checkpoint.ui.review import HitLogWindow

TARGET_MS = 300.0
TIMEOUT_S = 60.0


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Run the event loop until `condition()` holds (checked every millisecond)."""
    if condition():
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)
    deadline = time.monotonic() + TIMEOUT_S

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise SystemExit(f"timed out waiting for {what}")


def visible_rows(window: HitLogWindow) -> tuple[int, int]:
    view = window.view
    first = max(0, view.rowAt(0))
    last = view.rowAt(view.viewport().height() - 1)
    return first, (window.model.total - 1 if last < 0 else last)


def painted(window: HitLogWindow) -> None:
    """Paint the rows on screen: at once if they are loaded, else once their pages are in."""
    window.view.viewport().repaint()  # asks the model for any rows on screen it lacks
    if not window.model.is_loaded(*visible_rows(window)):
        wait_for(lambda: window.model.is_loaded(*visible_rows(window)), "the rows on screen")
        window.view.viewport().repaint()


@dataclass(frozen=True)
class Scenario:
    name: str
    apply: Callable[[HitLogWindow], None]


def choose(combo_name: str, value: str) -> Callable[[HitLogWindow], None]:
    def apply(window: HitLogWindow) -> None:
        combo = getattr(window, combo_name)
        combo.setCurrentIndex(combo.findData(value))

    return apply


def search(text: str) -> Callable[[HitLogWindow], None]:
    def apply(window: HitLogWindow) -> None:
        window.search.setText(text)
        window.search_timer.stop()  # the typing pause is not the query's time
        window.apply_filter()

    return apply


def choose_two(
    first: str, first_value: str, second: str, value: str
) -> Callable[[HitLogWindow], None]:
    def apply(window: HitLogWindow) -> None:
        combo = getattr(window, first)
        combo.blockSignals(True)  # one query for both, as if the first had been set before
        combo.setCurrentIndex(combo.findData(first_value))
        combo.blockSignals(False)
        choose(second, value)(window)

    return apply


FILTERS = (
    Scenario("station BCP-07", choose("station", "BCP-07")),
    Scenario("station + kind face", choose_two("station", "BCP-07", "kind", "face")),
    Scenario("decision overturned", choose("decision", DecisionState.OVERTURNED.value)),
    Scenario("kind face", choose("kind", "face")),
    Scenario("search 'eriksson anna'", search("eriksson anna")),
)


def run_once(session: StationSession) -> dict[str, float]:
    times: dict[str, float] = {}
    started = time.perf_counter()
    window = HitLogWindow(session)
    window.show()
    wait_for(lambda: window.model.total > 0, "the count")
    painted(window)
    times["open"] = time.perf_counter() - started
    wait_for(lambda: window.station.count() > 1, "the filter choices")
    loaded: list[int] = []
    window.model.loaded.connect(loaded.append)
    for scenario in FILTERS:
        loaded.clear()
        started = time.perf_counter()
        scenario.apply(window)
        wait_for(lambda: bool(loaded), scenario.name)
        painted(window)
        times[f"filter: {scenario.name}"] = time.perf_counter() - started
        # Back to the whole log for the next filter.
        loaded.clear()
        window.search.setText("")
        window.search_timer.stop()
        for combo in (window.station, window.decision, window.kind):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        window.apply_filter()
        wait_for(lambda: bool(loaded), "the whole log")
    painted(window)
    window.view.setFocus()
    started = time.perf_counter()
    QTest.keyClick(window.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    painted(window)
    times["scroll to the end"] = time.perf_counter() - started
    assert window.view.currentIndex().row() == window.model.total - 1
    # The worst place to jump to: the middle, as far from both ends as a page can be.
    bar = window.view.verticalScrollBar()
    started = time.perf_counter()
    bar.setValue(bar.maximum() // 2)
    painted(window)
    times["drag to the middle"] = time.perf_counter() - started
    loaded.clear()
    started = time.perf_counter()
    window.sort_by(SortKey.OFFICER, descending=False)
    wait_for(lambda: bool(loaded), "the officer order")
    painted(window)
    times["sort by officer"] = time.perf_counter() - started
    window.close()
    return times


def print_plans(session: StationSession) -> None:
    db = session.open_database()
    cases = [
        ("whole log", HitFilter()),
        ("station", HitFilter(station="BCP-07")),
        ("overturned", HitFilter(decision=DecisionState.OVERTURNED)),
        ("kind", HitFilter(kind="face")),
        ("station+kind", HitFilter(station="BCP-07", kind="face")),
        ("search", HitFilter(text="eriksson anna")),
    ]
    print("query plans (count; page from the far end), as the log runs them:")
    for name, hit_filter in cases:
        matches = search_size(db.conn, hit_filter)
        if matches is not None and replace(hit_filter, text="") == HitFilter():
            count = [(0, 0, 0, f"count(*) of the search index ({matches:,} matches)")]
        else:
            where, params = where_clause(hit_filter, walk_log=(matches or 0) > WALK_TO_COUNT)
            count = db.execute(
                f"EXPLAIN QUERY PLAN SELECT count(*) FROM hit_log l WHERE {where}", params
            ).fetchall()
        where, params = where_clause(hit_filter, walk_log=(matches or 0) > WALK_FOR_PAGE)
        order = order_clause(HitSort(SortKey.CREATED), reverse=True)
        page = db.execute(
            f"EXPLAIN QUERY PLAN SELECT l.seq FROM hit_log l WHERE {where} ORDER BY {order} "
            "LIMIT 100 OFFSET 0",
            params,
        ).fetchall()
        print(f"  {name:<11} count: {'; '.join(row[3] for row in count)}")
        print(f"  {'':<11} page:  {'; '.join(row[3] for row in page)}")
    db.conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    home = build(args.hits)
    session = StationSession(home, Principal("sup.bench", Role.SUPERVISOR))
    print(f"database: {session.database_path} ({args.hits:,} hits)")
    print_plans(session)
    app = create_application()
    runs = [run_once(session) for _ in range(args.runs)]
    app.processEvents()
    names = list(runs[0])
    print(f"\n{'step':<34}{'median ms':>10}{'target':>8}   runs (ms)")
    for name in names:
        values = [run[name] * 1000 for run in runs]
        median = statistics.median(values)
        verdict = "ok" if median <= TARGET_MS else "SLOW"
        shown = " ".join(f"{v:.0f}" for v in values)
        print(f"{name:<34}{median:>10.0f}{TARGET_MS:>6.0f} {verdict:<4} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
