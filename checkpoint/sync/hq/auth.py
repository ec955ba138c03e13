"""Station tokens: random bearer secrets, stored only as their SHA-256 at HQ.

A token is 256 random bits, so a fast hash is enough to make the stored form useless to
someone who reads HQ's database (a slow password hash only matters for guessable secrets, and
would cost a hash per request). Looking a request's token up by its hash also avoids
comparing secrets byte by byte.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_PREFIX = "cpst_"
STATION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def new_token() -> str:
    """A fresh station token, shown once to the administrator and never stored in clear."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer ...` header, or None when there is none."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def valid_station_id(station: str) -> bool:
    return bool(STATION_PATTERN.match(station))
