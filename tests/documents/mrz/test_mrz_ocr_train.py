"""The training script: seeded data, and a model it writes loads into the recogniser."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from checkpoint.documents.mrz.glyphs import ALPHABET
from checkpoint.documents.mrz.ocr import GLYPH_HEIGHT, GLYPH_WIDTH, OcrbRecognizer
from checkpoint.documents.mrz.train import make_dataset, synth_line, train


def test_synthetic_lines_are_seeded() -> None:
    first = synth_line(np.random.default_rng(7))
    again = synth_line(np.random.default_rng(7))
    other = synth_line(np.random.default_rng(8))
    assert first.text == again.text
    np.testing.assert_array_equal(first.image, again.image)
    assert set(first.text) <= set(ALPHABET)
    assert other.text != first.text


def test_dataset_glyphs_match_labels() -> None:
    glyphs, labels, dropped = make_dataset(20, seed=3)
    assert glyphs.shape[1:] == (GLYPH_HEIGHT, GLYPH_WIDTH)
    assert len(glyphs) == len(labels) > 100
    assert 0 <= dropped < 20
    assert glyphs.min() >= 0.0
    assert glyphs.max() <= 1.0
    assert labels.max() < len(ALPHABET)


def test_written_model_loads_and_reads(tmp_path: Path) -> None:
    figures = train(tmp_path, lines=30, epochs=1, seed=5, hidden=(32,))
    assert figures["glyphs"] > 100
    recognizer = OcrbRecognizer.load(tmp_path)
    probs = recognizer.classify(np.zeros((2, GLYPH_HEIGHT, GLYPH_WIDTH), np.float32))
    assert probs.shape == (2, len(ALPHABET))
