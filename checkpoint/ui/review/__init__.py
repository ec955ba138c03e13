"""The supervisor's screens: the hit log, a hit in detail with its reviews, and reports."""

from checkpoint.ui.review.detail import HitDetailDialog
from checkpoint.ui.review.window import HitLogWindow

__all__ = ["HitDetailDialog", "HitLogWindow"]
