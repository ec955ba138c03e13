"""The desk: frames of one traveller raise each hit once, recorded with evidence and queued."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
import sqlite_utils
from skimage import data

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.read import DocumentReader
from checkpoint.documents.synth import photograph, random_identity, render_specimen
from checkpoint.documents.synth.demo import ERIKSSON
from checkpoint.faces.models import default_models
from checkpoint.faces.read import FaceReader
from checkpoint.hits.desk import Desk
from checkpoint.hits.store import get_evidence, list_hits
from checkpoint.screening.context import open_context
from checkpoint.screening.model import Capture
from checkpoint.storage import DatabaseWriter, open_database
from checkpoint.sync import outbox
from checkpoint.watchlist.bundle import verify_bundle
from checkpoint.watchlist.keys import trust_key, trusted_keys
from checkpoint.watchlist.store import import_bundle

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def readers() -> tuple[DocumentReader, FaceReader]:
    return DocumentReader(), FaceReader(default_models())


@pytest.fixture
def desk(checkpoint_home: Path, readers: tuple[DocumentReader, FaceReader]) -> Iterator[Desk]:
    trust_key(checkpoint_home, REPO / "watchlists" / "demo" / "DEMO-ONLY-signing-key.pub")
    db = open_database(checkpoint_home / "checkpoint.db")
    content = verify_bundle(
        REPO / "watchlists" / "demo" / "demo-list-v1.zip", trusted_keys(checkpoint_home), now=NOW
    )
    import_bundle(db, content, signer_name="demo", now=NOW)
    documents, faces = readers
    context = open_context(
        db, station="TEST-01", officer="o1", documents=documents, faces=faces, clock=lambda: NOW
    )
    opened = Desk(context)
    yield opened
    opened.close()


def portrait() -> np.ndarray:
    """A real face for the document's photo (scikit-image's astronaut)."""
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray(photo[33:233, 120:320])


def frames(seed: int) -> list[np.ndarray]:
    """Three camera frames of the specimen passport at different angles and sizes."""
    rng = np.random.default_rng(seed)
    specimen = render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng, portrait=portrait())
    return [
        photograph(specimen, rng, size=(1280, 720), fill=fill, angle=angle, degrade="mild").image
        for fill, angle in ((0.55, 4.0), (0.6, 358.0), (0.5, 11.0))
    ]


def queued(db: sqlite_utils.Database) -> list[str]:
    return [item.idempotency_key for item in outbox.items(db.conn)]


def test_one_traveller_many_frames_one_hit_per_entry(desk: Desk) -> None:
    db = desk.context.db
    processed = [
        desk.process(Capture(frame, source=f"frame {n}")) for n, frame in enumerate(frames(7))
    ]
    assert all(p.result.hit for p in processed)
    assert [len(p.recorded) for p in processed] == [2, 0, 0]
    hits = list_hits(db.conn)
    assert sorted(h.reference for h in hits) == ["DEMO-A1", "DEMO-UTO-1"]
    assert sorted(queued(db)) == sorted(f"hit:{h.id}" for h in hits)
    person = next(h for h in hits if h.reference == "DEMO-UTO-1")
    # The person was found by document number and by name: one hit carrying both reasons.
    assert [f["kind"] for f in person.findings] == ["listed_document", "name"]
    assert person.station == "TEST-01"
    assert person.officer == "o1"
    assert person.created == NOW
    assert person.list_version == 1
    assert person.traveller is not None
    assert person.traveller["document_number"] == "L898902C3"
    assert person.listed["names"][0]["name"] == "ERIKSSON ANNA MARIA"
    assert person.evidence_names == ("document.jpg", "portrait.jpg")
    page = get_evidence(db.conn, person.id, "document.jpg")
    assert page is not None
    image = cv2.imdecode(np.frombuffer(page.data, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[1] > image.shape[0]  # the page, turned upright
    assert len(page.data) < 300_000

    # The next traveller is someone else, not listed: nothing is raised or queued.
    rng = np.random.default_rng(3)
    identity = random_identity(rng, MrzFormat.TD3)
    other = render_specimen(MrzFormat.TD3, identity, rng=rng).image
    result = desk.process(Capture(other))
    assert result.observation.new_traveller, identity
    assert result.recorded == ()
    assert len(queued(db)) == 2
    # The listed traveller comes back: a new session, so the hits are raised again.
    again = desk.process(Capture(frames(8)[0]))
    assert again.observation.new_traveller
    assert len(again.recorded) == 2


def test_a_desk_that_does_not_record_changes_nothing(desk: Desk) -> None:
    viewer = Desk(desk.context, record=False)
    processed = viewer.process(Capture(frames(9)[0]))
    assert len(processed.observation.new_hits) == 2
    assert processed.recorded == ()
    assert queued(desk.context.db) == []


def test_hits_can_go_through_the_single_writer(desk: Desk, checkpoint_home: Path) -> None:
    with DatabaseWriter(checkpoint_home / "checkpoint.db") as writer:
        through_writer = Desk(desk.context, writer=writer)
        processed = through_writer.process(Capture(frames(9)[0]))
    assert len(processed.recorded) == 2
    assert sorted(queued(desk.context.db)) == sorted(f"hit:{h.id}" for h in processed.recorded)
