"""Random but valid holder data for specimen documents.

Names come from a built-in list spanning many languages (with the accents and long compound
names that stress transliteration and truncation), issuers include ICAO's fictional `UTO` and
Germany's one-letter `D<<`, dates and numbers are plausible for each format. The MRZ text
itself is written by `checkpoint.documents.mrz.compose`, so the specimen and the parser agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from checkpoint.documents.mrz.compose import compose
from checkpoint.documents.mrz.formats import MrzFormat

SURNAMES = (
    "ERIKSSON",
    "Müller",
    "García Márquez",
    "Nguyen",
    "O'Brien",
    "Dubois",
    "Kowalczyk",
    "Papadopoulos",
    "Schäfer",
    "Ødegård",
    "Núñez",
    "Van der Berg",
    "Okonkwo",
    "Yamamoto",
    "Ivanova",
    "Al Rashid",
    "Smith",
    "Fernández de la Peña y Ruiz-Villalobos",
    "Li",
    "Öztürk",
    "Wójcik",
    "Mbeki",
    "Haddad",
    "Kim",
    "Rossi",
    "Björklund",
    "Dvořák",
    "Ahmadi",
    "Silva",
    "Abdullah",
    "Martin",
    "Jensen",
    "Popescu",
    "Nakamura",
    "Achterberg",
    "De Souza",
)
GIVEN_NAMES = (
    "Anna Maria",
    "Jürgen",
    "José Luis",
    "Thi Minh",
    "Siobhán",
    "Élodie",
    "Zofia",
    "Dimitrios",
    "Søren",
    "María de los Ángeles",
    "Chinedu",
    "Haruki",
    "Olga",
    "Fatima",
    "John Paul",
    "Mei",
    "Ayşe",
    "Kwame",
    "Leila",
    "Min-jun",
    "Giulia",
    "Åsa",
    "Jiří",
    "Reza",
    "Ana",
    "Muhammad Ali",
    "Camille",
    "Mette",
    "Ioana",
    "Yuki",
    "Wilhelmina Charlotte Augusta",
    "",
)
ISSUERS = (
    "UTO",
    "D",
    "FRA",
    "NLD",
    "GBR",
    "USA",
    "ESP",
    "ITA",
    "SWE",
    "POL",
    "NGA",
    "JPN",
    "XXA",
    "CAN",
    "BRA",
    "IND",
)
ISSUER_NAMES = {
    "UTO": "UTOPIA",
    "D": "BUNDESREPUBLIK DEUTSCHLAND",
    "FRA": "REPUBLIQUE FRANCAISE",
    "NLD": "KONINKRIJK DER NEDERLANDEN",
    "GBR": "UNITED KINGDOM",
    "USA": "UNITED STATES",
    "ESP": "REINO DE ESPANA",
    "ITA": "REPUBBLICA ITALIANA",
    "SWE": "SVERIGE",
    "POL": "RZECZPOSPOLITA POLSKA",
    "NGA": "NIGERIA",
    "JPN": "JAPAN",
    "XXA": "UTOPIA",
    "CAN": "CANADA",
    "BRA": "BRASIL",
    "IND": "INDIA",
}
DOCUMENT_CODES = {
    MrzFormat.TD1: ("I", "ID", "IR", "AC", "C"),
    MrzFormat.TD2: ("I", "ID", "IR", "A"),
    MrzFormat.TD3: ("P", "PP", "PD", "PO"),
    MrzFormat.MRV_A: ("V", "VS", "VT"),
    MrzFormat.MRV_B: ("V", "VS", "VT"),
    MrzFormat.FR_ID: ("ID",),
}
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DIGITS = "0123456789"
OPTIONAL_ROOM = {
    MrzFormat.TD1: 10,
    MrzFormat.TD2: 7,
    MrzFormat.TD3: 14,
    MrzFormat.MRV_A: 16,
    MrzFormat.MRV_B: 8,
}


@dataclass(frozen=True)
class Identity:
    """What a specimen says about its holder and itself, before it is written as an MRZ."""

    surname: str
    given_names: str
    document_number: str
    nationality: str
    issuer: str
    birth_date: date
    sex: str
    expiry_date: date | None
    document_code: str
    optional_data: str = ""
    optional_data_2: str = ""

    def mrz_lines(self, fmt: MrzFormat) -> tuple[str, ...]:
        """The valid MRZ of this identity in `fmt`."""
        return compose(
            fmt,
            document_code=self.document_code,
            issuer=self.issuer,
            surname=self.surname,
            given_names=self.given_names,
            document_number=self.document_number,
            nationality=self.nationality,
            birth_date=self.birth_date,
            sex=self.sex,
            expiry_date=self.expiry_date,
            optional_data=self.optional_data,
            optional_data_2=self.optional_data_2,
        )


def random_identity(rng: np.random.Generator, fmt: MrzFormat) -> Identity:
    """A plausible holder for a document of `fmt`; every value fits the format."""
    surname = str(rng.choice(SURNAMES))
    given = str(rng.choice(GIVEN_NAMES))
    if not surname and not given:
        given = "ANNA"
    issuer = "FRA" if fmt is MrzFormat.FR_ID else str(rng.choice(ISSUERS))
    nationality = issuer if rng.random() < 0.8 else str(rng.choice(ISSUERS))
    birth = date(1935, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 70)))
    issued = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 10)))
    years = 1 if fmt in (MrzFormat.MRV_A, MrzFormat.MRV_B) else int(rng.choice([5, 10]))
    # Day 28 at most: a document issued on 29 February would otherwise expire on no day.
    expiry: date | None = date(issued.year + years, issued.month, min(issued.day, 28)) - timedelta(
        days=1
    )
    sex = str(rng.choice(["F", "M", "X", "<"], p=[0.48, 0.48, 0.02, 0.02]))
    optional, optional_2 = "", ""
    if fmt is MrzFormat.FR_ID:
        # Year and month of issue, the issuing department and a serial number.
        number = (
            issued.strftime("%y%m")
            + f"{int(rng.integers(1, 96)):02d}"
            + str(rng.choice(list("0123456789")))
            + _chars(rng, DIGITS, 5)
        )
        optional = f"{int(rng.integers(1, 96)):03d}" + _chars(rng, DIGITS, 3)
        expiry = None
    else:
        length = 9
        if fmt is MrzFormat.TD1 and rng.random() < 0.15:
            length = int(rng.integers(10, 13))  # long numbers spill into the optional data
        number = _chars(rng, "ABCDEFGHJKLMNPRTUVWXYZ", 1) + _chars(rng, ALNUM, length - 1)
        if rng.random() < 0.5:
            optional = _chars(rng, ALNUM, int(rng.integers(1, OPTIONAL_ROOM[fmt] + 1)))
            if fmt is MrzFormat.TD1 and length > 9:
                optional = optional[:2]
        if fmt is MrzFormat.TD1 and rng.random() < 0.3:
            optional_2 = _chars(rng, ALNUM, int(rng.integers(1, 12)))
    return Identity(
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=nationality,
        issuer=issuer,
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        document_code=str(rng.choice(DOCUMENT_CODES[fmt])),
        optional_data=optional,
        optional_data_2=optional_2,
    )


def _chars(rng: np.random.Generator, alphabet: str, count: int) -> str:
    return "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), count))
