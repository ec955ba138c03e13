"""Every bad bundle is rejected with one sentence; the database stays unchanged but for the
audit log's record of the refusal."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from watchlist_helpers import PEOPLE, database_fingerprint, make_bundle, make_keys, run_cli

from checkpoint.audit import list_entries
from checkpoint.paths import database_path
from checkpoint.storage import open_database
from checkpoint.watchlist.keys import load_private_key


@pytest.fixture
def station(tmp_path: Path, checkpoint_home: Path) -> tuple[Path, Path]:
    """A home with HQ's key trusted and version 2 of list TEST installed."""
    key = make_keys(tmp_path, checkpoint_home)
    make_bundle(tmp_path / "v2.zip", key, 2)
    code, _, err = run_cli(checkpoint_home, "watchlist", "import", str(tmp_path / "v2.zip"))
    assert code == 0, err
    return key, tmp_path


def _rejected(home: Path, bundle: Path, expected: str) -> None:
    before = database_fingerprint(home)
    code, out, err = run_cli(home, "watchlist", "import", str(bundle))
    assert code == 1
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1  # one sentence, no traceback
    assert database_fingerprint(home) == before
    if before != "absent":
        # The refusal itself is in the audit log, with the reason the officer was given.
        db = open_database(database_path(home))
        try:
            refused = list_entries(db.conn, action="watchlist.import_rejected")[-1]
        finally:
            db.conn.close()
        assert expected in refused.details["reason"]


def test_flipped_bit_in_a_payload(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("persons.jsonl")
    offset = info.header_offset
    name_length = int.from_bytes(data[offset + 26 : offset + 28], "little")
    extra_length = int.from_bytes(data[offset + 28 : offset + 30], "little")
    start = offset + 30 + name_length + extra_length  # the compressed persons payload
    data[start + info.compress_size // 2] ^= 0x01
    bundle.write_bytes(bytes(data))
    _rejected(checkpoint_home, bundle, "damaged or truncated")


@pytest.mark.parametrize("member", ["manifest.json", "templates.f32"])
def test_flipped_bit_anywhere(
    station: tuple[Path, Path], checkpoint_home: Path, member: str
) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    with zipfile.ZipFile(bundle) as archive:
        members = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    altered = bytearray(members[member])
    altered[len(altered) // 2] ^= 0x04
    members[member] = bytes(altered)
    rebuilt = folder / "altered.zip"
    with zipfile.ZipFile(rebuilt, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    expected = (
        "signature does not verify" if member == "manifest.json" else "does not match its manifest"
    )
    _rejected(checkpoint_home, rebuilt, expected)


def test_raw_bit_flips_never_get_through(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    pristine = bundle.read_bytes()
    before = database_fingerprint(checkpoint_home)
    for position in range(0, len(pristine), max(1, len(pristine) // 40)):
        data = bytearray(pristine)
        data[position] ^= 0x10
        bundle.write_bytes(bytes(data))
        code, _, err = run_cli(checkpoint_home, "watchlist", "import", str(bundle))
        # A flip in unused zip metadata may leave every signed byte intact; then it is v3 itself.
        if code == 0:
            break
        assert err.startswith("checkpoint: ")
        assert err.count("\n") == 1
        assert database_fingerprint(checkpoint_home) == before


def test_untrusted_key(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    _, folder = station
    stranger = make_keys(folder, checkpoint_home, name="stranger", trust=False)
    _rejected(checkpoint_home, make_bundle(folder / "v3.zip", stranger, 3), "does not trust")


def test_wrong_key_claiming_a_trusted_signer(
    station: tuple[Path, Path], checkpoint_home: Path
) -> None:
    key, folder = station
    good = make_bundle(folder / "good.zip", key, 3)
    stranger = make_keys(folder, checkpoint_home, name="stranger", trust=False)
    forged = make_bundle(folder / "forged.zip", stranger, 3)
    with zipfile.ZipFile(good) as archive:
        manifest = archive.read("manifest.json")
    with zipfile.ZipFile(forged) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["manifest.json"] = manifest  # the trusted signer's manifest, the stranger's signature
    with zipfile.ZipFile(forged, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    _rejected(checkpoint_home, forged, "signature does not verify")


@pytest.mark.parametrize("version", [1, 2])
def test_older_or_equal_version(
    station: tuple[Path, Path], checkpoint_home: Path, version: int
) -> None:
    key, folder = station
    _rejected(checkpoint_home, make_bundle(folder / "old.zip", key, version), "only newer versions")


def test_delta_on_the_wrong_base(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    key, folder = station
    bundle = make_bundle(folder / "d.zip", key, 4, persons=PEOPLE[:1], alerts=(), base=3)
    _rejected(checkpoint_home, bundle, "delta on TEST version 3, but version 2 is installed")


def test_expired_manifest(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    key, folder = station
    created = datetime.now(UTC) - timedelta(days=40)
    _rejected(checkpoint_home, make_bundle(folder / "e.zip", key, 3, created=created), "expired")


def test_payload_from_another_bundle(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    other = make_bundle(folder / "other.zip", key, 3, persons=PEOPLE[:2])
    with zipfile.ZipFile(other) as archive:
        foreign = archive.read("persons.jsonl")
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["persons.jsonl"] = foreign
    with zipfile.ZipFile(bundle, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    _rejected(checkpoint_home, bundle, "from another bundle")


def test_extra_file_in_bundle(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    with zipfile.ZipFile(bundle, "a") as archive:
        archive.writestr("surprise.jsonl", b"{}\n")
    _rejected(checkpoint_home, bundle, "does not vouch for")


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.95])
def test_truncated_file(station: tuple[Path, Path], checkpoint_home: Path, keep: float) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    data = bundle.read_bytes()
    truncated = folder / "truncated.zip"
    truncated.write_bytes(data[: int(len(data) * keep)])
    _rejected(checkpoint_home, truncated, "damaged or truncated")


def test_not_a_bundle_and_missing_file(station: tuple[Path, Path], checkpoint_home: Path) -> None:
    _, folder = station
    junk = folder / "junk.zip"
    junk.write_bytes(b"hello")
    _rejected(checkpoint_home, junk, "damaged or truncated")
    _rejected(checkpoint_home, folder / "nothing.zip", "does not exist")


def test_first_import_rejection_creates_nothing(tmp_path: Path, checkpoint_home: Path) -> None:
    stranger = make_keys(tmp_path, checkpoint_home, name="stranger", trust=False)
    bundle = make_bundle(tmp_path / "b.zip", stranger, 1)
    _rejected(checkpoint_home, bundle, "does not trust")
    assert database_fingerprint(checkpoint_home) == "absent"


def test_verify_does_not_touch_the_database(
    station: tuple[Path, Path], checkpoint_home: Path
) -> None:
    key, folder = station
    before = database_fingerprint(checkpoint_home)
    bundle = make_bundle(folder / "v3.zip", key, 3)
    shutil.copy(bundle, folder / "copy.zip")
    code, out, _ = run_cli(checkpoint_home, "watchlist", "verify", str(folder / "copy.zip"))
    assert code == 0
    assert "valid full bundle TEST v3" in out
    assert database_fingerprint(checkpoint_home) == before


def _resign(bundle: Path, key_path: Path, member: str, content: bytes) -> None:
    """Replace a payload and re-sign a consistent manifest (what a buggy HQ might publish)."""
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[member] = content
    manifest = json.loads(members["manifest.json"])
    manifest["files"][member] = {
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
    }
    members["manifest.json"] = json.dumps(manifest).encode()
    signature = load_private_key(key_path).sign(members["manifest.json"])
    members["manifest.sig"] = base64.b64encode(signature)
    with zipfile.ZipFile(bundle, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"entry_id": "p1"}\n', "line 1 is malformed"),
        (b"not json\n", "line 1 is not JSON"),
        (b"", "record counts do not match"),
    ],
)
def test_signed_but_malformed_payload(
    station: tuple[Path, Path], checkpoint_home: Path, content: bytes, expected: str
) -> None:
    key, folder = station
    bundle = make_bundle(folder / "v3.zip", key, 3)
    _resign(bundle, key, "persons.jsonl", content)
    _rejected(checkpoint_home, bundle, expected)
