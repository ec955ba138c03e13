"""Building hit logs for the review tests: hits recorded through `checkpoint.hits.store`."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from checkpoint.accounts.roles import Principal, Role
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import Specimen, random_identity, render_specimen
from checkpoint.hits.model import Evidence, NewHit, Outcome
from checkpoint.hits.review import overturn
from checkpoint.hits.store import decide, record_hits

SUPERVISOR = Principal("sup.lind", Role.SUPERVISOR)
OFFICER = Principal("o.berg", Role.OFFICER)
START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
STATIONS = ("NORTH-1", "NORTH-2", "SOUTH-1")
OFFICERS = ("o.berg", "o.nilsson", "o.haddad")
KINDS = ("name", "face", "document_alert")
LISTS = ("DEMO", "INTERPOL", None)
SURNAMES = ("ERIKSSON", "OKAFOR", "MUELLER", "TANAKA", "ROSSI", "SILVA")
GIVEN = ("ANNA MARIA", "JOHN", "LI", "PAUL", "MARIA")
REASON = "known false match"


@dataclass
class Spec:
    """What a generated hit is: its fields, the officer's decision and any overturn."""

    created: datetime
    station: str
    officer: str
    kind: str
    score: float
    list_id: str | None
    surname: str
    given: str
    listed: str
    outcome: Outcome | None = None
    decided_after: timedelta = timedelta(seconds=30)
    overturned_to: Outcome | None = None
    evidence: tuple[Evidence, ...] = ()
    hit_id: str = field(default="")


def new_hit(spec: Spec) -> NewHit:
    finding = {
        "kind": spec.kind,
        "severity": "hit",
        "reason": f"{spec.kind} matches {spec.listed} ({spec.list_id}), score {spec.score:.2f}",
        "score": spec.score,
        "list_id": spec.list_id,
        "list_version": 3 if spec.list_id else None,
        "stale": False,
        "reference": f"{spec.list_id}-{spec.listed.split()[0]}" if spec.list_id else None,
        "listed": {
            "entry_id": f"E-{spec.listed.split()[0]}",
            "names": [{"name": spec.listed, "quality": "high"}],
            "action": "Refer to second line.",
        },
    }
    traveller = {
        "surname": spec.surname,
        "given_names": spec.given,
        "document_number": f"X{spec.surname[:4]}{len(spec.given):02d}",
    }
    return NewHit(
        created=spec.created,
        station=spec.station,
        officer=spec.officer,
        source="test",
        findings=(finding,),
        traveller=traveller,
        evidence=spec.evidence,
    )


def record_log(conn: sqlite3.Connection, specs: list[Spec]) -> None:
    """Record every hit, then the officers' decisions and the supervisors' overturns."""
    for spec, hit in zip(specs, record_hits(conn, [new_hit(s) for s in specs]), strict=True):
        spec.hit_id = hit.id
        if spec.outcome is not None:
            decide(
                conn,
                hit.id,
                spec.outcome,
                user=spec.officer,
                reason=REASON if spec.outcome is Outcome.DISMISSED else "",
                now=spec.created + spec.decided_after,
            )
        if spec.overturned_to is not None:
            overturn(
                conn,
                SUPERVISOR,
                hit.id,
                spec.overturned_to,
                "the faces do not match",
                now=spec.created + spec.decided_after + timedelta(hours=1),
            )


def random_log(rng: random.Random, count: int) -> list[Spec]:
    """A log with ties in time and score, undecided, decided and overturned hits."""
    specs = []
    for _ in range(count):
        outcome = rng.choice([None, Outcome.CONFIRMED, Outcome.DISMISSED, Outcome.DISMISSED])
        overturned_to = None
        if outcome is not None and rng.random() < 0.2:
            overturned_to = Outcome.CONFIRMED if outcome is Outcome.DISMISSED else Outcome.DISMISSED
        specs.append(
            Spec(
                created=START + timedelta(hours=rng.randrange(0, 24 * 10, 5)),
                station=rng.choice(STATIONS),
                officer=rng.choice(OFFICERS),
                kind=rng.choice(KINDS),
                score=rng.choice([0.5, 0.75, 0.9, 1.0]),
                list_id=rng.choice(LISTS),
                surname=rng.choice(SURNAMES),
                given=rng.choice(GIVEN),
                listed=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                outcome=outcome,
                decided_after=timedelta(seconds=rng.randrange(5, 600)),
                overturned_to=overturned_to,
            )
        )
    return specs


def evidence_images(seed: int) -> tuple[Evidence, ...]:
    """Evidence as a desk records it, drawn by the specimen renderer (no real photos):
    the live face, the document page, and the listed person's photo."""
    from checkpoint.hits.evidence import jpeg  # noqa: PLC0415

    def portrait(specimen: Specimen) -> npt.NDArray[np.uint8]:
        x0, y0, x1, y1 = specimen.portrait_box
        return np.ascontiguousarray(specimen.image[y0:y1, x0:x1])

    rng = np.random.default_rng(seed)
    traveller = render_specimen(MrzFormat.TD3, random_identity(rng, MrzFormat.TD3), rng=rng)
    listed = render_specimen(MrzFormat.TD1, random_identity(rng, MrzFormat.TD1), rng=rng)
    return (
        jpeg("face.jpg", portrait(traveller)),
        jpeg("document.jpg", traveller.image),
        jpeg("listed.jpg", portrait(listed)),
    )
