"""Cross-checks between barcodes and the passport's MRZ: agreements and flagged mismatches."""

from __future__ import annotations

import base64
import json
from datetime import date

from test_barcodes_aamva import ANNEX_D
from test_barcodes_bcbp import EXAMPLE_1
from test_barcodes_vds import VISA

from checkpoint.documents.barcodes import (
    Barcode,
    BarcodeRead,
    barcode_to_json,
    cross_check,
    cross_check_to_json,
    parse,
)
from checkpoint.documents.mrz.model import MrzFields

TODAY = date(2026, 8, 1)


def _mrz(
    surname: str, given: str, born: date | None = None, number: str = "L898902C3"
) -> MrzFields:
    return MrzFields(
        document_code="P",
        issuer="UTO",
        surname=surname,
        given_names=given,
        document_number=number,
        nationality="UTO",
        birth_date=born,
        birth_date_raw=born.strftime("%y%m%d") if born else "",
        sex="F",
        expiry_date=None,
        expiry_date_raw="",
        optional_data="",
        optional_data_2="",
        personal_number="",
        name_truncated=False,
    )


def _read(text: str, raw: bytes | None = None, fmt: str = "PDF417") -> BarcodeRead:
    barcode = Barcode(
        format=fmt,
        text=text,
        raw=raw if raw is not None else text.encode(),
        polygon=((0, 0), (10, 0), (10, 10), (0, 10)),
        engine="zxing-cpp",
    )
    return BarcodeRead(barcode, parse(barcode, today=TODAY))


def _pass(name: str) -> BarcodeRead:
    return _read("M1" + name.ljust(20)[:20] + EXAMPLE_1[22:], fmt="Aztec")


def _name_check(read: BarcodeRead, mrz: MrzFields) -> bool:
    (check,) = cross_check([read], mrz)
    assert (check.source, check.field) == ("bcbp", "name")
    return check.agrees


def test_boarding_pass_names_that_agree() -> None:
    mrz = _mrz("DESMARAIS", "LUC ANDRE")
    assert _name_check(_pass("DESMARAIS/LUC"), mrz)
    assert _name_check(_pass("DESMARAIS/LUCMR"), mrz)
    assert _name_check(_pass("DESMARAIS/LUC MR"), mrz)
    assert _name_check(_pass("DESMARAIS/LUCANDRE"), mrz)


def test_truncated_and_transliterated_names_agree() -> None:
    long_name = _mrz("VANDERLINDENBERGHE", "ALEXANDRA MARIA")
    read = _pass("VANDERLINDENBERGHE/A")
    (check,) = cross_check([read], long_name)
    assert check.agrees
    assert "20 characters" in check.note
    assert _name_check(_pass("VANDERLINDENBERG/ALE"), _mrz("VANDERLINDENBERGERS", "ALEX"))
    # ICAO writes Müller as MUELLER; airline systems often strip the accent instead.
    assert _name_check(_pass("MULLER/JORG"), _mrz("MUELLER", "JOERG"))
    assert _name_check(_pass("MUELLER/JOERG"), _mrz("Müller", "Jörg"))


def test_boarding_pass_in_another_name_is_flagged() -> None:
    (check,) = cross_check([_pass("DESMARAIS/LUC")], _mrz("ERIKSSON", "ANNA MARIA"))
    assert not check.agrees
    assert "surname DESMARAIS" in check.note
    (check,) = cross_check([_pass("ERIKSSON/JOHN")], _mrz("ERIKSSON", "ANNA MARIA"))
    assert not check.agrees
    assert "given name JOHN" in check.note
    # A short surname is not a truncated long one when the field has room left.
    assert not _name_check(_pass("ERIK/ANNA"), _mrz("ERIKSSON", "ANNA"))


def test_driving_licence_name_and_birth_date() -> None:
    licence = _read(ANNEX_D)
    agree = cross_check([licence], _mrz("SAMPLE", "MICHAEL", date(1986, 6, 6)))
    assert [(c.field, c.agrees) for c in agree] == [("name", True), ("birth_date", True)]
    differ = cross_check([licence], _mrz("SAMPLE", "MICHAEL", date(1986, 6, 7)))
    assert [(c.field, c.agrees) for c in differ] == [("name", True), ("birth_date", False)]
    assert differ[1].barcode_value == "1986-06-06"
    assert differ[1].mrz_value == "1986-06-07"
    other = cross_check([licence], _mrz("SAMPLES", "MICHAEL", date(1986, 6, 6)))
    assert other[0].agrees is False


def test_visa_seal_for_another_passport_is_flagged() -> None:
    seal = _read(VISA.decode("latin-1"), VISA, fmt="DataMatrix")
    same = cross_check([seal], _mrz("DENT", "ARTHUR PHILIP", number="47110815P"))
    assert [(c.field, c.agrees) for c in same] == [("document_number", True), ("name", True)]
    other = cross_check([seal], _mrz("DENT", "ARTHUR PHILIP", number="C01X00T47"))
    assert [(c.field, c.agrees) for c in other] == [("document_number", False), ("name", True)]
    assert other[0].note == "the seal was issued for another passport"
    renamed = cross_check([seal], _mrz("PREFECT", "FORD", number="47110815P"))
    assert [c.agrees for c in renamed] == [True, False]


def test_no_mrz_or_plain_barcodes_give_no_checks() -> None:
    assert cross_check([_pass("DESMARAIS/LUC")], None) == []
    assert cross_check([_read("hello", fmt="QRCode")], _mrz("A", "B")) == []


def test_json_shape() -> None:
    reads = [_pass("DESMARAIS/LUC"), _read(ANNEX_D), _read(VISA.decode("latin-1"), VISA)]
    for read in reads:
        out = barcode_to_json(read)
        assert list(out) == ["format", "text", "bytes_b64", "engine", "polygon", "parsed"]
        assert out["polygon"] == [[0, 0], [10, 0], [10, 10], [0, 10]]
        json.dumps(out)
    bcbp, aamva, vds = (barcode_to_json(r)["parsed"] for r in reads)
    assert bcbp["kind"] == "bcbp"
    assert bcbp["legs"][0]["flight_date"] == "2026-11-22"
    assert aamva["kind"] == "aamva"
    assert aamva["birth_date"] == "1986-06-06"
    assert vds["kind"] == "vds"
    assert vds["signature_status"] == "signature not checked"
    assert base64.b64decode(barcode_to_json(reads[2])["bytes_b64"]) == VISA


def test_cross_check_json() -> None:
    (check,) = cross_check([_pass("DESMARAIS/LUC")], _mrz("ERIKSSON", "ANNA"))
    assert cross_check_to_json(check) == {
        "source": "bcbp",
        "field": "name",
        "barcode_value": "DESMARAIS/LUC",
        "mrz_value": "ERIKSSON, ANNA",
        "agrees": False,
        "note": "surname DESMARAIS is not ERIKSSON",
    }
