"""The values an MRZ read produces: fields, check results, corrections and the read itself.

Plain frozen dataclasses, so the screening pipeline, the GUI and the JSON export all see the
same thing. Dates are kept twice: as `date` (None when the text is no valid date) and as the
six characters printed, because an officer must be able to see what the document says even
when it makes no sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from checkpoint.documents.mrz.formats import MrzError, MrzFormat

__all__ = ["Check", "Correction", "MrzError", "MrzFields", "MrzFormat", "MrzRead"]


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
    the OCR gave them, low character probabilities.
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
