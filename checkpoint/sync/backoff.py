"""How long to wait before trying HQ again: capped exponential backoff with full jitter.

Full jitter (a uniform delay between zero and the capped exponential) spreads the retries of
many stations that lost the network at the same moment, so they do not all come back in
lock-step and knock HQ over again. HQ's own `Retry-After` wins when it gives one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class BackoffPolicy:
    """The shape of the waits: the first ceiling, the largest ceiling, and the growth factor."""

    base: float = 1.0
    cap: float = 300.0
    factor: float = 2.0

    def ceiling(self, failures: int) -> float:
        """The largest delay after `failures` consecutive failures (1 = the first)."""
        if failures <= 0:
            return 0.0
        # Past ~1000 doublings the float overflows; the cap has long been reached by then.
        exponent = min(failures - 1, 1000)
        try:
            return min(self.cap, self.base * self.factor**exponent)
        except OverflowError:
            return self.cap


@dataclass
class Backoff:
    """Counts consecutive failures and draws the next delay with full jitter."""

    policy: BackoffPolicy = field(default_factory=BackoffPolicy)
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def failed(self) -> float:
        """Note one more failure; return how long to wait before the next try."""
        self.failures += 1
        return self.rng.uniform(0.0, self.policy.ceiling(self.failures))

    def succeeded(self) -> None:
        self.failures = 0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), if valid."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (moment - current).total_seconds())
