"""`checkpoint hits list|evidence|decide|reasons` on a station database holding real hits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
from cli_process import run_cli as run
from skimage import data

from checkpoint.hits.evidence import jpeg
from checkpoint.hits.model import DEFAULT_DISMISS_REASONS, NewHit
from checkpoint.hits.store import record_hit
from checkpoint.paths import database_path
from checkpoint.storage import open_database

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)


def recorded(home: Path) -> str:
    image = np.ascontiguousarray(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))
    db = open_database(database_path(home))
    try:
        hit = record_hit(
            db.conn,
            NewHit(
                created=NOW,
                station="DEMO-01",
                officer="o1",
                source="camera",
                findings=(
                    {
                        "kind": "face",
                        "severity": "hit",
                        "reason": "face at (175, 76) resembles listed Zora Vukovic",
                        "score": 0.97,
                        "list_id": "FACES",
                        "list_version": 3,
                        "stale": True,
                        "reference": "FACE-1",
                        "listed": {"action": "Call the supervisor."},
                    },
                ),
                traveller={"surname": "LINDQVIST", "given_names": "KARIN"},
                evidence=(jpeg("face.jpg", image[76:170, 175:265]), jpeg("document.jpg", image)),
            ),
        )
    finally:
        db.conn.close()
    return hit.id


def test_list_evidence_and_decide(checkpoint_home: Path, tmp_path: Path) -> None:
    hit_id = recorded(checkpoint_home)
    code, out, _ = run("hits", "list")
    assert code == 0
    assert out.splitlines() == [
        f"{hit_id}  2026-06-01T09:30:00+00:00  face  FACES v3 STALE  KARIN LINDQVIST",
        "  face: face at (175, 76) resembles listed Zora Vukovic",
        "  action: Call the supervisor.",
    ]
    code, out, _ = run("hits", "evidence", hit_id, str(tmp_path / "out"))
    assert code == 0
    written = [Path(line) for line in out.splitlines()]
    assert [p.name for p in written] == [f"{hit_id}-document.jpg", f"{hit_id}-face.jpg"]
    face = cv2.imread(str(written[1]))
    assert face.shape[:2] == (94, 90)
    code, out, _ = run("hits", "reasons")
    assert out.splitlines() == list(DEFAULT_DISMISS_REASONS)
    code, _, err = run("hits", "decide", hit_id, "dismiss", "--reason", "looks different")
    assert code == 1
    assert "is not a reason to dismiss a hit" in err
    code, out, err = run("hits", "decide", hit_id, "confirm", "--officer", "o2", "--note", "twin?")
    assert (code, err) == (0, "")
    assert out == f"hit {hit_id} confirmed: refer to second line; queued for HQ\n"
    assert run("hits", "list")[1] == "no hits waiting for a decision\n"
    code, out, _ = run("hits", "list", "--all", "--json")
    (shown,) = [json.loads(line) for line in out.splitlines()]
    assert shown["decision"]["decided_by"] == "o2"
    assert shown["decision"]["note"] == "twin?"
    assert shown["decision"]["referred_to_second_line"] is True
    code, _, err = run("hits", "evidence", "missing", str(tmp_path))
    assert code == 1
    assert "There is no hit missing" in err
