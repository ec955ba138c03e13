"""Fixtures of the review tests: a demo station's database in the test's own home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from checkpoint.accounts.session import StationSession


@pytest.fixture
def station(checkpoint_home: Path) -> StationSession:
    return StationSession.demo(checkpoint_home)


@pytest.fixture
def db(station: StationSession) -> Iterator[sqlite_utils.Database]:
    opened = station.open_database()
    yield opened
    opened.conn.close()
