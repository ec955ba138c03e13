"""Writing names and other free text in the MRZ character set (Doc 9303 part 3, section 6).

ICAO prescribes its own transliteration for the Latin letters that matter most (Ä→AE, Å→AA,
Ö→OE, Ø→OE, Ü→UE, ß→SS, Þ→TH, ...), which differs from a plain accent strip; everything else
goes through anyascii, which covers every script. Spaces, hyphens and commas separate name
parts and become fillers; apostrophes and other marks are dropped, as ICAO requires.
"""

from __future__ import annotations

import re
from typing import Final

from anyascii import anyascii

_ICAO: Final[dict[str, str]] = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Œ": "OE",
    "Ü": "UE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Ĳ": "IJ",
}
_SEPARATORS: Final = re.compile(r"[\s\-‐‑‒–—,/<.]+")
_NOT_MRZ: Final = re.compile(r"[^A-Z<]")
_FILLER_RUN: Final = re.compile(r"<+")


def to_mrz_name(text: str) -> str:
    """`text` in A-Z with `<` between its parts: "Müller-Lüdenscheidt" -> MUELLER<LUEDENSCHEIDT."""
    upper = text.upper()
    mapped = "".join(_ICAO.get(char, char) for char in upper)
    ascii_text = anyascii(mapped).upper()
    joined = _SEPARATORS.sub("<", ascii_text)
    # the fillers collapse last, so a dropped mark between two separators cannot leave `<<`
    return _FILLER_RUN.sub("<", _NOT_MRZ.sub("", joined)).strip("<")
