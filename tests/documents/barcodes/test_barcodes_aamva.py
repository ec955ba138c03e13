"""AAMVA card files: the standard's Annex D example, older versions, Canada, broken files."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.documents.barcodes.aamva import looks_like_aamva, parse_aamva, parse_card_date

# AAMVA DL/ID Card Design Standard (2020), Annex D: the example of a version 10 file.
ANNEX_D = (
    "@\n\x1e\rANSI 636000100002DL00410278ZV03190008DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\n"
    "DDFN\nDADJOHN\nDDGN\nDCUJR\nDCAD\nDCBK\nDCDPH\nDBD06062019\nDBB06061986\nDBA12102024\n"
    "DBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \n"
    "DCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB06062018\nDDC06062020\nDDD1\r"
    "ZVZVA01\r"
)


def _card(
    elements: list[str],
    *,
    header: str = "ANSI ",
    iin: str = "636000",
    version: str = "08",
    jurisdiction: str = "00",
) -> str:
    """A well-formed single-subfile file with correct offsets."""
    body = "DL" + "\n".join(elements) + "\r"
    versions = version + ("" if version == "01" else jurisdiction)
    head = f"@\n\x1e\r{header}{iin}{versions}01"
    offset = len(head) + 10
    return f"{head}DL{offset:04d}{len(body):04d}{body}"


def test_annex_d_example() -> None:
    card = parse_aamva(ANNEX_D)
    assert card.problems == ()
    assert (card.file_type, card.issuer_id, card.version, card.jurisdiction_version) == (
        "ANSI ",
        "636000",
        10,
        0,
    )
    assert [(s.type, s.offset, s.length) for s in card.subfiles] == [
        ("DL", 41, 278),
        ("ZV", 319, 8),
    ]
    assert (card.surname, card.given_names) == ("SAMPLE", "MICHAEL JOHN")
    assert card.birth_date == date(1986, 6, 6)
    assert card.expiry_date == date(2024, 12, 10)
    assert card.issue_date == date(2019, 6, 6)
    assert (card.sex, card.document_number, card.country, card.jurisdiction) == (
        "M",
        "T64235789",
        "USA",
        "VA",
    )
    assert card.element("DAG") == "2300 WEST BROAD STREET"
    assert card.element("DCU") == "JR"
    names = {e.id: e.name for e in card.subfiles[0].elements}
    assert names["DAY"] == "eye colour"
    assert names["DDC"] == "HAZMAT endorsement expiration date"
    jurisdiction = card.subfiles[1].elements[0]
    assert (jurisdiction.id, jurisdiction.name, jurisdiction.value) == (
        "ZVA",
        "jurisdiction element",
        "01",
    )


def test_unknown_elements_are_kept() -> None:
    card = parse_aamva(_card(["DAQ123", "DCSDOE", "DACJANE", "QQQsomething new", "DBB01021990"]))
    assert card.problems == ()
    unknown = [e for e in card.subfiles[0].elements if e.id == "QQQ"]
    assert unknown
    assert unknown[0].name == "unknown element"
    assert unknown[0].value == "something new"


def test_canadian_cards_write_dates_year_first() -> None:
    text = _card(["DAQ A1234", "DCSTREMBLAY", "DACMARIE", "DBB19850317", "DCGCAN", "DBC2"])
    card = parse_aamva(text)
    assert card.birth_date == date(1985, 3, 17)
    assert (card.country, card.sex) == ("CAN", "F")


def test_canadian_issuer_number_implies_canada_without_dcg() -> None:
    card = parse_aamva(_card(["DAQX1", "DCSROY", "DACLUC", "DBB19991231"], iin="636012"))
    assert card.country == "CAN"
    assert card.birth_date == date(1999, 12, 31)


def test_version_1_full_name_and_aamva_header() -> None:
    text = _card(
        ["DAQ99887766", "DAADOE,JOHN,QUINCY", "DBB19700102", "DBCM"], header="AAMVA", version="01"
    )
    card = parse_aamva(text)
    assert card.problems == ()
    assert (card.file_type, card.version, card.jurisdiction_version) == ("AAMVA", 1, None)
    assert (card.surname, card.given_names) == ("DOE", "JOHN QUINCY")
    assert card.birth_date == date(1970, 1, 2)
    assert card.sex == "M"


def test_header_without_the_space_after_ansi() -> None:
    text = ANNEX_D.replace("ANSI 636000", "ANSI636000").replace("DL0041", "DL0040")
    text = text.replace("ZV0319", "ZV0318")
    card = parse_aamva(text)
    assert card.problems == ()
    assert (card.issuer_id, card.version, card.surname) == ("636000", 10, "SAMPLE")


def test_version_3_given_names_element() -> None:
    card = parse_aamva(_card(["DAQ1", "DCSPUBLIC", "DCTJOHN,Q", "DBB07041976"], version="03"))
    assert (card.surname, card.given_names) == ("PUBLIC", "JOHN Q")
    assert card.birth_date == date(1976, 7, 4)


def test_sex_codes() -> None:
    assert parse_aamva(_card(["DBC9"])).sex == "X"
    assert parse_aamva(_card(["DBC2"])).sex == "F"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ANNEX_D.replace("DL00410278", "DL09990278"), "run past the end"),
        (ANNEX_D.replace("DL00410278", "DL00300278"), "does not point at the subfile"),
        (ANNEX_D[:120], "run past the end"),
        (ANNEX_D.replace("@\n\x1e\r", "@\n\x1c\r"), "compliance separators"),
        (ANNEX_D.replace("6360001000", "63600X1000"), "issuer number"),
        (ANNEX_D.replace("DBB06061986", "DBB13451986"), "is not a date"),
        ("@\n\x1e\rANSI 6360", "no subfile"),
        (ANNEX_D.replace("02DL0041", "02D!0041"), "designator"),
    ],
)
def test_malformed_files_say_what_is_wrong(text: str, expected: str) -> None:
    card = parse_aamva(text)
    assert any(expected in problem for problem in card.problems), card.problems


def test_wrong_offsets_still_find_the_data() -> None:
    card = parse_aamva(ANNEX_D.replace("DL00410278", "DL00300278"))
    assert card.surname == "SAMPLE"
    assert card.birth_date == date(1986, 6, 6)


def test_card_dates() -> None:
    assert parse_card_date("06061986", canadian=False) == date(1986, 6, 6)
    assert parse_card_date("19860606", canadian=True) == date(1986, 6, 6)
    # An impossible US reading falls back to the other order.
    assert parse_card_date("19860606", canadian=False) == date(1986, 6, 6)
    assert parse_card_date("2024", canadian=False) is None


def test_detection() -> None:
    assert looks_like_aamva(ANNEX_D)
    assert not looks_like_aamva("hello ANSI")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_raising(text: str) -> None:
    card = parse_aamva("@\n\x1e\rANSI " + text)
    assert isinstance(card.problems, tuple)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(ANNEX_D) - 1), st.binary(max_size=30))
def test_truncated_or_corrupted_annex_d_reports_problems(cut: int, junk: bytes) -> None:
    text = ANNEX_D[:cut] + junk.decode("latin-1")
    card = parse_aamva(text)
    if not junk:
        assert card.problems
