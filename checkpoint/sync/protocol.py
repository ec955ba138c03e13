"""The HQ API's request and response bodies, shared by the uploader and the reference HQ.

Pydantic models at the HTTP edge: both sides validate what crosses the wire with the same
definitions, and the OpenAPI description is generated from them, so the documented API and
the code cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/v1"
HEALTH_PATH = "/v1/health"
ITEMS_PATH = "/v1/items"
WATCHLISTS_PATH = "/v1/watchlists"
OPENAPI_PATH = "/openapi.json"
# The station identifier the client believes it is; HQ answers 403 when the token says otherwise.
STATION_HEADER = "X-Checkpoint-Station"

# HQ refuses larger batches with 413; the uploader sends far fewer per request.
MAX_BATCH_ITEMS = 1000
MAX_KEY_LENGTH = 200
KIND_PATTERN = r"^[a-z][a-z0-9_.-]{0,63}$"

ItemStatus = Literal["accepted", "duplicate", "rejected"]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Item(_Body):
    """One thing the station recorded: a hit, a decision, a review, ..."""

    idempotency_key: str = Field(
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        description="Unique per station; HQ keeps the first item with a given key and "
        "answers 'duplicate' for every later one.",
    )
    kind: str = Field(pattern=KIND_PATTERN, description="hit, decision, review, ...")
    created: datetime = Field(description="When the station recorded the item (UTC).")
    payload: dict[str, Any] = Field(description="The item itself, as the station recorded it.")


class ItemsRequest(_Body):
    """A batch of items from one station (the station is the one the token belongs to)."""

    items: list[Item] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class ItemResult(_Body):
    idempotency_key: str
    status: ItemStatus = Field(
        description="accepted: stored now; duplicate: stored before; rejected: never will be."
    )
    error: str | None = None


class ItemsResponse(_Body):
    """One result per item of the request, in the same order."""

    results: list[ItemResult]


class Health(_Body):
    status: Literal["ok"] = "ok"
    service: str = "checkpoint-hq"
    time: datetime


class WatchlistBundleInfo(_Body):
    """A signed bundle HQ offers; the station verifies it itself before importing."""

    list_id: str
    name: str
    version: int
    base_version: int | None = None
    created: str
    expires: str
    size: int
    sha256: str
    url: str = Field(description="Path of the bundle file, relative to the HQ address.")


class WatchlistsResponse(_Body):
    bundles: list[WatchlistBundleInfo]


class ErrorBody(_Body):
    error: str = Field(description="One sentence: what went wrong and what to do.")
