"""The 1:N index: exact against brute force, add and remove in place, files, and the policy."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from checkpoint.faces.calibration import DEFAULT_CALIBRATION, VERIFY_THRESHOLD, Calibration
from checkpoint.faces.search import FaceIndex, IndexFileError, gallery_threshold
from checkpoint.faces.templates import FaceTemplate, ModelId, TemplateMismatchError

MODEL = ModelId("test-model", "1")


def gallery(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n, 128)).astype(np.float32)
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def brute_force(ids: list[str], vectors: np.ndarray, q: np.ndarray, k: int) -> list[str]:
    d = np.linalg.norm(vectors.astype(np.float64) - q.astype(np.float64), axis=1)
    return [ids[i] for i in np.argsort(d, kind="stable")[:k]]


def test_search_equals_brute_force() -> None:
    g = gallery(3000)
    ids = [f"p{i}" for i in range(len(g))]
    index = FaceIndex(MODEL, capacity=16)  # forces several growths
    index.add(ids[:1000], g[:1000])
    index.add(ids[1000:], g[1000:])
    rng = np.random.default_rng(1)
    for row in (0, 17, 2999):
        probe = g[row] + 0.05 * rng.standard_normal(128).astype(np.float32)
        hits = index.search(probe, k=7)
        assert [i for i, _ in hits] == brute_force(ids, g, probe, 7)
        assert hits[0][0] == ids[row]
        distances = [d for _, d in hits]
        assert distances == sorted(distances)
        expected = float(np.linalg.norm(g[row].astype(np.float64) - probe))
        assert distances[0] == pytest.approx(expected, abs=1e-6)


def test_near_ties_are_ordered_exactly() -> None:
    # Rows differing by far less than float32 rounding of |g|² - 2 g·q must still be ranked
    # by their true distance.
    base = gallery(1)[0]
    direction = gallery(1, seed=5)[0]
    vectors = np.stack([base + 1e-4 * step * direction for step in (3, 1, 2, 0)])
    index = FaceIndex(MODEL)
    index.add(["c", "a", "b", "z"], vectors)
    assert [i for i, _ in index.search(base, k=4)] == ["z", "a", "b", "c"]


def test_add_replaces_and_remove_moves_rows() -> None:
    g = gallery(50)
    ids = [f"p{i}" for i in range(50)]
    index = FaceIndex(MODEL, capacity=4)
    index.add(ids, g)
    assert index.remove(["p3", "p49", "p3", "unknown"]) == 2
    assert len(index) == 48
    assert "p3" not in index
    assert "p49" not in index
    # The row moved into p3's place still answers for its own id.
    for row in (0, 10, 48):
        assert index.search(g[row], k=1)[0] == (ids[row], pytest.approx(0.0, abs=1e-6))
    assert all(i not in {"p3", "p49"} for i, _ in index.search(g[3], k=48))
    index.add(["p10"], g[20:21])  # replace: p10 now carries p20's template
    assert len(index) == 48
    assert {i for i, _ in index.search(g[20], k=2)} == {"p10", "p20"}
    index.add(["p3"], g[3:4])
    assert index.search(g[3], k=1)[0][0] == "p3"


def test_search_many_matches_single_searches_and_threshold() -> None:
    g = gallery(500, seed=3)
    ids = [str(i) for i in range(500)]
    index = FaceIndex(MODEL)
    index.add(ids, g)
    probes = g[[5, 6, 7]] + 0.01
    many = index.search_many(probes, k=3)
    assert many == [index.search(p, k=3) for p in probes]
    near = index.search(g[5], k=10, max_distance=0.3)
    assert near[0][0] == "5"
    assert all(d <= 0.3 for _, d in near)
    assert FaceIndex(MODEL).search(g[0], k=5) == []


def test_templates_of_another_model_are_refused() -> None:
    index = FaceIndex(MODEL)
    other = FaceTemplate(gallery(1)[0], ModelId("other-model", "2"))
    with pytest.raises(TemplateMismatchError):
        index.add(["x"], [other])
    index.add(["y"], [FaceTemplate(gallery(1)[0], MODEL)])
    with pytest.raises(TemplateMismatchError):
        index.search(other)
    with pytest.raises(ValueError, match="128"):
        index.add(["z"], np.zeros((1, 64), dtype=np.float32))
    with pytest.raises(ValueError, match="unique"):
        index.add(["a", "a"], gallery(2))


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    g = gallery(40)
    ids = [f"entry-{i}" for i in range(40)]
    index = FaceIndex(MODEL)
    index.add(ids, g)
    index.remove(["entry-7"])
    path = tmp_path / "lists" / "faces.npz"
    index.save(path)
    loaded = FaceIndex.load(path, expected_model=MODEL)
    assert loaded.model == MODEL
    assert loaded.ids == index.ids
    np.testing.assert_array_equal(loaded.vectors(), index.vectors())
    assert loaded.search(g[12], k=1)[0][0] == "entry-12"
    with pytest.raises(TemplateMismatchError):
        FaceIndex.load(path, expected_model=ModelId("test-model", "2"))


def test_bad_index_files_raise_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(IndexFileError, match="does not exist"):
        FaceIndex.load(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(IndexFileError, match="not a face index"):
        FaceIndex.load(junk)
    partial = tmp_path / "partial.npz"
    np.savez(partial, ids=np.array(["a"]), templates=np.zeros((1, 128), np.float32))
    with pytest.raises(IndexFileError, match="not a face index"):
        FaceIndex.load(partial)
    wrong = tmp_path / "wrong.npz"
    np.savez(
        wrong,
        ids=np.array(["a", "b"]),
        templates=np.zeros((3, 128), np.float32),
        model_name=np.array("m"),
        model_version=np.array("1"),
    )
    with pytest.raises(IndexFileError, match="2 ids"):
        FaceIndex.load(wrong)


def test_gallery_threshold_tightens_with_gallery_size() -> None:
    sizes = [1, 100, 1_000, 10_000, 100_000, 1_000_000, 100_000_000]
    thresholds = [gallery_threshold(n).threshold for n in sizes]
    assert thresholds == sorted(thresholds, reverse=True)
    assert thresholds[0] == VERIFY_THRESHOLD
    assert gallery_threshold(1).limited_by == "ceiling"
    huge = gallery_threshold(100_000_000, 0.001)
    assert huge.limited_by == "floor"
    assert huge.threshold == pytest.approx(0.40)
    assert huge.expected_fpir > 0.001  # the floor is honest about missing the target
    mid = gallery_threshold(10_000, 0.01)
    assert mid.limited_by == "target"
    assert mid.expected_fpir == pytest.approx(0.01, rel=0.01)
    assert 0.40 < mid.threshold < 0.55
    assert gallery_threshold(10_000, 0.001).threshold < mid.threshold


def test_calibration_fit_and_rates() -> None:
    rng = np.random.default_rng(2)
    genuine = rng.normal(0.35, 0.06, 4000)
    impostor = rng.normal(0.85, 0.08, 4000)
    distances = np.concatenate([genuine, impostor]).tolist()
    same = [True] * 4000 + [False] * 4000
    fitted = Calibration.fit(distances, same)
    assert fitted.genuine_mean == pytest.approx(0.35, abs=0.01)
    assert fitted.impostor_std == pytest.approx(0.08, abs=0.01)
    assert fitted.probability_same(fitted.midpoint) == pytest.approx(0.5)
    probabilities = [fitted.probability_same(d) for d in np.linspace(0, 1.5, 31)]
    assert probabilities == sorted(probabilities, reverse=True)
    assert probabilities[0] > 0.999
    assert probabilities[-1] < 0.001
    t = fitted.threshold_for_fmr(1e-4)
    assert fitted.false_match_rate(t) == pytest.approx(1e-4, rel=1e-6)
    observed_fmr = float(np.mean(impostor <= fitted.threshold_for_fmr(0.05)))
    assert observed_fmr == pytest.approx(0.05, abs=0.015)
    with pytest.raises(ValueError, match="at least two"):
        Calibration.fit([0.3, 0.9], [True, False])
    assert DEFAULT_CALIBRATION.false_match_rate(VERIFY_THRESHOLD) < 1e-3


def test_searches_stay_consistent_while_the_store_changes_the_index() -> None:
    g = gallery(2000, seed=9)
    ids = [f"p{i}" for i in range(2000)]
    index = FaceIndex(MODEL, capacity=8)
    index.add(ids[:100], g[:100])
    stop = threading.Event()

    def churn() -> None:
        row = 100
        while not stop.is_set() and row < 2000:
            index.add(ids[row : row + 50], g[row : row + 50])  # grows the storage
            index.remove(ids[row - 100 : row - 60])
            row += 50

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for turn in range(300):
            probe = g[turn % 2000]
            for identifier, d in index.search(probe, k=3):
                row = int(identifier[1:])
                assert d == pytest.approx(float(np.linalg.norm(g[row] - probe)), abs=1e-5)
    finally:
        stop.set()
        worker.join()
