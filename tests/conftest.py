"""Fixtures shared by the whole suite.

Every test gets its own empty Checkpoint home, so nothing reads or writes a real station's
data. Tests marked `shared_data` use the public material in ../shared/data and are skipped
cleanly when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CHECKPOINT_SHARED_DATA", REPO.parent / "shared" / "data"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED_DATA.is_dir():
        return
    skip = pytest.mark.skip(reason=f"shared test data not found at {SHARED_DATA}")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def shared_data() -> Path:
    """The folder of real public test material (tests using it are marked `shared_data`)."""
    return SHARED_DATA


@pytest.fixture(autouse=True)
def checkpoint_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty home folder for each test, also visible as CHECKPOINT_HOME."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CHECKPOINT_HOME", str(home))
    return home
