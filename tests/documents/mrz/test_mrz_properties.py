"""Property tests: compose -> parse gives the fields back; no input makes parsing crash."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checkpoint.documents.mrz import (
    LINE_SHAPES,
    MRZ_ALPHABET,
    MrzError,
    MrzFormat,
    MrzRead,
    compose,
    mrz_to_json,
    parse_mrz,
)
from checkpoint.documents.mrz.transliterate import to_mrz_name

TODAY = date(2026, 11, 23)
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = UPPER + "0123456789"
# Optional data room per format, and how far a long document number may run (TD1/TD2).
OPTIONAL_ROOM = {
    MrzFormat.TD1: 15,
    MrzFormat.TD2: 7,
    MrzFormat.TD3: 14,
    MrzFormat.MRV_A: 16,
    MrzFormat.MRV_B: 8,
    MrzFormat.FR_ID: 6,
}
CODES = {
    MrzFormat.TD1: "IAC",
    MrzFormat.TD2: "IAC",
    MrzFormat.TD3: "P",
    MrzFormat.MRV_A: "V",
    MrzFormat.MRV_B: "V",
}

words = st.text(UPPER, min_size=1, max_size=9)
names = st.lists(words, min_size=0, max_size=3).map(" ".join)


@st.composite
def documents(draw: st.DrawFn) -> tuple[MrzFormat, dict[str, object]]:
    fmt = draw(st.sampled_from(list(MrzFormat)))
    birth = draw(st.dates(TODAY - timedelta(days=365 * 99), TODAY))
    expiry = draw(st.dates(TODAY - timedelta(days=365 * 49), TODAY + timedelta(days=365 * 19)))
    surname = draw(names)
    given = draw(names)
    assume(surname or given)
    fields: dict[str, object] = {
        "surname": surname,
        "given_names": given,
        "birth_date": birth,
        "sex": draw(st.sampled_from("MFX<")),
        "expiry_date": expiry,
        "nationality": draw(st.text(UPPER, min_size=1, max_size=3)),
        "issuer": draw(st.text(UPPER, min_size=1, max_size=3)),
    }
    if fmt is MrzFormat.FR_ID:
        fields.update(
            document_code="ID",
            issuer="FRA",
            nationality="FRA",
            expiry_date=None,
            document_number=draw(st.text("0123456789", min_size=4, max_size=4))
            + draw(st.text(ALNUM, min_size=8, max_size=8)),
            optional_data=draw(st.text(ALNUM, max_size=6)),
            surname=surname or "X",
        )
        return fmt, fields
    code = draw(st.sampled_from(CODES[fmt])) + draw(st.sampled_from(["", *UPPER]))
    room = OPTIONAL_ROOM[fmt]
    longest = 9 + room - 1 if fmt in (MrzFormat.TD1, MrzFormat.TD2) else 9
    number = draw(st.text(ALNUM, min_size=1, max_size=longest))
    if len(number) > 9:
        room -= len(number) - 9 + 2  # extension, its check digit and a filler
    optional = draw(st.text(ALNUM, max_size=max(room, 0)))
    fields.update(document_code=code, document_number=number, optional_data=optional)
    if fmt is MrzFormat.TD1:
        fields["optional_data_2"] = draw(st.text(ALNUM, max_size=11))
    if fmt is MrzFormat.TD2:
        assume(not (code == "ID" and fields["issuer"] == "FRA"))
    return fmt, fields


def name_fits(fmt: MrzFormat, fields: dict[str, object]) -> bool:
    surname = to_mrz_name(str(fields["surname"]))
    given = to_mrz_name(str(fields["given_names"]))
    if fmt is MrzFormat.FR_ID:
        return len(surname) < 25 and len(given.replace("<", "<<")) < 14
    width = {MrzFormat.TD1: 30}.get(fmt, LINE_SHAPES[fmt][1] - 5)
    # a name that fills its field exactly cannot be told from a truncated one
    return len(surname) + (len(given) + 2 if given else 0) < width


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(documents())
def test_compose_then_parse_gives_the_fields_back(
    document: tuple[MrzFormat, dict[str, object]],
) -> None:
    fmt, fields = document
    assume(name_fits(fmt, fields))
    lines = compose(fmt, **fields)  # type: ignore[arg-type]
    read = parse_mrz(lines, today=TODAY)
    assert read.format is fmt
    assert read.valid, read.checks
    assert read.corrections == ()
    assert read.confidence == 1.0
    got = read.fields
    assert got.surname == str(fields["surname"])
    assert got.given_names == str(fields["given_names"])
    assert got.document_number == fields["document_number"]
    assert got.birth_date == fields["birth_date"]
    assert got.expiry_date == fields["expiry_date"]
    assert got.sex == {"<": "X"}.get(str(fields["sex"]), fields["sex"])
    assert got.issuer == fields["issuer"]
    assert got.nationality == fields["nationality"]
    assert got.document_code == fields["document_code"]
    assert got.optional_data == fields["optional_data"]
    assert got.optional_data_2 == fields.get("optional_data_2", "")
    assert not got.name_truncated


def check_invariants(read: MrzRead, lines: list[str]) -> None:
    width = LINE_SHAPES[read.format][1]
    assert all(len(line) == width for line in read.lines)
    assert len(read.lines) == len(read.raw_lines) == LINE_SHAPES[read.format][0]
    assert 0.0 <= read.confidence <= 1.0
    assert read.valid == all(c.valid for c in read.checks.values())
    for c in read.corrections:
        assert read.raw_lines[c.line - 1][c.position - 1] == c.was
        assert read.lines[c.line - 1][c.position - 1] == c.now
    changed = {
        (n, p)
        for n, (a, b) in enumerate(zip(read.raw_lines, read.lines, strict=True), start=1)
        for p, (x, y) in enumerate(zip(a, b, strict=True), start=1)
        if x != y
    }
    assert changed == {(c.line, c.position) for c in read.corrections}
    mrz_to_json(read)


mrz_lines = st.sampled_from([(3, 30), (2, 36), (2, 44)]).flatmap(
    lambda shape: st.lists(
        st.text(MRZ_ALPHABET, min_size=shape[1], max_size=shape[1]),
        min_size=shape[0],
        max_size=shape[0],
    )
)


@settings(max_examples=200, deadline=None)
@given(mrz_lines, st.data())
def test_random_mrz_text_parses_without_crashing(lines: list[str], data: st.DataObject) -> None:
    # Random text is mostly fillers and letters: bias a few lines towards real prefixes too.
    prefix = data.draw(st.sampled_from(["", "P<", "V<", "I<", "IDFRA"]))
    lines = [prefix + lines[0][len(prefix) :], *lines[1:]]
    alternatives = None
    if data.draw(st.booleans()):
        option = st.tuples(st.sampled_from(MRZ_ALPHABET), st.floats(0, 1))
        per_position = st.lists(option, max_size=2)
        alternatives = [
            data.draw(st.lists(per_position, min_size=len(line), max_size=len(line)))
            for line in lines
        ]
    try:
        read = parse_mrz(lines, alternatives=alternatives, today=TODAY)
    except MrzError:
        return
    check_invariants(read, lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=50), max_size=4))
def test_arbitrary_unicode_raises_nothing_but_mrz_error(lines: list[str]) -> None:
    try:
        read = parse_mrz(lines, today=TODAY)
    except MrzError as error:
        message = str(error)
    else:
        check_invariants(read, lines)
        return
    assert message.endswith(".")


@pytest.mark.parametrize("fmt", list(MrzFormat))
def test_every_character_misread_as_every_other_never_crashes(fmt: MrzFormat) -> None:
    base = compose(
        fmt,
        document_code={"FR-ID": "ID"}.get(fmt.value, CODES.get(fmt, "I")[0]),
        issuer="FRA" if fmt is MrzFormat.FR_ID else "UTO",
        surname="Eriksson",
        given_names="Anna Maria",
        document_number="180777250102" if fmt is MrzFormat.FR_ID else "L898902C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2030, 4, 15),
    )
    for line in range(len(base)):
        for position in range(0, len(base[line]), 3):
            for char in "0O<K8B":
                lines = list(base)
                lines[line] = lines[line][:position] + char + lines[line][position + 1 :]
                check_invariants(parse_mrz(lines, today=TODAY), lines)
