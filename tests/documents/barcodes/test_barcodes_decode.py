"""Decoding real rendered symbols: round trips through the generators, merging, no ghosts."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import barcode as python_barcode
import cv2
import numpy as np
import pdf417gen
import pytest
import segno
import treepoem
from barcode.writer import ImageWriter
from PIL import Image as PILImage
from test_barcodes_aamva import ANNEX_D
from test_barcodes_bcbp import EXAMPLE_1, EXAMPLE_2
from test_barcodes_vds import VISA

from checkpoint.documents.barcodes import BarcodeRead, decode, read_barcodes, zbar_available
from checkpoint.documents.barcodes.aamva import AamvaPayload
from checkpoint.documents.barcodes.bcbp import BcbpPayload
from checkpoint.documents.barcodes.model import TextPayload
from checkpoint.documents.barcodes.vds import SIGNATURE_NOT_CHECKED, VdsPayload
from checkpoint.documents.image import Image

GENEROUS = 5_000.0  # ms: every pass gets its chance, so results do not depend on machine speed


def _bgr(picture: PILImage.Image, border: int = 20) -> Image:
    grey = np.asarray(picture.convert("L"), dtype=np.uint8)
    grey = np.pad(grey, border, constant_values=255)
    return np.ascontiguousarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))


def _qr(text: str, scale: int = 4) -> Image:
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return _bgr(PILImage.open(io.BytesIO(buffer.getvalue())))


def _code128(text: str) -> Image:
    return _linear("code128", text)


def _linear(kind: str, text: str) -> Image:
    picture = python_barcode.get(kind, text, writer=ImageWriter()).render(
        {"module_width": 0.3, "module_height": 12.0, "write_text": False, "dpi": 200}
    )
    return _bgr(picture)


def _scaled(image: Image, factor: int) -> Image:
    return np.ascontiguousarray(
        cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_NEAREST)
    )


def test_pdf417_driving_licence_round_trip() -> None:
    codes = pdf417gen.encode(ANNEX_D, columns=10, security_level=3)
    image = _bgr(pdf417gen.render_image(codes, scale=2, ratio=3, padding=10))
    reads = read_barcodes(image, budget_ms=GENEROUS)
    assert len(reads) == 1
    read = reads[0]
    assert read.barcode.format == "PDF417"
    assert read.barcode.text == ANNEX_D
    assert isinstance(read.payload, AamvaPayload)
    assert read.payload.problems == ()
    assert (read.payload.surname, read.payload.document_number) == ("SAMPLE", "T64235789")


def test_qr_boarding_pass_round_trip() -> None:
    reads = read_barcodes(_qr(EXAMPLE_2), budget_ms=GENEROUS)
    assert len(reads) == 1
    read = reads[0]
    assert read.barcode.format == "QRCode"
    assert read.barcode.engine == "zxing-cpp"  # found by the fast pass: ZBar was not needed
    assert isinstance(read.payload, BcbpPayload)
    assert read.payload.problems == ()
    assert [leg.to_airport for leg in read.payload.legs] == ["FRA", "GVA"]


def test_aztec_boarding_pass_round_trip() -> None:
    picture = treepoem.generate_barcode("azteccode", EXAMPLE_1, scale=3)
    (read,) = read_barcodes(_bgr(picture), budget_ms=GENEROUS)
    assert read.barcode.format == "Aztec"
    assert read.barcode.text == EXAMPLE_1
    assert isinstance(read.payload, BcbpPayload)
    assert read.payload.surname == "DESMARAIS"


def test_datamatrix_visa_seal_round_trip_keeps_binary_bytes() -> None:
    picture = treepoem.generate_barcode("datamatrix", VISA, scale=4)
    (read,) = read_barcodes(_bgr(picture), budget_ms=GENEROUS)
    assert read.barcode.format == "DataMatrix"
    assert read.barcode.raw == VISA
    assert isinstance(read.payload, VdsPayload)
    assert read.payload.feature("passport number") == "47110815P"
    assert read.payload.signature_status == SIGNATURE_NOT_CHECKED


def test_code128_round_trip() -> None:
    (read,) = read_barcodes(_code128("L898902C3"), budget_ms=GENEROUS)
    assert read.barcode.format == "Code128"
    assert read.barcode.text == "L898902C3"
    assert isinstance(read.payload, TextPayload)
    assert read.payload.kind == "text"


@pytest.mark.parametrize(
    ("kind", "text", "fmt", "decoded"),
    [
        # python-barcode appends Code 39's optional check character (T here).
        ("code39", "L898902C3", "Code39", "L898902C3T"),
        ("ean13", "4006381333931", "EAN13", "4006381333931"),
        ("ean8", "96385074", "EAN8", "96385074"),
        # A UPC-A is an EAN-13 with a leading 0; zxing-cpp reports it as such.
        ("upca", "03600029145", "EAN13", "0036000291452"),
        ("itf", "12345678901231", "ITF", "12345678901231"),
        ("codabar", "A40156B", "Codabar", "A40156B"),
    ],
)
def test_one_dimensional_round_trips(kind: str, text: str, fmt: str, decoded: str) -> None:
    reads = decode(_linear(kind, text), budget_ms=GENEROUS)
    assert [(r.format, r.text) for r in reads] == [(fmt, decoded)]


def test_url_and_bytes_are_shown_as_they_are() -> None:
    (read,) = read_barcodes(_qr("https://example.org/visa?id=42"), budget_ms=GENEROUS)
    assert read.payload == TextPayload(kind="url", text="https://example.org/visa?id=42")


def test_micro_qr_is_reported_as_micro_qr_and_qr_as_qr() -> None:
    micro = segno.make("UTO", micro=True)
    buffer = io.BytesIO()
    micro.save(buffer, kind="png", scale=8, border=2)
    (read,) = decode(_bgr(PILImage.open(io.BytesIO(buffer.getvalue()))), budget_ms=GENEROUS)
    assert (read.format, read.text) == ("MicroQRCode", "UTO")
    for angle in (0, 30, 90):
        image = _qr("P<UTOERIKSSON<<ANNA<MARIA")
        if angle:
            height, width = image.shape[:2]
            matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 0.8)
            image = np.ascontiguousarray(
                cv2.warpAffine(image, matrix, (width, height), borderValue=(255, 255, 255))
            )
        reads = decode(image, budget_ms=GENEROUS)
        assert [r.format for r in reads] == ["QRCode"]


def test_polygon_is_in_image_pixels_and_two_codes_are_two_reads() -> None:
    canvas = np.full((700, 1000, 3), 255, dtype=np.uint8)
    first = _qr("FIRST CODE")
    second = _code128("SECOND")
    canvas[400 : 400 + first.shape[0], 600 : 600 + first.shape[1]] = first
    canvas[50 : 50 + second.shape[0], 40 : 40 + second.shape[1]] = second
    reads = {b.text: b for b in decode(canvas, budget_ms=GENEROUS)}
    assert set(reads) == {"FIRST CODE", "SECOND"}
    xs = [x for x, _ in reads["FIRST CODE"].polygon]
    ys = [y for _, y in reads["FIRST CODE"].polygon]
    assert min(xs) >= 600
    assert max(xs) <= 600 + first.shape[1]
    assert min(ys) >= 400
    assert max(ys) <= 400 + first.shape[0]
    assert reads["SECOND"].format == "Code128"


def _turned(image: Image, angle: float) -> Image:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    size = int(1.5 * max(height, width))
    matrix[0, 2] += size / 2 - width / 2
    matrix[1, 2] += size / 2 - height / 2
    return np.ascontiguousarray(
        cv2.warpAffine(image, matrix, (size, size), borderValue=(255, 255, 255))
    )


def test_harder_passes_read_what_the_fast_pass_misses() -> None:
    # A 1-D code at 45°: zxing-cpp only tries quarter turns, so the image must be turned.
    slanted = _turned(_code128("L898902C3"), 45)
    reads = decode(slanted, budget_ms=GENEROUS)
    assert [(r.text, r.found_by) for r in reads] == [("L898902C3", "rotate-45")]
    # A QR shrunk below 1.5 pixels per module: only upscaling finds it.
    buffer = io.BytesIO()
    segno.make_qr("M1DESMARAIS/LUC       EABC123 YULFRAAC").save(buffer, kind="png", scale=3)
    qr = _bgr(PILImage.open(io.BytesIO(buffer.getvalue())))
    tiny = cv2.resize(qr, None, fx=0.45, fy=0.45, interpolation=cv2.INTER_AREA)
    reads = decode(np.ascontiguousarray(tiny), budget_ms=GENEROUS)
    assert [(r.text, r.found_by) for r in reads] == [
        ("M1DESMARAIS/LUC       EABC123 YULFRAAC", "upscale")
    ]


@pytest.mark.skipif(not zbar_available(), reason="libzbar0 is not installed")
def test_a_symbol_read_by_both_engines_is_reported_once() -> None:
    # On the enlarged image of the upscale pass, zxing-cpp and ZBar both read the QR.
    buffer = io.BytesIO()
    segno.make_qr("M1DESMARAIS/LUC       EABC123 YULFRAAC").save(buffer, kind="png", scale=3)
    qr = _bgr(PILImage.open(io.BytesIO(buffer.getvalue())))
    tiny = cv2.resize(qr, None, fx=0.45, fy=0.45, interpolation=cv2.INTER_AREA)
    reads = decode(np.ascontiguousarray(tiny), budget_ms=GENEROUS)
    assert [(r.format, r.engine) for r in reads] == [("QRCode", "zxing-cpp+zbar")]


def test_fast_pass_runs_even_without_budget() -> None:
    reads = decode(_qr("ALWAYS"), budget_ms=0)
    assert [r.text for r in reads] == ["ALWAYS"]


def test_images_without_barcodes_give_nothing() -> None:
    rng = np.random.default_rng(7)
    blank = np.full((480, 640, 3), 255, dtype=np.uint8)
    noise = rng.integers(0, 256, size=(480, 640, 3), dtype=np.uint8)
    text = blank.copy()
    for row in range(8):
        cv2.putText(
            text,
            "P<UTOERIKSSON<<ANNA<MARIA<<<",
            (10, 50 + 55 * row),
            cv2.FONT_HERSHEY_SIMPLEX,
            1.2,
            (0, 0, 0),
            2,
        )
    tiny = np.zeros((3, 3), dtype=np.uint8)
    for image in (blank, noise, text, tiny):
        assert decode(image, budget_ms=GENEROUS) == []


def test_reads_are_values() -> None:
    (read,) = read_barcodes(_qr("VALUE"), budget_ms=GENEROUS)
    assert isinstance(read, BarcodeRead)
    with pytest.raises(AttributeError):
        read.barcode.text = "changed"  # type: ignore[misc]


def test_without_zbar_checkpoint_says_so_once_and_keeps_reading(tmp_path: object) -> None:
    script = textwrap.dedent(
        """
        import io, logging, sys
        sys.modules["pyzbar"] = None  # as if the package or libzbar0 were not installed
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        import numpy as np, segno
        from PIL import Image
        from checkpoint.documents.barcodes import decode, zbar_available
        buffer = io.BytesIO()
        segno.make_qr("STILL READS").save(buffer, kind="png", scale=4)
        grey = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("L"), dtype=np.uint8)
        print(zbar_available())
        print([b.text + "/" + b.engine for b in decode(grey)])
        print([b.text for b in decode(grey)])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.splitlines() == ["False", "['STILL READS/zxing-cpp']", "['STILL READS']"]
    assert done.stderr.count("fallback reader is off") == 1
