"""Finding hits for the supervisor's log: filters, sort orders, counts and pages of rows.

The log reads `hit_log`, a narrow copy of every hit kept by triggers (schema step "hit log"),
never the wide `hit_records`. Every sort key has an index ending in (created, seq), so a page
at any position is an index walk: `page_seqs` asks SQLite for `LIMIT/OFFSET` from whichever
end of the order is nearer, which keeps "scroll to the end" of a million rows as cheap as the
first page. Loading all matching ids at once was measured at ~0.8 s per million rows through
Python's sqlite3, too slow for opening the log, so a view keeps only the pages it has shown.
Text search goes through `hit_search`, a contentless FTS5 index; each word is a prefix.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class DecisionState(StrEnum):
    """What the log filters on: the current state of a hit, or that a supervisor overturned it."""

    UNDECIDED = "undecided"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    OVERTURNED = "overturned"


class SortKey(StrEnum):
    CREATED = "created"
    STATION = "station"
    OFFICER = "officer"
    KIND = "kind"
    SCORE = "score"
    LIST = "list_id"
    STATE = "state"


@dataclass(frozen=True)
class HitFilter:
    """Which hits the log shows; every field left empty matches all.

    `since` is inclusive and `until` exclusive; `text` matches words of the traveller's and
    the listed person's names, the document number, the reason, the reference, the list,
    the station, the officer and the hit id, each word as a prefix.
    """

    since: datetime | None = None
    until: datetime | None = None
    station: str | None = None
    officer: str | None = None
    kind: str | None = None
    decision: DecisionState | None = None
    list_id: str | None = None
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        """The filter as the audit log and reports record it (empty fields left out)."""
        fields: dict[str, Any] = {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "station": self.station,
            "officer": self.officer,
            "kind": self.kind,
            "decision": self.decision.value if self.decision else None,
            "list_id": self.list_id,
            "text": self.text.strip() or None,
        }
        return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class HitSort:
    """The log's order; ties are broken by time, then by recording order, in the same direction."""

    key: SortKey = SortKey.CREATED
    descending: bool = True


@dataclass(frozen=True)
class LogRow:
    """One line of the hit log."""

    seq: int
    hit_id: str
    created: datetime
    station: str
    officer: str
    kind: str
    score: float
    list_id: str
    traveller: str
    listed: str
    reason: str
    outcome: str | None
    """The officer's decision, kept even when a supervisor overturned it."""
    decided_at: datetime | None
    state: DecisionState
    """The current state: the overturned outcome when a supervisor overturned the decision."""
    overturned: bool


@dataclass(frozen=True)
class FilterChoices:
    """The values the log's filter boxes offer."""

    stations: tuple[str, ...]
    officers: tuple[str, ...]
    kinds: tuple[str, ...]
    lists: tuple[str, ...]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The words of a search, as FTS5 sees them (punctuation splits words, as when indexed)."""
    return _WORD.findall(text.lower())


def _match_expression(text: str) -> str | None:
    words = search_words(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


WALK_TO_COUNT = 20_000
"""Above this many search matches, counting by walking a log index and probing each entry
against the matches beats looking every match up in the log (measured at a million hits:
78,000 matches took 0.25 s by lookups, a walk of the whole index about 0.1 s)."""
WALK_FOR_PAGE = 2_000
"""Above this many matches, a page is found faster by walking the sort order's index until
the page is reached than by looking up and sorting all matches (7,600 matches: 0.1 s by
lookups, a few ms by walking to the first page)."""


def search_size(conn: sqlite3.Connection, hit_filter: HitFilter) -> int | None:
    """How many hits the search words alone match (None without search words)."""
    match = _match_expression(hit_filter.text)
    if match is None:
        return None
    row = conn.execute("SELECT count(*) FROM hit_search WHERE hit_search MATCH ?", (match,))
    return int(row.fetchone()[0])


def where_clause(
    hit_filter: HitFilter, alias: str = "l", *, walk_log: bool = False
) -> tuple[str, list[Any]]:
    """The SQL condition over `hit_log` (as `alias`) and its parameters.

    With `walk_log`, the search condition cannot drive the query (the unary plus keeps
    SQLite from using the primary key for it), so SQLite walks a log index instead.
    """
    terms: list[str] = []
    params: list[Any] = []
    if hit_filter.since is not None:
        terms.append(f"{alias}.created >= ?")
        params.append(_stamp(hit_filter.since))
    if hit_filter.until is not None:
        terms.append(f"{alias}.created < ?")
        params.append(_stamp(hit_filter.until))
    for column, value in (
        ("station", hit_filter.station),
        ("officer", hit_filter.officer),
        ("kind", hit_filter.kind),
        ("list_id", hit_filter.list_id),
    ):
        if value is not None:
            terms.append(f"{alias}.{column} = ?")
            params.append(value)
    if hit_filter.decision is DecisionState.OVERTURNED:
        terms.append(f"{alias}.overturned = 1")
    elif hit_filter.decision is not None:
        terms.append(f"{alias}.state = ?")
        params.append(hit_filter.decision.value)
    match = _match_expression(hit_filter.text)
    if match is not None:
        seq = f"+{alias}.seq" if walk_log else f"{alias}.seq"
        terms.append(f"{seq} IN (SELECT rowid FROM hit_search WHERE hit_search MATCH ?)")
        params.append(match)
    return (" AND ".join(terms) if terms else "1"), params


def order_clause(sort: HitSort, *, reverse: bool = False, alias: str = "l") -> str:
    """ORDER BY terms all in one direction, so SQLite walks the sort key's index."""
    direction = "DESC" if sort.descending != reverse else "ASC"
    keys = [sort.key.value] if sort.key is not SortKey.CREATED else []
    return ", ".join(f"{alias}.{key} {direction}" for key in [*keys, "created", "seq"])


def count_hits(
    conn: sqlite3.Connection, hit_filter: HitFilter, *, matches: int | None = None
) -> int:
    """How many hits the filter matches; `matches` is its `search_size` if already known."""
    if matches is None:
        matches = search_size(conn, hit_filter)
    if matches is not None and replace(hit_filter, text="") == HitFilter():
        return matches  # the search index holds exactly the hits of the log
    where, params = where_clause(hit_filter, walk_log=(matches or 0) > WALK_TO_COUNT)
    return int(conn.execute(f"SELECT count(*) FROM hit_log l WHERE {where}", params).fetchone()[0])


def page_seqs(
    conn: sqlite3.Connection,
    hit_filter: HitFilter,
    sort: HitSort,
    offset: int,
    limit: int,
    *,
    total: int | None = None,
    matches: int | None = None,
) -> list[int]:
    """The log ids of rows `offset`..`offset + limit` in `sort` order.

    With `total` (the filter's count), pages in the second half are read from the far end
    of the order, so the walk never passes more than half the matching rows. `matches` is
    the filter's `search_size`, if already known.
    """
    if matches is None and hit_filter.text:
        matches = search_size(conn, hit_filter)
    where, params = where_clause(hit_filter, walk_log=(matches or 0) > WALK_FOR_PAGE)
    offset = max(0, offset)
    if total is not None and offset > total // 2:
        end = min(total, offset + limit)
        if end <= offset:
            return []
        rows = conn.execute(
            f"SELECT l.seq FROM hit_log l WHERE {where} "
            f"ORDER BY {order_clause(sort, reverse=True)} LIMIT ? OFFSET ?",
            [*params, end - offset, total - end],
        ).fetchall()
        return [int(row[0]) for row in reversed(rows)]
    rows = conn.execute(
        f"SELECT l.seq FROM hit_log l WHERE {where} ORDER BY {order_clause(sort)} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [int(row[0]) for row in rows]


def all_seqs(conn: sqlite3.Connection, hit_filter: HitFilter, sort: HitSort) -> list[int]:
    """Every matching log id in order (for small logs and tests; the view pages instead)."""
    where, params = where_clause(hit_filter)
    rows = conn.execute(
        f"SELECT l.seq FROM hit_log l WHERE {where} ORDER BY {order_clause(sort)}", params
    )
    return [int(row[0]) for row in rows]


_ROW_COLUMNS = (
    "l.seq, l.hit_id, l.created, l.station, l.officer, l.kind, l.score, l.list_id, "
    "h.traveller, h.listed, h.reason, l.outcome, l.decided_at, l.state, l.overturned"
)


def _name(traveller: dict[str, Any] | None) -> str:
    if not traveller:
        return ""
    names = [traveller.get("surname") or "", traveller.get("given_names") or ""]
    return " ".join(part for part in names if part).strip()


def _listed_name(listed: dict[str, Any]) -> str:
    names = listed.get("names") or []
    if names and isinstance(names[0], dict):
        return str(names[0].get("name", ""))
    return str(listed.get("entry_id") or listed.get("number") or "")


def _row(values: Sequence[Any]) -> LogRow:
    return LogRow(
        seq=int(values[0]),
        hit_id=str(values[1]),
        created=datetime.fromisoformat(values[2]),
        station=str(values[3]),
        officer=str(values[4]),
        kind=str(values[5]),
        score=float(values[6]),
        list_id=str(values[7]),
        traveller=_name(json.loads(values[8])),
        listed=_listed_name(json.loads(values[9])),
        reason=str(values[10]),
        outcome=values[11],
        decided_at=datetime.fromisoformat(values[12]) if values[12] else None,
        state=DecisionState(values[13]),
        overturned=bool(values[14]),
    )


def rows_for(conn: sqlite3.Connection, seqs: Sequence[int]) -> list[LogRow]:
    """The log rows of `seqs`, in the order given (ids no longer in the log are left out)."""
    if not seqs:
        return []
    marks = ",".join("?" * len(seqs))
    found = {
        row[0]: _row(row)
        for row in conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM hit_log l JOIN hit_records h ON h.id = l.hit_id "
            f"WHERE l.seq IN ({marks})",
            list(seqs),
        )
    }
    return [found[seq] for seq in seqs if seq in found]


def iter_rows(
    conn: sqlite3.Connection, hit_filter: HitFilter, sort: HitSort, chunk: int = 2000
) -> Iterator[LogRow]:
    """Every matching row in order, read `chunk` rows at a time (never all in memory)."""
    where, params = where_clause(hit_filter)
    cursor = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM hit_log l JOIN hit_records h ON h.id = l.hit_id "
        f"WHERE {where} ORDER BY {order_clause(sort)}",
        params,
    )
    try:
        while batch := cursor.fetchmany(chunk):
            yield from (_row(values) for values in batch)
    finally:
        cursor.close()


def filter_choices(conn: sqlite3.Connection) -> FilterChoices:
    """The stations, officers, kinds and lists present in the log, each sorted."""

    def distinct(column: str) -> tuple[str, ...]:
        # A skip scan by hand: one index seek per distinct value instead of reading every
        # row's entry (SELECT DISTINCT read a million entries per column in ~0.1 s).
        rows = conn.execute(
            f"WITH RECURSIVE seen(value) AS (SELECT min({column}) FROM hit_log "
            f"UNION ALL SELECT (SELECT min({column}) FROM hit_log WHERE {column} > seen.value) "
            "FROM seen WHERE seen.value IS NOT NULL) "
            "SELECT value FROM seen WHERE value IS NOT NULL"
        )
        return tuple(str(row[0]) for row in rows if row[0])

    return FilterChoices(
        stations=distinct("station"),
        officers=distinct("officer"),
        kinds=distinct("kind"),
        lists=distinct("list_id"),
    )


def log_row(conn: sqlite3.Connection, hit_id: str) -> LogRow | None:
    """The log row of one hit (its current state after any overturn), if the hit exists."""
    row = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM hit_log l JOIN hit_records h ON h.id = l.hit_id "
        "WHERE l.hit_id = ?",
        (hit_id,),
    ).fetchone()
    return None if row is None else _row(row)
