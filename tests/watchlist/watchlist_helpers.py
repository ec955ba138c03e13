"""Test helpers for watchlists: synthetic persons, keys, bundles, the database's fingerprint."""

from __future__ import annotations

import argparse
import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from checkpoint.commands import CommandContext, screen, watchlist
from checkpoint.config import load_settings
from checkpoint.errors import CheckpointError
from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.watchlist.bundle import build_bundle
from checkpoint.watchlist.keys import generate_key_pair, load_private_key, trust_key
from checkpoint.watchlist.model import (
    BirthDate,
    DocumentAlert,
    FaceTemplate,
    Person,
    PersonName,
    TravelDocument,
)

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def person(
    entry_id: str,
    name: str,
    *aliases: str,
    dob: str = "1970-01-01",
    nationality: str = "UTO",
    sex: str = "M",
    document: str | None = None,
    template_seed: int | None = None,
) -> Person:
    templates: tuple[FaceTemplate, ...] = ()
    if template_seed is not None:
        vector = np.random.default_rng(template_seed).normal(size=128).astype(np.float32)
        templates = (FaceTemplate(vector, "dlib_face_recognition_resnet_model_v1", "1"),)
    return Person(
        entry_id=entry_id,
        names=(PersonName(name, "primary"), *(PersonName(a, "good") for a in aliases)),
        birth_dates=(BirthDate.parse(dob),) if dob else (),
        nationalities=(nationality,) if nationality else (),
        sex=sex,
        documents=(TravelDocument(document, nationality, "P"),) if document else (),
        templates=templates,
        category="test",
        reason="listed for the test",
        action="Refer to second line.",
    )


PEOPLE = (
    person(
        "p1",
        "Ivan Petrov",
        "Иван Петров",
        dob="1970-03-04",
        nationality="RUS",
        document="AB1234567",
        template_seed=1,
    ),
    person(
        "p2", "Anna Maria Eriksson", dob="1974-08-12", nationality="UTO", sex="F", template_seed=2
    ),
    person("p3", "Jürgen Müller", dob="1965-05-05", nationality="DEU", template_seed=3),
)
ALERTS = (DocumentAlert("a1", "L898902C3", "UTO", "P", "stolen"),)


def make_keys(folder: Path, home: Path, name: str = "hq", trust: bool = True) -> Path:
    private, public = generate_key_pair(folder / name)
    if trust:
        trust_key(home, public)
    return private


def make_bundle(
    out: Path,
    key_path: Path,
    version: int,
    *,
    persons: tuple[Person, ...] = PEOPLE,
    alerts: tuple[DocumentAlert, ...] = ALERTS,
    base: int | None = None,
    created: datetime | None = None,
    days: float = 30,
    **extra: object,
) -> Path:
    build_bundle(
        out,
        key=load_private_key(key_path),
        list_id="TEST",
        version=version,
        persons=persons,
        alerts=alerts,
        base_version=base,
        created=created or datetime.now(UTC),
        valid_for=timedelta(days=days),
        **extra,  # type: ignore[arg-type]
    )
    return out


def database_fingerprint(home: Path) -> str:
    """SHA-256 of the database's contents apart from the audit log, which records even a
    refused action (absent file: 'absent')."""
    path = database_path(home)
    if not path.exists():
        return "absent"
    db = open_database(path)
    try:
        lines = [line for line in db.conn.iterdump() if "audit_" not in line]
    finally:
        db.conn.close()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def run_cli(home: Path, *argv: str) -> tuple[int, str, str]:
    """Run `checkpoint --home HOME ARGV` through the same register/run protocol as the CLI."""
    parser = argparse.ArgumentParser(prog="checkpoint")
    commands = parser.add_subparsers(dest="command")
    watchlist.register(commands)
    screen.register(commands)
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    context = CommandContext(home=home, settings=load_settings(home), stdout=out, stderr=err)
    try:
        code = int(args.func(args, context))
    except CheckpointError as exc:
        print(f"checkpoint: {exc}", file=err)
        code = 1
    return code, out.getvalue(), err.getvalue()
