"""Decode and understand every barcode in an image in one call.

This is what `checkpoint scan`, the desk GUI and the benchmarks call: `decode` finds the
symbols within the frame's time budget and `parse` says what each one means.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from cryptography import x509

from checkpoint.documents.barcodes.decode import decode
from checkpoint.documents.barcodes.model import Barcode
from checkpoint.documents.barcodes.parse import Payload, parse
from checkpoint.documents.image import Image


@dataclass(frozen=True)
class BarcodeRead:
    """A decoded barcode and what it says."""

    barcode: Barcode
    payload: Payload


def read_barcodes(
    image: Image,
    *,
    budget_ms: float = 40,
    today: date | None = None,
    certificates: Mapping[str, x509.Certificate] | None = None,
) -> list[BarcodeRead]:
    """Every barcode in `image`, decoded within `budget_ms` (at least one fast pass) and parsed."""
    return [
        BarcodeRead(barcode, parse(barcode, today=today, certificates=certificates))
        for barcode in decode(image, budget_ms=budget_ms)
    ]
