"""What the first-run wizard asks, as one plain value, and the checks that need no I/O.

The wizard (Qt) and the tests fill an `Answers`; `checkpoint.firstrun.setup.apply` does the
rest. Keeping the answers free of Qt lets the whole set-up be tested on real files without a
window, and lets a future command-line set-up reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import ValidationError

from checkpoint.config import Settings
from checkpoint.errors import CheckpointError


class FirstRunError(CheckpointError):
    """The station cannot be set up as answered; the sentence says which answer to change."""


@dataclass(frozen=True)
class Answers:
    """Everything the set-up needs. `bundle_file` None means: fetch the lists from HQ."""

    station_id: str
    admin_username: str
    admin_password: str
    key_file: Path
    bundle_file: Path | None
    hq_url: str | None = None
    hq_token: str | None = None
    camera: str = "demo"

    @property
    def fetch_from_hq(self) -> bool:
        return self.bundle_file is None


def normalised_hq_url(text: str | None) -> str | None:
    """The HQ address without surrounding blanks or a trailing slash; None when left empty."""
    if text is None or not text.strip():
        return None
    url = text.strip().rstrip("/")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FirstRunError(
            f"'{text}' is not a web address: give HQ's address, such as https://hq.example."
        ) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FirstRunError(
            f"'{text}' is not an http:// or https:// address: give HQ's address, "
            "such as https://hq.example."
        )
    return url


def settings_for(answers: Answers, base: Settings | None = None) -> Settings:
    """The station's settings after set-up, checked as the settings file would be."""
    document = (base or Settings()).model_dump()
    document.update(
        station_id=answers.station_id.strip(),
        hq_url=normalised_hq_url(answers.hq_url),
        camera=answers.camera.strip() or "demo",
        first_run="done",
    )
    try:
        return Settings.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FirstRunError(f"The {where} answer is invalid ({first['msg']}): correct it.") from exc


def check_answers(answers: Answers) -> Settings:
    """Check what can be checked without touching a file or the network; return the settings."""
    settings = settings_for(answers)
    if not answers.admin_username.strip():
        raise FirstRunError("The administrator needs a username: type one.")
    if answers.fetch_from_hq:
        if settings.hq_url is None:
            raise FirstRunError(
                "The lists are to be fetched from HQ but no HQ address was given: give the "
                "address or choose a bundle file."
            )
        if not (answers.hq_token or "").strip():
            raise FirstRunError(
                "The lists are to be fetched from HQ but no station token was given: paste the "
                "token HQ issued or choose a bundle file."
            )
    token = (answers.hq_token or "").strip()
    if any(character.isspace() for character in token):
        raise FirstRunError("That is not a station token: paste the single line HQ issued.")
    return settings
