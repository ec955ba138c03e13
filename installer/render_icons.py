"""Render Checkpoint's icon (installer/icons/checkpoint.svg) to the hicolor PNG sizes.

    uv run python installer/render_icons.py OUT_DIR

Writes OUT_DIR/hicolor/SIZExSIZE/apps/checkpoint.png for every size desktops ask for, copies
the SVG to OUT_DIR/hicolor/scalable/apps/, and packs the sizes into OUT_DIR/checkpoint.ico for
the Windows installer and executable. The PNGs are built, not committed: one
drawing is the source, so the sizes can never disagree. Qt's SVG renderer does the drawing, so
no tool beyond the project's own environment is needed.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parent / "icons" / "checkpoint.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
NAME = "checkpoint"


def render(out: Path) -> list[Path]:
    """Render every size under `out`; return the files written."""
    app = QGuiApplication.instance() or QGuiApplication([NAME])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SVG} is not a valid SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"render_icons: cannot write {target}")
        written.append(target)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    icon = out / f"{NAME}.ico"
    with Image.open(written[-1]) as largest:
        largest.save(icon, sizes=[(size, size) for size in SIZES])
    del app  # kept alive until every size is painted
    return [*written, scalable, icon]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: render_icons.py OUT_DIR")
    for path in render(Path(sys.argv[1])):
        print(path)
