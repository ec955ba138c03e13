"""The station's HQ token, kept in the home folder readable by its owner only.

The token is the station's whole identity towards HQ, so it lives in its own file with mode
0600 rather than in settings.json (which is meant to be read, copied and attached to support
requests). It is written atomically so a crash never leaves half a token.
"""

from __future__ import annotations

from pathlib import Path

from checkpoint.errors import CheckpointError
from checkpoint.files import write_atomically

TOKEN_FILE = "hq-token"


class TokenError(CheckpointError):
    """The station has no usable HQ token."""


def token_path(home: Path) -> Path:
    return home / TOKEN_FILE


def load_token(home: Path) -> str:
    path = token_path(home)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError as exc:
        raise TokenError(
            f"This station has no HQ token ({path} is missing): store the one HQ issued with "
            "`checkpoint sync --set-token`."
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"{path} cannot be read ({exc}): store the token again.") from exc
    if not token:
        raise TokenError(
            f"{path} is empty: store the token again with `checkpoint sync --set-token`."
        )
    return token


def check_token(token: str) -> str:
    """The token without surrounding blanks; `TokenError` if it cannot be a station token."""
    token = token.strip()
    if not token or any(ch.isspace() for ch in token):
        raise TokenError("That is not a station token: paste the single line HQ issued.")
    return token


def save_token(home: Path, token: str) -> Path:
    """Store `token` as the station's HQ token (mode 0600, replaced atomically)."""
    token = check_token(token)
    path = token_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, token + "\n", mode=0o600)
    return path
