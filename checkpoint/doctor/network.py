"""Headquarters: is it configured, can it be reached, does the station hold its token.

One health request with a short timeout: the station works offline by design, so an
unreachable HQ is reported with what to check, never waited on.
"""

from __future__ import annotations

import httpx

from checkpoint.doctor.model import Check, Station, fail, ok, warn
from checkpoint.doctor.station import is_demo_station
from checkpoint.sync.fetch import FetchError, hq_client, offered
from checkpoint.sync.probe import probe
from checkpoint.sync.station_token import TokenError, load_token


def hq(station: Station) -> Check:
    name = "HQ"
    url = station.settings.hq_url
    if not url:
        if is_demo_station(station):
            return ok(name, "no HQ address: the demo station works offline")
        return warn(
            name,
            "no HQ address is set: hits stay in the outbox and lists are not fetched",
            "set `hq_url` in the settings (Administration → Settings) to HQ's https:// address.",
        )
    with httpx.Client(base_url=url.rstrip("/")) as client:
        result = probe(client, timeout=station.hq_timeout_s)
    if not result.reachable:
        return fail(
            name,
            f"HQ at {url} is unreachable ({result.detail})",
            "check the network cable or VPN and the `hq_url` setting; meanwhile hits wait in "
            "the outbox and are sent when HQ answers again.",
        )
    store_token = "store the token HQ issued for this station: `checkpoint sync --set-token`."
    try:
        token = load_token(station.home)
    except TokenError:
        return warn(
            name,
            f"HQ at {url} answers, but this station holds no usable token, so HQ refuses it",
            store_token,
        )
    # Asking for the lists on offer proves the token (and the station id) are HQ's.
    with hq_client(url, token, station.settings.station_id) as client:
        client.timeout = httpx.Timeout(station.hq_timeout_s)
        try:
            offered(client)
        except FetchError as exc:
            # The sentence up to its colon says what happened; the fix is the doctor's own.
            what = str(exc).split(": ", 1)[0]
            if "refused" in what:
                return fail(name, f"{what}: nothing can be uploaded or fetched", store_token)
            return warn(name, what, "try again later; if it persists, ask HQ.")
    return ok(name, f"HQ at {url} answers and accepts the station's token")
