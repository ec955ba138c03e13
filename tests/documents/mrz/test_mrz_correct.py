"""OCR error correction: realistic misreads that must be fixed, and ones that must not be."""

from __future__ import annotations

from datetime import date

import pytest

from checkpoint.documents.mrz import MrzFormat, MrzRead, compose, detect_format, parse_mrz
from checkpoint.documents.mrz.correct import CONFUSIONS, fits
from checkpoint.documents.mrz.formats import Kind, layout_for

TODAY = date(2026, 11, 23)
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
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
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
MRV_B = ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<")
FR_ID = ("IDFRAAMADOU<<<<<<<<<<<<<<<<<<<077055", "1807772501026DJIBRIROU<<<<<7512319M3")


def misread(lines: tuple[str, ...], *edits: tuple[int, int, str]) -> list[str]:
    """`lines` with (1-based line, 1-based position, character) replaced."""
    rows = [list(line) for line in lines]
    for line, position, char in edits:
        rows[line - 1][position - 1] = char
    return ["".join(row) for row in rows]


def read(lines: list[str] | tuple[str, ...], **kwargs: object) -> MrzRead:
    return parse_mrz(lines, today=TODAY, **kwargs)  # type: ignore[arg-type]


def changes(result: MrzRead) -> list[tuple[int, int, str, str]]:
    return [(c.line, c.position, c.was, c.now) for c in result.corrections]


def sure(lines: list[str], noisy: dict[tuple[int, int], list[tuple[str, float]]]) -> object:
    """Alternatives where the OCR is sure of every character except the `noisy` ones."""
    out = []
    for number, line in enumerate(lines, start=1):
        out.append(
            [noisy.get((number, pos), [(char, 0.98)]) for pos, char in enumerate(line, start=1)]
        )
    return out


PASSPORT = compose(
    MrzFormat.TD3,
    document_code="P",
    issuer="UTO",
    surname="Kim",
    given_names="Sung Gi",
    document_number="AB1205867",
    nationality="UTO",
    birth_date=date(1985, 2, 16),
    sex="M",
    expiry_date=date(2031, 5, 20),
    personal_number="Z51G4ZA08",
)


# --- fixed by the check digits --------------------------------------------------------------


SPECIMENS = {
    "TD3": TD3,
    "TD3-KIM": PASSPORT,
    "TD2": TD2,
    "TD1": TD1,
    "TD1-long": TD1_LONG,
    "MRV-B": MRV_B,
    "FR-ID": FR_ID,
}


# What the OCR may read for a character: the confusion table read backwards.
MISREADS = {
    truth: tuple(read for read, truths in CONFUSIONS.items() if truth in truths)
    for truth in {t for truths in CONFUSIONS.values() for t in truths}
}


def single_misreads() -> list[tuple[str, int, int, str]]:
    """Every confusable misread of one character of a document or personal number."""
    cases = []
    for name, lines in SPECIMENS.items():
        fmt = detect_format(lines)
        layout = layout_for(fmt, lines)
        for field in ("document_number", "optional_data"):
            spec = layout.field(field)
            if spec is None or (fmt is not MrzFormat.TD3 and field == "optional_data"):
                continue
            for segment in spec.segments:
                for index in segment.positions():
                    original = lines[segment.line][index]
                    for char in MISREADS.get(original, ()):
                        cases.append((name, segment.line + 1, index + 1, char))
    return cases


def readings_that_agree(lines: list[str], line: int, position: int) -> set[str]:
    """Brute force: the single confusable changes in the misread field that fix every check."""
    fmt = detect_format(lines)
    layout = layout_for(fmt, lines)
    field = layout.kinds()[(line - 1, position - 1)][1]
    spec = layout.field(field)
    assert spec is not None
    found = set()
    for segment in spec.segments:
        for index in segment.positions():
            kind = layout.kinds()[(segment.line, index)][0]
            for char in CONFUSIONS.get(lines[segment.line][index], ()):
                if not fits(kind, char) or (kind is Kind.NUMERIC and char == "<"):
                    continue
                candidate = misread(tuple(lines), (segment.line + 1, index + 1, char))
                after = layout_for(fmt, candidate)
                if after == layout and all(c.agrees(candidate) for c in after.checks):
                    found.add("\n".join(candidate))
    return found


@pytest.mark.parametrize(("specimen", "line", "position", "char"), single_misreads())
def test_single_confusion_is_fixed_only_when_one_reading_agrees(
    specimen: str, line: int, position: int, char: str
) -> None:
    original = SPECIMENS[specimen]
    lines = misread(original, (line, position, char))
    result = read(lines)
    agreeing = readings_that_agree(lines, line, position)
    if all(c.agrees(lines) for c in layout_for(detect_format(lines), lines).checks):
        # invisible to the check digits (K/<, G/6, Z/5 differ by a multiple of 10): kept as read
        assert result.corrections == ()
        assert result.valid
    elif len(agreeing) == 1:
        assert result.valid
        assert result.lines == original
        assert changes(result) == [(line, position, char, original[line - 1][position - 1])]
        assert 0.75 < result.confidence < 1.0
    else:
        assert "\n".join(original) in agreeing
        assert result.corrections == ()
        assert not result.valid
        assert any("more than one correction" in w for w in result.warnings)


def test_most_single_confusions_are_fixed() -> None:
    fixed = total = 0
    for specimen, line, position, char in single_misreads():
        total += 1
        fixed += (
            read(misread(SPECIMENS[specimen], (line, position, char))).lines == SPECIMENS[specimen]
        )
    assert total > 80
    assert fixed / total > 0.4


@pytest.mark.parametrize(
    ("lines", "edit"),
    [
        (TD3, (2, 6, "O")),  # 0 read as O in the document number
        (TD3, (2, 6, "Q")),
        (TD3, (2, 33, "A")),  # 4 read as A in the personal number
        (TD3, (2, 39, "S")),  # a filler read as S in the personal number
        (PASSPORT, (2, 30, "S")),
        (TD2, (2, 9, "O")),
        (TD1_LONG, (1, 18, "A")),  # in the continuation of a long document number
        (MRV_B, (2, 7, "O")),  # a visa has no composite: the field check alone decides
        (FR_ID, (2, 12, "Z")),
    ],
)
def test_single_confusion_fixed(lines: tuple[str, ...], edit: tuple[int, int, str]) -> None:
    line, position, char = edit
    result = read(misread(lines, edit))
    assert result.valid, result.warnings
    assert result.lines == tuple(lines)
    assert changes(result) == [(line, position, char, lines[line - 1][position - 1])]


def test_two_errors_in_two_fields_are_fixed_together() -> None:
    result = read(misread(TD3, (2, 6, "O"), (2, 33, "A")))
    assert result.valid, result.warnings
    assert changes(result) == [(2, 6, "O", "0"), (2, 33, "A", "4")]
    assert {c.field for c in result.corrections} == {"document_number", "optional_data"}


def test_filler_misread_in_td1_optional_data_is_fixed_by_the_composite() -> None:
    result = read(misread(TD1, (1, 20, "S")))
    assert result.valid
    assert changes(result) == [(1, 20, "S", "<")]


def test_filler_check_digit_read_as_k() -> None:
    empty = compose(
        MrzFormat.TD3,
        document_code="P",
        issuer="UTO",
        surname="Eriksson",
        given_names="Anna",
        document_number="L898902C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2032, 4, 15),
    )
    result = read(misread(empty, (2, 43, "K")))
    assert result.valid
    assert changes(result) == [(2, 43, "K", "<")]


# --- fixed by the field type ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ((2, 15, "A"), "birth_date"),  # 740812: 4 read as A
        ((2, 16, "O"), "birth_date"),
        ((2, 16, "D"), "birth_date"),
        ((2, 16, "Q"), "birth_date"),
        ((2, 17, "B"), "birth_date"),
        ((2, 18, "I"), "birth_date"),
        ((2, 19, "Z"), "birth_date"),
        ((2, 22, "I"), "expiry_date"),  # 120415
        ((2, 23, "Z"), "expiry_date"),
        ((2, 24, "O"), "expiry_date"),
        ((2, 27, "S"), "expiry_date"),
        ((2, 20, "Z"), "birth_date_check"),
        ((2, 44, "O"), "composite_check"),
        ((1, 5, "0"), "issuer"),  # UTO
        ((2, 13, "0"), "nationality"),
        ((1, 8, "1"), "name"),  # ERIKSSON
        ((1, 10, "5"), "name"),
        ((1, 12, "0"), "name"),
        ((1, 16, "4"), "name"),  # ANNA
        ((1, 24, "1"), "name"),  # MARIA
    ],
)
def test_character_of_the_wrong_type_is_fixed_without_check_digits(
    edit: tuple[int, int, str], field: str
) -> None:
    line, position, char = edit
    result = read(misread(TD3, edit))
    assert result.lines == TD3, result.corrections
    assert result.valid
    [correction] = result.corrections
    assert (correction.line, correction.position, correction.was) == (line, position, char)
    assert correction.now == TD3[line - 1][position - 1]
    assert correction.field == field


def test_filler_lookalikes_after_the_name_become_fillers() -> None:
    result = read(misread(TD3, (1, 30, "K"), (1, 33, "S"), (1, 44, "G")))
    assert result.lines == TD3
    assert [c.reason for c in result.corrections] == [
        "only fillers can follow the end of the name"
    ] * 3
    assert result.fields.given_names == "ANNA MARIA"


def test_filler_lookalike_right_after_surname_only() -> None:
    line1 = "P<UTOERIKSSON<<<<K<<<<<<<<<<<<<<<<<<<<<<<<<<"
    result = read([line1, TD3[1]])
    assert changes(result) == [(1, 18, "K", "<")]
    assert (result.fields.surname, result.fields.given_names) == ("ERIKSSON", "")


def test_germany_filler_read_as_k_in_the_state_code() -> None:
    germany = compose(
        MrzFormat.TD3,
        document_code="P",
        issuer="D",
        surname="Mustermann",
        given_names="Erika",
        document_number="C01X00T47",
        nationality="D",
        birth_date=date(1964, 8, 12),
        sex="F",
        expiry_date=date(2027, 2, 28),
    )
    result = read(misread(germany, (1, 5, "K"), (2, 13, "S")))
    assert result.lines == germany
    assert (result.fields.issuer, result.fields.nationality) == ("D", "D")
    assert [c.reason for c in result.corrections] == [
        "only fillers can follow a filler in a state code"
    ] * 2
    assert read(misread(germany, (1, 4, "K"))).fields.issuer == "DK"  # not after a filler


def test_sex_misread_as_k_is_unspecified() -> None:
    result = read(misread(TD3, (2, 21, "K")))
    assert result.fields.sex == "X"
    assert changes(result) == [(2, 21, "K", "<")]


def test_french_card_names_and_dates() -> None:
    result = read(misread(FR_ID, (1, 8, "4"), (2, 29, "S"), (2, 27, "K")))
    assert result.lines == FR_ID
    assert result.valid


# --- must NOT be corrected ------------------------------------------------------------------


def test_names_with_k_s_g_are_left_alone() -> None:
    assert read(PASSPORT).corrections == ()
    assert read(PASSPORT).fields.given_names == "SUNG GI"
    initial = compose(
        MrzFormat.TD1,
        document_code="I",
        issuer="UTO",
        surname="Doe",
        given_names="John K",
        document_number="D23145890",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="M",
        expiry_date=date(2030, 1, 1),
    )
    result = read(initial)
    assert result.corrections == ()
    assert result.fields.given_names == "JOHN K"


def test_valid_letters_that_look_like_digits_are_left_alone() -> None:
    with_o = compose(
        MrzFormat.TD3,
        document_code="P",
        issuer="UTO",
        surname="Eriksson",
        given_names="Anna",
        document_number="L8989O2C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2032, 4, 15),
        personal_number="OSIB",
    )
    result = read(with_o)
    assert result.valid
    assert result.corrections == ()
    assert result.fields.document_number == "L8989O2C3"


def test_two_readings_that_both_agree_are_left_with_a_warning() -> None:
    lines = misread(TD3, (2, 32, "B"))  # 8 read as B; but Z->2 at 29 would agree too
    result = read(lines)
    assert result.corrections == ()
    assert not result.valid
    assert result.lines == tuple(lines)
    [warning] = result.warnings
    assert "more than one correction" in warning
    assert "B->8 at line 2 position 32" in warning


def test_misprinted_check_digit_is_not_rewritten() -> None:
    for position, digit in ((10, "5"), (20, "3"), (28, "1"), (43, "7"), (44, "4")):
        result = read(misread(TD3, (2, position, digit)))
        assert result.corrections == ()
        assert not result.valid


def test_changed_digit_is_not_corrected() -> None:
    result = read(misread(TD3, (2, 19, "3")))  # 740812 -> 740813: a forgery or a misread
    assert result.corrections == ()
    assert not result.checks["birth_date"].valid
    assert result.fields.birth_date == date(1974, 8, 13)


def test_unknown_letter_in_date_is_not_guessed() -> None:
    result = read(misread(TD3, (2, 14, "T")))  # 7 read as T: no table entry, no alternatives
    assert result.corrections == ()
    assert not result.valid
    assert result.fields.birth_date is None


def test_composite_digit_misread_as_another_digit_is_not_corrected() -> None:
    result = read(misread(TD3, (2, 6, "O"), (2, 44, "3")))
    assert not result.checks["composite"].valid
    assert result.corrections == ()  # the O/0 fix alone would not make every check agree


def test_visa_optional_data_is_not_touched() -> None:
    visa = misread(MRV_B, (2, 31, "K"))
    result = read(visa)
    assert result.corrections == ()
    assert result.fields.optional_data == "<<K"


def test_filler_lookalike_between_given_names_is_a_letter() -> None:
    lines = misread(TD3, (1, 20, "K"))  # ANNA<MARIA read as ANNAKMARIA
    result = read(lines)
    assert result.corrections == ()
    assert result.fields.given_names == "ANNAKMARIA"


def test_letters_after_the_name_that_are_not_filler_lookalikes_stay() -> None:
    lines = misread(TD3, (1, 33, "X"))
    result = read(lines)
    assert result.lines == tuple(lines)


# --- with the OCR's alternatives ------------------------------------------------------------


def test_digit_for_digit_error_fixed_by_an_ocr_alternative() -> None:
    lines = misread(TD3, (2, 9, "8"))  # 3 read as 8: no table can fix that
    assert not read(lines).valid
    alternatives = sure(lines, {(2, 9): [("8", 0.55), ("3", 0.40)]})
    result = read(lines, alternatives=alternatives)
    assert result.valid
    assert changes(result) == [(2, 9, "8", "3")]
    assert result.corrections[0].reason == "the OCR's alternative makes the check digits agree"
    assert 0.5 < result.confidence < 0.98


def test_ocr_sure_of_its_reading_blocks_a_fix_on_the_check_digit_alone() -> None:
    lines = misread(TD3, (2, 6, "O"))
    assert read(lines).valid  # without the OCR's view, O->0 is the only reading that agrees
    result = read(lines, alternatives=sure(lines, {}))
    assert result.corrections == ()
    assert not result.valid


def test_a_letter_made_a_digit_by_type_is_not_then_changed_on_the_checks_alone() -> None:
    # The composite check digit 6 read as a sure I (the print under it washed out): I is 1 by
    # type, and 6, which the OCR barely considered, would make the checks agree.
    lines = misread(TD2, (2, 36, "I"))
    alternatives = sure(lines, {(2, 36): [("I", 0.96), ("T", 0.02), ("6", 0.002)]})
    result = read(lines, alternatives=alternatives)
    assert not result.valid
    assert result.lines[1][35] == "1"
    assert [c.now for c in result.corrections] == ["1"]


def test_no_correction_puts_a_letter_among_the_fillers_after_a_name() -> None:
    # A French card under glare: its D read as U, and pale fillers after the surname that
    # the OCR could also take for T. Only U->D makes sense: a T after the end of a name
    # cannot be, although the check digit would accept it as well.
    lines = misread(
        ("IDFRASILVA<<<<<<<<<<<<<<<<<<<<079219", "1603434153536DIMITRIOS<<<<<5907067M0"),
        (2, 14, "U"),
    )
    pale = [("<", 0.155), ("2", 0.07), ("T", 0.057)]
    alternatives = sure(
        lines,
        {(1, 13): pale, (1, 14): pale, (1, 15): pale, (2, 14): [("U", 0.48), ("D", 0.1)]},
    )
    result = read(lines, alternatives=alternatives)
    assert changes(result) == [(2, 14, "U", "D")]
    assert result.valid
    assert result.warnings == ()


def test_alternatives_decide_between_two_readings() -> None:
    lines = misread(TD3, (2, 32, "B"))
    alternatives = sure(lines, {(2, 32): [("B", 0.6), ("8", 0.38)]})
    result = read(lines, alternatives=alternatives)
    assert result.valid
    assert changes(result) == [(2, 32, "B", "8")]


def test_alternatives_that_do_not_favour_one_reading_leave_it() -> None:
    lines = misread(TD3, (2, 32, "B"))
    alternatives = sure(
        lines, {(2, 32): [("B", 0.5), ("8", 0.3)], (2, 29): [("Z", 0.5), ("2", 0.3)]}
    )
    result = read(lines, alternatives=alternatives)
    assert result.corrections == ()
    assert any("more than one correction" in w for w in result.warnings)


def test_name_digit_without_table_entry_takes_the_ocr_letter() -> None:
    lines = misread(TD3, (1, 7, "7"))  # R read as 7
    alternatives = sure(lines, {(1, 7): [("7", 0.5), ("2", 0.3), ("R", 0.2)]})
    result = read(lines, alternatives=alternatives)
    assert result.fields.surname == "ERIKSSON"
    assert changes(result) == [(1, 7, "7", "R")]


def test_confidence_uses_ocr_probabilities() -> None:
    clean = read(TD3, alternatives=sure(list(TD3), {}))
    assert clean.confidence == pytest.approx(0.98)
    assert read(TD3).confidence == 1.0
    invalid = read(misread(TD3, (2, 19, "3")))
    assert invalid.confidence <= 0.5


def test_mismatched_alternatives_are_ignored_with_a_warning() -> None:
    result = read(TD3, alternatives=[[("P", 1.0)]])
    assert result.valid
    assert any("alternative characters" in w for w in result.warnings)
