"""The hit log's filters, sorts, counts and pages against a brute-force reference in Python."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_helpers import (
    KINDS,
    LISTS,
    OFFICERS,
    START,
    STATIONS,
    SURNAMES,
    Spec,
    new_hit,
    random_log,
    record_log,
)

from checkpoint.hits import query
from checkpoint.hits.model import Outcome
from checkpoint.hits.query import (
    DecisionState,
    HitFilter,
    HitSort,
    SortKey,
    all_seqs,
    count_hits,
    filter_choices,
    iter_rows,
    page_seqs,
    rows_for,
)
from checkpoint.hits.report import statistics
from checkpoint.hits.store import decide, record_hits
from checkpoint.storage import open_database
from checkpoint.storage.migrations import MIGRATIONS, migrate


@dataclass(frozen=True)
class Expected:
    """A hit as the reference sees it."""

    seq: int
    spec: Spec

    @property
    def state(self) -> str:
        outcome = self.spec.overturned_to or self.spec.outcome
        return outcome.value if outcome else "undecided"

    def value(self, key: SortKey) -> object:
        spec = self.spec
        return {
            SortKey.CREATED: spec.created,
            SortKey.STATION: spec.station,
            SortKey.OFFICER: spec.officer,
            SortKey.KIND: spec.kind,
            SortKey.SCORE: spec.score,
            SortKey.LIST: spec.list_id or "",
            SortKey.STATE: self.state,
        }[key]

    def words(self) -> set[str]:
        spec = self.spec
        parts = [
            spec.hit_id,
            spec.station,
            spec.officer,
            spec.kind,
            f"{spec.kind} matches {spec.listed} ({spec.list_id}), score {spec.score:.2f}",
            f"{spec.list_id}-{spec.listed.split()[0]}" if spec.list_id else "",
            spec.list_id or "",
            spec.surname,
            spec.given,
            f"X{spec.surname[:4]}{len(spec.given):02d}",
            spec.listed,
        ]
        return set(re.findall(r"[^\W_]+", " ".join(parts).lower()))


def matches(hit: Expected, f: HitFilter) -> bool:
    spec = hit.spec
    if f.since is not None and spec.created < f.since:
        return False
    if f.until is not None and spec.created >= f.until:
        return False
    for wanted, actual in (
        (f.station, spec.station),
        (f.officer, spec.officer),
        (f.kind, spec.kind),
        (f.list_id, spec.list_id or ""),
    ):
        if wanted is not None and wanted != actual:
            return False
    if f.decision is DecisionState.OVERTURNED:
        if spec.overturned_to is None:
            return False
    elif f.decision is not None and hit.state != f.decision.value:
        return False
    words = hit.words()
    return all(
        any(word.startswith(query) for word in words)
        for query in re.findall(r"[^\W_]+", f.text.lower())
    )


def expected_order(log: list[Expected], f: HitFilter, sort: HitSort) -> list[int]:
    chosen = [hit for hit in log if matches(hit, f)]
    chosen.sort(
        key=lambda hit: (hit.value(sort.key), hit.spec.created, hit.seq),
        reverse=sort.descending,
    )
    return [hit.seq for hit in chosen]


@dataclass
class Log:
    conn: sqlite3.Connection
    hits: list[Expected]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Log]:
    db = open_database(Path(tmp_path_factory.mktemp("review-log")) / "station.db")
    specs = random_log(random.Random(8), 240)
    record_log(db.conn, specs)
    seqs = dict(db.conn.execute("SELECT hit_id, seq FROM hit_log").fetchall())
    yield Log(db.conn, [Expected(seqs[spec.hit_id], spec) for spec in specs])
    db.conn.close()


def optional(values: tuple[str | None, ...]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.sampled_from([v or "" for v in values]))


moments = st.integers(min_value=-24, max_value=24 * 11).map(lambda h: START + timedelta(hours=h))
words = st.sampled_from(
    [*SURNAMES, "erik", "mar", "name", "north", "o", "interpol", "zz", "x", "face 0"]
)
filters = st.builds(
    HitFilter,
    since=st.one_of(st.none(), moments),
    until=st.one_of(st.none(), moments),
    station=optional(STATIONS),
    officer=optional(OFFICERS),
    kind=optional(KINDS),
    decision=st.one_of(st.none(), st.sampled_from(DecisionState)),
    list_id=optional(LISTS),
    text=st.one_of(st.just(""), words, st.tuples(words, words).map(" ".join)),
)
sorts = st.builds(HitSort, key=st.sampled_from(SortKey), descending=st.booleans())


@pytest.mark.parametrize("walk", [False, True], ids=["by-lookup", "by-walking"])
@settings(max_examples=120, deadline=None)
@given(hit_filter=filters, sort=sorts, start=st.integers(0, 260), size=st.integers(1, 40))
def test_filters_sorts_and_pages_match_the_reference(  # noqa: PLR0917
    log: Log, walk: bool, hit_filter: HitFilter, sort: HitSort, start: int, size: int
) -> None:
    # Both query shapes a search can take (the thresholds are for a million hits).
    low = -1 if walk else 10**9
    with patch.object(query, "WALK_TO_COUNT", low), patch.object(query, "WALK_FOR_PAGE", low):
        check_against_reference(log, hit_filter, sort, start, size)


def check_against_reference(
    log: Log, hit_filter: HitFilter, sort: HitSort, start: int, size: int
) -> None:
    expected = expected_order(log.hits, hit_filter, sort)
    assert all_seqs(log.conn, hit_filter, sort) == expected
    total = count_hits(log.conn, hit_filter)
    assert total == len(expected)
    window = expected[start : start + size]
    assert page_seqs(log.conn, hit_filter, sort, start, size, total=total) == window
    assert page_seqs(log.conn, hit_filter, sort, start, size) == window
    matches = query.search_size(log.conn, hit_filter)
    assert count_hits(log.conn, hit_filter, matches=matches) == total
    assert page_seqs(log.conn, hit_filter, sort, start, size, matches=matches) == window
    assert [row.seq for row in iter_rows(log.conn, hit_filter, sort, chunk=7)] == expected


def test_the_default_order_is_newest_first_and_rows_carry_the_decision(log: Log) -> None:
    seqs = all_seqs(log.conn, HitFilter(), HitSort())
    rows = rows_for(log.conn, seqs)
    assert [r.created for r in rows] == sorted((r.created for r in rows), reverse=True)
    by_id = {hit.spec.hit_id: hit for hit in log.hits}
    for row in rows:
        spec = by_id[row.hit_id].spec
        assert (row.station, row.officer, row.kind, row.score) == (
            spec.station,
            spec.officer,
            spec.kind,
            spec.score,
        )
        assert row.traveller == f"{spec.surname} {spec.given}"
        assert row.listed == spec.listed
        assert row.outcome == (spec.outcome.value if spec.outcome else None)
        assert row.overturned == (spec.overturned_to is not None)
        assert row.state.value == by_id[row.hit_id].state
        if spec.outcome is not None:
            assert row.decided_at == spec.created + spec.decided_after


def test_rows_for_keeps_the_order_asked_and_skips_unknown_ids(log: Log) -> None:
    seqs = [hit.seq for hit in log.hits[:5]]
    asked = [seqs[3], 10**9, seqs[0], seqs[4]]
    assert [row.seq for row in rows_for(log.conn, asked)] == [seqs[3], seqs[0], seqs[4]]
    assert rows_for(log.conn, []) == []


def test_filter_choices_list_what_the_log_holds(log: Log) -> None:
    choices = filter_choices(log.conn)
    assert choices.stations == tuple(sorted(STATIONS))
    assert choices.officers == tuple(sorted(OFFICERS))
    assert choices.kinds == tuple(sorted(KINDS))
    assert choices.lists == ("DEMO", "INTERPOL")


def test_search_punctuation_and_quotes_are_words_not_syntax(log: Log) -> None:
    for text in ('"', "OR", "eriksson)", "*", "NEAR(", "a'b", "-x"):
        f = HitFilter(text=text)
        assert count_hits(log.conn, f) == len(expected_order(log.hits, f, HitSort()))


def test_the_filter_is_recorded_without_empty_fields() -> None:
    f = HitFilter(
        since=datetime.fromisoformat("2026-03-01T00:00:00+00:00"),
        station="NORTH-1",
        decision=DecisionState.OVERTURNED,
        text="  ",
    )
    assert f.to_json() == {
        "since": "2026-03-01T00:00:00+00:00",
        "station": "NORTH-1",
        "decision": "overturned",
    }


def test_a_log_step_applied_to_an_older_database_indexes_the_hits_already_there(
    tmp_path: Path,
) -> None:
    step = next(n for n, m in enumerate(MIGRATIONS) if m.name.startswith("hit log"))
    db = open_database(tmp_path / "old.db", migrate_schema=False)
    saved = MIGRATIONS[step:]
    del MIGRATIONS[step:]
    try:
        migrate(db)
        specs = random_log(random.Random(3), 30)
        specs[0].outcome, specs[0].overturned_to = Outcome.DISMISSED, None
        conn = db.conn
        for spec, hit in zip(specs, record_hits(conn, [new_hit(s) for s in specs]), strict=True):
            spec.hit_id = hit.id
            spec.overturned_to = None
            if spec.outcome is not None:
                decide(
                    conn,
                    hit.id,
                    spec.outcome,
                    user=spec.officer,
                    reason="known false match",
                    now=spec.created + spec.decided_after,
                )
    finally:
        MIGRATIONS.extend(saved)
    migrate(db)
    seqs = dict(conn.execute("SELECT hit_id, seq FROM hit_log").fetchall())
    hits = [Expected(seqs[s.hit_id], s) for s in specs]
    for f in (HitFilter(), HitFilter(decision=DecisionState.DISMISSED), HitFilter(text="rossi")):
        assert all_seqs(conn, f, HitSort()) == expected_order(hits, f, HitSort())
    waits = [s.decided_after.total_seconds() for s in specs if s.outcome is not None]
    assert statistics(conn, HitFilter()).median_decision_seconds == median(waits)
    conn.close()


def test_a_purged_hit_leaves_the_log_and_the_search_index(tmp_path: Path) -> None:
    db = open_database(tmp_path / "purge.db")
    conn = db.conn
    specs = random_log(random.Random(5), 6)
    for spec in specs:
        spec.overturned_to = None
    specs[0].surname = "PURGED"
    record_log(conn, specs)
    gone = specs[0].hit_id
    conn.execute("BEGIN IMMEDIATE")
    for table, column in (("hit_decisions", "hit_id"), ("hit_records", "id")):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (gone,))
    conn.execute("COMMIT")
    assert count_hits(conn, HitFilter(text="purged")) == 0
    assert count_hits(conn, HitFilter()) == 5
    assert gone not in {row.hit_id for row in iter_rows(conn, HitFilter(), HitSort())}
    conn.execute("INSERT INTO hit_search (hit_search) VALUES ('integrity-check')")
    conn.close()
