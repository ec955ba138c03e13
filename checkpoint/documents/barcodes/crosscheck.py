"""Does what the barcodes say agree with the passport's MRZ?

A boarding pass in someone else's name, a driving licence with another birth date, a visa
seal issued for another passport: each is worth the officer's attention. Names are compared
in ICAO transliteration (Müller = MUELLER), letters only, so spacing, hyphens and the plain
accent-strip spelling (MULLER) many airline systems use do not count as differences. BCBP
cuts `SURNAME/GIVEN` to 20 characters and often appends a title (MR, MRS, ...), and airlines
usually carry only the first given name, so a prefix of the MRZ's given names agrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from checkpoint.documents.barcodes.aamva import AamvaPayload
from checkpoint.documents.barcodes.bcbp import BcbpPayload
from checkpoint.documents.barcodes.read import BarcodeRead
from checkpoint.documents.barcodes.vds import VdsPayload
from checkpoint.documents.mrz.transliterate import to_mrz_name

_TITLES = ("MSTR", "MISS", "PROF", "MRS", "CHD", "INF", "MR", "MS", "DR")
# Plain accent stripping writes one letter where ICAO writes two; fold both to one.
_FOLDS = (("AE", "A"), ("OE", "O"), ("UE", "U"), ("AA", "A"), ("SS", "S"), ("TH", "T"))


class MrzNames(Protocol):
    """What the cross-checks need from the MRZ (`checkpoint.documents.mrz.model.MrzFields`)."""

    @property
    def surname(self) -> str: ...

    @property
    def given_names(self) -> str: ...

    @property
    def birth_date(self) -> date | None: ...

    @property
    def document_number(self) -> str: ...


@dataclass(frozen=True)
class CrossCheck:
    """One comparison between a barcode and the MRZ, and whether they agree."""

    source: str
    """The barcode's format: `bcbp`, `aamva` or `vds`."""
    field: str
    """`name`, `birth_date` or `document_number`."""
    barcode_value: str
    mrz_value: str
    agrees: bool
    note: str = ""


def cross_check(barcodes: Sequence[BarcodeRead], mrz_fields: MrzNames | None) -> list[CrossCheck]:
    """Every comparison the barcodes allow against the document's MRZ."""
    if mrz_fields is None:
        return []
    checks: list[CrossCheck] = []
    for read in barcodes:
        payload = read.payload
        if isinstance(payload, BcbpPayload):
            checks.append(_bcbp_name(payload, mrz_fields))
        elif isinstance(payload, AamvaPayload):
            checks.extend(_aamva(payload, mrz_fields))
        elif isinstance(payload, VdsPayload):
            checks.extend(_vds(payload, mrz_fields))
    return checks


def _letters(name: str) -> str:
    return re.sub(r"[^A-Z]", "", to_mrz_name(name))


def _folded(letters: str) -> str:
    for long, short in _FOLDS:
        letters = letters.replace(long, short)
    return letters


def _same(a: str, b: str) -> bool:
    return a == b or _folded(a) == _folded(b)


def _prefix(short: str, long: str) -> bool:
    return long.startswith(short) or _folded(long).startswith(_folded(short))


def _mrz_name(mrz: MrzNames) -> str:
    return f"{mrz.surname}, {mrz.given_names}".strip(", ")


def _bcbp_name(payload: BcbpPayload, mrz: MrzNames) -> CrossCheck:
    surname, given = _letters(payload.surname), _letters(payload.given_names)
    mrz_surname, mrz_given = _letters(mrz.surname), _letters(mrz.given_names)
    truncated = payload.name_truncated or not payload.passenger_name.count("/")
    problems = []
    if not (
        _same(surname, mrz_surname) or (truncated and surname and _prefix(surname, mrz_surname))
    ):
        problems.append(f"surname {payload.surname or '(none)'} is not {mrz.surname}")
    elif given and not _given_agrees(given, mrz_given, truncated):
        problems.append(f"given name {payload.given_names} is not in {mrz.given_names}")
    note = "; ".join(problems)
    if not problems and truncated:
        note = "the boarding pass cut the name to 20 characters"
    return CrossCheck(
        source="bcbp",
        field="name",
        barcode_value=payload.passenger_name,
        mrz_value=_mrz_name(mrz),
        agrees=not problems,
        note=note,
    )


def _given_agrees(given: str, mrz_given: str, truncated: bool) -> bool:
    candidates = [given]
    for title in _TITLES:
        if given.endswith(title) and len(given) > len(title):
            candidates.append(given[: -len(title)])
    for candidate in candidates:
        if _prefix(candidate, mrz_given):
            return True
        if truncated and _prefix(mrz_given, candidate):
            return True
    return False


def _aamva(payload: AamvaPayload, mrz: MrzNames) -> list[CrossCheck]:
    checks = []
    surname, mrz_surname = _letters(payload.surname), _letters(mrz.surname)
    first = _letters(payload.given_names.split(" ")[0]) if payload.given_names else ""
    mrz_first = _letters(mrz.given_names.split(" ")[0]) if mrz.given_names else ""
    name_ok = _same(surname, mrz_surname) and (
        not first or not mrz_first or _prefix(first, mrz_first) or _prefix(mrz_first, first)
    )
    checks.append(
        CrossCheck(
            source="aamva",
            field="name",
            barcode_value=f"{payload.surname}, {payload.given_names}".strip(", "),
            mrz_value=_mrz_name(mrz),
            agrees=name_ok,
            note="" if name_ok else "the card's name differs from the MRZ",
        )
    )
    if payload.birth_date is not None and mrz.birth_date is not None:
        same = payload.birth_date == mrz.birth_date
        checks.append(
            CrossCheck(
                source="aamva",
                field="birth_date",
                barcode_value=payload.birth_date.isoformat(),
                mrz_value=mrz.birth_date.isoformat(),
                agrees=same,
                note="" if same else "the card's birth date differs from the MRZ",
            )
        )
    return checks


def _vds(payload: VdsPayload, mrz: MrzNames) -> list[CrossCheck]:
    checks = []
    passport = payload.feature("passport number")
    if passport:
        number = passport.replace("<", "")
        same = number == mrz.document_number.replace("<", "")
        checks.append(
            CrossCheck(
                source="vds",
                field="document_number",
                barcode_value=number,
                mrz_value=mrz.document_number,
                agrees=same,
                note="" if same else "the seal was issued for another passport",
            )
        )
    seal_mrz = payload.feature("mrz")
    if seal_mrz:
        line = seal_mrz.split("\n")[0][5:]
        surname, _, given = line.strip("<").partition("<<")
        same = _same(_letters(surname), _letters(mrz.surname)) and _same(
            _letters(given), _letters(mrz.given_names)
        )
        checks.append(
            CrossCheck(
                source="vds",
                field="name",
                barcode_value=f"{surname.replace('<', ' ')}, {given.replace('<', ' ').strip()}",
                mrz_value=_mrz_name(mrz),
                agrees=same,
                note="" if same else "the seal's name differs from the MRZ",
            )
        )
    return checks
