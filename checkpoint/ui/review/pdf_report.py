"""The hit log's PDF report, drawn with Qt's own PDF writer: summary, tables and a bar chart.

QPdfWriter and QPainter are enough for a report of a few pages, so no report library is
needed: the first page has the filter, the summary figures, hits per kind and a bar chart of
hits over time (per day, or per month when the period is longer than two months); the counts
per day follow as a table over as many pages as they need.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from checkpoint.hits.report import ExportError, HitStats
from checkpoint.ui.review.log_model import kind_text

RESOLUTION = 300
MAX_BARS = 62
BAR = QColor(40, 100, 170)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 120:
        return QCoreApplication.translate("HitReport", "{n:.0f} s").format(n=seconds)
    if seconds < 7200:
        return QCoreApplication.translate("HitReport", "{n:.1f} min").format(n=seconds / 60)
    return QCoreApplication.translate("HitReport", "{n:.1f} h").format(n=seconds / 3600)


def chart_buckets(per_day: tuple[tuple[date, int], ...]) -> list[tuple[str, int]]:
    """Bars of the chart: one per day, or one per month when there are too many days."""
    if len(per_day) <= MAX_BARS:
        return [(day.isoformat()[5:], count) for day, count in per_day]
    months: Counter[str] = Counter()
    for day, count in per_day:
        months[day.isoformat()[:7]] += count
    return sorted(months.items())


class _Pages:
    """A painter over the writer that knows where the next line goes and turns pages."""

    def __init__(self, writer: QPdfWriter, painter: QPainter) -> None:
        self.writer = writer
        self.painter = painter
        self.width = float(writer.width())
        self.height = float(writer.height())
        self.y = 0.0
        self.pages = 1
        self.line = RESOLUTION * 0.2

    def font(self, points: float, *, bold: bool = False) -> None:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(points)
        font.setBold(bold)
        self.painter.setFont(font)

    def need(self, height: float) -> None:
        if self.y + height > self.height:
            self.writer.newPage()
            self.pages += 1
            self.y = 0.0

    def text(self, text: str, *, points: float = 10, bold: bool = False, x: float = 0) -> None:
        self.font(points, bold=bold)
        height = self.line * points / 10
        self.need(height)
        rect = QRectF(x, self.y, self.width - x, height)
        self.painter.drawText(
            rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text
        )
        self.y += height

    def rows(self, rows: list[tuple[str, str]], *, label_width: float) -> None:
        self.font(10)
        for label, value in rows:
            self.need(self.line)
            flags = Qt.AlignmentFlag.AlignVCenter
            self.painter.drawText(
                QRectF(0, self.y, label_width, self.line), flags | Qt.AlignmentFlag.AlignLeft, label
            )
            self.painter.drawText(
                QRectF(label_width, self.y, self.width / 4, self.line),
                flags | Qt.AlignmentFlag.AlignRight,
                value,
            )
            self.y += self.line

    def gap(self, lines: float = 0.5) -> None:
        self.y += self.line * lines


def _chart(pages: _Pages, bars: list[tuple[str, int]]) -> None:
    height = pages.height * 0.28
    pages.need(height + pages.line * 2)
    painter = pages.painter
    top, left = pages.y, pages.width * 0.06
    plot_w, plot_h = pages.width - left, height - pages.line * 1.5
    peak = max((count for _, count in bars), default=0) or 1
    painter.setPen(QPen(QColor(90, 90, 90), 2))
    painter.drawLine(QPointF(left, top + plot_h), QPointF(left + plot_w, top + plot_h))
    pages.font(7)
    painter.drawText(
        QRectF(0, top, left * 0.9, pages.line), Qt.AlignmentFlag.AlignRight, f"{peak:,}"
    )
    if bars:
        step = plot_w / len(bars)
        label_every = max(1, len(bars) // 12)
        for number, (label, count) in enumerate(bars):
            bar_h = plot_h * count / peak
            x = left + number * step
            painter.fillRect(QRectF(x + step * 0.1, top + plot_h - bar_h, step * 0.8, bar_h), BAR)
            if number % label_every == 0:
                painter.setPen(QColor(60, 60, 60))
                painter.drawText(
                    QRectF(x - step, top + plot_h + 4, step * 3, pages.line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    label,
                )
    pages.y = top + height


def write_pdf(
    path: Path,
    stats: HitStats,
    *,
    filter_text: str,
    station: str,
    generated: datetime,
) -> int:
    """Draw the report of `stats` into `path`; return the number of pages."""
    # QPdfWriter only warns when it cannot open the file: check the folder first.
    if not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
        raise ExportError(f"Cannot write {path}: choose a folder you may write to.")
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(QCoreApplication.translate("HitReport", "Checkpoint hit report"))
    writer.setCreator("Checkpoint")
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"Cannot write {path}: choose a folder you may write to.")
    try:
        pages = _Pages(writer, painter)
        pages.text(
            QCoreApplication.translate("HitReport", "Checkpoint — hit report"), points=18, bold=True
        )
        pages.text(
            QCoreApplication.translate(
                "HitReport", "Station {station}, generated {when} UTC"
            ).format(station=station, when=generated.strftime("%Y-%m-%d %H:%M")),
            points=9,
        )
        pages.text(
            QCoreApplication.translate("HitReport", "Filter: {filter}").format(filter=filter_text),
            points=9,
        )
        pages.gap()
        rate = stats.dismissal_rate
        pages.text(QCoreApplication.translate("HitReport", "Summary"), points=13, bold=True)
        label_width = pages.width * 0.4
        pages.rows(
            [
                (QCoreApplication.translate("HitReport", "Hits"), f"{stats.total:,}"),
                (
                    QCoreApplication.translate("HitReport", "Decided by the officer"),
                    f"{stats.decided:,}",
                ),
                (QCoreApplication.translate("HitReport", "Undecided"), f"{stats.undecided:,}"),
                (
                    QCoreApplication.translate("HitReport", "Dismissed by the officer"),
                    f"{stats.dismissed:,}",
                ),
                (
                    QCoreApplication.translate("HitReport", "Dismissal rate"),
                    "—" if rate is None else f"{rate:.1%}",
                ),
                (
                    QCoreApplication.translate("HitReport", "Overturned by a supervisor"),
                    f"{stats.overturned:,}",
                ),
                (
                    QCoreApplication.translate("HitReport", "Median time from hit to decision"),
                    duration_text(stats.median_decision_seconds),
                ),
            ],
            label_width=label_width,
        )
        pages.gap()
        pages.text(QCoreApplication.translate("HitReport", "Hits per kind"), points=13, bold=True)
        pages.rows(
            [(kind_text(kind), f"{count:,}") for kind, count in stats.per_kind],
            label_width=label_width,
        )
        pages.gap()
        bars = chart_buckets(stats.per_day)
        monthly = len(bars) != len(stats.per_day)
        pages.text(
            QCoreApplication.translate("HitReport", "Hits per month")
            if monthly
            else QCoreApplication.translate("HitReport", "Hits per day"),
            points=13,
            bold=True,
        )
        _chart(pages, bars)
        pages.gap()
        pages.text(QCoreApplication.translate("HitReport", "Counts per day"), points=13, bold=True)
        pages.rows(
            [(day.isoformat(), f"{count:,}") for day, count in stats.per_day],
            label_width=label_width,
        )
    finally:
        painter.end()
    return pages.pages
