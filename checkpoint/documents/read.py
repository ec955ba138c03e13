"""Read everything a document image carries: the MRZ, the barcodes and whether they agree.

One `DocumentReader` is built per process (it loads the OCR-B model once) and reused for every
image; each stage's time is recorded so the CLI, the GUI and the benchmarks report the same
figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from checkpoint.documents.barcodes import BarcodeRead, CrossCheck, cross_check, read_barcodes
from checkpoint.documents.image import Image
from checkpoint.documents.mrz.reader import MrzImageRead, MrzReader

T = TypeVar("T")


@dataclass(frozen=True)
class DocumentRead:
    """What was read from one image of a document."""

    mrz: MrzImageRead | None
    barcodes: tuple[BarcodeRead, ...] = ()
    cross_checks: tuple[CrossCheck, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)


class DocumentReader:
    """Reads documents from images; build once, call `read` per image or frame."""

    def __init__(self, mrz_reader: MrzReader | None = None, *, barcode_budget_ms: float = 40.0):
        self._mrz = mrz_reader or MrzReader()
        self._barcode_budget_ms = barcode_budget_ms

    def read(self, image: Image) -> DocumentRead:
        timings: dict[str, float] = {}
        mrz = _timed(timings, "mrz", lambda: self._mrz.read(image))
        barcodes = _timed(
            timings, "barcodes", lambda: read_barcodes(image, budget_ms=self._barcode_budget_ms)
        )
        checks = cross_check(barcodes, mrz.read.fields if mrz else None) if barcodes else []
        return DocumentRead(
            mrz=mrz, barcodes=tuple(barcodes), cross_checks=tuple(checks), timings_ms=timings
        )


def _timed(timings: dict[str, float], name: str, work: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = work()
    timings[name] = round((time.perf_counter() - start) * 1000.0, 2)
    return result
