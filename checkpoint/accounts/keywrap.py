"""Wrapping the station database key under a secret (a password or the recovery key).

The database key never leaves memory in the clear: each user's row in the accounts file holds
it encrypted with AES-256-GCM under a key derived from that user's password with argon2id (a
per-user salt, so equal passwords give unrelated wrapping keys). The username is the GCM
associated data, so a wrapped key copied onto another user's row does not unwrap. Changing a
password re-wraps these 32 bytes; the database itself is never re-encrypted.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

DATABASE_KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
_RAW_KEY = re.compile(r"^x'([0-9a-f]{64})'$")


@dataclass(frozen=True)
class KdfParameters:
    """argon2id cost, stored with each wrapped key so the cost can rise without a migration."""

    time_cost: int = 3
    memory_kib: int = 65_536
    parallelism: int = 4

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# RFC 9106's second recommended setting (64 MiB, 3 passes): costly to guess offline.
DEFAULT_KDF = KdfParameters()


def new_database_key() -> bytes:
    """32 random bytes: the station database's SQLCipher key."""
    return os.urandom(DATABASE_KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def sqlcipher_key(raw: bytes) -> str:
    """The raw key in SQLCipher's `x'…'` form (used as is, no passphrase derivation)."""
    if len(raw) != DATABASE_KEY_BYTES:
        raise ValueError("a station database key is 32 bytes")
    return f"x'{raw.hex()}'"


def raw_key(key: str) -> bytes:
    """Back from the `x'…'` form to the 32 bytes (to re-wrap a logged-in session's key)."""
    match = _RAW_KEY.match(key)
    if not match:
        raise ValueError("not a raw SQLCipher key")
    return bytes.fromhex(match.group(1))


def derive_wrapping_key(secret: str, salt: bytes, kdf: KdfParameters = DEFAULT_KDF) -> bytes:
    """The AES-256 key that wraps the database key, from a password and its salt."""
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def wrap(wrapping_key: bytes, database_key: bytes, associated: str) -> bytes:
    """nonce ‖ AES-256-GCM(database_key), bound to `associated` (the username)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(wrapping_key).encrypt(nonce, database_key, associated.encode("utf-8"))


def unwrap(wrapping_key: bytes, wrapped: bytes, associated: str) -> bytes | None:
    """The database key, or None when the wrapping key or the associated data is wrong."""
    nonce, sealed = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:]
    try:
        return AESGCM(wrapping_key).decrypt(nonce, sealed, associated.encode("utf-8"))
    except InvalidTag:
        return None
