"""Backoff delays (capped exponential, full jitter) and Retry-After parsing."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from checkpoint.sync.backoff import Backoff, BackoffPolicy, parse_retry_after


def test_ceiling_doubles_then_caps() -> None:
    policy = BackoffPolicy(base=0.5, cap=10.0)
    assert [policy.ceiling(n) for n in range(7)] == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0]
    assert policy.ceiling(10_000) == 10.0


def test_full_jitter_spreads_delays_over_the_whole_range() -> None:
    backoff = Backoff(BackoffPolicy(base=1.0, cap=8.0), random.Random(7))
    delays = []
    for _ in range(2000):
        backoff.succeeded()
        for _ in range(5):
            delay = backoff.failed()
        delays.append(delay)
    # After five failures the ceiling is the cap; full jitter draws uniformly below it.
    assert all(0.0 <= d <= 8.0 for d in delays)
    assert min(delays) < 0.5
    assert max(delays) > 7.5
    assert 3.5 < sum(delays) / len(delays) < 4.5


def test_success_resets_the_failure_count() -> None:
    backoff = Backoff(BackoffPolicy(base=1.0, cap=1000.0), random.Random(1))
    for _ in range(6):
        backoff.failed()
    assert backoff.failures == 6
    backoff.succeeded()
    assert backoff.failed() <= 1.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), (" 0 ", 0.0), (None, None), ("soon", None), ("-5", None)],
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_http_date() -> None:
    now = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(header, now) == 90.0
    past = format_datetime(now - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(past, now) == 0.0
