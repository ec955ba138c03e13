"""Barcodes on travel documents: decoding them from images and understanding what they say.

Boarding passes (IATA BCBP in PDF417, Aztec or QR), North American driving licences (AAMVA in
PDF417), visas and residence permits (ICAO visible digital seals in DataMatrix) and plain 1-D
codes. `read_barcodes` is the one call the scanner, the GUI and the benchmarks use.
"""

from checkpoint.documents.barcodes.crosscheck import CrossCheck, cross_check
from checkpoint.documents.barcodes.decode import decode, zbar_available
from checkpoint.documents.barcodes.jsonify import (
    barcode_to_json,
    cross_check_to_json,
    payload_to_json,
)
from checkpoint.documents.barcodes.model import Barcode, TextPayload
from checkpoint.documents.barcodes.parse import Payload, parse
from checkpoint.documents.barcodes.present import barcode_lines, cross_check_lines
from checkpoint.documents.barcodes.read import BarcodeRead, read_barcodes

__all__ = [
    "Barcode",
    "BarcodeRead",
    "CrossCheck",
    "Payload",
    "TextPayload",
    "barcode_lines",
    "barcode_to_json",
    "cross_check",
    "cross_check_lines",
    "cross_check_to_json",
    "decode",
    "parse",
    "payload_to_json",
    "read_barcodes",
    "zbar_available",
]
