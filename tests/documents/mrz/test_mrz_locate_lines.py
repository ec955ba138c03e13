"""The locator's line finding: a run of fillers is one line, not two stacked ones."""

from __future__ import annotations

import numpy as np

from checkpoint.documents.mrz.locate import _filler_run


def blob_rows(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The blob as `_split_stacked` sees it, and which of its rows are thinly inked."""
    blob = mask > 0
    rows = blob.sum(axis=1)
    return blob, rows < 0.35 * rows.max()


def test_run_of_fillers_is_not_two_stacked_lines() -> None:
    # Twelve `<` at a 12-pixel pitch as the horizontal closing leaves them: the upper arms
    # merged into one band, the lower arms into another, joined only at each chevron's tip.
    mask = np.zeros((12, 146), np.uint8)
    mask[0:4] = 1
    mask[8:12] = 1
    for k in range(12):
        mask[4:8, 2 + 12 * k : 4 + 12 * k] = 1
    assert _filler_run(*blob_rows(mask))


def test_two_lines_bridged_by_a_stroke_are_stacked_lines() -> None:
    mask = np.zeros((30, 300), np.uint8)
    mask[2:12] = 1
    mask[18:28] = 1
    mask[12:18, 140:143] = 1  # a stray stroke across the gap
    assert not _filler_run(*blob_rows(mask))
