"""ICAO 9303 check digits (Doc 9303 part 3, section 4.9).

A check digit is the weighted sum of the character values modulo 10, with the weights 7, 3, 1
repeating; digits count as themselves, A-Z as 10-35 and the filler `<` as 0. Written by hand
because it is six lines and every MRZ module needs it without pulling in a parser library.
"""

from __future__ import annotations

from typing import Final

WEIGHTS: Final = (7, 3, 1)

_VALUES: Final[dict[str, int]] = {
    **{str(d): d for d in range(10)},
    **{chr(ord("A") + i): 10 + i for i in range(26)},
    "<": 0,
}


def char_value(char: str) -> int:
    """The value of one MRZ character in the check-digit sum; ValueError for anything else."""
    try:
        return _VALUES[char]
    except KeyError:
        raise ValueError(f"{char!r} is not an MRZ character") from None


def check_sum(text: str) -> int:
    """The weighted sum of `text` modulo 10 (the check digit as a number)."""
    return sum(char_value(c) * WEIGHTS[i % 3] for i, c in enumerate(text)) % 10


def check_digit(text: str) -> str:
    """The check digit of `text` as a character, e.g. `check_digit("L898902C3") == "6"`."""
    return str(check_sum(text))
