"""Render specimen travel documents: security-print background, portrait, visual zone and MRZ.

Tests, the demo and the benchmarks need documents whose MRZ text is known exactly, in every
ICAO 9303 format, in numbers no collection of real documents could supply. The layout follows
Doc 9303: the card or page size of each format, the MRZ in OCR-B at the fixed 10 characters per
inch pitch (2.54 mm per character, which makes OCR-B's cap height about 2.6 mm), its lines at the
bottom of the page. Everything random comes from the caller's numpy Generator, so a seed
reproduces the same pixels. No library renders MRTDs; OpenCV draws the security print and the
face, Pillow the text (it shapes OpenType fonts, OpenCV cannot).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image as PilImage
from PIL import ImageDraw, ImageFont

from checkpoint.documents.image import Image
from checkpoint.documents.synth.identity import ISSUER_NAMES

if TYPE_CHECKING:
    from checkpoint.documents.mrz.formats import MrzFormat
    from checkpoint.documents.synth.identity import Identity

OCRB_FONT = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
LABEL_FONTS = (
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
TITLE_FONTS = (
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Bold.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)

MM_PER_INCH = 25.4
MRZ_PITCH_MM = 2.54
"""Doc 9303 part 3: constant pitch of 10 characters per inch."""
OCRB_ADVANCE_EM = 0.723
"""OCR-B's advance width as a fraction of the em; sets the font size that yields the pitch."""

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Layout:
    """Physical size of a format and its MRZ shape."""

    width_mm: float
    height_mm: float
    line_count: int
    line_length: int
    title: str


LAYOUTS: dict[str, Layout] = {
    "TD1": Layout(85.6, 54.0, 3, 30, "IDENTITY CARD / CARTE D'IDENTITE"),
    "TD2": Layout(105.0, 74.0, 2, 36, "TRAVEL DOCUMENT / DOCUMENT DE VOYAGE"),
    "TD3": Layout(125.0, 88.0, 2, 44, "PASSPORT / PASSEPORT"),
    "MRV_A": Layout(120.0, 80.0, 2, 44, "VISA"),
    "MRV_B": Layout(105.0, 74.0, 2, 36, "VISA"),
    # French national ID cards issued before 2021 are TD2-sized laminated cards.
    "FR_ID": Layout(105.0, 74.0, 2, 36, "CARTE NATIONALE D'IDENTITE"),
}


@dataclass(frozen=True)
class Specimen:
    """A rendered document: its data, its MRZ text, and where things are in its image."""

    format: MrzFormat
    identity: Identity
    lines: tuple[str, ...]
    image: Image
    """BGR, the document only, at `dpi`."""
    mrz_box: Box
    """(x0, y0, x1, y1): left of the first character cell to right of the last, top of the
    first line's capitals to the baseline of the last line, in image pixels."""
    portrait_box: Box
    dpi: int


@dataclass(frozen=True)
class Drawn:
    """The pixels of a document and the boxes a Specimen records."""

    image: Image
    mrz_box: Box
    portrait_box: Box


def render_document(
    layout: Layout,
    lines: tuple[str, ...],
    fields: list[tuple[str, str]],
    issuer_name: str,
    *,
    rng: np.random.Generator,
    portrait: Image | None = None,
    dpi: int = 300,
) -> Drawn:
    """Draw a document page with the given MRZ lines and visual-zone fields."""
    if len(lines) != layout.line_count or any(len(x) != layout.line_length for x in lines):
        raise ValueError(f"MRZ lines do not fit the layout: {lines!r}")
    px = dpi / MM_PER_INCH
    width, height = round(layout.width_mm * px), round(layout.height_mm * px)
    page = _security_background(width, height, rng)

    # MRZ geometry in millimetres; spacing and margins vary within what real documents show.
    spacing = float(rng.uniform(3.8, 6.2))
    bottom_centre = float(rng.uniform(5.2, 7.0))
    text_width = layout.line_length * MRZ_PITCH_MM
    left = (layout.width_mm - text_width) / 2 + float(rng.uniform(-0.8, 0.8))
    cap = MRZ_PITCH_MM / OCRB_ADVANCE_EM * _cap_em()
    first_centre = layout.height_mm - bottom_centre - spacing * (layout.line_count - 1)
    mrz_top_mm = first_centre - cap / 2

    portrait_box = _portrait_box(layout, mrz_top_mm, px)
    x0, y0, x1, y1 = portrait_box
    face = portrait if portrait is not None else synthetic_face(rng, x1 - x0, y1 - y0)
    face = np.asarray(cv2.resize(face, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA), np.uint8)
    page[y0:y1, x0:x1] = face if face.ndim == 3 else cv2.cvtColor(face, cv2.COLOR_GRAY2BGR)

    pil = PilImage.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
    draw = ImageDraw.Draw(pil)
    _draw_visual_zone(
        draw,
        layout,
        fields,
        issuer_name=issuer_name,
        portrait_box=portrait_box,
        mrz_top_mm=mrz_top_mm,
        px=px,
        rng=rng,
    )
    mrz_box = _draw_mrz(
        draw, lines, left_mm=left, first_centre_mm=first_centre, spacing_mm=spacing, px=px
    )
    image = np.asarray(cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR), np.uint8)
    return Drawn(image=image, mrz_box=mrz_box, portrait_box=portrait_box)


@cache
def _cap_em() -> float:
    font = ImageFont.truetype(OCRB_FONT, 1000)
    top, bottom = font.getbbox("H", anchor="ls")[1], 0
    return (bottom - top) / 1000.0


@cache
def _font(path_options: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    for path in path_options:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    raise FileNotFoundError(f"none of the fonts {path_options} is installed")


def _draw_mrz(
    draw: ImageDraw.ImageDraw,
    lines: tuple[str, ...],
    *,
    left_mm: float,
    first_centre_mm: float,
    spacing_mm: float,
    px: float,
) -> Box:
    pitch = MRZ_PITCH_MM * px
    size = round(MRZ_PITCH_MM / OCRB_ADVANCE_EM * px)
    font = _font((OCRB_FONT,), size)
    cap = _cap_em() * size
    baseline = 0.0
    for row, text in enumerate(lines):
        baseline = (first_centre_mm + row * spacing_mm) * px + cap / 2
        for col, char in enumerate(text):
            # Each character is placed in its own cell so the pitch is exact whatever the
            # font's rounding; "ms" anchors at the advance's middle on the baseline.
            x = left_mm * px + (col + 0.5) * pitch
            draw.text((x, baseline), char, font=font, fill=(12, 12, 16), anchor="ms")
    top = first_centre_mm * px - cap / 2
    right = left_mm * px + len(lines[0]) * pitch
    return (round(left_mm * px), round(top), round(right), round(baseline))


def _portrait_box(layout: Layout, mrz_top_mm: float, px: float) -> Box:
    top = layout.height_mm * 0.2
    bottom = mrz_top_mm - 3.0
    height = bottom - top
    width = height * 0.78
    left = layout.width_mm * 0.05
    return (round(left * px), round(top * px), round((left + width) * px), round(bottom * px))


def _draw_visual_zone(
    draw: ImageDraw.ImageDraw,
    layout: Layout,
    fields: list[tuple[str, str]],
    *,
    issuer_name: str,
    portrait_box: Box,
    mrz_top_mm: float,
    px: float,
    rng: np.random.Generator,
) -> None:
    ink = tuple(int(v) for v in rng.integers(20, 90, size=3))
    width_px = layout.width_mm * px
    _fit_text(
        draw,
        (0.05 * width_px, layout.height_mm * 0.03 * px),
        issuer_name,
        fonts=TITLE_FONTS,
        size=layout.height_mm * 0.075 * px,
        max_width=0.9 * width_px,
        fill=ink,
    )
    _fit_text(
        draw,
        (0.35 * width_px, layout.height_mm * 0.125 * px),
        layout.title,
        fonts=LABEL_FONTS,
        size=layout.height_mm * 0.035 * px,
        max_width=0.6 * width_px,
        fill=ink,
    )

    label_font = _font(LABEL_FONTS, round(1.7 * px))
    value_font = _font(LABEL_FONTS, round(2.9 * px))
    x_start = portrait_box[2] / px + 4.0
    y = layout.height_mm * 0.2
    row_height = 6.4
    column_width = (layout.width_mm - x_start - 3.0) / 2
    column = 0
    for label, value in fields:
        if y + row_height > mrz_top_mm - 1.5:
            break
        x = x_start + column * column_width
        room = (layout.width_mm - 3.0 - x) * px
        draw.text((x * px, y * px), label, font=label_font, fill=(70, 70, 90))
        _fit_text(
            draw,
            (x * px + 0.5 * px, (y + 2.2) * px),
            value,
            fonts=LABEL_FONTS,
            size=value_font.size,
            max_width=room,
            fill=(15, 15, 20),
        )
        column += 1
        if column == 2 or len(value) > 14:
            column = 0
            y += row_height


def _fit_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    *,
    fonts: tuple[str, ...],
    size: float,
    max_width: float,
    fill: tuple[int, ...],
) -> None:
    """Draw `text`, smaller when it would not fit in `max_width` (long names do happen)."""
    font = _font(fonts, max(6, round(size)))
    length = font.getlength(text)
    if length > max_width:
        font = _font(fonts, max(6, int(size * max_width / length)))
    draw.text(xy, text, font=font, fill=fill)


def _security_background(width: int, height: int, rng: np.random.Generator) -> Image:
    """A pale tinted page with guilloche lines, like the offset security print of an MRTD."""
    tint = rng.uniform(205, 245, size=3)
    corners = np.stack([tint, rng.uniform(205, 245, size=3)])[None, :, :]
    corners = np.concatenate([corners, np.stack([tint, rng.uniform(205, 245, size=3)])[None]])
    # A 2×2 image of tints stretched over the page: a cheap smooth colour gradient.
    page = cv2.resize(corners.astype(np.uint8), (width, height), interpolation=cv2.INTER_LINEAR)
    line_colour = tuple(float(v) for v in np.clip(tint * rng.uniform(0.78, 0.9), 0, 255))
    thickness = max(1, round(width / 1500))

    xs = np.arange(0, width + 8, 4, dtype=np.float64)
    families = int(rng.integers(1, 3))
    for _ in range(families):
        wavelength = rng.uniform(0.08, 0.3) * width
        amplitude = rng.uniform(0.02, 0.08) * height
        step = rng.uniform(0.012, 0.03) * height
        phase_step = rng.uniform(0.05, 0.35)
        curves = int(height / step) + 2
        polylines = []
        for k in range(curves):
            ys = k * step + amplitude * np.sin(2 * np.pi * xs / wavelength + k * phase_step)
            polylines.append(np.stack([xs, ys], axis=1).round().astype(np.int32))
        cv2.polylines(page, polylines, False, line_colour, thickness, cv2.LINE_AA)

    # A rosette (hypotrochoid) somewhere on the page.
    centre = rng.uniform([0.3 * width, 0.2 * height], [0.9 * width, 0.7 * height])
    radius = rng.uniform(0.12, 0.25) * height
    t = np.linspace(0, 2 * np.pi * 7, 3000)
    big, small, offset = 1.0, rng.uniform(0.2, 0.45), rng.uniform(0.4, 0.9)
    xr = (big - small) * np.cos(t) + offset * np.cos((big - small) / small * t)
    yr = (big - small) * np.sin(t) - offset * np.sin((big - small) / small * t)
    rosette = np.stack([centre[0] + radius * xr, centre[1] + radius * yr], axis=1)
    cv2.polylines(
        page, [rosette.round().astype(np.int32)], True, line_colour, thickness, cv2.LINE_AA
    )
    return np.asarray(page, np.uint8)


def synthetic_face(rng: np.random.Generator, width: int, height: int) -> Image:
    """A simple drawn head and shoulders, enough for a portrait area to look like one."""
    width, height = max(width, 8), max(height, 8)
    backdrop = rng.uniform(180, 235, size=3)
    image = np.empty((height, width, 3), np.uint8)
    image[:] = backdrop.astype(np.uint8)
    skin = tuple(
        float(v)
        for v in rng.choice(
            [[140, 170, 220], [110, 145, 195], [80, 110, 160], [60, 80, 120], [170, 195, 235]]
        )
        + rng.uniform(-10, 10, 3)
    )
    hair = tuple(
        float(v)
        for v in rng.choice(
            [[20, 20, 25], [30, 50, 90], [60, 120, 180], [140, 140, 140], [20, 40, 60]]
        )
    )
    cloth = tuple(float(v) for v in rng.uniform(30, 200, 3))
    cx, cy = width / 2 + rng.uniform(-0.03, 0.03) * width, height * 0.45
    head_w, head_h = width * rng.uniform(0.27, 0.33), height * rng.uniform(0.27, 0.32)

    def pt(x: float, y: float) -> tuple[int, int]:
        return (round(x), round(y))

    def ax(a: float, b: float) -> tuple[int, int]:
        return (max(1, round(a)), max(1, round(b)))

    aa = cv2.LINE_AA
    cv2.ellipse(
        image, pt(cx, height * 1.05), ax(width * 0.48, height * 0.3), 0, 0, 360, cloth, -1, aa
    )
    cv2.rectangle(
        image,
        pt(cx - head_w * 0.35, cy + head_h * 0.6),
        pt(cx + head_w * 0.35, cy + head_h * 1.3),
        skin,
        -1,
        aa,
    )
    cv2.ellipse(
        image, pt(cx, cy - head_h * 0.1), ax(head_w * 1.12, head_h * 1.08), 0, 0, 360, hair, -1, aa
    )
    cv2.ellipse(image, pt(cx, cy), ax(head_w, head_h), 0, 0, 360, skin, -1, aa)
    cv2.ellipse(
        image,
        pt(cx, cy - head_h * 0.75),
        ax(head_w * 1.02, head_h * 0.45),
        0,
        180,
        360,
        hair,
        -1,
        aa,
    )
    eye_y = cy - head_h * 0.1
    for side in (-1, 1):
        ex = cx + side * head_w * 0.42
        cv2.ellipse(
            image,
            pt(ex, eye_y),
            ax(head_w * 0.17, head_h * 0.07),
            0,
            0,
            360,
            (245, 245, 245),
            -1,
            aa,
        )
        cv2.circle(image, pt(ex, eye_y), max(1, round(head_h * 0.06)), (40, 50, 60), -1, aa)
        cv2.line(
            image,
            pt(ex - head_w * 0.2, eye_y - head_h * 0.2),
            pt(ex + head_w * 0.2, eye_y - head_h * 0.22),
            hair,
            max(1, round(head_h * 0.04)),
            aa,
        )
    shade = tuple(v * 0.8 for v in skin)
    cv2.line(
        image,
        pt(cx, eye_y + head_h * 0.05),
        pt(cx - head_w * 0.08, cy + head_h * 0.35),
        shade,
        max(1, round(head_h * 0.03)),
        aa,
    )
    cv2.ellipse(
        image,
        pt(cx, cy + head_h * 0.55),
        ax(head_w * 0.3, head_h * 0.09),
        0,
        0,
        180,
        (60, 60, 150),
        max(1, round(head_h * 0.04)),
        aa,
    )
    return image


def render_specimen(
    fmt: MrzFormat,
    identity: Identity,
    *,
    rng: np.random.Generator,
    portrait: Image | None = None,
    dpi: int = 300,
) -> Specimen:
    """Render a specimen of `fmt` for `identity` at `dpi` (300-600 suits every use)."""
    lines = identity.mrz_lines(fmt)
    layout = LAYOUTS[fmt.name]
    fields = _fields(fmt, identity)
    issuer_name = ISSUER_NAMES.get(identity.issuer, identity.issuer)
    drawn = render_document(layout, lines, fields, issuer_name, rng=rng, portrait=portrait, dpi=dpi)
    return Specimen(
        format=fmt,
        identity=identity,
        lines=lines,
        image=drawn.image,
        mrz_box=drawn.mrz_box,
        portrait_box=drawn.portrait_box,
        dpi=dpi,
    )


def _fields(fmt: MrzFormat, identity: Identity) -> list[tuple[str, str]]:
    def day(value: object) -> str:
        return value.strftime("%d %b %Y").upper() if hasattr(value, "strftime") else "-"

    number_label = "Visa No. / N° du visa" if fmt.name.startswith("MRV") else "Document No. / N°"
    fields = [
        ("Surname / Nom", identity.surname.upper()),
        ("Given names / Prénoms", identity.given_names.upper() or "-"),
        ("Nationality / Nationalité", identity.nationality),
        ("Date of birth / Date de naissance", day(identity.birth_date)),
        ("Sex / Sexe", identity.sex.replace("<", "X")),
        (number_label, identity.document_number),
        ("Date of expiry / Date d'expiration", day(identity.expiry_date)),
        ("Authority / Autorité", identity.issuer.replace("<", "")),
    ]
    if fmt.name == "FR_ID":
        fields[6] = ("Code", identity.optional_data)
    return fields
