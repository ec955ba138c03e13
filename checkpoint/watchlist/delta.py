"""Working out a delta bundle: what changed between the previous bundle and the new sources.

HQ builds deltas from the bundle it published last (verified with its own key), so a
delta always applies to exactly the version stations hold.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkpoint.watchlist.bundle import alert_record, person_records, verify_bundle
from checkpoint.watchlist.keys import TrustedKey, key_id
from checkpoint.watchlist.model import DocumentAlert, ListContent, Person


@dataclass(frozen=True)
class Delta:
    list_id: str
    base_version: int
    persons: tuple[Person, ...]
    alerts: tuple[DocumentAlert, ...]
    deleted_persons: tuple[str, ...]
    deleted_alerts: tuple[str, ...]


def _person_fingerprint(person: Person) -> str:
    records = [record for _, record in person_records(person)]
    vectors = [np.asarray(t.vector, dtype="<f4").tobytes().hex() for t in person.templates]
    return json.dumps([records, vectors], sort_keys=True, ensure_ascii=False)


def diff_against_bundle(previous: Path, key: Ed25519PrivateKey, new: ListContent) -> Delta:
    """The changes from the bundle `previous` (signed by `key`) to the content `new`."""
    public = key.public_key()
    old = verify_bundle(previous, {key_id(public): TrustedKey(key_id(public), "self", public)})
    grouped: dict[str, list[list[object]]] = defaultdict(lambda: [[], []])
    for name in ("persons.jsonl", "names.jsonl", "documents.jsonl"):
        for record in old.records[name]:
            grouped[record["entry_id"]][0].append(record)
    for row, record in enumerate(old.records["templates.jsonl"]):
        grouped[record["entry_id"]][1].append(old.templates[row].astype("<f4").tobytes().hex())
    # Records of one person appear in file order: persons, names, documents, as built.
    old_people = {
        entry: json.dumps(parts, sort_keys=True, ensure_ascii=False)
        for entry, parts in grouped.items()
    }
    old_alerts = {
        r["alert_id"]: json.dumps(r, sort_keys=True, ensure_ascii=False)
        for r in old.records["alerts.jsonl"]
    }
    changed = tuple(p for p in new.persons if old_people.get(p.entry_id) != _person_fingerprint(p))
    new_ids = {p.entry_id for p in new.persons}
    changed_alerts = tuple(
        a
        for a in new.alerts
        if old_alerts.get(a.alert_id)
        != json.dumps(alert_record(a), sort_keys=True, ensure_ascii=False)
    )
    new_alert_ids = {a.alert_id for a in new.alerts}
    return Delta(
        list_id=old.manifest.list_id,
        base_version=old.manifest.version,
        persons=changed,
        alerts=changed_alerts,
        deleted_persons=tuple(sorted(set(old_people) - new_ids)),
        deleted_alerts=tuple(sorted(set(old_alerts) - new_alert_ids)),
    )
