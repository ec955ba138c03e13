"""The reference HQ over real HTTP on 127.0.0.1, on SQLite and (when available) PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sync_helpers import STORES, Hq, register_station, running_hq, store_on

from checkpoint.sync.hq.app import MAX_BODY_BYTES
from checkpoint.sync.hq.auth import token_hash
from checkpoint.sync.hq.store import HqStore, SqliteHqStore
from checkpoint.sync.protocol import ItemsResponse
from checkpoint.watchlist.bundle import build_bundle


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HqStore]:
    with store_on(request.param, tmp_path) as opened:
        yield opened


@pytest.fixture
def hq(store: HqStore, tmp_path: Path) -> Iterator[Hq]:
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    with running_hq(store, bundles=bundles) as running:
        yield running


def batch(*keys: str, kind: str = "hit") -> dict[str, Any]:
    created = datetime(2026, 11, 23, 10, 0, tzinfo=UTC).isoformat()
    return {
        "items": [
            {"idempotency_key": k, "kind": kind, "created": created, "payload": {"key": k}}
            for k in keys
        ]
    }


def client(hq: Hq, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token or hq.token}"}
    return httpx.Client(base_url=hq.url, headers=headers, timeout=10)


def test_health_needs_no_token(hq: Hq) -> None:
    response = httpx.get(f"{hq.url}/v1/health", timeout=10)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("authorization", [None, "Bearer cpst_not-a-token", "Basic abc"])
def test_items_and_watchlists_need_a_known_token(hq: Hq, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with httpx.Client(base_url=hq.url, headers=headers, timeout=10) as http:
        for response in (http.post("/v1/items", json=batch("a")), http.get("/v1/watchlists")):
            assert response.status_code == 401
            assert response.headers["www-authenticate"] == "Bearer"
            assert "token" in response.json()["error"]
    assert hq.store.keys(hq.station) == []


def test_a_batch_delivered_twice_is_stored_once(hq: Hq) -> None:
    with client(hq) as http:
        first = ItemsResponse.model_validate_json(
            http.post("/v1/items", json=batch("a", "b", "c")).content
        )
        second = ItemsResponse.model_validate_json(
            http.post("/v1/items", json=batch("a", "b", "c")).content
        )
    assert [(r.idempotency_key, r.status) for r in first.results] == [
        ("a", "accepted"),
        ("b", "accepted"),
        ("c", "accepted"),
    ]
    assert [r.status for r in second.results] == ["duplicate"] * 3
    assert hq.store.keys(hq.station) == ["a", "b", "c"]
    assert hq.store.deliveries(hq.station) == {"a": 2, "b": 2, "c": 2}


def test_keys_are_per_station(hq: Hq) -> None:
    other = register_station(hq.store, "DESK-02")
    with client(hq) as mine, client(hq, other) as theirs:
        mine.post("/v1/items", json=batch("same"))
        answer = theirs.post("/v1/items", json=batch("same")).json()
    assert answer["results"][0]["status"] == "accepted"
    assert hq.store.keys(hq.station) == ["same"]
    assert hq.store.keys("DESK-02") == ["same"]


def test_an_invalid_item_is_rejected_alone(hq: Hq) -> None:
    body = batch("good-1", "good-2")
    body["items"].insert(1, {"idempotency_key": "bad", "kind": "Not A Kind!", "payload": {}})
    with client(hq) as http:
        answer = http.post("/v1/items", json=body).json()
    statuses = [(r["idempotency_key"], r["status"]) for r in answer["results"]]
    assert statuses == [("good-1", "accepted"), ("bad", "rejected"), ("good-2", "accepted")]
    assert "invalid" in answer["results"][1]["error"]
    assert hq.store.keys(hq.station) == ["good-1", "good-2"]


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"{not json", 400), (b'{"things": []}', 422), (b'{"items": []}', 422), (b"[1, 2]", 422)],
)
def test_malformed_batches_are_refused_whole(hq: Hq, content: bytes, status: int) -> None:
    with client(hq) as http:
        response = http.post("/v1/items", content=content)
    assert response.status_code == status
    assert response.json()["error"].endswith(".")


def test_an_oversized_body_is_refused_without_storing(hq: Hq) -> None:
    body = batch("big")
    body["items"][0]["payload"] = {"blob": "x" * (MAX_BODY_BYTES + 1)}
    with client(hq) as http:
        response = http.post("/v1/items", json=body)
    assert response.status_code == 413
    assert hq.store.keys(hq.station) == []


def test_concurrent_retries_of_one_batch_store_each_item_once(hq: Hq) -> None:
    keys = [f"k{n}" for n in range(40)]
    answers: list[dict[str, Any]] = []
    start = threading.Barrier(6)

    def post() -> None:
        with client(hq) as http:
            start.wait()
            answers.append(http.post("/v1/items", json=batch(*keys)).json())

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 6
    accepted = [
        r["idempotency_key"] for a in answers for r in a["results"] if r["status"] == "accepted"
    ]
    assert sorted(accepted) == sorted(keys)
    assert sorted(hq.store.keys(hq.station)) == sorted(keys)
    assert set(hq.store.deliveries(hq.station).values()) == {6}


def test_tokens_are_hashed_at_rest(tmp_path: Path) -> None:
    path = tmp_path / "hq.db"
    store = SqliteHqStore(path)
    try:
        with running_hq(store) as hq, client(hq) as http:
            assert http.post("/v1/items", json=batch("x")).status_code == 200
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("hq.db"))
        assert hq.token.encode() not in raw
        assert token_hash(hq.token).encode() in raw
    finally:
        store.close()


def test_openapi_describes_every_route(hq: Hq) -> None:
    document = httpx.get(f"{hq.url}/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/v1/health",
        "/v1/items",
        "/v1/watchlists",
        "/v1/watchlists/{list_id}/{version}",
    }
    schemas = document["components"]["schemas"]
    assert {"ItemsRequest", "ItemsResponse", "Item", "ItemResult"} <= set(schemas)
    refs: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs
    assert all(ref.removeprefix("#/components/schemas/") in schemas for ref in refs)


def test_watchlist_bundles_are_listed_and_served(hq: Hq, tmp_path: Path) -> None:
    bundles = tmp_path / "bundles"
    key = Ed25519PrivateKey.generate()
    build_bundle(bundles / "demo-3.zip", key=key, list_id="demo", version=3, list_name="Demo")
    build_bundle(bundles / "demo-4.zip", key=key, list_id="demo", version=4, base_version=3)
    (bundles / "notes.txt").write_text("not a bundle")
    with client(hq) as http:
        listing = http.get("/v1/watchlists").json()["bundles"]
        assert [(b["list_id"], b["version"], b["base_version"]) for b in listing] == [
            ("demo", 3, None),
            ("demo", 4, 3),
        ]
        assert listing[0]["name"] == "Demo"
        download = http.get(listing[1]["url"])
        missing = http.get("/v1/watchlists/demo/5")
    expected = (bundles / "demo-4.zip").read_bytes()
    assert download.status_code == 200
    assert download.content == expected
    assert listing[1]["sha256"] == hashlib.sha256(expected).hexdigest()
    assert listing[1]["size"] == len(expected)
    assert missing.status_code == 404


def test_a_revoked_token_is_refused(hq: Hq) -> None:
    with client(hq) as http:
        assert http.post("/v1/items", json=batch("before")).status_code == 200
        assert hq.store.revoke(hq.station) == 1
        assert http.post("/v1/items", json=batch("after")).status_code == 401
    assert hq.store.revoke(hq.station) == 0
    assert hq.store.keys(hq.station) == ["before"]
