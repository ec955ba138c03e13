"""Writing an MRZ from field values, with every check digit computed.

The specimen renderer, the demo and the tests need MRZs that are correct to the character;
composing them here, from the same layout tables the parser reads, keeps both sides honest.
Names are transliterated the ICAO way and cut at the end of the field when too long, so a
truncated name ends in a letter, which is how a reader recognises truncation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from checkpoint.documents.mrz.checkdigit import check_digit
from checkpoint.documents.mrz.formats import (
    FILLER,
    LINE_SHAPES,
    MrzError,
    MrzFormat,
    layout_for,
)
from checkpoint.documents.mrz.transliterate import to_mrz_name

_ALNUM: Final = re.compile(r"[A-Z0-9<]*")
_LETTERS: Final = re.compile(r"[A-Z<]*")
_SEX: Final = {"M": "M", "F": "F", "X": "X", "<": "<", "": "<"}
# Characters left for a long document number's extension and check digit in the optional data.
_LONG_ROOM: Final = {MrzFormat.TD1: 15, MrzFormat.TD2: 7}


def compose(
    fmt: MrzFormat,
    *,
    document_code: str,
    issuer: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str,
    expiry_date: date | None,
    optional_data: str = "",
    optional_data_2: str = "",
    personal_number: str = "",
) -> tuple[str, ...]:
    """The lines of a valid MRZ of `fmt` holding these values.

    Names are free text ("Anna Maria", "Müller") and are transliterated; codes, numbers and
    optional data must already be in the MRZ alphabet (spaces become fillers). A date of
    None is written as fillers (unknown). On TD3, `personal_number` and `optional_data` are
    the same field; give either. For the French ID card, `document_number` is the 12
    characters of line 2, `optional_data` the 6-character office code of line 1, and the
    expiry date is not written. Raises MrzError when a value does not fit or is not allowed.
    """
    code = _code(document_code, 2, "document code")
    issuer_text = _code(issuer, 3, "issuing state")
    nationality_text = _code(nationality, 3, "nationality")
    number = _alnum(document_number, "document number")
    optional = _alnum(optional_data, "optional data")
    optional_2 = _alnum(optional_data_2, "optional data")
    personal = _alnum(personal_number, "personal number")
    sex_char = _sex(sex)
    birth = _date(birth_date)
    expiry = _date(expiry_date)
    primary, secondary = to_mrz_name(surname), to_mrz_name(given_names)
    if not code[:1].isalpha():
        raise MrzError(f"The document code {document_code!r} must start with a letter.")

    if fmt is MrzFormat.FR_ID:
        lines = _fr_id(primary, given_names, number, optional, birth=birth, sex=sex_char)
    elif fmt is MrzFormat.TD1:
        number_part, optional_part = _split_number(fmt, number, optional)
        line1 = code + issuer_text + number_part + optional_part
        line2 = (
            birth
            + "0"
            + sex_char
            + expiry
            + "0"
            + nationality_text
            + _pad(optional_2, 11, "optional data")
            + "0"
        )
        lines = [line1, line2, _name_field(primary, secondary, 30)]
    else:
        width = LINE_SHAPES[fmt][1]
        if optional_2:
            raise MrzError(f"The {fmt} format has no second optional data field.")
        if fmt is MrzFormat.TD3:
            if personal and optional and personal != optional:
                raise MrzError("On TD3 the personal number is the optional data; give one of them.")
            optional = personal or optional
        elif personal:
            raise MrzError(f"The {fmt} format has no personal number field.")
        if fmt is MrzFormat.TD2:
            number_part, optional_part = _split_number(fmt, number, optional)
        else:
            number_part, optional_part = _short_number(fmt, number), optional
        line1 = code + issuer_text + _name_field(primary, secondary, width - 5)
        # what follows the expiry check digit: optional data, then any check digits
        tail = {
            MrzFormat.TD3: (14, "00"),
            MrzFormat.TD2: (7, "0"),
            MrzFormat.MRV_A: (16, ""),
            MrzFormat.MRV_B: (8, ""),
        }[fmt]
        line2 = (
            number_part
            + nationality_text
            + birth
            + "0"
            + sex_char
            + expiry
            + "0"
            + _pad(optional_part, tail[0], "optional data")
            + tail[1]
        )
        lines = [line1, line2]
    return _fill_checks(fmt, lines)


def _fill_checks(fmt: MrzFormat, lines: list[str]) -> tuple[str, ...]:
    """Compute every check digit in order; the composite comes last and covers the others."""
    rows = [list(line) for line in lines]
    layout = layout_for(fmt, lines)
    for check in layout.checks:
        text = ["".join(row) for row in rows]
        data = check.data(text)
        empty = check.filler_when_empty and set(data) <= {FILLER}
        rows[check.line][check.index] = FILLER if empty else check_digit(data)
    out = tuple("".join(row) for row in rows)
    if tuple(len(line) for line in out) != (LINE_SHAPES[fmt][1],) * LINE_SHAPES[fmt][0]:
        raise MrzError(f"The values do not fit the {fmt} format.")  # a layout bug, not input
    return out


def _fr_id(
    surname: str, given_names: str, number: str, office: str, *, birth: str, sex: str
) -> list[str]:
    if len(number) != 12:
        raise MrzError(
            "A French ID card number must have 12 characters (year, month, office, number)."
        )
    # the French card separates given names with two fillers
    names = "<<".join(n for n in (to_mrz_name(part) for part in given_names.split()) if n)
    line1 = "IDFRA" + _cut(surname, 25) + _pad(office, 6, "office code")
    line2 = number + "0" + _cut(names, 14) + birth + "0" + sex + "0"
    return [line1, line2]


def _split_number(fmt: MrzFormat, number: str, optional: str) -> tuple[str, str]:
    """Document number field (with check position) and optional data for TD1/TD2.

    A number longer than nine characters keeps its first nine in the number field, puts `<`
    in the check-digit position and continues in the optional data, followed by its check
    digit (filled in later) and a filler (Doc 9303 part 5, and part 6 note j).
    """
    room = _LONG_ROOM[fmt]
    if len(number) <= 9:
        return _pad(number, 9) + "0", _pad(optional, room, "optional data")
    extension = number[9:]
    if FILLER in extension:
        raise MrzError("A document number longer than nine characters cannot contain fillers.")
    rest = extension + "0" + (FILLER + optional if optional else "")
    if len(rest) > room:
        raise MrzError(f"The document number {number!r} is too long for the {fmt} format.")
    return number[:9] + FILLER, _pad(rest, room)


def _short_number(fmt: MrzFormat, number: str) -> str:
    if len(number) > 9:
        raise MrzError(f"The {fmt} format holds document numbers of at most nine characters.")
    return _pad(number, 9) + "0"


def _name_field(primary: str, secondary: str, width: int) -> str:
    if not primary and not secondary:
        raise MrzError("The name is empty; an MRZ needs at least a surname or given names.")
    full = primary + (FILLER * 2 + secondary if secondary else "")
    return _cut(full, width)


def _cut(text: str, width: int) -> str:
    """Pad with fillers, or cut at the end of the field (which then ends in a letter)."""
    if len(text) <= width:
        return text + FILLER * (width - len(text))
    cut = text[:width]
    # a cut on a part boundary ends in fillers, so the truncation cannot be seen
    return cut.rstrip(FILLER).ljust(width, FILLER)


def _pad(text: str, width: int, what: str = "value") -> str:
    if len(text) > width:
        raise MrzError(f"The {what} {text!r} is longer than the {width} characters it has.")
    return text + FILLER * (width - len(text))


def _clean(text: str) -> str:
    return re.sub(r"\s", FILLER, text.strip().upper())


def _code(text: str, width: int, what: str) -> str:
    value = _clean(text)
    if not _LETTERS.fullmatch(value) or not value.strip(FILLER):
        raise MrzError(f"The {what} {text!r} must be letters, like 'P' or 'UTO'.")
    return _pad(value, width, what)


def _alnum(text: str, what: str) -> str:
    value = _clean(text)
    if not _ALNUM.fullmatch(value):
        raise MrzError(f"The {what} {text!r} may hold only A-Z, 0-9 and '<'.")
    return value


def _sex(sex: str) -> str:
    try:
        return _SEX[sex.strip().upper()]
    except KeyError:
        raise MrzError(f"The sex {sex!r} must be M, F or X.") from None


def _date(value: date | None) -> str:
    return FILLER * 6 if value is None else value.strftime("%y%m%d")
