"""Parsing MRZ text: every format, every field rule, on ICAO Doc 9303's own specimens."""

from __future__ import annotations

import json
from datetime import date

import pytest

from checkpoint.documents.mrz import (
    LINE_SHAPES,
    MrzError,
    MrzFormat,
    check_digit,
    detect_format,
    mrz_to_json,
    parse_mrz,
)

TODAY = date(2026, 11, 23)

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD1_LONG = (
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
)
MRV_A = (
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
)
MRV_B = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<")
FR_ID = ("IDFRAAMADOU<<<<<<<<<<<<<<<<<<<077055", "1807772501026DJIBRIROU<<<<<7512319M3")


def with_checks(line: str, checks: list[tuple[int, list[tuple[int, int]]]]) -> str:
    """`line` with the digit at each 1-based position recomputed over the given ranges."""
    chars = list(line)
    for position, ranges in checks:
        data = "".join("".join(chars[a - 1 : b]) for a, b in ranges)
        chars[position - 1] = check_digit(data)
    return "".join(chars)


def td3_line2(line: str) -> str:
    return with_checks(
        line,
        [
            (10, [(1, 9)]),
            (20, [(14, 19)]),
            (28, [(22, 27)]),
            (43, [(29, 42)]),
            (44, [(1, 10), (14, 20), (22, 43)]),
        ],
    )


def test_td3_part4_specimen() -> None:
    read = parse_mrz(TD3, today=TODAY)
    assert read.format is MrzFormat.TD3
    assert read.valid
    assert read.confidence == 1.0
    assert read.corrections == ()
    assert read.warnings == ()
    assert read.lines == read.raw_lines == TD3
    assert set(read.checks) == {
        "document_number",
        "birth_date",
        "expiry_date",
        "personal_number",
        "composite",
    }
    f = read.fields
    assert (f.document_code, f.issuer, f.nationality) == ("P", "UTO", "UTO")
    assert (f.surname, f.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert f.document_number == "L898902C3"
    assert (f.birth_date, f.birth_date_raw) == (date(1974, 8, 12), "740812")
    assert (f.expiry_date, f.expiry_date_raw) == (date(2012, 4, 15), "120415")
    assert f.sex == "F"
    assert f.personal_number == f.optional_data == "ZE184226B"
    assert not f.name_truncated
    assert read.checks["composite"].expected == read.checks["composite"].found == "0"


def test_td2_part6_specimen() -> None:
    read = parse_mrz(TD2, today=TODAY)
    assert (read.format, read.valid) == (MrzFormat.TD2, True)
    assert read.fields.document_number == "D23145890"
    assert read.fields.given_names == "ANNA MARIA"
    assert set(read.checks) == {"document_number", "birth_date", "expiry_date", "composite"}


def test_td1_part5_specimen() -> None:
    read = parse_mrz(TD1, today=TODAY)
    assert (read.format, read.valid) == (MrzFormat.TD1, True)
    assert read.fields.document_number == "D23145890"
    assert read.fields.surname == "ERIKSSON"
    assert read.fields.nationality == "UTO"
    assert read.fields.optional_data == read.fields.optional_data_2 == ""


def test_td1_long_document_number_part5_specimen() -> None:
    read = parse_mrz(TD1_LONG, today=TODAY)
    assert read.valid
    assert read.fields.document_number == "D23145890734"
    assert read.checks["document_number"].found == "9"
    assert read.fields.optional_data == ""
    assert read.fields.birth_date == date(1934, 7, 12)
    assert read.fields.expiry_date == date(1995, 7, 12)
    assert read.fields.sex == "M"
    assert (read.fields.surname, read.fields.given_names) == ("STEVENSON", "PETER JOHN")


def test_td1_long_document_number_followed_by_optional_data() -> None:
    line1 = "I<UTOD23145890<7349<ABC<<<<<<<"
    line2 = with_checks(TD1_LONG[1], [(30, [])])
    lines = [line1, line2, TD1_LONG[2]]
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    lines[1] = line2[:29] + composite
    read = parse_mrz(lines, today=TODAY)
    assert read.valid
    assert read.fields.document_number == "D23145890734"
    assert read.fields.optional_data == "ABC"


def test_td2_long_document_number_part11_specimen() -> None:
    lines = ("I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8")
    read = parse_mrz(lines, today=TODAY)
    assert read.valid, read.checks
    assert read.fields.document_number == "D23145890734"
    assert read.fields.optional_data == ""
    assert read.checks["document_number"].found == "9"


def test_today_defaults_to_the_clock() -> None:
    read = parse_mrz(TD3)
    assert read.valid
    assert read.fields.birth_date == date(1974, 8, 12)


def test_visa_part7_specimens() -> None:
    a = parse_mrz(MRV_A, today=TODAY)
    assert (a.format, a.valid) == (MrzFormat.MRV_A, True)
    assert "composite" not in a.checks
    assert a.fields.document_number == "L8988901C"
    assert a.fields.nationality == "XXX"
    assert a.fields.optional_data == "6ZE184226B"
    assert a.fields.expiry_date == date(1996, 12, 10)
    b = parse_mrz(MRV_B, today=TODAY)
    assert (b.format, b.valid) == (MrzFormat.MRV_B, True)
    assert set(b.checks) == {"document_number", "birth_date", "expiry_date"}
    assert b.fields.birth_date == date(1940, 9, 7)


def test_french_id_card_before_2021() -> None:
    read = parse_mrz(FR_ID, today=TODAY)
    assert (read.format, read.valid) == (MrzFormat.FR_ID, True)
    f = read.fields
    assert (f.document_code, f.issuer, f.nationality) == ("ID", "FRA", "FRA")
    assert (f.surname, f.given_names) == ("AMADOU", "DJIBRIROU")
    assert f.document_number == "180777250102"
    assert f.optional_data == "077055"
    assert f.birth_date == date(1975, 12, 31)
    assert f.expiry_date is None
    assert f.expiry_date_raw == ""
    assert f.issue_date == date(2018, 7, 1)
    assert set(read.checks) == {"document_number", "birth_date", "composite"}


def test_french_composite_covers_line_one() -> None:
    tampered = (FR_ID[0].replace("AMADOU", "AMADOV"), FR_ID[1])
    read = parse_mrz(tampered, today=TODAY)
    assert read.format is MrzFormat.FR_ID
    assert not read.checks["composite"].valid
    assert not read.valid


def test_idfra_that_only_checks_as_td2_is_td2() -> None:
    line1 = "IDFRAERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
    assert detect_format([line1, TD2[1]]) is MrzFormat.TD2
    assert detect_format(FR_ID) is MrzFormat.FR_ID


@pytest.mark.parametrize(
    ("lines", "fmt"),
    [
        (TD3, "TD3"),
        (TD2, "TD2"),
        (TD1, "TD1"),
        (MRV_A, "MRV-A"),
        (MRV_B, "MRV-B"),
        (FR_ID, "FR-ID"),
    ],
)
def test_detect_format(lines: tuple[str, ...], fmt: str) -> None:
    assert detect_format(lines) == MrzFormat(fmt)
    assert LINE_SHAPES[MrzFormat(fmt)] == (len(lines), len(lines[0]))


def test_germany_d_filler_filler() -> None:
    line1 = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<"
    line2 = td3_line2("C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4")
    read = parse_mrz([line1, line2], today=TODAY)
    assert read.valid
    assert (read.fields.issuer, read.fields.nationality) == ("D", "D")
    assert read.fields.surname == "MUSTERMANN"
    assert read.fields.document_number == "C01X00T47"
    assert read.warnings == ()


@pytest.mark.parametrize("check", ["<", "0"])
def test_empty_personal_number_check_may_be_filler_or_zero(check: str) -> None:
    line2 = td3_line2("L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<0")
    line2 = line2[:42] + check + line2[43]
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.checks["personal_number"].valid
    assert read.valid
    assert read.fields.personal_number == ""


def test_filler_check_digit_is_wrong_when_personal_number_is_not_empty() -> None:
    line2 = TD3[1][:42] + "<" + TD3[1][43]
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert not read.checks["personal_number"].valid


def test_truncated_name_ends_in_a_letter() -> None:
    line1 = "P<UTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K"
    read = parse_mrz([line1, TD3[1]], today=TODAY)
    assert read.fields.name_truncated
    assert read.fields.given_names == "CHAYAPA DEJTHAMRONG K"
    assert not parse_mrz(TD3, today=TODAY).fields.name_truncated


def test_name_without_given_names_and_without_surname() -> None:
    only_surname = "P<UTOERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
    read = parse_mrz([only_surname, TD3[1]], today=TODAY)
    assert (read.fields.surname, read.fields.given_names) == ("ERIKSSON", "")
    only_given = "P<UTO<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
    read = parse_mrz([only_given, TD3[1]], today=TODAY)
    assert (read.fields.surname, read.fields.given_names) == ("", "ANNA")


@pytest.mark.parametrize(("char", "sex"), [("M", "M"), ("F", "F"), ("<", "X"), ("X", "X")])
def test_sex_codes(char: str, sex: str) -> None:
    line2 = TD3[1][:20] + char + TD3[1][21:]
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.fields.sex == sex
    assert read.valid  # the sex is outside every check digit
    assert read.warnings == ()


def test_unknown_sex_code_is_kept_and_warned() -> None:
    line2 = TD3[1][:20] + "T" + TD3[1][21:]
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.fields.sex == "T"
    assert any("sex code" in w for w in read.warnings)


@pytest.mark.parametrize(
    ("raw", "expected", "ambiguous"),
    [
        ("740812", date(1974, 8, 12), False),
        ("000101", date(2000, 1, 1), False),
        ("261123", date(2026, 11, 23), True),  # born today, or a 100-year-old
        ("261124", date(1926, 11, 24), False),  # tomorrow cannot be a birth date
        ("230615", date(2023, 6, 15), True),
        ("150301", date(2015, 3, 1), False),  # 111 years old is not plausible
    ],
)
def test_birth_century(raw: str, expected: date, ambiguous: bool) -> None:
    line2 = td3_line2(TD3[1][:13] + raw + TD3[1][19:])
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.valid
    assert read.fields.birth_date == expected
    warned = [w for w in read.warnings if "birth date" in w]
    assert bool(warned) == ambiguous
    if ambiguous:
        assert expected.isoformat() in warned[0]
        assert expected.replace(year=expected.year - 100).isoformat() in warned[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("120415", date(2012, 4, 15)),
        ("460101", date(2046, 1, 1)),
        ("770101", date(1977, 1, 1)),
        ("991231", date(1999, 12, 31)),
        ("310601", date(2031, 6, 1)),
    ],
)
def test_expiry_century(raw: str, expected: date) -> None:
    line2 = td3_line2(TD3[1][:21] + raw + TD3[1][27:])
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.fields.expiry_date == expected
    assert read.warnings == ()


def test_invalid_and_unknown_dates_keep_the_raw_text() -> None:
    line2 = td3_line2(TD3[1][:13] + "741332" + TD3[1][19:])
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.valid  # the check digit says the text was read right
    assert read.fields.birth_date is None
    assert read.fields.birth_date_raw == "741332"
    assert any("741332" in w for w in read.warnings)
    line2 = td3_line2(TD3[1][:13] + "74<<<<" + TD3[1][19:])
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.valid
    assert read.fields.birth_date is None
    assert read.fields.birth_date_raw == "74<<<<"


def test_leap_day_in_only_one_century() -> None:
    line2 = td3_line2(TD3[1][:13] + "000229" + TD3[1][19:])
    read = parse_mrz([TD3[0], line2], today=TODAY)
    assert read.fields.birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(
    ("code", "fmt_lines", "warns"),
    [
        ("P<", TD3, False),
        ("PD", TD3, False),
        ("I<", TD3, True),
        ("AC", TD1, False),
        ("C<", TD2, False),
        ("P<", TD1, True),
    ],
)
def test_document_codes(code: str, fmt_lines: tuple[str, ...], warns: bool) -> None:
    lines = list(fmt_lines)
    lines[0] = code + lines[0][2:]
    read = parse_mrz(lines, today=TODAY)
    assert read.fields.document_code == code.rstrip("<")
    assert any("document code" in w for w in read.warnings) == warns


def test_whitespace_lowercase_and_a_single_string_are_accepted() -> None:
    messy = [
        "  p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n",
        "L898902C36 UTO7408122F1204159ZE184226B<<<<<10 ",
        "",
    ]
    assert parse_mrz(messy, today=TODAY).lines == TD3
    assert parse_mrz("\n".join(TD3), today=TODAY).lines == TD3


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [""],
        [TD3[0]],
        [TD3[0], TD3[1][:-1]],
        [TD3[0], TD3[1] + "<"],
        [TD3[0][:36], TD3[1]],
        [*TD3, TD3[1]],
        [TD3[0], TD3[1].replace("F", "é")],
        [TD3[0], TD3[1].replace("<", "«")],
        ["<" * 30] * 4,
    ],
)
def test_text_that_is_no_mrz_raises(lines: list[str]) -> None:
    with pytest.raises(MrzError) as info:
        parse_mrz(lines, today=TODAY)
    message = str(info.value)
    assert message.endswith(".")
    assert ". " not in message  # one sentence


def test_json_form() -> None:
    read = parse_mrz(TD3, today=TODAY)
    data = mrz_to_json(read)
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == "TD3"
    assert data["valid"] is True
    assert data["checks"] == {
        "document_number": True,
        "birth_date": True,
        "expiry_date": True,
        "personal_number": True,
        "composite": True,
    }
    fields = data["fields"]
    assert isinstance(fields, dict)
    assert fields["birth_date"] == "1974-08-12"
    assert fields["expiry_date"] == "2012-04-15"
    assert fields["surname"] == "ERIKSSON"
    assert data["lines"] == list(TD3)
    assert data["corrections"] == []
    fr = mrz_to_json(parse_mrz(FR_ID, today=TODAY))
    assert isinstance(fr["fields"], dict)
    assert fr["fields"]["expiry_date"] is None


def test_json_lists_corrections() -> None:
    lines = [TD3[0], TD3[1].replace("7408122", "74O8122")]
    data = mrz_to_json(parse_mrz(lines, today=TODAY))
    assert data["corrections"] == [
        {
            "line": 2,
            "position": 16,
            "field": "birth_date",
            "was": "O",
            "now": "0",
            "reason": "a letter cannot stand in this digits-only field",
        }
    ]
    assert data["raw_lines"] == lines
    assert data["lines"] == list(TD3)
