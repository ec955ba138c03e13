"""Training the OCR-B glyph classifier from rendered, degraded MRZ lines.

    uv run python -m checkpoint.documents.mrz.train [--out resources/ocrb] [--lines 12000]

Real MRZ crops that could be used for training have unclear rights, so the classifier learns
from synthetic print only: random MRZ-like lines are rendered with `glyphs` (OCR-B in its
regular, sharp and oblique cuts, plus a share of other sans-serif and monospace fonts for
the documents that are not printed in true OCR-B), degraded the way cameras, scanners and
binarising locators degrade them, and cut into glyphs by the very segmentation the recogniser
uses, so the model sees the same cell crops, neighbour bleed and misalignment it will see in
service. The model is a small multilayer perceptron trained with Adam in numpy (no
deep-learning framework is available to the project); everything is seeded, so the same
command writes the same model.
"""

from __future__ import annotations

import argparse
import io
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage

from checkpoint.documents.image import Image
from checkpoint.documents.mrz.glyphs import ALPHABET, FONT_DIR, render_line
from checkpoint.documents.mrz.ocr import (
    DEFAULT_MODEL,
    GLYPH_HEIGHT,
    GLYPH_WIDTH,
    MODEL_FILE,
    cut_glyphs,
)

OCRB_CUTS = (
    (FONT_DIR / "OCRB.otf", 0.55),
    (FONT_DIR / "OCRBS.otf", 0.15),
    (FONT_DIR / "OCRBL.otf", 0.05),
)
OTHER_FONTS = (
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSans-Bold.otf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Regular.otf",
    "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf",
    "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Bold.otf",
    "/usr/share/fonts/opentype/urw-base35/URWGothic-Book.otf",
    "/usr/share/fonts/opentype/urw-base35/URWGothic-Demi.otf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)

FloatArray = npt.NDArray[np.float32]

# Share of lines blurred after shrinking to their final cap height, and the blur's sigma as
# a share of that cap height.
DEFOCUS_SHARE = 0.4
DEFOCUS_SIGMA = (0.03, 0.12)
# Share of lines under a patch of glare.
GLARE_SHARE = 0.25
# Share of lines crossed by pale wavy lines, like the guilloche of a document's security print.
GUILLOCHE_SHARE = 0.35
# Share of lines printed thin (a light print head) and of lines scanned coarse: binarised
# at a small cap height, then enlarged, so the glyphs turn blocky and lose their thin joins
# (M read as H, T as I), as in scans of old documents.
THIN_SHARE = 0.12
COARSE_SCAN_SHARE = 0.15
COARSE_CAP = (10.0, 16.0)


@dataclass(frozen=True)
class Sample:
    """One degraded synthetic line and its text."""

    image: Image
    text: str


def random_text(rng: np.random.Generator) -> str:
    """An MRZ-like line: runs of letters, digits and fillers, with the usual lengths."""
    length = int(rng.choice([30, 36, 44])) if rng.random() < 0.75 else int(rng.integers(8, 45))
    parts: list[str] = []
    while sum(map(len, parts)) < length:
        kind = rng.random()
        if kind < 0.3:
            pool = ALPHABET[10:36]
        elif kind < 0.6:
            pool = ALPHABET[:10]
        elif kind < 0.8:
            pool = ALPHABET[:36]
        else:
            parts.append("<" * int(rng.integers(1, 12)))
            continue
        parts.append("".join(rng.choice(list(pool), size=int(rng.integers(1, 10)))))
    return "".join(parts)[:length]


def _font(rng: np.random.Generator) -> Path:
    others = [Path(p) for p in OTHER_FONTS if Path(p).exists()]
    if others and rng.random() < 0.25:
        return others[int(rng.integers(len(others)))]
    weights = np.array([w for _, w in OCRB_CUTS])
    return OCRB_CUTS[int(rng.choice(len(OCRB_CUTS), p=weights / weights.sum()))][0]


def synth_line(rng: np.random.Generator) -> Sample:
    """A random line, rendered and degraded like a real camera or scanner crop."""
    text = random_text(rng)
    cap = int(rng.integers(30, 48))
    rendered = render_line(
        text,
        cap_height=cap,
        pitch=cap * rng.uniform(0.72, 1.35),
        font=_font(rng),
        margin=(int(cap * rng.uniform(0.1, 0.7)), int(cap * rng.uniform(0.15, 0.7))),
        stroke=int(rng.choice([0, 0, 0, 1, 1, 2])),
        jitter=(rng.uniform(0, 0.05), rng.uniform(0, 0.04)),
        rng=rng,
    )
    image = rendered.image
    guilloche = rng.random() < GUILLOCHE_SHARE
    if guilloche:
        _guilloche(image, cap, rng)
    if rng.random() < 0.2:
        image = np.asarray(cv2.dilate(image, np.ones((2, 2), np.uint8)), np.uint8)
    elif rng.random() < THIN_SHARE:
        image = np.asarray(cv2.erode(255 - image, np.ones((2, 2), np.uint8)), np.uint8)
        image = 255 - image
    if rng.random() < 0.15:
        _break_strokes(image, cap, rng)
    image = _warp(image, rng)
    target_cap = rng.uniform(11, 40)
    scale = target_cap / cap
    size = (max(8, round(image.shape[1] * scale)), max(8, round(image.shape[0] * scale)))
    image = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
    if rng.random() < DEFOCUS_SHARE:
        # Defocus at the final size: a desk camera's blur is a share of the small cap height,
        # stronger than the blur at render size survives the shrinking (H against M, N).
        sigma = rng.uniform(*DEFOCUS_SIGMA) * target_cap
        image = np.asarray(cv2.GaussianBlur(image, (0, 0), sigma), np.uint8)
    if not guilloche and rng.random() < COARSE_SCAN_SHARE:
        image = _coarse_scan(image, target_cap, rng)
    else:
        image = _photometric(image, rng)
    return Sample(image=image, text=text)


def _coarse_scan(image: Image, cap: float, rng: np.random.Generator) -> Image:
    """The line binarised at a small cap height and enlarged back: a coarse black-and-white
    scan blown up to the size of the page around it."""
    coarse = rng.uniform(*COARSE_CAP)
    factor = min(1.0, coarse / cap)
    h, w = image.shape
    small_size = (max(8, round(w * factor)), max(6, round(h * factor)))
    small = np.asarray(cv2.resize(image, small_size, interpolation=cv2.INTER_AREA), np.uint8)
    otsu, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    level = otsu + rng.uniform(-0.1, 0.1) * 255
    small = np.where(small > level, 255, 0).astype(np.uint8)
    grow = rng.uniform(1.5, 4.0)
    size = (max(8, round(small.shape[1] * grow)), max(6, round(small.shape[0] * grow)))
    interpolation = cv2.INTER_NEAREST if rng.random() < 0.5 else cv2.INTER_LINEAR
    out = np.asarray(cv2.resize(small, size, interpolation=interpolation), np.uint8)
    if interpolation == cv2.INTER_LINEAR:
        out = np.where(out > 127, 255, 0).astype(np.uint8)
    return out


def _guilloche(image: Image, cap: int, rng: np.random.Generator) -> None:
    """Pale wavy lines across the print: the security background the locator's crop keeps,
    which the classifier must see through (a line across an N makes no M)."""
    h, w = image.shape
    xs = np.arange(w, dtype=np.float64)
    for _ in range(int(rng.integers(1, 7))):
        wave = rng.uniform(0.5, 4.0) * cap
        slope = np.tan(np.radians(rng.uniform(-60, 60)))
        ys = (
            rng.uniform(0, h)
            + slope * (xs - w / 2)
            + rng.uniform(0.1, 0.6)
            * cap
            * np.sin(xs * 2 * np.pi / wave + rng.uniform(0, 2 * np.pi))
        )
        points = np.stack([xs, ys], axis=1).round().astype(np.int32)
        pale = np.full_like(image, 255)
        thickness = max(1, round(cap * rng.uniform(0.02, 0.08)))
        cv2.polylines(pale, [points], False, int(rng.integers(90, 220)), thickness, cv2.LINE_AA)
        np.minimum(image, pale, out=image)


def _break_strokes(image: Image, cap: int, rng: np.random.Generator) -> None:
    """White gaps across the strokes, like a worn thermal or dot-matrix print head."""
    h, w = image.shape
    thickness = max(1, round(cap * rng.uniform(0.04, 0.1)))
    if rng.random() < 0.5:
        for y in rng.integers(0, h, size=int(rng.integers(1, 4))):
            image[int(y) : int(y) + thickness, :] = 255
    else:
        for x in rng.integers(0, w, size=int(rng.integers(w // cap, 3 * w // cap + 2))):
            image[:, int(x) : int(x) + thickness] = 255


def _warp(image: Image, rng: np.random.Generator) -> Image:
    """Small rotation, shear and perspective (a line seen slightly from the side)."""
    h, w = image.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    shear = rng.uniform(-0.15, 0.15) * h
    tilt = np.tan(np.radians(rng.uniform(-1.5, 1.5))) * w
    squeeze = rng.uniform(-0.12, 0.12) * h if rng.random() < 0.5 else 0.0
    dst = np.array(
        [[shear, 0], [w + shear, tilt - squeeze], [w, h + tilt + squeeze], [0, h]],
        dtype=np.float32,
    )
    dst[:, 1] -= min(0.0, float(dst[:, 1].min()))
    out_h = int(np.ceil(dst[:, 1].max()))
    out_w = int(np.ceil(dst[:, 0].max()))
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(
        image, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=255
    )
    return np.asarray(warped, np.uint8)


def _photometric(image: Image, rng: np.random.Generator) -> Image:
    """Blur, contrast, uneven light, noise, JPEG and binarisation."""
    img = image.astype(np.float32)
    if rng.random() < 0.6:
        img = np.asarray(cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.3)), np.float32)
    ink, ground = rng.uniform(0, 110), rng.uniform(140, 255)
    img = ink + (ground - ink) * img / 255.0
    if rng.random() < 0.4:
        ramp = np.linspace(-1, 1, img.shape[1], dtype=np.float32)[None, :]
        img = img + rng.uniform(-40, 40) * ramp
    glare = rng.random() < GLARE_SHARE
    if glare:
        # A patch of glare: light added over a stretch of the line, paling its print.
        x0, reach = rng.uniform(0, img.shape[1]), rng.uniform(1.0, 8.0) * img.shape[0]
        xs = np.arange(img.shape[1], dtype=np.float32)
        light = rng.uniform(0.3, 0.88) * (255.0 - ink) * np.exp(-0.5 * ((xs - x0) / reach) ** 2)
        img = img + light[None, :]
    img = img + rng.normal(0, rng.uniform(0, 12), img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.3:
        out = _jpeg(out, int(rng.integers(25, 90)))
    if rng.random() < 0.3:
        _specks(out, rng)
    if not glare and rng.random() < 0.55:
        # Like the real crops (scans, which have no glare): binarised, at a threshold that
        # thins or fattens strokes.
        otsu, _ = cv2.threshold(out, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        level = otsu + rng.uniform(-0.25, 0.25) * (ground - ink)
        out = np.where(out > level, 255, 0).astype(np.uint8)
    return out


def _jpeg(image: Image, quality: int) -> Image:
    buffer = io.BytesIO()
    PILImage.fromarray(image).save(buffer, format="JPEG", quality=quality)
    return np.asarray(PILImage.open(io.BytesIO(buffer.getvalue())), dtype=np.uint8).copy()


def _specks(image: Image, rng: np.random.Generator) -> None:
    h, w = image.shape
    for _ in range(int(rng.integers(1, 8))):
        r = int(rng.integers(1, max(2, h // 25) + 1))
        cv2.circle(image, (int(rng.integers(w)), int(rng.integers(h))), r, 0, -1)


def make_dataset(lines: int, seed: int) -> tuple[FloatArray, npt.NDArray[np.int64], int]:
    """Glyphs and labels cut from `lines` synthetic lines; also how many lines were dropped.

    A line whose estimated cell count differs from its length is dropped: its forced cells may
    be shifted against the text, and the labels would be wrong.
    """
    rng = np.random.default_rng(seed)
    glyphs: list[FloatArray] = []
    labels: list[npt.NDArray[np.int64]] = []
    dropped = 0
    for _ in range(lines):
        sample = synth_line(rng)
        _, estimate, _ = cut_glyphs(sample.image)
        if estimate is None or estimate.count != len(sample.text):
            dropped += 1
            continue
        cut, _, _ = cut_glyphs(sample.image, len(sample.text))
        glyphs.append(cut)
        labels.append(np.array([ALPHABET.index(c) for c in sample.text], dtype=np.int64))
    return np.concatenate(glyphs), np.concatenate(labels), dropped


def _jitter(batch: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Shift a third of the glyphs by a pixel: cells are never cut twice the same way."""
    glyphs = batch.reshape(len(batch), GLYPH_HEIGHT, GLYPH_WIDTH).copy()
    moves = rng.integers(-1, 2, size=(len(batch), 2))
    moves[rng.random(len(batch)) < 0.67] = 0
    for dy, dx in {(int(a), int(b)) for a, b in moves}:
        if dy == 0 and dx == 0:
            continue
        pick = (moves[:, 0] == dy) & (moves[:, 1] == dx)
        glyphs[pick] = np.roll(glyphs[pick], (dy, dx), axis=(1, 2))
    return glyphs.reshape(len(batch), -1)


class Mlp:
    """A ReLU perceptron trained with Adam on softmax cross-entropy."""

    def __init__(self, sizes: list[int], rng: np.random.Generator):
        self.params: list[FloatArray] = []
        for fan_in, fan_out in itertools.pairwise(sizes):
            scale = np.sqrt(2.0 / fan_in)
            self.params.append((rng.standard_normal((fan_in, fan_out)) * scale).astype(np.float32))
            self.params.append(np.zeros(fan_out, np.float32))
        self._m = [np.zeros_like(p) for p in self.params]
        self._v = [np.zeros_like(p) for p in self.params]
        self._t = 0

    @property
    def layers(self) -> int:
        return len(self.params) // 2

    def forward(self, x: FloatArray) -> tuple[FloatArray, list[FloatArray]]:
        activations = [x]
        for i in range(self.layers):
            x = x @ self.params[2 * i] + self.params[2 * i + 1]
            if i < self.layers - 1:
                x = np.maximum(x, 0)
            activations.append(x)
        return x, activations

    def step(
        self, x: FloatArray, y: npt.NDArray[np.int64], lr: float, smoothing: float = 0.05
    ) -> float:
        logits, acts = self.forward(x)
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        target = np.full_like(probs, smoothing / probs.shape[1])
        target[np.arange(len(y)), y] += 1 - smoothing
        loss = float(-(target * np.log(probs + 1e-9)).sum(axis=1).mean())
        grad = (probs - target) / len(y)
        grads: list[FloatArray] = [np.zeros(0, np.float32)] * len(self.params)
        for i in reversed(range(self.layers)):
            grads[2 * i] = acts[i].T @ grad
            grads[2 * i + 1] = grad.sum(axis=0)
            if i > 0:
                grad = (grad @ self.params[2 * i].T) * (acts[i] > 0)
        self._t += 1
        b1, b2 = 0.9, 0.999
        for i, g in enumerate(grads):
            self._m[i] = b1 * self._m[i] + (1 - b1) * g
            self._v[i] = b2 * self._v[i] + (1 - b2) * g * g
            m_hat = self._m[i] / (1 - b1**self._t)
            v_hat = self._v[i] / (1 - b2**self._t)
            self.params[i] -= (lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(np.float32)
        return loss

    def predict(self, x: FloatArray) -> npt.NDArray[np.int64]:
        logits, _ = self.forward(x)
        return np.asarray(logits.argmax(axis=1), dtype=np.int64)


def train(
    out: Path, lines: int, epochs: int, seed: int, hidden: tuple[int, ...]
) -> dict[str, float]:
    """Generate data, train, write the model to `out`; returns held-out figures."""
    started = time.perf_counter()
    x, y, dropped = make_dataset(lines, seed)
    x = x.reshape(len(x), -1)
    made = time.perf_counter() - started
    rng = np.random.default_rng(seed + 1)
    order = rng.permutation(len(x))
    held = order[: len(x) // 20]
    fit = order[len(x) // 20 :]
    model = Mlp([x.shape[1], *hidden, len(ALPHABET)], rng)
    batch = 256
    steps_per_epoch = len(fit) // batch
    total = steps_per_epoch * epochs
    step = 0
    for epoch in range(epochs):
        shuffled = fit[rng.permutation(len(fit))]
        losses = []
        for start in range(0, steps_per_epoch * batch, batch):
            idx = shuffled[start : start + batch]
            # Cosine decay from 2e-3 keeps late epochs from undoing the fit.
            lr = 1e-4 + (2e-3 - 1e-4) * 0.5 * (1 + np.cos(np.pi * step / total))
            losses.append(model.step(_jitter(x[idx], rng), y[idx], lr))
            step += 1
        accuracy = float((model.predict(x[held]) == y[held]).mean())
        print(f"epoch {epoch + 1}/{epochs}: loss {np.mean(losses):.4f}, held-out {accuracy:.4%}")
    out.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "layers": np.array(model.layers),
        "alphabet": np.array(ALPHABET),
        "glyph_shape": np.array([GLYPH_HEIGHT, GLYPH_WIDTH]),
    }
    for i in range(model.layers):
        arrays[f"w{i}"] = model.params[2 * i]
        arrays[f"b{i}"] = model.params[2 * i + 1]
    np.savez_compressed(out / MODEL_FILE, **arrays)  # type: ignore[arg-type]
    return {
        "glyphs": float(len(x)),
        "dropped_lines": float(dropped),
        "held_out_accuracy": float((model.predict(x[held]) == y[held]).mean()),
        "data_seconds": made,
        "total_seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL.parent)
    parser.add_argument("--lines", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument("--hidden", type=int, nargs="+", default=[512, 256])
    args = parser.parse_args(argv)
    figures = train(args.out, args.lines, args.epochs, args.seed, tuple(args.hidden))
    for name, value in figures.items():
        print(f"{name}: {value:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
