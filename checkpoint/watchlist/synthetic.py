"""Synthetic people for demos, tests and benchmarks: reproducible from a seed, nobody real.

Names are built from syllables in several styles (Romance, Slavic, Arabic, East Asian,
Germanic) so that the name index sees the spread of spellings and token frequencies real
lists have; a few given names are common and most surnames are rare, as in life.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np

from checkpoint.watchlist.model import BirthDate, FaceTemplate, Person, PersonName, TravelDocument

STYLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "romance": (
        ("ma", "ri", "lo", "ca", "ne", "sa", "to", "gi", "an", "el", "ro", "be", "de"),
        ("a", "o", "ez", "es", "ia", "ini", "elli", "ano", "ira"),
    ),
    "slavic": (
        ("vla", "di", "mir", "bo", "ri", "sla", "go", "ro", "ko", "va", "lu", "dmi", "ze"),
        ("ov", "ev", "in", "ova", "enko", "ski", "ich", "uk", "ak"),
    ),
    "arabic": (
        ("ab", "dul", "ha", "mid", "sa", "li", "ka", "ri", "mu", "na", "ja", "fa", "ra"),
        ("i", "an", "ud", "im", "ah", "un", "ar", "id", "ul"),
    ),
    "asian": (
        (
            "li",
            "wang",
            "zhang",
            "chen",
            "liu",
            "yang",
            "huang",
            "zhao",
            "wu",
            "zhou",
            "xu",
            "sun",
            "ma",
            "hu",
            "guo",
            "lin",
            "he",
            "gao",
            "luo",
            "zheng",
            "kim",
            "park",
            "lee",
        ),
        ("", "", "", "ng", "n"),
    ),
    "germanic": (
        ("har", "ber", "wil", "hel", "gun", "ot", "lud", "frie", "sig", "al", "ul", "ing"),
        ("mann", "er", "helm", "bert", "berg", "rich", "stein", "son", "sen"),
    ),
}
NATIONALITIES = (
    "UTO",
    "FRA",
    "DEU",
    "ESP",
    "ITA",
    "RUS",
    "UKR",
    "POL",
    "IRQ",
    "SYR",
    "EGY",
    "MAR",
    "CHN",
    "KOR",
    "VNM",
    "NLD",
    "SWE",
    "NOR",
    "GBR",
    "USA",
)
CATEGORIES = ("wanted", "sanctions", "missing person", "entry ban")


def _word(rng: random.Random, style: str, parts: int) -> str:
    stems, endings = STYLES[style]
    return ("".join(rng.choice(stems) for _ in range(parts)) + rng.choice(endings)).capitalize()


class NameGenerator:
    """Pools of given names and surnames per style; draws follow a skewed (Zipf-like) law."""

    def __init__(self, seed: int, given: int = 3000, surnames: int = 60000) -> None:
        rng = random.Random(seed)
        self.rng = rng
        self.styles = list(STYLES)
        self.given = {
            s: sorted({_word(rng, s, rng.randint(1, 2)) for _ in range(given // 5)}) for s in STYLES
        }
        self.surnames = {
            s: sorted({_word(rng, s, rng.randint(1, 3)) for _ in range(surnames // 5)})
            for s in STYLES
        }

    def _pick(self, pool: list[str]) -> str:
        # Squaring a uniform draw favours the head of the pool: some names are common.
        return pool[int(len(pool) * self.rng.random() ** 2)]

    def name(self) -> tuple[str, str]:
        """A full name and its style."""
        style = self.rng.choice(self.styles)
        parts = [self._pick(self.given[style])]
        if self.rng.random() < 0.25:
            parts.append(self._pick(self.given[style]))
        parts.append(self._pick(self.surnames[style]))
        if style == "arabic" and self.rng.random() < 0.3:
            parts.insert(-1, "bin")
        return " ".join(parts), style


def birth_date(rng: random.Random) -> BirthDate:
    kind = rng.random()
    year = rng.randint(1940, 2005)
    if kind < 0.8:
        return BirthDate(year, year, rng.randint(1, 12), rng.randint(1, 28))
    if kind < 0.95:
        return BirthDate(year, year)
    return BirthDate(year - 2, year + 2)


def synthetic_persons(
    count: int, seed: int = 1, *, templates: bool = False, id_prefix: str = "S"
) -> Iterator[Person]:
    """`count` synthetic listed persons, the same for the same seed."""
    names = NameGenerator(seed)
    rng = random.Random(seed + 1)
    vectors = np.random.default_rng(seed + 2)
    for number in range(count):
        full, _ = names.name()
        aliases: tuple[PersonName, ...] = ()
        if rng.random() < 0.15:
            aliases = (PersonName(names.name()[0], "good" if rng.random() < 0.7 else "low"),)
        nationality = rng.choice(NATIONALITIES)
        face: tuple[FaceTemplate, ...] = ()
        if templates:
            vector = vectors.normal(size=128).astype(np.float32)
            vector *= 1.38 / np.linalg.norm(vector)  # dlib embeddings have norms near 1.38
            face = (FaceTemplate(vector, "dlib_face_recognition_resnet_model_v1", "1"),)
        yield Person(
            entry_id=f"{id_prefix}{number:07d}",
            names=(PersonName(full, "primary"), *aliases),
            birth_dates=(birth_date(rng),),
            nationalities=(nationality,),
            sex=rng.choice("MF"),
            documents=(
                TravelDocument(
                    f"{rng.choice('ABCDEFGHJK')}{rng.randrange(10**7, 10**8)}", nationality, "P"
                ),
            ),
            templates=face,
            category=rng.choice(CATEGORIES),
            reason="synthetic person (demo)",
            action="Refer to second line.",
        )
