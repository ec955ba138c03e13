"""AAMVA driving licence and ID card payloads (PDF417 on North American cards, versions 1–10).

Written by hand: the few Python parsers for this format are unmaintained and drop what they
do not know. The file is a header (`@`, LF, RS, CR, then `ANSI ` or, on some old cards,
`AAMVA`, the issuer number, the standard's version, the jurisdiction's version from version 2
on, and the number of subfiles), one 10-character designator per subfile (type, offset,
length), then the subfiles: each a 2-letter type followed by data elements, a 3-letter ID
and its value, separated by LF and ended by CR.

Real cards bend the rules (wrong offsets, missing separators), so offsets are trusted only
when they point at the subfile they name; otherwise the subfile is looked for by its type.
Every element is kept, named when the standard names it. Dates are MMDDCCYY on US cards and
CCYYMMDD on Canadian ones. Problems are reported in `problems`; the parser never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KIND = "aamva"

ELEMENT_NAMES = {
    "DAA": "full name",
    "DAB": "family name (v1)",
    "DAC": "first name",
    "DAD": "middle names",
    "DAE": "name suffix",
    "DAF": "name prefix",
    "DAG": "street address 1",
    "DAH": "street address 2",
    "DAI": "city",
    "DAJ": "jurisdiction code",
    "DAK": "postal code",
    "DAL": "residence street address 1",
    "DAM": "residence street address 2",
    "DAN": "residence city",
    "DAO": "residence jurisdiction code",
    "DAP": "residence postal code",
    "DAQ": "customer ID number",
    "DAR": "licence classification code",
    "DAS": "licence restriction code",
    "DAT": "licence endorsements code",
    "DAU": "height",
    "DAV": "height (cm)",
    "DAW": "weight (pounds)",
    "DAX": "weight (kilograms)",
    "DAY": "eye colour",
    "DAZ": "hair colour",
    "DBA": "document expiration date",
    "DBB": "date of birth",
    "DBC": "sex",
    "DBD": "document issue date",
    "DBE": "issue timestamp",
    "DBF": "number of duplicates",
    "DBG": "medical indicator codes",
    "DBH": "organ donor",
    "DBI": "non-resident indicator",
    "DBJ": "unique customer identifier",
    "DBK": "social security number",
    "DBL": "date of birth (alternative)",
    "DBM": "social security number (alternative)",
    "DBN": "alias family name",
    "DBO": "alias last name",
    "DBP": "alias first name",
    "DBQ": "alias middle names",
    "DBR": "alias suffix",
    "DBS": "alias suffix",
    "DCA": "jurisdiction vehicle class",
    "DCB": "jurisdiction restriction codes",
    "DCD": "jurisdiction endorsement codes",
    "DCE": "weight range",
    "DCF": "document discriminator",
    "DCG": "country identification",
    "DCH": "federal commercial vehicle codes",
    "DCI": "place of birth",
    "DCJ": "audit information",
    "DCK": "inventory control number",
    "DCL": "race or ethnicity",
    "DCM": "standard vehicle classification",
    "DCN": "standard endorsement code",
    "DCO": "standard restriction code",
    "DCP": "jurisdiction vehicle classification description",
    "DCQ": "jurisdiction endorsement code description",
    "DCR": "jurisdiction restriction code description",
    "DCS": "family name",
    "DCT": "given names (v2-v3)",
    "DCU": "name suffix",
    "DDA": "compliance type",
    "DDB": "card revision date",
    "DDC": "HAZMAT endorsement expiration date",
    "DDD": "limited duration document indicator",
    "DDE": "family name truncation",
    "DDF": "first name truncation",
    "DDG": "middle name truncation",
    "DDH": "under 18 until",
    "DDI": "under 19 until",
    "DDJ": "under 21 until",
    "DDK": "organ donor indicator",
    "DDL": "veteran indicator",
    "PAA": "permit classification code",
    "PAB": "permit expiration date",
    "PAC": "permit identifier",
    "PAD": "permit issue date",
    "PAE": "permit restriction code",
    "PAF": "permit endorsement code",
}
DATE_ELEMENTS = frozenset(
    {"DBA", "DBB", "DBD", "DBL", "DDB", "DDC", "DDH", "DDI", "DDJ", "PAB", "PAD"}
)
# Issuer identification numbers of the Canadian provinces and territories, for cards that do
# not say which country issued them (DCG is mandatory only from version 2).
CANADIAN_ISSUERS = frozenset(
    {
        "604426",
        "604427",
        "604428",
        "604429",
        "604430",
        "604431",
        "604432",
        "604433",
        "636012",
        "636013",
        "636016",
        "636017",
        "636028",
        "636044",
        "636048",
    }
)
_SEX = {"1": "M", "2": "F", "9": "X", "M": "M", "F": "F", "X": "X"}


@dataclass(frozen=True)
class AamvaElement:
    """One data element: its 3-letter ID, what the standard calls it, and its value."""

    id: str
    name: str
    value: str
    date: date | None = None


@dataclass(frozen=True)
class AamvaSubfile:
    """One subfile: `DL` licence, `ID` identity card, `EN` enhanced, `Z?` jurisdiction's own."""

    type: str
    offset: int | None
    length: int | None
    elements: tuple[AamvaElement, ...]


@dataclass(frozen=True)
class AamvaPayload:
    """A North American licence or ID card, with the fields an officer compares."""

    file_type: str
    issuer_id: str
    version: int | None
    jurisdiction_version: int | None
    subfiles: tuple[AamvaSubfile, ...]
    surname: str
    given_names: str
    birth_date: date | None
    expiry_date: date | None
    issue_date: date | None
    sex: str
    document_number: str
    country: str
    jurisdiction: str
    problems: tuple[str, ...] = ()
    kind: str = KIND

    def element(self, element_id: str) -> str | None:
        """The value of the first element with this ID in any subfile, or None."""
        for subfile in self.subfiles:
            for element in subfile.elements:
                if element.id == element_id:
                    return element.value
        return None


def looks_like_aamva(text: str) -> bool:
    """Whether `text` is meant to be an AAMVA card file (even a broken one)."""
    head = text[:40]
    return text.startswith("@") and ("ANSI" in head or "AAMVA" in head)


def parse_aamva(text: str) -> AamvaPayload:
    """Parse an AAMVA card file; whatever cannot be read is named in `problems`."""
    problems: list[str] = []
    if text[1:4] != "\n\x1e\r":
        problems.append("header: the compliance separators after '@' are not LF, RS, CR")
    match = re.search(r"ANSI ?|AAMVA", text[:40])
    start = match.start() if match else 4
    file_type = match.group(0) if match else ""
    pos = start + (5 if file_type in ("ANSI ", "AAMVA") else len(file_type))
    issuer = text[pos : pos + 6]
    if not re.fullmatch(r"[0-9]{6}", issuer):
        problems.append(f"header: issuer number {issuer!r} is not 6 digits")
    pos += 6
    version = _number(text[pos : pos + 2], "AAMVA version", problems)
    pos += 2
    jurisdiction_version = None
    if version is None or version >= 2:
        jurisdiction_version = _number(text[pos : pos + 2], "jurisdiction version", problems)
        pos += 2
    entries = _number(text[pos : pos + 2], "number of entries", problems)
    pos += 2
    designators: list[tuple[str, int | None, int | None]] = []
    for _ in range(entries or 0):
        chunk = text[pos : pos + 10]
        if not re.fullmatch(r"[A-Z]{2}[0-9]{8}", chunk):
            problems.append(f"header: subfile designator {chunk!r} is malformed")
            break
        designators.append((chunk[:2], int(chunk[2:6]), int(chunk[6:10])))
        pos += 10
    if not designators:
        found = re.search(r"(DL|ID|EN)(?=[A-Z]{3})", text[pos:])
        if found:
            designators.append((found.group(1), None, None))
    subfiles = [
        _subfile(text, after_header=pos, kind=kind, offset=off, length=length, problems=problems)
        for kind, off, length in designators
    ]
    if not subfiles:
        problems.append("no subfile with data elements was found")
    country = _first(subfiles, "DCG").upper()
    if not country:
        country = "CAN" if issuer in CANADIAN_ISSUERS else ("USA" if issuer else "")
    canadian = country == "CAN"
    dated = [
        AamvaSubfile(
            s.type,
            s.offset,
            s.length,
            tuple(_dated(e, canadian, version, problems) for e in s.elements),
        )
        for s in subfiles
    ]
    surname, given = _names(dated)
    sex_raw = _first(dated, "DBC")
    sex = _SEX.get(sex_raw.strip().upper(), sex_raw.strip())
    return AamvaPayload(
        file_type=file_type,
        issuer_id=issuer,
        version=version,
        jurisdiction_version=jurisdiction_version,
        subfiles=tuple(dated),
        surname=surname,
        given_names=given,
        birth_date=_first_date(dated, "DBB"),
        expiry_date=_first_date(dated, "DBA"),
        issue_date=_first_date(dated, "DBD"),
        sex=sex,
        document_number=_first(dated, "DAQ").strip(),
        country=country,
        jurisdiction=_first(dated, "DAJ").strip(),
        problems=tuple(problems),
    )


def _number(raw: str, what: str, problems: list[str]) -> int | None:
    if re.fullmatch(r"[0-9]{2}", raw):
        return int(raw)
    problems.append(f"header: {what} {raw!r} is not 2 digits")
    return None


def _subfile(
    text: str,
    *,
    after_header: int,
    kind: str,
    offset: int | None,
    length: int | None,
    problems: list[str],
) -> AamvaSubfile:
    body: str | None = None
    if offset is not None and length is not None:
        if offset + length > len(text):
            problems.append(
                f"subfile {kind}: offset {offset} and length {length} run past the end "
                f"of the data ({len(text)} characters)"
            )
        elif text[offset : offset + 2] != kind:
            problems.append(f"subfile {kind}: offset {offset} does not point at the subfile")
        else:
            body = text[offset + 2 : offset + length]
    if body is None:
        where = text.find(kind, after_header)
        if where < 0:
            problems.append(f"subfile {kind} is named in the header but not present")
            return AamvaSubfile(kind, offset, length, ())
        end = text.find("\r", where)
        body = text[where + 2 : end if end >= 0 else len(text)]
    elements = []
    for chunk in re.split(r"[\n\r]+", body):
        line = chunk.strip("\x1e\x1c\x1d ")
        if not line:
            continue
        element_id, value = line[:3], line[3:]
        if not re.fullmatch(r"[A-Z]{3}", element_id):
            problems.append(f"subfile {kind}: {line[:12]!r} does not start with an element ID")
            element_id, value = "", line
        name = ELEMENT_NAMES.get(element_id)
        if name is None:
            name = "jurisdiction element" if element_id.startswith("Z") else "unknown element"
        elements.append(AamvaElement(element_id, name, value.rstrip()))
    return AamvaSubfile(kind, offset, length, tuple(elements))


def _dated(
    element: AamvaElement, canadian: bool, version: int | None, problems: list[str]
) -> AamvaElement:
    if element.id not in DATE_ELEMENTS or not element.value:
        return element
    parsed = parse_card_date(element.value, canadian=canadian or version == 1)
    if parsed is None:
        problems.append(f"{element.id} ({element.name}) {element.value!r} is not a date")
    return AamvaElement(element.id, element.name, element.value, parsed)


def parse_card_date(raw: str, *, canadian: bool) -> date | None:
    """MMDDCCYY (US) or CCYYMMDD (Canada and version 1); the other order if that one fails."""
    digits = raw.strip()
    if not re.fullmatch(r"[0-9]{8}", digits):
        return None
    us = (int(digits[4:8]), int(digits[0:2]), int(digits[2:4]))
    ca = (int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    for year, month, day in (ca, us) if canadian else (us, ca):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _first(subfiles: list[AamvaSubfile], element_id: str) -> str:
    for subfile in subfiles:
        for element in subfile.elements:
            if element.id == element_id:
                return element.value
    return ""


def _first_date(subfiles: list[AamvaSubfile], element_id: str) -> date | None:
    for subfile in subfiles:
        for element in subfile.elements:
            if element.id == element_id:
                return element.date
    return None


def _names(subfiles: list[AamvaSubfile]) -> tuple[str, str]:
    """Family and given names, from whichever elements this version of the standard uses."""
    surname = (_first(subfiles, "DCS") or _first(subfiles, "DAB")).strip()
    first = (_first(subfiles, "DAC") or _first(subfiles, "DCT")).replace(",", " ").strip()
    middle = _first(subfiles, "DAD").replace(",", " ").strip()
    full = _first(subfiles, "DAA").strip()
    if full and not (surname and first):
        parts = [p.strip() for p in re.split(r"[,$]", full)]
        surname = surname or parts[0]
        if len(parts) > 1 and not first:
            first = parts[1]
            middle = middle or " ".join(p for p in parts[2:] if p)
    given = " ".join(part for part in (first, middle) if part and part.upper() != "NONE")
    return surname, given
