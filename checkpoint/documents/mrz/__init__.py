"""ICAO 9303 machine-readable zones: formats, check digits, parsing, location and OCR-B recognition."""
