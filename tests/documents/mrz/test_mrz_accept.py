"""When a valid MRZ read is accepted: the weakest character no check digit covers decides.

The OCR's alternatives are given as the recogniser gives them (character, probability, best
first), so these are the reads a camera frame produces, built without a camera.
"""

from __future__ import annotations

import numpy as np
import pytest

from checkpoint.documents.mrz.checkdigit import check_digit
from checkpoint.documents.mrz.formats import MrzFormat
from checkpoint.documents.mrz.jsonify import mrz_to_json
from checkpoint.documents.mrz.model import ACCEPT_CONFIDENCE
from checkpoint.documents.mrz.parse import CONFUSABLE_RIVAL_WEIGHT, parse_mrz
from checkpoint.documents.mrz.reader import MrzReader
from checkpoint.documents.synth import photograph, random_identity, render_specimen

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
Options = list[list[list[tuple[str, float]]]]


def sure(lines: tuple[str, ...]) -> Options:
    """Alternatives of an OCR that is sure of every character."""
    return [[[(c, 0.99), ("<" if c != "<" else "K", 0.005)] for c in line] for line in lines]


def test_sure_read_is_accepted() -> None:
    read = parse_mrz(TD3, alternatives=sure(TD3))
    assert read.valid
    assert read.accepted
    assert read.confidence >= ACCEPT_CONFIDENCE
    # The K of ERIKSSON has `<`, its Doc 9303 confusion, as rival: that rival counts more.
    weight = CONFUSABLE_RIVAL_WEIGHT
    assert read.weakest_unchecked == pytest.approx(0.99 / (0.99 + weight * 0.005), abs=1e-3)


def test_confusable_rival_outside_the_checks_counts_more() -> None:
    # A visa's optional data, which no check digit covers: an O the OCR took for 0 at odds
    # of 6 to 1 is not accepted, a letter against an unrelated rival at those odds is.
    line1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    line2 = "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"
    options = sure((line1, line2))
    options[1][30] = [("E", 0.857), ("F", 0.143), ("<", 0.0)]
    assert parse_mrz((line1, line2), alternatives=options).accepted
    line2 = line2[:30] + "0" + line2[31:]
    options = sure((line1, line2))
    options[1][30] = [("0", 0.857), ("O", 0.143), ("Q", 0.0)]
    read = parse_mrz((line1, line2), alternatives=options)
    assert read.valid
    assert not read.accepted
    weight = CONFUSABLE_RIVAL_WEIGHT
    assert read.weakest_unchecked == pytest.approx(0.857 / (0.857 + weight * 0.143), abs=1e-3)


def test_typed_text_is_accepted_with_full_confidence() -> None:
    read = parse_mrz(TD3)
    assert read.accepted
    assert (read.confidence, read.weakest_unchecked, read.weakest_checked) == (1.0, 1.0, 1.0)


def test_hesitant_name_letter_is_valid_but_not_accepted() -> None:
    # ERIKSSON read as ERIKSSOM, the OCR torn between M and N: every check digit still agrees.
    lines = (TD3[0].replace("ERIKSSON", "ERIKSSOM"), TD3[1])
    options = sure(lines)
    options[0][12] = [("M", 0.55), ("N", 0.40), ("H", 0.03)]
    read = parse_mrz(lines, alternatives=options)
    assert read.valid
    assert not read.accepted
    assert read.weakest_unchecked == pytest.approx(0.55 / 0.95, abs=1e-3)
    assert read.confidence <= read.weakest_unchecked < ACCEPT_CONFIDENCE
    assert read.weakest_checked > 0.99
    assert mrz_to_json(read)["accepted"] is False


def test_digit_read_in_a_name_costs_nothing() -> None:
    # `0` where a name can only hold letters: the field type settles it, so the read stands.
    lines = (TD3[0].replace("ERIKSSON", "ERIKSS0N"), TD3[1])
    options = sure(lines)
    options[0][11] = [("0", 0.55), ("O", 0.40), ("Q", 0.03)]
    read = parse_mrz(lines, alternatives=options)
    assert read.lines == TD3
    assert read.accepted


def test_two_cancelling_misreads_in_a_checked_field_are_not_accepted() -> None:
    # H and M differ by 5 in check-digit value, so two of them in one field cancel out:
    # HM read as MH, the OCR unsure of both, leaves every check digit agreeing.
    number = "HM1234567"
    line2 = f"{number}{check_digit(number)}UTO7408122F1204159ZE184226B<<<<<1"
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    wrong = line2.replace("HM", "MH", 1)
    options = sure((TD3[0], wrong))
    options[1][0] = [("M", 0.6), ("H", 0.35), ("N", 0.02)]
    options[1][1] = [("H", 0.55), ("M", 0.4), ("N", 0.02)]
    read = parse_mrz((TD3[0], wrong), alternatives=options)
    assert read.valid  # the check digits cannot tell
    assert read.lines[1] == wrong
    assert not read.accepted
    assert read.confidence == pytest.approx(0.6 / 0.95, abs=1e-3)


def test_one_unsure_character_in_a_checked_field_is_accepted() -> None:
    # One misread there would fail the check digit, so one hesitation is no reason to refuse.
    options = sure(TD3)
    options[1][1] = [("8", 0.6), ("B", 0.35), ("6", 0.02)]
    read = parse_mrz(TD3, alternatives=options)
    assert read.accepted
    assert read.weakest_checked == pytest.approx(0.6 / 0.95, abs=1e-3)


@pytest.mark.parametrize("fmt", [MrzFormat.TD1, MrzFormat.TD3, MrzFormat.MRV_B])
def test_photographed_documents_are_accepted(fmt: MrzFormat) -> None:
    rng = np.random.default_rng(11)
    specimen = render_specimen(fmt, random_identity(rng, fmt), rng=rng)
    photo = photograph(specimen, rng, size=(1280, 720), degrade="clean")
    result = MrzReader().read(photo.image)
    assert result is not None
    assert result.read.lines == tuple(specimen.lines)
    assert result.accepted
