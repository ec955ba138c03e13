"""The zxing-cpp project's real image sets: every expected text read, nothing on the decoys."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image as PILImage

from checkpoint.documents.barcodes import decode
from checkpoint.documents.image import Image

SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}


def _images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES)


def _load(path: Path) -> Image:
    # PIL as well as OpenCV: a few of the decoys are 1-pixel WebP files OpenCV refuses.
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        image = np.asarray(PILImage.open(path).convert("L"), dtype=np.uint8)
    return np.ascontiguousarray(image)


def _expected(path: Path) -> bytes | None:
    for suffix in (".txt", ".bin"):
        candidate = path.with_suffix(suffix)
        if candidate.exists():
            return candidate.read_bytes()
    return None


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "name", ["aztec-1", "code128-1", "datamatrix-1", "pdf417-1", "qrcode-1", "qrcode-3"]
)
def test_every_expected_text_is_read(shared_data: Path, name: str) -> None:
    missed = []
    for path in _images(shared_data / "barcodes" / name):
        expected = _expected(path)
        assert expected is not None, path
        reads = decode(_load(path), budget_ms=5_000)
        if not any(r.text.encode() == expected or r.raw == expected for r in reads):
            missed.append(path.name)
    assert missed == []


@pytest.mark.shared_data
@pytest.mark.slow
def test_no_barcode_is_invented_on_the_decoys(shared_data: Path) -> None:
    # Every harder pass runs on every decoy (nothing is found), so this is the strict case.
    invented = {}
    for path in _images(shared_data / "barcodes" / "falsepositives-1"):
        reads = decode(_load(path), budget_ms=5_000)
        if reads:
            invented[path.name] = [(r.format, r.text) for r in reads]
    assert invented == {}
