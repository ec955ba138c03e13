"""Issuer and nationality codes: a code no state uses, read by the OCR, is not accepted."""

from __future__ import annotations

import pytest

from checkpoint.documents.mrz.parse import parse_mrz
from checkpoint.documents.mrz.states import known_state

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
Options = list[list[list[tuple[str, float]]]]


def sure(lines: tuple[str, ...]) -> Options:
    """Alternatives of an OCR that is sure of every character."""
    return [[[(c, 0.99), ("<" if c != "<" else "K", 0.005)] for c in line] for line in lines]


@pytest.mark.parametrize("code", ["NGA", "GBR", "D", "UTO", "XXA", "UNO", "RKS", "YUG", "GBD"])
def test_codes_documents_print_are_known(code: str) -> None:
    assert known_state(code)


@pytest.mark.parametrize("code", ["WGA", "GRB", "DD", "", "ABC"])
def test_other_codes_are_not(code: str) -> None:
    assert not known_state(code)


def test_ocr_read_with_an_unknown_nationality_is_valid_but_not_accepted() -> None:
    # NGA read as WGA with the OCR sure of it: no check digit covers the nationality.
    lines = (TD3[0], TD3[1].replace("UTO", "WGA"))
    read = parse_mrz(lines, alternatives=sure(lines))
    assert read.valid
    assert not read.accepted
    assert any("nationality code WGA" in warning for warning in read.warnings)


def test_ocr_read_with_known_codes_is_accepted() -> None:
    read = parse_mrz(TD3, alternatives=sure(TD3))
    assert read.accepted
    assert not any("used by no state" in warning for warning in read.warnings)


def test_typed_text_with_an_unknown_code_is_not_doubted() -> None:
    # Typed text has no OCR behind it: an unusual code there is what the officer typed.
    lines = (TD3[0].replace("UTO", "ZZZ"), TD3[1])
    read = parse_mrz(lines)
    assert read.accepted
