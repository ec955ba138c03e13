"""Fetching watchlist bundles from HQ: what HQ offers, which of them this station needs, the files.

HQ's listing only chooses which files to download; it vouches for nothing. Every file is then
verified and imported exactly like a bundle brought on a USB stick (signature against the
station's own trusted keys, newer version, hashes), so a compromised or mistaken HQ cannot
install anything a station would refuse from a file. For each list the plan is the chain of
deltas from the installed version to the newest one when HQ offers the whole chain (small
downloads), and otherwise the newest full bundle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx
from pydantic import ValidationError

from checkpoint.errors import CheckpointError
from checkpoint.sync.probe import describe
from checkpoint.sync.protocol import STATION_HEADER, WATCHLISTS_PATH, WatchlistsResponse
from checkpoint.sync.protocol import WatchlistBundleInfo as OfferedBundle

FETCH_TIMEOUT_S = 60.0
CHUNK = 1 << 16

Progress = Callable[[int, int], None]
"""`progress(bytes received, bytes expected)` while a bundle downloads."""

__all__ = ["FetchError", "OfferedBundle", "download", "hq_client", "offered", "plan_fetch"]


class FetchError(CheckpointError):
    """HQ could not be asked, refused the station, or sent a damaged file."""


def hq_client(hq_url: str, token: str, station_id: str | None = None) -> httpx.Client:
    """An HTTP client for HQ carrying the station's token (and its identifier, if known)."""
    headers = {"Authorization": f"Bearer {token}", "User-Agent": "checkpoint-station"}
    if station_id:
        headers[STATION_HEADER] = station_id
    return httpx.Client(
        base_url=hq_url.rstrip("/"), headers=headers, timeout=FETCH_TIMEOUT_S, follow_redirects=True
    )


def _refusal(response: httpx.Response, what: str) -> FetchError:
    url = response.request.url
    base = f"{url.scheme}://{url.netloc.decode()}"
    if response.status_code in (401, 403):
        return FetchError(
            f"HQ at {base} refused this station's token ({response.status_code}) when asked for "
            f"{what}: store the token HQ issued in the settings."
        )
    return FetchError(
        f"HQ at {base} answered {response.status_code} when asked for {what}: try again later."
    )


def offered(client: httpx.Client) -> list[OfferedBundle]:
    """The bundles HQ offers, as it lists them."""
    try:
        response = client.get(WATCHLISTS_PATH)
    except httpx.HTTPError as exc:
        raise FetchError(
            f"HQ at {client.base_url} cannot be reached ({describe(exc)}): check the network "
            "or import a bundle from a file."
        ) from exc
    if response.status_code != 200:
        raise _refusal(response, "its watchlists")
    try:
        return list(WatchlistsResponse.model_validate_json(response.content).bundles)
    except ValidationError as exc:
        raise FetchError(
            f"HQ at {client.base_url} sent a list of watchlists this station cannot read: "
            "update Checkpoint or ask HQ."
        ) from exc


def plan_fetch(
    bundles: Sequence[OfferedBundle], installed: Mapping[str, int]
) -> list[OfferedBundle]:
    """The bundles to fetch, in import order, to bring every offered list up to date."""
    by_list: dict[str, list[OfferedBundle]] = {}
    for bundle in bundles:
        by_list.setdefault(bundle.list_id, []).append(bundle)
    plan: list[OfferedBundle] = []
    for list_id in sorted(by_list):
        offers = by_list[list_id]
        newest = max(bundle.version for bundle in offers)
        current = installed.get(list_id)
        if current is not None and current >= newest:
            continue
        chain = _delta_chain(offers, current) if current is not None else []
        if not chain or chain[-1].version < newest:
            fulls = [b for b in offers if b.base_version is None and b.version > (current or 0)]
            if fulls:
                full = max(fulls, key=lambda b: b.version)
                # The deltas HQ built on that full bundle since, as far as they go.
                chain = [full, *_delta_chain(offers, full.version)]
        plan.extend(chain)
    return plan


def _delta_chain(offers: Sequence[OfferedBundle], start: int) -> list[OfferedBundle]:
    """Deltas that apply one after the other from version `start`, as far as HQ has them."""
    deltas: dict[int, OfferedBundle] = {}
    for bundle in offers:
        if bundle.base_version is not None and bundle.version > bundle.base_version:
            best = deltas.get(bundle.base_version)
            if best is None or bundle.version > best.version:
                deltas[bundle.base_version] = bundle
    chain: list[OfferedBundle] = []
    version = start
    while version in deltas:
        step = deltas[version]
        chain.append(step)
        version = step.version
    return chain


def download(
    client: httpx.Client, bundle: OfferedBundle, folder: Path, progress: Progress | None = None
) -> Path:
    """Download one bundle into `folder`; its SHA-256 must be the one HQ listed."""
    target = folder / f"{bundle.list_id}-v{bundle.version}.zip"
    digest = hashlib.sha256()
    received = 0
    try:
        with client.stream("GET", bundle.url) as response:
            if response.status_code != 200:
                raise _refusal(response, f"{bundle.list_id} version {bundle.version}")
            with target.open("wb") as stream:
                for block in response.iter_bytes(CHUNK):
                    stream.write(block)
                    digest.update(block)
                    received += len(block)
                    if progress is not None:
                        progress(received, bundle.size)
    except httpx.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise FetchError(
            f"The download of {bundle.list_id} version {bundle.version} from HQ broke off "
            f"({describe(exc)}): fetch again."
        ) from exc
    if digest.hexdigest() != bundle.sha256:
        target.unlink(missing_ok=True)
        raise FetchError(
            f"The download of {bundle.list_id} version {bundle.version} does not match what HQ "
            "listed (damaged on the way): fetch again."
        )
    return target
