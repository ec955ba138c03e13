"""Ed25519 signing keys for watchlist bundles, and the keys a station trusts.

HQ (or whoever builds bundles) holds a private key; each station holds the public keys it
trusts as PEM files in `home/keys/*.pub`. A key is named by its id: the first 16 hex digits
of the SHA-256 of the raw public key, which the manifest records as its signer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkpoint import audit
from checkpoint.accounts.roles import Permission
from checkpoint.accounts.session import StationSession
from checkpoint.paths import keys_dir
from checkpoint.storage.transaction import transaction
from checkpoint.watchlist.model import WatchlistError


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    name: str
    public_key: Ed25519PublicKey

    def verifies(self, signature: bytes, message: bytes) -> bool:
        try:
            self.public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_key_pair(prefix: Path) -> tuple[Path, Path]:
    """Write `PREFIX.key` (private, owner-only) and `PREFIX.pub`; refuse to overwrite."""
    private_path, public_path = prefix.with_suffix(".key"), prefix.with_suffix(".pub")
    for path in (private_path, public_path):
        if path.exists():
            raise WatchlistError(f"{path} already exists: choose another name or remove it.")
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    prefix.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(private_pem)
    public_path.write_bytes(public_pem(private.public_key()))
    return private_path, public_path


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise WatchlistError(
            f"{path} is not a readable Ed25519 private key: check the file."
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise WatchlistError(f"{path} is not an Ed25519 private key: use `watchlist keygen`.")
    return key


def load_public_key(path: Path) -> TrustedKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise WatchlistError(
            f"{path} is not a readable Ed25519 public key: check the file."
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise WatchlistError(f"{path} is not an Ed25519 public key: use `watchlist keygen`.")
    return TrustedKey(key_id(key), path.stem, key)


def trusted_keys(home: Path) -> dict[str, TrustedKey]:
    """The station's trusted keys by id (an unreadable file is skipped, not trusted)."""
    folder = keys_dir(home)
    found: dict[str, TrustedKey] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.pub")):
            try:
                key = load_public_key(path)
            except WatchlistError:
                continue
            found[key.key_id] = key
    return found


def trust_key(home: Path, public_path: Path) -> TrustedKey:
    """Add a public key to the station's trusted keys."""
    key = load_public_key(public_path)
    folder = keys_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(public_path, folder / f"{public_path.stem}.pub")
    return key


def revoke_key(home: Path, key_id_to_revoke: str) -> TrustedKey:
    """Stop trusting a key: remove every file of the station's keys that holds it."""
    folder = keys_dir(home)
    removed: TrustedKey | None = None
    if folder.is_dir():
        for path in sorted(folder.glob("*.pub")):
            try:
                key = load_public_key(path)
            except WatchlistError:
                continue
            if key.key_id == key_id_to_revoke:
                path.unlink()
                removed = removed or key
    if removed is None:
        raise WatchlistError(
            f"This station does not trust a key {key_id_to_revoke}: refresh the list of keys."
        )
    return removed


def trust_key_audited(session: StationSession, public_path: Path) -> TrustedKey:
    """`trust_key` by the session's user, audited (`key.trust`): the key file is copied
    inside the audit row's transaction, so a failed copy leaves no row and no key."""
    session.require(Permission.MANAGE_WATCHLISTS)
    key = load_public_key(public_path)
    return _audited(session, "key.trust", key, lambda: trust_key(session.home, public_path))


def revoke_key_audited(session: StationSession, key_id_to_revoke: str) -> TrustedKey:
    """`revoke_key` by the session's user, audited (`key.revoke`) in the same way."""
    session.require(Permission.MANAGE_WATCHLISTS)
    key = trusted_keys(session.home).get(key_id_to_revoke)
    if key is None:
        raise WatchlistError(
            f"This station does not trust a key {key_id_to_revoke}: refresh the list of keys."
        )
    return _audited(session, "key.revoke", key, lambda: revoke_key(session.home, key_id_to_revoke))


def _audited(
    session: StationSession, action: str, key: TrustedKey, change: Callable[[], TrustedKey]
) -> TrustedKey:
    db = session.open_database()
    try:
        with transaction(db.conn, "keys"):
            audit.record(db.conn, session.principal, action, key.key_id, {"name": key.name})
            changed = change()
        audit.publish_head(db.conn)
    finally:
        db.conn.close()
    return changed
