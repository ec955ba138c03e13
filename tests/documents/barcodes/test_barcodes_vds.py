"""ICAO visible digital seals: BSI TR-03137's worked examples, signatures, broken seals."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint.documents.barcodes.vds import (
    SIGNATURE_INVALID,
    SIGNATURE_MISSING,
    SIGNATURE_NOT_CHECKED,
    SIGNATURE_VALID,
    build_seal,
    c40_decode,
    c40_encode,
    looks_like_vds,
    parse_vds,
)

# BSI TR-03137 part 1 (v2.5), Annex C: arrival attestation, header version 3.
ARRIVAL = bytes.fromhex(
    "dc026abc6d32c8a519fc0f71341145f4fd020230a5621353d9a275735bd4134bc549133c133c133c133c133c"
    "a32519a519a4344a5e681ae7204b20d532cf4b7c133c133f030820d5201019a51aeaff404a1f218ca4392647"
    "ecff6c8abf9e796a78eebe0b1ac8cc25c4ee17eed961d1189091358d7d616f1a517abc747f6c4490ff159d4d"
    "cf50248b00b1e32e9e7805e7"
)
# Annex E: residence permit, header version 4.
RESIDENCE = bytes.fromhex(
    "dc036abc6d32c8a727390f71341145f4fb0602305cba135875976ec066d417b59e8c6abc133c133c133c133c"
    "3fef3a2938ee43f1593d1ae52dbb26751fe64b7c133c136b0306d79519a65306ff40158cf5b0bb7fbda099e8"
    "e7c94abefc9677b2e71e9885f5cd9057a8bfcf930a6046bcf897650af8f9b0343c034d2f64ce081f95fbf3d0"
    "1292d1f8165ece27d327"
)
# Annex F: visa sticker (ICAO visa profile 0x5D), header version 4.
VISA = bytes.fromhex(
    "dc036abc6d32c8a72cb10f7134b798155d01022cdd52134a74da1347c6fed95cb89f9fce133c133c133c133c"
    "203833734aaf47f0c32f1a1e20eb2625393afe310403a000000506 33be1fed20c6ff38d5573247608c9b64ca"
    "e022c1c5249660e51ae316d600f974aac2129c3f093c35955314026304705cd24c1b8100711bd4411f068e8d"
    "93e8b7".replace(" ", "")
)


def test_arrival_attestation_version_3() -> None:
    seal = parse_vds(ARRIVAL)
    assert seal.problems == ()
    assert (seal.version, seal.issuing_country, seal.signer, seal.certificate_reference) == (
        3,
        "D<<",
        "DETS",
        "00027",
    )
    assert (seal.issue_date, seal.signature_date) == (date(2020, 1, 1), date(2020, 1, 13))
    assert (seal.feature_definition, seal.document_category, seal.profile) == (
        0xFD,
        0x02,
        "arrival attestation",
    )
    assert seal.feature("mrz") == (
        "MED<<MUSTERMANN<<ERIK<<<<<<<<<<<<<<<\nM0000000<4ALB0308212M1604128<<<<<<<2"
    )
    assert seal.feature("AZR number") == "160113000085"
    assert len(seal.signature_hex) == 128
    assert seal.signature_status == SIGNATURE_NOT_CHECKED


def test_residence_permit_version_4() -> None:
    seal = parse_vds(RESIDENCE)
    assert seal.problems == ()
    assert (seal.version, seal.signer_key, seal.profile) == (4, "DETS27", "residence permit")
    assert seal.feature("mrz") == (
        "ATD<<RESIDORCE<<ROLAND<<<<<<<<<<<<<<\n6525845096USA7008038M2201018<<<<<<06"
    )
    assert seal.feature("passport number") == "UFO001979"
    assert seal.signature_status == SIGNATURE_NOT_CHECKED


def test_visa_features() -> None:
    seal = parse_vds(VISA)
    assert seal.problems == ()
    assert (seal.signer_key, seal.signature_date, seal.profile) == (
        "DETS32",
        date(2021, 12, 3),
        "visa",
    )
    assert seal.feature("mrz") == (
        "VCD<<DENT<<ARTHUR<PHILIP<<<<<<<<<<<<\n1234567XY7GBR5203116M2005250<<<<<<<<"
    )
    assert seal.feature("duration of stay") == "160 days, 0 months, 0 years"
    assert seal.feature("passport number") == "47110815P"
    assert len(seal.signature_hex) == 2 * 0x38


def test_c40_examples_of_the_standard() -> None:
    assert c40_encode("XK<CD") == bytes.fromhex("eb0466a9")
    assert c40_encode("XKCD") == bytes.fromhex("eb11fe45")
    assert c40_encode("BSI01") == bytes.fromhex("62d719c9")
    assert c40_decode(bytes.fromhex("eb11fe45")) == "XKCD"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ", max_size=90))
def test_c40_round_trip(text: str) -> None:
    assert c40_decode(c40_encode(text)) == text


def _signer(curve: ec.EllipticCurve) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(curve)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
            x509.NameAttribute(NameOID.COMMON_NAME, "TS"),
        ]
    )
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x27)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _visa_seal(key: ec.EllipticCurvePrivateKey, passport: str = "X1234567<") -> bytes:
    mrz = "VCUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<L898902C<3UTO7408122F1204159"
    return build_seal(
        country="UTO",
        signer="UTTS",
        reference="27",
        issued=date(2025, 3, 1),
        signed=date(2025, 3, 2),
        feature_definition=0x5D,
        category=0x01,
        features=[(0x02, c40_encode(mrz[:64])), (0x05, c40_encode(passport))],
        private_key=key,
    )


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.BrainpoolP256R1(), ec.SECP224R1()])
def test_signature_verifies_with_the_signer_certificate(curve: ec.EllipticCurve) -> None:
    key, certificate = _signer(curve)
    raw = _visa_seal(key)
    seal = parse_vds(raw, {"UTTS27": certificate})
    assert seal.problems == ()
    assert seal.signature_status == SIGNATURE_VALID
    assert seal.issuing_country == "UTO"
    assert seal.feature("passport number") == "X1234567"


def test_unknown_signer_is_not_checked_never_valid() -> None:
    key, certificate = _signer(ec.SECP256R1())
    raw = _visa_seal(key)
    assert parse_vds(raw).signature_status == SIGNATURE_NOT_CHECKED
    assert parse_vds(raw, {"OTHER1": certificate}).signature_status == SIGNATURE_NOT_CHECKED


def test_tampered_seal_or_wrong_key_is_invalid() -> None:
    key, certificate = _signer(ec.SECP256R1())
    raw = bytearray(_visa_seal(key))
    raw[30] ^= 0x01
    assert parse_vds(bytes(raw), {"UTTS27": certificate}).signature_status == SIGNATURE_INVALID
    _, other = _signer(ec.SECP256R1())
    good = _visa_seal(key)
    assert parse_vds(good, {"UTTS27": other}).signature_status == SIGNATURE_INVALID


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (VISA[:10], "cut short"),
        (VISA[:40], "runs past the end"),
        (VISA[: VISA.index(bytes.fromhex("ff38"))], "no signature zone"),
        (VISA + b"\x00\x00", "follow the signature"),
        (bytes([0xDC, 0x07]) + VISA[2:], "version byte"),
        (VISA[:10] + b"\xff\xff\xff" + VISA[13:], "issue date"),
        (b"\xdc", "cut short"),
    ],
)
def test_malformed_seals_say_what_is_wrong(raw: bytes, expected: str) -> None:
    seal = parse_vds(raw)
    assert any(expected in problem for problem in seal.problems), seal.problems
    assert seal.signature_status != SIGNATURE_VALID


def test_missing_signature_status() -> None:
    assert parse_vds(VISA[: VISA.index(bytes.fromhex("ff38"))]).signature_status == (
        SIGNATURE_MISSING
    )


def test_detection() -> None:
    assert looks_like_vds(VISA)
    assert looks_like_vds(ARRIVAL)
    assert not looks_like_vds(b"\xdc")
    assert not looks_like_vds(b"hello")


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_without_raising(data: bytes) -> None:
    seal = parse_vds(b"\xdc\x03" + data)
    assert seal.signature_status in (SIGNATURE_MISSING, SIGNATURE_NOT_CHECKED)


_KEY, _CERTIFICATE = _signer(ec.SECP256R1())
_SIGNED = _visa_seal(_KEY)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=len(_SIGNED) - 1), st.integers(1, 255))
def test_any_changed_byte_fails_verification(position: int, flip: int) -> None:
    raw = bytearray(_SIGNED)
    raw[position] ^= flip
    seal = parse_vds(bytes(raw), {"UTTS27": _CERTIFICATE})
    assert seal.signature_status != SIGNATURE_VALID
    assert parse_vds(_SIGNED, {"UTTS27": _CERTIFICATE}).signature_status == SIGNATURE_VALID
