"""Barcode reads as JSON: the shape `checkpoint scan --json` prints for each barcode.

`{"format", "text", "bytes_b64", "engine", "polygon", "parsed": {...}}` — the raw bytes in
base64 so binary seals survive, and the parsed payload with dates in ISO 8601.
"""

from __future__ import annotations

import base64
import dataclasses
from datetime import date
from typing import Any

from checkpoint.documents.barcodes.crosscheck import CrossCheck
from checkpoint.documents.barcodes.parse import Payload
from checkpoint.documents.barcodes.read import BarcodeRead


def barcode_to_json(read: BarcodeRead) -> dict[str, Any]:
    """The JSON object for one barcode read."""
    barcode = read.barcode
    return {
        "format": barcode.format,
        "text": barcode.text,
        "bytes_b64": base64.b64encode(barcode.raw).decode("ascii"),
        "engine": barcode.engine,
        "polygon": [list(point) for point in barcode.polygon],
        "parsed": payload_to_json(read.payload),
    }


def payload_to_json(payload: Payload) -> dict[str, Any]:
    """A parsed payload as plain JSON values; `kind` says which format it is."""
    value = _plain(payload)
    assert isinstance(value, dict)
    return value


def cross_check_to_json(check: CrossCheck) -> dict[str, Any]:
    """One comparison with the MRZ: source, field, both values, whether they agree, a note."""
    value = _plain(check)
    assert isinstance(value, dict)
    return value


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
