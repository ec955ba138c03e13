"""The shipped demo material works, and bundles are reproducible byte for byte."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from watchlist_helpers import PEOPLE, make_bundle, make_keys, run_cli

DEMO = Path(__file__).resolve().parents[2] / "watchlists" / "demo"


def test_demo_bundle_imports_and_screens(tmp_path: Path, checkpoint_home: Path) -> None:
    code, out, err = run_cli(
        checkpoint_home, "watchlist", "trust", str(DEMO / "DEMO-ONLY-signing-key.pub")
    )
    assert code == 0, err
    code, out, err = run_cli(checkpoint_home, "watchlist", "import", str(DEMO / "demo-list-v1.zip"))
    assert code == 0, err
    code, out, _ = run_cli(
        checkpoint_home,
        "screen",
        "--name",
        "ERIKSSON ANNA MARIA",
        "--dob",
        "1974-08-12",
        "--nationality",
        "UTO",
        "--sex",
        "F",
        "--document",
        "L898902C3",
        "--json",
    )
    result = json.loads(out)
    assert result["hit"]
    assert result["matches"][0]["entry_id"] == "DEMO-UTO-1"
    assert {hit["kind"] for hit in result["document_hits"]} == {"alert", "person"}
    code, out, _ = run_cli(
        checkpoint_home, "screen", "--name", "Иван Демонов", "--dob", "1969-05-01", "--json"
    )
    assert json.loads(out)["matches"][0]["entry_id"] == "DEMO-RUS-1"
    code, out, _ = run_cli(checkpoint_home, "watchlist", "status")
    assert "DEMO v1: current" in out


def test_same_input_gives_the_same_bundle(tmp_path: Path, checkpoint_home: Path) -> None:
    key = make_keys(tmp_path, checkpoint_home)
    created = datetime(2026, 1, 1, tzinfo=UTC)
    first = make_bundle(tmp_path / "a.zip", key, 1, persons=PEOPLE, created=created, days=5000)
    shutil.move(first, tmp_path / "first.zip")
    second = make_bundle(tmp_path / "a.zip", key, 1, persons=PEOPLE, created=created, days=5000)
    assert (tmp_path / "first.zip").read_bytes() == second.read_bytes()
