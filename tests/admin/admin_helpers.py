"""Helpers of the administration tests: real signed bundles, a real `checkpoint hq serve`,
the window under test, and what the audit log and the list tables hold."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from cli_process import running_hq
from pytestqt.qtbot import QtBot

from checkpoint.accounts import StationSession
from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.sync.hq.auth import new_token, token_hash
from checkpoint.sync.hq.store import open_store
from checkpoint.ui.admin.window import AdministrationWindow
from checkpoint.watchlist.bundle import build_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key
from checkpoint.watchlist.model import (
    BirthDate,
    DocumentAlert,
    FaceTemplate,
    Person,
    PersonName,
    TravelDocument,
)

REPO = Path(__file__).resolve().parents[2]
STATION = "DEMO-01"
WL_TABLES = (
    "wl_lists",
    "wl_generations",
    "wl_persons",
    "wl_names",
    "wl_person_documents",
    "wl_document_alerts",
    "wl_templates",
)


def person(entry_id: str, name: str, *, dob: str, nationality: str, seed: int) -> Person:
    vector = np.random.default_rng(seed).normal(size=128).astype(np.float32)
    return Person(
        entry_id=entry_id,
        names=(PersonName(name, "primary"),),
        birth_dates=(BirthDate.parse(dob),),
        nationalities=(nationality,),
        sex="M",
        documents=(TravelDocument(f"X{seed:07d}", nationality, "P"),),
        templates=(FaceTemplate(vector, "dlib_face_recognition_resnet_model_v1", "1"),),
        category="test",
        reason="listed for the test",
        action="Refer to second line.",
    )


PEOPLE = (
    person("p1", "Ivan Petrov", dob="1970-03-04", nationality="RUS", seed=1),
    person("p2", "Anna Maria Eriksson", dob="1974-08-12", nationality="UTO", seed=2),
    person("p3", "Jurgen Muller", dob="1965-05-05", nationality="DEU", seed=3),
)
ALERTS = (DocumentAlert("a1", "L898902C3", "UTO", "P", "stolen"),)


def make_key(folder: Path, name: str = "hq") -> tuple[Path, Path]:
    """A new signing key pair (private, public) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return generate_key_pair(folder / name)


def make_bundle(
    out: Path,
    private: Path,
    version: int,
    *,
    persons: tuple[Person, ...] = PEOPLE,
    base: int | None = None,
    deleted: tuple[str, ...] = (),
    days: float = 30,
) -> Path:
    build_bundle(
        out,
        key=load_private_key(private),
        list_id="TEST",
        list_name="Test list",
        version=version,
        persons=persons,
        alerts=ALERTS if base is None else (),
        deleted_persons=deleted,
        base_version=base,
        created=datetime.now(UTC) - timedelta(hours=1),
        valid_for=timedelta(days=days),
    )
    return out


def tamper(bundle: Path, out: Path) -> Path:
    """A copy of `bundle` with one listed name changed but the signed manifest kept."""
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "names.jsonl":
                data = data.replace(b"Ivan Petrov", b"Ivan Petroff")
            target.writestr(info, data)
    return out


def list_rows(home: Path) -> str:
    """A digest of every watchlist table's rows: equal digests, unchanged lists."""
    db = open_database(database_path(home))
    try:
        digest = hashlib.sha256()
        for table in WL_TABLES:
            for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall():
                digest.update(repr((table, row)).encode())
        return digest.hexdigest()
    finally:
        db.conn.close()


@dataclass(frozen=True)
class AuditRow:
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


def audit_rows(home: Path, session: StationSession | None = None) -> list[AuditRow]:
    """The audit log's rows in order (through `session`'s key on an encrypted station)."""
    db = session.open_database() if session is not None else open_database(database_path(home))
    try:
        rows = db.execute(
            "SELECT actor, action, subject, details FROM audit_log ORDER BY seq"
        ).fetchall()
    finally:
        db.conn.close()
    return [AuditRow(r[0], r[1], r[2], json.loads(r[3])) for r in rows]


@dataclass(frozen=True)
class RunningHq:
    url: str
    token: str
    database: Path
    bundles: Path

    def items(self) -> dict[str, str]:
        """The items HQ stored, by idempotency key: their kinds."""
        with contextlib.closing(sqlite3.connect(self.database)) as conn:
            rows = conn.execute("SELECT idempotency_key, kind FROM hq_items").fetchall()
        return {key: kind for key, kind in rows}


@contextlib.contextmanager
def hq_serve(folder: Path) -> Iterator[RunningHq]:
    """`checkpoint hq serve` in its own process on 127.0.0.1, with a token for the station."""
    database = folder / "hq.db"
    bundles = folder / "bundles"
    bundles.mkdir(parents=True, exist_ok=True)
    token = new_token()
    store = open_store(database)
    try:
        store.add_token(STATION, token_hash(token))
    finally:
        store.close()
    hq_home = folder / "hq-home"
    extra = ("--database", str(database), "--bundles", str(bundles))
    with running_hq(hq_home, *extra, cwd=REPO) as url:
        yield RunningHq(url, token, database, bundles)


def demo_session(home: Path) -> StationSession:
    """The demo administrator's session over a migrated station database."""
    open_database(database_path(home)).conn.close()
    return StationSession.demo(home)


JOB_TIMEOUT_MS = 60_000

OpenWindow = Callable[..., AdministrationWindow]
"""The `open_window` fixture: opens a window (for a session, if given) and waits for it."""


def settle(qtbot: QtBot, window: AdministrationWindow) -> None:
    """Wait until every job the window started (and those they started) has reported."""
    qtbot.waitUntil(lambda: not window.busy, timeout=JOB_TIMEOUT_MS)
