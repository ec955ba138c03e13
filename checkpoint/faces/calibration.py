"""From a template distance to numbers a person can understand: probabilities and error rates.

Genuine (same person) and impostor (different people) distances of dlib's encoder are each
close to normal. `Calibration` keeps their means and spreads, fitted on labelled pairs, and
derives from them:

- `probability_same(d)`: a logistic curve through the midpoint of the two means whose slope
  is that of two normals with the pooled spread — the log-likelihood ratio of the two
  classes with equal priors. Fitting moments rather than a logistic regression keeps the
  curve finite on perfectly separated pairs (as small labelled sets usually are);
- `false_match_rate(t)` and `false_non_match_rate(t)`: the normal tails at a threshold, and
  `threshold_for_fmr`, their inverse, which the 1:N policy uses.

The default numbers were measured with `bench/faces.py` on the distinct labelled photos of
the face_recognition project's examples (6 people; see `DEFAULT_CALIBRATION`). Normal tails
are optimistic far out (real impostor tails are heavier, and lower for some populations),
which is why the 1:N policy also has a floor and why the settings can replace these numbers
with ones measured at a site.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

VERIFY_THRESHOLD = 0.55
"""The 1:1 operating threshold (portrait against live face); `checkpoint.faces.verify` says why."""


@dataclass(frozen=True)
class Calibration:
    """Normal models of genuine and impostor distances, and the error rates they imply."""

    genuine_mean: float
    genuine_std: float
    impostor_mean: float
    impostor_std: float
    genuine_pairs: int = 0
    impostor_pairs: int = 0
    source: str = ""

    @property
    def midpoint(self) -> float:
        return (self.genuine_mean + self.impostor_mean) / 2.0

    @property
    def slope(self) -> float:
        pooled = (self.genuine_std**2 + self.impostor_std**2) / 2.0
        return (self.impostor_mean - self.genuine_mean) / pooled

    def probability_same(self, distance: float) -> float:
        """Probability that two faces at this distance are one person (equal priors)."""
        z = self.slope * (self.midpoint - distance)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def false_match_rate(self, threshold: float) -> float:
        """Share of different-person pairs whose distance falls at or below `threshold`."""
        return NormalDist(self.impostor_mean, self.impostor_std).cdf(threshold)

    def false_non_match_rate(self, threshold: float) -> float:
        """Share of same-person pairs whose distance falls above `threshold`."""
        return 1.0 - NormalDist(self.genuine_mean, self.genuine_std).cdf(threshold)

    def threshold_for_fmr(self, fmr: float) -> float:
        """The distance below which only `fmr` of different-person pairs fall."""
        fmr = min(max(fmr, 1e-300), 0.5)
        return NormalDist(self.impostor_mean, self.impostor_std).inv_cdf(fmr)

    @classmethod
    def fit(cls, distances: Sequence[float], same: Sequence[bool], source: str = "") -> Calibration:
        """Fit on labelled pairs: needs at least two genuine and two impostor distances."""
        genuine = [d for d, s in zip(distances, same, strict=True) if s]
        impostor = [d for d, s in zip(distances, same, strict=True) if not s]
        if len(genuine) < 2 or len(impostor) < 2:
            raise ValueError("calibration needs at least two same and two different pairs")
        g, i = NormalDist.from_samples(genuine), NormalDist.from_samples(impostor)
        return cls(
            genuine_mean=g.mean,
            genuine_std=max(g.stdev, 0.02),
            impostor_mean=i.mean,
            impostor_std=max(i.stdev, 0.02),
            genuine_pairs=len(genuine),
            impostor_pairs=len(impostor),
            source=source,
        )


DEFAULT_CALIBRATION = Calibration(
    genuine_mean=0.346,
    genuine_std=0.077,
    impostor_mean=0.841,
    impostor_std=0.075,
    genuine_pairs=54,
    impostor_pairs=159,
    source="face_recognition examples (6 people, 18 distinct photos), 68-point alignment",
)
"""Measured by `bench/faces.py`; resized copies of one photo (distance < 0.15) left out."""
