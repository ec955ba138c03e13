"""Finding and decoding every barcode in one image or camera frame, within a time budget.

Two engines, each used where it adds reads: zxing-cpp reads all the symbologies travel
documents carry (PDF417, Aztec, DataMatrix, QR and the 1-D codes); ZBar (through pyzbar) is a
second opinion on 1-D codes and QR, which it reads differently and sometimes where zxing-cpp
does not. ZBar is optional: without `libzbar0` Checkpoint says so once and keeps working.

The first pass (zxing-cpp, with its own quarter turns, inversion and downscaling) is fast and
always runs; besides the travel symbologies it also asks for Codabar and MaxiCode, which cost
little and showed no false reads on the decoy images. Harder passes (ZBar, upscaling,
rotation by 45°, local thresholding, a second binariser, crops of high-contrast regions,
denoising, inversion for ZBar) run one after the other only while nothing was found and the
frame's time budget lasts (a pass that would overrun it is skipped), so a live camera stays
responsive and a still photo gets every chance. On the zxing-cpp test images
(bench/barcodes.py) ZBar never read a symbol that the first pass missed, but it does add reads
on shrunk and dim images, hence its place as the first harder pass.

Formats are asked for per pass and per family (2-D codes, 1-D codes): with every format enabled
at once, parts of a QR symbol can decode as a 1-D code. A 1-D read lying inside a 2-D symbol is
dropped for the same reason, and reads of the same symbol by several engines or passes are
merged into one `Barcode`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

from checkpoint.documents.barcodes.model import Barcode, Point
from checkpoint.documents.image import Image, to_gray

log = logging.getLogger(__name__)

ZXING = "zxing-cpp"
ZBAR = "zbar"

_F = zxingcpp.BarcodeFormat
MATRIX_FORMATS = (
    _F.PDF417,
    _F.MicroPDF417,
    _F.Aztec,
    _F.DataMatrix,
    _F.QRCode,
    _F.MicroQRCode,
    _F.RMQRCode,
    _F.MaxiCode,
)
LINEAR_FORMATS = (
    _F.Code128,
    _F.Code39,
    _F.Code93,
    _F.ITF,
    _F.EAN13,
    _F.EAN8,
    _F.UPCA,
    _F.UPCE,
    _F.DataBar,
    _F.DataBarExp,
    _F.DataBarLtd,
    _F.Codabar,
)
_LINEAR_NAMES = frozenset(
    {
        "Code128",
        "Code39",
        "Code39Ext",
        "Code39Std",
        "Code93",
        "ITF",
        "ITF14",
        "EAN13",
        "EAN8",
        "UPCA",
        "UPCE",
        "ISBN",
        "DataBar",
        "DataBarExp",
        "DataBarLtd",
        "DataBarOmni",
        "DataBarStk",
        "DataBarStkOmni",
        "DataBarExpStk",
        "Codabar",
    }
)
# ZBar's names for the symbologies it reads, in zxing-cpp's naming. Not DataBar: zxing-cpp reads
# it well and ZBar's DataBar decoder prints assertion failures on some images.
_ZBAR_NAMES = {
    "QRCODE": "QRCode",
    "CODE128": "Code128",
    "CODE39": "Code39",
    "CODE93": "Code93",
    "I25": "ITF",
    "EAN13": "EAN13",
    "EAN8": "EAN8",
    "UPCA": "UPCA",
    "UPCE": "UPCE",
}
_EAN_FAMILY = frozenset({"EAN13", "EAN8", "UPCA", "UPCE", "ISBN"})
_FAMILY = {"MicroQRCode": "QRCode", "RMQRCode": "QRCode", "MicroPDF417": "PDF417"}

ZBAR_OFF_MESSAGE = (
    "ZBar (libzbar0) is not installed, so the 1-D and QR fallback reader is off: "
    "install libzbar0 to read more damaged codes."
)


try:
    from pyzbar import pyzbar as _zbar_module
except (ImportError, OSError):  # the Python package, or libzbar0 under it, is missing
    _zbar_module = None
_pyzbar: Any = _zbar_module
_warned: set[str] = set()


def zbar_available() -> bool:
    """Whether the ZBar fallback is usable on this machine."""
    return _pyzbar is not None


def _warn_zbar_once() -> None:
    if "zbar" not in _warned:
        _warned.add("zbar")
        log.warning(ZBAR_OFF_MESSAGE)


@dataclass
class _Read:
    """One engine's read before merging; the polygon is already in original image pixels."""

    format: str
    text: str
    raw: bytes
    polygon: npt.NDArray[np.float64]
    engine: str
    found_by: str


Transform = Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]


def _identity(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return points


def read_zxing(
    gray: Image,
    formats: Sequence[Any],
    *,
    binarizer: Any = zxingcpp.Binarizer.LocalAverage,
    try_harder: bool = True,
    downscale: bool = True,
) -> list[tuple[str, str, bytes, npt.NDArray[np.float64]]]:
    """zxing-cpp on a grey image: (format, text, bytes, 4×2 polygon) per valid symbol."""
    results = zxingcpp.read_barcodes(
        gray,
        formats=zxingcpp.BarcodeFormats(list(formats)),
        try_rotate=try_harder,
        try_downscale=try_harder and downscale,
        try_invert=try_harder,
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=binarizer,
    )
    reads = []
    for result in results:
        if not result.valid:
            continue
        position = result.position
        corners = (
            position.top_left,
            position.top_right,
            position.bottom_right,
            position.bottom_left,
        )
        polygon = np.array([[p.x, p.y] for p in corners], dtype=np.float64)
        reads.append((result.format.name, result.text, bytes(result.bytes), polygon))
    return reads


def read_zbar(gray: Image) -> list[tuple[str, str, bytes, npt.NDArray[np.float64]]]:
    """ZBar on a grey image, limited to the symbologies Checkpoint expects on documents."""
    if _pyzbar is None:
        return []
    symbols = [getattr(_pyzbar.ZBarSymbol, name) for name in _ZBAR_NAMES]
    reads = []
    for symbol in _pyzbar.decode(np.ascontiguousarray(gray), symbols=symbols):
        name = _ZBAR_NAMES.get(symbol.type)
        if name is None:
            continue
        data = bytes(symbol.data)
        text = data.decode("utf-8", errors="replace")
        points = [(p.x, p.y) for p in symbol.polygon] or [
            (symbol.rect.left, symbol.rect.top),
            (symbol.rect.left + symbol.rect.width, symbol.rect.top + symbol.rect.height),
        ]
        reads.append((name, text, data, np.array(points, dtype=np.float64)))
    return reads


class _Collector:
    """Accumulates reads over the passes of one frame and watches the time budget."""

    def __init__(self, budget_ms: float):
        self.start = time.perf_counter()
        self.budget_ms = budget_ms
        self.reads: list[_Read] = []

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000.0

    def time_left(self) -> bool:
        return self.elapsed_ms() < self.budget_ms

    def add(
        self,
        found: list[tuple[str, str, bytes, npt.NDArray[np.float64]]],
        engine: str,
        found_by: str,
        transform: Transform = _identity,
    ) -> None:
        for fmt, text, raw, polygon in found:
            self.reads.append(_Read(fmt, text, raw, transform(polygon), engine, found_by))


def _zxing_both(gray: Image, **kwargs: Any) -> list[tuple[str, str, bytes, Any]]:
    return read_zxing(gray, MATRIX_FORMATS, **kwargs) + read_zxing(gray, LINEAR_FORMATS, **kwargs)


def decode(image: Image, *, budget_ms: float = 40.0) -> list[Barcode]:
    """Every barcode in `image` (BGR or grey), fast first, harder only while none is found."""
    gray = np.ascontiguousarray(to_gray(image))
    if gray.size == 0 or min(gray.shape[:2]) < 8:
        return []
    if _pyzbar is None:
        _warn_zbar_once()
    work = _Collector(budget_ms)
    work.add(_zxing_both(gray), ZXING, "fast")
    fast_ms = work.elapsed_ms()
    for name, run, cost in _harder_passes(gray):
        if work.reads or not work.time_left():
            break
        # A pass that would overrun the budget is skipped for a cheaper one that fits;
        # its cost is estimated from how long the fast pass took on this very image.
        if work.elapsed_ms() + cost * fast_ms > budget_ms:
            continue
        run(work, name)
    return _merge(work.reads)


Pass = tuple[str, Callable[[_Collector, str], None], float]


def _harder_passes(gray: Image) -> list[Pass]:
    """The harder passes in order, each with its cost relative to the fast pass."""
    height, width = gray.shape[:2]

    def global_histogram(work: _Collector, name: str) -> None:
        found = _zxing_both(gray, binarizer=zxingcpp.Binarizer.GlobalHistogram)
        work.add(found, ZXING, name)

    def upscale(work: _Collector, name: str) -> None:
        factor = 2.0 if max(height, width) < 1200 else 1.5
        big = _u8(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC))
        back = _scale_back(1.0 / factor)
        # Downscaling what was just enlarged would only repeat the fast pass.
        work.add(_zxing_both(big, downscale=False), ZXING, name, back)
        if work.time_left():
            work.add(read_zbar(big), ZBAR, name, back)

    def local_threshold(work: _Collector, name: str) -> None:
        block = max(15, (min(height, width) // 12) | 1)
        binary = _u8(
            cv2.adaptiveThreshold(
                gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5
            )
        )
        work.add(_zxing_both(binary, try_harder=False), ZXING, name)
        if work.time_left():
            work.add(read_zbar(binary), ZBAR, name)

    def rotate(work: _Collector, name: str) -> None:
        # zxing-cpp tries 90° turns itself; 1-D codes and PDF417 at 45° need the image turned.
        for angle in (45.0, -45.0):
            if not work.time_left():
                return
            turned, back = _rotated(gray, angle)
            work.add(_zxing_both(turned, try_harder=False), ZXING, name, back)
            work.add(read_zbar(turned), ZBAR, name, back)
            if work.reads:
                return

    def regions(work: _Collector, name: str) -> None:
        for x, y, w, h in _candidate_regions(gray)[:4]:
            if not work.time_left():
                return
            crop = _u8(gray[y : y + h, x : x + w])
            factor = max(1.0, min(4.0, 360.0 / max(1, min(w, h))))
            if factor > 1.0:
                crop = _u8(
                    cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
                )
            back = _crop_back(x, y, factor)
            work.add(_zxing_both(crop), ZXING, name, back)
            work.add(read_zbar(crop), ZBAR, name, back)

    def denoise(work: _Collector, name: str) -> None:
        smooth = _u8(cv2.medianBlur(gray, 3))
        work.add(_zxing_both(smooth), ZXING, name)
        if work.time_left():
            work.add(read_zbar(smooth), ZBAR, name)

    def inverted(work: _Collector, name: str) -> None:
        # zxing-cpp already tries light-on-dark symbols; ZBar does not.
        work.add(read_zbar(_u8(255 - gray)), ZBAR, name)

    def zbar(work: _Collector, name: str) -> None:
        work.add(read_zbar(gray), ZBAR, name)

    # Ordered by what each pass added per millisecond on degraded test images.
    # Costs measured on a 1280×720 frame without barcodes (bench/barcodes.py has the reads).
    passes: list[Pass] = [
        ("zbar", zbar, 1.5),
        ("rotate-45", rotate, 4.5),
        ("upscale", upscale, 4.5),
        ("local-threshold", local_threshold, 1.4),
        ("global-histogram", global_histogram, 0.5),
        ("regions", regions, 2.2),
        ("denoise", denoise, 1.2),
        ("inverted", inverted, 1.5),
    ]
    if _pyzbar is None:
        passes = [p for p in passes if p[0] not in ("zbar", "inverted")]
    return passes


def _u8(image: Any) -> Image:
    """OpenCV's results typed as the 8-bit images they are."""
    return np.ascontiguousarray(image, dtype=np.uint8)


def _scale_back(factor: float) -> Transform:
    def back(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return points * factor

    return back


def _crop_back(x: int, y: int, factor: float) -> Transform:
    def back(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return points / factor + np.array([x, y], dtype=np.float64)

    return back


def _rotated(gray: Image, angle: float) -> tuple[Image, Transform]:
    """`gray` turned by `angle` degrees on a canvas large enough to keep every pixel."""
    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_w / 2.0 - width / 2.0
    matrix[1, 2] += new_h / 2.0 - height / 2.0
    turned = _u8(cv2.warpAffine(gray, matrix, (new_w, new_h), borderValue=255))
    inverse = cv2.invertAffineTransform(matrix)

    def back(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        ones = np.ones((points.shape[0], 1), dtype=np.float64)
        return np.hstack([points, ones]) @ inverse.T

    return turned, back


def _candidate_regions(gray: Image) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) around dense high-contrast texture, largest first.

    Barcodes are regions of strong, regular edges; closing the gradient magnitude joins a
    symbol's modules into one blob. Cheap, and enough to crop and enlarge small symbols.
    """
    height, width = gray.shape[:2]
    grad_x = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    grad_y = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = cv2.convertScaleAbs(cv2.magnitude(grad_x, grad_y))
    blurred = cv2.blur(magnitude, (9, 9))
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (21, 21))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)
    small = np.ones((3, 3), dtype=np.uint8)
    mask = cv2.dilate(cv2.erode(mask, small, iterations=2), small, iterations=2)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_area = 0.002 * height * width
    boxes = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w * h < min_area or (w >= 0.95 * width and h >= 0.95 * height):
            continue
        margin_x, margin_y = max(8, w // 8), max(8, h // 8)
        x0, y0 = max(0, x - margin_x), max(0, y - margin_y)
        x1, y1 = min(width, x + w + margin_x), min(height, y + h + margin_y)
        boxes.append((x0, y0, x1 - x0, y1 - y0))
    boxes.sort(key=lambda box: box[2] * box[3], reverse=True)
    return boxes


def _family(fmt: str) -> str:
    if fmt in _EAN_FAMILY:
        return "EAN"
    return _FAMILY.get(fmt, fmt)


def _content_key(read: _Read) -> tuple[str, bytes]:
    family = _family(read.format)
    raw = read.raw
    if family == "EAN":
        # UPC-A is EAN-13 with a leading zero; ZBar and zxing-cpp report it differently.
        raw = raw.lstrip(b"0")
    return family, raw


def _inside(point: npt.NDArray[np.float64], polygon: npt.NDArray[np.float64]) -> bool:
    if polygon.shape[0] < 3:
        return False
    contour = polygon.astype(np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(contour, (float(point[0]), float(point[1])), False) >= 0


def _merge(reads: list[_Read]) -> list[Barcode]:
    """One `Barcode` per symbol: engines and passes that read the same symbol are merged."""
    matrix = [r for r in reads if r.format not in _LINEAR_NAMES]
    kept: list[tuple[_Read, list[str]]] = []
    for read in reads:
        centre = read.polygon.mean(axis=0)
        if read.format in _LINEAR_NAMES and any(_inside(centre, m.polygon) for m in matrix):
            continue
        same = None
        for index, (other, _engines) in enumerate(kept):
            if _content_key(other) == _content_key(read):
                same = index
                break
            if _family(other.format) == _family(read.format) and (
                _inside(centre, other.polygon) or _inside(other.polygon.mean(axis=0), read.polygon)
            ):
                same = index
                break
        if same is None:
            kept.append((read, [read.engine]))
        elif read.engine not in kept[same][1]:
            kept[same][1].append(read.engine)
    return [_to_barcode(read, engines) for read, engines in kept]


def _to_barcode(read: _Read, engines: list[str]) -> Barcode:
    polygon: tuple[Point, ...] = tuple(
        (round(float(x)), round(float(y))) for x, y in read.polygon.tolist()
    )
    return Barcode(
        format=read.format,
        text=read.text,
        raw=read.raw,
        polygon=polygon,
        engine="+".join(sorted(engines, key=lambda e: (e != ZXING, e))),
        found_by=read.found_by,
    )
