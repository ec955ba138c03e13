"""Signed watchlist bundles: one zip file with a manifest, its Ed25519 signature and payloads.

The manifest names the list, its version (and the base version for a delta), when it was
made and when it expires, how many records each payload holds, and the SHA-256 and size
of every payload file. The signature covers the manifest's exact bytes, so one verified
signature vouches for every payload through its hash. Verification reads everything and
checks everything (format, trusted signer, signature, expiry, hashes, record shapes) and
returns the parsed records; nothing is written anywhere until it has succeeded. The layout
is documented in watchlists/README.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkpoint.watchlist.keys import TrustedKey, key_id
from checkpoint.watchlist.model import DocumentAlert, Person, WatchlistError, document_key

FORMAT = "checkpoint-watchlist"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAYLOADS = (
    "persons.jsonl",
    "names.jsonl",
    "documents.jsonl",
    "alerts.jsonl",
    "templates.jsonl",
    "templates.f32",
    "deletions.jsonl",
)
RECORD_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "persons.jsonl": {
        "entry_id": str,
        "birth_dates": list,
        "nationalities": list,
        "sex": (str, type(None)),
        "category": str,
        "reason": str,
        "action": str,
    },
    "names.jsonl": {"entry_id": str, "name": str, "quality": str},
    "documents.jsonl": {
        "entry_id": str,
        "number": str,
        "issuer": (str, type(None)),
        "type": (str, type(None)),
    },
    "alerts.jsonl": {
        "alert_id": str,
        "number": str,
        "issuer": (str, type(None)),
        "type": (str, type(None)),
        "reason": str,
    },
    "templates.jsonl": {"entry_id": str, "model": str, "model_version": str},
    "deletions.jsonl": {"kind": str, "id": str},
}
CHUNK = 1 << 20


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Manifest:
    list_id: str
    list_name: str
    version: int
    base_version: int | None
    created: datetime
    expires: datetime
    signer: str
    counts: dict[str, int]
    files: dict[str, dict[str, Any]]
    template_dim: int

    @property
    def kind(self) -> str:
        return "full" if self.base_version is None else "delta"


@dataclass(frozen=True)
class BundleContent:
    """A verified bundle: its manifest, and every payload's records."""

    manifest: Manifest
    sha256: str
    records: dict[str, list[dict[str, Any]]]
    templates: npt.NDArray[np.float32]


class _HashingWriter:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.stream.write(data)


def person_records(person: Person) -> Iterator[tuple[str, dict[str, Any]]]:
    """The payload records of one person, as (file name, record)."""
    yield (
        "persons.jsonl",
        {
            "entry_id": person.entry_id,
            "birth_dates": [str(d) for d in person.birth_dates],
            "nationalities": list(person.nationalities),
            "sex": person.sex,
            "category": person.category,
            "reason": person.reason,
            "action": person.action,
        },
    )
    for name in person.names:
        yield (
            "names.jsonl",
            {"entry_id": person.entry_id, "name": name.name, "quality": name.quality},
        )
    for document in person.documents:
        yield (
            "documents.jsonl",
            {
                "entry_id": person.entry_id,
                "number": document.number,
                "issuer": document.issuer,
                "type": document.doc_type,
            },
        )


def alert_record(alert: DocumentAlert) -> dict[str, Any]:
    return {
        "alert_id": alert.alert_id,
        "number": alert.number,
        "issuer": alert.issuer,
        "type": alert.doc_type,
        "reason": alert.reason,
    }


def build_bundle(
    out: Path,
    *,
    key: Ed25519PrivateKey,
    list_id: str,
    version: int,
    persons: Iterable[Person] = (),
    alerts: Iterable[DocumentAlert] = (),
    deleted_persons: Iterable[str] = (),
    deleted_alerts: Iterable[str] = (),
    base_version: int | None = None,
    list_name: str | None = None,
    created: datetime | None = None,
    valid_for: timedelta = timedelta(days=30),
) -> Manifest:
    """Write a signed bundle (full, or a delta on `base_version`) streaming the records."""
    if version < 1 or (base_version is not None and base_version >= version):
        raise WatchlistError("The version must be positive and newer than the base version.")
    made = (created or datetime.now(UTC)).replace(microsecond=0)
    counts = dict.fromkeys(("persons", "names", "documents", "alerts", "templates", "deletions"), 0)
    dim = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    # A zip takes one member at a time: payloads are written (and hashed) to a scratch
    # folder beside the output, then stored.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".bundle-") as scratch:
        folder = Path(scratch)
        handles = {name: (folder / name).open("wb") for name in PAYLOADS}
        writers = {name: _HashingWriter(handle) for name, handle in handles.items()}
        seen: set[str] = set()
        models: set[tuple[str, str]] = set()
        try:
            for person in persons:
                if person.entry_id in seen:
                    raise WatchlistError(f"Entry {person.entry_id} appears twice: fix the source.")
                seen.add(person.entry_id)
                for name, record in person_records(person):
                    writers[name].write(_line(record))
                    counts[name.split(".")[0]] += 1
                for template in person.templates:
                    vector = np.asarray(template.vector, dtype="<f4").ravel()
                    if dim and vector.size != dim:
                        raise WatchlistError(
                            "Face templates of different sizes cannot share a bundle."
                        )
                    dim = vector.size
                    models.add((template.model, template.model_version))
                    writers["templates.jsonl"].write(
                        _line(
                            {
                                "entry_id": person.entry_id,
                                "model": template.model,
                                "model_version": template.model_version,
                            }
                        )
                    )
                    writers["templates.f32"].write(vector.tobytes())
                    counts["templates"] += 1
            for alert in alerts:
                writers["alerts.jsonl"].write(_line(alert_record(alert)))
                counts["alerts"] += 1
            for kind, ids in (("person", deleted_persons), ("alert", deleted_alerts)):
                for item in ids:
                    writers["deletions.jsonl"].write(_line({"kind": kind, "id": item}))
                    counts["deletions"] += 1
        finally:
            for handle in handles.values():
                handle.close()
        if len(models) > 1:
            raise WatchlistError("Face templates from different models cannot share a bundle.")
        files = {
            name: {"sha256": writer.digest.hexdigest(), "size": writer.size}
            for name, writer in writers.items()
        }
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "list_id": list_id,
            "list_name": list_name or list_id,
            "kind": "full" if base_version is None else "delta",
            "version": version,
            "base_version": base_version,
            "created": _iso(made),
            "expires": _iso(made + valid_for),
            "signer": key_id(key.public_key()),
            "counts": counts,
            "template_dim": dim,
            "files": files,
        }
        manifest_bytes = json.dumps(document, indent=2, sort_keys=True).encode() + b"\n"
        # Every member carries the creation time, so the same input gives the same bytes.
        stamp = made.astimezone(UTC).timetuple()[:6]
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo(MANIFEST, stamp), manifest_bytes)
            signature = base64.b64encode(key.sign(manifest_bytes)) + b"\n"
            archive.writestr(zipfile.ZipInfo(SIGNATURE, stamp), signature)
            for name in PAYLOADS:
                member = zipfile.ZipInfo(name, stamp)
                # Float vectors do not compress; storing them saves the time.
                member.compress_type = (
                    zipfile.ZIP_STORED if name.endswith(".f32") else zipfile.ZIP_DEFLATED
                )
                with (
                    (folder / name).open("rb") as source,
                    archive.open(member, "w", force_zip64=True) as target,
                ):
                    shutil.copyfileobj(source, target, CHUNK)
    partial.replace(out)
    return _manifest(document)


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _manifest(document: dict[str, Any]) -> Manifest:
    try:
        if document["format"] != FORMAT or document["format_version"] != FORMAT_VERSION:
            raise WatchlistError(
                "The bundle is in a format this Checkpoint does not know: update Checkpoint."
            )
        base = document["base_version"]
        manifest = Manifest(
            list_id=str(document["list_id"]),
            list_name=str(document["list_name"]),
            version=int(document["version"]),
            base_version=None if base is None else int(base),
            created=parse_time(document["created"]),
            expires=parse_time(document["expires"]),
            signer=str(document["signer"]),
            counts={str(k): int(v) for k, v in document["counts"].items()},
            files=dict(document["files"]),
            template_dim=int(document["template_dim"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WatchlistError(
            f"The bundle's manifest is malformed ({exc}): ask HQ for a new one."
        ) from exc
    if set(manifest.files) != set(PAYLOADS):
        raise WatchlistError(
            "The bundle's manifest does not list the expected files: ask HQ for a new one."
        )
    return manifest


def read_manifest(path: Path, trusted: dict[str, TrustedKey]) -> tuple[Manifest, TrustedKey]:
    """The bundle's manifest after checking its signature against the trusted keys."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest_bytes = archive.read(MANIFEST)
            signature = base64.b64decode(archive.read(SIGNATURE), validate=False)
    except FileNotFoundError as exc:
        raise WatchlistError(f"{path} does not exist: check the path.") from exc
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise WatchlistError(
            f"{path} is damaged or truncated ({_reason(exc)}): copy it again."
        ) from exc
    try:
        document = json.loads(manifest_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WatchlistError(
            "The bundle's manifest is not readable JSON: ask HQ for a new one."
        ) from exc
    if not isinstance(document, dict):
        raise WatchlistError("The bundle's manifest is malformed: ask HQ for a new one.")
    signer = str(document.get("signer", ""))
    key = trusted.get(signer)
    if key is None:
        raise WatchlistError(
            f"The bundle is signed by key {signer or '(none)'}, which this station does not trust: "
            "add HQ's public key with `checkpoint watchlist trust`."
        )
    if not key.verifies(signature, manifest_bytes):
        raise WatchlistError(
            "The bundle's signature does not verify: it was altered or signed with another "
            "key; do not use it."
        )
    return _manifest(document), key


def verify_bundle(
    path: Path,
    trusted: dict[str, TrustedKey],
    now: datetime | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> BundleContent:
    """Check everything about a bundle and return its records; raise WatchlistError otherwise.

    `progress(name, done)` hears after each payload file is checked (done of `len(PAYLOADS)`),
    so a window can show a large bundle's verification moving.
    """
    manifest, _ = read_manifest(path, trusted)
    moment = now or datetime.now(UTC)
    if moment >= manifest.expires:
        raise WatchlistError(
            f"The bundle for {manifest.list_id} version {manifest.version} expired on "
            f"{_iso(manifest.expires)}: get a current one from HQ."
        )
    digest = hashlib.sha256()
    records: dict[str, list[dict[str, Any]]] = {}
    vectors = b""
    try:
        with path.open("rb") as raw:
            for block in iter(lambda: raw.read(CHUNK), b""):
                digest.update(block)
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            extra = names - set(PAYLOADS) - {MANIFEST, SIGNATURE}
            if extra:
                raise WatchlistError(
                    "The bundle holds files its manifest does not vouch for "
                    f"({', '.join(sorted(extra))}): do not use it."
                )
            for done, name in enumerate(PAYLOADS, start=1):
                expected = manifest.files[name]
                data = archive.read(name)
                if (
                    len(data) != expected["size"]
                    or hashlib.sha256(data).hexdigest() != expected["sha256"]
                ):
                    raise WatchlistError(
                        f"The bundle's {name} does not match its manifest (altered, or from "
                        "another bundle): do not use it."
                    )
                if name == "templates.f32":
                    vectors = data
                else:
                    records[name] = _parse_records(name, data)
                if progress is not None:
                    progress(name, done)
    except WatchlistError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, ValueError) as exc:
        raise WatchlistError(
            f"{path} is damaged or truncated ({_reason(exc)}): copy it again."
        ) from exc
    dim = manifest.template_dim
    count = len(records["templates.jsonl"])
    if len(vectors) != count * dim * 4 or (count and not dim):
        raise WatchlistError(
            "The bundle's face templates do not match their index: ask HQ for a new one."
        )
    templates = (
        np.frombuffer(vectors, dtype="<f4").reshape(count, dim)
        if count
        else np.zeros((0, dim), np.float32)
    )
    expected_counts = {
        "persons": len(records["persons.jsonl"]),
        "names": len(records["names.jsonl"]),
        "documents": len(records["documents.jsonl"]),
        "alerts": len(records["alerts.jsonl"]),
        "templates": count,
        "deletions": len(records["deletions.jsonl"]),
    }
    if expected_counts != {k: manifest.counts.get(k, -1) for k in expected_counts}:
        raise WatchlistError(
            "The bundle's record counts do not match its manifest: ask HQ for a new one."
        )
    _check_references(records)
    return BundleContent(
        manifest, digest.hexdigest(), records, templates.astype(np.float32, copy=False)
    )


def _reason(exc: BaseException) -> str:
    return str(exc).rstrip(".") or type(exc).__name__


def _parse_records(name: str, data: bytes) -> list[dict[str, Any]]:
    fields = list(RECORD_FIELDS[name].items())
    lines = data.splitlines()
    try:
        # One parse of all lines as a JSON array is several times faster than one per line;
        # JSON Lines cannot hold a raw newline inside a value, so the join is exact.
        parsed = json.loads(b"[" + b",".join(lines) + b"]") if lines else []
    except (UnicodeDecodeError, json.JSONDecodeError):
        parsed = None
    records: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if parsed is not None and len(parsed) == len(lines):
            record = parsed[number - 1]
        else:
            try:
                record = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise WatchlistError(
                    f"The bundle's {name} line {number} is not JSON: ask HQ for a new one."
                ) from exc
        if not isinstance(record, dict) or any(
            not isinstance(record.get(field), kind) for field, kind in fields
        ):
            raise WatchlistError(
                f"The bundle's {name} line {number} is malformed: ask HQ for a new one."
            )
        records.append(record)
    return records


def _check_references(records: dict[str, list[dict[str, Any]]]) -> None:
    entries = {record["entry_id"] for record in records["persons.jsonl"]}
    if len(entries) != len(records["persons.jsonl"]):
        raise WatchlistError("The bundle lists a person twice: ask HQ for a new one.")
    for name in ("names.jsonl", "documents.jsonl", "templates.jsonl"):
        if any(record["entry_id"] not in entries for record in records[name]):
            raise WatchlistError(
                f"The bundle's {name} refers to persons it does not hold: ask HQ for a new one."
            )
    if any(record["kind"] not in ("person", "alert") for record in records["deletions.jsonl"]):
        raise WatchlistError("The bundle's deletions are malformed: ask HQ for a new one.")
    for record in records["alerts.jsonl"]:
        if not document_key(record["number"]):
            raise WatchlistError(
                "The bundle holds a document alert without a number: ask HQ for a new one."
            )
