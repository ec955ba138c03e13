"""IATA BCBP parsing: the published Resolution 792 examples, dates, and broken passes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.documents.barcodes.bcbp import BcbpPayload, looks_like_bcbp, parse_bcbp

# Resolution 792 Attachment B, example 1: mandatory items and security data.
EXAMPLE_1 = (
    "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100^164GIWVC5EH7JNT684FVNJ91W2"
    "QA4DVN5J8K4F0L0GEQ3DF5TGBN8709HKT5D3DW3GBHFCVHMY7J5T6HFR41W2QA4DVN5J8K4F0L0GE"
)
# Example 2: two legs with the conditional items of version 6.
EXAMPLE_2 = (
    "M2DESMARAIS/LUC       EABC123 YULFRAAC 0834 226F001A0025 14D>6181WW6225BAC 00141234560032A"
    "0141234567890 1AC AC 1234567890123    20KYLX58ZDEF456 FRAGVALH 3664 227C012C0002 12E2A014"
    "0987654321 1AC AC 1234567890123    2PCNWQ^164GIWVC5EH7JNT684FVNJ91W2QA4DVN5J8K4F0L0GEQ3D"
    "F5TGBN8709HKT5D3DW3GBHFCVHMY7J5T6HFR41W2QA4DVN5J8K4F0L0GE"
)
# Appendix B 1.1: a version 2 home-printed pass (no fast-track item).
LH_HOME = (
    "M1TEST/HIDDEN         E8OQ6FU FRARLGLH 4010 012C004D0001 35C>2180WW6012BLH              "
    "2922023642241060 LH                        *30600000K09         "
)
# Appendix B 2.1: a version 3 kiosk pass.
UA_KIOSK = (
    "M1ASKREN/TEST         EA272SL ORDNRTUA 0881 007F002K0303 15C>3180 K6007BUA              "
    "2901624760758980 UA UA EY975897            *30600    09  UAG    "
)
TODAY = date(2026, 8, 1)


def test_example_1_mandatory_items_and_security_data() -> None:
    bp = parse_bcbp(EXAMPLE_1, today=TODAY)
    assert bp.problems == ()
    assert (bp.surname, bp.given_names, bp.electronic_ticket) == ("DESMARAIS", "LUC", "E")
    assert bp.legs_declared == 1
    assert len(bp.legs) == 1
    leg = bp.legs[0]
    assert (leg.pnr, leg.from_airport, leg.to_airport, leg.carrier) == (
        "ABC123",
        "YUL",
        "FRA",
        "AC",
    )
    assert (leg.flight_number, leg.flight_day, leg.compartment) == ("0834", "326", "J")
    assert (leg.seat, leg.check_in_sequence, leg.passenger_status) == ("001A", "0025", "1")
    assert leg.flight_date == date(2026, 11, 22)
    assert bp.version is None
    assert leg.airline_numeric_code is None
    assert bp.security_type == "1"
    assert bp.security_data is not None
    assert len(bp.security_data) == 0x64
    assert bp.security_data.startswith("GIWVC5EH7")
    assert bp.security_data.endswith("F0L0GE")


def test_example_2_every_conditional_item_of_both_legs() -> None:
    bp = parse_bcbp(EXAMPLE_2, today=TODAY)
    assert bp.problems == ()
    assert bp.version == "6"
    assert (bp.passenger_description, bp.source_of_check_in, bp.source_of_issuance) == (
        "1",
        "W",
        "W",
    )
    assert bp.issue_date_raw == "6225"
    assert bp.issue_date == date(2016, 8, 12)
    assert (bp.document_type, bp.issuing_airline) == ("B", "AC")
    assert bp.baggage_tags == ("0014123456003",)
    first, second = bp.legs
    assert first.airline_numeric_code == "014"
    assert first.document_serial_number == "1234567890"
    assert (first.selectee_indicator, first.international_documentation_verification) == (" ", "1")
    assert (first.marketing_carrier, first.frequent_flyer_airline) == ("AC", "AC")
    assert first.frequent_flyer_number == "1234567890123"
    assert (first.free_baggage_allowance, first.fast_track, first.airline_use) == (
        "20K",
        "Y",
        "LX58Z",
    )
    assert (second.pnr, second.from_airport, second.to_airport, second.carrier) == (
        "DEF456",
        "FRA",
        "GVA",
        "LH",
    )
    assert (second.flight_number, second.seat, second.check_in_sequence) == ("3664", "012C", "0002")
    assert second.flight_date == date(2026, 8, 15)
    assert second.document_serial_number == "0987654321"
    assert (second.free_baggage_allowance, second.fast_track, second.airline_use) == (
        "2PC",
        "N",
        "WQ",
    )
    assert bp.security_type == "1"


@pytest.mark.parametrize(
    ("text", "version", "serial", "airline_use"),
    [
        (LH_HOME, "2", "2364224106", "*30600000K09         "),
        (UA_KIOSK, "3", "2476075898", "*30600    09  UAG    "),
    ],
)
def test_older_versions_stop_where_their_sizes_say(
    text: str, version: str, serial: str, airline_use: str
) -> None:
    bp = parse_bcbp(text, today=TODAY)
    assert bp.problems == ()
    assert bp.version == version
    leg = bp.legs[0]
    assert leg.document_serial_number == serial
    assert leg.fast_track is None
    assert leg.airline_use == airline_use


def test_flight_date_is_the_nearest_real_date() -> None:
    late_december = date(2026, 12, 30)
    assert parse_bcbp(LH_HOME, today=late_december).legs[0].flight_date == date(2027, 1, 12)
    assert parse_bcbp(LH_HOME, today=date(2026, 1, 5)).legs[0].flight_date == date(2026, 1, 12)


def test_full_name_field_is_marked_as_possibly_truncated() -> None:
    text = "M1VANDERLINDENBERG/ALE" + EXAMPLE_1[22:]
    bp = parse_bcbp(text, today=TODAY)
    assert bp.problems == ()
    assert bp.name_truncated
    assert (bp.surname, bp.given_names) == ("VANDERLINDENBERG", "ALE")
    assert not parse_bcbp(EXAMPLE_1, today=TODAY).name_truncated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EXAMPLE_1[:40], "cut short"),
        (EXAMPLE_1[:58] + "ZZ", "not a hexadecimal size"),
        (EXAMPLE_2[:200], "cut short"),
        (EXAMPLE_2.replace("14D>", "1FF>", 1), "cut short"),
        (EXAMPLE_1[:60], ""),
        ("M3" + EXAMPLE_1[2:60], "legs 2 to 3 are missing"),
        (EXAMPLE_1[:60] + "XYZ", "unexpected characters"),
        (EXAMPLE_1.replace("^164", "^1FF"), "cut short"),
        (EXAMPLE_1.replace(" 326J", " 399J"), "not a day of the year"),
    ],
)
def test_malformed_passes_say_what_is_wrong(text: str, expected: str) -> None:
    bp = parse_bcbp(text, today=TODAY)
    assert isinstance(bp, BcbpPayload)
    if expected:
        assert any(expected in problem for problem in bp.problems), bp.problems
    else:
        assert bp.problems == ()


def test_detection() -> None:
    assert looks_like_bcbp(EXAMPLE_1)
    assert looks_like_bcbp(EXAMPLE_1[:30])
    assert not looks_like_bcbp("M1 Abrams")
    assert not looks_like_bcbp("https://example.org")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_raising(text: str) -> None:
    bp = parse_bcbp("M" + text, today=TODAY)
    assert isinstance(bp.problems, tuple)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(EXAMPLE_2)), st.text(max_size=20))
def test_truncated_and_spliced_examples_report_problems(cut: int, junk: str) -> None:
    bp = parse_bcbp(EXAMPLE_2[:cut] + junk, today=TODAY)
    # The only place a pass may end early is just before its (optional) security data.
    if cut < len(EXAMPLE_2) and not junk and cut != EXAMPLE_2.index("^"):
        assert bp.problems
    assert len(bp.legs) <= 2
