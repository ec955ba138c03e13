"""The check-digit layouts against real documents: printed MRZ lines from ~800 photos and scans.

The lines (shared data, mrz-lines/*.gt.txt) come one per file, so each second line is parsed
with a specimen first line; its own check digits do not depend on the partner. Some lines are
from fake or template documents, so the bar is "most", not "all".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checkpoint.documents.mrz import MrzError, parse_mrz

TODAY = date(2026, 11, 23)
TD3_LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD1_LINE1 = "I<UTOD231458907<<<<<<<<<<<<<<<"
TD1_LINE3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"

pytestmark = pytest.mark.shared_data


def printed_lines(shared_data: Path) -> list[str]:
    files = sorted((shared_data / "mrz-lines").glob("*.gt.txt"))
    assert len(files) > 1000
    return [f.read_text(encoding="utf-8").strip() for f in files]


def share_agreeing(reads: list[tuple[str, ...]], checks: tuple[str, ...]) -> float:
    agreeing = 0
    for lines in reads:
        read = parse_mrz(lines, today=TODAY)
        agreeing += all(read.checks[name].valid for name in checks)
    return agreeing / len(reads)


def test_td3_second_lines_check_out(shared_data: Path) -> None:
    seconds = [t for t in printed_lines(shared_data) if len(t) == 44 and t[0] not in "PV"]
    assert len(seconds) > 200
    share = share_agreeing(
        [(TD3_LINE1, t) for t in seconds], ("document_number", "birth_date", "expiry_date")
    )
    assert share > 0.8


def test_td1_second_lines_check_out(shared_data: Path) -> None:
    seconds = [t for t in printed_lines(shared_data) if len(t) == 30 and t[:6].isdigit()]
    assert len(seconds) > 150
    share = share_agreeing(
        [(TD1_LINE1, t, TD1_LINE3) for t in seconds], ("birth_date", "expiry_date")
    )
    assert share > 0.8


def test_every_printed_line_parses_or_is_rejected_cleanly(shared_data: Path) -> None:
    """Lines of an MRZ length parse (whatever their checks say); cut-off crops are refused."""
    partners = {30: TD1_LINE1, 36: "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", 44: TD3_LINE1}
    parsed = 0
    for text in printed_lines(shared_data):
        partner = partners.get(len(text), "<" * len(text))
        lines = [partner, text, TD1_LINE3] if len(text) == 30 else [partner, text]
        if len(text) not in partners:
            with pytest.raises(MrzError):
                parse_mrz(lines, today=TODAY)
            continue
        read = parse_mrz(lines, today=TODAY)
        assert read.raw_lines[1] == text
        parsed += 1
    assert parsed > 1400
