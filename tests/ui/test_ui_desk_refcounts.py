"""The desk survives PySide6's lost references: a process that emits and redraws as much as a
desk does in several hours ends cleanly once the guard is on.

Run in a child interpreter, since without the guard (or with a broken one) the interpreter
aborts, which must fail this test and not take the test session down with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

BUSY_DESK = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QObject, Signal, Slot
    from PySide6.QtWidgets import QApplication, QLabel
    from checkpoint.ui.refcounts import keep_singletons_alive

    app = QApplication([])
    guarded = sys.argv[1] == "guarded" and keep_singletons_alive()

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
    print("done", guarded)
    """
)


def busy_desk(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BUSY_DESK, mode],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal")
def test_a_busy_desk_ends_cleanly_with_the_guard() -> None:
    done = busy_desk("guarded")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "done True"
    assert "Fatal Python error" not in done.stderr
