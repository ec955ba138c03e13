"""The values an MRZ read produces: fields, check results, corrections and the read itself.

Plain frozen dataclasses, so the screening pipeline, the GUI and the JSON export all see the
same thing. Dates are kept twice: as `date` (None when the text is no valid date) and as the
six characters printed, because an officer must be able to see what the document says even
when it makes no sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from checkpoint.documents.mrz.formats import MrzError, MrzFormat

__all__ = [
    "ACCEPT_CONFIDENCE",
    "Check",
    "Correction",
    "MrzError",
    "MrzFields",
    "MrzFormat",
    "MrzRead",
]

ACCEPT_CONFIDENCE: Final = 0.8
"""The confidence from which a valid read is taken as read; below it the officer is asked to
re-scan. Measured on synthetic photos (bench/mrz.py, seeds 2 to 4 and 11): the valid but
wrong reads that got past 0.7 (an O read as 0 in a visa's unchecked optional data at 0.75,
an N read as M in a name at 0.78) lie below it, about one correct read in a hundred does
too, and refusing a correct read costs a re-scan while accepting a wrong one screens the
wrong person."""


@dataclass(frozen=True)
class Check:
    """One check digit: whether it agrees, the digit computed and the character printed."""

    name: str
    valid: bool
    expected: str
    found: str


@dataclass(frozen=True)
class Correction:
    """One character changed from what the OCR read; `line` and `position` are 1-based."""

    line: int
    position: int
    field: str
    was: str
    now: str
    reason: str


@dataclass(frozen=True)
class MrzFields:
    """The data of an MRZ with fillers removed; names use spaces between their parts.

    `sex` is `M`, `F` or `X` (unspecified, printed as `<` or `X`). `issuer` and `nationality`
    are kept as printed without fillers, so Germany is `D`. `personal_number` is the TD3
    personal number (the same text as `optional_data` there) and empty for other formats.
    `issue_date` is only printed on the French ID card (year and month; day 1 is assumed).
    """

    document_code: str
    issuer: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    birth_date_raw: str
    sex: str
    expiry_date: date | None
    expiry_date_raw: str
    optional_data: str
    optional_data_2: str
    personal_number: str
    name_truncated: bool
    issue_date: date | None = None
    issue_date_raw: str = ""


@dataclass(frozen=True)
class MrzRead:
    """An MRZ as read: the format, the text before and after corrections, fields and checks.

    `valid` is true when every check digit the format has agrees. `confidence` is 1.0 for
    clean text whose checks all agree and falls with failed checks, corrections and, when
    the OCR gave them, low character probabilities; it is never above the support of the
    weakest character no check digit covers (names, nationality, sex, some optional data),
    since check digits cannot catch a misread there. `accepted` is what a caller should act
    on: valid and at least ACCEPT_CONFIDENCE; a valid read that is not accepted is uncertain
    and should be scanned again.

    A character's support is its OCR probability against its strongest rival that may stand
    in that position: p / (p + rival), 1.0 without OCR probabilities. `weakest_unchecked` and
    `weakest_checked` are the lowest supports among the characters outside and inside the
    check digits' reach.
    """

    format: MrzFormat
    raw_lines: tuple[str, ...]
    lines: tuple[str, ...]
    fields: MrzFields
    checks: dict[str, Check]
    valid: bool
    corrections: tuple[Correction, ...]
    confidence: float
    warnings: tuple[str, ...]
    weakest_unchecked: float = 1.0
    weakest_checked: float = 1.0

    @property
    def accepted(self) -> bool:
        """Valid and confident enough to act on without a second scan."""
        return self.valid and self.confidence >= ACCEPT_CONFIDENCE
