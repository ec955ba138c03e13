"""The camera test: the live picture from the chosen source, or a clear "no picture".

The source is opened on a pool thread (a camera can take a second to open) and read by the
desk's own CaptureThread, so what this page shows is what the desk will get. The page is
complete once a picture has arrived from the source now chosen; the demo source is one
button away for a station whose camera is not there yet.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from checkpoint.camera import FrameSource, open_source
from checkpoint.ui.imaging import to_qimage
from checkpoint.ui.throttle import Throttle
from checkpoint.ui.wizard.common import error_label
from checkpoint.ui.workers import CaptureThread, JobRunner

NO_PICTURE_AFTER_MS = 5000
FRAME_INTERVAL_MS = 66


class CameraPage(QWizardPage):
    def __init__(self, devices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Camera test"))
        self.setSubTitle(
            self.tr(
                "Choose the desk's camera (a number, a device, a folder of images or a video) "
                "and check its live picture below."
            )
        )
        self.source_box = QComboBox()
        self.source_box.setEditable(True)
        self.source_box.addItems(["0", *devices, "demo"])
        self.test_button = QPushButton(self.tr("&Test"), autoDefault=False)
        self.demo_button = QPushButton(self.tr("Use the &demo source"), autoDefault=False)
        self.live = QLabel(self.tr("No picture yet"))
        self.live.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live.setMinimumSize(480, 270)
        self.live.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.live.setStyleSheet("background:#111; color:#ccc;")
        self.state = QLabel()
        self.error = error_label()
        row = QHBoxLayout()
        label = QLabel(self.tr("&Source:"))
        label.setBuddy(self.source_box)
        row.addWidget(label)
        row.addWidget(self.source_box, 1)
        row.addWidget(self.test_button)
        row.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.live, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.error)

        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.runner = JobRunner(self.pool, self)
        self._token = 0
        self.capture: CaptureThread | None = None
        self.source: FrameSource | None = None
        self.tested_spec: str | None = None
        self.pictures = 0
        self._show = Throttle(self._draw, FRAME_INTERVAL_MS, self)
        self._no_picture = QTimer(self)
        self._no_picture.setSingleShot(True)
        self._no_picture.setInterval(NO_PICTURE_AFTER_MS)
        self._no_picture.timeout.connect(self._say_no_picture)
        self.test_button.clicked.connect(self.test)
        self.demo_button.clicked.connect(self.use_demo)
        line = self.source_box.lineEdit()
        assert line is not None
        line.returnPressed.connect(self._return_pressed)
        self.source_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.source_box.currentTextChanged.connect(lambda _text: self._forget())

    @property
    def spec(self) -> str:
        return self.source_box.currentText().strip()

    def initializePage(self) -> None:  # noqa: N802
        self.source_box.setFocus()

    def isComplete(self) -> bool:  # noqa: N802
        return self.pictures > 0 and self.tested_spec == self.spec

    def _return_pressed(self) -> None:
        """Enter tests a source not tried yet; on one that shows a picture it moves on."""
        if self.spec != self.tested_spec or (self.source is None and not self.running):
            self.test()

    @property
    def running(self) -> bool:
        return self.runner.busy

    def use_demo(self) -> None:
        self.source_box.setCurrentText("demo")
        self.test()

    def test(self) -> None:
        """Open the chosen source (off the GUI thread) and show its live picture."""
        self.stop()
        spec = self.spec
        self.tested_spec = spec
        self.pictures = 0
        self.error.clear()
        self.live.setPixmap(QPixmap())
        self.live.setText(self.tr("Opening {source}…").format(source=spec))
        self._token += 1
        token = self._token
        self.runner.submit(
            lambda: open_source(spec),
            lambda source: self._opened(token, source),
            lambda message: self._failed(token, message),
        )
        self.completeChanged.emit()

    def _opened(self, token: int, source: object) -> None:
        if token != self._token or self.tested_spec != self.spec:
            getattr(source, "close", lambda: None)()
            return
        assert hasattr(source, "read")
        self.source = source  # type: ignore[assignment]
        capture = CaptureThread(self.source, self)  # type: ignore[arg-type]
        capture.frame.connect(self._on_frame)
        capture.state.connect(self.state.setText)
        self.capture = capture
        capture.start()
        self._no_picture.start()

    def _failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        self.live.setText(self.tr("No picture"))
        self.error.setText(self.tr("{message} Or use the demo source.").format(message=message))

    def _on_frame(self, _epoch: int, image: Any) -> None:
        if self.capture is None or not isinstance(image, np.ndarray):
            return
        self.pictures += 1
        if self.pictures == 1:
            self._no_picture.stop()
            self.error.clear()
            self.completeChanged.emit()
        self._show(image)

    def _draw(self, image: np.ndarray[Any, Any]) -> None:
        pixmap = QPixmap.fromImage(to_qimage(image)).scaled(
            self.live.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.live.setPixmap(pixmap)

    def _say_no_picture(self) -> None:
        if self.pictures:
            return
        self.live.setText(self.tr("No picture"))
        self.error.setText(
            self.tr(
                "No picture from {source}: check the cable, the lens cover and that no other "
                "program uses the camera, or use the demo source."
            ).format(source=self.tested_spec)
        )

    def _forget(self) -> None:
        """A different source is typed: the last test no longer counts."""
        if self.tested_spec is not None and self.tested_spec != self.spec:
            self.completeChanged.emit()

    def stop(self) -> None:
        """Stop the live picture and let go of the device (leaving the page, closing)."""
        self._no_picture.stop()
        self._show.cancel()
        if self.capture is not None:
            self.capture.requestInterruption()
            self.capture.wait()
            self.capture = None
        if self.source is not None:
            self.source.close()
            self.source = None

    def shutdown(self) -> None:
        """Stop and wait for a source still opening: no thread outlives the wizard."""
        self._token += 1  # a source that opens now is closed when its signal arrives
        self.pool.waitForDone()
        self.stop()

    def validatePage(self) -> bool:  # noqa: N802
        self.stop()
        return True

    def cleanupPage(self) -> None:  # noqa: N802
        self.stop()
        super().cleanupPage()
