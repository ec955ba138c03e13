"""Understanding a decoded barcode: which travel format it carries, parsed into fields.

The formats announce themselves: a visible digital seal starts with the byte 0xDC, an AAMVA
card file with `@` and `ANSI `/`AAMVA`, a boarding pass with `M` and the number of legs.
Anything else is shown as it is — text, a URL, or bytes in hexadecimal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from cryptography import x509

from checkpoint.documents.barcodes.aamva import AamvaPayload, looks_like_aamva, parse_aamva
from checkpoint.documents.barcodes.bcbp import BcbpPayload, looks_like_bcbp, parse_bcbp
from checkpoint.documents.barcodes.model import Barcode, TextPayload
from checkpoint.documents.barcodes.vds import VdsPayload, looks_like_vds, parse_vds

Payload = BcbpPayload | AamvaPayload | VdsPayload | TextPayload

_URL = re.compile(r"(?i)^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$")


def parse(
    barcode: Barcode,
    *,
    today: date | None = None,
    certificates: Mapping[str, x509.Certificate] | None = None,
) -> Payload:
    """The payload of `barcode`; seals are verified only against `certificates` given here."""
    return parse_payload(barcode.text, barcode.raw, today=today, certificates=certificates)


def parse_payload(
    text: str,
    raw: bytes,
    *,
    today: date | None = None,
    certificates: Mapping[str, x509.Certificate] | None = None,
) -> Payload:
    """Like `parse`, from the decoded text and raw bytes."""
    if looks_like_vds(raw):
        return parse_vds(raw, certificates)
    if looks_like_aamva(text):
        return parse_aamva(text)
    if looks_like_bcbp(text):
        return parse_bcbp(text, today=today)
    return describe(text, raw)


def describe(text: str, raw: bytes) -> TextPayload:
    """Plain content: a URL, printable text, or bytes shown in hexadecimal."""
    stripped = text.strip()
    if stripped and _URL.match(stripped):
        return TextPayload(kind="url", text=stripped)
    printable = all(ch.isprintable() or ch in "\t\r\n\x1d\x1e" for ch in text)
    if text and printable and "\ufffd" not in text:
        return TextPayload(kind="text", text=text)
    return TextPayload(kind="bytes", text=text, hex=raw.hex())
