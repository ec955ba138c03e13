"""The recovery key: a second wrapping of the database key for when every password is lost.

It is shown once when the first administrator is created, to be printed and locked away. It
is 30 random characters of Crockford's base-32 alphabet (150 bits) in six groups of five, so
it can be typed back from paper: case, spaces and dashes are ignored and the letters people
confuse with digits (O, I, L) read as the digits.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 6
GROUP_LENGTH = 5
RECOVERY_SUBJECT = "recovery"  # the associated data of the recovery wrapping
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_recovery_key() -> str:
    """A fresh key in its printed form, e.g. `7K2QD-…` (six groups of five)."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(
        characters[start : start + GROUP_LENGTH]
        for start in range(0, len(characters), GROUP_LENGTH)
    )


def normalize_recovery_key(typed: str) -> str | None:
    """The canonical printed form of what was typed, or None when it cannot be a key."""
    characters = "".join(typed.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(characters) != GROUPS * GROUP_LENGTH or any(c not in ALPHABET for c in characters):
        return None
    return "-".join(
        characters[start : start + GROUP_LENGTH]
        for start in range(0, len(characters), GROUP_LENGTH)
    )
