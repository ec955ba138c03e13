"""Names in the form they are compared in: Latin capitals, tokens, phonetic keys.

A name may arrive in any script and spelling: normalisation applies the ICAO 9303
transliteration of Latin letters with diacritics (Ä→AE, Ø→OE, ß→SS, ...), anyascii for every
other script (Arabic, Cyrillic, Greek, Hebrew, CJK, ...), removes case, punctuation and
apostrophes, and joins the Arabic article to its noun ("AL-AZZAWI" → "ALAZZAWI") so that the
same name written with or without the hyphen gives the same token. Token comparison adds two
keys that survive spelling differences: Metaphone (jellyfish) and a consonant skeleton, which
also bridges unvowelled Arabic and Hebrew transliterations ("'BRHYM" and "IBRAHIM" → "BRM").
"""

from __future__ import annotations

import functools
import re

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler, Levenshtein

# ICAO Doc 9303 part 3, section 6: national characters with a prescribed two-letter form.
ICAO_LATIN = str.maketrans(
    {
        "Ä": "AE",
        "ä": "AE",
        "Æ": "AE",
        "æ": "AE",
        "Å": "AA",
        "å": "AA",
        "Ö": "OE",
        "ö": "OE",
        "Ø": "OE",
        "ø": "OE",
        "Œ": "OE",
        "œ": "OE",
        "Ü": "UE",
        "ü": "UE",
        "ß": "SS",
        "ẞ": "SS",
        "Þ": "TH",
        "þ": "TH",
        "Ĳ": "IJ",
        "ĳ": "IJ",
    }
)

ARTICLES = frozenset({"AL", "EL"})
# Short tokens that carry little identity; they count less in a name's score.
PARTICLES = frozenset(
    {
        "AL",
        "EL",
        "BIN",
        "BEN",
        "IBN",
        "BINT",
        "ABU",
        "ABOU",
        "DE",
        "DA",
        "DI",
        "DEL",
        "DELA",
        "LA",
        "LE",
        "DOS",
        "DAS",
        "VAN",
        "VON",
        "DER",
        "DEN",
        "Y",
        "MC",
        "MAC",
        "OULD",
        "UL",
    }
)

_APOSTROPHES = re.compile(r"['`ʼʻ’‘´]")
_NOT_LETTER = re.compile(r"[^A-Z]+")
_SKELETON_DROP = re.compile(r"[AEIOUYWH]")
_REPEAT = re.compile(r"(.)\1+")
# Letters that transliterations use for one sound ("COHEN" / "KHN", "QASIM" / "KASIM").
_SAME_SOUND = str.maketrans({"C": "K", "Q": "K"})


def _to_latin(text: str, icao: bool) -> str:
    if icao:
        text = text.translate(ICAO_LATIN)
    return anyascii(text).upper()


def _tokens(latin: str) -> tuple[str, ...]:
    raw = _NOT_LETTER.sub(" ", _APOSTROPHES.sub("", latin)).split()
    tokens: list[str] = []
    index = 0
    while index < len(raw):
        token = raw[index]
        if token in ARTICLES and index + 1 < len(raw) and raw[index + 1] not in PARTICLES:
            token += raw[index + 1]
            index += 1
        tokens.append(token)
        index += 1
    return tuple(tokens)


def name_tokens(text: str) -> tuple[str, ...]:
    """The name's tokens in ICAO transliteration (the form an MRZ carries)."""
    return _tokens(_to_latin(text, icao=True))


def name_variants(text: str) -> tuple[tuple[str, ...], ...]:
    """The token forms a written name is indexed under: ICAO, and plain when it differs."""
    if text.isascii():
        # Most listed names are already Latin: one form, no transliteration to do.
        return (_tokens(text.upper()),)
    icao = name_tokens(text)
    plain = _tokens(_to_latin(text, icao=False))
    return (icao,) if plain == icao or not plain else (icao, plain)


@functools.lru_cache(maxsize=200_000)
def metaphone(token: str) -> str:
    return str(jellyfish.metaphone(token))


@functools.lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonants only, doubles folded: what survives vowel-less transliteration."""
    return _REPEAT.sub(r"\1", _SKELETON_DROP.sub("", token).translate(_SAME_SOUND))


def strip_article(token: str) -> str:
    return token[2:] if len(token) > 4 and token[:2] in ARTICLES else token


@functools.lru_cache(maxsize=200_000)
def token_weight(token: str) -> float:
    """How much a token says about identity: particles and initials little, names more."""
    if token in PARTICLES:
        return 0.3
    if len(token) == 1:
        return 0.4
    return min(1.0, 0.5 + len(token) / 12)


def token_similarity(a: str, b: str) -> float:
    """Jaro-Winkler, raised when the tokens sound or are consonant-spelled alike."""
    if a == b:
        return 1.0
    score = float(JaroWinkler.normalized_similarity(a, b))
    stripped_a, stripped_b = strip_article(a), strip_article(b)
    if (stripped_a, stripped_b) != (a, b):
        score = max(score, 0.97 * float(JaroWinkler.normalized_similarity(stripped_a, stripped_b)))
    if len(a) > 2 and len(b) > 2:
        if metaphone(a) == metaphone(b):
            score = max(score, 0.9)
        elif skeleton(a) == skeleton(b) and len(skeleton(a)) >= 2:
            # Two consonants are a weak witness ("MOHAMMAD" and "AHMAD" are both "MD").
            score = max(score, 0.9 if len(skeleton(a)) >= 3 else 0.85)
    if min(len(a), len(b)) <= 3 and skeleton(a) != skeleton(b):
        # Jaro-Winkler flatters short tokens that share a prefix ("ABD" and "ABDUL").
        score = min(score, float(Levenshtein.normalized_similarity(a, b)) + 0.25)
    return score
