"""Readable lines for the plain scan output, and `parse` on anything an engine may return."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from test_barcodes_aamva import ANNEX_D
from test_barcodes_bcbp import EXAMPLE_1, EXAMPLE_2
from test_barcodes_crosscheck import _mrz, _pass, _read
from test_barcodes_vds import VISA

from checkpoint.documents.barcodes import barcode_lines, cross_check, cross_check_lines
from checkpoint.documents.barcodes.parse import describe, parse_payload


def test_boarding_pass_lines() -> None:
    lines = barcode_lines(_read(EXAMPLE_2, fmt="Aztec"))
    assert lines[0] == "Aztec (zxing-cpp): boarding pass, DESMARAIS/LUC"
    assert lines[1:5] == [
        "  leg 1: YUL-FRA AC 0834 on 2026-08-14, seat 001A, PNR ABC123",
        "    ticket issued, checked in, document check required",
        "  leg 2: FRA-GVA LH 3664 on 2026-08-15, seat 012C, PNR DEF456",
        "    ticket issued, checked in, document check required",
    ]
    assert lines[5] == "  passenger male, checked in by web"
    assert lines[6] == "  issued by AC on 2016-08-12"
    assert lines[7] == "  security data: type 1, not verified"


def test_licence_and_seal_lines() -> None:
    licence = barcode_lines(_read(ANNEX_D))
    assert licence == [
        "PDF417 (zxing-cpp): AAMVA card, version 10, issuer 636000",
        "  name: SAMPLE, MICHAEL JOHN",
        "  born 1986-06-06, sex M",
        "  number T64235789 (VA, USA), expires 2024-12-10",
    ]
    seal = barcode_lines(_read(VISA.decode("latin-1"), VISA, fmt="DataMatrix"))
    assert seal[0] == "DataMatrix (zxing-cpp): visible digital seal (visa)"
    assert seal[1] == "  issued by D<<, signer DETS32, signature: signature not checked"
    assert "  passport number: 47110815P" in seal


def test_problems_and_plain_content_are_listed() -> None:
    broken = barcode_lines(_read(EXAMPLE_1[:40]))
    assert any(line.startswith("  problem: ") and "cut short" in line for line in broken)
    assert barcode_lines(_read("https://example.org", fmt="QRCode")) == [
        "QRCode (zxing-cpp): url https://example.org"
    ]


def test_cross_check_lines_shout_disagreements() -> None:
    checks = cross_check([_pass("DESMARAIS/LUC")], _mrz("ERIKSSON", "ANNA"))
    (line,) = cross_check_lines(checks)
    assert line.startswith("bcbp name DISAGREES with the MRZ: DESMARAIS/LUC / ERIKSSON, ANNA")


def test_describe() -> None:
    assert describe("www.example.org/x", b"").kind == "url"
    assert describe("Ceci est un texte!", b"").kind == "text"
    binary = describe("\x00\x01", b"\x00\x01")
    assert (binary.kind, binary.hex) == ("bytes", "0001")


PREFIXES = ["", "M1", "M2DESMARAIS/", "@\n\x1e\rANSI ", "@\n\x1e\rAAMVA", "@ANSI "]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PREFIXES), st.text(max_size=300), st.binary(max_size=200))
def test_parse_never_raises(prefix: str, text: str, raw: bytes) -> None:
    payload = parse_payload(prefix + text, raw, today=date(2026, 8, 1))
    assert isinstance(payload.problems, tuple)
    seal = parse_payload(text, b"\xdc\x03" + raw)
    assert seal.kind == "vds"
