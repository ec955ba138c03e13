"""ICAO 9303 machine-readable zones: formats, check digits, parsing, location, OCR-B reading."""

from checkpoint.documents.mrz.checkdigit import check_digit
from checkpoint.documents.mrz.compose import compose
from checkpoint.documents.mrz.formats import LINE_SHAPES, MRZ_ALPHABET, MrzFormat, detect_format
from checkpoint.documents.mrz.jsonify import mrz_to_json
from checkpoint.documents.mrz.model import Check, Correction, MrzError, MrzFields, MrzRead
from checkpoint.documents.mrz.parse import parse_mrz

__all__ = [
    "LINE_SHAPES",
    "MRZ_ALPHABET",
    "Check",
    "Correction",
    "MrzError",
    "MrzFields",
    "MrzFormat",
    "MrzRead",
    "check_digit",
    "compose",
    "detect_format",
    "mrz_to_json",
    "parse_mrz",
]
