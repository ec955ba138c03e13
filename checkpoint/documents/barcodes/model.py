"""The values the barcode reader hands on: what was decoded, and the simplest payloads.

A `Barcode` is what an engine saw (symbology, text, raw bytes, where, which engine); the
structured payloads live beside their parsers (`bcbp`, `aamva`, `vds`). Anything those
parsers do not recognise is shown to the officer as it is, as a `TextPayload`.
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[int, int]


@dataclass(frozen=True)
class Barcode:
    """One symbol found in an image.

    `format` is the symbology in zxing-cpp's naming (`QRCode`, `PDF417`, `DataMatrix`,
    `Code128`, ...) whichever engine read it; `engine` names the engines that agreed on it
    (`zxing-cpp`, `zbar` or `zxing-cpp+zbar`); `polygon` is the outline in image pixels,
    clockwise from the symbol's top-left corner.
    """

    format: str
    text: str
    raw: bytes
    polygon: tuple[Point, ...]
    engine: str
    found_by: str = "fast"
    """The decoding pass that first found it (`fast`, `zbar`, `upscale`, `rotate-45`, ...)."""


@dataclass(frozen=True)
class TextPayload:
    """A barcode that is none of the travel formats: text, a URL or opaque bytes, shown as is."""

    kind: str
    """`text`, `url` or `bytes`."""
    text: str
    hex: str = ""
    """The bytes in hexadecimal when they are not printable text."""
    problems: tuple[str, ...] = ()
