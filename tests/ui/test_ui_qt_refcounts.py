"""The Qt binding keeps its references: a process that emits and redraws as much as a desk does
in hours ends cleanly.

PySide6 6.12 on Python 3.11 gives back True and None without the reference it owes on every
signal emit and every void call, so a busy desk aborts ("Fatal Python error: bool_dealloc").
pyproject pins PySide6 below 6.12; this fails if a version with the bug comes back. It runs in
a child interpreter, since the failure is an abort that would take the test session down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

BUSY_DESK = textwrap.dedent(
    """
    from PySide6.QtCore import QObject, Signal, Slot
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])

    class Camera(QObject):
        frame = Signal(int, object, object)

    class View(QObject):
        @Slot(int, object, object)
        def show(self, epoch, image, preview):
            pass

    camera, view, label = Camera(), View(), QLabel()
    camera.frame.connect(view.show)
    for number in range(50_000):
        camera.frame.emit(number, None, None)
        label.setText("frame")
    print("done")
    """
)


def test_a_busy_desk_loses_no_reference_to_true_or_none() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BUSY_DESK],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )
    assert "Fatal Python error" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done"
