"""Reading MRZ text into fields: format, corrections, check digits, dates and names.

`parse_mrz` is the one entry point: the camera pipeline gives it OCR lines (and the OCR's
alternatives per character), the CLI and the tests give it typed text. Text that is no MRZ
at all (wrong shape, characters outside the MRZ alphabet) raises MrzError; anything that
is an MRZ comes back as an MrzRead, with failed checks and warnings rather than an error,
because the officer must see a damaged or forged zone, not an empty screen.

Dates carry no century. A birth date is placed in the most recent century that keeps it in
the past; an expiry date in the century that puts it within 50 years before and 20 years
after today. When the other reading of a birth date is a plausible age too, a warning says
so, showing both readings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Final

from checkpoint.documents.mrz.correct import (
    CONFUSIONS,
    REASON_CHECKS,
    REASON_CHECKS_OCR,
    Alternatives,
    correct_mrz,
    fits,
)
from checkpoint.documents.mrz.formats import (
    FILLER,
    MRZ_ALPHABET,
    Layout,
    MrzFormat,
    detect_format,
    layout_for,
    normalize_lines,
)
from checkpoint.documents.mrz.model import Check, Correction, MrzError, MrzFields, MrzRead
from checkpoint.documents.mrz.states import known_state

__all__ = ["MrzError", "parse_mrz"]

# The oldest age a birth date's other century may still mean (the oldest people live ~115).
MAX_AGE: Final = 105
EXPIRY_PAST_YEARS: Final = 50
EXPIRY_FUTURE_YEARS: Final = 20
# How much each correction lowers the confidence. A change made on one check digit alone,
# without the OCR's support, is wrong whenever the real misread was not a known confusion
# and another confusable character happened to satisfy the digit (one time in ten each).
UNSUPPORTED_CORRECTION_FACTOR: Final = 0.8
SUPPORTED_CORRECTION_FACTOR: Final = 0.97
TYPE_CORRECTION_FACTOR: Final = 0.99
# A character a check digit covers needs less support from the OCR to be trusted: a single
# misread there fails the check unless its value differs by a multiple of ten, so the
# confidence is capped at its support plus this allowance rather than at its support.
CHECKED_ALLOWANCE: Final = 0.2
# How much more a rival counts that Doc 9303 names as the character's confusion, where no
# check digit covers it: classifiers read one O on a blurred visa as 0 at odds of 6 and of
# 9 to 1 (bench/mrz.py seed 4, photo 166).
CONFUSABLE_RIVAL_WEIGHT: Final = 4.0
# The most an OCR read may be trusted whose issuer or nationality no state uses: below
# ACCEPT_CONFIDENCE, so the officer scans again (no check digit covers those fields).
UNKNOWN_STATE_CONFIDENCE: Final = 0.5
SEXES: Final = {"M": "M", "F": "F", "X": "X", FILLER: "X"}
DOCUMENT_CODES: Final = {
    MrzFormat.TD1: "IAC",
    MrzFormat.TD2: "IACP",
    MrzFormat.TD3: "P",
    MrzFormat.MRV_A: "V",
    MrzFormat.MRV_B: "V",
    MrzFormat.FR_ID: "I",
}


def parse_mrz(
    lines: Sequence[str],
    *,
    alternatives: Sequence[Sequence[Sequence[tuple[str, float]]]] | None = None,
    today: date | None = None,
) -> MrzRead:
    """Read the MRZ in `lines`, correcting OCR errors where the evidence is unambiguous.

    `lines` may carry stray whitespace and lower case; a single string is split into lines.
    `alternatives`, when given, holds for each line and each character the OCR's ranked
    (character, probability) candidates. `today` anchors the centuries of the dates.
    """
    today = today or date.today()
    raw = normalize_lines(lines)
    fmt = detect_format(raw)
    warnings: list[str] = []
    alts = _alternatives(alternatives, raw, warnings)
    corrected = correct_mrz(fmt, raw, alts)
    text = corrected.lines
    warnings += corrected.warnings
    layout = layout_for(fmt, text)
    checks = {
        c.name: Check(c.name, c.agrees(text), c.expected(text), c.found(text))
        for c in layout.checks
    }
    fields = _fields(layout, text, today, warnings)
    valid = all(check.valid for check in checks.values())
    unchecked, checked, pair = _weakest(layout, text, alts)
    confidence = min(
        _confidence(checks, corrected.corrections, text, alts),
        unchecked,
        checked + CHECKED_ALLOWANCE,
        pair,
    )
    if alts is not None and _unknown_states(fields, warnings):
        confidence = min(confidence, UNKNOWN_STATE_CONFIDENCE)
    return MrzRead(
        format=fmt,
        raw_lines=raw,
        lines=text,
        fields=fields,
        checks=checks,
        valid=valid,
        corrections=corrected.corrections,
        confidence=round(confidence, 4),
        warnings=tuple(warnings),
        weakest_unchecked=round(unchecked, 4),
        weakest_checked=round(checked, 4),
    )


def _unknown_states(fields: MrzFields, warnings: list[str]) -> bool:
    """Whether the OCR read an issuer or nationality no state uses (each one warned of)."""
    unknown = False
    for name, code in (("issuer", fields.issuer), ("nationality", fields.nationality)):
        if code and not known_state(code):
            warnings.append(
                f"The {name} code {code} is used by no state: check it against the document."
            )
            unknown = True
    return unknown


def _alternatives(
    given: Sequence[Sequence[Sequence[tuple[str, float]]]] | None,
    lines: tuple[str, ...],
    warnings: list[str],
) -> Alternatives | None:
    """The OCR's candidates cleaned up, or None when they do not match the lines."""
    if given is None:
        return None
    try:
        out = []
        for line, per_line in zip(lines, given, strict=True):
            if len(per_line) != len(line):
                raise ValueError("length")
            positions = []
            for options in per_line:
                kept = []
                for char, probability in options:
                    upper = str(char).upper()
                    p = float(probability)
                    if len(upper) == 1 and upper in MRZ_ALPHABET and math.isfinite(p):
                        kept.append((upper, min(max(p, 0.0), 1.0)))
                positions.append(tuple(kept))
            out.append(tuple(positions))
    except (ValueError, TypeError):
        warnings.append(
            "The OCR's alternative characters do not match the lines read, so they were ignored."
        )
        return None
    return tuple(out)


def _fields(layout: Layout, text: tuple[str, ...], today: date, warnings: list[str]) -> MrzFields:
    def raw(name: str) -> str:
        spec = layout.field(name)
        return spec.text(text) if spec else ""

    fmt = layout.format
    code = raw("document_code").strip(FILLER)
    if not code or code[0] not in DOCUMENT_CODES[fmt]:
        warnings.append(f"The document code {code or '<'!r} is unusual for the {fmt} format.")
    if fmt is MrzFormat.FR_ID:
        surname_field, given_field = raw("surname"), raw("given_names")
        surname, given = _words(surname_field), _words(given_field)
        truncated = surname_field[-1] != FILLER or given_field[-1] != FILLER
        nationality = "FRA"
    else:
        name_field = raw("name")
        primary, _, secondary = name_field.partition("<<")
        surname, given = _words(primary), _words(secondary)
        truncated = name_field[-1] != FILLER
        nationality = raw("nationality").strip(FILLER)

    birth_raw, expiry_raw = raw("birth_date"), raw("expiry_date")
    sex_raw = raw("sex")
    sex = SEXES.get(sex_raw, sex_raw)
    if sex_raw not in SEXES:
        warnings.append(f"The sex code {sex_raw!r} is not M, F, X or <.")
    optional = raw("optional_data").rstrip(FILLER)
    issue_raw = raw("issue_date")
    return MrzFields(
        document_code=code,
        issuer=raw("issuer").strip(FILLER),
        surname=surname,
        given_names=given,
        document_number=raw("document_number").rstrip(FILLER),
        nationality=nationality,
        birth_date=_birth_date(birth_raw, today, warnings),
        birth_date_raw=birth_raw,
        sex=sex,
        expiry_date=_expiry_date(expiry_raw, today, warnings) if expiry_raw else None,
        expiry_date_raw=expiry_raw,
        optional_data=optional,
        optional_data_2=raw("optional_data_2").rstrip(FILLER),
        personal_number=optional if fmt is MrzFormat.TD3 else "",
        name_truncated=truncated,
        issue_date=_issue_date(issue_raw, today, warnings) if issue_raw else None,
        issue_date_raw=issue_raw,
    )


def _words(field: str) -> str:
    return " ".join(part for part in field.split(FILLER) if part)


def _ymd(raw: str, what: str, warnings: list[str]) -> tuple[int, int, int] | None:
    if set(raw) <= {FILLER}:
        return None
    if not raw.isdigit():
        warnings.append(f"The {what} {raw} is incomplete or unreadable.")
        return None
    return int(raw[:2]), int(raw[2:4]), int(raw[4:6])


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_date(raw: str, today: date, warnings: list[str]) -> date | None:
    parts = _ymd(raw, "birth date", warnings)
    if parts is None:
        return None
    yy, month, day = parts
    readings = [
        d
        for d in (_make(century + yy, month, day) for century in (2000, 1900, 1800))
        if d is not None and d <= today
    ]
    if not readings:
        warnings.append(f"The birth date {raw} is not a date in the past.")
        return None
    chosen = readings[0]
    oldest_plausible = _years_before(today, MAX_AGE)
    others = [d for d in readings[1:] if d >= oldest_plausible]
    if others:
        warnings.append(
            f"The birth date {raw} may be {chosen.isoformat()} or {others[0].isoformat()}; "
            f"{chosen.isoformat()} is shown."
        )
    return chosen


def _expiry_date(raw: str, today: date, warnings: list[str]) -> date | None:
    parts = _ymd(raw, "expiry date", warnings)
    if parts is None:
        return None
    yy, month, day = parts
    readings = [
        d
        for d in (_make(century + yy, month, day) for century in (1900, 2000, 2100))
        if d is not None
    ]
    if not readings:
        warnings.append(f"The expiry date {raw} is not a valid date.")
        return None
    earliest = _years_before(today, EXPIRY_PAST_YEARS)
    latest = _years_before(today, -EXPIRY_FUTURE_YEARS)

    def distance(d: date) -> int:
        if d < earliest:
            return (earliest - d).days
        return max(0, (d - latest).days)

    chosen = min(readings, key=distance)
    if distance(chosen) > 0:
        warnings.append(
            f"The expiry date {raw} ({chosen.isoformat()}) is outside the usual validity range."
        )
    return chosen


def _issue_date(raw: str, today: date, warnings: list[str]) -> date | None:
    if not raw.isdigit():
        warnings.append(f"The issue month {raw} is unreadable.")
        return None
    yy, month = int(raw[:2]), int(raw[2:4])
    for century in (2000, 1900):
        issued = _make(century + yy, month, 1)
        if issued is not None and issued <= today:
            return issued
    warnings.append(f"The issue month {raw} is not a month in the past.")
    return None


def _weakest(
    layout: Layout, text: tuple[str, ...], alternatives: Alternatives | None
) -> tuple[float, float, float]:
    """Lowest supports: outside the checks' reach, inside it, and of a cancelling pair.

    A character's support is its probability against its strongest rival that may stand
    there (a letter in a name, a digit in a date): p / (p + rival). A confusion the field
    type settles (`0` read in a name is `O`) costs nothing, while a name letter the OCR
    hesitated over between `H` and `M` is exactly what no check digit would catch.
    A character the check digits chose among the OCR's alternatives keeps its OCR support,
    so a correction the OCR barely backed is no proof. Outside the checks' reach, a rival
    Doc 9303 names as the character's confusion (`O` and `0` in optional data) counts
    CONFUSABLE_RIVAL_WEIGHT times. And since two misreads under one
    check digit can cancel (H and M differ by 5, so two of them agree with any weights),
    the third figure is the lowest second-weakest support among the characters one check
    digit alone covers.
    """
    if alternatives is None:
        return 1.0, 1.0, 1.0
    kinds = layout.kinds()
    filler_checks = {(c.line, c.index) for c in layout.checks if c.filler_when_empty}
    support: dict[tuple[int, int], float] = {}
    rival_of: dict[tuple[int, int], tuple[float, float]] = {}
    weights: dict[tuple[int, int], float] = {}
    for line, (chars, per_line) in enumerate(zip(text, alternatives, strict=True)):
        for index, (char, options) in enumerate(zip(chars, per_line, strict=True)):
            kind = kinds[(line, index)][0]
            filler_check = (line, index) in filler_checks
            p = dict(options).get(char, 0.0)
            rivals = [
                (q, c) for c, q in options if c != char and fits(kind, c, filler_check=filler_check)
            ]
            rival, rival_char = max(rivals, default=(0.0, ""))
            if rival_char in CONFUSIONS.get(char, ()):
                weights[(line, index)] = CONFUSABLE_RIVAL_WEIGHT
            support[(line, index)] = p / (p + rival) if p + rival > 0 else 0.0
            rival_of[(line, index)] = (p, rival)
    reach = [
        {(s.line, i) for s in check.covers for i in s.positions()} | {(check.line, check.index)}
        for check in layout.checks
    ]
    covered = set().union(*reach)
    for position, weight in weights.items():
        # Outside the checks' reach, a Doc 9303 confusion (O and 0 in a visa's optional
        # data) is settled by nothing but the OCR, whose odds on such a pair run high
        # under blur: the rival counts several times there.
        if position not in covered:
            p, rival = rival_of[position]
            support[position] = p / (p + weight * rival) if p + rival > 0 else 0.0
    unchecked = min((v for p, v in support.items() if p not in covered), default=1.0)
    checked = min((support[p] for p in covered), default=1.0)
    pair = 1.0
    fields = set().union(
        *(own for own, check in zip(reach, layout.checks, strict=True) if check.name != "composite")
    )
    for own, check in zip(reach, layout.checks, strict=True):
        # The composite digit also covers the fields, whose own digits guard them: count only
        # what it alone covers (TD1 optional data) and its own digit.
        guarded = own
        if check.name == "composite":
            guarded = (own - fields) | {(check.line, check.index)}
        ranked = sorted(support[p] for p in guarded)
        if len(ranked) >= 2:
            pair = min(pair, ranked[1])
    return unchecked, checked, pair


def _confidence(
    checks: dict[str, Check],
    corrections: tuple[Correction, ...],
    text: tuple[str, ...],
    alternatives: Alternatives | None,
) -> float:
    """1.0 for clean text whose checks all agree; lower with each doubt.

    Failed checks cap the confidence at half the share of checks that agree; each
    correction costs a little; OCR probabilities, when given, multiply in as the mean
    probability of the characters finally kept.
    """
    agreeing = sum(1 for c in checks.values() if c.valid)
    score = 1.0 if agreeing == len(checks) else 0.5 * agreeing / max(len(checks), 1)
    for correction in corrections:
        score *= {
            REASON_CHECKS: UNSUPPORTED_CORRECTION_FACTOR,
            REASON_CHECKS_OCR: SUPPORTED_CORRECTION_FACTOR,
        }.get(correction.reason, TYPE_CORRECTION_FACTOR)
    if alternatives is not None:
        probabilities = [
            dict(options).get(char, 0.0)
            for line, per_line in zip(text, alternatives, strict=True)
            for char, options in zip(line, per_line, strict=True)
        ]
        if probabilities:
            score *= sum(probabilities) / len(probabilities)
    return round(min(max(score, 0.0), 1.0), 4)
