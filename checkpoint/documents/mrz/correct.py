"""Correcting OCR errors in an MRZ, by field type and by check digits, never by guessing.

Two kinds of evidence are used. The field type: a date holds digits and a name letters, so
`O` in a date is `0` and `0` in a name is `O`, and a `K` where only fillers can follow a name
is a filler. And the check digits: each is one equation modulo 10 over the characters it
covers, so a change to a confusable character (O/0, I/1, Z/2, S/5, B/8, G/6, A/4, D/0, Q/0,
`<` read as K, S or G) or to one of the OCR's own alternatives is kept only when it makes
every check digit agree. Among such changes the fewest win, then the most probable; two
different changes that both work are an ambiguity, which is reported and left alone.

Written by hand: the check-digit arithmetic is ICAO's and the search is specific to the MRZ
layouts, which no installed library models. The search treats each candidate change as a
vector of its effects on every check digit (mod 10), so finding one or two changes that
cancel the observed errors is a lookup rather than a scan of every combination.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from checkpoint.documents.mrz.checkdigit import WEIGHTS, char_value
from checkpoint.documents.mrz.formats import (
    DIGITS,
    FILLER,
    LETTERS,
    CheckSpec,
    Kind,
    Layout,
    MrzFormat,
    Segment,
    layout_for,
)
from checkpoint.documents.mrz.model import Correction

# For each line, each position: the OCR's candidates, most probable first.
Alternatives = tuple[tuple[tuple[tuple[str, float], ...], ...], ...]
Position = tuple[int, int]  # (line, index), both 0-based

TO_DIGIT: Final = {
    "O": "0",
    "D": "0",
    "Q": "0",
    "I": "1",
    "Z": "2",
    "S": "5",
    "B": "8",
    "G": "6",
    "A": "4",
}
TO_LETTER: Final = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A"}
# What a character read by the OCR may really be (Doc 9303 confusions; `<` is read as K, S, G).
CONFUSIONS: Final[dict[str, tuple[str, ...]]] = {
    "0": ("O", "D", "Q"),
    "O": ("0",),
    "D": ("0",),
    "Q": ("0",),
    "1": ("I",),
    "I": ("1",),
    "2": ("Z",),
    "Z": ("2",),
    "5": ("S",),
    "S": ("5", FILLER),
    "8": ("B",),
    "B": ("8",),
    "6": ("G",),
    "G": ("6", FILLER),
    "4": ("A",),
    "A": ("4",),
    "K": (FILLER,),
}
FILLER_LOOKALIKES: Final = frozenset("KSG")
SEXES: Final = frozenset("MFX<")
MAX_CHANGES: Final = 2
# With OCR probabilities, the best correction must be this many times likelier than the next.
CLEAR_WINNER: Final = 3.0
# Probability assumed for a character the OCR did not list among its alternatives.
UNLISTED: Final = 0.01
# With OCR probabilities, a correction must be at least this likely relative to the text read:
# a change the OCR did not consider (UNLISTED against a sure read) is not made on the check
# digit alone, since one check digit accepts a wrong change one time in ten.
MIN_SUPPORT: Final = 0.05

REASON_DIGIT_IN_LETTERS = "a digit cannot stand in this letters-only field"
REASON_LETTER_IN_DIGITS = "a letter cannot stand in this digits-only field"
REASON_FILLER_TAIL = "only fillers can follow the end of the name"
REASON_CODE_TAIL = "only fillers can follow a filler in a state code"
REASON_SEX = "the sex is M, F, X or <"
REASON_OCR_CHOICE = "the OCR's likeliest alternative that fits the field type"
REASON_CHECKS = "the check digits agree only with this character"
REASON_CHECKS_OCR = "the OCR's alternative makes the check digits agree"


@dataclass(frozen=True)
class Corrected:
    """Lines after correction, what was changed, and what could not be decided."""

    lines: tuple[str, ...]
    corrections: tuple[Correction, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class _Change:
    line: int
    index: int
    now: str
    effect: tuple[int, ...]
    weight: float


def correct_mrz(
    fmt: MrzFormat, lines: Sequence[str], alternatives: Alternatives | None = None
) -> Corrected:
    """Correct `lines` (normalised, of `fmt`'s shape) by field type, then by check digits."""
    rows = [list(line) for line in lines]
    corrections: list[Correction] = []
    warnings: list[str] = []
    _fix_by_type(layout_for(fmt, lines), rows, alternatives, corrections)
    text = tuple("".join(row) for row in rows)
    fixed, found, notes = _fix_by_checks(fmt, text, alternatives)
    corrections += found
    warnings += notes
    corrections.sort(key=lambda c: (c.line, c.position))
    return Corrected(fixed, tuple(corrections), tuple(warnings))


_FITS: Final[dict[Kind, frozenset[str]]] = {
    Kind.ALPHA: LETTERS | {FILLER},
    Kind.NAME: LETTERS | {FILLER},
    Kind.NUMERIC: DIGITS | {FILLER},
    Kind.CHECK: DIGITS,
    Kind.SEX: SEXES,
    Kind.FILLER: frozenset(FILLER),
    Kind.ALNUM: LETTERS | DIGITS | {FILLER},
}


def fits(kind: Kind, char: str, *, filler_check: bool = False) -> bool:
    """Whether `char` may stand in a position of `kind`."""
    return char in _FITS[kind] or (filler_check and char == FILLER)


def _candidate_fits(kind: Kind, char: str, *, filler_check: bool) -> bool:
    """Whether a correction may put `char` here: as `fits`, but a date never gains a filler."""
    if kind is Kind.NUMERIC:
        return char in DIGITS
    return fits(kind, char, filler_check=filler_check)


def _options(
    alternatives: Alternatives | None, line: int, index: int
) -> tuple[tuple[str, float], ...]:
    if alternatives is None:
        return ()
    return alternatives[line][index]


def _fix_by_type(
    layout: Layout,
    rows: list[list[str]],
    alternatives: Alternatives | None,
    corrections: list[Correction],
) -> None:
    """Changes the field type alone decides: no check digit needed, each one reported."""
    filler_checks = {(c.line, c.index) for c in layout.checks if c.filler_when_empty}
    for (line, index), (kind, field) in sorted(layout.kinds().items()):
        char = rows[line][index]
        if fits(kind, char, filler_check=(line, index) in filler_checks):
            continue
        now, reason = "", ""
        if kind in (Kind.ALPHA, Kind.NAME) and char in TO_LETTER:
            now, reason = TO_LETTER[char], REASON_DIGIT_IN_LETTERS
        elif kind in (Kind.NUMERIC, Kind.CHECK) and char in TO_DIGIT:
            # S and G could also be a filler in a check digit that may be `<`: the checks decide
            if not ((line, index) in filler_checks and char in FILLER_LOOKALIKES):
                now, reason = TO_DIGIT[char], REASON_LETTER_IN_DIGITS
        elif kind is Kind.SEX and char in FILLER_LOOKALIKES:
            now, reason = FILLER, REASON_SEX
        if not now and kind in (Kind.ALPHA, Kind.NAME, Kind.SEX):
            best = next((c for c, _ in _options(alternatives, line, index) if fits(kind, c)), None)
            if best is not None:
                now, reason = best, REASON_OCR_CHOICE
        if now:
            rows[line][index] = now
            corrections.append(Correction(line + 1, index + 1, field, char, now, reason))
    for spec in layout.fields:
        if spec.kind is Kind.NAME:
            _fix_name_tail(spec.name, spec.segments[0], rows, corrections)
        elif spec.name in ("issuer", "nationality"):
            _fix_code_tail(spec.name, spec.segments[0], rows, corrections)


def _fix_code_tail(
    field: str, segment: Segment, rows: list[list[str]], corrections: list[Correction]
) -> None:
    """A state code is letters then fillers (`D<<`), so K, S or G after a filler is one."""
    text = "".join(rows[segment.line][segment.start : segment.end])
    first_filler = text.find(FILLER)
    if first_filler < 0:
        return
    for offset in range(first_filler + 1, len(text)):
        char = text[offset]
        if char in FILLER_LOOKALIKES:
            _set_filler(segment, offset, field, rows, corrections, reason=REASON_CODE_TAIL)


def _fix_name_tail(
    field: str, segment: Segment, rows: list[list[str]], corrections: list[Correction]
) -> None:
    """K, S or G among the fillers after the end of a name are fillers misread."""
    text = "".join(rows[segment.line][segment.start : segment.end])
    end = _name_end(field, text)
    if end is None:
        return
    for offset in range(end, len(text)):
        char = text[offset]
        if char in FILLER_LOOKALIKES and _among_fillers(text, offset):
            _set_filler(segment, offset, field, rows, corrections, reason=REASON_FILLER_TAIL)


def _set_filler(
    segment: Segment,
    offset: int,
    field: str,
    rows: list[list[str]],
    corrections: list[Correction],
    *,
    reason: str,
) -> None:
    line, index = segment.line, segment.start + offset
    char = rows[line][index]
    rows[line][index] = FILLER
    # a digit already turned into this letter was a filler all along: one correction
    earlier = [c for c in corrections if (c.line, c.position) == (line + 1, index + 1)]
    was = earlier[0].was if earlier else char
    for correction in earlier:
        corrections.remove(correction)
    corrections.append(Correction(line + 1, index + 1, field, was, FILLER, reason))


def _name_end(field: str, text: str) -> int | None:
    """Where the fillers after a name begin, or None when the field shows no end.

    In an ICAO name field the given names (parts joined by one `<`) end at the next `<<`
    after the `<<` that follows the surname, or right there when no given name follows.
    The French card has a surname-only field, ending at `<<`, and joins its given names
    with `<<`, so they end at `<<<`.
    """
    if field == "given_names":
        end = text.find("<<<")
    elif field == "surname":
        end = text.find("<<")
    else:
        split = text.find("<<")
        if split < 0:
            return None
        after = split + 2
        if after >= len(text) or text[after] == FILLER:
            return split
        end = text.find("<<", after)
    return None if end < 0 else end


def _name_tails(layout: Layout, lines: Sequence[str]) -> set[Position]:
    """The fillers after the end of each name: nothing but a filler can stand there, so no
    check digit may put a letter in them (a pale filler read as T)."""
    tails: set[Position] = set()
    for spec in layout.fields:
        if spec.kind is not Kind.NAME:
            continue
        segment = spec.segments[0]
        text = lines[segment.line][segment.start : segment.end]
        end = _name_end(spec.name, text)
        if end is None:
            continue
        tails |= {
            (segment.line, segment.start + offset)
            for offset in range(end, len(text))
            if text[offset] == FILLER and _among_fillers(text, offset)
        }
    return tails


def _among_fillers(text: str, offset: int) -> bool:
    """True when everything after `offset` is fillers or filler look-alikes."""
    return all(c == FILLER or c in FILLER_LOOKALIKES for c in text[offset + 1 :])


def _positions(check: CheckSpec) -> list[Position]:
    return [(s.line, i) for s in check.covers for i in s.positions()]


def _fix_by_checks(
    fmt: MrzFormat, lines: tuple[str, ...], alternatives: Alternatives | None
) -> tuple[tuple[str, ...], list[Correction], list[str]]:
    layout = layout_for(fmt, lines)
    kinds = layout.kinds()
    filler_checks = {(c.line, c.index) for c in layout.checks if c.filler_when_empty}
    covered: set[Position] = set()
    for check in layout.checks:
        covered |= {*_positions(check), (check.line, check.index)}
    invalid = {
        p
        for p in covered
        if not fits(kinds[p][0], lines[p[0]][p[1]], filler_check=p in filler_checks)
    }
    failing = [c for c in layout.checks if not c.agrees(lines)]
    if not failing and not invalid:
        return lines, [], []

    field_checked: set[Position] = set()
    for check in layout.checks:
        if check.name != "composite":
            field_checked |= {*_positions(check), (check.line, check.index)}
    eligible = set(invalid)
    for check in failing:
        own = set(_positions(check))
        if check.name == "composite":
            own -= field_checked
        eligible |= {*own, (check.line, check.index)}

    changes = _changes(
        layout,
        lines,
        eligible=sorted(eligible),
        kinds=kinds,
        filler_checks=filler_checks,
        name_tails=_name_tails(layout, lines),
        alternatives=alternatives,
    )
    need = tuple(-_residual(check, lines) % 10 for check in layout.checks)
    solutions = _solutions(changes, need, must=invalid)
    verified = [s for s in solutions if _verify(fmt, layout, lines, s)]
    if alternatives is not None:
        verified = [s for s in verified if _score(s) >= MIN_SUPPORT]
    if not verified:
        return lines, [], []
    size = min(len(s) for s in verified)
    best = sorted((s for s in verified if len(s) == size), key=lambda s: -_score(s))
    if len(best) > 1 and not (
        alternatives is not None and _score(best[0]) >= CLEAR_WINNER * _score(best[1])
    ):
        return lines, [], [_ambiguity(lines, best, kinds)]
    chosen = best[0]
    rows = [list(line) for line in lines]
    corrections = []
    for change in chosen:
        was = rows[change.line][change.index]
        rows[change.line][change.index] = change.now
        listed = any(c == change.now for c, _ in _options(alternatives, change.line, change.index))
        corrections.append(
            Correction(
                change.line + 1,
                change.index + 1,
                kinds[(change.line, change.index)][1],
                was,
                change.now,
                REASON_CHECKS_OCR if listed else REASON_CHECKS,
            )
        )
    return tuple("".join(row) for row in rows), corrections, []


def _residual(check: CheckSpec, lines: Sequence[str]) -> int:
    """(computed - printed) mod 10, with the printed character's value standing for a digit."""
    computed = sum(char_value(c) * WEIGHTS[i % 3] for i, c in enumerate(check.data(lines)))
    return (computed - char_value(check.found(lines))) % 10


def _changes(
    layout: Layout,
    lines: tuple[str, ...],
    *,
    eligible: list[Position],
    kinds: Mapping[Position, tuple[Kind, str]],
    filler_checks: set[Position],
    name_tails: set[Position],
    alternatives: Alternatives | None,
) -> list[_Change]:
    weights: list[dict[Position, int]] = []
    for check in layout.checks:
        weights.append({p: WEIGHTS[i % 3] for i, p in enumerate(_positions(check))})
    out = []
    for line, index in eligible:
        was = lines[line][index]
        kind = kinds[(line, index)][0]
        options = dict(_options(alternatives, line, index))
        candidates = list(CONFUSIONS.get(was, ())) + [
            c for c in options if c not in CONFUSIONS.get(was, ())
        ]
        # A position the OCR gave no alternatives for is one it was sure of. A character the
        # OCR did not list came from a type correction: what it read there competes instead
        # (a sure `I` made `1` by type is no licence to make it any digit the checks like).
        if not options:
            p_was = 1.0
        elif was in options:
            p_was = max(options[was], UNLISTED)
        else:
            p_was = max(*options.values(), UNLISTED)
        for now in candidates:
            if now == was or not _candidate_fits(
                kind, now, filler_check=(line, index) in filler_checks
            ):
                continue
            if (line, index) in name_tails and now != FILLER:
                continue
            delta = char_value(now) - char_value(was)
            effect = []
            for check, weight in zip(layout.checks, weights, strict=True):
                value = weight.get((line, index), 0) * delta
                if (check.line, check.index) == (line, index):
                    value -= delta
                effect.append(value % 10)
            ratio = options.get(now, UNLISTED) / p_was if alternatives is not None else 1.0
            out.append(_Change(line, index, now, tuple(effect), ratio))
    return out


def _solutions(
    changes: list[_Change], need: tuple[int, ...], *, must: set[Position]
) -> list[tuple[_Change, ...]]:
    """Sets of at most MAX_CHANGES changes, one per position, whose effects sum to `need`."""
    if len(must) > MAX_CHANGES:
        return []
    zero = tuple(0 for _ in need)
    found: list[tuple[_Change, ...]] = []
    if need == zero and not must:
        return []
    by_effect: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, change in enumerate(changes):
        by_effect[change.effect].append(i)
        if change.effect == need:
            found.append((change,))
    for i, a in enumerate(changes):
        rest = tuple((n - e) % 10 for n, e in zip(need, a.effect, strict=True))
        for j in by_effect.get(rest, ()):
            b = changes[j]
            if j > i and (b.line, b.index) != (a.line, a.index):
                found.append((a, b))
    return [s for s in found if must <= {(c.line, c.index) for c in s}]


def _verify(
    fmt: MrzFormat, layout: Layout, lines: tuple[str, ...], solution: tuple[_Change, ...]
) -> bool:
    rows = [list(line) for line in lines]
    for change in solution:
        rows[change.line][change.index] = change.now
    text = tuple("".join(row) for row in rows)
    after = layout_for(fmt, text)
    if after != layout:
        return False
    filler_checks = {(c.line, c.index) for c in after.checks if c.filler_when_empty}
    kinds = after.kinds()
    for check in after.checks:
        if not check.agrees(text):
            return False
        for p in (*_positions(check), (check.line, check.index)):
            if not fits(kinds[p][0], text[p[0]][p[1]], filler_check=p in filler_checks):
                return False
    return True


def _score(solution: tuple[_Change, ...]) -> float:
    score = 1.0
    for change in solution:
        score *= change.weight
    return score


def _ambiguity(
    lines: tuple[str, ...],
    solutions: list[tuple[_Change, ...]],
    kinds: Mapping[Position, tuple[Kind, str]],
) -> str:
    readings = []
    for solution in solutions[:3]:
        parts = [
            f"{lines[c.line][c.index]}->{c.now} at line {c.line + 1} position {c.index + 1}"
            for c in solution
        ]
        readings.append(" and ".join(parts))
    fields = sorted({kinds[(c.line, c.index)][1] for s in solutions for c in s})
    more = f" (and {len(solutions) - 3} more)" if len(solutions) > 3 else ""
    return (
        f"The check digits of {', '.join(fields)} agree with more than one correction "
        f"({'; '.join(readings)}{more}), so nothing was changed there."
    )
