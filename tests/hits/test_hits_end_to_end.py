"""From the desk to headquarters, as a user runs it: scan a listed person's document, see the
hit with its reasons, find it queued, deliver it to a real `checkpoint hq serve`, decide it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from cli_process import run_cli as run
from cli_process import running_hq

from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.synth import photograph, render_specimen
from checkpoint.documents.synth.demo import ERIKSSON
from checkpoint.sync.station_token import save_token

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "watchlists" / "demo"


@pytest.fixture
def hq(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`checkpoint hq serve` in its own process on 127.0.0.1; yields its URL and home."""
    home = tmp_path / "hq-home"
    with running_hq(home) as url:
        yield url, home


def hq_items(home: Path) -> dict[str, tuple[str, dict[str, object]]]:
    with sqlite3.connect(home / "hq.db") as conn:
        rows = conn.execute("SELECT idempotency_key, kind, payload FROM hq_items").fetchall()
    return {key: (kind, json.loads(payload)) for key, kind, payload in rows}


def test_scan_raises_queues_and_delivers_a_hit(
    tmp_path: Path, checkpoint_home: Path, hq: tuple[str, Path]
) -> None:
    assert run("watchlist", "trust", str(DEMO / "DEMO-ONLY-signing-key.pub"))[0] == 0
    assert run("watchlist", "import", str(DEMO / "demo-list-v1.zip"))[0] == 0
    rng = np.random.default_rng(2026)
    specimen = render_specimen(MrzFormat.TD3, ERIKSSON, rng=rng)
    photo = photograph(specimen, rng, size=(1280, 720), fill=0.6, angle=8, degrade="clean")
    image = tmp_path / "eriksson.png"
    cv2.imwrite(str(image), photo.image)

    code, out, err = run("scan", str(image), "--json")
    assert code == 0, err
    (scanned,) = [json.loads(line) for line in out.splitlines()]
    screening = scanned["screening"]
    assert screening["hit"] is True
    reasons = {f["kind"]: f["reason"] for f in screening["findings"] if f["severity"] == "hit"}
    assert "stolen" in reasons["document_alert"]
    assert "ERIKSSON ANNA MARIA" in reasons["name"]
    assert screening["lists"][0]["list_id"] == "DEMO"
    assert len(screening["recorded_hits"]) == 2

    # The same document scanned again in the same run is one traveller: no second hit.
    code, out, err = run("scan", str(image), str(image))
    assert code == 0, err
    assert "HIT   document_alert: document L898902C3 (UTO) is listed as stolen" in out
    assert "HIT   name: name matches ERIKSSON ANNA MARIA" in out

    code, out, _ = run("outbox", "--json")
    assert code == 0
    assert json.loads(out)["pending"] == 4  # two from the first scan, two from the second

    url, hq_home = hq
    code, token, err = run("--home", str(hq_home), "hq", "token", "add", "DEMO-01")
    assert code == 0, err
    save_token(checkpoint_home, token.strip())
    code, out, err = run("sync", "--once", "--hq", url)
    assert (code, err) == (0, "")
    assert out == "sent 4 item(s)\n"
    received = hq_items(hq_home)
    hit_ids = screening["recorded_hits"]
    for hit_id in hit_ids:
        kind, payload = received[f"hit:{hit_id}"]
        assert kind == "hit"
        assert payload["station"] == "DEMO-01"
        assert payload["list_id"] == "DEMO"
        assert any(e["name"] == "document.jpg" for e in payload["evidence"])  # type: ignore[union-attr]

    # The officer's decision follows the hit to HQ.
    code, out, err = run(
        "hits", "decide", hit_ids[0], "dismiss", "--reason", "known false match", "--officer", "o7"
    )
    assert code == 0, err
    code, out, err = run("hits", "decide", hit_ids[0], "confirm")
    assert code == 1
    assert "already dismissed by o7" in err
    code, out, _ = run("hits", "list", "--all", "--json")
    decided = [json.loads(line) for line in out.splitlines() if json.loads(line)["decision"]]
    assert [d["hit_id"] for d in decided] == [hit_ids[0]]
    assert run("sync", "--once", "--hq", url)[1] == "sent 1 item(s)\n"
    kind, payload = hq_items(hq_home)[f"decision:{hit_ids[0]}"]
    assert kind == "decision"
    assert payload["outcome"] == "dismissed"
    assert payload["decided_by"] == "o7"
