"""ICAO visible digital seals (Doc 9303 part 13) on visas, residence permits and stickers.

Written by hand: no Python library reads them. A seal is binary: a header (magic 0xDC, version,
issuing country and signer/certificate reference in C40, issue and signature dates, the
document feature definition reference and the document type category), a message zone of
tag-length-value features, and the signature zone (tag 0xFF, ECDSA r‖s).

The signature is checked only against a signer certificate the caller knows (keyed by signer
identifier + certificate reference, e.g. `DETS27`). Without one the seal is reported as
"signature not checked" — never as valid. Features of the profiles Checkpoint knows (ICAO visa
and emergency travel document, the German arrival attestation, residence permit, social
insurance card and address stickers) are named and decoded; unknown ones are kept as bytes.
Malformed seals are parsed as far as they go with every problem in `problems`; the parser
never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

KIND = "vds"
MAGIC = 0xDC
SIGNATURE_TAG = 0xFF

SIGNATURE_VALID = "valid"
SIGNATURE_INVALID = "invalid"
SIGNATURE_NOT_CHECKED = "signature not checked"
SIGNATURE_MISSING = "no signature"

_C40 = {3: " "} | {4 + i: str(i) for i in range(10)} | {14 + i: chr(65 + i) for i in range(26)}
_C40_VALUES = {char: value for value, char in _C40.items()}

# (feature definition reference, document type category) -> (profile name, {tag: (name, type)})
_PROFILES: dict[tuple[int, int], tuple[str, dict[int, tuple[str, str]]]] = {
    (0x5D, 0x01): (
        "visa",
        {
            0x01: ("mrz (MRV-A)", "mrz"),
            0x02: ("mrz (MRV-B)", "mrz"),
            0x03: ("number of entries", "int"),
            0x04: ("duration of stay", "duration"),
            0x05: ("passport number", "c40"),
            0x06: ("visa type", "bytes"),
            0x07: ("additional feature", "bytes"),
        },
    ),
    (0x5E, 0x03): (
        "emergency travel document",
        {0x02: ("mrz (TD3)", "mrz")},
    ),
    (0xFD, 0x02): (
        "arrival attestation",
        {0x02: ("mrz (TD2)", "mrz"), 0x03: ("AZR number", "c40")},
    ),
    (0xFB, 0x06): (
        "residence permit",
        {0x02: ("mrz (TD2)", "mrz"), 0x03: ("passport number", "c40")},
    ),
    (0xFA, 0x06): (
        "residence permit supplementary sheet",
        {0x03: ("passport number", "c40"), 0x04: ("supplementary sheet number", "c40")},
    ),
    (0xFC, 0x04): (
        "social insurance card",
        {
            0x01: ("social insurance number", "c40"),
            0x02: ("surname", "utf8"),
            0x03: ("first name", "utf8"),
            0x04: ("name at birth", "utf8"),
        },
    ),
    (0xF9, 0x08): (
        "address sticker",
        {
            0x01: ("document number", "c40"),
            0x02: ("municipality code", "c40"),
            0x03: ("residential address", "c40"),
        },
    ),
    (0xF8, 0x0A): (
        "place of residence sticker",
        {
            0x01: ("passport number", "c40"),
            0x02: ("municipality code", "c40"),
            0x03: ("postal code", "c40"),
        },
    ),
}
# Characters per MRZ line for the MRZ feature, by profile (the seal stores the MRZ without
# the optional data at the end of the second line for visas).
_MRZ_LINES = {
    ("visa", 0x01): (44, 28),
    ("visa", 0x02): (36, 28),
    ("emergency travel document", 0x02): (44, 44),
}


@dataclass(frozen=True)
class VdsFeature:
    """One message-zone feature; `value` is decoded text, or hex for unknown binary."""

    tag: int
    name: str
    value: str
    raw_hex: str


@dataclass(frozen=True)
class VdsPayload:
    """A visible digital seal, its features and what is known about its signature."""

    version: int | None
    """Doc 9303 part 13 version (3 or 4); the byte in the seal is one less."""
    issuing_country: str
    signer: str
    certificate_reference: str
    issue_date: date | None
    signature_date: date | None
    feature_definition: int | None
    document_category: int | None
    profile: str
    features: tuple[VdsFeature, ...]
    signature_hex: str
    signature_status: str
    """`valid`, `invalid`, `signature not checked` or `no signature`."""
    problems: tuple[str, ...] = ()
    kind: str = KIND

    @property
    def signer_key(self) -> str:
        """The key under which the signer certificate is looked up (`DETS27`)."""
        return self.signer + self.certificate_reference

    def feature(self, name: str) -> str | None:
        for feature in self.features:
            if feature.name == name or feature.name.startswith(name + " "):
                return feature.value
        return None


def looks_like_vds(raw: bytes) -> bool:
    return len(raw) >= 2 and raw[0] == MAGIC and raw[1] in (0x00, 0x01, 0x02, 0x03)


def c40_decode(data: bytes) -> str:
    """Doc 9303 part 13 C40: 2 bytes hold 3 characters; 0xFE + ASCII+1 holds a last single one."""
    out = []
    for i in range(0, len(data) - 1, 2):
        first, second = data[i], data[i + 1]
        if first == 0xFE:
            out.append(chr(second - 1) if 1 <= second <= 128 else "?")
            continue
        value = first * 256 + second - 1
        for code in (value // 1600, (value // 40) % 40, value % 40):
            if code == 0:
                continue
            out.append(_C40.get(code, "?"))
    return "".join(out)


def c40_encode(text: str) -> bytes:
    """The inverse of `c40_decode`; `<` is stored as a space, as the standard says."""
    values = [_C40_VALUES[ch] for ch in text.replace("<", " ").upper()]
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 1:
            out += bytes([0xFE, ord(_C40[chunk[0]]) + 1])
            continue
        chunk = chunk + [0] * (3 - len(chunk))
        value = 1600 * chunk[0] + 40 * chunk[1] + chunk[2] + 1
        out += bytes([value // 256, value % 256])
    return bytes(out)


def _date(data: bytes) -> date | None:
    number = int.from_bytes(data, "big")
    text = f"{number:08d}"
    try:
        return date(int(text[4:8]), int(text[0:2]), int(text[2:4]))
    except ValueError:
        return None


def encode_date(day: date) -> bytes:
    return int(f"{day.month:02d}{day.day:02d}{day.year:04d}").to_bytes(3, "big")


def _length(data: bytes, pos: int) -> tuple[int | None, int]:
    """A DER length at `pos`: (length, position after it), or (None, pos) when cut short."""
    if pos >= len(data):
        return None, pos
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count == 0 or count > 3 or pos + 1 + count > len(data):
        return None, pos
    return int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length < 0x100:
        return bytes([0x81, length])
    return bytes([0x82]) + length.to_bytes(2, "big")


def parse_vds(raw: bytes, certificates: Mapping[str, x509.Certificate] | None = None) -> VdsPayload:
    """Parse a seal and check its signature when the signer certificate is in `certificates`."""
    problems: list[str] = []
    header = _header(raw, problems)
    pos = header.end
    profile, known = _PROFILES.get(
        (header.feature_definition or -1, header.document_category or -1), ("unknown", {})
    )
    features: list[VdsFeature] = []
    signature = b""
    signed_end = len(raw)
    saw_signature = False
    while pos < len(raw):
        tag = raw[pos]
        length, value_at = _length(raw, pos + 1)
        if length is None or value_at + length > len(raw):
            problems.append(f"feature 0x{tag:02X} at byte {pos} runs past the end of the seal")
            break
        value = raw[value_at : value_at + length]
        if tag == SIGNATURE_TAG:
            signed_end, signature, saw_signature = pos, value, True
            if value_at + length < len(raw):
                problems.append(f"{len(raw) - value_at - length} bytes follow the signature")
            break
        name, kind = known.get(tag, (f"feature 0x{tag:02X}", "bytes"))
        features.append(
            _feature(profile, tag, name=name, kind=kind, value=value, problems=problems)
        )
        pos = value_at + length
    if not saw_signature:
        problems.append("the seal has no signature zone")
    if header.end <= len(raw) and not features and not problems:
        problems.append("the message zone is empty")
    status = SIGNATURE_MISSING
    if saw_signature:
        status = _verify(
            raw[:signed_end], signature, header.signer + header.reference, certificates
        )
    return VdsPayload(
        version=header.version,
        issuing_country=header.country,
        signer=header.signer,
        certificate_reference=header.reference,
        issue_date=header.issue_date,
        signature_date=header.signature_date,
        feature_definition=header.feature_definition,
        document_category=header.document_category,
        profile=profile,
        features=tuple(features),
        signature_hex=signature.hex(),
        signature_status=status,
        problems=tuple(problems),
    )


@dataclass
class _Header:
    end: int
    version: int | None = None
    country: str = ""
    signer: str = ""
    reference: str = ""
    issue_date: date | None = None
    signature_date: date | None = None
    feature_definition: int | None = None
    document_category: int | None = None


def _header(raw: bytes, problems: list[str]) -> _Header:
    fields = _Header(end=len(raw))
    if not raw or raw[0] != MAGIC:
        problems.append("the seal does not start with the magic byte 0xDC")
        return fields
    if len(raw) < 2:
        problems.append("header: cut short after the magic byte")
        return fields
    version_byte = raw[1]
    if version_byte not in (0x02, 0x03):
        problems.append(f"header: version byte 0x{version_byte:02X} is not 0x02 or 0x03")
    fields.version = version_byte + 1
    pos = 2
    if len(raw) < pos + 2:
        problems.append("header: cut short before the issuing country")
        return fields
    fields.country = c40_decode(raw[pos : pos + 2]).replace(" ", "<")
    pos += 2
    if version_byte >= 0x03:
        # Version 4: signer (4 characters) + 2 hex digits giving the reference's length.
        start = c40_decode(raw[pos : pos + 4])
        count = int(start[4:6], 16) if len(start) == 6 and _is_hex(start[4:6]) else None
        if count is None:
            problems.append("header: the certificate reference length is not hexadecimal")
            return fields
        size = 2 * -(-(6 + count) // 3)
        ident = c40_decode(raw[pos : pos + size])
        fields.signer, fields.reference = ident[:4], ident[6 : 6 + count]
    else:
        size = 6
        ident = c40_decode(raw[pos : pos + size])
        fields.signer, fields.reference = ident[:4], ident[4:9]
    pos += size
    if len(raw) < pos + 8:
        problems.append("header: cut short before the dates and document type")
        return fields
    fields.issue_date = _date(raw[pos : pos + 3])
    fields.signature_date = _date(raw[pos + 3 : pos + 6])
    if fields.issue_date is None:
        problems.append(f"header: issue date {raw[pos : pos + 3].hex()} is not a date")
    if fields.signature_date is None:
        problems.append(f"header: signature date {raw[pos + 3 : pos + 6].hex()} is not a date")
    fields.feature_definition = raw[pos + 6]
    fields.document_category = raw[pos + 7]
    fields.end = pos + 8
    return fields


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789ABCDEF" for ch in text)


def _feature(
    profile: str, tag: int, *, name: str, kind: str, value: bytes, problems: list[str]
) -> VdsFeature:
    text = value.hex()
    if kind == "c40":
        # Fillers (`<`) are stored as spaces; at the end of a number they are padding.
        text = c40_decode(value).rstrip(" ")
    elif kind == "mrz":
        text = c40_decode(value).replace(" ", "<")
        widths = _MRZ_LINES.get((profile, tag), (len(text) // 2, len(text) - len(text) // 2))
        first, second = text[: widths[0]], text[widths[0] :]
        text = first + "\n" + second.ljust(widths[0], "<")
    elif kind == "int":
        text = str(int.from_bytes(value, "big"))
    elif kind == "duration" and len(value) == 3:
        text = f"{value[0]} days, {value[1]} months, {value[2]} years"
    elif kind == "utf8":
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{name} is not UTF-8 text")
    return VdsFeature(tag=tag, name=name, value=text, raw_hex=value.hex())


def _verify(
    signed: bytes,
    signature: bytes,
    key: str,
    certificates: Mapping[str, x509.Certificate] | None,
) -> str:
    certificate = (certificates or {}).get(key)
    if certificate is None:
        return SIGNATURE_NOT_CHECKED
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or len(signature) % 2:
        return SIGNATURE_INVALID
    half = len(signature) // 2
    der = encode_dss_signature(
        int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    )
    try:
        public_key.verify(der, signed, ec.ECDSA(_hash_for(public_key.curve.key_size)))
    except InvalidSignature:
        return SIGNATURE_INVALID
    return SIGNATURE_VALID


def _hash_for(key_size: int) -> hashes.HashAlgorithm:
    """The hash BSI TR-03116 pairs with each curve size (SHA-224 for 224-bit curves, ...)."""
    if key_size <= 224:
        return hashes.SHA224()
    if key_size <= 256:
        return hashes.SHA256()
    if key_size <= 384:
        return hashes.SHA384()
    return hashes.SHA512()


def build_seal(
    *,
    country: str,
    signer: str,
    reference: str,
    issued: date,
    signed: date,
    feature_definition: int,
    category: int,
    features: list[tuple[int, bytes]],
    private_key: ec.EllipticCurvePrivateKey,
) -> bytes:
    """A version-4 seal signed with `private_key`: for tests, demos and specimen documents."""
    ident = c40_encode(f"{signer}{len(reference):02X}{reference}")
    header = (
        bytes([MAGIC, 0x03])
        + c40_encode(country)
        + ident
        + encode_date(issued)
        + encode_date(signed)
        + bytes([feature_definition, category])
    )
    message = b"".join(bytes([tag]) + encode_length(len(v)) + v for tag, v in features)
    data = header + message
    size = (private_key.curve.key_size + 7) // 8
    der = private_key.sign(data, ec.ECDSA(_hash_for(private_key.curve.key_size)))
    r, s = decode_dss_signature(der)
    raw_signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return data + bytes([SIGNATURE_TAG]) + encode_length(len(raw_signature)) + raw_signature
