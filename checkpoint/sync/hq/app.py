"""The reference HQ as a Starlette application.

Endpoints (all JSON; errors are `{"error": "<one sentence>"}`):

- `GET /v1/health`: a cheap probe, touches no database, needs no token.
- `POST /v1/items`: a batch of station items, Bearer station token. Every item is validated
  on its own, so one malformed item is rejected alone instead of failing its whole batch;
  the others are stored idempotently and reported `accepted` or `duplicate`.
- `GET /v1/watchlists` and `GET /v1/watchlists/{list_id}/{version}`: the signed bundles of
  the `--bundles` folder, for online sync (the station verifies signatures itself).
- `GET /openapi.json`: the API description, built from the pydantic models in
  `checkpoint.sync.protocol` so it always matches the code.

The store is blocking (sqlite3, psycopg); its calls run in Starlette's thread pool so the
event loop keeps serving probes while a batch is written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from checkpoint import __version__
from checkpoint.sync.hq.auth import bearer_token, token_hash
from checkpoint.sync.hq.store import HqStore
from checkpoint.sync.protocol import (
    HEALTH_PATH,
    ITEMS_PATH,
    MAX_BATCH_ITEMS,
    OPENAPI_PATH,
    STATION_HEADER,
    WATCHLISTS_PATH,
    ErrorBody,
    Health,
    Item,
    ItemResult,
    ItemsRequest,
    ItemsResponse,
    WatchlistBundleInfo,
    WatchlistsResponse,
)
from checkpoint.watchlist.bundle import MANIFEST

log = logging.getLogger("checkpoint.sync.hq")

MAX_BODY_BYTES = 32 * 1024 * 1024


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(error=message).model_dump(), status_code=status, headers=headers)


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


async def _read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it grows past `limit` (never buffered whole)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class _Bundle:
    info: WatchlistBundleInfo
    path: Path


class BundleFolder:
    """The bundles in a folder, read from their manifests; hashes are cached per file state."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._cache: dict[Path, tuple[tuple[int, int], _Bundle | None]] = {}

    def bundles(self) -> list[_Bundle]:
        found: list[_Bundle] = []
        paths = (
            sorted(p for p in self.folder.iterdir() if p.is_file()) if self.folder.is_dir() else []
        )
        for path in paths:
            stat = path.stat()
            state = (stat.st_mtime_ns, stat.st_size)
            with self._lock:
                cached = self._cache.get(path)
            if cached is None or cached[0] != state:
                cached = (state, self._read(path, stat.st_size))
                with self._lock:
                    self._cache[path] = cached
            if cached[1] is not None:
                found.append(cached[1])
        found.sort(key=lambda b: (b.info.list_id, b.info.version))
        return found

    def find(self, list_id: str, version: int) -> _Bundle | None:
        for bundle in self.bundles():
            if bundle.info.list_id == list_id and bundle.info.version == version:
                return bundle
        return None

    @staticmethod
    def _read(path: Path, size: int) -> _Bundle | None:
        try:
            with zipfile.ZipFile(path) as archive:
                manifest = json.loads(archive.read(MANIFEST))
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            list_id = str(manifest["list_id"])
            version = int(manifest["version"])
            base = manifest.get("base_version")
            info = WatchlistBundleInfo(
                list_id=list_id,
                name=str(manifest.get("list_name") or list_id),
                version=version,
                base_version=None if base is None else int(base),
                created=str(manifest.get("created", "")),
                expires=str(manifest.get("expires", "")),
                size=size,
                sha256=digest.hexdigest(),
                url=f"{WATCHLISTS_PATH}/{list_id}/{version}",
            )
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
            log.warning("skipping %s: not a readable watchlist bundle (%s)", path, exc)
            return None
        return _Bundle(info=info, path=path)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the HQ API."""
    models: list[type[BaseModel]] = [
        ItemsRequest,
        ItemsResponse,
        ItemResult,
        Item,
        Health,
        WatchlistsResponse,
        WatchlistBundleInfo,
        ErrorBody,
    ]
    _, schemas = models_json_schema(
        [(model, "validation") for model in models], ref_template="#/components/schemas/{model}"
    )

    def ref(name: str) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{name}"}

    def body(name: str, description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": ref(name)}}}

    error = body("ErrorBody", "an error, explained in one sentence")
    secured: list[dict[str, list[str]]] = [{"stationToken": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Checkpoint HQ",
            "version": __version__,
            "description": "Accepts station uploads idempotently and serves watchlist bundles.",
        },
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {"stationToken": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            HEALTH_PATH: {
                "get": {
                    "summary": "Cheap reachability probe",
                    "responses": {"200": body("Health", "HQ is up")},
                }
            },
            ITEMS_PATH: {
                "post": {
                    "summary": "Upload a batch of items; each takes effect once per key",
                    "security": secured,
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("ItemsRequest")}},
                    },
                    "responses": {
                        "200": body("ItemsResponse", "one result per item, in order"),
                        "400": error,
                        "401": error,
                        "403": error,
                        "413": error,
                        "422": error,
                    },
                }
            },
            WATCHLISTS_PATH: {
                "get": {
                    "summary": "The watchlist bundles on offer",
                    "security": secured,
                    "responses": {"200": body("WatchlistsResponse", "bundles"), "401": error},
                }
            },
            WATCHLISTS_PATH + "/{list_id}/{version}": {
                "get": {
                    "summary": "Download one signed bundle",
                    "security": secured,
                    "parameters": [
                        {
                            "name": "list_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "version",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "the bundle (zip)",
                            "content": {"application/zip": {}},
                        },
                        "401": error,
                        "404": error,
                    },
                }
            },
        },
    }


def create_app(
    store: HqStore, bundles: Path | None = None, *, max_batch: int = MAX_BATCH_ITEMS
) -> Starlette:
    """The HQ service over `store`, offering the bundles in `bundles` (if given)."""
    folder = BundleFolder(bundles) if bundles is not None else None
    document = openapi_document()

    async def station_of(request: Request) -> str | None:
        token = bearer_token(request.headers.get("authorization"))
        if token is None:
            return None
        return await run_in_threadpool(store.station_for, token_hash(token))

    def unauthorised() -> JSONResponse:
        return _error(
            401,
            "The station token is missing or unknown: ask HQ for a token "
            "(`checkpoint hq token add STATION`).",
            {"WWW-Authenticate": "Bearer"},
        )

    async def health(request: Request) -> Response:
        return JSONResponse(Health(time=datetime.now(UTC)).model_dump(mode="json"))

    async def post_items(request: Request) -> Response:
        station = await station_of(request)
        if station is None:
            return unauthorised()
        claimed = request.headers.get(STATION_HEADER)
        if claimed is not None and claimed != station:
            return _error(
                403,
                f"This token belongs to station {station}, not {claimed}: store the token HQ "
                f"issued for {claimed} on this station.",
            )
        raw = await _read_limited(request, MAX_BODY_BYTES)
        if raw is None:
            return _error(413, "The batch is too large: send fewer items per request.")
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error(400, 'The request body is not JSON: send {"items": [...]}.')
        if not isinstance(document, dict) or not isinstance(document.get("items"), list):
            return _error(422, 'The request body must be {"items": [...]}: fix the client.')
        entries = document["items"]
        if not entries:
            return _error(422, "The batch is empty: send at least one item.")
        if len(entries) > max_batch:
            return _error(
                413, f"The batch has {len(entries)} items, more than {max_batch}: split it."
            )
        results: list[ItemResult | None] = []
        valid: list[Item] = []
        for entry in entries:
            try:
                item = Item.model_validate(entry)
            except ValidationError as exc:
                key = entry.get("idempotency_key") if isinstance(entry, dict) else None
                results.append(
                    ItemResult(
                        idempotency_key=str(key or ""),
                        status="rejected",
                        error=f"The item is invalid ({_validation_message(exc)}).",
                    )
                )
                continue
            results.append(None)
            valid.append(item)
        statuses = await run_in_threadpool(store.store_items, station, valid) if valid else []
        stored = iter(zip(valid, statuses, strict=True))
        answer = []
        for result in results:
            if result is None:
                item, status = next(stored)
                answer.append(ItemResult(idempotency_key=item.idempotency_key, status=status))
            else:
                answer.append(result)
        return JSONResponse(ItemsResponse(results=answer).model_dump(mode="json"))

    async def list_watchlists(request: Request) -> Response:
        if await station_of(request) is None:
            return unauthorised()
        found = await run_in_threadpool(folder.bundles) if folder is not None else []
        response = WatchlistsResponse(bundles=[bundle.info for bundle in found])
        return JSONResponse(response.model_dump(mode="json"))

    async def get_watchlist(request: Request) -> Response:
        if await station_of(request) is None:
            return unauthorised()
        list_id = str(request.path_params["list_id"])
        version = int(request.path_params["version"])
        bundle = await run_in_threadpool(folder.find, list_id, version) if folder else None
        if bundle is None:
            return _error(404, f"HQ has no bundle {list_id} version {version}: list them first.")
        return FileResponse(
            bundle.path,
            media_type="application/zip",
            filename=bundle.path.name,
            headers={"X-Checkpoint-SHA256": bundle.info.sha256},
        )

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(exc.status_code, f"{exc.detail}: check the address and method.")

    return Starlette(
        routes=[
            Route(HEALTH_PATH, health, methods=["GET"]),
            Route(ITEMS_PATH, post_items, methods=["POST"]),
            Route(WATCHLISTS_PATH, list_watchlists, methods=["GET"]),
            Route(WATCHLISTS_PATH + "/{list_id}/{version:int}", get_watchlist, methods=["GET"]),
            Route(OPENAPI_PATH, openapi, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error},
    )
