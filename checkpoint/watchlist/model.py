"""The watchlist's values: listed persons, their names, documents and face templates, and
document alerts. Plain frozen dataclasses that sources produce, bundles carry and the store
and screener consume.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from checkpoint.errors import CheckpointError

QUALITIES = ("primary", "good", "low", "original")
SEXES = ("M", "F", "X")


class WatchlistError(CheckpointError):
    """Watchlist material (a source file, a bundle, a query) cannot be used."""


@dataclass(frozen=True)
class BirthDate:
    """A birth date as lists give it: a full date, a year only, or a range of years."""

    year_from: int
    year_to: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> BirthDate:
        """Read `YYYY-MM-DD`, `YYYY`, `YYYY-MM`, or a range `YYYY..YYYY`."""
        value = text.strip()
        if match := re.fullmatch(r"(\d{4})\s*(?:\.\.|/|–|to)\s*(\d{4})", value):
            low, high = int(match[1]), int(match[2])
            if low > high:
                low, high = high, low
            return cls(low, high)
        if match := re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value):
            year = int(match[1])
            month = int(match[2]) if match[2] else None
            day = int(match[3]) if match[3] else None
            if month is not None and day is not None:
                try:
                    date(year, month, day)
                except ValueError as exc:
                    raise WatchlistError(f"'{text}' is not a valid date: use YYYY-MM-DD.") from exc
            return cls(year, year, month, day)
        raise WatchlistError(
            f"'{text}' is not a birth date: use YYYY-MM-DD, YYYY-MM, YYYY or YYYY..YYYY."
        )

    def __str__(self) -> str:
        if self.year_from != self.year_to:
            return f"{self.year_from}..{self.year_to}"
        text = f"{self.year_from:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @property
    def is_full(self) -> bool:
        return self.day is not None and self.year_from == self.year_to


@dataclass(frozen=True)
class PersonName:
    """One name a person is listed under, as written (any script), with its quality."""

    name: str
    quality: str = "good"


@dataclass(frozen=True)
class TravelDocument:
    number: str
    issuer: str | None = None
    doc_type: str | None = None


@dataclass(frozen=True)
class FaceTemplate:
    """A face embedding of a listed person and the model that made it."""

    vector: npt.NDArray[np.float32]
    model: str
    model_version: str

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FaceTemplate)
            and self.model == other.model
            and self.model_version == other.model_version
            and np.array_equal(self.vector, other.vector)
        )

    def __hash__(self) -> int:
        return hash((self.model, self.model_version, self.vector.tobytes()))


@dataclass(frozen=True)
class Person:
    """A listed person: the first name in `names` is the primary one."""

    entry_id: str
    names: tuple[PersonName, ...]
    birth_dates: tuple[BirthDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    sex: str | None = None
    documents: tuple[TravelDocument, ...] = ()
    templates: tuple[FaceTemplate, ...] = field(default=(), compare=True)
    category: str = ""
    reason: str = ""
    action: str = ""

    @property
    def primary_name(self) -> str:
        return self.names[0].name if self.names else ""


@dataclass(frozen=True)
class DocumentAlert:
    """A stolen, lost, revoked or invalidated document."""

    alert_id: str
    number: str
    issuer: str | None
    doc_type: str | None
    reason: str


@dataclass(frozen=True)
class ListContent:
    """What a source yields: persons, document alerts, and the rows that could not be read."""

    persons: tuple[Person, ...] = ()
    alerts: tuple[DocumentAlert, ...] = ()
    rejected: tuple[str, ...] = ()


def document_key(number: str) -> str:
    """A document number in the form it is compared in: no fillers, no separators, O as 0.

    MRZ readers and people confuse the letter O with the digit zero; comparing both as 0
    costs nothing in practice and avoids a missed stolen document.
    """
    cleaned = re.sub(r"[^0-9A-Z]", "", number.upper())
    return cleaned.replace("O", "0")
