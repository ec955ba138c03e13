"""The MRZ formats of ICAO Doc 9303 and where each field and check digit sits in them.

One table per format says, for every character position, what kind of character belongs
there (letters, digits, either, a check digit) and which positions each check digit covers.
Parsing, composing and OCR correction all read these tables, so a format is described once.
TD1 and TD2 document numbers longer than nine characters spill into the optional data
(Doc 9303 part 5 and part 6, note j), so their layout depends on the text and is built by
`layout_for` rather than stored as a constant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from types import MappingProxyType
from typing import Final

from checkpoint.documents.mrz.checkdigit import check_digit
from checkpoint.errors import CheckpointError

MRZ_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
FILLER: Final = "<"
DIGITS: Final = frozenset("0123456789")
LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class MrzError(CheckpointError):
    """Text that is not a machine-readable zone, or values that cannot be written as one."""


class MrzFormat(StrEnum):
    """The layouts of Doc 9303, plus the French national ID card issued before 2021."""

    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"
    MRV_A = "MRV-A"
    MRV_B = "MRV-B"
    FR_ID = "FR-ID"


LINE_SHAPES: Final[dict[MrzFormat, tuple[int, int]]] = {
    MrzFormat.TD1: (3, 30),
    MrzFormat.TD2: (2, 36),
    MrzFormat.TD3: (2, 44),
    MrzFormat.MRV_A: (2, 44),
    MrzFormat.MRV_B: (2, 36),
    MrzFormat.FR_ID: (2, 36),
}


class Kind(StrEnum):
    """What a character position may hold."""

    ALPHA = "alpha"  # letters and fillers: codes, issuer, nationality
    NAME = "name"  # letters and fillers, read as a name
    NUMERIC = "numeric"  # digits; a date may hold fillers where a part is unknown
    ALNUM = "alnum"  # document numbers and optional data
    SEX = "sex"  # M, F, X or <
    CHECK = "check"  # a check digit
    FILLER = "filler"  # always <: the marker of a long TD1/TD2 document number


@dataclass(frozen=True)
class Segment:
    """A run of positions on one line, 0-based and end-exclusive."""

    line: int
    start: int
    end: int

    def positions(self) -> range:
        return range(self.start, self.end)


@dataclass(frozen=True)
class FieldSpec:
    """A data field: its name, the kind of its characters and where it lies."""

    name: str
    kind: Kind
    segments: tuple[Segment, ...]

    def text(self, lines: Sequence[str]) -> str:
        return "".join(lines[s.line][s.start : s.end] for s in self.segments)


@dataclass(frozen=True)
class CheckSpec:
    """A check digit: what it covers and where it is stored (line, 0-based index).

    `filler_when_empty`: the digit may be `<` when everything it covers is filler (the
    personal number of TD3, Doc 9303 part 4).
    """

    name: str
    covers: tuple[Segment, ...]
    line: int
    index: int
    filler_when_empty: bool = False

    def data(self, lines: Sequence[str]) -> str:
        return "".join(lines[s.line][s.start : s.end] for s in self.covers)

    def expected(self, lines: Sequence[str]) -> str:
        return check_digit(self.data(lines))

    def found(self, lines: Sequence[str]) -> str:
        return lines[self.line][self.index]

    def agrees(self, lines: Sequence[str]) -> bool:
        found = self.found(lines)
        if self.filler_when_empty and found == FILLER:
            return set(self.data(lines)) <= {FILLER}
        return found == self.expected(lines)


@dataclass(frozen=True)
class Layout:
    """Every field and check digit of one format, as they lie in one particular MRZ."""

    format: MrzFormat
    fields: tuple[FieldSpec, ...]
    checks: tuple[CheckSpec, ...]
    long_document_number: bool = False

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def kinds(self) -> Mapping[tuple[int, int], tuple[Kind, str]]:
        """(line, index) -> (kind, field name) for every position, check digits included."""
        return self._kinds

    @cached_property
    def _kinds(self) -> Mapping[tuple[int, int], tuple[Kind, str]]:
        out: dict[tuple[int, int], tuple[Kind, str]] = {}
        for spec in self.fields:
            for seg in spec.segments:
                for i in seg.positions():
                    out[(seg.line, i)] = (spec.kind, spec.name)
        for check in self.checks:
            out[(check.line, check.index)] = (Kind.CHECK, f"{check.name}_check")
        return MappingProxyType(out)


def _seg(line: int, first: int, last: int) -> Segment:
    """A segment from 1-based inclusive positions, as Doc 9303 writes them."""
    return Segment(line, first - 1, last)


def _field(name: str, kind: Kind, line: int, first: int, last: int) -> FieldSpec:
    return FieldSpec(name, kind, (_seg(line, first, last),))


def _check(
    name: str, line: int, position: int, *covers: Segment, filler: bool = False
) -> CheckSpec:
    return CheckSpec(name, covers, line, position - 1, filler)


def _td1(check_at: int | None) -> Layout:
    head = (
        _field("document_code", Kind.ALPHA, 0, 1, 2),
        _field("issuer", Kind.ALPHA, 0, 3, 5),
    )
    tail = (
        _field("birth_date", Kind.NUMERIC, 1, 1, 6),
        _field("sex", Kind.SEX, 1, 8, 8),
        _field("expiry_date", Kind.NUMERIC, 1, 9, 14),
        _field("nationality", Kind.ALPHA, 1, 16, 18),
        _field("optional_data_2", Kind.ALNUM, 1, 19, 29),
        _field("name", Kind.NAME, 2, 1, 30),
    )
    dates = (
        _check("birth_date", 1, 7, _seg(1, 1, 6)),
        _check("expiry_date", 1, 15, _seg(1, 9, 14)),
    )
    composite = _check(
        "composite", 1, 30, _seg(0, 6, 30), _seg(1, 1, 7), _seg(1, 9, 15), _seg(1, 19, 29)
    )
    fields: tuple[FieldSpec, ...]
    if check_at is None:
        fields = (
            *head,
            _field("document_number", Kind.ALNUM, 0, 6, 14),
            _field("optional_data", Kind.ALNUM, 0, 16, 30),
            *tail,
        )
        number_check = _check("document_number", 0, 15, _seg(0, 6, 14))
        return Layout(MrzFormat.TD1, fields, (number_check, *dates, composite))
    number = FieldSpec("document_number", Kind.ALNUM, (_seg(0, 6, 14), _seg(0, 16, check_at - 1)))
    fields = (
        *head,
        number,
        _field("document_number_marker", Kind.FILLER, 0, 15, 15),
        *_after_long_number(0, check_at, 30),
        *tail,
    )
    number_check = _check("document_number", 0, check_at, *number.segments)
    return Layout(MrzFormat.TD1, fields, (number_check, *dates, composite), True)


def _after_long_number(line: int, check_at: int, last: int) -> tuple[FieldSpec, ...]:
    """The filler that ends a long document number, then what is left of the optional data."""
    if check_at >= last:
        return ()
    return (
        _field("document_number_end", Kind.FILLER, line, check_at + 1, check_at + 1),
        _field("optional_data", Kind.ALNUM, line, check_at + 2, last),
    )


def _long_number_extension(line: str, marker: int, first: int, last: int) -> int | None:
    """1-based position of the check digit of a long document number, or None.

    The number is long when its check-digit position (`marker`) holds `<` and the optional
    data (`first`..`last`) starts with a character: the number continues up to the character
    before the first filler, and that character is its check digit.
    """
    if line[marker - 1] != FILLER or line[first - 1] == FILLER:
        return None
    end = line.find(FILLER, first - 1, last)
    return last if end < 0 else end


def _td2_like(fmt: MrzFormat, check_at: int | None) -> Layout:
    width = LINE_SHAPES[fmt][1]
    fields = [
        _field("document_code", Kind.ALPHA, 0, 1, 2),
        _field("issuer", Kind.ALPHA, 0, 3, 5),
        _field("name", Kind.NAME, 0, 6, width),
        _field("nationality", Kind.ALPHA, 1, 11, 13),
        _field("birth_date", Kind.NUMERIC, 1, 14, 19),
        _field("sex", Kind.SEX, 1, 21, 21),
        _field("expiry_date", Kind.NUMERIC, 1, 22, 27),
    ]
    checks = [
        _check("birth_date", 1, 20, _seg(1, 14, 19)),
        _check("expiry_date", 1, 28, _seg(1, 22, 27)),
    ]
    long_number = False
    if fmt is MrzFormat.TD3:
        fields += [
            _field("document_number", Kind.ALNUM, 1, 1, 9),
            _field("optional_data", Kind.ALNUM, 1, 29, 42),
        ]
        checks.insert(0, _check("document_number", 1, 10, _seg(1, 1, 9)))
        checks.append(_check("personal_number", 1, 43, _seg(1, 29, 42), filler=True))
        checks.append(_check("composite", 1, 44, _seg(1, 1, 10), _seg(1, 14, 20), _seg(1, 22, 43)))
    elif fmt is MrzFormat.TD2:
        if check_at is None:
            fields += [
                _field("document_number", Kind.ALNUM, 1, 1, 9),
                _field("optional_data", Kind.ALNUM, 1, 29, 35),
            ]
            checks.insert(0, _check("document_number", 1, 10, _seg(1, 1, 9)))
        else:
            long_number = True
            number = FieldSpec(
                "document_number", Kind.ALNUM, (_seg(1, 1, 9), _seg(1, 29, check_at - 1))
            )
            fields += [
                number,
                _field("document_number_marker", Kind.FILLER, 1, 10, 10),
                *_after_long_number(1, check_at, 35),
            ]
            checks.insert(0, _check("document_number", 1, check_at, *number.segments))
        checks.append(_check("composite", 1, 36, _seg(1, 1, 10), _seg(1, 14, 20), _seg(1, 22, 35)))
    else:  # visas carry no composite check digit (Doc 9303 part 7)
        fields += [
            _field("document_number", Kind.ALNUM, 1, 1, 9),
            _field("optional_data", Kind.ALNUM, 1, 29, width),
        ]
        checks.insert(0, _check("document_number", 1, 10, _seg(1, 1, 9)))
    return Layout(fmt, tuple(fields), tuple(checks), long_number)


def _fr_id() -> Layout:
    fields = (
        _field("document_code", Kind.ALPHA, 0, 1, 2),
        _field("issuer", Kind.ALPHA, 0, 3, 5),
        _field("surname", Kind.NAME, 0, 6, 30),
        _field("optional_data", Kind.ALNUM, 0, 31, 36),
        _field("document_number", Kind.ALNUM, 1, 1, 12),
        # after the number, so that kinds() types its first four positions as a date
        _field("issue_date", Kind.NUMERIC, 1, 1, 4),
        _field("given_names", Kind.NAME, 1, 14, 27),
        _field("birth_date", Kind.NUMERIC, 1, 28, 33),
        _field("sex", Kind.SEX, 1, 35, 35),
    )
    checks = (
        _check("document_number", 1, 13, _seg(1, 1, 12)),
        _check("birth_date", 1, 34, _seg(1, 28, 33)),
        _check("composite", 1, 36, _seg(0, 1, 36), _seg(1, 1, 35)),
    )
    return Layout(MrzFormat.FR_ID, fields, checks)


@cache
def _layout(fmt: MrzFormat, check_at: int | None) -> Layout:
    if fmt is MrzFormat.TD1:
        return _td1(check_at)
    if fmt is MrzFormat.FR_ID:
        return _fr_id()
    return _td2_like(fmt, check_at)


def layout_for(fmt: MrzFormat, lines: Sequence[str]) -> Layout:
    """The fields and checks of `fmt` as they lie in `lines` (normalised, of the right shape)."""
    check_at = None
    if fmt is MrzFormat.TD1:
        check_at = _long_number_extension(lines[0], 15, 16, 30)
    elif fmt is MrzFormat.TD2:
        check_at = _long_number_extension(lines[1], 10, 29, 35)
    return _layout(fmt, check_at)


_SPACE = re.compile(r"\s+")


def normalize_lines(lines: Sequence[str] | str) -> tuple[str, ...]:
    """Upper-case lines without whitespace, blank lines dropped; a string is split into lines."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    cleaned = (_SPACE.sub("", str(line)).upper() for line in lines)
    return tuple(line for line in cleaned if line)


def _check_characters(lines: Sequence[str]) -> None:
    for number, line in enumerate(lines, start=1):
        for position, char in enumerate(line, start=1):
            if char not in MRZ_ALPHABET:
                raise MrzError(
                    f"Line {number} holds {char!r} at position {position}, which no MRZ "
                    "contains; read the zone again."
                )


def detect_format(lines: Sequence[str] | str) -> MrzFormat:
    """The format of an MRZ from its shape and first characters; MrzError if it has none.

    A 2x36 zone starting `IDFRA` is the pre-2021 French ID card, unless every check digit
    agrees when it is read as TD2 and not when it is read as the French card.
    """
    norm = normalize_lines(lines)
    shape = (len(norm), len(norm[0]) if norm else 0)
    if not norm or any(len(line) != shape[1] for line in norm):
        lengths = "/".join(str(len(line)) for line in norm) or "no"
        raise MrzError(
            f"The text has {len(norm)} line(s) of {lengths} characters, which is no MRZ "
            "format (3x30, 2x36 or 2x44); read the zone again."
        )
    _check_characters(norm)
    if shape == (3, 30):
        return MrzFormat.TD1
    if shape == (2, 44):
        return MrzFormat.MRV_A if norm[0][0] == "V" else MrzFormat.TD3
    if shape == (2, 36):
        if norm[0][0] == "V":
            return MrzFormat.MRV_B
        if norm[0].startswith("IDFRA") and not (
            _all_agree(layout_for(MrzFormat.TD2, norm), norm)
            and not _all_agree(layout_for(MrzFormat.FR_ID, norm), norm)
        ):
            return MrzFormat.FR_ID
        return MrzFormat.TD2
    raise MrzError(
        f"The text has {shape[0]} line(s) of {shape[1]} characters, which is no MRZ format "
        "(3x30, 2x36 or 2x44); read the zone again."
    )


def _all_agree(layout: Layout, lines: Sequence[str]) -> bool:
    return all(check.agrees(lines) for check in layout.checks)
