"""1:N search: the watchlist's face templates, searched exactly, and the threshold policy.

Exact, because an approximate index can miss a listed person and nobody would know. The
gallery is one float32 matrix with each row's squared norm precomputed, so a direct scan
costs one matrix-vector product (|g - q|² = |g|² - 2 g·q + |q|²): memory-bound, about 32 ms
over a million templates on one core, which reads 512 MB per query.

Large galleries are first screened with lower bounds that read a quarter or half of that.
The gallery's principal axes (fitted once, centred on its mean) split every difference into
a projected part P and a residual R, and |x - y|² = |P(x - y)|² + |R(x - y)|² ≥
|P(x - y)|² + (|R(x - c)| - |R(y - c)|)². Each row keeps 62 projected coordinates in two
32-column float32 halves: the near half the first 31 and the residual norm beyond them, the
far half the next 31 and the residual norm beyond all 62. The near half alone bounds every
row with one narrow matrix-vector product, enough within a gallery threshold; the k nearest
of a large gallery (impostors, from the second place on) need both halves. Real templates
are not spread evenly over 128 dimensions, which is what makes the bound tight. The k
rows with the smallest bounds give, by their exact distances, a radius the k-th nearest
cannot exceed; only rows whose bound is within that radius (or within `max_distance`) are
read in full. The bound holds for any orthonormal basis, so rows added
later are projected with the basis already fitted and nothing is refitted until `rebuild`;
a basis that fits the gallery badly costs time, never a result. When the bounds keep too
many rows (templates spread evenly in all 128 dimensions, where no projection helps) the
index goes back to the direct scan and retries the bounds now and then. Measured with one
BLAS thread over a million templates spread as the calibration says dlib's are: 24 ms for
the 5 nearest, 12 ms within the gallery threshold; over evenly spread ones the top 5 fall
back to the 32 ms scan, while threshold queries still take 12 ms (bench/faces.py). The
bounds add 260 bytes a template (740 MiB for a million, 488 MiB of them the templates).

Candidates within a rounding margin of the k-th best are re-ranked with exact float64
differences, so the order is never an artefact of float32; ties go to the lower row, as a
stable sort of all distances would. Rows are added in place (amortised growth) and removed
by moving the last row into the gap: no rebuild. The index loads from a plain `.npz` (ids,
float32 templates, model name and version, and optionally the fitted basis) or from the
watchlist store through `add`. numpy does the arithmetic; only the bookkeeping is written
here.

Threshold policy (`gallery_threshold`): a traveller is compared with every template, so the
chance of at least one false match grows with the gallery: FPIR ≈ N × FMR(t). The 1:N
threshold is the distance whose per-comparison FMR is target_fpir / N on the calibration's
impostor model, never looser than the 1:1 threshold (0.55) and never tighter than a floor
(0.40), below which listed people would be missed too often to be worth screening. With the
default calibration (impostor distances mean 0.841, spread 0.075; genuine 0.346, spread
0.077) and the default target of one false alert per 100 travellers:

    gallery      threshold   expected FNIR (listed people missed)
    1,000          0.521        1 %
    10,000         0.484        4 %
    100,000        0.451        9 %
    1,000,000      0.420       17 %

At one false alert per 1,000 travellers a million-template list reaches the floor and the
target is missed (the result says so in `limited_by`). face_recognition's fixed 0.6 gives an
FMR of about 7e-4 per comparison: seven false alerts per traveller against 10,000
templates. These numbers come from normal models, whose far tail is optimistic (real
impostor tails are heavier, and lie lower for some populations); `bench/faces.py` prints
them, and a site can replace the calibration with pairs measured on its own travellers.

On a shared desk machine run BLAS with one thread per search worker (OPENBLAS_NUM_THREADS):
its threads spin waiting for cores busy with the camera and detection.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

from checkpoint.errors import CheckpointError
from checkpoint.faces.calibration import DEFAULT_CALIBRATION, VERIFY_THRESHOLD, Calibration
from checkpoint.faces.templates import (
    TEMPLATE_SIZE,
    FaceTemplate,
    ModelId,
    ensure_compatible,
)

GALLERY_FLOOR = 0.40
DEFAULT_TARGET_FPIR = 0.01
_BLOCK_ROWS = 1 << 18
DEFAULT_BOUND_COLUMNS = 64
"""Columns of the two bound halves: 62 principal axes and two residual norms. Measured in
bench/faces.py on a million dlib-like templates: 32 columns leave half the rows to read in
full for a top-5 query, 48 leave 6 %, 64 leave 0.4 % and are the fastest (23 ms against
32 and 111 ms); within the gallery threshold the near half is enough for all (12 ms)."""
BOUND_MIN_ROWS = 16_384
"""Below this many templates a direct scan takes well under a millisecond: no bounds."""
_FIT_SAMPLE = 65_536
_PROJECT_ROWS = 1 << 16
BOUND_MAX_SHARE = 0.1
"""Above this share of rows left to read in full, bounds and gathering cost more than a scan."""
_RETRY_EVERY = 16
_ENOUGH = 64
_NEAR_ENOUGH = 1 / 16
"""Above this share of rows left by the near half, reading the far half costs less than
gathering them."""


class IndexFileError(CheckpointError):
    """A face index file is missing, damaged or of another format."""


@dataclass(frozen=True)
class GalleryThreshold:
    """The 1:N threshold for a gallery size, and the error rates expected at it."""

    threshold: float
    gallery_size: int
    target_fpir: float
    expected_fpir: float
    expected_fnir: float
    limited_by: str
    """"target" (the FPIR target set it), "ceiling" (the 1:1 threshold) or "floor"."""


def gallery_threshold(
    gallery_size: int,
    target_fpir: float = DEFAULT_TARGET_FPIR,
    calibration: Calibration = DEFAULT_CALIBRATION,
    *,
    ceiling: float = VERIFY_THRESHOLD,
    floor: float = GALLERY_FLOOR,
) -> GalleryThreshold:
    """The distance below which a 1:N candidate is a hit, for `gallery_size` templates."""
    size = max(1, gallery_size)
    wanted = calibration.threshold_for_fmr(target_fpir / size)
    if wanted >= ceiling:
        threshold, limited_by = ceiling, "ceiling"
    elif wanted <= floor:
        threshold, limited_by = floor, "floor"
    else:
        threshold, limited_by = wanted, "target"
    fmr = calibration.false_match_rate(threshold)
    return GalleryThreshold(
        threshold=threshold,
        gallery_size=gallery_size,
        target_fpir=target_fpir,
        expected_fpir=1.0 - (1.0 - fmr) ** size,
        expected_fnir=calibration.false_non_match_rate(threshold),
        limited_by=limited_by,
    )


Matrix = npt.NDArray[np.float32]
Rows = npt.NDArray[np.intp]
P = ParamSpec("P")
R = TypeVar("R")


def _locked(
    method: Callable[Concatenate[FaceIndex, P], R],
) -> Callable[Concatenate[FaceIndex, P], R]:
    @wraps(method)
    def locked(self: FaceIndex, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


@dataclass(frozen=True)
class _Basis:
    """Orthonormal principal axes (rows) and the centre the residual norms are taken from.

    The bound columns come in two halves: the near half holds the first axes and the
    residual norm beyond them (a coarse bound on its own), the far half the remaining axes
    and the residual norm beyond all of them (with the near axes, the tight bound).
    """

    centre: npt.NDArray[np.float64]
    axes: npt.NDArray[np.float64]

    @classmethod
    def fit(cls, vectors: Matrix, columns: int) -> _Basis:
        # An evenly spread sample fits the axes as well as the whole gallery, far faster.
        sample = vectors[:: max(1, vectors.shape[0] // _FIT_SAMPLE)].astype(np.float64)
        centre = sample.mean(axis=0)
        centred = sample - centre
        _, eigenvectors = np.linalg.eigh(centred.T @ centred)
        axes = np.ascontiguousarray(eigenvectors[:, ::-1][:, : columns - 2].T)
        return cls(centre, axes)

    @property
    def columns(self) -> int:
        return int(self.axes.shape[0]) + 2

    @property
    def near_axes(self) -> int:
        return self.columns // 2 - 1

    def is_orthonormal(self) -> bool:
        gram = self.axes @ self.axes.T
        return bool(np.abs(gram - np.eye(gram.shape[0])).max() < 1e-9)

    def project(self, vectors: Matrix) -> tuple[Matrix, Matrix, Matrix]:
        """Per row: the near half, the far half (each ending in a residual norm), |x - c|²."""
        centred = vectors.astype(np.float64) - self.centre
        projected = centred @ self.axes.T
        squared = np.einsum("ij,ij->i", centred, centred)
        split = self.near_axes
        near_squared = np.einsum("ij,ij->i", projected[:, :split], projected[:, :split])
        far_squared = np.einsum("ij,ij->i", projected[:, split:], projected[:, split:])
        # In float64 the cancellation in |x - c|² - |P(x - c)|² is far below the margin.
        near_residual = np.sqrt(np.maximum(squared - near_squared, 0))
        residual = np.sqrt(np.maximum(squared - near_squared - far_squared, 0))
        near = np.concatenate([projected[:, :split], near_residual[:, None]], axis=1)
        far = np.concatenate([projected[:, split:], residual[:, None]], axis=1)
        return near.astype(np.float32), far.astype(np.float32), squared.astype(np.float32)


class FaceIndex:
    """Exact nearest-template search over a gallery that grows and shrinks in place."""

    def __init__(
        self,
        model: ModelId,
        *,
        capacity: int = 1024,
        bound_columns: int = DEFAULT_BOUND_COLUMNS,
        bound_min_rows: int = BOUND_MIN_ROWS,
        bound_max_share: float = BOUND_MAX_SHARE,
    ) -> None:
        if not 4 <= bound_columns <= TEMPLATE_SIZE // 2 or bound_columns % 2:
            raise ValueError(f"bound_columns must be even, 4 to {TEMPLATE_SIZE // 2}")
        self.model = model
        capacity = max(1, capacity)
        self._vectors: Matrix = np.empty((capacity, TEMPLATE_SIZE), dtype=np.float32)
        self._norms = np.empty(capacity, dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._bound_columns = bound_columns
        self._bound_min_rows = bound_min_rows
        self._bound_max_share = bound_max_share
        self._basis: _Basis | None = None
        self._near: Matrix = np.empty((0, bound_columns // 2), dtype=np.float32)
        self._far: Matrix = np.empty((0, bound_columns // 2), dtype=np.float32)
        self._centred_norms: Matrix = np.empty(0, dtype=np.float32)
        # Share of the gallery the bounds left to read in full, averaged over recent
        # queries, apart for threshold queries (True) and plain top-k (False): the k-th
        # nearest of a large gallery is an impostor, far beyond any threshold.
        self._kept_share = {True: 0.0, False: 0.0}
        self._near_share = {True: 0.0, False: 0.0}
        self._queries = 0
        # The store adds and removes while the desk searches: numpy releases the GIL inside
        # the matrix product, so a concurrent add could swap the storage under a search.
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item: object) -> bool:
        return item in self._rows

    @property
    @_locked
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    @property
    @_locked
    def nbytes(self) -> int:
        """Bytes the gallery's rows occupy: templates, norms and, once fitted, their bounds."""
        size = len(self)
        total = size * (TEMPLATE_SIZE + 1) * 4
        if self._basis is not None:
            total += size * (self._bound_columns + 1) * 4 + int(self._basis.axes.nbytes)
        return total

    def kept_share(self, *, thresholded: bool) -> float:
        """Recent average share of rows the bounds left to read in full (0 until measured)."""
        return self._kept_share[thresholded]

    @property
    def bounded(self) -> bool:
        """Whether large searches are screened with projection bounds (a basis is fitted)."""
        return self._basis is not None

    @_locked
    def vectors(self) -> Matrix:
        """A read-only view of the templates, row i for `ids[i]` (valid until the next change)."""
        view = self._vectors[: len(self)]
        view.flags.writeable = False
        return view

    @_locked
    def reserve(self, capacity: int) -> None:
        """Grow the storage once for `capacity` templates (avoids repeated copies)."""
        if capacity <= self._vectors.shape[0]:
            return
        size = len(self)
        vectors = np.empty((capacity, TEMPLATE_SIZE), dtype=np.float32)
        norms = np.empty(capacity, dtype=np.float32)
        vectors[:size] = self._vectors[:size]
        norms[:size] = self._norms[:size]
        self._vectors, self._norms = vectors, norms
        if self._basis is not None:
            self._grow_bounds(capacity)

    def _grow_bounds(self, capacity: int) -> None:
        size = len(self)
        half = self._bound_columns // 2
        near = np.empty((capacity, half), dtype=np.float32)
        far = np.empty((capacity, half), dtype=np.float32)
        centred = np.empty(capacity, dtype=np.float32)
        near[:size] = self._near[:size]
        far[:size] = self._far[:size]
        centred[:size] = self._centred_norms[:size]
        self._near, self._far, self._centred_norms = near, far, centred

    @_locked
    def rebuild(self) -> None:
        """Fit the bounds' axes to the gallery as it is now (after it has changed a lot)."""
        if len(self) < self._bound_min_rows:
            self._basis = None
            return
        self._use_basis(_Basis.fit(self._vectors[: len(self)], self._bound_columns))

    def _use_basis(self, basis: _Basis) -> None:
        self._basis = basis
        self._bound_columns = basis.columns
        half = basis.columns // 2
        capacity = self._vectors.shape[0]
        self._near = np.empty((capacity, half), dtype=np.float32)
        self._far = np.empty((capacity, half), dtype=np.float32)
        self._centred_norms = np.empty(capacity, dtype=np.float32)
        self._kept_share = {True: 0.0, False: 0.0}
        self._near_share = {True: 0.0, False: 0.0}
        rows = np.arange(len(self), dtype=np.intp)
        self._project(rows, self._vectors[: len(self)])

    def _project(self, rows: Rows, vectors: Matrix) -> None:
        assert self._basis is not None
        # In blocks: the projection works in float64, eight bytes a value.
        for start in range(0, rows.shape[0], _PROJECT_ROWS):
            end = start + _PROJECT_ROWS
            near, far, centred = self._basis.project(vectors[start:end])
            self._near[rows[start:end]] = near
            self._far[rows[start:end]] = far
            self._centred_norms[rows[start:end]] = centred

    @_locked
    def add(self, ids: Sequence[str], templates: npt.ArrayLike | Sequence[FaceTemplate]) -> None:
        """Add templates under `ids`; an id already present has its template replaced."""
        matrix = self._as_matrix(templates)
        ids = [str(i) for i in ids]
        if len(ids) != matrix.shape[0]:
            raise ValueError(f"{len(ids)} ids for {matrix.shape[0]} templates")
        if len(set(ids)) != len(ids):
            raise ValueError("ids must be unique within one call to add")
        norms = np.einsum("ij,ij->i", matrix, matrix)
        fresh = [n for n, i in enumerate(ids) if i not in self._rows]
        replaced = [(self._rows[i], n) for n, i in enumerate(ids) if i in self._rows]
        start = len(self)
        end = start + len(fresh)
        if end > self._vectors.shape[0]:
            self.reserve(max(end, 2 * self._vectors.shape[0]))
        rows = np.array([row for row, _ in replaced] + list(range(start, end)), dtype=np.intp)
        order = np.array([n for _, n in replaced] + fresh, dtype=np.intp)
        self._vectors[rows] = matrix[order]
        self._norms[rows] = norms[order]
        for offset, n in enumerate(fresh):
            self._rows[ids[n]] = start + offset
            self._ids.append(ids[n])
        if self._basis is not None:
            # Projected with the basis already fitted: the bound holds for any basis.
            self._project(rows, matrix[order])
        elif len(self) >= self._bound_min_rows:
            self.rebuild()

    @_locked
    def remove(self, ids: Iterable[str]) -> int:
        """Remove templates by id (unknown ids are ignored); returns how many were removed."""
        removed = 0
        bounded = self._basis is not None
        for identifier in ids:
            row = self._rows.pop(str(identifier), None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:
                moved = self._ids[last]
                self._vectors[row] = self._vectors[last]
                self._norms[row] = self._norms[last]
                if bounded:
                    self._near[row] = self._near[last]
                    self._far[row] = self._far[last]
                    self._centred_norms[row] = self._centred_norms[last]
                self._ids[row] = moved
                self._rows[moved] = row
            self._ids.pop()
            removed += 1
        return removed

    def search(
        self,
        template: FaceTemplate | npt.ArrayLike,
        k: int = 5,
        *,
        max_distance: float | None = None,
    ) -> list[tuple[str, float]]:
        """The `k` nearest templates as (id, Euclidean distance), nearest first."""
        return self.search_many(
            [template]
            if isinstance(template, FaceTemplate)
            else np.asarray(template, dtype=np.float32).reshape(1, -1),
            k,
            max_distance=max_distance,
        )[0]

    @_locked
    def search_many(
        self,
        templates: npt.ArrayLike | Sequence[FaceTemplate],
        k: int = 5,
        *,
        max_distance: float | None = None,
    ) -> list[list[tuple[str, float]]]:
        """`search` for several faces at once (every face of a frame): one pass over the gallery."""
        queries = self._as_matrix(templates)
        size = len(self)
        if size == 0 or k <= 0 or (max_distance is not None and not max_distance >= 0):
            return [[] for _ in range(queries.shape[0])]
        k = min(k, size)
        margin = 1e-4 * (
            1.0
            + float(self._norms[:size].max())
            + float(np.einsum("ij,ij->i", queries, queries).max())
        )
        self._queries += 1
        use_bounds = self._basis is not None and (
            self._kept_share[max_distance is not None] <= self._bound_max_share
            or self._queries % _RETRY_EVERY == 0
        )
        if use_bounds:
            candidates = self._bounded_candidates(queries, k, max_distance)
        else:
            candidates = self._scanned_candidates(queries, k, margin)
        results = []
        for query, rows in zip(queries, candidates, strict=True):
            results.append(self._rank(query, rows, k, margin, max_distance))
        return results

    def _scanned_candidates(self, queries: Matrix, k: int, margin: float) -> list[Rows]:
        """Every row scored in float32; rows within the margin of each query's k-th best."""
        size = len(self)
        candidates: list[list[Rows]] = [[] for _ in range(queries.shape[0])]
        for start in range(0, size, _BLOCK_ROWS):
            end = min(size, start + _BLOCK_ROWS)
            # |g|² - 2 g·q orders rows as |g - q|² does: |q|² is the same for every row.
            scores = self._norms[start:end, None] - 2.0 * (self._vectors[start:end] @ queries.T)
            for j in range(queries.shape[0]):
                column = scores[:, j]
                kk = min(k, column.shape[0])
                kth = np.partition(column, kk - 1)[kk - 1]
                candidates[j].append(np.flatnonzero(column <= kth + margin) + start)
        return [np.concatenate(rows) for rows in candidates]

    def _bounded_candidates(
        self, queries: Matrix, k: int, max_distance: float | None
    ) -> list[Rows]:
        """Rows whose lower bound does not rule them out of each query's k nearest."""
        assert self._basis is not None
        size = len(self)
        thresholded = max_distance is not None
        near, far, centred = self._basis.project(queries)
        # float32 rounding of the products, of the stored bounds and of |x - c|²: the same
        # generous margin as the direct scan, on the same scale.
        margin = 1e-4 * (
            1.0 + float(self._centred_norms[:size].max()) + float(centred.astype(np.float64).max())
        )
        limit = np.inf if max_distance is None else max_distance**2
        out: list[Rows | None] = [None] * queries.shape[0]
        # The near half alone reads half the bytes and is enough when the radius is small
        # (threshold queries); the k-th nearest of a large gallery needs both halves.
        if self._near_share[thresholded] <= _NEAR_ENOUGH or self._queries % _RETRY_EVERY == 0:
            products = near @ self._near[:size].T
            for j in range(queries.shape[0]):
                rows = self._within(
                    products[j], queries[j], float(centred[j]), k=k, limit=limit, margin=margin
                )
                share = rows.shape[0] / size
                self._near_share[thresholded] = 0.8 * self._near_share[thresholded] + 0.2 * share
                if share <= _NEAR_ENOUGH:
                    out[j] = rows
        pending = [j for j, rows in enumerate(out) if rows is None]
        if pending:
            # Both halves: the near residual gives way to the far axes and residual.
            near[:, -1] = 0.0
            products = near[pending] @ self._near[:size].T
            products += far[pending] @ self._far[:size].T
            for n, j in enumerate(pending):
                out[j] = self._within(
                    products[n], queries[j], float(centred[j]), k=k, limit=limit, margin=margin
                )
        kept = []
        for found in out:
            assert found is not None
            share = self._kept_share[thresholded]
            self._kept_share[thresholded] = 0.8 * share + 0.2 * found.shape[0] / size
            kept.append(found)
        return kept

    def _within(
        self,
        products: Matrix,
        query: Matrix,
        offset: float,
        *,
        k: int,
        limit: float,
        margin: float,
    ) -> Rows:
        """Rows whose bound² (|x - c|² + `offset` - 2 `products`) is within the k-th or limit."""
        size = len(self)
        # Bound² = |x - c|² + |q - c|² - 2 (Px·Pq + |Rx| |Rq|): one product per row.
        scores = products
        scores *= -2.0
        scores += self._centred_norms[:size]
        rows = np.flatnonzero(scores <= limit - offset + margin)
        if rows.shape[0] > _ENOUGH * k:
            # The exact distances of the k best-bounded rows: the k-th nearest is no
            # farther than the farthest of them.
            best = np.argpartition(scores, k - 1)[:k] if k < size else np.arange(size)
            reach = float(self._exact(query, best).max()) ** 2
            if reach < limit:
                rows = np.flatnonzero(scores <= reach - offset + margin)
        return rows

    def _exact(self, query: Matrix, rows: Rows) -> npt.NDArray[np.float64]:
        return np.asarray(
            np.linalg.norm(
                self._vectors[rows].astype(np.float64) - query.astype(np.float64), axis=1
            )
        )

    def _rank(
        self, query: Matrix, rows: Rows, k: int, margin: float, max_distance: float | None
    ) -> list[tuple[str, float]]:
        if rows.shape[0] == 0:
            return []
        if rows.shape[0] > k:
            # float32 scores first: only rows within the margin of the k-th best need float64.
            scores = self._norms[rows] - 2.0 * (self._vectors[rows] @ query)
            kth = np.partition(scores, k - 1)[k - 1]
            rows = rows[scores <= kth + margin]
        exact = self._exact(query, rows)
        order = np.argsort(exact, kind="stable")[:k]
        hits = [(self._ids[int(rows[o])], float(exact[o])) for o in order]
        if max_distance is not None:
            hits = [(i, d) for i, d in hits if d <= max_distance]
        return hits

    def _as_matrix(self, templates: npt.ArrayLike | Sequence[FaceTemplate]) -> Matrix:
        if isinstance(templates, Sequence) and templates and isinstance(templates[0], FaceTemplate):
            rows = []
            for template in templates:
                assert isinstance(template, FaceTemplate)
                ensure_compatible(self.model, template.model)
                rows.append(template.vector)
            return np.stack(rows).astype(np.float32, copy=False)
        matrix = np.asarray(templates, dtype=np.float32)
        if matrix.ndim == 1:
            matrix = matrix.reshape(1, -1)
        if matrix.ndim != 2 or matrix.shape[1] != TEMPLATE_SIZE:
            raise ValueError(f"templates must be N x {TEMPLATE_SIZE}, not {matrix.shape}")
        if not np.all(np.isfinite(matrix)):
            raise ValueError("templates must be finite numbers")
        return np.ascontiguousarray(matrix)

    @_locked
    def save(self, path: Path) -> None:
        """Write the index as `.npz` (ids, templates, model name and version), atomically.

        A fitted basis is saved too (`bound_centre`, `bound_axes`), so a reload screens with
        the same bounds without refitting; files without it load and fit as before.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                basis: dict[str, Any] = {}
                if self._basis is not None:
                    basis = {"bound_centre": self._basis.centre, "bound_axes": self._basis.axes}
                np.savez(
                    stream,
                    ids=np.array(self._ids, dtype=str),
                    templates=self._vectors[: len(self)],
                    model_name=np.array(self.model.name),
                    model_version=np.array(self.model.version),
                    **basis,
                )
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, *, expected_model: ModelId | None = None) -> FaceIndex:
        """Read an index written by `save` (or by the watchlist store in the same format)."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                ids = [str(i) for i in data["ids"]]
                templates = np.asarray(data["templates"], dtype=np.float32)
                model = ModelId(str(data["model_name"]), str(data["model_version"]))
                basis = _saved_basis(data)
        except FileNotFoundError as exc:
            raise IndexFileError(f"{path} does not exist: check the path.") from exc
        except (OSError, KeyError, ValueError) as exc:
            raise IndexFileError(
                f"{path} is not a face index (ids, templates, model name and version): "
                "export it again from the watchlist."
            ) from exc
        if expected_model is not None:
            ensure_compatible(expected_model, model)
        if templates.ndim != 2 or templates.shape != (len(ids), TEMPLATE_SIZE):
            raise IndexFileError(
                f"{path} holds {len(ids)} ids but templates of shape {templates.shape}: "
                "export it again from the watchlist."
            )
        if basis is None:
            index = cls(model, capacity=max(1, len(ids)))
        else:
            index = cls(model, capacity=max(1, len(ids)), bound_columns=basis.columns)
            index._use_basis(basis)
        index.add(ids, templates)
        return index


def _saved_basis(data: Mapping[str, npt.NDArray[np.generic]]) -> _Basis | None:
    """The basis a file was saved with, or None (absent, or unfit to bound: it is refitted)."""
    if "bound_centre" not in data or "bound_axes" not in data:
        return None
    centre = np.asarray(data["bound_centre"], dtype=np.float64)
    axes = np.asarray(data["bound_axes"], dtype=np.float64)
    if (
        centre.shape != (TEMPLATE_SIZE,)
        or axes.ndim != 2
        or axes.shape[1] != TEMPLATE_SIZE
        or not 2 <= axes.shape[0] <= TEMPLATE_SIZE // 2 - 2
        or axes.shape[0] % 2
        or not (np.all(np.isfinite(centre)) and np.all(np.isfinite(axes)))
    ):
        return None
    basis = _Basis(centre, np.ascontiguousarray(axes))
    # A bound from axes that are not orthonormal could exceed the true distance.
    return basis if basis.is_orthonormal() else None
