"""Reading the lists IT staff receive: Checkpoint's persons and document-alert CSV files, the
US OFAC SDN CSV (with its alias file) and the UN Security Council consolidated XML.

Every source returns a `ListContent`: the rows that could be read, and one line per row
that could not (its line number and why), so a file with a few broken rows is still
usable and the broken rows are reported rather than silently dropped.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import numpy as np

from checkpoint.watchlist.countries import normalise_country
from checkpoint.watchlist.model import (
    BirthDate,
    DocumentAlert,
    FaceTemplate,
    ListContent,
    Person,
    PersonName,
    TravelDocument,
    WatchlistError,
)

PERSON_COLUMNS = (
    "entry_id",
    "name",
    "aliases",
    "low_quality_aliases",
    "original_script_names",
    "date_of_birth",
    "nationality",
    "sex",
    "documents",
    "photo",
    "category",
    "reason",
    "action",
)
ALERT_COLUMNS = ("alert_id", "document_number", "issuing_country", "document_type", "reason")
DEFAULT_ACTION = "Refer to second line; do not let the traveller pass."

TemplateMaker = Callable[[Path], FaceTemplate]


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _sex(text: str | None) -> str | None:
    value = (text or "").strip().upper()
    if not value:
        return None
    if value in ("M", "MALE"):
        return "M"
    if value in ("F", "FEMALE"):
        return "F"
    if value in ("X", "<", "UNSPECIFIED"):
        return "X"
    raise WatchlistError(f"sex '{text}' is not M, F or X")


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise WatchlistError(f"{path} cannot be read ({exc.strerror}): check the path.") from exc
    with stream:
        reader = csv.DictReader(stream)
        header = reader.fieldnames or []
        missing = [column for column in required if column not in header]
        if missing:
            raise WatchlistError(
                f"{path} lacks the column(s) {', '.join(missing)}: see watchlists/README.md."
            )
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "") for k, v in row.items() if k is not None}
        except (csv.Error, UnicodeDecodeError) as exc:
            raise WatchlistError(f"{path} is not a readable CSV file ({exc}): fix it.") from exc


def read_persons_csv(path: Path, make_template: TemplateMaker | None = None) -> ListContent:
    """Persons from Checkpoint's documented CSV; photos become templates via `make_template`."""
    persons: list[Person] = []
    rejected: list[str] = []
    seen: set[str] = set()
    for line, row in _read_csv(path, ("entry_id", "name")):
        try:
            entry_id = row["entry_id"].strip()
            name = row["name"].strip()
            if not entry_id or not name:
                raise WatchlistError("entry_id and name are required")
            if entry_id in seen:
                raise WatchlistError(f"entry_id {entry_id} appears twice")
            names = [PersonName(name, "primary")]
            for column, quality in (
                ("aliases", "good"),
                ("low_quality_aliases", "low"),
                ("original_script_names", "original"),
            ):
                names += [PersonName(alias, quality) for alias in _split(row.get(column))]
            documents = []
            for cell in _split(row.get("documents")):
                parts = [part.strip() for part in cell.split(":")]
                if len(parts) != 3 or not parts[2]:
                    raise WatchlistError(f"document '{cell}' is not TYPE:ISSUER:NUMBER")
                documents.append(
                    TravelDocument(parts[2], normalise_country(parts[1]), parts[0] or None)
                )
            templates = []
            if make_template is not None:
                for photo in _split(row.get("photo")):
                    templates.append(make_template((path.parent / photo).resolve()))
            persons.append(
                Person(
                    entry_id=entry_id,
                    names=tuple(names),
                    birth_dates=tuple(BirthDate.parse(d) for d in _split(row.get("date_of_birth"))),
                    nationalities=tuple(
                        code
                        for n in _split(row.get("nationality"))
                        if (code := normalise_country(n))
                    ),
                    sex=_sex(row.get("sex")),
                    documents=tuple(documents),
                    templates=tuple(templates),
                    category=row.get("category", "").strip(),
                    reason=row.get("reason", "").strip(),
                    action=row.get("action", "").strip() or DEFAULT_ACTION,
                )
            )
            seen.add(entry_id)
        except WatchlistError as exc:
            rejected.append(f"{path.name} line {line}: {str(exc).rstrip('.')}")
    return ListContent(persons=tuple(persons), rejected=tuple(rejected))


def read_alerts_csv(path: Path) -> ListContent:
    """Document alerts (stolen, lost, revoked, invalidated) from Checkpoint's CSV."""
    alerts: list[DocumentAlert] = []
    rejected: list[str] = []
    seen: set[str] = set()
    for line, row in _read_csv(path, ("document_number", "reason")):
        number = row["document_number"].strip()
        reason = row["reason"].strip()
        issuer = normalise_country(row.get("issuing_country"))
        alert_id = row.get("alert_id", "").strip() or f"{issuer or ''}:{number}"
        problem = None
        if not number or not reason:
            problem = "document_number and reason are required"
        elif alert_id in seen:
            problem = f"alert {alert_id} appears twice"
        if problem:
            rejected.append(f"{path.name} line {line}: {problem}")
            continue
        seen.add(alert_id)
        alerts.append(
            DocumentAlert(
                alert_id, number, issuer, row.get("document_type", "").strip() or None, reason
            )
        )
    return ListContent(alerts=tuple(alerts), rejected=tuple(rejected))


_OFAC_DOB = re.compile(
    r"DOB (?:circa |c\. )?((?:\d{1,2} )?(?:[A-Z][a-z]{2} )?\d{4})"
    r"(?: to ((?:\d{1,2} )?(?:[A-Z][a-z]{2} )?\d{4}))?"
)
_OFAC_NATIONALITY = re.compile(r"(?:nationality|citizen) ([A-Za-z ,.'()-]+?)(?:;|\.$|$)")
_OFAC_PASSPORT = re.compile(r"Passport ([A-Z0-9-]+)(?: \(([^)]+)\))?")
_OFAC_GENDER = re.compile(r"Gender (Male|Female)")


def _ofac_date(text: str) -> BirthDate:
    for pattern in ("%d %b %Y", "%b %Y", "%Y"):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if pattern == "%Y":
            return BirthDate(parsed.year, parsed.year)
        if pattern == "%b %Y":
            return BirthDate(parsed.year, parsed.year, parsed.month)
        return BirthDate(parsed.year, parsed.year, parsed.month, parsed.day)
    raise WatchlistError(f"DOB '{text}' is not a date")


def _ofac_cell(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def read_ofac(sdn: Path, alt: Path | None = None) -> ListContent:
    """Individuals of the OFAC SDN list (entities and vessels are not persons: skipped)."""
    aliases: dict[str, list[PersonName]] = {}
    if alt is not None:
        with alt.open(encoding="utf-8", errors="replace", newline="") as stream:
            for row in csv.reader(stream):
                if len(row) >= 4 and _ofac_cell(row[3]):
                    aliases.setdefault(row[0].strip(), []).append(PersonName(_ofac_cell(row[3])))
    persons: list[Person] = []
    rejected: list[str] = []
    with sdn.open(encoding="utf-8", errors="replace", newline="") as stream:
        for line, row in enumerate(csv.reader(stream), start=1):
            if len(row) < 12:
                if any(cell.strip() for cell in row):
                    rejected.append(f"{sdn.name} line {line}: {len(row)} columns instead of 12")
                continue
            if _ofac_cell(row[2]).lower() != "individual":
                continue
            entry_id, name, remarks = row[0].strip(), _ofac_cell(row[1]), _ofac_cell(row[11])
            try:
                births: list[BirthDate] = []
                for match in _OFAC_DOB.finditer(remarks):
                    first = _ofac_date(match[1])
                    if match[2]:
                        last = _ofac_date(match[2])
                        births.append(BirthDate(first.year_from, last.year_to))
                    else:
                        births.append(first)
            except WatchlistError as exc:
                rejected.append(f"{sdn.name} line {line}: {exc}")
                continue
            nationalities = tuple(
                dict.fromkeys(
                    code
                    for match in _OFAC_NATIONALITY.finditer(remarks)
                    if (code := normalise_country(match[1]))
                )
            )
            documents = tuple(
                TravelDocument(match[1], normalise_country(match[2]), "P")
                for match in _OFAC_PASSPORT.finditer(remarks)
            )
            gender = _OFAC_GENDER.search(remarks)
            persons.append(
                Person(
                    entry_id=entry_id,
                    names=(PersonName(name, "primary"), *aliases.get(entry_id, [])),
                    birth_dates=tuple(births),
                    nationalities=nationalities,
                    sex=gender[1][0] if gender else None,
                    documents=documents,
                    category=_ofac_cell(row[3]),
                    reason="OFAC Specially Designated National",
                    action=DEFAULT_ACTION,
                )
            )
    return ListContent(persons=tuple(persons), rejected=tuple(rejected))


def _text(element: ET.Element | None, tag: str) -> str:
    if element is None:
        return ""
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else ""


def read_un_xml(path: Path) -> ListContent:
    """Individuals of the UN Security Council consolidated list."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise WatchlistError(f"{path} is not readable XML ({exc}): check the file.") from exc
    individuals = root.find("INDIVIDUALS")
    if root.tag != "CONSOLIDATED_LIST" or individuals is None:
        raise WatchlistError(f"{path} is not a UN consolidated list: check the file.")
    persons: list[Person] = []
    rejected: list[str] = []
    for number, item in enumerate(individuals.findall("INDIVIDUAL"), start=1):
        entry_id = _text(item, "DATAID")
        parts = [
            _text(item, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        ]
        primary = " ".join(part for part in parts if part)
        if not entry_id or not primary:
            rejected.append(f"{path.name} individual {number}: no DATAID or name")
            continue
        names = [PersonName(primary, "primary")]
        if original := _text(item, "NAME_ORIGINAL_SCRIPT"):
            names.append(PersonName(original, "original"))
        for alias in item.findall("INDIVIDUAL_ALIAS"):
            alias_name = _text(alias, "ALIAS_NAME")
            if alias_name:
                quality = "low" if _text(alias, "QUALITY").lower() == "low" else "good"
                names.append(PersonName(alias_name, quality))
        births: list[BirthDate] = []
        for dob in item.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            try:
                if full := _text(dob, "DATE"):
                    births.append(BirthDate.parse(full[:10]))
                elif year := _text(dob, "YEAR"):
                    births.append(BirthDate.parse(year))
                elif (low := _text(dob, "FROM_YEAR")) and (high := _text(dob, "TO_YEAR")):
                    births.append(BirthDate.parse(f"{low}..{high}"))
            except WatchlistError:
                rejected.append(
                    f"{path.name} individual {entry_id}: unreadable birth date (kept without it)"
                )
        nationalities = tuple(
            dict.fromkeys(
                code
                for nationality in item.findall("NATIONALITY")
                for value in nationality.findall("VALUE")
                if (code := normalise_country(value.text))
            )
        )
        documents = []
        for document in item.findall("INDIVIDUAL_DOCUMENT"):
            if number_text := _text(document, "NUMBER"):
                issuer = _text(document, "ISSUING_COUNTRY") or _text(document, "COUNTRY_OF_ISSUE")
                documents.append(
                    TravelDocument(
                        number_text,
                        normalise_country(issuer),
                        _text(document, "TYPE_OF_DOCUMENT") or None,
                    )
                )
        gender = _text(item, "GENDER").lower()
        persons.append(
            Person(
                entry_id=entry_id,
                names=tuple(names),
                birth_dates=tuple(births),
                nationalities=nationalities,
                sex={"male": "M", "female": "F"}.get(gender),
                documents=tuple(documents),
                category=_text(item, "UN_LIST_TYPE"),
                reason=f"UN Security Council sanctions {_text(item, 'REFERENCE_NUMBER')}".strip(),
                action=DEFAULT_ACTION,
            )
        )
    return ListContent(persons=tuple(persons), rejected=tuple(rejected))


def face_template_from_photo(path: Path) -> FaceTemplate:
    """The dlib ResNet embedding (face_recognition) of the largest face in a photo."""
    # face_recognition loads dlib and its models (seconds): only when photos are used.
    import face_recognition  # noqa: PLC0415

    from checkpoint.documents.image import load_image  # noqa: PLC0415

    try:
        rgb = np.ascontiguousarray(load_image(path)[:, :, ::-1])
    except Exception as exc:
        raise WatchlistError(f"photo {path.name} cannot be read") from exc
    boxes = face_recognition.face_locations(rgb)
    if not boxes:
        raise WatchlistError(f"photo {path.name} shows no face")
    largest = max(boxes, key=lambda box: (box[2] - box[0]) * (box[1] - box[3]))
    vector = face_recognition.face_encodings(rgb, [largest])[0]
    return FaceTemplate(np.asarray(vector, dtype=np.float32), FACE_MODEL, FACE_MODEL_VERSION)


FACE_MODEL = "dlib_face_recognition_resnet_model_v1"
FACE_MODEL_VERSION = "1"
