"""MRZ text correction benchmark: how often a misread is fixed, refused, or wrongly "fixed".

Takes the ICAO specimens of every format, misreads one character of a document or personal
number at a time, and parses the result three ways: text only; with OCR alternatives that
are sure of every character (the truth not listed); and with alternatives that list the
truth second. Misreads are split into known confusions (O/0, I/1, S/5, `<`/K, ...) and any
other character. A wrong fix (all check digits agree, lines differ from the truth) is the
error that matters most. Then times parse_mrz against bare check-digit validation.

    uv run python bench/mrz_correct.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date

from checkpoint.documents.mrz import MrzFormat, compose, detect_format, parse_mrz
from checkpoint.documents.mrz.correct import CONFUSIONS
from checkpoint.documents.mrz.formats import layout_for, normalize_lines

TODAY = date(2026, 11, 23)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
SPECIMENS = [
    (
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ),
    ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"),
    (
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ),
    (
        "I<UTOD23145890<7349<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ),
    ("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"),
    ("IDFRAAMADOU<<<<<<<<<<<<<<<<<<<077055", "1807772501026DJIBRIROU<<<<<7512319M3"),
    compose(
        MrzFormat.TD3,
        document_code="P",
        issuer="UTO",
        surname="Kim",
        given_names="Sung Gi",
        document_number="AB1205867",
        nationality="UTO",
        birth_date=date(1985, 2, 16),
        sex="M",
        expiry_date=date(2031, 5, 20),
        personal_number="Z51G4ZA08",
    ),
]

Alternatives = list[list[list[tuple[str, float]]]]


def misreads() -> list[tuple[tuple[str, ...], tuple[str, ...], bool, tuple[int, int]]]:
    """(truth, misread lines, is a known confusion, (line, index)) for every broken read."""
    out = []
    for truth in SPECIMENS:
        fmt = detect_format(truth)
        layout = layout_for(fmt, truth)
        for name in ("document_number", "optional_data"):
            spec = layout.field(name)
            if spec is None or (name == "optional_data" and fmt is not MrzFormat.TD3):
                continue
            for seg in spec.segments:
                for index in seg.positions():
                    original = truth[seg.line][index]
                    for char in ALPHABET:
                        if char == original:
                            continue
                        rows = list(truth)
                        rows[seg.line] = rows[seg.line][:index] + char + rows[seg.line][index + 1 :]
                        lines = tuple(rows)
                        if all(c.agrees(lines) for c in layout_for(fmt, lines).checks):
                            continue  # invisible to the check digits: nothing to correct
                        known = original in CONFUSIONS.get(char, ())
                        out.append((truth, lines, known, (seg.line, index)))
    return out


def sure(
    lines: tuple[str, ...], noisy: dict[tuple[int, int], list[tuple[str, float]]]
) -> Alternatives:
    return [
        [noisy.get((n, i), [(c, 0.98)]) for i, c in enumerate(line)] for n, line in enumerate(lines)
    ]


def outcome_table() -> None:
    cases = misreads()
    modes: dict[
        str, Callable[[tuple[str, ...], tuple[str, ...], tuple[int, int]], Alternatives | None]
    ] = {
        "text only": lambda truth, lines, at: None,
        "OCR sure, truth unlisted": lambda truth, lines, at: sure(lines, {}),
        "OCR lists truth 2nd": lambda truth, lines, at: sure(
            lines, {at: [(lines[at[0]][at[1]], 0.6), (truth[at[0]][at[1]], 0.3)]}
        ),
    }
    header = f"{'misread':16} {'alternatives':26} {'cases':>6} {'fixed':>7} {'refused':>8}"
    print(f"{header} {'wrong fix':>10}")
    for known in (True, False):
        subset = [c for c in cases if c[2] == known]
        for mode, alternatives in modes.items():
            fixed = wrong = 0
            for truth, lines, _, at in subset:
                read = parse_mrz(lines, alternatives=alternatives(truth, lines, at), today=TODAY)
                if read.lines == truth:
                    fixed += 1
                elif read.valid:
                    wrong += 1
            n = len(subset)
            label = "known confusion" if known else "other character"
            print(
                f"{label:16} {mode:26} {n:6d} {fixed / n:7.1%} {(n - fixed - wrong) / n:8.1%} "
                f"{wrong / n:10.1%}"
            )


def median_us(function: Callable[[], object], number: int = 2000) -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(number):
            function()
        runs.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(runs)


def timing_table() -> None:
    clean = SPECIMENS[0]
    broken = (clean[0], clean[1][:5] + "O" + clean[1][6:15] + "O" + clean[1][16:])

    def checks_only() -> bool:
        lines = normalize_lines(clean)
        return all(c.agrees(lines) for c in layout_for(detect_format(lines), lines).checks)

    peer = median_us(checks_only)
    rows = [
        ("check digits only (peer)", peer),
        ("parse_mrz, clean TD3", median_us(lambda: parse_mrz(clean, today=TODAY))),
        ("parse_mrz, 2 misreads", median_us(lambda: parse_mrz(broken, today=TODAY))),
        (
            "parse_mrz, 2 misreads + alts",
            median_us(lambda: parse_mrz(broken, alternatives=sure(broken, {}), today=TODAY)),
        ),
    ]
    print(f"\n{'one core':30} {'median us':>10} {'x peer':>7}")
    for name, us in rows:
        print(f"{name:30} {us:10.0f} {us / peer:7.1f}")


if __name__ == "__main__":
    outcome_table()
    timing_table()
