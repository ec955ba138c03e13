"""Country names and codes to the ICAO 9303 three-letter codes documents carry.

Lists name countries in words ("Iran (Islamic Republic of)"), documents in codes ("IRN").
Names come from Debian's iso-codes (`/usr/share/iso-codes/json/iso_3166-1.json`) when
installed, plus the spellings the UN and OFAC lists use; codes are those of
`checkpoint.documents.mrz.states`. Without iso-codes, codes still work and names fall back to
their normalised text.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from anyascii import anyascii

from checkpoint.documents.mrz.states import STATE_CODES

ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")

# ICAO 9303 codes that are not ISO 3166 codes, and names the sanction lists use that
# iso-codes spells differently.
EXTRA: dict[str, str] = {
    "D": "DEU",
    "GERMANY": "DEU",
    "UTOPIA": "UTO",
    "STATELESS": "XXA",
    "REFUGEE": "XXB",
    "UNITED NATIONS": "UNO",
    "KOSOVO": "RKS",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "COD",
    "CONGO DEMOCRATIC REPUBLIC OF THE": "COD",
    "IRAN": "IRN",
    "IRAN ISLAMIC REPUBLIC OF": "IRN",
    "STATE OF PALESTINE": "PSE",
    "PALESTINE": "PSE",
    "RUSSIA": "RUS",
    "SYRIA": "SYR",
    "NORTH KOREA": "PRK",
    "KOREA NORTH": "PRK",
    "SOUTH KOREA": "KOR",
    "KOREA SOUTH": "KOR",
    "BURMA": "MMR",
    "UNITED KINGDOM": "GBR",
    "UNITED STATES": "USA",
    "VENEZUELA": "VEN",
    "BOLIVIA": "BOL",
    "TANZANIA": "TZA",
    "LAOS": "LAO",
    "VIETNAM": "VNM",
    "MOLDOVA": "MDA",
    "TURKEY": "TUR",
    "SOVIET UNION": "SUN",
    "FORMER SOVIET UNION": "SUN",
}


def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", anyascii(text).upper()).strip()


@functools.cache
def _table() -> tuple[dict[str, str], frozenset[str]]:
    names: dict[str, str] = {}
    # Every code a document may print (ISO 3166 and Doc 9303's own), known without iso-codes.
    codes: set[str] = set(STATE_CODES)
    if ISO_CODES.exists():
        for entry in json.loads(ISO_CODES.read_text(encoding="utf-8"))["3166-1"]:
            codes.add(entry["alpha_3"])
            for field in ("name", "official_name", "common_name"):
                if field in entry:
                    names[_key(entry[field])] = entry["alpha_3"]
    names.update(EXTRA)
    return names, frozenset(codes | set(names.values()))


def country_code(text: str | None) -> str | None:
    """The three-letter code for a code or a country name, or None when unknown or empty."""
    if not text:
        return None
    key = _key(text)
    if not key or key in {"NA", "N A", "UNKNOWN"}:
        return None
    names, codes = _table()
    compact = key.replace(" ", "")
    if len(compact) == 3 and compact in codes:
        return compact
    if key == "D":
        return "DEU"
    return names.get(key)


def normalise_country(text: str | None) -> str | None:
    """The code when known, else the country's normalised name (so equal names still agree)."""
    if not text or not text.strip():
        return None
    return country_code(text) or _key(text) or None
