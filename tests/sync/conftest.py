"""Fixtures of the sync tests: no thread may outlive a test, and a real HQ on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import Hq, no_threads_left, running_hq, store_on

from checkpoint.sync.hq.store import HqStore


@pytest.fixture(autouse=True)
def _no_threads_left() -> Iterator[None]:
    with no_threads_left():
        yield


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HqStore]:
    with store_on("sqlite", tmp_path) as opened:
        yield opened


@pytest.fixture
def hq(store: HqStore) -> Iterator[Hq]:
    with running_hq(store) as running:
        yield running
