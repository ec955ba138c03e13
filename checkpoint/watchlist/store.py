"""The installed watchlists in the station database: import, status, lookups.

Each list's rows carry a generation number and `wl_lists` names the generation in force;
every read joins on it. A full import first checks the bundle against what is installed,
then writes the new generation beside the old one in chunks (screening goes on reading the
old one), and switches `wl_lists` to it in one short transaction; the old rows are removed
afterwards. A delta is small and is applied to the generation in force in one transaction.
A process killed at any point leaves either the old list or the new one in force, never a
mixture; rows of an abandoned generation are swept by the next successful import.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlite_utils

from checkpoint import audit
from checkpoint.accounts.roles import Principal
from checkpoint.watchlist.bundle import BundleContent, Manifest, parse_time
from checkpoint.watchlist.countries import normalise_country
from checkpoint.watchlist.index import IndexedPerson, ListInfo, NameIndex
from checkpoint.watchlist.model import BirthDate, WatchlistError, document_key
from checkpoint.watchlist.sources import PERSON_COLUMNS

CHUNK_ROWS = 20_000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class ListStatus:
    list_id: str
    name: str
    version: int
    created: datetime
    expires: datetime
    signer: str
    imported_at: datetime
    counts: dict[str, int]

    def age_days(self, now: datetime) -> float:
        return (now - self.created).total_seconds() / 86400

    def is_stale(self, now: datetime) -> bool:
        return now >= self.expires


@dataclass(frozen=True)
class ImportReport:
    list_id: str
    version: int
    kind: str
    previous_version: int | None
    counts: dict[str, int]


@dataclass(frozen=True)
class DocumentHit:
    """A document number found on a list: an alert (stolen, lost, ...) or a listed person's."""

    list_id: str
    kind: str  # "alert" or "person"
    reference: str  # alert id or entry id
    number: str
    issuer: str | None
    doc_type: str | None
    reason: str
    stale: bool


def list_statuses(db: sqlite_utils.Database) -> list[ListStatus]:
    rows = db.execute(
        "SELECT list_id, name, version, created, expires, signer, imported_at, counts "
        "FROM wl_lists ORDER BY list_id"
    ).fetchall()
    return [
        ListStatus(
            r[0],
            r[1],
            r[2],
            parse_time(r[3]),
            parse_time(r[4]),
            r[5],
            parse_time(r[6]),
            json.loads(r[7]),
        )
        for r in rows
    ]


def list_status(db: sqlite_utils.Database, list_id: str) -> ListStatus | None:
    return next((s for s in list_statuses(db) if s.list_id == list_id), None)


def check_against_installed(db: sqlite_utils.Database, manifest: Manifest) -> ListStatus | None:
    """Refuse rollbacks, replays and deltas on the wrong base (before any write)."""
    installed = list_status(db, manifest.list_id)
    current = installed.version if installed else None
    if current is not None and manifest.version <= current:
        raise WatchlistError(
            f"The bundle holds {manifest.list_id} version {manifest.version}, but version "
            f"{current} is installed: only newer versions are accepted."
        )
    if manifest.base_version is not None and manifest.base_version != current:
        have = (
            f"version {current} is installed"
            if current is not None
            else "the list is not installed"
        )
        raise WatchlistError(
            f"The bundle is a delta on {manifest.list_id} version {manifest.base_version}, "
            f"but {have}: import the missing versions or a full bundle first."
        )
    return installed


def import_bundle(
    db: sqlite_utils.Database,
    content: BundleContent,
    *,
    signer_name: str,
    progress: Progress | None = None,
    now: datetime | None = None,
    actor: Principal | None = None,
) -> ImportReport:
    """Install a verified bundle; the database is unchanged if any check fails.

    With `actor`, the switch to the new version and its audit row (`watchlist.import`)
    commit together.
    """
    manifest = content.manifest
    installed = check_against_installed(db, manifest)
    moment = now or datetime.now(UTC)
    report = ImportReport(
        manifest.list_id,
        manifest.version,
        manifest.kind,
        installed.version if installed else None,
        dict(manifest.counts),
    )

    def audit_switch(conn: Any) -> None:
        if actor is not None:
            details = {
                "kind": report.kind,
                "version": report.version,
                "previous_version": report.previous_version,
                "signer": signer_name,
                "bundle_sha256": content.sha256,
                "counts": report.counts,
            }
            audit.record(conn, actor, "watchlist.import", report.list_id, details, at=moment)

    if manifest.base_version is None:
        _import_full(db, content, signer_name, moment, progress, on_switch=audit_switch)
    else:
        _import_delta(db, content, signer_name, moment, progress, on_switch=audit_switch)
    audit.publish_head(db.conn)
    return report


class _Transaction:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn

    def __enter__(self) -> Any:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: object, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if kind is not None else "COMMIT")


def _list_row(
    manifest: Manifest, content: BundleContent, generation: int, signer: str, now: datetime
) -> tuple[Any, ...]:
    return (
        manifest.list_id,
        manifest.list_name,
        manifest.version,
        generation,
        manifest.created.isoformat(),
        manifest.expires.isoformat(),
        signer,
        now.isoformat(timespec="seconds"),
        content.sha256,
        json.dumps(manifest.counts),
    )


def _import_full(
    db: sqlite_utils.Database,
    content: BundleContent,
    signer: str,
    now: datetime,
    progress: Progress | None,
    *,
    on_switch: Callable[[Any], None],
) -> None:
    manifest = content.manifest
    with _Transaction(db) as conn:
        check_against_installed(db, manifest)
        active = {row[0] for row in conn.execute("SELECT generation FROM wl_lists")}
        abandoned = [
            row[0]
            for row in conn.execute(
                "SELECT generation FROM wl_generations WHERE list_id = ?", (manifest.list_id,)
            )
            if row[0] not in active
        ]
        for generation in abandoned:
            _delete_generation(conn, generation)
        cursor = conn.execute(
            "INSERT INTO wl_generations (list_id, version, started_at) VALUES (?, ?, ?)",
            (manifest.list_id, manifest.version, now.isoformat()),
        )
        generation = int(cursor.lastrowid)
    for table, rows in _rows(content, generation):
        for chunk_start in range(0, len(rows), CHUNK_ROWS):
            with _Transaction(db) as conn:
                _insert(conn, table, rows[chunk_start : chunk_start + CHUNK_ROWS])
            if progress is not None:
                progress(table, min(chunk_start + CHUNK_ROWS, len(rows)))
    with _Transaction(db) as conn:
        # Someone may have installed another version while we staged, or swept our rows.
        check_against_installed(db, manifest)
        if not conn.execute(
            "SELECT 1 FROM wl_generations WHERE generation = ?", (generation,)
        ).fetchone():
            raise WatchlistError(
                f"Another import of {manifest.list_id} ran at the same time: import again."
            )
        previous = conn.execute(
            "SELECT generation FROM wl_lists WHERE list_id = ?", (manifest.list_id,)
        ).fetchone()
        conn.execute("DELETE FROM wl_lists WHERE list_id = ?", (manifest.list_id,))
        conn.execute(
            "INSERT INTO wl_lists VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _list_row(manifest, content, generation, signer, now),
        )
        on_switch(conn)
    if progress is not None:
        progress("switched", generation)
    if previous is not None:
        with _Transaction(db) as conn:
            _delete_generation(conn, previous[0])


def _delete_generation(conn: Any, generation: int) -> None:
    for table in (
        "wl_persons",
        "wl_names",
        "wl_person_documents",
        "wl_document_alerts",
        "wl_templates",
    ):
        conn.execute(f"DELETE FROM {table} WHERE generation = ?", (generation,))
    conn.execute("DELETE FROM wl_generations WHERE generation = ?", (generation,))


def _import_delta(
    db: sqlite_utils.Database,
    content: BundleContent,
    signer: str,
    now: datetime,
    progress: Progress | None,
    *,
    on_switch: Callable[[Any], None],
) -> None:
    manifest = content.manifest
    with _Transaction(db) as conn:
        check_against_installed(db, manifest)
        generation = conn.execute(
            "SELECT generation FROM wl_lists WHERE list_id = ?", (manifest.list_id,)
        ).fetchone()[0]
        person_ids = [
            (generation, r["id"])
            for r in content.records["deletions.jsonl"]
            if r["kind"] == "person"
        ]
        person_ids += [(generation, r["entry_id"]) for r in content.records["persons.jsonl"]]
        for table in ("wl_persons", "wl_names", "wl_person_documents", "wl_templates"):
            conn.executemany(
                f"DELETE FROM {table} WHERE generation = ? AND entry_id = ?", person_ids
            )
        alert_ids = [
            (generation, r["id"])
            for r in content.records["deletions.jsonl"]
            if r["kind"] == "alert"
        ]
        alert_ids += [(generation, r["alert_id"]) for r in content.records["alerts.jsonl"]]
        conn.executemany(
            "DELETE FROM wl_document_alerts WHERE generation = ? AND alert_id = ?", alert_ids
        )
        if progress is not None:
            progress("deleted", len(person_ids) + len(alert_ids))
        for table, rows in _rows(content, generation):
            _insert(conn, table, rows)
        counts = {
            "persons": conn.execute(
                "SELECT count(*) FROM wl_persons WHERE generation = ?", (generation,)
            ).fetchone()[0],
            "alerts": conn.execute(
                "SELECT count(*) FROM wl_document_alerts WHERE generation = ?", (generation,)
            ).fetchone()[0],
            "templates": conn.execute(
                "SELECT count(*) FROM wl_templates WHERE generation = ?", (generation,)
            ).fetchone()[0],
        }
        conn.execute(
            "UPDATE wl_lists SET name = ?, version = ?, created = ?, expires = ?, signer = ?, "
            "imported_at = ?, bundle_sha256 = ?, counts = ? WHERE list_id = ?",
            (
                manifest.list_name,
                manifest.version,
                manifest.created.isoformat(),
                manifest.expires.isoformat(),
                signer,
                now.isoformat(timespec="seconds"),
                content.sha256,
                json.dumps(counts),
                manifest.list_id,
            ),
        )
        on_switch(conn)


def _insert(conn: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _rows(content: BundleContent, generation: int) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    list_id = content.manifest.list_id
    records = content.records
    names_by_entry: dict[str, str] = {}
    for record in records["names.jsonl"]:
        names_by_entry.setdefault(record["entry_id"], record["name"])
    yield (
        "wl_persons",
        [
            (
                generation,
                list_id,
                r["entry_id"],
                names_by_entry.get(r["entry_id"], ""),
                "; ".join(r["birth_dates"]) or None,
                ";".join(r["nationalities"]),
                r["sex"],
                r["category"],
                r["reason"],
                r["action"],
            )
            for r in records["persons.jsonl"]
        ],
    )
    yield (
        "wl_names",
        [(generation, r["entry_id"], r["name"], r["quality"]) for r in records["names.jsonl"]],
    )
    yield (
        "wl_person_documents",
        [
            (
                generation,
                r["entry_id"],
                r["number"],
                document_key(r["number"]),
                normalise_country(r["issuer"]),
                r["type"],
            )
            for r in records["documents.jsonl"]
        ],
    )
    yield (
        "wl_document_alerts",
        [
            (
                generation,
                list_id,
                r["alert_id"],
                r["number"],
                document_key(r["number"]),
                normalise_country(r["issuer"]),
                r["type"],
                r["reason"],
            )
            for r in records["alerts.jsonl"]
        ],
    )
    vectors = content.templates
    yield (
        "wl_templates",
        [
            (generation, r["entry_id"], r["model"], r["model_version"], vectors[i].tobytes())
            for i, r in enumerate(records["templates.jsonl"])
        ],
    )


def check_document(
    db: sqlite_utils.Database, number: str, issuer: str | None = None, now: datetime | None = None
) -> list[DocumentHit]:
    """Alerts and listed persons' documents with this number (and issuer, when both know it)."""
    key = document_key(number)
    if not key:
        return []
    moment = now or datetime.now(UTC)
    code = normalise_country(issuer)
    hits: list[DocumentHit] = []
    rows = db.execute(
        "SELECT a.list_id, 'alert', a.alert_id, a.number, a.issuer, a.doc_type, a.reason, "
        "l.expires FROM wl_document_alerts a JOIN wl_lists l ON a.generation = l.generation "
        "WHERE a.number_key = ? "
        "UNION ALL "
        "SELECT p.list_id, 'person', d.entry_id, d.number, d.issuer, d.doc_type, p.reason, "
        "l.expires "
        "FROM wl_person_documents d JOIN wl_lists l ON d.generation = l.generation "
        "JOIN wl_persons p ON p.generation = d.generation AND p.entry_id = d.entry_id "
        "WHERE d.number_key = ?",
        (key, key),
    ).fetchall()
    for row in rows:
        if code and row[4] and row[4] != code:
            continue
        hits.append(
            DocumentHit(
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], moment >= parse_time(row[7])
            )
        )
    return hits


def iter_templates(
    db: sqlite_utils.Database, list_id: str
) -> tuple[list[str], npt.NDArray[np.float32], str]:
    """The face templates of a list in force: entry ids, an (n, d) float32 matrix, and the
    model as `name/version` (empty when the list has no templates)."""
    rows = db.execute(
        "SELECT t.entry_id, t.model, t.model_version, t.vector FROM wl_templates t "
        "JOIN wl_lists l ON t.generation = l.generation WHERE l.list_id = ? ORDER BY t.rowid",
        (list_id,),
    ).fetchall()
    if not rows:
        return [], np.zeros((0, 0), dtype=np.float32), ""
    models = {(row[1], row[2]) for row in rows}
    if len(models) > 1:
        raise WatchlistError(f"List {list_id} mixes face models: re-import a consistent bundle.")
    matrix = np.frombuffer(b"".join(row[3] for row in rows), dtype="<f4").reshape(len(rows), -1)
    model, version = models.pop()
    return [row[0] for row in rows], matrix.astype(np.float32), f"{model}/{version}"


@functools.lru_cache(maxsize=100_000)
def _birth_dates(text: str) -> tuple[BirthDate, ...]:
    # Few distinct birth dates among many persons: parse each once.
    return tuple(BirthDate.parse(part) for part in text.split("; ") if part)


def load_index(db: sqlite_utils.Database) -> NameIndex:
    """The screening index over every list in force."""
    lists = [ListInfo(s.list_id, s.version, s.expires) for s in list_statuses(db)]
    names: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for generation, entry_id, name, quality in db.execute(
        "SELECT n.generation, n.entry_id, n.name, n.quality FROM wl_names n "
        "JOIN wl_lists l ON n.generation = l.generation ORDER BY n.rowid"
    ):
        names.setdefault((generation, entry_id), []).append((name, quality))

    def persons() -> Iterator[IndexedPerson]:
        for row in db.execute(
            "SELECT p.generation, p.list_id, p.entry_id, p.birth_date, p.nationalities, p.sex, "
            "p.category, p.reason, p.action FROM wl_persons p "
            "JOIN wl_lists l ON p.generation = l.generation ORDER BY p.list_id, p.entry_id"
        ):
            births = _birth_dates(row[3] or "")
            yield IndexedPerson(
                list_id=row[1],
                entry_id=row[2],
                names=tuple(names.get((row[0], row[2]), ())),
                birth_dates=births,
                nationalities=tuple(n for n in row[4].split(";") if n),
                sex=row[5],
                category=row[6],
                reason=row[7],
                action=row[8],
            )

    return NameIndex(persons(), lists)


def export_list(
    db: sqlite_utils.Database, list_id: str, persons_csv: Path, alerts_csv: Path | None = None
) -> tuple[int, int]:
    """Write the list in force as Checkpoint's persons (and alerts) CSV; return the counts."""
    status = list_status(db, list_id)
    if status is None:
        raise WatchlistError(f"No list {list_id} is installed: see `checkpoint watchlist status`.")
    generation = db.execute(
        "SELECT generation FROM wl_lists WHERE list_id = ?", (list_id,)
    ).fetchone()[0]
    names: dict[str, dict[str, list[str]]] = {}
    for entry_id, name, quality in db.execute(
        "SELECT entry_id, name, quality FROM wl_names WHERE generation = ? ORDER BY rowid",
        (generation,),
    ):
        names.setdefault(entry_id, {}).setdefault(quality, []).append(name)
    documents: dict[str, list[str]] = {}
    for entry_id, number, issuer, doc_type in db.execute(
        "SELECT entry_id, number, issuer, doc_type FROM wl_person_documents "
        "WHERE generation = ? ORDER BY rowid",
        (generation,),
    ):
        documents.setdefault(entry_id, []).append(f"{doc_type or ''}:{issuer or ''}:{number}")
    count = 0
    with persons_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(PERSON_COLUMNS)
        for row in db.execute(
            "SELECT entry_id, name, birth_date, nationalities, sex, category, reason, action "
            "FROM wl_persons WHERE generation = ? ORDER BY entry_id",
            (generation,),
        ):
            by_quality = names.get(row[0], {})
            writer.writerow(
                [
                    row[0],
                    row[1],
                    "; ".join(by_quality.get("good", [])),
                    "; ".join(by_quality.get("low", [])),
                    "; ".join(by_quality.get("original", [])),
                    row[2] or "",
                    row[3],
                    row[4] or "",
                    "; ".join(documents.get(row[0], [])),
                    "",
                    row[5],
                    row[6],
                    row[7],
                ]
            )
            count += 1
    alerts = 0
    if alerts_csv is not None:
        with alerts_csv.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(
                ["alert_id", "document_number", "issuing_country", "document_type", "reason"]
            )
            for row in db.execute(
                "SELECT alert_id, number, issuer, doc_type, reason FROM wl_document_alerts "
                "WHERE generation = ? ORDER BY alert_id",
                (generation,),
            ):
                writer.writerow([value or "" for value in row])
                alerts += 1
    return count, alerts
