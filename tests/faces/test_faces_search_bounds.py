"""The projection bounds never change a result: bounded searches equal brute force."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from checkpoint.faces.search import FaceIndex
from checkpoint.faces.templates import ModelId

MODEL = ModelId("test-model", "1")


def isotropic(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n, 128)).astype(np.float32)
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def clustered(n: int, seed: int, clusters: int = 40) -> np.ndarray:
    """Templates like dlib's: a common mean, a decaying spectrum, people in tight clusters."""
    rng = np.random.default_rng(seed)
    scale = np.sqrt(np.exp(-np.arange(128) / 12.0) * 0.02)
    mean = rng.standard_normal(128) * 0.08
    people = mean + rng.standard_normal((clusters, 128)) * scale
    members = people[rng.integers(0, clusters, n)] + 0.03 * rng.standard_normal((n, 128)) * scale
    return members.astype(np.float32)


def brute_force(index: FaceIndex, q: np.ndarray, k: int, limit: float | None) -> list:
    vectors = index.vectors().astype(np.float64)
    d = np.linalg.norm(vectors - q.astype(np.float64), axis=1)
    order = np.argsort(d, kind="stable")[:k]
    ids = index.ids
    return [(ids[i], float(d[i])) for i in order if limit is None or d[i] <= limit]


def bounded_index(g: np.ndarray, **options: float) -> FaceIndex:
    index = FaceIndex(MODEL, capacity=8, bound_min_rows=256, bound_max_share=1.0, **options)
    index.add([f"p{i}" for i in range(len(g))], g)
    assert index.bounded
    return index


def assert_same(index: FaceIndex, probes: np.ndarray, k: int, limit: float | None) -> None:
    for probe in probes:
        got = index.search(probe, k, max_distance=limit)
        want = brute_force(index, probe, k, limit)
        assert [i for i, _ in got] == [i for i, _ in want]
        np.testing.assert_allclose([d for _, d in got], [d for _, d in want], rtol=0, atol=1e-12)


@pytest.mark.parametrize("make", [isotropic, clustered])
@pytest.mark.parametrize("columns", [4, 8, 32, 64])
def test_bounded_search_equals_brute_force(make, columns: int) -> None:
    g = make(3000, seed=columns)
    index = bounded_index(g, bound_columns=columns)
    rng = np.random.default_rng(columns + 1)
    near = g[rng.integers(0, len(g), 15)] + 0.01 * rng.standard_normal((15, 128)).astype(np.float32)
    far = make(10, seed=99)
    for k in (1, 5, 40):
        assert_same(index, near, k, None)
        assert_same(index, far, k, None)
    scale = float(np.median(np.linalg.norm(g[:200] - g[200:400], axis=1)))
    for limit in (0.0, 0.2 * scale, 0.6 * scale, 10.0):
        assert_same(index, near, 5, limit)
    many = index.search_many(near, 5)
    assert many == [index.search(p, 5) for p in near]


def test_bounds_prune_most_rows_of_a_clustered_gallery() -> None:
    # The speed comes from reading few rows in full; on clustered templates they are few.
    g = clustered(20_000, seed=3)
    index = bounded_index(g)
    rng = np.random.default_rng(4)
    for row in rng.integers(0, len(g), 20):
        assert index.search(g[row], 5)[0][1] == pytest.approx(0.0, abs=1e-6)
    assert 0 < index.kept_share(thresholded=False) < 0.05


def test_add_remove_and_replace_keep_bounds_valid() -> None:
    g = clustered(4000, seed=5)
    index = bounded_index(g[:1000])
    axes_before = index._basis.axes.copy()
    index.add([f"p{i}" for i in range(1000, 4000)], g[1000:])  # projected, not refitted
    np.testing.assert_array_equal(index._basis.axes, axes_before)
    rng = np.random.default_rng(6)
    index.remove([f"p{i}" for i in rng.choice(4000, 1500, replace=False)])
    # Replacements far from the fitted distribution: the bound must still hold.
    replaced = [i for i in index.ids[:50]]
    index.add(replaced, isotropic(50, seed=7))
    index.add([f"new{i}" for i in range(30)], 3.0 * isotropic(30, seed=8))
    probes = np.concatenate([g[rng.integers(0, 4000, 10)], isotropic(5, seed=8)])
    assert_same(index, probes, 5, None)
    assert_same(index, probes, 10, 0.3)
    index.rebuild()
    assert not np.array_equal(index._basis.axes, axes_before)
    assert_same(index, probes, 5, None)


def test_adversarial_queries() -> None:
    g = clustered(600, seed=9)
    # Rows equidistant from the query: a ring of exact mirror images around it.
    centre = g[0].astype(np.float64)
    offsets = isotropic(20, seed=10).astype(np.float64) * 0.05
    ring = np.concatenate([centre + offsets, centre - offsets]).astype(np.float32)
    dupes = np.repeat(g[1:2], 5, axis=0)
    gallery = np.concatenate([g, ring, dupes])
    index = bounded_index(gallery)
    for k in (1, 7, 25, 45):
        assert_same(index, np.stack([g[0], g[1]]), k, None)
    assert len(index.search(g[0], 10_000)) == len(gallery)  # k beyond the gallery
    assert_same(index, g[:3], 10_000, None)
    assert index.search(g[0], 0) == []
    assert index.search(g[0], 5, max_distance=-1.0) == []
    index.remove(list(index.ids))
    assert len(index) == 0
    assert index.search(g[0], 5) == []
    assert index.search_many(g[:2], 5) == [[], []]


def test_small_gallery_needs_no_bounds() -> None:
    index = FaceIndex(MODEL)
    index.add(["a", "b"], isotropic(2, seed=11))
    assert not index.bounded
    assert [i for i, _ in index.search(isotropic(2, seed=11)[1], 2)] == ["b", "a"]


def test_saved_basis_is_reused_and_old_or_damaged_files_refit(tmp_path: Path) -> None:
    g = clustered(17_000, seed=12)  # above the default size at which a load fits a basis
    index = bounded_index(g[:600])
    index.add([f"p{i}" for i in range(600, len(g))], g[600:])
    path = tmp_path / "faces.npz"
    index.save(path)
    loaded = FaceIndex.load(path)
    np.testing.assert_array_equal(loaded._basis.axes, index._basis.axes)
    probes = g[::1700]
    assert [loaded.search(p, 5) for p in probes] == [index.search(p, 5) for p in probes]
    # A file without the basis (the older format) and one whose axes are not orthonormal.
    with np.load(path) as data:
        fields = {name: data[name] for name in data.files}
    old = tmp_path / "old.npz"
    np.savez(old, **{n: v for n, v in fields.items() if not n.startswith("bound_")})
    bad = tmp_path / "bad.npz"
    np.savez(bad, **{**fields, "bound_axes": fields["bound_axes"] * 1.5})
    for other in (old, bad):
        again = FaceIndex.load(other)
        assert again.ids == index.ids
        assert again.bounded
        assert again._basis.is_orthonormal()
        for p in probes:
            assert again.search(p, 5) == brute_force(again, p, 5, None)


def bound_squared(index: FaceIndex, x: np.ndarray, q: np.ndarray, *, full: bool) -> np.ndarray:
    """A lower bound of |x - q|² the index screens with, from its stored coordinates: the
    near half alone, or both halves (the near residual set aside)."""
    basis = index._basis
    nx, fx, cx = (a.astype(np.float64) for a in basis.project(x))
    nq, fq, cq = (a.astype(np.float64) for a in basis.project(q))
    if full:
        nq[:, -1] = 0.0
        products = nq @ nx.T + fq @ fx.T
    else:
        products = nq @ nx.T
    return cq[:, None] + cx[None, :] - 2.0 * products


def test_bound_never_exceeds_the_distance_and_is_tight_along_the_centre() -> None:
    g = clustered(3000, seed=13)
    index = bounded_index(g, bound_columns=16)
    rng = np.random.default_rng(14)
    x, q = g[:400], np.concatenate([g[400:420], isotropic(20, seed=15)])
    true = np.linalg.norm(x[None, :, :].astype(np.float64) - q[:, None, :], axis=2) ** 2
    for full in (False, True):
        bound = bound_squared(index, x, q, full=full)
        assert np.all(bound <= true + 1e-5)
        assert np.median(bound / true) > (0.5 if full else 0.3)  # useful, not just zero
    assert np.all(bound_squared(index, x, q, full=False) <= bound + 1e-6)
    # A template scaled about the centre differs from it only along x - c: there the
    # projected part and the residual norms account for the whole distance.
    centre = index._basis.centre
    scales = rng.uniform(0.8, 1.2, 50)
    scaled = (centre + scales[:, None] * (x[:50] - centre)).astype(np.float32)
    true = np.linalg.norm(scaled.astype(np.float64) - x[:50], axis=1) ** 2
    for full in (False, True):
        bound = np.diag(bound_squared(index, x[:50], scaled, full=full))
        np.testing.assert_allclose(bound, true, rtol=1e-3, atol=1e-6)


def test_rows_whose_bound_equals_their_distance_are_found() -> None:
    g = clustered(3000, seed=16)
    index = bounded_index(g)
    centre = index._basis.centre
    # Probes away from the clusters, so that their nearest rows are the ones added on the
    # line through the centre, whose bound is their distance (beyond the rounding margin).
    probes = (centre + 1.5 * (g[:8] - centre)).astype(np.float32)
    extra = []
    for n, probe in enumerate(probes):
        for s in (0.8, 0.9, 1.1, 1.25, 1.4):
            extra.append((f"s{n}-{s}", centre + s * (probe - centre)))
    index.add([i for i, _ in extra], np.array([v for _, v in extra], dtype=np.float32))
    for probe in probes:
        assert_same(index, probe[None, :], 1, None)
        assert_same(index, probe[None, :], 3, None)
        distances = [d for _, d in brute_force(index, probe, 6, None)]
        for limit in distances:
            assert_same(index, probe[None, :], 6, limit)


def test_real_templates_in_a_bounded_gallery() -> None:
    from faces_images import face_crop  # noqa: PLC0415

    from checkpoint.faces.read import FaceReader  # noqa: PLC0415

    reader = FaceReader()
    crops = [face_crop(size) for size in (160, 220, 300, 400)]
    crops += [np.ascontiguousarray(crops[2][:, ::-1]), (crops[2] * 0.6).astype(np.uint8)]
    real = []
    for crop in crops:
        found = [f.template for f in reader.read(crop) if f.template is not None]
        assert len(found) == 1
        real.append(found[0].vector)
    # The gallery's basis is fitted on synthetic templates; the real ones are added after.
    index = bounded_index(clustered(3000, seed=17))
    index.add([f"astronaut-{n}" for n in range(len(real) - 1)], np.stack(real[:-1]))
    for probe in real:
        assert_same(index, probe[None, :], 5, None)
        assert_same(index, probe[None, :], 5, 0.5)
        assert index.search(probe, 1)[0][0].startswith("astronaut-")


def test_both_halves_stay_valid_after_rows_move() -> None:
    g = clustered(3000, seed=18)
    index = bounded_index(g)
    rng = np.random.default_rng(19)
    index.remove([f"p{i}" for i in rng.choice(3000, 1200, replace=False)])
    index.add([index.ids[5]], isotropic(1, seed=20))  # a replacement, projected in place
    current = index.vectors()
    probes = current[rng.integers(0, len(index), 40)] + 0.001
    for near_only in (True, False):
        for probe in probes:
            # Force one path: the near half alone (when it prunes enough) or both halves.
            index._near_share = {True: 0.0 if near_only else 1.0, False: 0.0 if near_only else 1.0}
            index._queries = 1
            assert_same(index, probe[None, :], 5, None)
            index._queries = 1
            assert_same(index, probe[None, :], 5, 0.05)
