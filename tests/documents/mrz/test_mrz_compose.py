"""Composing MRZs: ICAO Doc 9303's own specimens come out to the character."""

from __future__ import annotations

from datetime import date

import pytest

from checkpoint.documents.mrz.checkdigit import check_digit
from checkpoint.documents.mrz.compose import compose
from checkpoint.documents.mrz.formats import LINE_SHAPES, MrzError, MrzFormat
from checkpoint.documents.mrz.transliterate import to_mrz_name

ERIKSSON = {
    "document_code": "P",
    "issuer": "UTO",
    "surname": "Eriksson",
    "given_names": "Anna Maria",
    "document_number": "L898902C3",
    "nationality": "UTO",
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
}


def test_check_digit_icao_examples() -> None:
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("ZE184226B<<<<<") == "1"
    assert check_digit("<<<<<<") == "0"
    with pytest.raises(ValueError, match="not an MRZ character"):
        check_digit("a")


def test_td3_part4_specimen() -> None:
    assert compose(MrzFormat.TD3, **ERIKSSON, personal_number="ZE184226B") == (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    )


def test_td3_empty_personal_number_has_filler_check_digit() -> None:
    line2 = compose(MrzFormat.TD3, **ERIKSSON)[1]
    assert line2[28:43] == "<" * 15
    assert line2[43] == check_digit(line2[0:10] + line2[13:20] + line2[21:43])


def test_td2_part6_specimen() -> None:
    fields = {**ERIKSSON, "document_code": "I", "document_number": "D23145890"}
    assert compose(MrzFormat.TD2, **fields) == (
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    )


def test_td1_part5_specimens_including_long_document_number() -> None:
    fields = {**ERIKSSON, "document_code": "I", "document_number": "D23145890"}
    assert compose(MrzFormat.TD1, **fields) == (
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )
    long_number = {
        **fields,
        "document_number": "D23145890734",
        "surname": "Stevenson",
        "given_names": "Peter John",
        "birth_date": date(1934, 7, 12),
        "sex": "M",
        "expiry_date": date(1995, 7, 12),
    }
    assert compose(MrzFormat.TD1, **long_number) == (
        "I<UTOD23145890<7349<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    )


def test_td2_long_document_number_part11_specimen() -> None:
    fields = {
        **ERIKSSON,
        "document_code": "I",
        "document_number": "D23145890734",
        "surname": "Stevenson",
        "given_names": "Peter John",
        "birth_date": date(1934, 7, 12),
        "sex": "M",
        "expiry_date": date(1995, 7, 12),
    }
    assert compose(MrzFormat.TD2, **fields) == (
        "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<",
        "D23145890<UTO3407127M95071227349<<<8",
    )


def test_visa_part7_specimens() -> None:
    visa = {
        **ERIKSSON,
        "document_code": "V",
        "document_number": "L8988901C",
        "nationality": "XXX",
        "birth_date": date(1940, 9, 7),
        "expiry_date": date(1996, 12, 10),
    }
    assert compose(MrzFormat.MRV_A, **visa, optional_data="6ZE184226B") == (
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    )
    assert compose(MrzFormat.MRV_B, **visa) == (
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<",
    )


def test_french_id_card() -> None:
    assert compose(
        MrzFormat.FR_ID,
        document_code="ID",
        issuer="FRA",
        surname="Amadou",
        given_names="Djibrirou",
        document_number="180777250102",
        nationality="FRA",
        birth_date=date(1975, 12, 31),
        sex="M",
        expiry_date=None,
        optional_data="077055",
    ) == ("IDFRAAMADOU<<<<<<<<<<<<<<<<<<<077055", "1807772501026DJIBRIROU<<<<<7512319M3")


def test_germany_code_and_unspecified_sex() -> None:
    lines = compose(MrzFormat.TD3, **{**ERIKSSON, "issuer": "D", "nationality": "D", "sex": "X"})
    assert lines[0].startswith("P<D<<ERIKSSON")
    assert lines[1][10:13] == "D<<"
    assert lines[1][20] == "X"
    assert compose(MrzFormat.TD3, **{**ERIKSSON, "sex": ""})[1][20] == "<"


def test_long_name_is_cut_and_ends_in_a_letter() -> None:
    lines = compose(
        MrzFormat.TD3,
        **{
            **ERIKSSON,
            "surname": "Nilavadhanananda",
            "given_names": "Chayapa Dejthamrong Krasuang",
        },
    )
    assert lines[0] == "P<UTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K"


def test_unknown_dates_are_fillers() -> None:
    lines = compose(MrzFormat.TD3, **{**ERIKSSON, "birth_date": None, "expiry_date": None})
    assert lines[1][13:20] == "<<<<<<0"
    assert lines[1][21:28] == "<<<<<<0"


def test_transliteration_follows_icao() -> None:
    assert to_mrz_name("Müller-Lüdenscheidt") == "MUELLER<LUEDENSCHEIDT"
    assert to_mrz_name("Ångström") == "AANGSTROEM"
    assert to_mrz_name("Straße") == "STRASSE"
    assert to_mrz_name("O'Neil") == "ONEIL"
    assert to_mrz_name("d'Artagnan - de la Fère") == "DARTAGNAN<DE<LA<FERE"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"document_number": "L898902C3X"}, "at most nine"),
        ({"sex": "Q"}, "must be M, F or X"),
        ({"issuer": "U1O"}, "must be letters"),
        ({"document_number": "L89-8902"}, "only A-Z"),
        ({"surname": "", "given_names": ""}, "name is empty"),
        ({"personal_number": "ABCDEFGHIJKLMNOP"}, "longer than"),
    ],
)
def test_values_that_cannot_be_written_raise_mrz_error(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(MrzError, match=message):
        compose(MrzFormat.TD3, **{**ERIKSSON, **change})  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", list(MrzFormat))
def test_every_format_has_its_shape(fmt: MrzFormat) -> None:
    fields = {**ERIKSSON, "document_code": "V" if fmt.value.startswith("MRV") else "I"}
    if fmt is MrzFormat.FR_ID:
        fields.update(document_code="ID", issuer="FRA", document_number="880692310285")
    lines = compose(fmt, **fields)  # type: ignore[arg-type]
    assert (len(lines), len(lines[0])) == LINE_SHAPES[fmt]
    assert all(len(line) == LINE_SHAPES[fmt][1] for line in lines)
