"""A station database with a million realistic hits for the hit-log benchmark and screenshots.

    uv run python bench/review_data.py [--hits 1000000]

Hits go in through plain SQL in large transactions (the triggers of the "hit log" schema step
fill the log and the search index as they would for hits recorded one by one), spread over
two years at twelve stations, with the officers' decisions and some supervisors' overturns.
The database is cached under the temp folder by size and reused (migrated when opened).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checkpoint.paths import database_path
from checkpoint.storage import open_database

SURNAMES = [
    "ERIKSSON",
    "NILSSON",
    "OKAFOR",
    "MUELLER",
    "TANAKA",
    "ROSSI",
    "SILVA",
    "HADDAD",
    "KOWALSKI",
    "NGUYEN",
    "GARCIA",
    "IVANOVA",
    "PETROV",
    "DUBOIS",
    "JANSEN",
    "MURPHY",
    "OLSEN",
    "KARLSSON",
    "MOREAU",
    "NOVAK",
    "HORVATH",
    "PAPADOPOULOS",
    "YILMAZ",
    "ANDERSEN",
    "LINDQVIST",
    "BERG",
    "FISCHER",
    "WEBER",
    "SCHMIDT",
    "KOVACS",
]
GIVEN = [
    "ANNA",
    "MARIA",
    "JOHN",
    "PAUL",
    "LI",
    "WEI",
    "SARA",
    "AHMED",
    "FATIMA",
    "OLGA",
    "IGOR",
    "ELENA",
    "LUCAS",
    "EMMA",
    "NOAH",
    "MIA",
    "OMAR",
    "LEILA",
    "TOMAS",
    "INES",
]
KINDS = (("name", 50), ("face", 30), ("document_alert", 20))
LISTS = ("INTERPOL-SLTD", "NATIONAL", "SCHENGEN-SIS", "EU-SANCTIONS")
REASONS = ("known false match", "different date of birth", "different person (name only)")
STATIONS = tuple(f"BCP-{n:02d}" for n in range(1, 13))
OFFICERS = tuple(f"o.{name.lower()}{n}" for n, name in enumerate(SURNAMES * 3))
START = datetime(2024, 11, 1, tzinfo=UTC)
SPAN_S = 2 * 365 * 24 * 3600
BATCH = 20_000


def bench_home(hits: int) -> Path:
    # Opening the database brings a cached one built by an older schema up to date.
    return Path(tempfile.gettempdir()) / "checkpoint-bench" / f"review-{hits}"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _rows(
    rng: random.Random, hits: int, first: float, last: float
) -> tuple[list[tuple[object, ...]], ...]:
    """`hits` hits between fractions `first` and `last` of the two years, oldest first."""
    records, decisions, reviews = [], [], []
    low, high = int(SPAN_S * 1e6 * first), int(SPAN_S * 1e6 * last)
    seconds = sorted(rng.randrange(low, high) for _ in range(hits))
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    for micro in seconds:
        created = START + timedelta(microseconds=micro)
        hit_id = uuid.UUID(int=rng.getrandbits(128)).hex
        kind = rng.choice(kinds)
        listed = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        surname = listed.split(maxsplit=1)[0] if rng.random() < 0.6 else rng.choice(SURNAMES)
        given = rng.choice(GIVEN)
        list_id = rng.choice(LISTS)
        score = round(rng.uniform(0.6, 1.0), 2)
        entry = f"{list_id}-{rng.randrange(10**6):06d}"
        reason = f"{kind} matches {listed} ({list_id}/{entry}), score {score:.2f}"
        finding = {
            "kind": kind,
            "severity": "hit",
            "reason": reason,
            "score": score,
            "list_id": list_id,
            "list_version": 7,
            "stale": False,
            "reference": entry,
            "listed": {
                "entry_id": entry,
                "names": [{"name": listed, "quality": "high"}],
                "action": "Refer to second line.",
            },
        }
        traveller = {
            "surname": surname,
            "given_names": given,
            "document_number": f"{rng.choice('CKLPX')}{rng.randrange(10**7):07d}",
            "nationality": rng.choice(("UTO", "SWE", "NGA", "DEU", "JPN", "ITA")),
        }
        records.append(
            (
                hit_id,
                _stamp(created),
                rng.choice(STATIONS),
                rng.choice(OFFICERS),
                kind,
                score,
                reason,
                list_id,
                7,
                entry,
                json.dumps(finding["listed"], separators=(",", ":")),
                json.dumps(traveller, separators=(",", ":")),
                json.dumps([finding], separators=(",", ":")),
                "camera",
            )
        )
        if rng.random() < 0.95:
            outcome = "dismissed" if rng.random() < 0.7 else "confirmed"
            decided = created + timedelta(seconds=rng.lognormvariate(3.8, 0.8))
            reason_text = rng.choice(REASONS) if outcome == "dismissed" else ""
            decisions.append((hit_id, outcome, reason_text, "", _stamp(decided), records[-1][3]))
            if rng.random() < 0.02:
                other = "confirmed" if outcome == "dismissed" else "dismissed"
                reviewed = decided + timedelta(hours=rng.uniform(1, 72))
                reviews.append(
                    (
                        uuid.UUID(int=rng.getrandbits(128)).hex,
                        hit_id,
                        "overturn",
                        other,
                        "reviewed the evidence",
                        "",
                        _stamp(reviewed),
                        "sup.lind",
                    )
                )
    return records, decisions, reviews


def build(hits: int, *, seed: int = 2026, quiet: bool = False) -> Path:
    """The home folder of a station whose database holds `hits` hits (built once, then reused)."""
    home = bench_home(hits)
    done = home / "complete"
    if done.exists():
        return home
    home.mkdir(parents=True, exist_ok=True)
    path = database_path(home)
    for leftover in home.glob("checkpoint.db*"):
        leftover.unlink()
    started = time.monotonic()
    db = open_database(path)
    conn = db.conn
    # A big page cache for the build only: the random hit ids make every insert touch a page.
    conn.execute("PRAGMA cache_size = -512000")
    rng = random.Random(seed)
    written = 0
    while written < hits:
        count = min(BATCH * 10, hits - written)
        records, decisions, reviews = _rows(rng, count, written / hits, (written + count) / hits)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO hit_records (id, created, station, officer, kind, score, reason, "
            "list_id, list_version, reference, listed, traveller, findings, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records,
        )
        conn.executemany(
            "INSERT INTO hit_decisions (hit_id, outcome, reason, note, decided_at, decided_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            decisions,
        )
        conn.executemany(
            "INSERT INTO hit_reviews (id, hit_id, kind, outcome, reason, note, reviewed_at, "
            "reviewed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            reviews,
        )
        conn.execute("COMMIT")
        written += count
        if not quiet:
            print(f"  {written:>9,} hits  {time.monotonic() - started:6.1f} s", file=sys.stderr)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    done.write_text(f"{hits} hits, seed {seed}\n")
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    started = time.monotonic()
    home = build(args.hits)
    print(f"{database_path(home)} ({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
