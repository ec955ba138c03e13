"""IATA Bar Coded Boarding Pass (Resolution 792) payloads: every item, every leg.

Written by hand because no maintained Python library parses BCBP with its conditional and
security sections. The layout is positional: a 60-character mandatory block for the first
leg (format code, number of legs, name, e-ticket flag, then the leg's items), a variable
field whose size is given in hex, then each further leg's 37 mandatory characters and its
own variable field, and finally the security data after `^`. The conditional items are
present only as far as their hex size says, which is how older versions omit newer items.

Malformed passes (cut short, wrong hex sizes, stray data) are parsed as far as they go and
every problem is named in `problems`; the parser never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

KIND = "bcbp"


@dataclass(frozen=True)
class BcbpLeg:
    """One flight on the pass: the mandatory items, then the conditional ones when present."""

    pnr: str
    from_airport: str
    to_airport: str
    carrier: str
    flight_number: str
    flight_day: str
    """Day of the year of the flight as printed (Julian date, `001`-`366`)."""
    flight_date: date | None
    compartment: str
    seat: str
    check_in_sequence: str
    passenger_status: str
    airline_numeric_code: str | None = None
    document_serial_number: str | None = None
    selectee_indicator: str | None = None
    international_documentation_verification: str | None = None
    marketing_carrier: str | None = None
    frequent_flyer_airline: str | None = None
    frequent_flyer_number: str | None = None
    id_ad_indicator: str | None = None
    free_baggage_allowance: str | None = None
    fast_track: str | None = None
    airline_use: str | None = None
    """Data for the airline's own use that follows the conditional items."""


@dataclass(frozen=True)
class BcbpPayload:
    """A boarding pass. Fields that the pass does not carry are None."""

    passenger_name: str
    """The name field as printed, `SURNAME/GIVEN NAMES TITLE`, trailing spaces removed."""
    surname: str
    given_names: str
    name_truncated: bool
    """True when the 20-character name field is full, so the name may have been cut."""
    electronic_ticket: str
    legs_declared: int | None
    legs: tuple[BcbpLeg, ...]
    format_code: str = "M"
    version: str | None = None
    passenger_description: str | None = None
    source_of_check_in: str | None = None
    source_of_issuance: str | None = None
    issue_date_raw: str | None = None
    issue_date: date | None = None
    document_type: str | None = None
    issuing_airline: str | None = None
    baggage_tags: tuple[str, ...] = ()
    security_type: str | None = None
    security_data: str | None = None
    problems: tuple[str, ...] = ()
    kind: str = KIND


# What the one-character codes mean (Resolution 792, items 15, 12, 14, 16, 17, 20).
PASSENGER_DESCRIPTIONS = {
    "0": "adult",
    "1": "male",
    "2": "female",
    "3": "child",
    "4": "infant",
    "5": "no passenger (cabin baggage)",
    "6": "adult with infant",
    "7": "unaccompanied minor",
}
CHECK_IN_SOURCES = {
    "W": "web",
    "K": "airport kiosk",
    "R": "remote kiosk",
    "M": "mobile device",
    "O": "airport agent",
    "T": "town agent",
    "V": "third-party vendor",
}
PASSENGER_STATUSES = {
    "0": "ticket issued, not checked in",
    "1": "ticket issued, checked in",
    "2": "baggage checked, not checked in",
    "3": "baggage checked, checked in",
    "4": "passed security",
    "5": "passed the gate",
    "6": "transit",
    "7": "standby",
    "8": "boarding data revalidated",
    "9": "original boarding line used",
    "A": "up- or downgrade required",
}
DOCUMENT_VERIFICATION = {"0": "not required", "1": "required", "2": "performed"}
SELECTEE = {" ": "not a selectee", "0": "not a selectee", "1": "selectee", "3": "LEO"}

_UNIQUE_ITEMS = (
    ("passenger_description", 1),
    ("source_of_check_in", 1),
    ("source_of_issuance", 1),
    ("issue_date_raw", 4),
    ("document_type", 1),
    ("issuing_airline", 3),
    ("bag_1", 13),
    ("bag_2", 13),
    ("bag_3", 13),
)
_REPEATED_ITEMS = (
    ("airline_numeric_code", 3),
    ("document_serial_number", 10),
    ("selectee_indicator", 1),
    ("international_documentation_verification", 1),
    ("marketing_carrier", 3),
    ("frequent_flyer_airline", 3),
    ("frequent_flyer_number", 16),
    ("id_ad_indicator", 1),
    ("free_baggage_allowance", 3),
    ("fast_track", 1),
)
_LEG_ITEMS = (
    ("pnr", 7),
    ("from_airport", 3),
    ("to_airport", 3),
    ("carrier", 3),
    ("flight_number", 5),
    ("flight_day", 3),
    ("compartment", 1),
    ("seat", 4),
    ("check_in_sequence", 5),
    ("passenger_status", 1),
)
_NAME_LENGTH = 20


def looks_like_bcbp(text: str) -> bool:
    """Whether `text` is meant to be a boarding pass (even a broken one)."""
    if not re.match(r"M[1-9]", text):
        return False
    return len(text) >= 60 or "/" in text[2:22]


class _Cursor:
    """Reads fixed-width items left to right and records what is missing."""

    def __init__(self, text: str, problems: list[str], where: str):
        self.text = text
        self.pos = 0
        self.problems = problems
        self.where = where

    def remaining(self) -> str:
        return self.text[self.pos :]

    def take(self, width: int, item: str, *, required: bool = True) -> str | None:
        if self.pos + width > len(self.text):
            if required or self.pos < len(self.text):
                self.problems.append(
                    f"{self.where}: {item.replace('_', ' ')} is cut short "
                    f"({len(self.text) - self.pos} of {width} characters)"
                )
            self.pos = len(self.text)
            return None
        value = self.text[self.pos : self.pos + width]
        self.pos += width
        return value

    def take_hex(self, item: str) -> int | None:
        raw = self.take(2, item)
        if raw is None:
            return None
        if not re.fullmatch(r"[0-9A-Fa-f]{2}", raw):
            self.problems.append(f"{self.where}: {item} {raw!r} is not a hexadecimal size")
            return None
        return int(raw, 16)


def parse_bcbp(text: str, *, today: date | None = None) -> BcbpPayload:
    """Parse a boarding pass; dates without a year are placed nearest to `today`."""
    today = today or date.today()
    problems: list[str] = []
    head = _Cursor(text, problems, "header")
    format_code = head.take(1, "format code") or ""
    if format_code != "M":
        problems.append(f"header: format code is {format_code!r}, not 'M'")
    legs_raw = head.take(1, "number of legs") or ""
    legs_declared = int(legs_raw) if re.fullmatch("[0-9]", legs_raw) else None
    if legs_raw and legs_declared is None:
        problems.append(f"header: number of legs {legs_raw!r} is not a digit")
    name_field = head.take(_NAME_LENGTH, "passenger name")
    if name_field is None:
        name_field = text[2:]
    ticket = head.take(1, "electronic ticket indicator") or ""
    surname, _, given = name_field.rstrip().partition("/")
    unique: dict[str, str | None] = {}
    version: str | None = None
    legs: list[BcbpLeg] = []
    if legs_declared == 0:
        problems.append("header: the number of legs is 0")
    count = legs_declared or 1
    for number in range(1, count + 1):
        if number > 1 and head.pos >= len(text):
            problems.append(f"legs {number} to {count} are missing")
            break
        leg, version = _parse_leg(head, number, version, unique, today)
        if leg is not None:
            legs.append(leg)
    security_type = security_data = None
    rest = head.remaining()
    if rest.startswith("^"):
        security = _Cursor(rest[1:], problems, "security data")
        security_type = security.take(1, "type of security data")
        size = security.take_hex("length of security data")
        if size is not None:
            security_data = security.take(size, "security data")
            if security_data is None:
                security_data = rest[4:]
            if security.remaining():
                problems.append(f"security data: {len(security.remaining())} characters follow it")
    elif rest:
        problems.append(f"{len(rest)} unexpected characters follow the last leg")
    issue_raw = unique.get("issue_date_raw")
    return BcbpPayload(
        passenger_name=name_field.rstrip(),
        surname=surname.strip(),
        given_names=given.strip(),
        name_truncated=len(name_field) == _NAME_LENGTH and not name_field.endswith(" "),
        electronic_ticket=ticket,
        legs_declared=legs_declared,
        legs=tuple(legs),
        format_code=format_code,
        version=version,
        passenger_description=unique.get("passenger_description"),
        source_of_check_in=unique.get("source_of_check_in"),
        source_of_issuance=unique.get("source_of_issuance"),
        issue_date_raw=issue_raw,
        issue_date=_issue_date(issue_raw, today, problems) if issue_raw else None,
        document_type=unique.get("document_type"),
        issuing_airline=_strip(unique.get("issuing_airline")),
        baggage_tags=tuple(
            tag.strip()
            for key in ("bag_1", "bag_2", "bag_3")
            if (tag := unique.get(key)) and tag.strip()
        ),
        security_type=security_type,
        security_data=security_data,
        problems=tuple(problems),
    )


def _parse_leg(
    head: _Cursor,
    number: int,
    version: str | None,
    unique: dict[str, str | None],
    today: date,
) -> tuple[BcbpLeg | None, str | None]:
    where = f"leg {number}"
    head.where = where
    items: dict[str, str | None] = {}
    for item, width in _LEG_ITEMS:
        items[item] = head.take(width, item)
        if items[item] is None:
            break
    size = head.take_hex("size of the variable field") if items.get("passenger_status") else None
    variable = ""
    if size is not None:
        start = head.pos
        taken = head.take(size, "variable field")
        variable = taken if taken is not None else head.text[start:]
    repeated: dict[str, str | None] = {}
    airline_use: str | None = None
    if variable:
        block = _Cursor(variable, head.problems, where)
        if number == 1 and variable.startswith(">"):
            block.take(1, "version marker")
            version = block.take(1, "version number")
            unique_size = block.take_hex("size of the unique conditional items")
            if unique_size is not None:
                section = block.take(unique_size, "unique conditional items")
                _fill(section or "", _UNIQUE_ITEMS, unique, head.problems, where)
        if version is not None and block.remaining():
            repeated_size = block.take_hex("size of the repeated conditional items")
            if repeated_size is not None:
                section = block.take(repeated_size, "repeated conditional items")
                _fill(section or "", _REPEATED_ITEMS, repeated, head.problems, where)
        airline_use = block.remaining() or None
    if items.get("pnr") is None:
        return None, version
    day = items.get("flight_day") or ""
    return (
        BcbpLeg(
            pnr=_strip(items.get("pnr")) or "",
            from_airport=_strip(items.get("from_airport")) or "",
            to_airport=_strip(items.get("to_airport")) or "",
            carrier=_strip(items.get("carrier")) or "",
            flight_number=_strip(items.get("flight_number")) or "",
            flight_day=day,
            flight_date=_flight_date(day, today, head.problems, where) if day else None,
            compartment=items.get("compartment") or "",
            seat=_strip(items.get("seat")) or "",
            check_in_sequence=_strip(items.get("check_in_sequence")) or "",
            passenger_status=items.get("passenger_status") or "",
            airline_numeric_code=repeated.get("airline_numeric_code"),
            document_serial_number=repeated.get("document_serial_number"),
            selectee_indicator=repeated.get("selectee_indicator"),
            international_documentation_verification=repeated.get(
                "international_documentation_verification"
            ),
            marketing_carrier=_strip(repeated.get("marketing_carrier")),
            frequent_flyer_airline=_strip(repeated.get("frequent_flyer_airline")),
            frequent_flyer_number=_strip(repeated.get("frequent_flyer_number")),
            id_ad_indicator=repeated.get("id_ad_indicator"),
            free_baggage_allowance=_strip(repeated.get("free_baggage_allowance")),
            fast_track=repeated.get("fast_track"),
            airline_use=airline_use,
        ),
        version,
    )


def _fill(
    section: str,
    layout: tuple[tuple[str, int], ...],
    into: dict[str, str | None],
    problems: list[str],
    where: str,
) -> None:
    """Items of a size-delimited conditional block: present as far as the block reaches."""
    cursor = _Cursor(section, problems, where)
    for item, width in layout:
        if cursor.pos >= len(section):
            return
        into[item] = cursor.take(width, item, required=False)
    if cursor.remaining():
        problems.append(f"{where}: {len(cursor.remaining())} unknown characters in a block")


def _strip(value: str | None) -> str | None:
    return value.strip() if value is not None else None


def _flight_date(day: str, today: date, problems: list[str], where: str) -> date | None:
    """The flight's day of the year as the real date nearest to `today`."""
    if not re.fullmatch("[0-9]{3}", day) or not 1 <= int(day) <= 366:
        problems.append(f"{where}: date of flight {day!r} is not a day of the year")
        return None
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        start = date(year, 1, 1)
        candidate = start + timedelta(days=int(day) - 1)
        if candidate.year == year:
            candidates.append(candidate)
    return min(candidates, key=lambda d: abs((d - today).days))


def _issue_date(raw: str, today: date, problems: list[str]) -> date | None:
    """`YDDD`: last digit of the year and day of the year, no later than `today`."""
    if not re.fullmatch("[0-9]{4}", raw):
        if raw.strip():
            problems.append(f"date of issue {raw!r} is not a year digit and a day of the year")
        return None
    digit, day = int(raw[0]), int(raw[1:])
    year = today.year - (today.year - digit) % 10
    for candidate_year in (year, year - 10):
        if not 1 <= day <= 366:
            break
        candidate = date(candidate_year, 1, 1) + timedelta(days=day - 1)
        if candidate.year == candidate_year and candidate <= today + timedelta(days=1):
            return candidate
    problems.append(f"date of issue {raw!r} is not a valid date")
    return None
