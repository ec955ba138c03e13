"""Is HQ reachable? One cheap request to `/v1/health`, used to notice the network coming back.

While HQ is down the uploader probes with growing, jittered pauses instead of resending
whole batches: a probe costs a few hundred bytes, a batch can cost megabytes on a link that
is only just coming back.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from checkpoint.sync.protocol import HEALTH_PATH


@dataclass(frozen=True)
class ProbeResult:
    reachable: bool
    detail: str


def describe(exc: httpx.HTTPError) -> str:
    """A short reason for a failed request, for the outbox's last error and the log."""
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer in time ({type(exc).__name__})"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def probe(client: httpx.Client, timeout: float | None = None) -> ProbeResult:
    """Ask HQ's health endpoint once (relative to the client's base URL)."""
    try:
        if timeout is None:
            response = client.get(HEALTH_PATH)
        else:
            response = client.get(HEALTH_PATH, timeout=timeout)
    except httpx.HTTPError as exc:
        return ProbeResult(False, describe(exc))
    if response.status_code != 200:
        return ProbeResult(False, f"HQ answered {response.status_code} to the health probe")
    return ProbeResult(True, "HQ is up")
