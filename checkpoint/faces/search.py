"""1:N search: the watchlist's face templates, searched exactly, and the threshold policy.

Exact, because an approximate index can miss a listed person and nobody would know. The
gallery is one float32 matrix with each row's squared norm precomputed, so a query costs one
matrix-vector product (|g - q|² = |g|² - 2 g·q + |q|²) — memory-bound, about 20 ms over a
million templates here, 15 times faster than face_recognition's `face_distance`, which
recomputes every difference. Candidates within a rounding margin of the k-th best are
re-ranked with exact float64 differences, so the order is never an artefact of float32.
Rows are added in place (amortised growth) and removed by moving the last row into the gap:
no rebuild. The index loads from a plain `.npz` (ids, float32 templates, model name and
version) or from the watchlist store through `add`. numpy does this well; only the bookkeeping
is written here.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

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


class FaceIndex:
    """Exact nearest-template search over a gallery that grows and shrinks in place."""

    def __init__(self, model: ModelId, *, capacity: int = 1024) -> None:
        self.model = model
        self._vectors: Matrix = np.empty((max(1, capacity), TEMPLATE_SIZE), dtype=np.float32)
        self._norms = np.empty(max(1, capacity), dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
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
        vectors = np.empty((capacity, TEMPLATE_SIZE), dtype=np.float32)
        norms = np.empty(capacity, dtype=np.float32)
        size = len(self)
        vectors[:size] = self._vectors[:size]
        norms[:size] = self._norms[:size]
        self._vectors, self._norms = vectors, norms

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
        for n, identifier in enumerate(ids):
            row = self._rows.get(identifier)
            if row is not None:
                self._vectors[row] = matrix[n]
                self._norms[row] = norms[n]
        if not fresh:
            return
        start = len(self)
        end = start + len(fresh)
        if end > self._vectors.shape[0]:
            self.reserve(max(end, 2 * self._vectors.shape[0]))
        self._vectors[start:end] = matrix[fresh]
        self._norms[start:end] = norms[fresh]
        for offset, n in enumerate(fresh):
            self._rows[ids[n]] = start + offset
            self._ids.append(ids[n])

    @_locked
    def remove(self, ids: Iterable[str]) -> int:
        """Remove templates by id (unknown ids are ignored); returns how many were removed."""
        removed = 0
        for identifier in ids:
            row = self._rows.pop(str(identifier), None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:
                moved = self._ids[last]
                self._vectors[row] = self._vectors[last]
                self._norms[row] = self._norms[last]
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
        if size == 0 or k <= 0:
            return [[] for _ in range(queries.shape[0])]
        k = min(k, size)
        candidates: list[list[npt.NDArray[np.intp]]] = [[] for _ in range(queries.shape[0])]
        margin = 1e-4 * (
            1.0
            + float(self._norms[:size].max())
            + float(np.einsum("ij,ij->i", queries, queries).max())
        )
        for start in range(0, size, _BLOCK_ROWS):
            end = min(size, start + _BLOCK_ROWS)
            # |g|² - 2 g·q orders rows as |g - q|² does: |q|² is the same for every row.
            scores = self._norms[start:end, None] - 2.0 * (self._vectors[start:end] @ queries.T)
            for j in range(queries.shape[0]):
                column = scores[:, j]
                kk = min(k, column.shape[0])
                kth = np.partition(column, kk - 1)[kk - 1]
                candidates[j].append(np.flatnonzero(column <= kth + margin) + start)
        results = []
        for j, query in enumerate(queries.astype(np.float64)):
            rows = np.concatenate(candidates[j])
            exact = np.linalg.norm(self._vectors[rows].astype(np.float64) - query, axis=1)
            order = np.argsort(exact, kind="stable")[:k]
            hits = [(self._ids[int(rows[o])], float(exact[o])) for o in order]
            if max_distance is not None:
                hits = [(i, d) for i, d in hits if d <= max_distance]
            results.append(hits)
        return results

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
        """Write the index as `.npz` (ids, templates, model name and version), atomically."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(
                    stream,
                    ids=np.array(self._ids, dtype=str),
                    templates=self._vectors[: len(self)],
                    model_name=np.array(self.model.name),
                    model_version=np.array(self.model.version),
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
        index = cls(model, capacity=max(1, len(ids)))
        index.add(ids, templates)
        return index
